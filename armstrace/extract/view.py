"""The working state of one document while the pipeline runs.

Components read and write an `Analysis` (spaCy's `Doc` idea, much smaller): sentences, lexicon
mentions, and per-sentence token views that answer the questions the role, modality and
attribution rules ask ("which actor covers token 7?", "is there a boundary between 3 and 9?")
in constant time. Token views are built only for sentences that hold a trigger: most sentences
of most articles never need one, and skipping them is what keeps extraction near the speed of
bare tokenising.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import Any

from armstrace.extract.tokenize import Token, tokenize
from armstrace.models import Claim, Document, Mention, Source

# words that end a clause for the purposes of role and cue scope
CLAUSE_BREAK = frozenset(
    {
        ";",
        ":",
        "—",
        "–",
        "(",
        ")",
        "[",
        "]",
        "but",
        "although",
        "though",
        "whereas",
        "however",
        "while",
        "meanwhile",
        "despite",
        "because",
        "after",
        "before",
        "since",
        "unless",
        "which",
        "who",
        "whom",
        "where",
        "when",
    }
)
PREPOSITIONS = frozenset(
    {
        "to",
        "from",
        "for",
        "with",
        "in",
        "into",
        "against",
        "of",
        "by",
        "on",
        "at",
        "between",
        "among",
        "over",
        "including",
        "than",
        "across",
        "toward",
        "towards",
        "near",
        "within",
        "inside",
        "via",
        "through",
        "about",
        "like",
        "as",
        "under",
        "beyond",
        "around",
        "without",
        "throughout",
        "amid",
        "behind",
        "upon",
        "onto",
        "along",
    }
)
DETERMINERS = frozenset(
    {
        "the",
        "a",
        "an",
        "its",
        "their",
        "his",
        "her",
        "this",
        "that",
        "these",
        "those",
        "some",
        "any",
        "no",
        "more",
        "further",
        "other",
        "new",
        "additional",
        "several",
        "many",
        "all",
        "such",
        "our",
        "your",
        "my",
        "another",
        "each",
        "both",
    }
)
QUOTES_OPEN = frozenset({"“", '"', "‘", "«", "''"})
QUOTES_CLOSE = frozenset({"”", '"', "’", "»", "''"})


@dataclass(slots=True)
class SentenceView:
    """Tokens of one sentence with the mentions covering each token."""

    index: int
    start: int
    end: int
    tokens: list[Token]
    mentions: list[Mention]
    low: list[str] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    # per token: index into `mentions` of the covering mention of each lexicon, or -1
    cover: dict[str, list[int]] = field(default_factory=dict)
    # per token: all cue mentions covering it (cues overlap: "believed" is hedge and speech)
    cues: list[list[Mention]] = field(default_factory=list)
    triggers: list[list[Mention]] = field(default_factory=list)

    @classmethod
    def build(
        cls, text: str, index: int, start: int, end: int, mentions: list[Mention]
    ) -> SentenceView:
        tokens = tokenize(text, start, end)
        view = cls(index, start, end, tokens, mentions)
        view.low = [t.lower for t in tokens]
        view.starts = [t.start for t in tokens]
        view.ends = [t.end for t in tokens]
        n = len(tokens)
        view.cover = {lex: [-1] * n for lex in ("actors", "weapons", "sources")}
        view.cues = [[] for _ in range(n)]
        view.triggers = [[] for _ in range(n)]
        for k, m in enumerate(mentions):
            a, b = view.token_range(m.start, m.end)
            for i in range(a, b):
                if m.lexicon == "cues":
                    view.cues[i].append(m)
                elif m.lexicon == "triggers":
                    view.triggers[i].append(m)
                elif view.cover[m.lexicon][i] == -1:
                    view.cover[m.lexicon][i] = k
        return view

    def token_range(self, start: int, end: int) -> tuple[int, int]:
        """Indices [a, b) of the tokens inside the character span [start, end)."""
        a = bisect_left(self.ends, start + 1)
        b = bisect_right(self.starts, end - 1)
        return a, max(a, b)

    def mention_at(self, lexicon: str, i: int) -> Mention | None:
        if 0 <= i < len(self.tokens):
            k = self.cover[lexicon][i]
            if k >= 0:
                return self.mentions[k]
        return None

    def cue_values(self, i: int, type_: str) -> list[Mention]:
        if not 0 <= i < len(self.tokens):
            return []
        here = self.cues[i]
        return [m for m in here if m.role == type_] if here else here

    def is_break(self, i: int) -> bool:
        return self.low[i] in CLAUSE_BREAK

    def clause_bounds(self, a: int, b: int) -> tuple[int, int]:
        """The clause around tokens [a, b): out to the nearest break on each side."""
        lo = a
        floor = max(0, a - MAX_CLAUSE_TOKENS)
        while lo > floor and not self.is_break(lo - 1):
            lo -= 1
        hi = b
        ceiling = min(len(self.tokens), b + MAX_CLAUSE_TOKENS)
        while hi < ceiling and not self.is_break(hi):
            hi += 1
        return lo, hi


# no clause in news prose runs this long; the cap bounds the work per trigger on run-on input
MAX_CLAUSE_TOKENS = 60


@dataclass(slots=True)
class Person:
    """A named person the article introduced, remembered for later "he said" / surname use."""

    name: str
    type: str
    affiliation: str | None


@dataclass(slots=True)
class Analysis:
    """Everything the pipeline knows about one document; components fill it in turn."""

    doc: Document
    sentences: list[tuple[int, int]] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    views: dict[int, SentenceView] = field(default_factory=dict)
    # sentence index -> mentions in it (filled by the lexicon component)
    by_sentence: list[list[Mention]] = field(default_factory=list)
    # character spans of quotations and the speaker each is attributed to (or None)
    quotes: list[tuple[int, int, Source | None]] = field(default_factory=list)
    people: dict[str, Person] = field(default_factory=dict)
    # per sentence: speech frames found by attribution, used by assembly
    speech: dict[int, list[Any]] = field(default_factory=dict)
    events: list[Any] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    lexicon_version: str = ""
    _starts: list[int] = field(default_factory=list)

    def sentence_of(self, offset: int) -> int:
        if len(self._starts) != len(self.sentences):
            self._starts = [s for s, _ in self.sentences]
        return max(0, bisect_right(self._starts, offset) - 1)

    def view(self, index: int) -> SentenceView:
        v = self.views.get(index)
        if v is None:
            start, end = self.sentences[index]
            v = SentenceView.build(self.doc.text, index, start, end, self.by_sentence[index])
            self.views[index] = v
        return v
