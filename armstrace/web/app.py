"""The FastAPI application factory: one store, the page routers, security headers.

`create_app(store_url, read_only=False)` opens the store (migrating it), mounts the static
files and every router. Every response gets a strict Content-Security-Policy (no inline
script, no plugins, no framing), so even a payload that slipped past escaping could not run.
The OpenAPI document is served at /openapi.json; the interactive docs pages are off because
they load script from a CDN, which that policy forbids.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Final
from urllib.parse import quote

import anyio.to_thread
from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from armstrace.store import open_store
from armstrace.web.auth import LoginRequired
from armstrace.web.cache import AggregateCache
from armstrace.web.render import environment, page, wants_json
from armstrace.web.routes import accounts, browse, documents, exports, record_ops, review, views

CSP: Final = ("default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; "
              "frame-ancestors 'none'")
SECURITY_HEADERS: Final = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
STATIC = Path(__file__).parent / "static"


class SecurityHeaders:
    """Adds `SECURITY_HEADERS` to every HTTP response that does not set them itself.

    Plain ASGI rather than `@app.middleware("http")`: Starlette's BaseHTTPMiddleware runs
    each response through an extra task and memory stream, which costs about a millisecond a
    request, on every page.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _error(request: Request, status: int, message: str) -> Response:
    return page(request, "error.html", {"error": {"status": status, "message": message}},
                status_code=status)


WORKER_THREADS: Final = 8


def create_app(store_url: str | None = None, *, read_only: bool = False) -> FastAPI:
    """The web app over the store at `store_url` (see `armstrace.store.open_store`)."""
    store = open_store(store_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # page handlers are synchronous and run in worker threads; past a few, more threads
        # only contend for the interpreter lock and the store's connections, and an overloaded
        # server then answers fewer requests, not more (bench/serve.py --think 0)
        anyio.to_thread.current_default_thread_limiter().total_tokens = WORKER_THREADS
        yield
        store.close()

    app = FastAPI(title="armstrace", summary="Review arms-transfer claims and their evidence",
                  docs_url=None, redoc_url=None, lifespan=lifespan)
    app.state.store = store
    app.state.read_only = read_only
    app.state.templates = environment()
    app.state.aggregates = AggregateCache()

    app.add_middleware(SecurityHeaders)

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
    for module in (accounts, browse, views, documents, review, record_ops, exports):
        app.include_router(module.router)
    return app


def app_from_env() -> FastAPI:
    """The app over `$ARMSTRACE_DB`, read-only when `$ARMSTRACE_READ_ONLY` is 1: what each
    worker process of `armstrace serve --workers N` builds (uvicorn imports it by name)."""
    return create_app(os.environ.get("ARMSTRACE_DB"),
                      read_only=os.environ.get("ARMSTRACE_READ_ONLY") == "1")
