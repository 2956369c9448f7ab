"""Lexicon loading, validation and matching.

The lexicons are data (docs/lexicons.md); this module turns them into one Aho-Corasick
automaton so that a document is scanned once, in C, for every actor, weapon, trigger and cue
form at the same time. Scanning per lexicon or per regex would make matching the slowest stage
of the pipeline; one automaton keeps it a small fraction of bare tokenising.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from operator import itemgetter
from pathlib import Path

import ahocorasick

from armstrace import vocab
from armstrace.errors import LexiconError
from armstrace.models import Mention

ID_RE = re.compile(r"^[a-z0-9][a-z0-9._\-]*$")

ACTOR_ROLES = (
    "state",
    "demonym",
    "capital",
    "leader",
    "government",
    "intelligence",
    "state_media",
    "company",
    "group",
    "body",
)
WEAPON_KINDS = ("designation", "generic", "stop")
TRIGGER_FRAMES = ("give", "get", "noun", "gnoun", "do", "dnoun", "sign", "anoun")
CUE_TYPES = ("certainty", "negation", "timing", "speech", "role_noun")

# past forms that do not end in -ed; the tense of a trigger form is read from its spelling
IRREGULAR_PAST = frozenset(
    [
        "sent",
        "sold",
        "gave",
        "given",
        "bought",
        "got",
        "sought",
        "lent",
        "built",
        "froze",
        "frozen",
        "made",
        "took",
        "came",
        "brought",
        "fought",
        "shot",
        "told",
        "said",
        "wrote",
        "drew",
        "grew",
        "threw",
        "flew",
        "led",
        "held",
        "met",
        "paid",
        "put",
        "set",
        "spent",
        "won",
        "withdrew",
        "rode",
    ]
)


@dataclass(frozen=True, slots=True)
class Entry:
    """One lexicon line: where it came from, what it means, and its forms."""

    lexicon: str  # file stem: actors, sources, weapons, triggers, cues
    id: str
    value: str  # actor id / source type / category / trigger kind / cue value
    role: str  # actor role / source affiliation / weapon kind / trigger frame / cue type
    stage: str  # triggers only; "-" elsewhere
    forms: tuple[str, ...]
    line: int


@dataclass(frozen=True, slots=True)
class _Pattern:
    entry: Entry
    form: str  # the variant as it must appear (for case-sensitive forms)
    exact: bool  # case-sensitive?


# ---------------------------------------------------------------------------------------------
# loading and validation

_COLUMNS = {
    "actors": ("id", "actor", "role", "names"),
    "sources": ("id", "type", "affiliation", "names"),
    "weapons": ("id", "category", "kind", "names"),
    "triggers": ("id", "kind", "frame", "stage", "names"),
    "cues": ("id", "type", "value", "names"),
}


def _check_row(stem: str, cols: list[str], where: str) -> Entry:
    if stem == "actors":
        id_, actor, role, names = cols
        if role not in ACTOR_ROLES:
            raise LexiconError(f"{where}: unknown actor role {role!r}")
        if not (
            actor == "unknown"
            or vocab.ACTOR_UPPER_RE.match(actor)
            or vocab.ACTOR_SLUG_RE.match(actor)
        ):
            raise LexiconError(f"{where}: malformed actor id {actor!r}")
        return Entry(stem, id_, actor, role, "-", _forms(names, where), 0)
    if stem == "sources":
        id_, type_, affiliation, names = cols
        if type_ not in vocab.SOURCE_TYPES:
            raise LexiconError(f"{where}: unknown source type {type_!r}")
        return Entry(stem, id_, type_, affiliation, "-", _forms(names, where), 0)
    if stem == "weapons":
        id_, category, kind, names = cols
        if kind not in WEAPON_KINDS:
            raise LexiconError(f"{where}: unknown weapon kind {kind!r}")
        if kind == "stop" and category != "-":
            raise LexiconError(f"{where}: a stop entry has category '-', not {category!r}")
        if kind != "stop" and category not in vocab.CATEGORIES:
            raise LexiconError(f"{where}: unknown category {category!r} (SPEC §3)")
        return Entry(stem, id_, category, kind, "-", _forms(names, where), 0)
    if stem == "triggers":
        id_, kind, frame, stage, names = cols
        if kind not in vocab.KINDS:
            raise LexiconError(f"{where}: unknown kind {kind!r}")
        if frame not in TRIGGER_FRAMES:
            raise LexiconError(f"{where}: unknown frame {frame!r}")
        if stage != "-" and stage not in vocab.STAGES[kind]:
            raise LexiconError(f"{where}: stage {stage!r} is not a {kind} stage (SPEC §1)")
        return Entry(stem, id_, kind, frame, stage, _forms(names, where), 0)
    id_, type_, value, names = cols
    if type_ not in CUE_TYPES:
        raise LexiconError(f"{where}: unknown cue type {type_!r}")
    if type_ == "role_noun" and value not in vocab.SOURCE_TYPES:
        raise LexiconError(f"{where}: role_noun value {value!r} is not a SPEC §5 source type")
    return Entry(stem, id_, value, type_, "-", _forms(names, where), 0)


def _forms(names: str, where: str) -> tuple[str, ...]:
    forms = tuple(f.strip() for f in names.split("|"))
    if not forms or any(not f for f in forms):
        raise LexiconError(f"{where}: empty form in names {names!r}")
    return forms


def load_file(path: Path | str, stem: str | None = None) -> list[Entry]:
    """Read and validate one lexicon file; every problem names file:line."""
    path = Path(path)
    # "actors.people.tsv" is a part of the actors lexicon: big lexicons split by theme
    stem = stem or path.name.split(".")[0]
    if stem not in _COLUMNS:
        raise LexiconError(f"{path}: unknown lexicon {stem!r} (expected one of {sorted(_COLUMNS)})")
    ncols = len(_COLUMNS[stem])
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise LexiconError(f"{path}: cannot read lexicon: {e}") from e
    entries: list[Entry] = []
    seen: dict[str, int] = {}
    for n, line in enumerate(raw.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        where = f"{path.name}:{n}"
        cols = line.rstrip("\r").split("\t")
        if len(cols) != ncols:
            raise LexiconError(
                f"{where}: expected {ncols} tab-separated columns "
                f"({', '.join(_COLUMNS[stem])}), found {len(cols)}"
            )
        cols = [c.strip() for c in cols]
        if not ID_RE.match(cols[0]):
            raise LexiconError(f"{where}: malformed id {cols[0]!r}")
        if cols[0] in seen:
            raise LexiconError(f"{where}: duplicate id {cols[0]!r} (first on line {seen[cols[0]]})")
        seen[cols[0]] = n
        entry = _check_row(stem, cols, where)
        entries.append(
            Entry(entry.lexicon, entry.id, entry.value, entry.role, entry.stage, entry.forms, n)
        )
    return entries


def _plural(form: str) -> list[str]:
    if form.endswith(("s", "x", "ch", "sh")):
        return [form + "es"]
    if form.endswith("y") and len(form) > 1 and form[-2] not in "aeiou":
        return [form[:-1] + "ies", form + "s"]
    return [form + "s"]


def variants(entry: Entry, form: str) -> set[str]:
    """The forms a lexicon form predictably also takes (docs/lexicons.md)."""
    out = {form}
    if entry.lexicon == "weapons" and entry.role == "designation":
        for sep in ("-", " "):
            if sep in form and any(c.isdigit() for c in form):
                out |= {form.replace(sep, alt) for alt in ("-", " ", "")}
    if entry.lexicon == "weapons" and entry.role != "stop":
        out |= {p for f in list(out) for p in _plural(f)}
    if "'" in form or "’" in form:
        out |= {f.replace("’", "'") for f in out} | {f.replace("'", "’") for f in out}
    return out


def _spaces(text: str) -> str:
    """`text` with each line break and tab turned into a space.

    Wire copy breaks lines inside phrases ("a nuclear\ntest"); a line break or tab matches the
    space of a multi-word form. One character for one, so offsets stay offsets into the text.
    Three `str.replace` calls rather than one `str.translate`: translate looks every character
    up in its table once the text holds a non-ASCII character (a curly quote is enough), which
    made it the dearest step of matching, while replace scans in C at memchr speed.
    """
    return text.replace("\n", " ").replace("\r", " ").replace("\t", " ")


def _fold(text: str) -> str:
    """Lower-case without changing length, so automaton offsets are offsets into `text`."""
    low = text.lower()
    if len(low) != len(text):
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return _spaces(low)


# What a key's automaton value holds per form, ready for `Lexicons.match_all`: the exact
# spelling to compare (apostrophes straightened) or None when case-insensitive, and the tail
# of the hit's row, built once: the lexicon's place in `Lexicons.lexicons`, the order among
# hits of one span and lexicon (file line, then place in the entry list), what the hit does
# to others (`_kind`), and the entry.
_Tail = tuple[int, int, int, Entry]
_Hit = tuple[str | None, _Tail]
# An automaton value: the key's length plus one; None when the masked key stands for one
# folded key alone, else a map from each folded key it stands for to that key's hits; the hits
# of the key when there is just the one; and, when that key has a single case-insensitive
# form, the tail of its one hit (most keys: `match_all` then skips the general path).
_Value = tuple[int, dict[str, tuple[_Hit, ...]] | None, tuple[_Hit, ...], _Tail | None]

# The word mask: every ASCII word character (regex \w: str.isalnum, or "_") stays, every other
# ASCII character becomes a space, every non-ASCII word character "_" and every other
# non-ASCII character a space. One character for one, so offsets stay offsets.
_ASCII_WORD = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_MASK_TABLE = bytes(c if c in _ASCII_WORD else 32 for c in range(256))


def _mask_non_ascii(exc: UnicodeError) -> tuple[str, int]:
    """Encode error handler: a run of non-ASCII characters as "_" (word) or " " (not)."""
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    run = exc.object[exc.start : exc.end]
    return "".join(["_" if c.isalnum() else " " for c in run]), exc.end


codecs.register_error("armstrace-word-mask", _mask_non_ascii)


def _mask(folded: str) -> str:
    """The word mask of `folded` (see `_MASK_TABLE`).

    Encoding to ASCII and translating bytes runs in C at a few hundred MB/s; the error handler
    is called once per run of non-ASCII characters, a few per article (curly quotes, dashes).
    `str.translate` on text with any non-ASCII character looks each character up in a dict,
    and `re.sub` builds a piece per non-word character: both cost more than the scan saves.
    """
    # the commonest non-ASCII characters of news copy become spaces first, in C: each run of
    # them would otherwise call the error handler
    for c in _COMMON_NON_WORD:
        folded = folded.replace(c, " ")
    return folded.encode("ascii", "armstrace-word-mask").translate(_MASK_TABLE).decode("ascii")


_COMMON_NON_WORD = ("’", "“", "”", "–", "—")


# What a hit does besides becoming a mention (`Lexicons.match_all`), by its lexicon and role:
_PLAIN = 0  # nothing (cues)
_STOP = 1  # a weapon stop entry: takes its words from every weapon hit, and is no mention
_NAME = 2  # an actor or source: a weapon or trigger hit inside it is no mention
_WORD = 3  # a weapon or trigger: no mention inside a name ("Rocket Force", "Boeing Airplanes")


def _kind(entry: Entry) -> int:
    if entry.lexicon in ("actors", "sources"):
        return _NAME
    if entry.lexicon == "weapons":
        return _STOP if entry.role == "stop" else _WORD
    return _WORD if entry.lexicon == "triggers" else _PLAIN


# A kept hit: its start, minus its end, and its row tail (`_Tail`). `match_all` hands these
# out, and they become mentions only where they are read (`mentions_of`).
Hit = tuple[int, int, _Tail]


_TAIL = itemgetter(2)
_ENTRY = itemgetter(3)


def hit_entries(hits: Iterable[Hit]) -> list[Entry]:
    """The entries of `hits`, read in C (the events gate asks this of every sentence)."""
    return list(map(_ENTRY, map(_TAIL, hits)))


class _MentionSlots:
    """Mention's memory layout without its frozen `__setattr__`: a scratch object to fill.

    A frozen dataclass sets each field through a method call (its `__init__` goes through
    object.__setattr__), which made building mentions the dearest step of matching. Plain
    attribute stores on this mutable twin are the interpreter's fastest path to a slot;
    assigning `__class__` afterwards (allowed because both classes have exactly the same
    slots) makes the object a genuine, frozen `Mention`: same type, equality, hash, repr and
    pickling as one made by `Mention(...)`.
    """

    __slots__ = Mention.__slots__
    start: int
    end: int
    text: str
    lexicon: str
    entry_id: str
    value: str
    role: str
    stage: str


def mentions_of(text: str, hits: Iterable[Hit]) -> list[Mention]:
    """The mentions of `hits` (from `match_all`), built the cheap way (see `_MentionSlots`)."""
    out: list[Mention] = []
    add = out.append
    new = object.__new__
    for start, neg_end, tail in hits:
        entry = tail[3]
        m = new(_MentionSlots)
        m.start = start
        m.end = -neg_end
        m.text = text[start:-neg_end]
        m.lexicon = entry.lexicon
        m.entry_id = entry.id
        m.value = entry.value
        m.role = entry.role
        m.stage = entry.stage
        m.__class__ = Mention  # type: ignore[assignment]  # see _MentionSlots
        add(m)  # type: ignore[arg-type]  # it is a Mention now
    return out


@dataclass(frozen=True, slots=True)
class Matches:
    """What `Lexicons.match_all` finds in a text, as hits that become mentions when read.

    Most sentences of an article are never looked at by a rule: building a mention for every
    hit cost more than matching itself, so the pipeline builds those of a sentence only when
    it asks for them (`view.SentenceMentions`). The properties build them all, in order.
    """

    text: str
    hits: list[Hit]  # the kept hits of every lexicon but the deferred one, in mention order
    # per sentence given: its hits, in order (a hit that runs past its sentence's end is in
    # `hits` only)
    sentence_hits: list[list[Hit]]
    # per sentence given: the hits of the deferred lexicon, if any, in order
    deferred: list[list[Hit]]
    lexicons: list[str]  # `Lexicons.lexicons`, the order of `by_lexicon`

    @property
    def mentions(self) -> list[Mention]:
        """In order: start, longest first, lexicon, file line."""
        return mentions_of(self.text, self.hits)

    @property
    def by_sentence(self) -> list[list[Mention]]:
        return [mentions_of(self.text, hits) for hits in self.sentence_hits]

    @property
    def by_lexicon(self) -> dict[str, list[Mention]]:
        """The mentions of each lexicon that has any, in order."""
        out: dict[str, list[Mention]] = {lexicon: [] for lexicon in self.lexicons}
        for m in self.mentions:
            out[m.lexicon].append(m)
        return {lexicon: ms for lexicon, ms in out.items() if ms}


class Lexicons:
    """All lexicons of a pipeline, compiled into one automaton.

    The automaton scans the word mask of the folded text (`_mask`), and its keys are the masked
    forms with a space on each side, so it reports whole-word hits only. Scanning the folded
    text itself reported about twice as many hits, most of them short forms inside longer
    words ("is" in "this", "us" in "thus"), and iterating the automaton costs per hit reported,
    not per character, before any Python code looks at a hit. A masked key that differs from
    its folded key (spaces, punctuation, non-ASCII letters, "_") may stand for several folded
    keys ("f-16", "f 16", "f.16"): those hits are checked against the folded text.
    """

    def __init__(self, entries: Iterable[Entry]) -> None:
        self.entries: list[Entry] = list(entries)
        self.actor_ids: set[str] = set()
        self.by_id: dict[str, Entry] = {}
        automaton = ahocorasick.Automaton()
        table: dict[str, list[_Pattern]] = {}
        for entry in self.entries:
            self.by_id[f"{entry.lexicon}:{entry.id}"] = entry
            if entry.lexicon == "actors":
                self.actor_ids.add(entry.value)
            for form in entry.forms:
                exact = form != form.lower()
                for variant in variants(entry, form):
                    table.setdefault(variant.lower(), []).append(_Pattern(entry, variant, exact))
        self._patterns: dict[str, tuple[_Pattern, ...]] = {}
        eid = {id(entry): n for n, entry in enumerate(self.entries)}
        # the lexicons in the order their entries come: the order of mentions of one span
        self.lexicons: list[str] = list(dict.fromkeys(e.lexicon for e in self.entries))
        rank = {lexicon: r for r, lexicon in enumerate(self.lexicons)}
        masked: dict[str, dict[str, tuple[_Hit, ...]]] = {}
        for key, patterns in table.items():
            self._patterns[key] = tuple(patterns)
            masked.setdefault(_mask(key), {})[key] = tuple(
                (
                    p.form.replace("’", "'") if p.exact else None,
                    (
                        rank[p.entry.lexicon],
                        p.entry.line << 32 | eid[id(p.entry)],
                        _kind(p.entry),
                        p.entry,
                    ),
                )
                for p in patterns
            )
        for mkey, keys in masked.items():
            value: _Value
            # a key of ASCII letters and digits alone is its own mask, and no other key's
            if mkey in keys and mkey.isalnum():
                hits = keys[mkey]
                only = hits[0][1] if len(hits) == 1 and hits[0][0] is None else None
                value = (len(mkey) + 1, None, hits, only)
            else:
                value = (len(mkey) + 1, keys, (), None)
            automaton.add_word(f" {mkey} ", value)
        automaton.make_automaton()
        self._automaton = automaton
        digest = hashlib.sha256()
        for entry in self.entries:
            digest.update(f"{entry.lexicon}\t{entry.id}\t{entry.value}\t{entry.forms}".encode())
        self.version = digest.hexdigest()[:12]

    def is_actor(self, actor_id: str) -> bool:
        return actor_id in self.actor_ids or actor_id in vocab.BODIES

    def scan(self, text: str) -> Iterator[tuple[int, int, _Pattern]]:
        """Every whole-word hit of every form, overlapping, in end order."""
        folded = _fold(text)
        # the mask has a space on each side, as the keys have; a hit's last index in it is
        # the index just past the hit in `text`, plus one
        for last, (span, keys, _hits, _only) in self._automaton.iter(f" {_mask(folded)} "):
            start, end = last - span, last - 1
            if keys is not None and folded[start:end] not in keys:
                continue
            surface = None
            for p in self._patterns[folded[start:end]]:
                if p.exact:
                    if surface is None:
                        surface = _spaces(text[start:end].replace("’", "'"))
                    if surface != p.form.replace("’", "'"):
                        continue
                yield start, end, p

    def match(self, text: str) -> list[Mention]:
        """Mentions in `text` after resolving overlaps within each lexicon (see `match_all`)."""
        return self.match_all(text).mentions

    def match_all(
        self, text: str, sentences: Sequence[tuple[int, int]] = (), defer: str | None = None
    ) -> Matches:
        """The hits in `text` that are mentions after resolving overlaps within each lexicon.

        Within a lexicon the longest hit wins (so "suicide drones" beats "drones", "Russian
        Defense Ministry" beats "Russian"); weapon `stop` entries remove every weapon hit they
        cover. Hits of different lexicons may overlap: "program" can be a trigger inside the
        weapon phrase "nuclear program". Only names win across lexicons: a weapon or trigger
        hit inside an actor or source name, and not the whole of it, is dropped ("Boeing
        Commercial Airplanes" is a company, not aircraft; "Rocket Force" is an armed service,
        not rockets), after it has taken its words from the hits of its own lexicon. Mentions
        of one span in several lexicons come in the order of `lexicons`.

        This is `scan` and the overlap rule fused into one loop over one sorted list, because
        it runs on every document and its per-hit Python work is most of the matching time:
        each hit is a plain tuple whose order is the order of the rule (leftmost, longest,
        lexicon, file line, scan order), so a single C sort replaces a sort per lexicon and a
        final merge. All of a hit but its offsets is one tuple per form, built with the
        automaton, so a hit costs a three-item tuple. Hits of one span and lexicon all come
        from one key, in the order of the entry list, so a number made of the file line and
        the place in that list orders them as the scan did, with no counter kept per hit.

        The kept hits are also handed out by sentence (a hit belongs to the last of
        `sentences` starting at or before it, if it ends by that sentence's end) in the same
        loop. They are the sorted rows themselves: nothing is built per hit until a sentence's
        mentions are asked for (`Matches`, `mentions_of`).

        The hits of lexicon `defer` are kept apart, per sentence only (`Matches.deferred`),
        overlaps resolved as for the others. The pipeline defers the cues: half of all hits,
        read only by the few sentences that get a `SentenceView`.
        """
        folded = _fold(text)
        # what a case-sensitive form is compared with: the text as written, apostrophes
        # straightened and line breaks made spaces, prepared once rather than per hit
        surfaces: str | None = None
        rows: list[Hit] = []
        append = rows.append
        # as in `scan`: hits are whole-word, `last - span` is a hit's start in `text` and
        # `1 - last` minus its end
        for last, (span, keys, hits, only) in self._automaton.iter(f" {_mask(folded)} "):
            if only is not None:
                append((last - span, 1 - last, only))
                continue
            if keys is not None:
                found = keys.get(folded[last - span : last - 1])
                if found is None:
                    continue
                hits = found
            for form, tail in hits:
                if form is not None:
                    if surfaces is None:
                        surfaces = _spaces(text.replace("’", "'"))
                    if surfaces[last - span : last - 1] != form:
                        continue
                append((last - span, 1 - last, tail))
        rows.sort()
        # per lexicon: the span that last took tokens; it blocks overlapping hits, except hits
        # of the very same span: one form may mean several things ("believed": hedge and
        # speech verb)
        lexicons = self.lexicons
        taken_start = [-1] * len(lexicons)
        taken_end = [-1] * len(lexicons)
        kept: list[Hit] = []
        keep = kept.append
        by_sentence: list[list[Hit]] = [[] for _ in sentences]
        deferred: list[list[Hit]] = [[] for _ in sentences]
        skip = lexicons.index(defer) if defer in lexicons else -1
        # the sentence that hits go to (none yet), and where the next one starts
        k, last_k = -1, len(sentences) - 1
        sentence_end = -1
        current: list[Hit] = []
        never = len(text) + 1
        next_start = sentences[0][0] if sentences else never
        # the name (actor or source mention) that reaches furthest so far
        name_start = name_end = -1
        for row in rows:
            start, neg_end, (r, _order, kind, _entry) = row
            end = -neg_end
            if start < taken_end[r] and (start != taken_start[r] or end != taken_end[r]):
                continue
            taken_start[r] = start
            taken_end[r] = end
            if kind:
                if kind == _WORD:
                    if end <= name_end and (start != name_start or end != name_end):
                        continue
                elif kind == _NAME:
                    if end > name_end:
                        name_start, name_end = start, end
                else:
                    continue  # _STOP
            while start >= next_start:
                k += 1
                sentence_end = sentences[k][1]
                current = by_sentence[k]
                next_start = sentences[k + 1][0] if k < last_k else never
            if r == skip:
                if end <= sentence_end:
                    deferred[k].append(row)
                continue
            keep(row)
            if end <= sentence_end:
                current.append(row)
        return Matches(text, kept, by_sentence, deferred, lexicons)

    def lookup(self, term: str) -> list[Entry]:
        """Entries whose forms match the whole of `term` (for `armstrace lexicon lookup`)."""
        found: list[Entry] = []
        for start, end, p in self.scan(term):
            if start == 0 and end == len(term) and p.entry not in found:
                found.append(p.entry)
        return found


def data_dir() -> Path:
    return Path(str(resources.files("armstrace.lexicons")))


def load_entries(paths: Iterable[Path | str] | None = None) -> list[Entry]:
    """Entries from the shipped lexicons (default) or the given files, stems naming the kind."""
    files = list(paths) if paths is not None else sorted(data_dir().glob("*.tsv"))
    entries: list[Entry] = []
    for path in files:
        entries.extend(load_file(path))
    return entries


@cache
def default_lexicons() -> Lexicons:
    """The shipped lexicons, compiled once per process."""
    return Lexicons(load_entries())
