"""`armstrace.ingest.feeds`: RSS, Atom and OPML fixtures, hostile XML, teasers fetched."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from armstrace.errors import InputError
from armstrace.ingest.feeds import entry_id, feed_documents, opml_feed_urls, read_opml
from armstrace.ingest.fetch import Fetcher, FetchSettings
from armstrace.models import Document
from tests.ingest.conftest import LocalServer, static

FEEDS = Path(__file__).parent / "fixtures" / "feeds"

# fixture → one dict per entry (an "error" key: that entry is an InputError containing it)
CASES: dict[str, list[dict[str, Any]]] = {
    "rss2-content.xml": [
        {
            "id": "https://wire.example.org/news/helicopters",
            "title": "Helicopters delivered",
            "date": "2024-06-03T10:30:00Z",
            "outlet": "Test Wire",
            "author": "Ines Duarte",
            "language": "en",
            "text": "Two transport helicopters were delivered to the air force "
            "on Monday, the ministry said.\nThe aircraft will be based in the north.\n"
            "Training has already begun.",
        },
        {
            "id": "https://wire.example.org/news/radar",
            "text": "A radar contract was signed.",
            "date": None,
        },
    ],
    "atom.xml": [
        {
            "id": "tag:journal.example.net,2024:patrol-aircraft",
            "outlet": "Atom Test Journal",
            "language": "fr",
            "author": "Jules Marchand",
            "date": "2024-07-01T09:45:00Z",
            "url": "https://journal.example.net/2024/07/patrol-aircraft",
        },
    ],
    "rss091-doctype.xml": [{"title": "Mortars", "outlet": "Old Style"}],
    "broken-recoverable.xml": [{"title": "Tanks & trucks", "outlet": "Broken But Readable"}],
    "broken-truncated.xml": [{"error": "#1: entry has no text and no link"}],
    "not-a-feed.xml": [{"error": "not an RSS or Atom feed"}],
    "billion-laughs.xml": [{"error": "refused: the XML declares an entity 'lol'"}],
    "external-entity.xml": [{"error": "refused: the XML declares an entity 'secret'"}],
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_feed_fixtures(name: str) -> None:
    path = FEEDS / name
    items = list(feed_documents(path.read_bytes(), str(path), source_path=str(path)))
    assert len(items) == len(CASES[name])
    for item, want in zip(items, CASES[name], strict=True):
        if "error" in want:
            assert isinstance(item, InputError) and want["error"] in str(item)
            assert str(item).startswith(f"E100 {path}")
            continue
        assert isinstance(item, Document), item
        assert item.source_path == str(path)
        for key, value in want.items():
            assert getattr(item, key) == value, key


def test_hostile_xml_never_reaches_the_text() -> None:
    raw = (FEEDS / "external-entity.xml").read_bytes()
    assert not any(isinstance(d, Document) for d in feed_documents(raw, "x"))
    # a bomb hidden in broken XML (defusedxml cannot parse it) is refused all the same
    broken = b'oops<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]><rss><item>'
    (err,) = feed_documents(broken, "broken.xml")
    assert isinstance(err, InputError) and "in broken XML" in str(err)


def test_entry_ids_are_stable_and_local_guids_are_scoped_to_their_feed() -> None:
    a = entry_id({"id": "42", "title": "t"}, "https://a.example/feed")
    assert a == entry_id({"id": "42", "title": "other"}, "https://a.example/feed")
    assert a != entry_id({"id": "42"}, "https://b.example/feed")
    assert re.fullmatch(r"feed:[0-9a-f]{20}", a)
    assert entry_id({"id": "42", "link": "https://a.example/x"}, "k") == "https://a.example/x"


def offline(host: str, port: int) -> list[str]:
    raise OSError("tests never use the network")


TEASER_FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>Teasers</title>
<item><title>Radars</title><link>{base}/radars</link><description>Short.</description></item>
<item><title>Gone</title><link>{base}/gone</link><description>Short too.</description></item>
</channel></rss>"""


def test_teaser_entries_are_read_from_their_linked_page(server: LocalServer) -> None:
    page = (FEEDS.parent / "html" / "normal.html").read_bytes()
    server.route("/radars", static(page))
    raw = TEASER_FEED.format(base=server.base).encode()
    with Fetcher(FetchSettings(allow_private=True, retries=0)) as f:
        doc, err = feed_documents(raw, "teasers.xml", fetcher=f)
    assert isinstance(doc, Document) and "two decommissioned frigates" in doc.text
    assert (doc.id, doc.title, doc.outlet, doc.date) == (
        server.url("/radars"),
        "Radars",
        "Teasers",
        "2024-09-18",
    )
    assert isinstance(err, InputError)
    assert str(err).startswith("E100 teasers.xml#2: linked page:") and "HTTP 404" in str(err)
    offline = list(feed_documents(raw, "teasers.xml"))  # no fetcher: the summary is the text
    assert [d.text for d in offline if isinstance(d, Document)] == ["Short.", "Short too."]


def test_opml_lists_feeds_and_reads_each(server: LocalServer) -> None:
    raw = (FEEDS / "list.opml").read_bytes()
    assert opml_feed_urls(raw, "list.opml") == [
        "https://wire.example.org/feed.xml",
        "https://journal.example.net/atom.xml",
    ]
    server.route("/a.xml", static((FEEDS / "rss2-content.xml").read_bytes(), "application/rss+xml"))
    server.route("/b.xml", static((FEEDS / "atom.xml").read_bytes(), "application/atom+xml"))
    local = (
        f'<opml version="2.0"><body><outline xmlUrl="{server.base}/a.xml"/>'
        f'<outline xmlUrl="{server.base}/b.xml"/></body></opml>'
    ).encode()
    with Fetcher(FetchSettings(allow_private=True, retries=0), resolver=offline) as f:
        items = list(read_opml(local, "local.opml", f))
    assert [d.outlet for d in items if isinstance(d, Document)] == [
        "Test Wire",
        "Atom Test Journal",
    ]
    # the teaser entry links to a page on a host these offline tests cannot resolve
    (err,) = [e for e in items if isinstance(e, InputError)]
    assert "a.xml#2: linked page:" in str(err) and "cannot resolve" in str(err)
    with pytest.raises(InputError, match="not OPML"):
        opml_feed_urls(b"<rss/>", "x.opml")
