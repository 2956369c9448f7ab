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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import compress, count
from typing import Any, overload

from armstrace.extract.lexicon import Hit, Matches, mentions_of
from armstrace.extract.tokenize import token_columns
from armstrace.extract.words import CLAUSE_BREAK
from armstrace.models import Claim, Document, Mention, Source

# Shared by every token that no mention of a kind covers, so that a view allocates one list per
# covered token instead of one per token; never mutated (build replaces it before appending).
_NO_MENTIONS: list[Mention] = []


@dataclass(slots=True)
class SentenceView:
    """Tokens of one sentence with the mentions covering each token.

    Per-token data is kept as parallel columns indexed by token position, with no `Token`
    object per token: rules read the columns. Per-token mention lists are shared between
    views and tokens (the empty one above, the lists `cue_values` returns): read them, never
    mutate them.
    """

    index: int
    start: int
    end: int
    mentions: list[Mention]
    low: list[str] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    # per token: index into `mentions` of the covering mention of each lexicon, or -1
    cover: dict[str, list[int]] = field(default_factory=dict)
    triggers: list[list[Mention]] = field(default_factory=list)
    # indices of the clause-break tokens, ascending (made by the first `clause_bounds` call)
    breaks: list[int] | None = None
    # the cues, as mentions and as hits not yet made mentions, and the text of the hits: what
    # `cue_types` is made of when first read (most views of sentences with no event never are)
    cue_mentions: list[Mention] = field(default_factory=list)
    cue_hits: Sequence[Hit] = ()
    doc_text: str = ""
    _cue_types: dict[str, list[list[Mention]]] | None = None

    @classmethod
    def build(
        cls,
        text: str,
        index: int,
        start: int,
        end: int,
        mentions: list[Mention],
        cue_hits: Sequence[Hit] = (),
    ) -> SentenceView:
        """The view of text[start:end] with `mentions` and the cue hits not yet made mentions
        (`Matches.deferred`): those become mentions here, the only place that reads them."""
        starts, ends, texts = token_columns(text, start, end)
        low = list(map(str.lower, texts))
        n = len(texts)
        cover = {"actors": [-1] * n, "weapons": [-1] * n, "sources": [-1] * n}
        triggers = [_NO_MENTIONS] * n
        cue_mentions: list[Mention] = []
        # Most mentions cover one token: that case skips the loop over a range.
        for k, m in enumerate(mentions):
            lexicon = m.lexicon
            if lexicon == "cues":
                cue_mentions.append(m)
                continue
            # token_range, inlined: a view is built for every sentence with a trigger
            a = bisect_left(ends, m.start + 1)
            b = bisect_right(starts, m.end - 1)
            if a >= b:
                continue
            if lexicon == "triggers":
                if b - a == 1 and triggers[a] is _NO_MENTIONS:
                    triggers[a] = [m]
                    continue
                for i in range(a, b):
                    here = triggers[i]
                    triggers[i] = [m] if here is _NO_MENTIONS else [*here, m]
            else:
                covered = cover[lexicon]
                if b - a == 1:
                    if covered[a] < 0:
                        covered[a] = k
                    continue
                for i in range(a, b):
                    if covered[i] < 0:
                        covered[i] = k
        return cls(
            index,
            start,
            end,
            mentions,
            low,
            starts,
            ends,
            texts,
            cover,
            triggers,
            None,
            cue_mentions,
            cue_hits,
            text,
        )

    @property
    def cue_types(self) -> dict[str, list[list[Mention]]]:
        """Cue type -> per token: the cue mentions of that type covering it, in order (what
        `cue_values` answers; rules ask it for most tokens of a clause)."""
        found = self._cue_types
        if found is None:
            found = self._cue_types = self._index_cues()
        return found

    def _index_cues(self) -> dict[str, list[list[Mention]]]:
        # Per-token lists are never appended to once stored: a second mention replaces the
        # list with a longer copy, so the empty one can be shared.
        n = len(self.low)
        starts, ends = self.starts, self.ends
        cue_types: dict[str, list[list[Mention]]] = {}
        for m in (*self.cue_mentions, *mentions_of(self.doc_text, self.cue_hits)):
            a = bisect_left(ends, m.start + 1)
            b = bisect_right(starts, m.end - 1)
            if a >= b:
                continue
            of_type = cue_types.get(m.role)
            if of_type is None:
                of_type = cue_types[m.role] = [_NO_MENTIONS] * n
            for i in range(a, b):
                here = of_type[i]
                of_type[i] = [m] if here is _NO_MENTIONS else [*here, m]
        return cue_types

    def token_range(self, start: int, end: int) -> tuple[int, int]:
        """Indices [a, b) of the tokens inside the character span [start, end)."""
        a = bisect_left(self.ends, start + 1)
        b = bisect_right(self.starts, end - 1)
        return (a, b) if b > a else (a, a)

    def mention_at(self, lexicon: str, i: int) -> Mention | None:
        # Rules call this tens of thousands of times per corpus pass and almost never past the
        # end, so the upper bound is left to the list (a try block costs nothing untriggered)
        if i >= 0:
            try:
                k = self.cover[lexicon][i]
            except IndexError:
                return None
            if k >= 0:
                return self.mentions[k]
        return None

    def cue_values(self, i: int, type_: str) -> list[Mention]:
        """The cue mentions of type `type_` covering token i, in mention order (do not mutate)."""
        if i >= 0:
            of_type = self.cue_types.get(type_)
            if of_type is None:
                return _NO_MENTIONS if i < len(self.low) else []
            try:  # as in mention_at: past the end is rare
                return of_type[i]
            except IndexError:
                return []
        return []

    def cue_tokens(self, type_: str) -> list[int]:
        """Indices, ascending, of the tokens a cue of type `type_` covers: a loop over these
        visits exactly the tokens for which `cue_values(i, type_)` is not empty."""
        of_type = self.cue_types.get(type_)
        if of_type is None:
            return []
        return list(compress(count(), of_type))  # an empty list is false

    def trigger_tokens(self) -> list[int]:
        """Indices, ascending, of the tokens a trigger mention covers."""
        return list(compress(count(), self.triggers))

    def clause_bounds(self, a: int, b: int) -> tuple[int, int]:
        """The clause around tokens [a, b): out to the nearest break on each side, at most
        MAX_CLAUSE_TOKENS beyond [a, b).

        Frames ask this a few times per sentence; the break positions are found once, in C,
        and each call is two bisections instead of a walk token by token.
        """
        breaks = self.breaks
        if breaks is None:
            breaks = self.breaks = list(compress(count(), map(CLAUSE_BREAK.__contains__, self.low)))
        k = bisect_left(breaks, a)
        lo = max(a - MAX_CLAUSE_TOKENS, breaks[k - 1] + 1 if k else 0, 0)
        k = bisect_left(breaks, b, k)
        hi = min(b + MAX_CLAUSE_TOKENS, breaks[k] if k < len(breaks) else len(self.low))
        return lo, hi


# no clause in news prose runs this long; the cap bounds the work per trigger on run-on input
MAX_CLAUSE_TOKENS = 60


@dataclass(slots=True)
class Person:
    """A named person the article introduced, remembered for later "he said" / surname use."""

    name: str
    type: str
    affiliation: str | None


class People:
    """The people and organisations an article has named as speakers so far, by sentence.

    Speakers are read in document order: "Bennett said" or "he said" means whoever an earlier
    sentence introduced. Most sentences with a reporting verb matter only for what they add
    here, so the attribution step reads them only when a later lookup could see what they add
    (`pending`, and `read` to read one, set by that step). Each entry is kept with the sentence
    that wrote it, and a lookup made while sentence `at` is read sees the last entry written at
    or before `at`: reading a skipped sentence late then gives every lookup the answer that
    reading all sentences in order gives.
    """

    __slots__ = ("_entries", "_seq", "at", "pending", "read", "text")

    def __init__(self) -> None:
        self._entries: dict[str, list[tuple[int, int, Person]]] = {}
        self._seq = 0
        self.at = 0  # the sentence being read
        # (index, start, end) of the sentences not read yet, in order; what reads one
        self.pending: list[tuple[int, int, int]] = []
        self.read: Callable[[int], None] | None = None
        self.text = ""

    def _settle(self, key: str) -> None:
        """Read the skipped sentences before `at` that could have written `key`: for the last
        speaker and organisation ("\x00" keys) all of them, for a surname those whose text
        holds it. Each is read at its own index, so its own lookups settle in turn."""
        pending = self.pending
        if not pending or pending[0][0] >= self.at or self.read is None:
            return
        k = bisect_left(pending, (self.at,))
        if key.startswith("\x00"):
            chosen = pending[:k]
        else:
            text = self.text
            if text.find(key, pending[0][1], pending[k - 1][2]) < 0:
                return
            chosen = [p for p in pending[:k] if text.find(key, p[1], p[2]) >= 0]
        was = self.at
        for p in chosen:
            if p in pending:  # not read meanwhile, by an earlier one's own lookups
                pending.remove(p)
                self.at = p[0]
                self.read(p[0])
        self.at = was

    def get(self, key: str) -> Person | None:
        self._settle(key)
        best: tuple[int, int, Person] | None = None
        for entry in self._entries.get(key, ()):
            if entry[0] <= self.at and (best is None or entry[:2] > best[:2]):
                best = entry
        return best[2] if best is not None else None

    def __contains__(self, key: str) -> bool:
        return self.get(key) is not None

    def __getitem__(self, key: str) -> Person:
        found = self.get(key)
        if found is None:
            raise KeyError(key)
        return found

    def __setitem__(self, key: str, person: Person) -> None:
        self._seq += 1
        self._entries.setdefault(key, []).append((self.at, self._seq, person))


class SentenceMentions(Sequence[list[Mention]]):
    """The mentions of each sentence, built from its hits the first time a rule asks
    (`lexicon.Matches`): rules read a quarter of an article's sentences, the ones with an
    event and a few before them, and building the rest was a good part of matching's cost."""

    __slots__ = ("_hits", "_made", "_text")

    def __init__(self, text: str, hits: list[list[Hit]]) -> None:
        self._text = text
        self._hits = hits
        self._made: list[list[Mention] | None] = [None] * len(hits)

    def __len__(self) -> int:
        return len(self._hits)

    @overload
    def __getitem__(self, k: int) -> list[Mention]: ...

    @overload
    def __getitem__(self, k: slice) -> list[list[Mention]]: ...

    def __getitem__(self, k: int | slice) -> list[Mention] | list[list[Mention]]:
        if isinstance(k, slice):
            return [self[i] for i in range(*k.indices(len(self._hits)))]
        made = self._made[k]
        if made is None:
            made = self._made[k] = mentions_of(self._text, self._hits[k])
        return made


@dataclass(slots=True)
class Analysis:
    """Everything the pipeline knows about one document; components fill it in turn."""

    doc: Document
    sentences: list[tuple[int, int]] = field(default_factory=list)
    # what the lexicon component found (`mentions`, `by_sentence` and `cue_hits` read it)
    matches: Matches | None = None
    views: dict[int, SentenceView] = field(default_factory=dict)
    # sentence index -> mentions in it, built when first asked for (`SentenceMentions`)
    by_sentence: Sequence[list[Mention]] = field(default_factory=list)
    # sentence index -> its cue hits, which become mentions only in its view (`Matches.deferred`)
    cue_hits: list[list[Hit]] = field(default_factory=list)
    # character spans of quotations and the speaker each is attributed to (or None)
    quotes: list[tuple[int, int, Source | None]] = field(default_factory=list)
    people: People = field(default_factory=People)
    # per sentence: speech frames found by attribution, used by assembly
    speech: dict[int, list[Any]] = field(default_factory=dict)
    events: list[Any] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    lexicon_version: str = ""
    _starts: list[int] = field(default_factory=list)

    @property
    def mentions(self) -> list[Mention]:
        """Every mention of the document but the cues, in order (built on each call)."""
        return self.matches.mentions if self.matches is not None else []

    def sentence_of(self, offset: int) -> int:
        if len(self._starts) != len(self.sentences):
            self._starts = [s for s, _ in self.sentences]
        return max(0, bisect_right(self._starts, offset) - 1)

    def view(self, index: int) -> SentenceView:
        v = self.views.get(index)
        if v is None:
            start, end = self.sentences[index]
            cues = self.cue_hits[index] if self.cue_hits else ()
            v = SentenceView.build(self.doc.text, index, start, end, self.by_sentence[index], cues)
            self.views[index] = v
        return v
