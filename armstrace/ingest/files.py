"""Read plain-text and SPEC §7 JSON Lines files (and standard input) into Documents.

A reader never stops at the first bad input: it yields an `InputError` for each file or line it
cannot read and carries on, so one corrupt record in a 10,000-line export costs one record, and
the caller decides how to report it (the CLI prints one line per error and exits non-zero).
Size is capped before reading, because a 1 GB "article" is a mistake, not an article.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from armstrace.errors import InputError, ValidationError
from armstrace.models import Document, document_from_dict

DEFAULT_MAX_BYTES = 10_000_000
TEXT_SUFFIXES = (".txt", ".text", ".md")
JSONL_SUFFIXES = (".jsonl", ".ndjson")


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


def read_file(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Document | InputError]:
    try:
        text = _decode(_read_bytes(path, max_bytes), str(path))
    except InputError as e:
        yield e
        return
    if path.suffix.lower() in JSONL_SUFFIXES or (
        path.suffix.lower() not in TEXT_SUFFIXES and _looks_jsonl(text)
    ):
        yield from parse_jsonl(text, str(path), max_bytes)
    else:
        yield _from_text(text, str(path), str(path))


def read_stdin(max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Document | InputError]:
    raw = sys.stdin.buffer.read(max_bytes + 1)
    if len(raw) > max_bytes:
        yield InputError(f"<stdin>: input too large (> {max_bytes:,} bytes)")
        return
    try:
        text = _decode(raw, "<stdin>")
    except InputError as e:
        yield e
        return
    if _looks_jsonl(text):
        yield from parse_jsonl(text, "<stdin>", max_bytes)
    else:
        yield _from_text(text, "<stdin>", "stdin")


def read_paths(
    paths: Iterable[str], max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[Document | InputError]:
    """Documents from files, folders (recursively: .txt and .jsonl) and "-" for stdin."""
    for p in paths:
        if p == "-":
            yield from read_stdin(max_bytes)
            continue
        path = Path(p)
        if path.is_dir():
            files = sorted(
                f for f in path.rglob("*")
                if f.is_file() and f.suffix.lower() in TEXT_SUFFIXES + JSONL_SUFFIXES
            )
            if not files:
                yield InputError(f"{path}: folder holds no .txt or .jsonl files")
            for f in files:
                yield from read_file(f, max_bytes)
        elif not path.exists():
            yield InputError(f"{path}: no such file")
        else:
            yield from read_file(path, max_bytes)
