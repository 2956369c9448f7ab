"""Sign in and out (see `armstrace.web.auth` for the rules)."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from armstrace.web import auth
from armstrace.web.passwords import hash_password, needs_rehash, verify_password
from armstrace.web.render import page

router = APIRouter(tags=["accounts"])


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never another host ("//evil", "https://…", "\\\\evil")."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/"
    return target


def _login_page(request: Request, *, error: str | None = None, status: int = 200,
                next_: str | None = None) -> Response:
    token = auth.new_token()
    response = page(request, "login.html", {"error": error, "next": _safe_next(next_),
                                            "login_csrf": token}, status_code=status)
    response.set_cookie(auth.LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict",
                        secure=request.url.scheme == "https", path="/login")
    return response


@router.get("/login", include_in_schema=False)
def login_form(request: Request, next: str | None = None) -> Response:
    if request.app.state.read_only:
        return RedirectResponse("/", status_code=303)
    return _login_page(request, next_=next)


@router.post("/login", include_in_schema=False)
async def login(request: Request, name: Annotated[str, Form()],
                password: Annotated[str, Form()],
                csrf_token: Annotated[str, Form()] = "",
                next: Annotated[str, Form()] = "/") -> Response:
    if request.app.state.read_only:
        raise HTTPException(403, "this server is read-only: there are no accounts")
    cookie = request.cookies.get(auth.LOGIN_CSRF_COOKIE, "")
    if not cookie or not hmac.compare_digest(cookie, csrf_token):
        raise HTTPException(403, "missing or wrong CSRF token: reload the page and try again")
    store = auth.store_of(request)
    ip = auth.client_ip(request)
    failures = await run_in_threadpool(store.login_failures, name, ip, auth.WINDOW)
    if failures >= auth.MAX_FAILURES:
        response = _login_page(request, error="too many failed sign-ins: wait 15 minutes",
                               status=429, next_=next)
        response.headers["Retry-After"] = str(int(auth.WINDOW.total_seconds()))
        return response
    found = await run_in_threadpool(store.user_hash, name)
    ok = await run_in_threadpool(verify_password, found[1] if found else None, password)
    if not ok or found is None:
        await run_in_threadpool(store.record_login_failure, name, ip)
        return _login_page(request, error="wrong user name or password", status=401,
                           next_=next)
    user, stored_hash = found
    await run_in_threadpool(store.clear_login_failures, name, ip)
    if needs_rehash(stored_hash):
        await run_in_threadpool(store.set_password_hash, user.id, hash_password(password))
    token, csrf = auth.new_token(), auth.new_token()
    await run_in_threadpool(store.create_session, user.id, token, csrf, auth.SESSION_TTL)
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(auth.SESSION_COOKIE, token, httponly=True, samesite="lax",
                        secure=request.url.scheme == "https",
                        max_age=int(auth.SESSION_TTL.total_seconds()), path="/")
    response.delete_cookie(auth.LOGIN_CSRF_COOKIE, path="/login")
    return response


@router.post("/logout", include_in_schema=False)
async def logout(request: Request, csrf_token: Annotated[str, Form()] = "") -> Response:
    auth.require_user(request)
    auth.check_csrf(request, csrf_token)
    token = getattr(request.state, "session_token", None)
    if token:
        await run_in_threadpool(auth.store_of(request).delete_session, token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(auth.SESSION_COOKIE, path="/")
    return response
