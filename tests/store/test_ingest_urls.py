"""Ingesting pages and feeds over HTTP from a local server (never the internet), on both
backends: page metadata reaches the store, and `conditional=True` (watch) re-downloads nothing
while a feed is unchanged, but everything once a feed entry failed to store."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from armstrace.ingest.service import ingest
from armstrace.store import Store
from tests.store.helpers import fake_extract

PARAS = [
    "North Korea shipped 500 artillery shells to Russia in March, according to officials in "
    "Seoul who spoke to reporters on Tuesday about the latest intelligence assessment.",
    "The shipments travelled by rail through the Tumangang crossing, the officials said, adding "
    "that more trains had been seen loading containers at the port of Rajin over the weekend.",
    "Moscow has denied receiving any weapons from Pyongyang, and the Kremlin declined to comment "
    "further when asked about the satellite images published by researchers last month.",
]

PAGE = (
    "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
    "<title>Shells by rail | Example Wire</title>"
    "<meta property='og:site_name' content='Example Wire'>"
    "<meta property='article:published_time' content='2024-03-05'>"
    "<link rel='canonical' href='{base}/news/shells'></head><body>"
    "<nav><a href='/'>Home</a></nav><article><h1>Shells by rail</h1>"
    + "".join(f"<p>{p}</p>" for p in PARAS)
    + "</article><footer>Copyright Example Wire</footer></body></html>"
)

FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Example Wire</title><link>{base}/</link>
<language>en</language>
<item><title>Shells by rail</title><link>{base}/news/shells</link>
<guid>{base}/news/shells</guid><pubDate>Tue, 05 Mar 2024 10:00:00 GMT</pubDate>
<description>A teaser only.</description></item>
<item><title>Drones to Russia</title><link>{base}/news/drones</link>
<guid>{base}/news/drones</guid><pubDate>Wed, 06 Mar 2024 10:00:00 GMT</pubDate>
<content:encoded xmlns:content="http://purl.org/rss/1.0/modules/content/"><![CDATA[
<p>Iran shipped 40 drones to Russia, officials said. {filler}</p>]]></content:encoded></item>
</channel></rss>"""


class Site:
    """A tiny web site: path → (content type, body); counts full (200) responses per path."""

    def __init__(self) -> None:
        self.pages: dict[str, tuple[str, bytes]] = {}
        self.hits: dict[str, int] = {}
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # http.server's name for the GET handler
                if self.path not in site.pages:
                    self.send_error(404)
                    return
                ctype, body = site.pages[self.path]
                etag = f'"{hash(body) & 0xFFFFFFFF:x}"'
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.end_headers()
                    return
                site.hits[self.path] = site.hits.get(self.path, 0) + 1
                self.send_response(200)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("ETag", etag)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        return Handler

    def publish(self, filler: str = "") -> None:
        page = PAGE.format(base=self.base).encode()
        self.pages["/news/shells"] = ("text/html; charset=utf-8", page)
        feed = FEED.format(base=self.base, filler=filler or " ".join(PARAS))
        self.pages["/feed.xml"] = ("application/rss+xml", feed.encode())


@pytest.fixture
def site() -> Iterator[Site]:
    s = Site()
    s.publish()
    thread = threading.Thread(target=s.server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield s
    s.server.shutdown()
    s.server.server_close()


def test_a_page_url_is_fetched_read_and_stored(store: Store, site: Site) -> None:
    url = f"{site.base}/news/shells"
    s = ingest([url], store, pipeline=fake_extract, allow_private=True)
    assert (s.new, s.failed, s.claims) == (1, 0, 1), s.errors
    (doc,) = [d.to_export_dict() for d in store.iter_documents()]
    assert doc["url"] == url and doc["source_path"] is None
    assert doc["title"] == "Shells by rail" and doc["outlet"] == "Example Wire"
    assert doc["date"] == "2024-03-05" and doc["language"] == "en"
    assert "Tumangang" in doc["text"] and "Copyright" not in doc["text"]


def test_private_addresses_are_refused_unless_allowed(store: Store, site: Site) -> None:
    s = ingest([f"{site.base}/news/shells"], store, pipeline=fake_extract)
    assert (s.new, s.failed) == (0, 1)
    assert s.errors[0].startswith("E111 ") and store.counts()["documents"] == 0


def test_watching_a_feed_fetches_nothing_while_it_is_unchanged(store: Store, site: Site) -> None:
    feed = f"{site.base}/feed.xml"

    def poll() -> tuple[int, int, int]:
        s = ingest([feed], store, pipeline=fake_extract, allow_private=True, conditional=True)
        assert s.failed == 0, s.errors
        return s.new, s.duplicate, s.updated

    assert poll() == (2, 0, 0)  # a full-content entry, and a teaser read from its page
    assert site.hits == {"/feed.xml": 1, "/news/shells": 1}
    assert poll() == (0, 0, 0)  # 304: the feed was not downloaded again
    assert site.hits == {"/feed.xml": 1, "/news/shells": 1}
    site.publish(filler="Updated: Belarus shipped 7 tanks to Russia. " + " ".join(PARAS))
    assert poll() == (0, 1, 1)  # the changed entry is a new version, the other a duplicate
    assert store.get_cache(feed) is not None


def test_validators_are_not_kept_when_an_entry_failed(store: Store, site: Site) -> None:
    feed = f"{site.base}/feed.xml"
    del site.pages["/news/shells"]  # the teaser's page is gone: that entry fails
    s = ingest([feed], store, pipeline=fake_extract, allow_private=True, conditional=True)
    assert (s.new, s.failed) == (1, 1)
    assert "linked page" in s.errors[0]
    assert store.get_cache(feed) is None  # so the next poll downloads the feed again
    site.publish()
    s = ingest([feed], store, pipeline=fake_extract, allow_private=True, conditional=True)
    assert (s.new, s.duplicate, s.failed) == (1, 1, 0)
    assert site.hits["/feed.xml"] == 2
