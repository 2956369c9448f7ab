"""Recognise copies of one story: exact copies by hash, edited copies by MinHash LSH.

The same wire story runs under many mastheads, and a copy must never count as independent
confirmation. `StoryIndex.add` puts each document into a story cluster and names the earliest
copy in it (`copy_of`).

* Exact copies: the text, NFKC-normalised and case-folded with every run of non-word
  characters made one space, hashes (SHA-256) to the same `content_hash`. The normalisation is
  the store's (`armstrace.ingest.stories.normalised_hash`), so both give the same hash.
* Edited copies: 5-word shingles of that normalised text, a 128-permutation MinHash, and
  LSH banding (32 bands of 2 rows, as datasketch's MinHashLSH does; see `_Bands` for why it is
  not datasketch's) for candidates. Edits are trimmed or added paragraphs, a new intro, a
  changed headline (titles are not indexed; a headline line in the text is one paragraph among
  many), a republisher's footer. The
  decision on a candidate is containment, |A ∩ B| / min(|A|, |B|), estimated from the MinHash
  Jaccard J and the two shingle counts (|A ∩ B| = J (|A| + |B|) / (1 + J)); a short copy
  trimmed from a long original is then as recognisable as a full one, which Jaccard alone
  would miss. Distinct stories on one topic share set phrases, not most of their text:
  `MATCH_CONTAINMENT` sits between the two (tuned with bench/dedup.py).

A new document joins the story of its best-matching candidate; stories are never merged, so
a story id, once given, does not change.

Re-pointing. `copy_of` is the earliest member of the story by date (undated last), then by
insertion. When a new document is *earlier* than the story's earliest member, its own
`copy_of` is None and `Assignment.supersedes` names the former earliest: the store should then
point every other member of the story at the new document, e.g.
`UPDATE documents SET copy_of = :new WHERE story_id = :story AND doc_id <> :new`.

Persistence. `Assignment.signature` (also `signature_bytes(text)`) is a few hundred bytes with
everything matching needs: the content hash, the shingle count and the MinHash. A store that
keeps it can rebuild the index at start with `add_signature` in its original insertion order,
without re-reading any text, passing each document's stored `story_id` so that membership is
restored rather than recomputed.
"""

from __future__ import annotations

import hashlib
import struct
import unicodedata
from dataclasses import dataclass

import numpy as np

SHINGLE_WORDS = 5
NUM_PERM = 128
#: LSH banding: 32 bands of 2 rows. A pair with Jaccard J becomes a candidate with probability
#: 1 - (1 - J²)³²: 73% at J = 0.2, 95% at 0.3, 99.6% at 0.4. Low on purpose, because a trimmed
#: copy of a long story has a low Jaccard but a high containment; candidates are verified below.
LSH_BANDS, LSH_ROWS = 32, 2
#: estimated containment at or above which a candidate is the same story
MATCH_CONTAINMENT = 0.6
#: below this many shingles a text is too short for MinHash; only exact copies are found
MIN_SHINGLES = 8

_MAGIC = b"ATS2"
_HEADER = struct.Struct("<4sBHI32s")  # magic, words per shingle, permutations, count, hash


class _AlnumOrSpace(dict[int, str]):
    """str.translate table: letters and digits stay, everything else becomes a space. Filled
    on first sight of each character; `isalnum` is exactly what `[^\\W_]` matches in `re`."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        self[code] = value = ch if ch.isalnum() else " "
        return value


_TABLE = _AlnumOrSpace()


def _constants(salt: str) -> np.ndarray:
    """NUM_PERM fixed 32-bit constants, from SHA-256 so that they never change with a library."""
    digests = (hashlib.sha256(f"armstrace-minhash-{salt}-{i}".encode()).digest()
               for i in range(NUM_PERM))
    return np.array([int.from_bytes(d[:4], "little") for d in digests], dtype=np.uint32)


# permutation i maps a shingle hash h to (A[i] * h + B[i]) mod 2^32; A odd makes it a bijection
_A = _constants("a") | np.uint32(1)
_B = _constants("b")
# weights that mix a shingle's word hashes in order (64-bit odd constants from splitmix/murmur)
_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9,
                 0xD6E8FEB86659FD93, 0xFF51AFD7ED558CCD], dtype=np.uint64)


_ASCII_TABLE = bytes(c if chr(c).isalnum() else 0x20 for c in range(256))


def normalised_bytes(text: str) -> bytes:
    """UTF-8 of the normalised text: NFKC, case-folded, every run of characters that are not
    letters or digits one space, no space at either end. The same as
    `" ".join(re.split(r"[\\W_]+", ...))`, computed without making a string per word."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    if folded.isascii():  # most English news: bytes.translate is a C table lookup
        raw = folded.encode("ascii").translate(_ASCII_TABLE)
    else:
        raw = folded.translate(_TABLE).encode("utf-8", "surrogatepass")
    arr = np.frombuffer(raw, dtype=np.uint8)
    space = arr == 0x20
    keep = ~space
    keep[1:] |= space[1:] & ~space[:-1]  # the first space of each run stays
    out: bytes = arr[keep].tobytes()
    return out.rstrip(b" ")


def words(text: str) -> list[str]:
    """The normalised words of `text`."""
    return normalise(text).split()


def normalise(text: str) -> str:
    """The normalised text (see `normalised_bytes`): what `content_hash` hashes."""
    return normalised_bytes(text).decode("utf-8", "surrogatepass")


def content_hash(text: str) -> str:
    """Hex SHA-256 of the normalised text: equal for exact copies."""
    return hashlib.sha256(normalised_bytes(text)).hexdigest()


_P = 0x100000001B3  # the 64-bit FNV prime: odd, so invertible modulo 2^64
_POWERS_CACHED = 1 << 18


def _powers(base: int, n: int) -> np.ndarray:
    """base^0 .. base^(n-1) modulo 2^64 (numpy's unsigned arithmetic wraps)."""
    out = np.full(n, base, dtype=np.uint64)
    out[0] = 1
    powers: np.ndarray = np.cumprod(out, dtype=np.uint64)
    return powers


_POW = _powers(_P, _POWERS_CACHED)
_INV_POW = _powers(pow(_P, -1, 1 << 64), _POWERS_CACHED)


def word_hashes(normalised: bytes) -> np.ndarray:
    """A 64-bit polynomial hash of each space-separated word, computed for all words at once:
    with prefix sums S[i] = sum(c_k P^k, k < i), a word's hash is (S[end] - S[start]) P^-start,
    which does not depend on where the word stands in the text."""
    n = len(normalised)
    codes = np.frombuffer(normalised, dtype=np.uint8).astype(np.uint64) + np.uint64(1)
    pw, inv = (_POW[:n], _INV_POW[:n]) if n <= _POWERS_CACHED else (
        _powers(_P, n), _powers(pow(_P, -1, 1 << 64), n))
    prefix = np.zeros(n + 1, dtype=np.uint64)
    np.cumsum(codes * pw, out=prefix[1:])
    spaces = np.flatnonzero(codes == np.uint64(ord(" ") + 1))
    starts = np.concatenate(([0], spaces + 1))
    ends = np.concatenate((spaces, [n]))
    hashes: np.ndarray = (prefix[ends] - prefix[starts]) * inv[starts]
    return hashes


def shingle_hashes(normalised: bytes, size: int = SHINGLE_WORDS) -> np.ndarray:
    """Distinct 32-bit hashes of the `size`-word shingles of normalised text (UTF-8, words
    separated by single spaces), the same in every process."""
    if not normalised:
        return np.zeros(0, dtype=np.uint32)
    ids = word_hashes(normalised)
    n = max(1, len(ids) - size + 1)
    mixed = np.zeros(n, dtype=np.uint64)
    for j in range(min(size, len(ids))):  # position-weighted, wrapping: order matters
        mixed += ids[j : j + n] * _MIX[j]
    hashes = (mixed >> np.uint64(32)).astype(np.uint32)
    hashes.sort()  # then drop repeats; cheaper than np.unique on arrays this small
    keep = np.empty(len(hashes), dtype=bool)
    keep[0] = True
    np.not_equal(hashes[1:], hashes[:-1], out=keep[1:])
    return hashes[keep]


def minhash(hashes: np.ndarray) -> np.ndarray:
    """The NUM_PERM minimum permuted hashes (all 2^32 - 1 for an empty set)."""
    if not len(hashes):
        return np.full(NUM_PERM, 0xFFFFFFFF, dtype=np.uint32)
    out = np.full(NUM_PERM, 0xFFFFFFFF, dtype=np.uint32)
    for i in range(0, len(hashes), 2048):  # bounded temporary: 2048 x 128 x 4 bytes
        block = hashes[i : i + 2048, None] * _A + _B
        np.minimum(out, block.min(axis=0), out=out)
    return out


@dataclass(frozen=True, slots=True)
class Signature:
    """What the index keeps of a document: enough to match it, without its text."""

    content_hash: str
    shingles: int
    hashvalues: np.ndarray  # uint32[NUM_PERM]

    def to_bytes(self) -> bytes:
        header = _HEADER.pack(_MAGIC, SHINGLE_WORDS, NUM_PERM, self.shingles,
                              bytes.fromhex(self.content_hash))
        return header + self.hashvalues.astype("<u4").tobytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> Signature:
        if len(data) != _HEADER.size + 4 * NUM_PERM:
            raise ValueError(f"not a syndication signature ({len(data)} bytes)")
        magic, size, perms, shingles, digest = _HEADER.unpack_from(data)
        if magic != _MAGIC or (size, perms) != (SHINGLE_WORDS, NUM_PERM):
            raise ValueError("signature from another format or settings; recompute it from text")
        values = np.frombuffer(data, dtype="<u4", count=NUM_PERM, offset=_HEADER.size)
        return cls(digest.hex(), shingles, values.astype(np.uint32))

    @classmethod
    def of(cls, text: str) -> Signature:
        data = normalised_bytes(text)
        hashes = shingle_hashes(data)
        return cls(hashlib.sha256(data).hexdigest(), len(hashes), minhash(hashes))

    def jaccard(self, other: Signature) -> float:
        """Estimated Jaccard index of the two shingle sets."""
        return float(np.count_nonzero(self.hashvalues == other.hashvalues)) / NUM_PERM


def signature_bytes(text: str) -> bytes:
    """The persistable signature of `text` (see the module docstring)."""
    return Signature.of(text).to_bytes()


@dataclass(frozen=True, slots=True)
class Assignment:
    """Where `add` put a document."""

    story_id: str
    copy_of: str | None  # earliest copy of the story, None when this document is it
    content_hash: str
    signature: bytes = b""
    #: when this document became the story's earliest: the former earliest, which (with
    #: every other member) should now be stored as a copy of this one
    supersedes: str | None = None
    #: the matched document and estimated containment (1.0 for an exact copy)
    matched: str | None = None
    similarity: float | None = None


class _Bands:
    """MinHash LSH: documents whose signatures agree on all rows of any one band are candidates.

    The same banding as datasketch's `MinHashLSH(params=(32, 2))`, on the signature's bytes.
    datasketch's index costs about 300 µs a document (an array slice, a byte swap and a bytes
    object per band, twice), which alone is a third of the 1,000 documents/s budget; this one
    costs about a quarter of that. Our MinHash is our own for a related reason: the signatures
    are persisted, so their definition must not change with a library's release (datasketch
    2.0 changed its default hashing scheme).
    """

    def __init__(self, bands: int = LSH_BANDS, rows: int = LSH_ROWS) -> None:
        self._width = rows * 4  # bytes of one band: `rows` uint32 values
        self._tables: list[dict[bytes, list[str]]] = [{} for _ in range(bands)]

    def _keys(self, hashvalues: np.ndarray) -> list[bytes]:
        raw = hashvalues[: len(self._tables) * self._width // 4].astype("<u4").tobytes()
        w = self._width
        return [raw[i * w : (i + 1) * w] for i in range(len(self._tables))]

    def query(self, hashvalues: np.ndarray) -> set[str]:
        found: set[str] = set()
        for table, key in zip(self._tables, self._keys(hashvalues), strict=True):
            if hit := table.get(key):
                found.update(hit)
        return found

    def insert(self, doc_id: str, hashvalues: np.ndarray) -> None:
        for table, key in zip(self._tables, self._keys(hashvalues), strict=True):
            table.setdefault(key, []).append(doc_id)


@dataclass(slots=True)
class _Story:
    earliest_key: tuple[bool, str, int]
    earliest: str


class StoryIndex:
    """In-memory syndication index over documents added in order (see the module docstring)."""

    def __init__(self, match_containment: float = MATCH_CONTAINMENT) -> None:
        self.match_containment = match_containment
        self._lsh = _Bands()
        self._signatures: dict[str, Signature] = {}
        self._story_of: dict[str, str] = {}
        self._stories: dict[str, _Story] = {}
        self._by_hash: dict[str, str] = {}
        self._seq = 0

    def __len__(self) -> int:
        return len(self._story_of)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._story_of

    def story_of(self, doc_id: str) -> str:
        return self._story_of[doc_id]

    def earliest(self, story_id: str) -> str:
        return self._stories[story_id].earliest

    def add(self, doc_id: str, text: str, date: str | None = None) -> Assignment:
        """Index a document and say which story it belongs to and which copy came first."""
        return self._add(doc_id, Signature.of(text), date, None)

    def add_signature(self, doc_id: str, signature: bytes, date: str | None = None, *,
                      story_id: str | None = None) -> Assignment:
        """Index a stored document from its signature; with `story_id`, restore it to that
        story as stored instead of matching it again."""
        return self._add(doc_id, Signature.from_bytes(signature), date, story_id)

    def _add(self, doc_id: str, sig: Signature, date: str | None,
             story_id: str | None) -> Assignment:
        if doc_id in self._story_of:
            if self._signatures[doc_id].content_hash != sig.content_hash:
                raise ValueError(f"{doc_id}: already indexed with other text; give each "
                                 "version its own id")
            known = self._story_of[doc_id]
            first = self._stories[known].earliest
            return Assignment(known, None if first == doc_id else first, sig.content_hash,
                              sig.to_bytes())
        matched, score = (None, None) if story_id else self._match(sig)
        if story_id is None:
            story_id = self._story_of[matched] if matched else f"s-{sig.content_hash[:16]}"
        key = (date is None, date or "", self._seq)
        self._seq += 1
        story = self._stories.get(story_id)
        supersedes = None
        if story is None:
            self._stories[story_id] = _Story(key, doc_id)
        elif key < story.earliest_key:
            supersedes = story.earliest
            story.earliest_key, story.earliest = key, doc_id
        self._story_of[doc_id] = story_id
        self._signatures[doc_id] = sig
        self._by_hash.setdefault(sig.content_hash, doc_id)
        if sig.shingles >= MIN_SHINGLES:
            self._lsh.insert(doc_id, sig.hashvalues)
        earliest = self._stories[story_id].earliest
        return Assignment(story_id, None if earliest == doc_id else earliest, sig.content_hash,
                          sig.to_bytes(), supersedes, matched, score)

    def _match(self, sig: Signature) -> tuple[str | None, float | None]:
        exact = self._by_hash.get(sig.content_hash)
        if exact is not None:
            return exact, 1.0
        if sig.shingles < MIN_SHINGLES:
            return None, None
        best, best_score = None, 0.0
        for other in sorted(self._lsh.query(sig.hashvalues)):  # sorted: ties break the same way
            known = self._signatures[other]
            score = containment(sig.jaccard(known), sig.shingles, known.shingles)
            if score > best_score:
                best, best_score = other, score
        if best is not None and best_score >= self.match_containment:
            return best, round(best_score, 4)
        return None, None


def containment(jaccard: float, size_a: int, size_b: int) -> float:
    """|A ∩ B| / min(|A|, |B|) from the Jaccard index and the two set sizes."""
    if jaccard <= 0 or min(size_a, size_b) == 0:
        return 0.0
    inter = jaccard * (size_a + size_b) / (1 + jaccard)
    return min(1.0, inter / min(size_a, size_b))
