"""The FastAPI application factory: one store, the page routers, security headers.

`create_app(store_url, read_only=False)` opens the store (migrating it), mounts the static
files and every router. Every response gets a strict Content-Security-Policy (no inline
script, no plugins, no framing), so even a payload that slipped past escaping could not run.
The OpenAPI document is served at /openapi.json; the interactive docs pages are off because
they load script from a CDN, which that policy forbids.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Final
from urllib.parse import quote

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from armstrace.store import open_store
from armstrace.web.auth import LoginRequired
from armstrace.web.cache import AggregateCache
from armstrace.web.render import environment, page, wants_json
from armstrace.web.routes import accounts, browse, documents, exports, review, views

CSP: Final = ("default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; "
              "frame-ancestors 'none'")
SECURITY_HEADERS: Final = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
STATIC = Path(__file__).parent / "static"


def _error(request: Request, status: int, message: str) -> Response:
    return page(request, "error.html", {"error": {"status": status, "message": message}},
                status_code=status)


def create_app(store_url: str | None = None, *, read_only: bool = False) -> FastAPI:
    """The web app over the store at `store_url` (see `armstrace.store.open_store`)."""
    store = open_store(store_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()

    app = FastAPI(title="armstrace", summary="Review arms-transfer claims and their evidence",
                  docs_url=None, redoc_url=None, lifespan=lifespan)
    app.state.store = store
    app.state.read_only = read_only
    app.state.templates = environment()
    app.state.aggregates = AggregateCache()

    @app.middleware("http")
    async def security_headers(request: Request,
                               call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, _exc: LoginRequired) -> Response:
        if wants_json(request) or request.method != "GET":
            return _error(request, 401, "sign in first")
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='/')}", status_code=303)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        response = _error(request, exc.status_code, str(exc.detail))
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
        return response

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ()) if p not in ('query', 'body'))}: "
            f"{e.get('msg', 'invalid')}" for e in exc.errors())
        return _error(request, 422, problems or "invalid request")

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (accounts, browse, views, documents, review, exports):
        app.include_router(module.router)
    return app
