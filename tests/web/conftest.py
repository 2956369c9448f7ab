"""Fixtures of the web tests: a real store (SQLite, and PostgreSQL when
$ARMSTRACE_TEST_POSTGRES_URL is set) filled by ingesting the fixture articles and an XSS
article with the real pipeline, users of every role, and a TestClient over the real app."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from armstrace.ingest.service import ingest
from armstrace.store import open_store
from armstrace.web import create_app
from armstrace.web.passwords import hash_password
from tests.store.backends import BACKENDS, new_db_url

FIXTURES = Path(__file__).parent / "fixtures"
PASSWORD = "correct horse battery"
PAYLOADS = [p for p in (FIXTURES / "xss_payloads.txt").read_text().splitlines() if p.strip()]
_HASH = hash_password(PASSWORD)


def xss_article() -> dict[str, str]:
    """An article whose title, URL and text carry every payload, around a real claim."""
    body = " ".join(PAYLOADS)
    return {"id": "xss-1", "title": "<script>alert('title')</script>" + PAYLOADS[2],
            "outlet": "<img src=x onerror=alert(2)>", "date": "2024-07-01",
            "url": "javascript:alert(document.cookie)",
            "text": body + "\nNorth Korea has shipped over 10,000 artillery shells to Russia, "
                           "officials in Seoul said on Monday.\n" + body}


def fill(url: str, folder: Path) -> None:
    src = folder / "in.jsonl"
    lines = (FIXTURES / "articles.jsonl").read_text().splitlines()
    src.write_text("\n".join([*lines, json.dumps(xss_article())]) + "\n")
    with open_store(url) as store:
        summary = ingest([str(src)], store)
        assert summary.failed == 0, summary
        for role in ("viewer", "analyst", "admin"):
            store.add_user(role, _HASH, role)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One filled SQLite file per run; each test gets its own copy (ingest is the slow part)."""
    folder = tmp_path_factory.mktemp("web-template")
    fill(f"sqlite:///{folder / 'template.db'}", folder)
    return folder / "template.db"


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        shutil.copy(request.getfixturevalue("sqlite_template"), tmp_path / "web.db")
        yield f"sqlite:///{tmp_path / 'web.db'}"
        return
    for url in new_db_url(request.param, tmp_path):
        fill(url, tmp_path)
        yield url


@pytest.fixture
def app_client(db_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(db_url)) as client:
        yield client


@pytest.fixture
def ro_client(db_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(db_url, read_only=True)) as client:
        yield client


_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def login(client: TestClient, name: str, password: str = PASSWORD) -> int:
    """Sign in through the form (fetching its CSRF token first); returns the status."""
    form = client.get("/login")
    m = _CSRF.search(form.text)
    assert m, "login form without a CSRF token"
    r = client.post("/login", data={"name": name, "password": password,
                                    "csrf_token": m.group(1), "next": "/"},
                    follow_redirects=False)
    return r.status_code


def csrf_of(client: TestClient, path: str = "/") -> str:
    m = _CSRF.search(client.get(path).text)
    assert m, f"no CSRF token on {path}"
    return m.group(1)


@pytest.fixture
def analyst(app_client: TestClient) -> TestClient:
    assert login(app_client, "analyst") == 303
    return app_client


@pytest.fixture
def analyst_sqlite(sqlite_template: Path, tmp_path: Path) -> Iterator[TestClient]:
    """An analyst's client on SQLite only, for the widely parametrized tests (the backends'
    parity is covered by the tests that take `analyst`)."""
    shutil.copy(sqlite_template, tmp_path / "web.db")
    with TestClient(create_app(f"sqlite:///{tmp_path / 'web.db'}")) as client:
        assert login(client, "analyst") == 303
        yield client
