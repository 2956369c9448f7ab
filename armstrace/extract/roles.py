"""Role assignment: from a trigger to who gave what to whom (SPEC §1, §2).

Rules work on the token view of one sentence. Each trigger frame (give, get, noun, gnoun, do,
dnoun, anoun; see docs/lexicons.md) has one function that reads the clause around the trigger:
the subject to its left, prepositional objects ("to Y", "from X", "by X", "with Y", "between X
and Y") and the weapon mentions in its object. Coreference is deliberately shallow ("it",
"they", "the country", "its", "these", "them" resolve to the nearest suitable mention before
them): on news prose that is right far more often than it is wrong, and it costs nothing.

Every decision appends a rule id to the event, so a reviewer can see why a role was filled.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import compress

from armstrace.extract.view import Analysis, SentenceView
from armstrace.extract.words import (
    AUXILIARIES,
    BE_FORMS,
    COUNTRY_NOUNS,
    DETERMINERS,
    ITEM_PRONOUNS,
    PREPOSITIONS,
    SUBJECT_PRONOUNS,
    SUBJECT_STOP,
    UNNAMED_SUBJECTS,
)
from armstrace.models import Mention

PERSON_ROLES = frozenset({"leader"})


@dataclass(slots=True)
class Role:
    """One filled role: the actor id, the text it was read from, and how."""

    actor: str
    entity: str | None
    rule: str


@dataclass(slots=True)
class Event:
    """A trigger with its roles, before modality and attribution are read."""

    kind: str
    sentence: int
    trigger: Mention
    frame: str
    stage: str
    tok: tuple[int, int]
    suppliers: list[Role] = field(default_factory=list)
    recipients: list[Role] = field(default_factory=list)
    actors: list[Role] = field(default_factory=list)
    parties: list[Role] = field(default_factory=list)
    items: list[Mention] = field(default_factory=list)
    passive: bool = False
    rules: list[str] = field(default_factory=list)
    agreement_text: str | None = None


# ---------------------------------------------------------------------------------------------
# small readers over a sentence view


def _actor_role(m: Mention) -> Role:
    return Role(m.value, m.text, f"actor:{m.role}")


def _coordinated(v: SentenceView, m: Mention, direction: int, limit: int) -> list[Mention]:
    """`m` and the actors listed with it ("X, Y and Z"), reading in `direction`."""
    found = [m]
    low = v.low
    n = len(low)
    acts = v.cover["actors"]
    a, b = v.token_range(m.start, m.end)
    i = b if direction > 0 else a - 1
    joined = False  # an "and"/"or" seen since the last actor: a comma alone may be apposition
    while 0 <= i < limit if direction > 0 else i >= limit:
        tok = low[i]
        if tok in {",", "and", "or", "as", "well"} or (
            tok in DETERMINERS and tok not in {"that", "this", "these", "those"}
        ):
            joined = joined or tok in {"and", "or"}
            i += direction
            continue
        k = acts[i] if 0 <= i < n else -1
        if k < 0:
            break
        nxt = v.mentions[k]
        if nxt in found:
            break
        _na, nb = v.token_range(nxt.start, nxt.end)
        # "to Ukraine, the Russian president said": a demonym heading a noun is not a list item
        if (
            direction > 0
            and nb < n
            and nxt.role == "demonym"
            and low[nb].isalpha()
            and acts[nb] < 0
        ):
            break
        if direction > 0 and not joined and nb < n and low[nb] not in {",", "and", "or"}:
            break
        if (
            direction > 0
            and nb < n
            and _na >= 2
            and low[_na - 2] == ","
            and low[_na - 1] == "and"
            and (low[nb] in SUBJECT_STOP or low[nb] in AUXILIARIES or v.cue_values(nb, "speech"))
        ):
            break  # "to Ukraine, and Cameron said ...": the subject of a new clause
        joined = False
        found.append(nxt)
        a, b = v.token_range(nxt.start, nxt.end)
        i = b if direction > 0 else a - 1
    return found


def actor_after(v: SentenceView, i: int, hi: int, skip: int = 3) -> Mention | None:
    """The actor starting within `skip` determiner/adjective tokens of position i."""
    low = v.low
    acts = v.cover["actors"]
    n = len(low)
    for j in range(i, min(hi, i + skip + 1)):
        k = acts[j] if 0 <= j < n else -1
        if k >= 0:
            return v.mentions[k]
        w = low[j]
        if (
            w not in DETERMINERS
            and w not in {"western", "allied", "friendly", "neighbouring", "neighboring", "fellow"}
            and not w.endswith("-led")
        ):
            return None
    return None


def _prev_actor_before(
    an: Analysis, offset: int, roles: frozenset[str] | None = None, max_back: int = 3
) -> Mention | None:
    """The last actor mention before `offset`, this sentence or up to `max_back` before."""
    s = an.sentence_of(offset)
    for k in range(s, max(-1, s - max_back - 1), -1):
        for m in reversed(an.by_sentence[k]):
            if m.lexicon != "actors" or m.start >= offset:
                continue
            if roles is None or m.role in roles:
                return m
    return None


STATE_LIKE = frozenset(
    {
        "state",
        "capital",
        "government",
        "leader",
        "demonym",
        "body",
        "group",
        "state_media",
        "intelligence",
        "company",
    }
)


def _subject_person(an: Analysis, v: SentenceView, i: int) -> Mention | None:
    """ "Biden told Zelensky that he would send...": "he" is the speaker in subject position.

    A person named earlier in the same sentence, outside any prepositional phrase, and first in
    it, is the usual antecedent of "he"/"she" in reporting prose; objects and appositions
    come later and lose.
    """
    for m in an.by_sentence[v.index]:
        if m.lexicon != "actors" or m.role != "leader" or m.start >= v.starts[i]:
            continue
        ma, mb = v.token_range(m.start, m.end)
        prev = v.low[ma - 1] if ma > 0 else ""
        nxt = v.low[mb] if mb < len(v.low) else ""
        if prev in PREPOSITIONS or prev in DETERMINERS:
            continue
        k = ma - 1
        while k > 0 and ma - k <= 5 and v.texts[k][:1].isupper():
            k -= 1  # "with Japanese Defence Minister Yuko Kurihara": a title before the name
        if k < ma - 1 and v.low[k] in PREPOSITIONS:
            continue
        if prev == "," and (nxt in {",", ")"} or ma < 2):
            continue  # an apposition ("the Ukrainian president, Volodymyr Zelenskiy,")
        return m  # "In a call on Monday, Biden informed ...": a subject after an opener
    return None


def resolve_pronoun(an: Analysis, v: SentenceView, i: int) -> Role | None:
    """ "it", "they", "the country", "he" → the actor named most recently before token i."""
    m = None
    if v.low[i] in {"he", "she"}:
        m = _subject_person(an, v, i)
    if m is None:
        m = _prev_actor_before(an, v.starts[i], STATE_LIKE)
    if m is None:
        return None
    return Role(m.value, m.text, "coref:pronoun")


def find_subject(an: Analysis, v: SentenceView, a: int, lo: int) -> list[Role]:
    """The actor(s) acting as subject of the word at token a: nearest to the left, not inside a
    prepositional phrase, not past a reporting verb."""
    # the view's columns, read directly: this runs once or twice per trigger over the clause
    # to its left, and `mention_at` per token cost more than the rest of the loop
    low = v.low
    acts = v.cover["actors"]
    mentions = v.mentions
    triggers = v.triggers
    i = a - 1
    while i >= lo:
        tok = low[i]
        if tok in SUBJECT_STOP:
            break
        k = acts[i]
        if k < 0 and tok in UNNAMED_SUBJECTS:
            # "Western countries sent weapons": the subject is there, just not named;
            # "Chinese firms sold engines": the adjective names it
            owner = v.mention_at("actors", i - 1) if i > lo else None
            if owner is not None and owner.role in {"demonym", "state"}:
                return [_actor_role(owner)]
            if i - 3 >= lo and low[i - 1] in {"its", "their"} and low[i - 2] == "and":
                lead = v.mention_at("actors", i - 3)  # "the Soviet Union and its allies"
                if lead is not None and lead.role in {"state", "capital", "body"}:
                    return [_actor_role(lead)]
            # "two companies in Serbia shipped shells": the place names them
            if i + 2 < a and low[i + 1] in {"in", "from"}:
                place = v.mention_at("actors", i + 2)
                if place is not None and place.role in {"state", "capital"}:
                    return [_actor_role(place)]
            return [Role("unknown", None, "subject:unnamed")]
        if i < a - 1:
            if i > 0 and low[i - 1] == "," and tok.endswith("ing"):
                break  # ", prompting X to send": a participle clause has its own subject
            if triggers[i] and _starts_verb(triggers[i], v.starts[i]):
                break  # "plans to sell radars to Seoul to upgrade": the upgrade is not the seller's
        if k >= 0:
            m = mentions[k]
            ma, _mb = v.token_range(m.start, m.end)
            prev = low[ma - 1] if ma > 0 else ""
            prev2 = low[ma - 2] if ma > 1 else ""
            if prev in PREPOSITIONS or (prev in DETERMINERS and prev2 in PREPOSITIONS):
                i = ma - 1
                continue
            return [_actor_role(x) for x in _coordinated(v, m, -1, lo)]
        if tok in SUBJECT_PRONOUNS and (i == 0 or low[i - 1] not in PREPOSITIONS):
            r = resolve_pronoun(an, v, i)
            return [r] if r else []
        if tok in COUNTRY_NOUNS and i > 0 and low[i - 1] == "the":
            r = resolve_pronoun(an, v, i - 1)
            return [r] if r else []
        i -= 1
    return []


VERB_ROLES = frozenset({"give", "get", "do"})


def _starts_verb(trigs: list[Mention], start: int) -> bool:
    """Whether one of a token's trigger mentions is a verb frame starting at the token."""
    return any(t.start == start and t.role in VERB_ROLES for t in trigs)


def find_pp(v: SentenceView, b: int, hi: int, preps: frozenset[str] | set[str]) -> list[Mention]:
    """Actors governed by one of `preps` in tokens [b, hi): "to Ukraine and Poland", "to
    Ukraine in 2019 and to Poland later", "to a drone plant in Russia"."""
    low = v.low
    # frames ask for several prepositions over one clause, most of them absent: one C-level
    # test answers those without a loop
    if b >= hi or preps.isdisjoint(low[b:hi]):
        return []
    for i in compress(range(b, hi), map(preps.__contains__, low[b:hi])):
        m = actor_after(v, i + 1, hi)
        if m is not None and m.role == "demonym":
            _ma, mb = v.token_range(m.start, m.end)
            if mb < hi and any(t.role in {"noun", "gnoun"} for t in v.triggers[mb]):
                continue  # "approval to an Israeli shipment of arms": whose shipment
        if m is None and low[i] in {"to", "into"}:
            m = _place_after(v, i + 1, hi)
        if m is not None:
            found = _coordinated(v, _possessed(v, m, hi), +1, hi)
            _a, e = v.token_range(found[-1].start, found[-1].end)
            for j in range(e, min(hi - 1, e + 8)):
                if low[j] in {";", "but", "while"}:
                    break
                if low[j] in {"and", "or"} and low[j + 1] == low[i]:
                    more = actor_after(v, j + 2, hi)
                    if more is not None and more not in found:
                        found.append(more)
                    break
            return found
    return []


def _place_after(v: SentenceView, i: int, hi: int) -> Mention | None:
    """ "to a drone plant in Russia": the state a destination lies in."""
    for j in range(i, min(hi, i + 6)):
        if v.low[j] in {",", ";", "and", "by", "from", "with"} or v.triggers[j]:
            return None
        if v.low[j] == "in":
            m = actor_after(v, j + 1, hi, skip=1)
            if m is not None and m.role in {"state", "capital"}:
                return m
            return None
    return None


def _possessed(v: SentenceView, m: Mention, hi: int) -> Mention:
    """ "to Sudan's Rapid Support Forces": the possessed actor, not its owner, is meant."""
    _a, b = v.token_range(m.start, m.end)
    if b + 1 < hi and v.low[b] in {"'s", "’s"}:
        head = actor_after(v, b + 1, hi, skip=2)
        if head is not None and head.role in {"group", "government", "intelligence", "company"}:
            return head
    return m


_NONE = -1  # in `SentenceView.cover`: a token no mention of the lexicon covers


def items_in(v: SentenceView, lo: int, hi: int) -> list[Mention]:
    """Weapon mentions in tokens [lo, hi); a generic head right after a designation
    ("Hwasong-11 missiles", "Geran-2 drones") is the same item, and the designation's more
    specific category stands for both."""
    lo = max(lo, 0)
    cover = v.cover["weapons"][lo:hi]
    # most spans a frame asks about hold no item or one: test the column in C before looping
    if not cover or max(cover) < 0:
        return []
    mentions = v.mentions
    low = v.low
    seen: list[Mention] = []
    last: Mention | None = None  # seen[-1]
    pb = -1  # the token after `last`, found when a second item asks for it
    # `compress` skips in C the tokens no weapon covers
    for i in compress(range(lo, lo + len(cover)), map(_NONE.__lt__, cover)):
        m = mentions[cover[i - lo]]
        if m is last:
            continue
        if last is not None:
            if pb < 0:
                pb = v.token_range(last.start, last.end)[1]
            if i - pb > MAX_LIST_GAP or not OBJECT_END.isdisjoint(low[pb:i]):
                break  # a list runs "A, B and over 10,000 C"; a long gap is another phrase
            if (
                m.role == "generic"
                and last.role == "designation"
                and i - pb <= 3
                and WEAPON_FILLERS.issuperset(low[pb:i])
            ):
                continue
        seen.append(m)
        last, pb = m, -1
    return seen


# words between two items of one list: "shells, ballistic missiles and more than 10,000 troops"
MAX_LIST_GAP = 6

# after the first item, these words start a modifier of it, not another item ("launchers
# capable of carrying nuclear warheads", "an engine for its long-range missiles")
OBJECT_END = frozenset(
    {
        "capable",
        "which",
        "that",
        "who",
        "able",
        "designed",
        "intended",
        "for",
        "with",
        "armed",
        "carrying",
        "equipped",
        "fitted",
        "like",
        "against",
    }
)

# words that may sit between a designation and its generic head ("Iskander-M tactical missile")
WEAPON_FILLERS = frozenset(
    {
        "tactical",
        "strategic",
        "short-range",
        "medium-range",
        "long-range",
        "intermediate-range",
        "new",
        "upgraded",
        "military",
        "transport",
        "maritime",
        "patrol",
        "light",
        "heavy",
        "medium",
        "advanced",
        "modern",
        "solid-fuel",
        "liquid-fuel",
        "hypersonic",
        "cruise",
        "ballistic",
        "main",
        "battle",
        "attack",
        "air",
        "defence",
        "defense",
        "multirole",
        "combat",
        "fighter",
        "type",
        "class",
        "-",
        "series",
        "model",
    }
)


def _item_pronoun(an: Analysis, v: SentenceView, b: int, hi: int) -> list[Mention]:
    """ "send these to Russia" → the weapon named most recently before."""
    for i in range(b, min(hi, b + 2)):
        if v.low[i] in ITEM_PRONOUNS:
            s = v.index
            for k in range(s, max(-1, s - 3), -1):
                cands = [
                    m for m in an.by_sentence[k] if m.lexicon == "weapons" and m.start < v.starts[i]
                ]
                if cands:
                    return [cands[-1]]
    return []


def next_trigger(v: SentenceView, b: int, hi: int) -> int:
    """Position of the next verb trigger after b, or hi: an object ends where a new event starts."""
    triggers = v.triggers
    # `compress` skips in C the tokens no trigger covers (their list is the shared empty one)
    for i in compress(range(b, hi), triggers[b:hi]):
        if _starts_verb(triggers[i], v.starts[i]) and not (
            i > 0 and v.low[i - 1] in {"to", "and", "a", "an", "the"}
        ):
            return i  # "tested an upgraded Hwasong-11": an adjective does not end the object
    return hi


def demonym_of(v: SentenceView, item: Mention, lo: int) -> Mention | None:
    """An actor directly modifying an item: "North Korean missiles", "Russia's drones"."""
    a, _ = v.token_range(item.start, item.end)
    low = v.low
    cover = v.cover
    j = a - 1
    steps = 0
    while j >= lo and steps < 3:
        w = low[j]
        if w in {"'s", "’s"}:
            j -= 1
            continue
        k = cover["actors"][j]
        if k >= 0:
            m = v.mentions[k]
            return (
                m if m.role in {"demonym", "state", "capital", "group", "company", "body"} else None
            )
        if v.triggers[j] or w in AUXILIARIES:
            return None  # "Poland will build K2 tanks": a verb stands between
        if (
            cover["weapons"][j] < 0
            and w not in DETERMINERS
            and not w.endswith(("-made", "-built", "-designed"))
            and (not v.texts[j][:1].islower() or len(w) > 12)
        ):
            return None
        j -= 1
        steps += 1
    return None


def is_passive(v: SentenceView, a: int, form: str) -> bool:
    j = a - 1
    while j >= 0 and v.low[j] in {
        "also",
        "already",
        "reportedly",
        "allegedly",
        "being",
        "not",
        "recently",
        "now",
        "secretly",
        "illegally",
        "successfully",
    }:
        if v.low[j] == "being":
            return True
        j -= 1
    return (
        j >= 0
        and v.low[j] in BE_FORMS
        and (
            form.endswith("ed")
            or form
            in {"sent", "sold", "given", "bought", "sought", "lent", "built", "got", "handed over"}
        )
    )
