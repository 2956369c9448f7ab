"""`armstrace.ingest.sources`: URLs, paths and refused schemes through one entry point."""

from __future__ import annotations

from pathlib import Path

import pytest

import armstrace.ingest
from armstrace.errors import BlockedURLError, InputError
from armstrace.ingest.fetch import Fetcher, FetchSettings, Validators
from armstrace.ingest.sources import estimate_total, read_sources, url_scheme
from armstrace.models import Document
from tests.ingest.conftest import LocalServer, static, with_etag

FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.parametrize(
    "value, scheme",
    [
        ("https://news.example/a", "https"),
        ("HTTP://news.example/", "http"),
        ("javascript:alert(1)", "javascript"),
        ("file:///etc/passwd", "file"),
        ("ftp://x.example/f", "ftp"),
        ("examples/", None),
        ("-", None),
        ("C:\\news\\a.html", None),
        (str(FIXTURES / "feeds" / "atom.xml"), None),
    ],
)
def test_url_scheme(value: str, scheme: str | None) -> None:
    assert url_scheme(value) == scheme


def test_refused_schemes_are_one_error_each_and_the_rest_is_read() -> None:
    items = list(
        read_sources(
            ["javascript:alert(1)", "file:///etc/passwd", str(FIXTURES / "feeds" / "atom.xml")]
        )
    )
    assert [type(i) for i in items] == [BlockedURLError, BlockedURLError, Document]
    assert "javascript: URLs are not read" in str(items[0])


def test_pages_feeds_and_opml_by_url(server: LocalServer) -> None:
    server.route("/page", static((FIXTURES / "html" / "normal.html").read_bytes()))
    server.route("/feed", static((FIXTURES / "feeds" / "atom.xml").read_bytes(), "text/xml"))
    server.route(
        "/list",
        static(
            f'<opml><body><outline xmlUrl="{server.base}/feed"/></body></opml>'.encode(),
            "text/x-opml",
        ),
    )
    server.route("/pdf", static(b"%PDF-1.4 \0\0\0", "application/pdf"))
    urls = [server.url(p) for p in ("/page", "/feed", "/list", "/pdf")]
    items = list(read_sources(urls, settings=FetchSettings(allow_private=True)))
    page, entry, listed, pdf = items
    assert isinstance(page, Document) and page.source_path is None
    assert page.url == "https://gazette.example.org/news/frigate-sale"
    assert isinstance(entry, Document) and isinstance(listed, Document)
    assert entry.id == listed.id == "tag:journal.example.net,2024:patrol-aircraft"
    assert isinstance(pdf, InputError)
    (refused,) = read_sources([server.url("/page")])  # the default policy: one error
    assert isinstance(refused, BlockedURLError)


def test_conditional_reads_yield_nothing_for_an_unchanged_feed(server: LocalServer) -> None:
    server.route("/feed", with_etag((FIXTURES / "feeds" / "atom.xml").read_bytes(), '"e1"'))
    cache: dict[str, Validators] = {}
    with Fetcher(FetchSettings(allow_private=True), cache=cache) as f:
        first = list(read_sources([server.url("/feed")], fetcher=f, conditional=True))
        second = list(read_sources([server.url("/feed")], fetcher=f, conditional=True))
    assert len(first) == 1 and second == []


def test_bundled_examples_read_without_error_and_the_estimate_is_exact() -> None:
    items = list(read_sources([str(EXAMPLES)]))
    assert not [i for i in items if isinstance(i, InputError)]
    kinds = {Path(i.source_path or "").suffix for i in items if isinstance(i, Document)}
    assert {".html", ".xml", ".jsonl", ".txt"} <= kinds
    assert estimate_total([str(EXAMPLES)]) == len(items)


def test_public_namespace() -> None:
    for name in armstrace.ingest.__all__:
        assert getattr(armstrace.ingest, name) is not None
    with pytest.raises(AttributeError):
        armstrace.ingest.no_such_thing  # noqa: B018
