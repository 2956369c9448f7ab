"""Decompress gzip (and zlib/deflate) input without trusting it to be small.

A 10 KB gzip file can hold 10 GB of zeros. Every decompression here goes through
`BoundedInflater`, which asks zlib for at most the bytes still allowed and fails as soon as the
output would pass the cap, so a bomb costs at most the cap in memory and a few milliseconds,
never the machine. The same inflater decodes HTTP `Content-Encoding` in `fetch.py`, so a page
served gzipped is held to the same limit as a `.gz` file on disk.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from pathlib import Path

from armstrace.errors import InputError

GZIP_MAGIC = b"\x1f\x8b"
CHUNK = 64 * 1024

_WBITS = {"gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS, "auto": 32 + zlib.MAX_WBITS}


class TooLarge(ValueError):
    """Output passed the cap; callers turn it into an InputError naming their input."""


class BoundedInflater:
    """Incremental decompressor whose total output may not exceed `max_bytes`.

    `kind` is "gzip", "deflate" (zlib-wrapped, as HTTP sends it; raw deflate is tried when the
    zlib header is missing) or "auto" (gzip or zlib by header). Concatenated gzip members (what
    `cat a.gz b.gz` makes, and `gzip` itself reads as one stream) are followed.
    """

    def __init__(self, max_bytes: int, kind: str = "gzip") -> None:
        self.max_bytes = max_bytes
        self.produced = 0
        self._kind = kind
        self._obj = zlib.decompressobj(_WBITS[kind])
        self._started = False

    def feed(self, data: bytes) -> bytes:
        """Decompress one chunk; raises `TooLarge` past the cap, `zlib.error` on corrupt input."""
        out: list[bytes] = []
        while data:
            if not self._started and self._kind == "deflate" and not _zlib_header(data):
                self._obj = zlib.decompressobj(-zlib.MAX_WBITS)  # raw deflate, no header
            self._started = True
            room = self.max_bytes - self.produced + 1  # one byte more than allowed: detect overflow
            part = self._obj.decompress(data, room)
            self._count(part)
            out.append(part)
            data = self._obj.unconsumed_tail
            if self._obj.eof:
                rest = self._obj.unused_data
                if not rest.strip(b"\x00"):  # trailing padding after the last member
                    break
                self._obj = zlib.decompressobj(_WBITS[self._kind])  # next gzip member
                data = rest + data
        return b"".join(out)

    def finish(self) -> bytes:
        """Whatever zlib still holds; raises `zlib.error` when the stream was cut short."""
        if not self._started:
            return b""
        room = self.max_bytes - self.produced + 1
        part = self._obj.flush(room)
        self._count(part)
        if not self._obj.eof:
            raise zlib.error("compressed stream ends early (truncated file?)")
        return part

    def _count(self, part: bytes) -> None:
        self.produced += len(part)
        if self.produced > self.max_bytes:
            raise TooLarge(f"decompresses to more than {self.max_bytes:,} bytes")


def _zlib_header(data: bytes) -> bool:
    return len(data) >= 2 and (data[0] & 0x0F) == 8 and ((data[0] << 8) | data[1]) % 31 == 0


def inflate_chunks(chunks: Iterable[bytes], where: str, max_bytes: int,
                   kind: str = "gzip") -> bytes:
    """All of a compressed stream, or an InputError naming `where` (too large, corrupt)."""
    inflater = BoundedInflater(max_bytes, kind)
    out: list[bytes] = []
    try:
        for chunk in chunks:
            out.append(inflater.feed(chunk))
        out.append(inflater.finish())
    except TooLarge as e:
        raise InputError(f"{where}: {e} (gzip bomb? raise the limit with --max-bytes)") from e
    except zlib.error as e:
        raise InputError(f"{where}: not valid {kind} data ({e})") from e
    return b"".join(out)


def gunzip(data: bytes, where: str, max_bytes: int) -> bytes:
    """Decompress gzip bytes held in memory, capped at `max_bytes` of output."""
    return inflate_chunks((data[i : i + CHUNK] for i in range(0, len(data), CHUNK)), where,
                          max_bytes)


def gunzip_file(path: Path, max_bytes: int) -> bytes:
    """Decompress a gzip file chunk by chunk, so neither side is ever held whole past the cap."""
    try:
        with path.open("rb") as fh:
            return inflate_chunks(iter(lambda: fh.read(CHUNK), b""), str(path), max_bytes)
    except OSError as e:
        raise InputError(f"{path}: cannot read: {e.strerror or e}") from e
