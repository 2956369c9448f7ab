"""A local HTTP server for the fetch, feed and source tests: no test touches the internet.

`server.route(path, handler)` serves `handler(request)` at `path`; the helpers below build the
handlers the tests need (a static body, a redirect, a server that fails first, one that
trickles forever). Every request is recorded in `server.requests` as (path, headers).
The server listens on 127.0.0.1, which the fetcher refuses by default: tests that want to
reach it pass `allow_private=True` (or an allowed network).
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).parent / "fixtures"

Handler = Callable[[BaseHTTPRequestHandler], None]


class LocalServer:
    def __init__(self) -> None:
        self.routes: dict[str, Handler] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.stop = threading.Event()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    def route(self, path: str, handler: Handler) -> None:
        self.routes[path] = handler

    def hits(self, path: str) -> int:
        return sum(1 for p, _ in self.requests if p == path)

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Request(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # the name http.server dispatches GET to
                server.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
                handler = server.routes.get(self.path)
                if handler is None:
                    self.send_error(404)
                    return
                # the client may give up on us, as the tests intend
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    handler(self)

            def log_message(self, *args: Any) -> None:
                pass

        return Request


def static(
    body: bytes,
    ctype: str = "text/html; charset=utf-8",
    status: int = 200,
    headers: dict[str, str] | None = None,
    length: bool = True,
) -> Handler:
    def handle(req: BaseHTTPRequestHandler) -> None:
        req.send_response(status)
        req.send_header("Content-Type", ctype)
        for k, v in (headers or {}).items():
            req.send_header(k, v)
        if length:
            req.send_header("Content-Length", str(len(body)))
        req.end_headers()
        req.wfile.write(body)

    return handle


def redirect(location: str, status: int = 302) -> Handler:
    def handle(req: BaseHTTPRequestHandler) -> None:
        req.send_response(status)
        req.send_header("Location", location)
        req.send_header("Content-Length", "0")
        req.end_headers()

    return handle


def failing_first(n: int, then: Handler, status: int = 500) -> Handler:
    calls = {"n": 0}

    def handle(req: BaseHTTPRequestHandler) -> None:
        calls["n"] += 1
        if calls["n"] <= n:
            req.send_error(status)
            return
        then(req)

    return handle


def with_etag(body: bytes, etag: str, ctype: str = "application/rss+xml") -> Handler:
    def handle(req: BaseHTTPRequestHandler) -> None:
        if req.headers.get("If-None-Match") == etag:
            req.send_response(304)
            req.send_header("ETag", etag)
            req.end_headers()
            return
        static(body, ctype, headers={"ETag": etag})(req)

    return handle


def trickle(stop: threading.Event, every: float = 0.05, headers_too: bool = False) -> Handler:
    """Claims a large body, then sends one byte every `every` seconds until the client leaves
    (or the server stops): never silent long enough for a read timeout."""

    def handle(req: BaseHTTPRequestHandler) -> None:
        if headers_too:  # not even the status line completes
            for _ in range(2000):
                if stop.is_set():
                    return
                req.wfile.write(b"H")
                req.wfile.flush()
                time.sleep(every)
            return
        req.send_response(200)
        req.send_header("Content-Type", "text/html")
        req.send_header("Content-Length", "1000000")
        req.end_headers()
        for _ in range(2000):
            if stop.is_set():
                return
            req.wfile.write(b"x")
            req.wfile.flush()
            time.sleep(every)

    return handle


def silent(stop: threading.Event) -> Handler:
    """Accepts the request and never answers."""

    def handle(req: BaseHTTPRequestHandler) -> None:
        stop.wait(20)

    return handle


@pytest.fixture
def server() -> Iterator[LocalServer]:
    s = LocalServer()
    thread = threading.Thread(
        target=s.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    yield s
    s.stop.set()
    s.httpd.shutdown()
    s.httpd.server_close()


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES
