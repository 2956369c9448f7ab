"""Who is asking, and may they do it: sessions, roles, CSRF and login rate limiting.

* Sessions are server-side: the cookie holds a random token (`secrets.token_urlsafe(32)`),
  the store only its sha256. The cookie is HttpOnly and SameSite=Lax (Secure over https).
* Every state-changing request must carry the session's CSRF token, in the form field
  `csrf_token` or the `X-CSRF-Token` header. The login form, which has no session yet, uses a
  double-submit cookie instead.
* Login is limited to `MAX_FAILURES` failures per user name and client address within
  `WINDOW`; the next attempt gets 429 until the window has passed.
* In read-only mode there are no accounts: everyone browses, and every write is refused.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import timedelta
from typing import Final

from fastapi import HTTPException, Request

from armstrace.store import Store
from armstrace.store.accounts import User

SESSION_COOKIE: Final = "armstrace_session"
LOGIN_CSRF_COOKIE: Final = "armstrace_login_csrf"
SESSION_TTL: Final = timedelta(hours=12)
MAX_FAILURES: Final = 5
WINDOW: Final = timedelta(minutes=15)
ANONYMOUS: Final = User(0, "anonymous", "viewer")


class LoginRequired(Exception):
    """Raised for a page that needs an account when there is no live session."""


def new_token() -> str:
    return secrets.token_urlsafe(32)


def store_of(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def load_user(request: Request) -> None:
    """Set `request.state.user` / `.csrf` from the session cookie (anonymous in read-only)."""
    request.state.user = None
    request.state.csrf = None
    if request.app.state.read_only:
        request.state.user = ANONYMOUS
        return
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        info = store_of(request).get_session(token)
        if info is not None:
            request.state.user = info.user
            request.state.csrf = info.csrf
            request.state.session_token = token


def require_user(request: Request) -> User:
    """The signed-in user (any role); LoginRequired otherwise. A dependency of every page."""
    load_user(request)
    user: User | None = request.state.user
    if user is None:
        raise LoginRequired
    return user


def check_csrf(request: Request, sent: str | None) -> None:
    expected = getattr(request.state, "csrf", None)
    sent = sent or request.headers.get("x-csrf-token")
    if not expected or not sent or not hmac.compare_digest(expected, sent):
        raise HTTPException(403, "missing or wrong CSRF token: reload the page and try again")


def require_writer(request: Request, csrf_token: str | None) -> User:
    """The signed-in analyst or admin, with a valid CSRF token: or 403 (401 without login)."""
    if request.app.state.read_only:
        raise HTTPException(403, "this server is read-only: changes are refused")
    user = require_user(request)
    check_csrf(request, csrf_token)
    if not user.can_review:
        raise HTTPException(403, f"role {user.role!r} may not change claims")
    return user
