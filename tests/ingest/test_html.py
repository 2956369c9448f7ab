"""`armstrace.ingest.html`: a fixture per line of the tables below, and generated hostile pages."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from armstrace.errors import InputError
from armstrace.ingest.html import MAX_DEPTH, html_document

HTML = Path(__file__).parent / "fixtures" / "html"

# fixture → what the Document must hold (text: substrings that must be in it; not: must not)
CASES: dict[str, dict[str, Any]] = {
    "normal.html": {
        "title": "Frigate sale approved",
        "outlet": "Test Gazette",
        "author": "Ada Lindqvist",
        "date": "2024-09-18",
        "language": "en",
        "via": ("Coastal Wire",),
        "url": "https://gazette.example.org/news/frigate-sale",
        "text": ["two decommissioned frigates", "satisfied that the ships"],
        "not": ["Home", "Copyright"],
    },
    "cp1252-no-charset.html": {
        "title": "Navy takes delivery of patrol vessels",
        "date": None,
        "url": None,
        "text": ["“multi-role” patrol vessels — the first", "The café", "programme’s director"],
    },
    "sjis-labelled-utf8.html": {"language": "ja", "text": ["沿岸警備艇五隻", "南シナ海"]},
    "sjis-labelled-latin1.html": {"language": "ja", "text": ["沿岸警備艇五隻", "南シナ海"]},
    "sjis-declared.html": {"title": "沿岸警備艇の引き渡し", "text": ["象徴的な意味"]},
}
ERRORS = {
    "empty-body.html": "no article text found",
    "binary.html": "binary file (NUL bytes), not HTML",
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_fixture_pages(name: str) -> None:
    path = HTML / name
    doc = html_document(path.read_bytes(), str(path), doc_id=str(path), source_path=str(path))
    want = CASES[name]
    for needle in want.get("text", []):
        assert needle in doc.text
    for needle in want.get("not", []):
        assert needle not in doc.text
    for key in ("title", "outlet", "author", "date", "language", "url", "via"):
        if key in want:
            assert getattr(doc, key) == want[key], key
    assert doc.id == str(path) and doc.source_path == str(path)
    assert "\ufffd" not in doc.text  # no replacement characters: the encoding was right


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_fixture_pages_that_fail(name: str) -> None:
    path = HTML / name
    with pytest.raises(InputError, match=re.escape(ERRORS[name])) as e:
        html_document(path.read_bytes(), str(path))
    assert str(e.value).startswith(f"E100 {path}: ")


def _nested(depth: int) -> bytes:
    return (
        b"<html><body><p>An article paragraph long enough to count as text, about radars "
        b"and ships and the ministry that bought them.</p>"
        + b"<div>" * depth
        + b"<p>deep</p>"
        + b"</div>" * depth
        + b"</body></html>"
    )


@pytest.mark.parametrize("depth", [100_000, MAX_DEPTH + 5])
def test_deeply_nested_html_is_refused_quickly(depth: int) -> None:
    with pytest.raises(InputError, match=f"nested more than {MAX_DEPTH} levels deep"):
        html_document(_nested(depth), "deep.html")


def test_moderate_nesting_is_read() -> None:
    doc = html_document(_nested(60), "nested.html")
    assert "radars" in doc.text


def test_size_cap_and_url_fallbacks() -> None:
    raw = (HTML / "cp1252-no-charset.html").read_bytes()
    with pytest.raises(InputError, match="page too large"):
        html_document(raw, "p.html", max_bytes=100)
    doc = html_document(
        raw, "https://www.news.example/a", url="https://www.news.example/a", charset="windows-1252"
    )
    assert (doc.id, doc.url, doc.outlet) == (
        "https://www.news.example/a",
        "https://www.news.example/a",
        "news.example",
    )
