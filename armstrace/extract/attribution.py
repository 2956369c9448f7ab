"""Attribution (SPEC §5): who asserts each claim.

Sentences are read in document order so that people introduced early ("Bruce Bennett, a
researcher at RAND") are known when they are later called "Bennett" or "he". A reporting verb
yields a speech frame: the cue, the speaker's noun phrase (left of the cue for "X said", right
of it for "said X", "according to X", "reported by X"), and a typed Source. A claim takes the
frame nearest its trigger in its sentence; the other frames become `via`. A quotation that runs
over several sentences lends its speaker to every sentence inside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import chain, compress
from operator import attrgetter

from armstrace.extract.view import Analysis, Person, SentenceView
from armstrace.extract.words import (
    ANAPHORIC_DOCS,
    CALENDAR_WORDS,
    DETERMINERS,
    DOCUMENT_NOUNS,
    LEADER_TITLES,
    PASSIVE_BE,
    PERSON_NOUNS,
    PERSON_TITLES,
    PRONOUN_SPEAKERS,
    WEEKDAYS,
    WIKI_QUOTES,
)
from armstrace.models import Mention, Source

NP_SKIP = (
    frozenset(
        {
            "that",
            "which",
            "has",
            "have",
            "had",
            "also",
            "already",
            "long",
            "still",
            "now",
            "just",
            "even",
            "ever",
            "later",
            "again",
            "repeatedly",
            "previously",
            "earlier",
            "today",
            "yesterday",
            "publicly",
            "officially",
            "then",
            "once",
            "recently",
            "last",
            "week",
            "month",
            "year",
            "on",
            "further",
            "reportedly",
            "is",
            "was",
            "were",
            "are",
            "would",
            "will",
            "in",
            "a",
            "statement",
            "concurred",
            "by",
            "saying",
            "speaking",
            "directly",
            "told",
            "separately",
            "who",
        }
    )
    | WEEKDAYS
)
NP_WORDS = frozenset(
    {
        "committee",
        "members",
        "member",
        "panel",
        "senior",
        "unnamed",
        "former",
        "top",
        "several",
        "some",
        "other",
        "many",
        "western",
        "state",
        "official",
        "military",
        "defense",
        "defence",
        "foreign",
        "intelligence",
        "anonymous",
        "unidentified",
        "two",
        "three",
        "both",
        "independent",
        "local",
        "government",
        "chief",
        "deputy",
        "assistant",
        "u.s.",
        "us",
        "news",
        "media",
        "here",
        "diplomatic",
        "security",
        "white",
        "house",
        "prime",
        "vice",
        "the",
        "a",
        "an",
        "his",
        "her",
        "their",
        "its",
        "and",
        "'s",
        "’s",
        "of",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "said",
        "familiar",
        "with",
        "matter",
        "briefed",
        "well-informed",
        "informed",
        "russian",
        "american",
        "british",
        "north",
        "south",
        "report",
        "statement",
        "agency",
        "state-run",
        "state-owned",
        "semi-official",
    }
)
ROLE_PRIORITY = (
    "state_media",
    "intelligence",
    "anonymous",
    "analyst",
    "government",
    "media",
    "other",
)
_VALUE = attrgetter("value")
NAME_RE = re.compile(r"^[A-ZÀ-ÖØ-Þ][^\W\d_'’.\-]*[\w'’.\-]*$")  # "Chávez", "O'Brien"


@dataclass(slots=True)
class Speech:
    """One reporting verb and the speaker it attributes to."""

    cue_tok: int
    np: tuple[int, int]
    source: Source
    probable: bool


def _np_word(
    texts: list[str],
    low: list[str],
    actors: list[int],
    sources: list[int],
    roles: list[list[Mention]] | None,
    j: int,
) -> bool:
    """Whether token j can sit inside a speaker noun phrase: a capitalised word, a name, a
    speaker word, a role noun. Takes the view's columns rather than the view: the phrase
    scans below test every token of the phrase and read the columns once."""
    return bool(
        texts[j][:1].isupper()
        or actors[j] >= 0
        or sources[j] >= 0
        or low[j] in NP_WORDS
        or (roles is not None and roles[j])
    )


def _np_left(v: SentenceView, i: int) -> tuple[int, int] | None:
    # columns in locals rather than `cue_values`/`mention_at` calls: this runs for most
    # reporting verbs and tests each token of the phrase
    low, texts = v.low, v.texts
    actors, sources = v.cover["actors"], v.cover["sources"]
    roles = v.cue_types.get("role_noun")  # per token, the role nouns covering it (or None)
    j = i - 1
    while (
        j >= 0
        and (low[j] in NP_SKIP or (low[j].endswith("ly") and len(low[j]) > 4))
        and not texts[j][:1].isupper()
    ):
        j -= 1  # auxiliaries and adverbs: "the administration has already briefed"
    if j > 0 and low[j] in WIKI_QUOTES and texts[j - 1][:1].isupper():
        j -= 1  # "''Xinhua'' has stated": wiki markup around a name
    if j > 0 and low[j] == ",":
        # "A senior official, speaking on condition of anonymity, said": skip the aside
        k = j - 1
        while k >= max(0, j - 14) and low[k] != ",":
            k -= 1
        if k >= 1 and low[k] == "," and low[k + 1].endswith(("ing", "ed")):
            j = k - 1
        elif _np_word(texts, low, actors, sources, roles, j - 1) and not low[i].endswith("ing"):
            # "Russia's defense minister, Sergei Ivanov, said Monday" (not ", saying that":
            # a participle's subject is the clause's, not the word before the comma)
            j -= 1
    elif j > 0 and not _np_word(texts, low, actors, sources, roles, j):
        # "two US officials who spoke on condition of anonymity said": skip the relative clause
        k = j
        while k >= max(0, j - 12) and low[k] not in _RELATIVE_STOP:
            k -= 1
        if k >= 1 and low[k] == "who":
            j = k - 1
    end = j + 1
    while j >= 0:
        w = low[j]
        if (
            _np_word(texts, low, actors, sources, roles, j)
            or (w == "-" or w.endswith("-based"))
            or (w in WIKI_QUOTES and j > 0 and texts[j - 1][:1].isupper())
        ):
            j -= 1
            continue
        # "officials in Kyiv", "analysts at RAND": the place or employer belongs to the speaker
        if w in {"in", "at", "from"} and j > 0 and roles is not None and roles[j - 1]:
            j -= 1
            continue
        break
    start = j + 1
    k = start - 1
    while k >= 0 and start - k <= 3 and texts[k].isalpha() and texts[k].islower():
        if low[k] in {"the", "a", "an"} and k < start - 1:
            start = k  # "the economy ministry", "the defence consultancy Aldridge Analytics"
            break
        if low[k] in NP_SKIP or v.triggers[k]:
            break
        k -= 1
    while start < end and low[start] in {"and", "of", "'s", "’s", "said", "with"}:
        start += 1
    if start >= end:
        return None
    return start, end


_RELATIVE_STOP = frozenset({"who", ",", ".", "“", "”", '"'})
# what may stand between a second verb and "but"/"and" ("but did tell reporters")
_COORD_SKIP = NP_SKIP | {"did", "does", "do"}


def _coordinated_subject(v: SentenceView, i: int) -> tuple[int, int] | None:
    """ "Kremlin spokesperson Dmitry Peskov declined to elaborate but did tell reporters":
    the second verb's speaker is the sentence's opening noun phrase, when it names a person."""
    j = i - 1
    while j > 0 and v.low[j] in _COORD_SKIP:
        j -= 1
    if j <= 0 or v.low[j] not in {"but", "and"}:
        return None
    np = _np_right(v, 0)
    if (
        np is None
        or np[1] >= j
        or not (_person_name(v, *np) or v.cue_values(np[1] - 1, "role_noun"))
    ):
        return None
    return np


def _np_right(v: SentenceView, i: int) -> tuple[int, int] | None:
    low, texts = v.low, v.texts
    actors, sources = v.cover["actors"], v.cover["sources"]
    roles = v.cue_types.get("role_noun")
    j = i
    n = len(low)
    while j < n and low[j] in {"to", "by", "as", "the"} and j - i < 2:
        j += 1
    start = j
    while j < n:
        w = low[j]
        if _np_word(texts, low, actors, sources, roles, j) or w == "-":
            if w in {"said", "with"} and j > start:
                break
            j += 1
            continue
        if (
            w in {"for", "of", "at"}
            and j > start
            and j + 1 < n
            and (texts[j + 1][:1].isupper() or actors[j + 1] >= 0 or sources[j + 1] >= 0)
        ):
            j += 1  # "a spokesman for Iran's air force": the employer is part of the speaker
            continue
        break
    if j <= start or CALENDAR_WORDS.issuperset(low[start:j]):
        return None  # "Sergei Ivanov, said Monday": a date is not a speaker
    return start, j


def classify(an: Analysis, v: SentenceView, a: int, b: int, cue: str) -> Source:
    """A typed Source for the speaker noun phrase tokens [a, b)."""
    return _classify(an, v, a, b, cue, _person_name(v, a, b))


def _classify(
    an: Analysis, v: SentenceView, a: int, b: int, cue: str, person: str | None
) -> Source:
    """`classify` with the phrase's `_person_name` already found (the caller needs it too)."""
    words = v.low[a:b]
    if len(words) == 1 and words[0] in PRONOUN_SPEAKERS:
        return _pronoun_source(an, words[0], cue, v.starts[a])
    # one space for any run of whitespace: wire copy breaks lines inside names
    text = " ".join(an.doc.text[v.starts[a] : v.ends[b - 1]].split()).strip(" ,'")
    # looked up only when the phrase can refer back to it: a lookup of the last organisation
    # makes the attribution step read every sentence it skipped so far (view.People)
    if (
        len(words) == 2
        and words[0] in {"the", "that", "this", "its"}
        and words[1] in ANAPHORIC_DOCS
        and (org_before := an.people.get("\x00org")) is not None
    ):
        return Source(text, org_before.type, org_before.affiliation, cue)
    # the first actor, the first source and the first state-media actor wholly inside the
    # phrase, in one pass over the sentence's mentions
    lo, hi = v.starts[a], v.ends[b - 1]
    actor = org = state_media = None
    for m in v.mentions:
        if m.start >= lo and m.end <= hi:
            lexicon = m.lexicon
            if lexicon == "actors":
                if actor is None:
                    actor = m
                if state_media is None and m.role == "state_media":
                    state_media = m
            elif lexicon == "sources" and org is None:
                org = m
    role_nouns = v.cue_types.get("role_noun")
    roles: set[str] = (
        set(map(_VALUE, chain.from_iterable(role_nouns[a:b]))) if role_nouns is not None else set()
    )
    if person is None and b - a == 1 and NAME_RE.match(v.texts[a]) and v.texts[a] in an.people:
        person = an.people[v.texts[a]].name
    known = an.people.get(person.split()[-1]) if person else None
    if state_media is not None:
        return Source(text, "state_media", state_media.value, cue)
    if "state_media" in roles:
        return Source(text, "state_media", actor.value if actor else None, cue)
    if (actor is not None and actor.role == "intelligence") or "intelligence" in roles:
        return Source(text, "intelligence", actor.value if actor else None, cue)
    if known is not None and not roles - {"government", "analyst"}:
        return Source(known.name, known.type, known.affiliation, cue)
    if "anonymous" in roles and not person:
        return Source(text, "anonymous", None, cue)
    if actor is None and org is None and not person and set(words) & {"diplomat", "diplomats"}:
        return Source(text, "anonymous", None, cue)  # "a Western diplomat": no institution
    if org is not None and org.value in {"analyst", "media"} and "government" not in roles:
        name = person or text
        src = Source(name, org.value, org.text, cue)
        _remember(an, person, src)
        return src
    if person is None and actor is not None and _leader_title(words):
        leader = _named_leader(an, actor.value, v.starts[a])
        if leader is not None:
            # "the Russian president said" after "Vladimir Putin ...": the name, as SPEC §5
            # names speakers (a title is what the outlet calls him, not who he is)
            return Source(leader.text, "government", actor.value, cue)
    for role in ROLE_PRIORITY:
        if role in roles and role != "media":
            aff = actor.value if actor and role == "government" else (org.text if org else None)
            src = Source(person or text, role, aff, cue)
            _remember(an, person, src)
            return src
    if actor is not None and actor.role in {"company", "group"}:
        return Source(text, "other", actor.value, cue)
    if actor is not None:
        src = Source(person or text, "government", actor.value, cue)
        _remember(an, person, src)
        return src
    if "media" in roles:
        return Source(text, "media", None, cue)
    if person:
        p = an.people.get(person.split()[-1])
        if p is not None:
            return Source(p.name, p.type, p.affiliation, cue)
        return Source(person, "other", None, cue)
    return Source(text or None, "other", None, cue)


def _leader_title(words: list[str]) -> bool:
    """ "the Russian president", "the Indian prime minister" (the title is the head: not "the
    Ukrainian president's office")."""
    return bool(words) and (words[-1] in LEADER_TITLES or words[-2:] == ["prime", "minister"])


def _named_leader(an: Analysis, state: str, offset: int) -> Mention | None:
    """The leader of `state` the article named last before `offset`, by the actors lexicon."""
    found = None
    for m in an.mentions:
        if m.start >= offset:
            break
        if m.lexicon == "actors" and m.role == "leader" and m.value == state:
            found = m
    return found


def _remember(an: Analysis, person: str | None, src: Source) -> None:
    if person:
        an.people[person.split()[-1]] = Person(person, src.type, src.affiliation)
        an.people["\x00last"] = Person(person, src.type, src.affiliation)


def _person_name(v: SentenceView, a: int, b: int) -> str | None:
    """The personal name inside a speaker phrase ("U.S. Secretary of Defense Lloyd Austin").

    The first run of capitalised name words of two or more, or of one that is the surname of a
    leader the sentence names; the runs after it are never looked at.
    """
    texts, low, mentions = v.texts, v.low, v.mentions
    actors, sources = v.cover["actors"], v.cover["sources"]
    cur: list[str] = []
    for i in range(a, b + 1):
        if i < b:
            t = texts[i]
            k = actors[i]
            # `t != low[i]` first: a word with no capital letter cannot match NAME_RE, and a
            # comparison is cheaper than a regex call
            if (
                t != low[i]
                and NAME_RE.match(t)
                and low[i] not in PERSON_TITLES
                and sources[i] < 0
                and (k < 0 or mentions[k].role == "leader")
            ):
                cur.append(t)
                continue
        if cur:
            if len(cur) >= 2:
                return " ".join(cur)
            if _known_surname(v, cur[0]):
                return cur[0]
            cur = []
    return None


def _known_surname(v: SentenceView, word: str) -> bool:
    """Whether `word` is the last word of a leader the sentence names (the test stops at the
    first such leader instead of collecting every surname)."""
    for m in v.mentions:  # a loop, not any(generator): most sentences name no leader
        if m.role == "leader" and m.lexicon == "actors" and m.text.split()[-1] == word:
            return True
    return False


def _last_leader(an: Analysis, offset: int) -> Mention | None:
    k = an.sentence_of(offset)
    for j in range(k, max(-1, k - 5), -1):
        start = an.sentences[j][0]
        for m in reversed(an.by_sentence[j]):
            # only a person near the start of a sentence is its topic; one named later is
            # usually an object ("... sell jets to India, Manmohan Singh said")
            if (
                m.lexicon == "actors"
                and m.role == "leader"
                and m.start < offset
                and m.start - start <= 60
                and not _after_preposition(an.doc.text, start, m.start)
            ):
                return m
    return None


_TITLED_OBJECT = re.compile(
    r"\b(?:with|to|by|for|from|of|at|on|about|against)\s+(?:[A-Z][\w.'’-]*\s+){0,5}$"
)


def _after_preposition(text: str, start: int, pos: int) -> bool:
    """Whether the name at `pos` is the object of a preposition, titles between ("In his talks
    with Japanese Defence Minister Yuko Kurihara, he said": the name is not who "he" is)."""
    return _TITLED_OBJECT.search(text, start, pos) is not None


def _last_speech_at(an: Analysis, offset: int) -> int:
    """Offset of the last reporting verb before `offset` (in the frames read so far)."""
    k = an.sentence_of(offset)
    for j in range(k, max(-1, k - 5), -1):
        starts: list[int] = [an.view(j).starts[f.cue_tok] for f in an.speech.get(j, [])]
        before = [s for s in starts if s < offset]
        if before:
            return max(before)
    return -1


def _pronoun_source(an: Analysis, word: str, cue: str, offset: int = -1) -> Source:
    last = an.people.get("\x00last")
    if word in {"he", "she"} and offset >= 0:
        # the person named most recently, if named after the last speaker spoke ("Uribe ...
        # he said. Venezuelan president Hugo Chávez urged calm. 'We still have time,' he said")
        named = _last_leader(an, offset)
        if named is not None and (last is None or named.start > _last_speech_at(an, offset)):
            kind = "government" if named.value.isupper() else "other"
            return Source(named.text, kind, named.value, cue)
    if word in {"he", "she"} and last is not None:
        return Source(last.name, last.type, last.affiliation, cue)
    last_src = an.people.get("\x00org")
    if last_src is not None:
        return Source(last_src.name, last_src.type, last_src.affiliation, cue)
    if last is not None:
        return Source(last.name, last.type, last.affiliation, cue)
    return Source(word, "other", None, cue)


def speech_frames(an: Analysis, v: SentenceView) -> list[Speech]:
    """Every reporting verb of the sentence with its typed speaker."""
    frames: list[Speech] = []
    speech = v.cue_types.get("speech")
    if speech is None:
        return frames
    seen: set[int] = set()
    actors, sources = v.cover["actors"], v.cover["sources"]
    low = v.low
    # the tokens a speech cue covers (`cue_tokens`), picked out in C
    for i in compress(range(len(speech)), speech):
        if i in seen:
            continue
        if actors[i] >= 0 or sources[i] >= 0:
            continue  # "the United States", "Daily Report": part of a name, not a verb
        m = speech[i][0]
        w = low[i]
        prev = low[i - 1] if i > 0 else ""
        if (prev in DETERMINERS or prev in {"his", "her", "their", "its", "our", "my"}) and w in {
            "report",
            "reports",
            "statement",
            "claims",
            "claim",
            "announcement",
            "allegations",
            "accusations",
            "notes",
            "note",
            "estimates",
            "estimate",
            "warning",
            "warnings",
        }:
            continue  # "his diary notes", "the report": nouns, not reporting verbs
        np: tuple[int, int] | None
        nxt = low[i + 1] if i + 1 < len(low) else ""
        if w in {"states", "state"} and nxt not in {"that", ",", ".", ":", "“", '"', "in"}:
            continue  # "EU member states understand": the noun, not the reporting verb
        if nxt == "," and prev in PRONOUN_SPEAKERS and i >= 2 and low[i - 2] == ",":
            # "Programs most prone, they agreed, are ...": a parenthetical speaker
            src = classify(an, v, i - 1, i, m.value)
            frames.append(Speech(i, (i - 1, i), src, False))
            continue
        if (prev in PASSIVE_BE and (w.endswith("ed") or w in {"said", "told"})) or (
            nxt == "of" and w in {"accused", "alleged", "suspected"}
        ):
            # "companies were accused of ...", "entities accused of ...", "it is said": the
            # subject is what is spoken about; the speaker is the "by" agent or unnamed
            by = next((k for k in range(i + 1, min(len(low), i + 4)) if low[k] == "by"), None)
            np = _np_right(v, by + 1) if by is not None else None
            if np is None:
                continue
            src = classify(an, v, np[0], np[1], m.value)
            frames.append(Speech(i, np, src, w in {"alleged", "suspected"}))
            continue
        if (
            w in {"according", "citing", "quoting", "cited", "quoted"}
            or m.text.lower() == "reported by"
        ):
            seen.update(range(i, i + 2))
            np = _np_right(v, i + (2 if w == "according" else 1))
            if w == "reported" and np is None:
                np = _np_right(v, i + 1)
            left = False
        elif prev in {",", "”", '"', "''"} or i == 0:
            np = _np_right(v, i + 1)
            left = np is None
            np = np or _np_left(v, i)
        else:
            np = _np_left(v, i)
            if np is None:
                np = _coordinated_subject(v, i)
            left = np is not None
            if np is None and i + 1 < len(low):
                np = _np_right(v, i + 1)
        if np is None or low[np[1] - 1] in {"'s", "’s"}:
            continue  # "citing Germany's decision": a possessive is a modifier, not a speaker
        relative = np[1] == i - 1 and low[np[1]] in {"that", "which", "who"}
        if (
            left
            and not relative
            and np[0] > 0
            and low[np[0] - 1]
            in {
                "between",
                "of",
                "with",
                "and",
                "to",
                "from",
                "for",
                "in",
                "on",
            }
        ):
            continue  # the object of a preposition is not who speaks
        np = _apposition(v, np)
        if not left:
            np = _document_author(v, np)
            np = _right_apposition(v, np)
        person = _person_name(v, *np)
        src = _classify(an, v, np[0], np[1], m.value, person)
        if person is None and src.type in {
            "analyst",
            "media",
            "state_media",
            "government",
            "intelligence",
        }:
            an.people["\x00org"] = Person(src.name or "", src.type, src.affiliation)
        probable = w in {"alleged", "alleges", "allege", "alleging"}
        if (
            low[np[1] - 1] in PERSON_NOUNS
            and person is None
            and src.type in {"government", "analyst", "intelligence", "other"}
        ):
            # "The senior U.S. official also said ... He added": an unnamed person who speaks
            # is who a following "he" or "she" most likely is
            an.people["\x00last"] = Person(src.name or "", src.type, src.affiliation)
        frames.append(Speech(i, np, src, probable))
    return frames


def _document_author(v: SentenceView, np: tuple[int, int]) -> tuple[int, int]:
    """ "according to a statement from the Pakistan Navy", "customs records reviewed by the
    Osterberg Centre": the organisation behind a document is the source."""
    a, b = np
    n = len(v.low)
    j = b
    if j < n and v.low[j] in DOCUMENT_NOUNS:
        j += 1
    elif not (b > a and v.low[b - 1] in DOCUMENT_NOUNS):
        return np
    for k in range(j, min(n - 1, j + 3)):
        if v.low[k] in {"from", "by"}:
            author = _np_right(v, k + 1)
            return author if author is not None else np
    return np


def _right_apposition(v: SentenceView, np: tuple[int, int]) -> tuple[int, int]:
    """ "said Daniel Morrow, a Korea specialist at the Lindqvist Institute": the apposition says
    what kind of source the person is, so it is classified with the name."""
    a, b = np
    n = len(v.low)
    if b + 2 >= n or v.low[b] != "," or v.low[b + 1] not in {"a", "an", "the"}:
        return np
    for k in range(b + 2, min(n, b + 12)):
        if v.low[k] in {",", ".", ";", "said", "says"} or v.triggers[k]:
            break
        if v.cue_values(k, "role_noun"):
            end = k + 1
            while end < n and v.low[end] not in {",", ".", ";", "who", "which", "that"}:
                end += 1
            return a, min(end, b + 16)
    return np


def _apposition(v: SentenceView, np: tuple[int, int]) -> tuple[int, int]:
    """ "Bruce Bennett, a researcher at the RAND Corporation told" → widen the phrase to the name.

    The words between the comma and the organisation (a role noun and a preposition) say what
    the person is; the whole span is classified together, and the name found inside it.
    """
    a = np[0]
    j = a - 1
    while j >= 0 and j >= a - 6 and v.low[j] != ",":
        if v.low[j] in {"said", "told", ".", "“", "”", '"'}:
            return np
        j -= 1
    if j < 1 or v.low[j] != ",":
        return np
    roles = v.cue_types.get("role_noun")
    if roles is None or not any(roles[j + 1 : np[1]]):
        return np
    k = j - 1
    while k >= 0 and NAME_RE.match(v.texts[k]) and v.mention_at("actors", k) is None:
        k -= 1
    if j - 1 - k < 2 or v.low[j - 1] in CALENDAR_WORDS:
        return np  # one capitalised word ("June", "Friday") is not a person's name
    if k == j - 1:
        return np
    return k + 1, np[1]


QUOTE_RE = re.compile(r"“[^”]{1,4000}”|\"[^\"\n]{1,4000}\"")
QUOTE_MAX = 4000


def find_quotes(text: str) -> list[tuple[int, int]]:
    """The spans `QUOTE_RE.finditer` matches, found with `str.find`.

    The regex engine tests every character of the article for an opening mark; `find` jumps
    from one mark to the next in C, and an article has a few dozen marks in thousands of
    characters. A curly quotation runs from “ to the first ” after it, a straight one from " to
    the first " after it with no line break between, each with 1 to QUOTE_MAX characters
    inside; when a mark opens no quotation, the search goes on from the character after it.
    """
    find = text.find
    spans: list[tuple[int, int]] = []
    curly, straight = find("“"), find('"')  # the next mark of each kind not yet passed
    while curly >= 0 or straight >= 0:
        if straight < 0 or 0 <= curly < straight:
            p = curly
            q = find("”", p + 1, p + QUOTE_MAX + 2)
        else:
            p = straight
            q = find('"', p + 1, p + QUOTE_MAX + 2)
            if q > p + 1 and find("\n", p + 1, q) >= 0:
                q = -1
        if q > p + 1:
            spans.append((p, q + 1))
            pos = q + 1
        else:
            pos = p + 1
        if 0 <= curly < pos:
            curly = find("“", pos)
        if 0 <= straight < pos:
            straight = find('"', pos)
    return spans
