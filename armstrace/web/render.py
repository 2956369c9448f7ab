"""HTML pages and their JSON twins from one function (house style, after datasette).

A page handler builds one plain `data` dict; `page()` renders it with a template, or returns
it as JSON when the path ends in `.json` or `?format=json` is given. Templates read only from
`data` (plus the request's user and CSRF token), so the twin cannot drift from the page.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from jinja2 import Environment, FileSystemLoader

from armstrace import vocab
from armstrace.review import FIELDS
from armstrace.web.charts import network_layout, timeline_layout

TEMPLATES = Path(__file__).parent / "templates"


def safe_url(url: str | None) -> str | None:
    """`url` if it is an http(s) link a page may point to, else None (shown as text only):
    keeps `javascript:`, `data:` and other schemes out of every href."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["safe_url"] = safe_url
    env.globals.update(vocab=vocab, review_fields=FIELDS, network_layout=network_layout,
                       timeline_layout=timeline_layout)
    return env


def wants_json(request: Request) -> bool:
    return request.url.path.endswith(".json") or request.query_params.get("format") == "json"


def page(request: Request, template: str, data: dict[str, Any], *,
         status_code: int = 200, context: dict[str, Any] | None = None) -> Response:
    """`data` as JSON (the twin) or rendered with `template`. `context` goes to the template
    only, never into the twin: markup a route has already rendered from the same `data`."""
    if wants_json(request):
        return JSONResponse(data, status_code=status_code)
    env: Environment = request.app.state.templates
    html = env.get_template(template).render(
        data=data, user=getattr(request.state, "user", None),
        csrf=getattr(request.state, "csrf", None), read_only=request.app.state.read_only,
        request_path=request.url.path, **(context or {}),
    )
    return HTMLResponse(html, status_code=status_code)


def twin(router: APIRouter, path: str, **kwargs: Any) -> Callable[[Any], Any]:
    """Register a GET page at `path` and at its JSON twin `path + ".json"`."""
    def wrap(fn: Any) -> Any:
        # the twin first: "/records/{record_id}" would otherwise take "/records/r-1.json"
        twin_path = "/index.json" if path == "/" else path + ".json"
        router.get(twin_path, **kwargs)(fn)
        router.get(path, response_class=HTMLResponse, **kwargs)(fn)
        return fn
    return wrap
