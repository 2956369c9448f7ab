"""Read an HTML page into a Document: the article body and its metadata, via trafilatura.

The page is decoded here (`encoding.py`: declarations checked against the bytes), parsed once
with lxml, checked for hostile shapes, and the same tree is handed to trafilatura, so the
reader costs one parse on top of trafilatura's own extraction. Settings were tuned on
`../shared/html-bench` (see `bench/html_quality.py`): `favor_precision` gives the best shingle
F1 there, and comments are left out because they are not the article.

Bad pages are one `InputError` each, never a crash: too large, binary, no article text, and
HTML nested deeper than any real page. libxml2 silently drops whatever lies deeper than 255
levels, so a page that reaches that depth is refused rather than read with its text missing.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import htmldate
import trafilatura
from lxml import etree
from lxml.html import HtmlElement

from armstrace.errors import InputError
from armstrace.ingest.encoding import decode_html
from armstrace.ingest.limits import DEFAULT_MAX_BYTES
from armstrace.ingest.republication import parse_via
from armstrace.models import Document

#: deeper than this is not a page but an attack (real news pages stay under ~60 levels);
#: libxml2 truncates at 255, so the check must sit below that
MAX_DEPTH = 200

_DEEP = etree.XPath(f"/{'/'.join(['*'] * MAX_DEPTH)}")
_LANG = re.compile(r"^[A-Za-z]{2,3}(?=$|[-_])")

# trafilatura logs an ERROR for each page it cannot read; our callers get an InputError for it
# instead. With no handler configured, Python would print those records on stderr (its "last
# resort" handler); a NullHandler stops that while an application's own logging still sees them.
for _name in ("trafilatura", "htmldate", "courlan"):
    logging.getLogger(_name).addHandler(logging.NullHandler())


@dataclass(frozen=True, slots=True)
class HtmlOptions:
    """trafilatura options; the defaults are the ones that score best on html-bench."""

    favor_precision: bool = True
    favor_recall: bool = False
    include_tables: bool = True
    include_comments: bool = False
    fast: bool = False


DEFAULT_OPTIONS = HtmlOptions()


def _host(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url).hostname
    return host.removeprefix("www.") if host else None


def _http_url(url: Any) -> str | None:
    if isinstance(url, str) and url.startswith(("http://", "https://")):
        return url
    return None


def _language(tree: HtmlElement) -> str | None:
    """Primary language subtag from <html lang>, Content-Language or og:locale ("en")."""
    candidates = [tree.get("lang"), tree.get("{http://www.w3.org/XML/1998/namespace}lang")]
    for meta in tree.iterfind(".//head/meta"):
        key = (meta.get("http-equiv") or meta.get("property") or meta.get("name") or "").lower()
        if key in ("content-language", "og:locale", "language", "dc.language"):
            candidates.append(meta.get("content"))
    for value in candidates:
        if value and (m := _LANG.match(value.strip())):
            return m.group(0).lower()
    return None


def _parse(text: str, where: str) -> HtmlElement:
    tree = trafilatura.load_html(text)
    if tree is None:
        raise InputError(f"{where}: not an HTML page (nothing lxml can parse)")
    if _DEEP(tree):
        raise InputError(f"{where}: HTML nested more than {MAX_DEPTH} levels deep, refused")
    return tree


def _date(tree: HtmlElement, found: Any, url: str | None) -> str | None:
    if isinstance(found, str) and found:
        return found
    # trafilatura asks htmldate for the *original* publication date only; a page without one
    # may still carry an update date in its markup, which beats none for ordering copies. Not
    # an extensive search: that reads years out of the prose ("began in 2021": 2021-01-01).
    try:
        fallback = htmldate.find_date(tree, url=url, original_date=False, extensive_search=False)
    except Exception:  # htmldate is a heuristic; its failure is "no date", not a bad page
        return None
    return fallback if isinstance(fallback, str) else None


def html_document(
    raw: bytes,
    where: str,
    *,
    url: str | None = None,
    charset: str | None = None,
    doc_id: str | None = None,
    source_path: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    options: HtmlOptions = DEFAULT_OPTIONS,
) -> Document:
    """The article in `raw` (page bytes), or an InputError that names `where`.

    `url` is where the page was fetched from (used to resolve links, and as the Document url
    when the page gives no canonical one); `charset` is the HTTP header's, if any. The
    Document id is `doc_id`, else the canonical URL, else `where`.
    """
    if len(raw) > max_bytes:
        raise InputError(f"{where}: page too large ({len(raw):,} bytes > limit {max_bytes:,})")
    if not raw.strip():
        raise InputError(f"{where}: empty file")
    text, _codec = decode_html(raw, charset)
    if "\x00" in text[:8192]:
        raise InputError(f"{where}: binary file (NUL bytes), not HTML")
    tree = _parse(text, where)
    try:
        result = trafilatura.bare_extraction(
            tree,
            url=url,
            with_metadata=True,
            favor_precision=options.favor_precision,
            favor_recall=options.favor_recall,
            include_tables=options.include_tables,
            include_comments=options.include_comments,
            fast=options.fast,
            # dates from markup only (meta, JSON-LD, <time>, URL): htmldate's "extensive" text
            # search reads years out of the prose, and a wrong date misorders copies of a story
            date_extraction_params={"original_date": True, "extensive_search": False},
        )
    except (ValueError, TypeError, RecursionError) as e:
        raise InputError(f"{where}: HTML extraction failed ({type(e).__name__}: {e})") from e
    body = getattr(result, "text", None) if result is not None else None
    if not isinstance(body, str) or not body.strip():
        raise InputError(f"{where}: no article text found")
    canonical = _http_url(getattr(result, "url", None)) or _http_url(url)
    sitename = getattr(result, "sitename", None)
    outlet = sitename if isinstance(sitename, str) and sitename.strip() else _host(canonical)
    title = getattr(result, "title", None)
    author = getattr(result, "author", None)
    return Document(
        id=doc_id or canonical or where,
        text=body,
        title=title if isinstance(title, str) and title else None,
        url=canonical,
        date=_date(tree, getattr(result, "date", None), canonical),
        outlet=outlet,
        language=_language(tree),
        author=author if isinstance(author, str) and author else None,
        source_path=source_path,
        via=parse_via(body, outlet),
    )
