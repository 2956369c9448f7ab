"""Accounts and safety: login and logout, rate limiting, login CSRF, session cookie flags, and
an XSS payload corpus through article text, title, URL, outlet and notes."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import PASSWORD, PAYLOADS, csrf_of, login
from tests.web.html import parse

#: attributes that run script, and URL attributes that must never carry javascript:/data:
_URL_ATTRS = ("href", "src", "action", "formaction", "data", "xlink:href")
_BAD_URL = re.compile(r"^\s*(javascript|data|vbscript):", re.I)
_DANGEROUS_TAGS = {"iframe", "object", "embed", "svg", "math", "base", "meta", "img",
                   "details", "body"}


def test_login_logout(app_client: TestClient) -> None:
    assert login(app_client, "admin", "wrong password") == 401
    assert login(app_client, "admin") == 303
    cookie = next(c for c in app_client.cookies.jar if c.name == "armstrace_session")
    assert cookie.has_nonstandard_attr("HttpOnly")
    r = app_client.get("/")
    assert r.status_code == 200 and "admin" in parse(r.text).find_class("who")[0].text_content()
    r = app_client.post("/logout", data={"csrf_token": csrf_of(app_client)},
                        follow_redirects=False)
    assert r.status_code == 303
    assert app_client.get("/index.json").status_code == 401


def test_session_cookie_is_samesite_lax(app_client: TestClient) -> None:
    form = app_client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)  # type: ignore[union-attr]
    r = app_client.post("/login", data={"name": "viewer", "password": PASSWORD,
                                        "csrf_token": token}, follow_redirects=False)
    header = r.headers["set-cookie"].lower()
    assert "armstrace_session=" in header and "httponly" in header and "samesite=lax" in header


def test_login_needs_its_csrf_token(app_client: TestClient) -> None:
    app_client.get("/login")
    r = app_client.post("/login", data={"name": "admin", "password": PASSWORD,
                                        "csrf_token": "forged"})
    assert r.status_code == 403


def test_login_rate_limit(app_client: TestClient) -> None:
    for _ in range(5):
        assert login(app_client, "analyst", "not it") == 401
    assert login(app_client, "analyst") == 429  # even the right password, inside the window
    assert login(app_client, "viewer") == 303  # other names are not locked out


def _inspect(html: str) -> list[str]:
    problems = []
    doc = parse(html)
    head_scripts = [s for s in doc.iter("script") if s.getparent().tag == "head"]
    scripts = [el for el in doc.iter("script") if el not in head_scripts]
    problems.extend(f"script in body: {el.text!r}" for el in scripts)
    for el in doc.xpath("//body//*"):  # the page's own <html>, <head> and <body> aside
        if not isinstance(el.tag, str):
            continue
        if el.tag == "script" and (el.text or "").strip():
            problems.append(f"inline script: {el.text!r}")
        if el.tag == "script" and el.get("src") != "/static/app.js":
            problems.append(f"foreign script {el.get('src')!r}")
        if el.tag in _DANGEROUS_TAGS:
            problems.append(f"element <{el.tag}>")
        for name, value in el.attrib.items():
            if name.lower().startswith("on"):
                problems.append(f"<{el.tag} {name}>")
            if name.lower() in _URL_ATTRS and _BAD_URL.match(value or ""):
                problems.append(f"<{el.tag} {name}={value!r}>")
            if name.lower() in ("autofocus", "style"):
                problems.append(f"<{el.tag} {name}>")
    return problems


def test_xss_corpus_never_executes(analyst: TestClient) -> None:
    data = analyst.get("/document.json", params={"id": "xss-1"}).json()
    cid = data["claims"][0]["claim_id"]
    payloads = PAYLOADS  # the same corpus as the article's
    for payload in payloads:
        r = analyst.post(f"/claims/{cid}/note", data={"note": payload,
                                                       "csrf_token": csrf_of(analyst)},
                         follow_redirects=False)
        assert r.status_code == 303
    rec = analyst.get(f"/claims/{cid}.json").json()["records"][0]
    pages = ["/", "/records", "/records?q=alert", f"/claims/{cid}", f"/records/{rec}",
             "/document?id=xss-1", "/actors/PRK"]
    for path in pages:
        r = analyst.get(path)
        assert r.status_code == 200, path
        assert _inspect(r.text) == [], path
    article = parse(analyst.get("/document", params={"id": "xss-1"}).text)
    assert article.get_element_by_id("text").text_content() == data["document"]["text"]
    assert article.get_element_by_id("title").text_content() == data["document"]["title"]
    assert article.get_element_by_id("url").tag == "span"  # javascript: URL is not a link
    notes = [b.text_content() for b in parse(analyst.get(f"/claims/{cid}").text)
             .find_class("note")]
    assert notes == payloads


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil"])
def test_login_redirect_stays_on_site(app_client: TestClient, target: str) -> None:
    form = app_client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)  # type: ignore[union-attr]
    r = app_client.post("/login", data={"name": "viewer", "password": PASSWORD,
                                        "csrf_token": token, "next": target},
                        follow_redirects=False)
    assert r.headers["location"] == "/"


def test_login_returns_to_the_page_with_its_query(app_client: TestClient) -> None:
    r = app_client.get("/document?id=w-001", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=/document%3Fid%3Dw-001"
    form = app_client.get(r.headers["location"])
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)  # type: ignore[union-attr]
    nxt = re.search(r'name="next" value="([^"]+)"', form.text).group(1)  # type: ignore[union-attr]
    r = app_client.post("/login", data={"name": "viewer", "password": PASSWORD,
                                        "csrf_token": token, "next": nxt},
                        follow_redirects=False)
    assert r.headers["location"] == "/document?id=w-001"


def test_xss_corpus_in_merge_and_split_notes(analyst_sqlite: TestClient) -> None:
    c = analyst_sqlite
    records = {r["item_category"]: r["record_id"] for r in c.get("/records.json").json()[
        "records"]}
    ammo, drones = records["ammunition"], records["loitering_munitions"]
    note = "\n".join(PAYLOADS)
    r = c.post("/records/merge", data={"record_id": [ammo, drones], "note": note,
                                       "csrf_token": csrf_of(c)}, follow_redirects=False)
    assert r.status_code == 303
    claim = c.get(f"/records/{ammo}.json").json()["claims"][0]["claim_id"]
    r = c.post(f"/records/{ammo}/split", data={"claim_id": str(claim), "note": note,
                                               "csrf_token": csrf_of(c)},
               follow_redirects=False)
    assert r.status_code == 303
    for path in (f"/records/{ammo}", r.headers["location"]):
        page = c.get(path)
        assert _inspect(page.text) == [], path
        notes = [b.text_content() for b in parse(page.text).xpath(
            '//ol[@class="record-audit"]//blockquote[@class="note"]')]
        assert note in notes, path
