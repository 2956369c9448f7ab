"""Read files, folders and standard input into Documents, whatever kind of input each holds.

A reader never stops at the first bad input: it yields an `InputError` for each file or record
it cannot read and carries on, so one corrupt record in a 10,000-line export costs one record,
and the caller decides how to report it (the CLI prints one line per error and exits non-zero).
Size is capped before reading, and after decompression, because a 1 GB "article" is a mistake,
not an article, and a 10 KB .gz can hold one.

The kind of a file comes from its suffix, after any `.gz`: plain text (.txt .text .md), SPEC §7
JSON Lines (.jsonl .ndjson), HTML (.html .htm .xhtml), feeds (.rss .atom, and .xml when it holds
one) and OPML (.opml). Anything else is sniffed from its first bytes. Folders are walked
recursively, in sorted order, skipping hidden files; `include`/`exclude` glob patterns
(matched against the path below the folder and against the bare name) narrow the walk.
Every Document read from a file carries that file as `source_path` (SPEC §11).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from fnmatch import fnmatch
from pathlib import Path
from typing import TYPE_CHECKING

from armstrace.errors import InputError, ValidationError
from armstrace.ingest.compressed import GZIP_MAGIC, gunzip, gunzip_file
from armstrace.ingest.limits import DEFAULT_MAX_BYTES
from armstrace.ingest.republication import parse_via
from armstrace.models import Document, document_from_dict

if TYPE_CHECKING:
    from armstrace.ingest.fetch import Fetcher

TEXT_SUFFIXES = (".txt", ".text", ".md")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
FEED_SUFFIXES = (".rss", ".atom", ".xml")
OPML_SUFFIXES = (".opml",)
GZIP_SUFFIX = ".gz"
READABLE_SUFFIXES = TEXT_SUFFIXES + JSONL_SUFFIXES + HTML_SUFFIXES + FEED_SUFFIXES + OPML_SUFFIXES
SNIFF_BYTES = 4096

__all__ = [
    "DEFAULT_MAX_BYTES",
    "HTML_SUFFIXES",
    "JSONL_SUFFIXES",
    "READABLE_SUFFIXES",
    "TEXT_SUFFIXES",
    "folder_files",
    "kind_of",
    "parse_jsonl",
    "read_bytes",
    "read_file",
    "read_paths",
    "read_stdin",
    "sniff",
]


def _decode(raw: bytes, where: str) -> str:
    if not raw.strip():
        raise InputError(f"{where}: empty file")
    if b"\x00" in raw[:8192]:
        raise InputError(f"{where}: binary file (NUL bytes), not text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise InputError(
            f"{where}: not valid UTF-8 (byte 0x{raw[e.start]:02x} at offset {e.start})"
        ) from e
    return text.removeprefix("\ufeff")


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(
                f"{path}: file too large ({size:,} bytes > limit {max_bytes:,}; "
                "raise it with --max-bytes)"
            )
        return path.read_bytes()
    except OSError as e:
        raise InputError(f"{path}: cannot read: {e.strerror or e}") from e


def read_bytes(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """A file's bytes, decompressed when it is gzip (by suffix or by magic), both capped."""
    if path.name.lower().endswith(GZIP_SUFFIX):
        _read_size_checked(path, max_bytes)
        return gunzip_file(path, max_bytes)
    raw = _read_bytes(path, max_bytes)
    if raw.startswith(GZIP_MAGIC):
        return gunzip(raw, str(path), max_bytes)
    return raw


def _read_size_checked(path: Path, max_bytes: int) -> None:
    try:
        size = path.stat().st_size
    except OSError as e:
        raise InputError(f"{path}: cannot read: {e.strerror or e}") from e
    if size > max_bytes:
        raise InputError(f"{path}: file too large ({size:,} bytes > limit {max_bytes:,}; "
                         "raise it with --max-bytes)")


def parse_jsonl(text: str, where: str, max_bytes: int) -> Iterator[Document | InputError]:
    """SPEC §7 objects, one per line; a bad line yields an error naming file:line."""
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        loc = f"{where}:{n}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            yield InputError(f"{loc}: not JSON ({e.msg} at column {e.colno})")
            continue
        try:
            doc = document_from_dict(obj, loc)
        except ValidationError as e:
            yield InputError(str(e).split(" ", 1)[1])
            continue
        if len(doc.text.encode("utf-8", "surrogatepass")) > max_bytes:
            yield InputError(f"{loc}: text too large (> {max_bytes:,} bytes)")
            continue
        yield doc


def _from_text(text: str, where: str, stem: str) -> Document:
    return Document(id=stem, text=text)


def _looks_jsonl(text: str) -> bool:
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    return first.lstrip().startswith("{")


def kind_of(path: Path) -> str | None:
    """"text", "jsonl", "html", "feed" or "opml" by suffix (after any .gz); None if unknown."""
    name = path.name.lower().removesuffix(GZIP_SUFFIX)
    suffix = Path(name).suffix
    for kind, suffixes in (("text", TEXT_SUFFIXES), ("jsonl", JSONL_SUFFIXES),
                           ("html", HTML_SUFFIXES), ("feed", FEED_SUFFIXES),
                           ("opml", OPML_SUFFIXES)):
        if suffix in suffixes:
            return kind
    return None


def sniff(raw: bytes) -> str:
    """The kind of input in `raw`, from its first bytes: markup by its root, else text/jsonl."""
    head = raw[:SNIFF_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"{"):
        return "jsonl"
    if not head.startswith(b"<"):
        return "text"
    if b"<opml" in head:
        return "opml"
    if b"<rss" in head or b"<rdf:rdf" in head or (b"<feed" in head and b"<html" not in head):
        return "feed"
    if any(tag in head for tag in (b"<!doctype html", b"<html", b"<head", b"<body", b"<meta",
                                   b"<div", b"<p>", b"<article", b"<title")):
        return "html"
    return "xml"


def _with_origin(doc: Document, source_path: str | None) -> Document:
    via = doc.via or parse_via(doc.text, doc.outlet)
    if (source_path is None or doc.source_path) and via == doc.via:
        return doc
    return replace(doc, source_path=doc.source_path or source_path, via=via)


def read_raw(
    raw: bytes,
    where: str,
    kind: str | None,
    *,
    source_path: str | None = None,
    fetcher: Fetcher | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    doc_id: str | None = None,
) -> Iterator[Document | InputError]:
    """Documents from the bytes of one input of `kind` (None: sniff it)."""
    from armstrace.ingest.feeds import feed_documents, read_opml
    from armstrace.ingest.html import html_document

    if not raw.strip():
        yield InputError(f"{where}: empty file")
        return
    sniffed = sniff(raw)
    if kind is None or (kind == "feed" and sniffed in ("opml", "html")):
        kind = sniffed
    if kind == "html":
        try:
            yield html_document(raw, where, doc_id=doc_id or where, source_path=source_path,
                                max_bytes=max_bytes)
        except InputError as e:
            yield e
    elif kind == "feed":
        yield from feed_documents(raw, where, fetcher=fetcher, source_path=source_path,
                                  max_bytes=max_bytes)
    elif kind == "opml":
        yield from read_opml(raw, where, fetcher, max_bytes=max_bytes)
    elif kind == "xml":
        yield InputError(f"{where}: XML that is not a feed, OPML or HTML")
    else:
        try:
            text = _decode(raw, where)
        except InputError as e:
            yield e
            return
        if kind == "jsonl" or (kind != "text" and _looks_jsonl(text)):
            docs: Iterable[Document | InputError] = parse_jsonl(text, where, max_bytes)
        else:
            docs = [_from_text(text, where, doc_id or where)]
        for doc in docs:
            yield doc if isinstance(doc, InputError) else _with_origin(doc, source_path)


def read_file(
    path: Path, max_bytes: int = DEFAULT_MAX_BYTES, *, fetcher: Fetcher | None = None
) -> Iterator[Document | InputError]:
    """Documents from one file of any supported kind (see the module docstring)."""
    try:
        raw = read_bytes(path, max_bytes)
    except InputError as e:
        yield e
        return
    yield from read_raw(raw, str(path), kind_of(path), source_path=str(path), fetcher=fetcher,
                        max_bytes=max_bytes)


def read_stdin(
    max_bytes: int = DEFAULT_MAX_BYTES, *, fetcher: Fetcher | None = None
) -> Iterator[Document | InputError]:
    raw = sys.stdin.buffer.read(max_bytes + 1)
    if len(raw) > max_bytes:
        yield InputError(f"<stdin>: input too large (> {max_bytes:,} bytes)")
        return
    if raw.startswith(GZIP_MAGIC):
        try:
            raw = gunzip(raw, "<stdin>", max_bytes)
        except InputError as e:
            yield e
            return
    yield from read_raw(raw, "<stdin>", None, fetcher=fetcher, max_bytes=max_bytes,
                        doc_id="stdin")


def _matches(path: Path, rel: str, patterns: Sequence[str]) -> bool:
    return any(fnmatch(rel, p) or fnmatch(path.name, p) for p in patterns)


def folder_files(
    folder: Path, include: Sequence[str] = (), exclude: Sequence[str] = ()
) -> list[Path]:
    """The files of `folder` a walk reads, sorted: readable suffixes (or `include` globs),
    minus `exclude` globs and hidden files and folders."""
    out: list[Path] = []
    for f in folder.rglob("*"):
        rel = f.relative_to(folder).as_posix()
        if any(part.startswith(".") for part in f.relative_to(folder).parts):
            continue
        if not f.is_file():
            continue
        wanted = _matches(f, rel, include) if include else kind_of(f) is not None
        if wanted and not _matches(f, rel, exclude):
            out.append(f)
    return sorted(out)


def read_paths(
    paths: Iterable[str],
    max_bytes: int = DEFAULT_MAX_BYTES,
    *,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    fetcher: Fetcher | None = None,
) -> Iterator[Document | InputError]:
    """Documents from files, folders (recursively) and "-" for stdin, in order."""
    for p in paths:
        if p == "-":
            yield from read_stdin(max_bytes, fetcher=fetcher)
            continue
        path = Path(p)
        if path.is_dir():
            files = folder_files(path, include, exclude)
            if not files:
                kinds = ", ".join(include) if include else "readable"
                yield InputError(f"{path}: folder holds no {kinds} files")
            for f in files:
                yield from read_file(f, max_bytes, fetcher=fetcher)
        elif not path.exists():
            yield InputError(f"{path}: no such file")
        else:
            yield from read_file(path, max_bytes, fetcher=fetcher)
