"""One entry point for everything `armstrace ingest` accepts: paths, folders, "-", URLs, feeds.

Each argument is a URL when it starts with a scheme ("https://...", "javascript:...") and no
such file exists; only http and https are fetched, any other scheme is one refused input. A
fetched body is read by what the server says it is (Content-Type), checked against what it
looks like: an HTML page, an RSS/Atom feed (its entries, with linked pages fetched for teaser
entries) or an OPML list (every feed in it). Everything else is a file or folder (`files.py`).

With `conditional=True` (what `armstrace watch` uses) URLs are fetched with conditional GET:
with validators kept from the last run, a feed or page that has not changed costs one 304 and
yields nothing. `StoreValidators` keeps those validators in the store, and only once everything
a body held has been stored (`commit`), so a crash never makes a feed look already read.

The ingest service calls `is_url`, `estimate_total`, `make_fetcher`, `StoreValidators` and
`read_input`; library users may prefer `read_sources`, which does all of it for a list.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, MutableMapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from armstrace.errors import BlockedURLError, InputError
from armstrace.ingest.feeds import (
    FEED_MEDIA_TYPES,
    OPML_MEDIA_TYPES,
    feed_documents,
    read_opml,
)
from armstrace.ingest.fetch import Fetcher, FetchResult, FetchSettings, Validators, read_fetched
from armstrace.ingest.files import folder_files, kind_of, read_paths, sniff
from armstrace.ingest.html import html_document
from armstrace.ingest.limits import DEFAULT_MAX_BYTES
from armstrace.models import Document

if TYPE_CHECKING:
    from armstrace.store.repository import Store

HTML_MEDIA_TYPES = frozenset({"text/html", "application/xhtml+xml"})
ACCEPT = ("text/html, application/xhtml+xml, application/rss+xml, application/atom+xml, "
          "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_FEED_ENTRY = re.compile(rb"<(?:item|entry)[\s>]")


def is_url(value: str) -> bool:
    """True for an http(s) URL (what `read_input` fetches)."""
    return url_scheme(value) in ("http", "https")


def url_scheme(value: str) -> str | None:
    """The scheme when `value` is meant as a URL ("https", "javascript"), else None. A Windows
    drive ("C:") and a name of an existing file are paths."""
    m = _SCHEME.match(value)
    if not m or len(m.group(1)) == 1 or Path(value).exists():
        return None
    return m.group(1).lower()


def _kind(content_type: str | None, body: bytes) -> str:
    sniffed = sniff(body)
    if content_type in OPML_MEDIA_TYPES or sniffed == "opml":
        return "opml"
    if sniffed == "feed" or (content_type in FEED_MEDIA_TYPES and sniffed != "html"):
        return "feed"
    if content_type in HTML_MEDIA_TYPES or sniffed in ("html", "xml", "text"):
        return "html"
    return sniffed


def read_url(
    url: str, fetcher: Fetcher, *, conditional: bool = False, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[Document | InputError]:
    """Documents at an http(s) URL: a page, a feed's entries, or an OPML list's feeds."""

    def read(got: FetchResult) -> Iterator[Document | InputError]:
        kind = _kind(got.content_type, got.content)
        if kind == "opml":
            yield from read_opml(got.content, url, fetcher, max_bytes=max_bytes)
        elif kind == "feed":
            yield from feed_documents(got.content, url, feed_url=got.url, fetcher=fetcher,
                                      max_bytes=max_bytes)
        elif kind == "html":
            try:
                yield html_document(got.content, url, url=got.url, charset=got.charset,
                                    max_bytes=max_bytes)
            except InputError as e:
                yield e
        else:
            yield InputError(
                f"{url}: {got.content_type or 'unknown content'} is not a page or feed"
            )

    return read_fetched(fetcher, url, read, conditional=conditional, accept=ACCEPT)


def read_input(
    source: str,
    fetcher: Fetcher,
    *,
    conditional: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
) -> Iterator[Document | InputError]:
    """Documents from one argument: an http(s) URL, a path, a folder or "-"."""
    scheme = url_scheme(source)
    if scheme in ("http", "https"):
        yield from read_url(source, fetcher, conditional=conditional, max_bytes=max_bytes)
    elif scheme is not None:
        yield BlockedURLError(f"{source}: refused: {scheme}: URLs are not read (only http/https)")
    else:
        yield from read_paths([source], max_bytes, include=include, exclude=exclude,
                              fetcher=fetcher)


def read_sources(
    items: Iterable[str],
    *,
    fetcher: Fetcher | None = None,
    settings: FetchSettings | None = None,
    conditional: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
) -> Iterator[Document | InputError]:
    """Documents (or one InputError per bad input) from every argument, in order.

    Pass a `fetcher` to share its conditional-GET cache across calls; otherwise one is made
    from `settings` (e.g. `FetchSettings(allow_private=True)`) and closed at the end.
    """
    own = fetcher is None
    client = fetcher or Fetcher(settings or FetchSettings(max_bytes=max_bytes))
    try:
        for item in items:
            yield from read_input(item, client, conditional=conditional, max_bytes=max_bytes,
                                  include=include, exclude=exclude)
    finally:
        if own:
            client.close()


def make_fetcher(
    *,
    allow_private: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    cache: MutableMapping[str, Validators] | None = None,
) -> Fetcher:
    """The ingest service's HTTP client: default limits, this size cap, this cache."""
    return Fetcher(FetchSettings(allow_private=allow_private, max_bytes=max_bytes), cache=cache)


class StoreValidators(MutableMapping[str, Validators]):
    """The fetcher's conditional-GET cache, kept in the store (its fetch cache table).

    Reads come from the store; writes wait in memory until `commit()`, which the service calls
    once every document of the body they describe is stored, or `discard()` when one failed.
    """

    def __init__(self, store: Store) -> None:
        self._store = store
        self._pending: dict[str, Validators] = {}

    def __getitem__(self, url: str) -> Validators:
        if url in self._pending:
            return self._pending[url]
        entry = self._store.get_cache(url)
        if entry is None:
            raise KeyError(url)
        return Validators(entry.etag, entry.last_modified)

    def __setitem__(self, url: str, value: Validators) -> None:
        self._pending[url] = value

    def __delitem__(self, url: str) -> None:
        self._pending.pop(url, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self._pending)

    def __len__(self) -> int:
        return len(self._pending)

    def commit(self) -> None:
        for url, v in self._pending.items():
            self._store.put_cache(url, etag=v.etag, last_modified=v.last_modified)
        self._pending.clear()

    def discard(self) -> None:
        self._pending.clear()


def estimate_total(inputs: Iterable[str], include: Sequence[str] = (),
                   exclude: Sequence[str] = ()) -> int | None:
    """How many documents `inputs` hold, cheaply: lines of JSON Lines, entries of a feed file
    (by counting its <item>/<entry> tags), one per other file; None when it cannot be known
    without fetching (URLs, stdin, OPML lists)."""
    total = 0
    for item in inputs:
        if item == "-" or url_scheme(item) is not None:
            return None
        path = Path(item)
        for f in folder_files(path, include, exclude) if path.is_dir() else [path]:
            kind = kind_of(f)
            if kind == "opml":
                return None
            if f.name.lower().endswith(".gz") or kind not in ("jsonl", "feed"):
                total += 1
                continue
            try:
                raw = f.read_bytes() if f.stat().st_size <= DEFAULT_MAX_BYTES else b""
            except OSError:
                raw = b""
            if kind == "jsonl":
                total += max(1, sum(1 for line in raw.splitlines() if line.strip()))
            else:
                total += max(1, len(_FEED_ENTRY.findall(raw)))
    return total
