"""`armstrace.ingest.compressed`: gzip and deflate, capped however the input is shaped."""

from __future__ import annotations

import gzip
import zlib

import pytest

from armstrace.errors import InputError
from armstrace.ingest.compressed import BoundedInflater, TooLarge, gunzip

TEXT = b"Artillery shells were shipped by rail. " * 200


def test_gunzip_round_trip_and_concatenated_members() -> None:
    assert gunzip(gzip.compress(TEXT), "t.gz", 1_000_000) == TEXT
    assert gunzip(gzip.compress(b"one ") + gzip.compress(b"two"), "t.gz", 100) == b"one two"


def test_a_gzip_bomb_stops_at_the_cap() -> None:
    bomb = gzip.compress(b"\0" * 30_000_000, compresslevel=9)  # ~30 KB holding 30 MB
    with pytest.raises(InputError, match=r"bomb.gz: decompresses to more than 1,000,000 bytes"):
        gunzip(bomb, "bomb.gz", 1_000_000)


@pytest.mark.parametrize(
    "data, message",
    [
        (gzip.compress(TEXT)[:-20], "truncated"),
        (b"\x1f\x8b\x08garbage-garbage", "not valid gzip"),
    ],
)
def test_corrupt_gzip_is_an_input_error(data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        gunzip(data, "bad.gz", 1_000_000)


@pytest.mark.parametrize(
    "kind, data",
    [
        ("deflate", zlib.compress(TEXT)),
        ("deflate", zlib.compress(TEXT)[2:-4]),  # raw deflate, as some servers send it
        ("auto", gzip.compress(TEXT)),
        ("auto", zlib.compress(TEXT)),
    ],
)
def test_inflater_kinds_fed_in_small_chunks(kind: str, data: bytes) -> None:
    inflater = BoundedInflater(len(TEXT), kind)
    out = b"".join(inflater.feed(data[i : i + 7]) for i in range(0, len(data), 7))
    assert out + inflater.finish() == TEXT


def test_inflater_cap_is_exact() -> None:
    with pytest.raises(TooLarge):
        BoundedInflater(len(TEXT) - 1).feed(gzip.compress(TEXT))
