"""Certainty, polarity, timing and stage (SPEC §1, §4), read from cues scoped to the trigger.

Scope matters more than the cue list: "Klingner said North Korea has already provided..." is
certain even though the article around it is full of "may" and "could". Hedges are read from
the trigger's own clause and the reporting verbs that govern it ("I suspect that...", "raising
concerns that..."), stopping at clause breaks such as "but" or "although"; negation is read from
the trigger's verb group only, or from a negating verb that governs it ("denied supplying").
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import compress, count

from armstrace.extract.lexicon import IRREGULAR_PAST
from armstrace.extract.roles import Event
from armstrace.extract.view import SentenceView
from armstrace.extract.words import (
    AUX_SKIP,
    CAUSATIVES,
    CONTINUING,
    FUTURE_AUX,
    HARD_BREAK,
    LIGHT_VERBS,
    PAST_AUX,
    PLAN_VERBS,
    PLAN_WORDS,
    PRESENT_BE,
    START_VERBS,
    TENSE_NEUTRAL,
    TENTATIVE,
    WILL,
)

COMMIT = {
    "agreed": "agreed",
    "agree": "agreed",
    "agrees": "agreed",
    "pledged": "agreed",
    "pledge": "agreed",
    "promised": "agreed",
    "promise": "agreed",
    "decided": "agreed",
    "decision": "agreed",
    "committed": "agreed",
    "announced": "agreed",
    "announce": "agreed",
    "vowed": "agreed",
    "signed": "agreed",
    "ordered": "agreed",
    "plans": "agreed",
    "plan": "agreed",
    "planned": "agreed",
    "intends": "agreed",
    "intention": "agreed",
    "will": "agreed",
    "would": "agreed",
    "offered": "offered",
    "offer": "offered",
    "willing": "offered",
    "ready": "offered",
    "prepared": "offered",
    "bid": "offered",
    "approved": "approved",
    "approve": "approved",
    "authorized": "approved",
    "authorised": "approved",
    "notified": "approved",
    "cleared": "approved",
    "approval": "approved",
    "licence": "approved",
    "license": "approved",
    "asked": "requested",
    "requested": "requested",
    "request": "requested",
    "wants": "requested",
    "want": "requested",
    "seeking": "requested",
    "seeks": "requested",
    "sought": "requested",
    "urged": "requested",
    "refused": "requested",
    "refusal": "requested",
    "declined": "requested",
    "refuses": "requested",
    "declines": "requested",
    "attempting": "requested",
    "tried": "requested",
    "argument": "requested",
    "appealed": "requested",
}


@dataclass(slots=True)
class Modality:
    certainty: str
    polarity: str
    timing: str
    stage: str
    cues: list[str]


MAX_SCOPE_TOKENS = 60  # a hedge further back than this governs something else


def hedge_scope(v: SentenceView, a: int) -> int:
    """First token of the span whose hedges govern the trigger at a."""
    floor = max(-1, a - 1 - MAX_SCOPE_TOKENS)
    # the nearest break at or before a - 1, found in C: this runs once per event over up to
    # sixty tokens, and a Python loop over them cost more than the rest of the scope reading
    window = v.low[floor + 1 : a]
    if HARD_BREAK.isdisjoint(window):
        return floor + 1  # most triggers: no break before them in the sentence
    breaks = map(HARD_BREAK.__contains__, reversed(window))
    return next(compress(count(a - 1, -1), breaks), floor) + 1


def _caused_past(v: SentenceView, a: int) -> bool:
    """Whether the infinitive at token a hangs on a causative or aspectual verb told in the
    past: "Russia launched its invasion, prompting Western countries to send weapons"."""
    for i in range(a - 1, max(-1, a - 8), -1):
        w = v.low[i]
        if w in CAUSATIVES:
            if w.endswith("ing"):
                return any(
                    x in PAST_AUX or x in IRREGULAR_PAST or (len(x) > 3 and x.endswith("ed"))
                    for x in v.low[max(0, i - 12) : i]
                )
            return True
        if w in FUTURE_AUX or w in {",", ";", "that"}:
            return False
    return False


def _parenthetical(v: SentenceView, i: int) -> bool:
    """Whether token i is the verb of a parenthetical attribution: ", they agreed,"."""
    return (
        2 <= i < len(v.low) - 1
        and v.low[i + 1] == ","
        and (v.low[i - 2] == "," and bool(v.cue_values(i, "speech")))
    )


def _tense(form: str) -> str:
    last = form.split()[-1] if " " in form else form
    if last.endswith("ing"):
        return "ing"
    if last.endswith("ed") or last in IRREGULAR_PAST:
        return "past"
    return "base"


def read_modality(v: SentenceView, ev: Event) -> Modality:
    a, b = ev.tok
    low = v.low
    n = len(low)
    cue_types = v.cue_types
    scope = hedge_scope(v, a)
    cues: list[str] = []
    certainty = "certain"
    polarity = "affirmed"
    # --- certainty: hedges between the scope start and the trigger, and just after it
    # (`compress` visits in C only the tokens a cue of the type covers: the same tokens, in
    # the same order, as `cue_tokens` between the bounds, without listing the whole sentence)
    hedges = cue_types.get("certainty", [])
    for i in compress(range(scope, b + 2), hedges[scope : b + 2]):
        for m in hedges[i]:
            if i >= b and m.value != "probable":
                continue
            word = m.text.lower()
            if word in {"exclude", "rule out", "excluding"}:
                certainty = "possible"
            elif word == "reportedly" and any(
                v.cue_values(j, "speech") for j in range(i + 1, min(i + 3, n))
            ):
                continue
            elif m.value == "possible":
                certainty = "possible"
            elif certainty == "certain":
                certainty = "probable"
            cues.append(m.entry_id)
    # --- polarity: a negator in the trigger's verb group, or a negating verb governing it
    negators = cue_types.get("negation", [])
    acts = v.cover["actors"]
    weapons = v.cover["weapons"]
    i = a - 1
    steps = 0
    while i >= scope and steps < 6:
        w = low[i]
        if negators and negators[i] and any(m.value == "negated" for m in negators[i]):
            nxt = low[i + 1] if i + 1 < n else ""
            if nxt in {"exclude", "rule", "only", "just"} or (w == "no" and nxt in {"longer"}):
                pass
            else:
                polarity = "negated"
                cues.append("neg:" + w)
            break
        if (
            w not in AUX_SKIP
            and w not in LIGHT_VERBS
            and acts[i] < 0
            and weapons[i] < 0
            and w not in {",", "the", "a", "any", "its"}
        ):
            break
        i -= 1
        steps += 1
    if polarity == "affirmed" and ev.items:
        # "received no weapons from Iran": the negator sits on the object, not the verb
        ia, _ib = v.token_range(ev.items[0].start, ev.items[0].end)
        if 0 < ia <= b + 2 and low[ia - 1] == "no" and ia > b - 1:
            polarity = "negated"
            cues.append("neg:no-object")
    if polarity == "affirmed" and negators:
        for j in compress(range(scope, a), negators[scope:a]):
            negv = [m for m in negators[j] if m.value == "negverb"]
            if (
                negv
                and j >= 1
                and (
                    low[j - 1] in {"not", "n't", "never"}
                    or (j >= 2 and low[j - 2] in {"not", "n't", "never"})
                )
            ):
                continue  # "would not rule out sending": two negations, an open possibility
            if negv:
                polarity = "negated"
                cues.append(negv[0].entry_id)
                break
    # --- timing
    form = ev.trigger.text.lower()
    tense = _tense(form)
    back = max(0, a - 5)
    if "," in low[back + 1 : a + 1]:
        prev = [w for k, w in enumerate(low[back:a], back) if not _parenthetical(v, k)]
    else:
        prev = low[back:a]  # no comma after any of them: none is a parenthetical verb
    timing = "unspecified"
    # adverbs and negators sit inside the verb group without changing its tense
    near = [w for w in prev if w not in TENSE_NEUTRAL][-4:]
    if "to" in near[-3:] and _caused_past(v, a):
        timing = "past"  # "the invasion prompted Western countries to send weapons"
    elif not FUTURE_AUX.isdisjoint(near) or "to" in near[-3:] or not PLAN_WORDS.isdisjoint(near):
        timing = "future"
    elif (
        tense == "ing"
        and near
        and (near[-1] in PRESENT_BE or "continue" in near or "continues" in near)
    ):
        timing = "ongoing"
    elif (
        tense == "past"
        or not PAST_AUX.isdisjoint(near)
        or (tense == "ing" and near and near[-1] in {"been"})
    ):
        timing = "past"
    elif tense == "base" and ev.frame in {"give", "get", "do"} and form.endswith("s"):
        timing = "ongoing"
    elif ev.frame in {"noun", "gnoun", "dnoun", "anoun"}:
        timing = "unspecified"
    if len(near) >= 2 and near[-1] == "have" and near[-2] == "to" and tense == "past":
        timing = "past"  # "is believed to have sent": a perfect infinitive is past, not a plan
    if near and near[-1] == "being" and tense == "past":
        timing = "ongoing"  # "a fighter being developed for the Air Force"
    if ev.frame in {"noun", "gnoun", "dnoun", "anoun"} and timing == "unspecified":
        timing = _governing_timing(v, scope, a)
    if not CONTINUING.isdisjoint(prev):
        timing = "ongoing" if timing != "future" else timing
    # --- stage
    stage = _stage(v, ev, scope, a, timing, certainty, polarity)
    if ev.kind == "transfer" and (timing == "unspecified" or stage in PROSPECTIVE):
        timing = {"delivered": "past", "unspecified": timing}.get(stage, "future")
    if ev.kind == "agreement" and timing == "unspecified":
        timing = AGREEMENT_TIMING.get(stage, "unspecified")
    if polarity == "negated" and ev.kind == "transfer" and stage == "requested":
        timing = "future"
    return Modality(certainty, polarity, timing, stage, cues)


# a transfer that is offered, asked for, approved or agreed has not happened yet (SPEC §4)
PROSPECTIVE = frozenset({"offered", "requested", "approved", "agreed"})
AGREEMENT_TIMING = {
    "signed": "past",
    "ratified": "past",
    "in_force": "past",
    "suspended": "past",
    "negotiating": "ongoing",
    "proposed": "future",
}


def _governing_timing(v: SentenceView, scope: int, a: int) -> str:
    """Tense of a nominal event, read from the verb that governs it ("began production of")."""
    for i in range(a - 1, max(scope, a - 6) - 1, -1):
        w = v.low[i]
        if w in START_VERBS:
            return "ongoing"
        if w in PLAN_VERBS or w in FUTURE_AUX or w == "to":
            return "future"
        if w in {"is", "are"} and i + 1 < a and v.low[i + 1].endswith("ing"):
            return "ongoing"
        if w in PAST_AUX or (len(w) > 3 and w.endswith("ed")) or w in IRREGULAR_PAST:
            return "past"
    # "The budget will help finance three new types of weapons": a modal further back in the
    # clause still sets the tense of everything it governs
    if not WILL.isdisjoint(v.low[scope:a]):
        return "future"
    return "unspecified"


def _stage(
    v: SentenceView, ev: Event, scope: int, a: int, timing: str, certainty: str, polarity: str
) -> str:
    lex = ev.trigger.stage
    if ev.kind == "transfer" and ev.stage not in ("", "-"):
        return ev.stage  # set by the frame ("a contract for 180 tanks" is an agreed transfer)
    if ev.kind == "development":
        if ev.stage not in ("", "-"):
            return ev.stage
        return lex if lex != "-" else "development"
    if ev.kind == "agreement":
        for i in range(scope, min(len(v.low), ev.tok[1] + 8)):
            for t in v.triggers[i]:
                if t.value == "agreement" and t.role == "sign":
                    return t.stage if t.stage != "-" else "signed"
        if not TENTATIVE.isdisjoint(v.low[max(0, a - 3) : a]):
            return "proposed"
        return "signed"
    governed = None
    for i in range(max(scope, a - 8), a):
        g = COMMIT.get(v.low[i])
        if g is None or _parenthetical(v, i):
            continue  # "Russia, they agreed, bought drones": agreeing is the speakers' act
        # an approval outranks the intention it approves ("notified Congress of its
        # intention to sell"): later, weaker cues do not overwrite it
        if not (governed == "approved" and g == "agreed"):
            governed = g
    if lex in {"offered", "approved", "requested"}:
        return lex
    if governed in {"offered", "approved", "requested"}:
        return governed
    if lex == "agreed" or governed == "agreed":
        if timing == "past" and lex == "delivered" and governed is None:
            return "delivered"
        return "agreed" if certainty == "certain" or lex == "agreed" else "unspecified"
    if timing == "future" or certainty == "possible":
        return "unspecified"
    if lex == "delivered":
        return "delivered" if timing in {"past", "ongoing"} else "unspecified"
    if lex == "-":  # "sell", "sale": the tense decides
        return "delivered" if timing == "past" else "unspecified"
    return "unspecified"
