"""Article text with every claim's evidence highlighted, built from SPEC §6 offsets.

The text is cut at every span boundary and each piece is escaped on its own before any markup
is added around it, so no character of the article ever reaches the page unescaped, whatever
it contains. Overlapping evidence (two claims of one sentence) gives one `<mark>` per piece,
listing every claim that covers it in `data-claims`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

from markupsafe import Markup, escape


@dataclass(frozen=True, slots=True)
class Piece:
    """A stretch of text and the claims whose evidence covers it (empty: not evidence)."""

    start: int
    end: int
    claims: tuple[int, ...]


def pieces(length: int, spans: Iterable[tuple[int, int, int]]) -> list[Piece]:
    """Cut [0, length) at every boundary of `spans` ((claim id, start, end)), clamped."""
    clean = [(cid, max(0, s), min(length, e)) for cid, s, e in spans]
    clean = [(cid, s, e) for cid, s, e in clean if s < e]
    cuts = sorted({0, length, *(s for _, s, _ in clean), *(e for _, _, e in clean)})
    out: list[Piece] = []
    for a, b in pairwise(cuts):
        covering = tuple(sorted({cid for cid, s, e in clean if s <= a and b <= e}))
        out.append(Piece(a, b, covering))
    return out


def highlight(text: str, spans: Iterable[tuple[int, int, int]]) -> Markup:
    """`text` as HTML with each evidence piece in `<mark class="ev" data-claims="…">`."""
    parts: list[str] = []
    for p in pieces(len(text), spans):
        chunk = str(escape(text[p.start:p.end]))
        if p.claims:
            ids = " ".join(str(c) for c in p.claims)
            parts.append(f'<mark class="ev" data-claims="{ids}">{chunk}</mark>')
        else:
            parts.append(chunk)
    return Markup("".join(parts))
