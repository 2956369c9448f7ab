"""Read RSS and Atom feeds (and OPML lists of feeds) into Documents, one per entry.

An entry's text is its full content when the feed carries it (`content:encoded`, Atom
`<content>`) and that content is longer than the summary or article-length; otherwise the
entry is a teaser, and the linked page is fetched and read with the HTML reader. Without a
fetcher (reading a feed file offline) a teaser entry keeps the text the feed gives.

Every byte passes `safexml` before feedparser sees it (no entity declarations), and feedparser
only ever gets a byte stream, never a string: handed a string, it would fetch URLs and open
local files named by the input itself.

Entry ids are stable across polls, so re-reading a feed finds the same documents: the entry's
guid when it is globally unique (a URL, `urn:`, `tag:`), else its link, else a hash of the
feed and the guid or title, prefixed "feed:".
"""

from __future__ import annotations

import calendar
import hashlib
import io
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import feedparser

from armstrace.errors import FetchError, InputError
from armstrace.ingest.fetch import read_fetched
from armstrace.ingest.html import html_document
from armstrace.ingest.htmltext import html_to_text
from armstrace.ingest.limits import DEFAULT_MAX_BYTES
from armstrace.ingest.republication import parse_via
from armstrace.ingest.safexml import safe_parse
from armstrace.models import Document

if TYPE_CHECKING:
    from armstrace.ingest.fetch import Fetcher

#: content at least this long is an article even when it is no longer than the summary
#: (Atom feeds that give only <content> have feedparser copy it into the summary)
FULL_CONTENT_CHARS = 300
FEED_MEDIA_TYPES = frozenset({
    "application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml",
    "text/xml", "application/x-rss+xml", "text/rss+xml",
})
OPML_MEDIA_TYPES = frozenset({"text/x-opml", "application/x-opml", "text/x-opml+xml"})
FEED_ACCEPT = ("application/rss+xml, application/atom+xml, application/xml;q=0.9, "
               "text/xml;q=0.9, */*;q=0.5")
_GLOBAL_ID = ("http://", "https://", "urn:", "tag:")


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _iso(parsed: Any) -> str | None:
    """feedparser's UTC struct_time as ISO 8601 ("2024-03-01T10:00:00Z")."""
    if not isinstance(parsed, time.struct_time):
        return None
    try:
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(calendar.timegm(parsed)))
    except (OverflowError, ValueError):
        return None


def _language(value: Any) -> str | None:
    text = _text(value)
    primary = text.replace("_", "-").split("-", 1)[0].lower()
    return primary if 2 <= len(primary) <= 3 and primary.isalpha() else None


def entry_id(entry: Any, feed_key: str) -> str:
    """A stable id for an entry (see the module docstring)."""
    guid, link = _text(entry.get("id")), _text(entry.get("link"))
    if guid.startswith(_GLOBAL_ID):
        return guid
    if link.startswith(("http://", "https://")):
        return link
    basis = guid or _text(entry.get("title")) or _text(entry.get("summary"))
    return "feed:" + hashlib.sha256(f"{feed_key}\n{basis}".encode()).hexdigest()[:20]


def _author(entry: Any) -> str | None:
    """The author's name: RSS gives "email (Name)", which feedparser splits for us."""
    detail = entry.get("author_detail") or {}
    name = _text(detail.get("name")) or _text(entry.get("author"))
    return name or None


def _content_text(entry: Any) -> str:
    texts = [html_to_text(_text(c.get("value"))) for c in entry.get("content") or []]
    return max(texts, key=len, default="")


def _linked_page(link: str, fetcher: Fetcher, where: str, max_bytes: int) -> Document:
    try:
        got = fetcher.get(link, accept="text/html,application/xhtml+xml;q=0.9,*/*;q=0.5")
    except FetchError as e:
        raise InputError(f"{where}: linked page: {e.args[0]}") from e
    return html_document(got.content, got.url, url=got.url, charset=got.charset,
                         max_bytes=max_bytes)


def _entry_document(entry: Any, n: int, ctx: _FeedContext) -> Document:
    where = f"{ctx.where}#{n}"
    link = _text(entry.get("link")) or None
    title = html_to_text(_text(entry.get("title"))) or None
    summary = html_to_text(_text(entry.get("summary")))
    content = _content_text(entry)
    full = bool(content) and (len(content) > len(summary) or len(content) >= FULL_CONTENT_CHARS)
    page: Document | None = None
    if full:
        text = content
    elif link and ctx.fetcher is not None:
        page = _linked_page(link, ctx.fetcher, where, ctx.max_bytes)
        text = page.text
    else:
        text = content if len(content) >= len(summary) else summary
    if not text:
        raise InputError(f"{where}: entry has no text" + ("" if link else " and no link"))
    author = _author(entry) or (page.author if page else None)
    date = (_iso(entry.get("published_parsed")) or _iso(entry.get("updated_parsed"))
            or (page.date if page else None))
    outlet = ctx.outlet or (page.outlet if page else None) or _host(link)
    return Document(
        id=entry_id(entry, ctx.key),
        text=text,
        title=title or (page.title if page else None),
        url=link or (page.url if page else None),
        date=date,
        outlet=outlet,
        language=ctx.language or (page.language if page else None),
        author=author or None,
        source_path=ctx.source_path,
        via=parse_via(text, outlet),
    )


def _host(url: str | None) -> str | None:
    host = urlsplit(url).hostname if url else None
    return host.removeprefix("www.") if host else None


class _FeedContext:
    __slots__ = ("fetcher", "key", "language", "max_bytes", "outlet", "source_path", "where")

    def __init__(self, where: str, key: str, outlet: str | None, language: str | None,
                 fetcher: Fetcher | None, source_path: str | None, max_bytes: int) -> None:
        self.where, self.key, self.outlet, self.language = where, key, outlet, language
        self.fetcher, self.source_path, self.max_bytes = fetcher, source_path, max_bytes


def feed_documents(
    raw: bytes,
    where: str,
    *,
    feed_url: str | None = None,
    fetcher: Fetcher | None = None,
    source_path: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[Document | InputError]:
    """One Document per entry of the RSS/Atom feed in `raw`, or an InputError per bad entry
    (or one for the whole feed when it is refused or unreadable)."""
    if len(raw) > max_bytes:
        yield InputError(f"{where}: feed too large ({len(raw):,} bytes > limit {max_bytes:,})")
        return
    try:
        safe_parse(raw, where)
    except InputError as e:
        yield e
        return
    headers = {"content-location": feed_url} if feed_url else {}
    parsed = feedparser.parse(io.BytesIO(raw), response_headers=headers,
                              resolve_relative_uris=True, sanitize_html=True)
    entries = list(parsed.get("entries") or [])
    if not entries:
        if not parsed.get("version"):
            problem = parsed.get("bozo_exception")
            detail = f" ({problem})" if problem else ""
            yield InputError(f"{where}: not an RSS or Atom feed{detail}")
        return  # a valid feed with no entries is simply empty
    feed = parsed.get("feed") or {}
    ctx = _FeedContext(
        where=where,
        key=feed_url or _text(feed.get("link")) or where,
        outlet=html_to_text(_text(feed.get("title"))) or _host(_text(feed.get("link")) or feed_url),
        language=_language(feed.get("language")),
        fetcher=fetcher,
        source_path=source_path,
        max_bytes=max_bytes,
    )
    for n, entry in enumerate(entries, 1):
        try:
            yield _entry_document(entry, n, ctx)
        except InputError as e:
            yield e


def opml_feed_urls(raw: bytes, where: str) -> list[str]:
    """The feed URLs (`xmlUrl`) an OPML file lists, in order, without repeats."""
    root = safe_parse(raw, where)
    if root is None:
        raise InputError(f"{where}: not valid OPML (malformed XML)")
    if root.tag.lower() != "opml":
        raise InputError(f"{where}: not OPML (root element <{root.tag}>)")
    urls: list[str] = []
    for outline in root.iter("outline"):
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        if url and url not in urls:
            urls.append(url)
    return urls


def read_feed_url(
    url: str, fetcher: Fetcher, *, conditional: bool = True, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[Document | InputError]:
    """Entries of the feed at `url`; nothing when the server says it has not changed (304)."""
    return read_fetched(
        fetcher, url,
        lambda got: feed_documents(got.content, url, feed_url=got.url, fetcher=fetcher,
                                   max_bytes=max_bytes),
        conditional=conditional, accept=FEED_ACCEPT,
    )


def read_opml(
    raw: bytes, where: str, fetcher: Fetcher | None, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[Document | InputError]:
    """Entries of every feed an OPML file lists (fetching needs a fetcher)."""
    try:
        urls = opml_feed_urls(raw, where)
    except InputError as e:
        yield e
        return
    if not urls:
        yield InputError(f"{where}: OPML lists no feeds (no outline with xmlUrl)")
        return
    if fetcher is None:
        yield InputError(f"{where}: lists {len(urls)} feeds; reading them needs network access "
                         "(use `armstrace ingest`)")
        return
    for url in urls:
        yield from read_feed_url(url, fetcher, max_bytes=max_bytes)
