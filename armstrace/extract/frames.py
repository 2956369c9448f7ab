"""Frame rules: one function per trigger frame, each turning a trigger into an Event.

A frame reads only its own clause, so two events in one sentence ("X sold drones to Y and sent
troops to Z") do not borrow each other's objects. A frame that cannot fill the roles its kind
needs returns nothing: a trigger word alone ("shipped", "test") is weak evidence, and a claim
with no item or no actor is noise an analyst has to delete by hand.
"""

from __future__ import annotations

from dataclasses import replace

from armstrace.extract.lexicon import IRREGULAR_PAST
from armstrace.extract.roles import (
    Event,
    Role,
    _actor_role,
    _coordinated,
    _item_pronoun,
    actor_after,
    demonym_of,
    find_pp,
    find_subject,
    is_passive,
    items_in,
    next_trigger,
    resolve_pronoun,
)
from armstrace.extract.view import Analysis, SentenceView
from armstrace.extract.words import (
    ACTOR_HEADS,
    BY,
    COUNTRY_NOUNS,
    DETERMINERS,
    FROM,
    HELP_VERBS,
    NUMBER_WORDS,
    PREPOSITIONS,
    PROGRAMME_NOUNS,
    PURPOSE_VERBS,
    QUANTITY_LEADS,
    RECIPIENT_PREPS,
    RELATIVE_PRONOUNS,
    SELL_NOUNS,
    SUBJECT_PRONOUNS,
    SUPPORT_VERBS,
    TO_FOR,
    TOPIC_PREPOSITIONS,
    UNIT_NOUNS,
    WITH,
)
from armstrace.models import Mention

AGREEMENT_TOPIC = frozenset(
    {
        "security",
        "defence",
        "defense",
        "military",
        "arms",
        "weapons",
        "nuclear",
        "missile",
        "strategic",
        "mutual",
        "non-proliferation",
        "nonproliferation",
        "armaments",
        "cooperation",
        "co-operation",
        "alliance",
        "partnership",
        "inf",
        "start",
        "npt",
    }
)
NON_TRANSFER_ITEM: frozenset[str] = frozenset()  # every category may move between actors


def _nominal(v: SentenceView, a: int) -> bool:
    """Is the trigger at a used as a noun? ("the sale", "arms transfers", "a test of")."""
    prev = v.low[a - 1] if a > 0 else ""
    nxt = v.low[a + 1] if a + 1 < len(v.low) else ""
    if prev in {
        "to",
        "will",
        "would",
        "could",
        "may",
        "might",
        "must",
        "should",
        "can",
        "not",
        "n't",
        "they",
        "we",
        "i",
        "also",
        "it",
        "he",
        "she",
        "did",
        "does",
        "do",
    }:
        return False
    if prev in DETERMINERS or prev in {
        "'s",
        "’s",
        "of",
        "for",
        "on",
        "in",
        "first",
        "recent",
        "latest",
        "successful",
        "planned",
        "proposed",
    }:
        return True
    if nxt == "of":
        return True
    return a > 0 and v.cover["weapons"][a - 1] >= 0


VERB_FRAMES = frozenset({"give", "get", "do", "sign"})
ADJ_LEAD = frozenset(
    {
        "new",
        "newly",
        "recently",
        "domestically",
        "locally",
        "jointly",
        "indigenously",
        "specially",
        "foreign",
        "home",
        "western",
        "russian",
    }
)


def _adjectival(v: SentenceView, a: int) -> bool:
    """A participle used as an adjective ("an upgraded missile", "newly built drones") is
    not an event: only a finite or auxiliary-led verb reports that something happened."""
    w = v.low[a]
    if not (w.endswith("ed") or w in IRREGULAR_PAST):
        return False
    prev = v.low[a - 1] if a > 0 else ""
    if prev in DETERMINERS and prev not in {"that", "which", "who"}:
        return True
    if prev in ADJ_LEAD or prev.endswith("-made"):
        before = v.low[a - 2] if a > 1 else ""
        return before in DETERMINERS or before in ADJ_LEAD or before in {",", "of", "with"}
    return False


COMPOUND_HEADS = frozenset(
    {
        "line",
        "lines",
        "fuse",
        "fuses",
        "fuze",
        "fuzes",
        "chain",
        "chains",
        "route",
        "routes",
        "depot",
        "depots",
        "shortage",
        "shortages",
        "problems",
        "issues",
        "hub",
        "hubs",
        "corridor",
        "corridors",
        "network",
        "networks",
        "ship",
        "ships",
        "vessel",
        "convoy",
        "convoys",
    }
)


VERBAL_PREFIXES = ("mass-", "co-", "re-", "test-", "serial-", "jointly-")


def _verbal_prefix(v: SentenceView, a: int, t: Mention) -> bool:
    """ "mass-producing", "co-developing": a prefix that keeps the word a verb."""
    prefix = v.low[a][: t.start - v.starts[a]]
    return prefix in VERBAL_PREFIXES


def _noun_modifier(v: SentenceView, a: int) -> bool:
    """ "two test planes", "a production aircraft", "supply lines": the word names a kind of
    thing, not an event."""
    low = v.low
    if a + 1 >= len(low):
        return False
    if low[a + 1] in COMPOUND_HEADS and not low[a].endswith("ed"):
        return True
    weapons = v.cover["weapons"]
    if weapons[a + 1] < 0 or weapons[a] >= 0:
        return False
    prev = low[a - 1] if a > 0 else ""
    return prev in DETERMINERS or prev.isdigit() or prev in NUMBER_WORDS


NOUN_ROLES = frozenset({"noun", "gnoun", "dnoun", "anoun"})


def choose_trigger(v: SentenceView, a: int) -> Mention | None:
    """Pick the reading of a trigger word that fits its position (verb vs noun)."""
    start = v.starts[a]
    cands = [t for t in v.triggers[a] if t.start == start or _verbal_prefix(v, a, t)]
    k = v.cover["weapons"][a]
    if k >= 0:
        # "satellite launch vehicle", "test-fired missile": a verb inside an item's name
        inside = v.mentions[k]
        ia, ib = v.token_range(inside.start, inside.end)
        if ib - ia > 1:
            cands = [t for t in cands if t.role not in VERB_FRAMES]
    if not cands:
        return None  # "submarine-launched", "US-supplied": part of a compound adjective
    if _noun_modifier(v, a):
        return None
    if _adjectival(v, a):
        cands = [t for t in cands if t.role not in VERB_FRAMES]
        if not cands:
            return None
    if len(cands) == 1:
        return cands[0]
    nominal = _nominal(v, a)
    nouns = [t for t in cands if t.role in NOUN_ROLES]
    verbs = [t for t in cands if t not in nouns]
    pool = (nouns or verbs) if nominal else (verbs or nouns)
    return pool[0] if pool else None


def _reduced_passive(v: SentenceView, a: int, b: int) -> bool:
    """ "the drones supplied by Iran": a participle with its agent after it and an item before."""
    w = v.low[a]
    if not (w.endswith("ed") or w in IRREGULAR_PAST) or b >= len(v.low):
        return False
    if v.low[b] not in {"by", "to", "from"}:
        return False
    return a > 0 and v.mention_at("weapons", a - 1) is not None


def _relative_gap(v: SentenceView, lo: int, a: int) -> bool:
    """ "the drones that Iran sent": an item before an active verb is its object only across a
    relative pronoun."""
    return not RELATIVE_PRONOUNS.isdisjoint(v.low[max(lo, a - 6) : a])


def _subject_close(v: SentenceView, a: int, lo: int) -> bool:
    """Whether an actor or a subject pronoun stands within a few words before token a with
    no punctuation between: "Israel was provided with", "they expect to be provided with";
    not "the plane, part of Japan's forces, will be equipped with"."""
    for i in range(a - 1, max(lo, a - 5) - 1, -1):
        tok = v.low[i]
        if v.mention_at("actors", i) is not None or tok in SUBJECT_PRONOUNS:
            return True
        if not tok[:1].isalpha():
            return False
    return False


def _in_transit(v: SentenceView, trig: Mention, a: int, b: int, lo: int, hi: int) -> Event | None:
    """ "a ship from Iran with weapons destined for Hamas": goods named before the word, the
    recipient after "for"/"to", the supplier where the goods came from."""
    if b >= hi or v.low[b] not in {"for", "to"}:
        return None
    recipients = find_pp(v, b, hi, TO_FOR)
    items = items_in(v, lo, a)[-3:]
    if not recipients or not items:
        return None
    ev = Event("transfer", v.index, trig, "give", "", (a, b))
    ev.items = items
    ev.recipients = [_actor_role(m) for m in recipients]
    rec = {r.actor for r in ev.recipients}
    ev.suppliers = [_actor_role(m) for m in find_pp(v, lo, a, FROM) if m.value not in rec]
    if not ev.suppliers:
        # "Iranian vessels ... carrying rifles bound for the Houthis": the carrier's flag,
        # when it opens the clause (not "intercepted by the US Navy")
        first = v.mention_at("actors", lo)
        if first is not None and first.role == "demonym" and first.value not in rec:
            ev.suppliers = [Role(first.value, first.text, "supplier:carrier")]
    ev.rules.append("give:in-transit")
    return ev


def transfer_verb(an: Analysis, v: SentenceView, trig: Mention, a: int, b: int) -> Event | None:
    lo, hi = v.clause_bounds(a, b)
    if trig.entry_id == "t.destined":
        return _in_transit(v, trig, a, b, lo, hi)
    obj_end = next_trigger(v, b, hi)
    passive = is_passive(v, a, trig.text.lower()) or _reduced_passive(v, a, b)
    # the items first: a third of transfer verbs have none and are dropped, and the roles
    # below would be read for nothing (the item rule still goes where it always went)
    item_rule = ""
    items = items_in(v, b, obj_end)
    if not items:
        items = _item_pronoun(an, v, b, obj_end)
        if items:
            item_rule = "item:coref"
    if not items and (passive or _relative_gap(v, lo, a)):
        items = items_in(v, lo, a)[-3:]
        if items:
            item_rule = "item:left"
    if not items:
        return None
    ev = Event("transfer", v.index, trig, trig.role, "", (a, b))
    ev.passive = passive
    give = trig.role == "give"
    subject: list[Role] = []
    # "Israel was provided with smart bombs": the passive of "provide Y with Z" has the
    # recipient as its subject
    passive_with = (
        ev.passive and give and b < hi and v.low[b] == "with" and _subject_close(v, a, lo)
    )
    if not ev.passive or passive_with:
        subject = find_subject(an, v, a, lo)
    # recipient: "provided Russia with Z" (ditransitive) or "to/for Y"
    first_obj = actor_after(v, b, obj_end, skip=1)
    direct: list[Mention] = []
    if give and first_obj is not None and not ev.passive:
        _fa, fb = v.token_range(first_obj.start, first_obj.end)
        if fb < len(v.low) and v.low[fb] in ACTOR_HEADS:
            fb += 1  # "provided the Sandinista regime military hardware"
        after = v.low[fb] if fb < len(v.low) else ""
        if (
            after in {"with", ",", "and"}
            or v.mention_at("weapons", fb) is not None
            or after in DETERMINERS
            or after in QUANTITY_LEADS
            or after[:1].isdigit()
        ):
            direct = _coordinated(v, first_obj, +1, obj_end)
            ev.rules.append("give:ditransitive")
    to = find_pp(v, b, hi, RECIPIENT_PREPS) if give else []
    if give and not to:
        to = find_pp(v, b, hi, SUPPORT_VERBS)
    frm = find_pp(v, b, hi, FROM)
    by = find_pp(v, b, hi, BY) if ev.passive else []
    if item_rule:
        ev.rules.append(item_rule)
    ev.items = items
    if give:
        ev.recipients = [_actor_role(m) for m in (direct or to)]
        if passive_with and not ev.recipients:
            ev.recipients = subject
            ev.rules.append("give:passive-with")
        if ev.passive:
            ev.suppliers = [_actor_role(m) for m in by] or [_actor_role(m) for m in frm]
            if not ev.suppliers and not passive_with:
                rec = {r.actor for r in ev.recipients}
                ev.suppliers = [r for r in find_subject(an, v, a, lo) if r.actor not in rec]
            ev.rules.append("give:passive")
        else:
            ev.suppliers = subject or [_actor_role(m) for m in frm]
            ev.rules.append("give:active")
    else:
        ev.suppliers = [_actor_role(m) for m in frm]
        if (
            not ev.suppliers
            and first_obj is not None
            and not ev.passive
            and trig.entry_id == "t.request"
        ):
            # "Ukraine has asked Germany for Taurus missiles": the one asked is the supplier
            ev.suppliers = [_actor_role(first_obj)]
        ev.recipients = subject if not ev.passive else [_actor_role(m) for m in by or to]
        ev.rules.append("get:active" if not ev.passive else "get:passive")
    if not ev.suppliers:
        dem = demonym_of(v, items[0], lo)
        if dem is not None and (not ev.recipients or dem.value != ev.recipients[0].actor):
            ev.suppliers = [Role(dem.value, dem.text, "supplier:item-modifier")]
    return ev


def transfer_noun(an: Analysis, v: SentenceView, trig: Mention, a: int, b: int) -> Event | None:
    lo, hi = v.clause_bounds(a, b)
    ev = Event("transfer", v.index, trig, trig.role, "", (a, b))
    get = trig.role == "gnoun"
    # items: "sale of Z", "Z sales" (modifier), or inside the trigger phrase
    low = v.low
    weapons = v.cover["weapons"]
    items: list[Mention] = []
    j = b
    if j < hi and low[j] == "of":
        end = next_trigger(v, j + 1, hi)
        for i in range(j + 1, end):
            if low[i] in {"to", "from", "by", "for", "with"} and items:
                break
            if weapons[i] >= 0:
                m = v.mentions[weapons[i]]
                if m not in items:
                    items.append(m)
        ev.rules.append("noun:of")
    if not items:
        for k in range(a - 1, max(lo, a - 3) - 1, -1):
            if weapons[k] >= 0:
                items.append(v.mentions[weapons[k]])
                ev.rules.append("noun:modifier")
                break
    if not items and weapons[a] >= 0:
        items.append(v.mentions[weapons[a]])
    if not items:
        return None
    ev.items = items
    # who: possessive or modifier actor right before, else "by/from X", else clause subject
    owner: list[Role] = []
    modifier = False  # the owner is a bare modifier ("the Iran arms sale"), not "Iran's"
    owner_at = a
    seller_guess: list[Role] = []
    acts = v.cover["actors"]
    k = a - 1
    while k >= max(lo, a - 5):
        if acts[k] >= 0:
            m = v.mentions[acts[k]]
            owner = [_actor_role(m)]
            owner_at, mb = v.token_range(m.start, m.end)
            modifier = all(weapons[t] >= 0 for t in range(mb, a))
            ev.rules.append("noun:owner")
            break
        if low[k] in {"its", "their"}:
            r = resolve_pronoun(an, v, k)
            owner = [r] if r else []
            ev.rules.append("noun:its")
            break
        if low[k] in {"of", "to", "from", "with", "by"}:
            break
        k -= 1
    to = find_pp(v, b, hi, TO_FOR)
    frm = find_pp(v, b, hi, FROM)
    by = find_pp(v, b, hi, BY)
    with_ = find_pp(v, b, hi, WITH)
    if get:
        ev.recipients = owner or find_subject(an, v, a, lo)
        ev.suppliers = [_actor_role(m) for m in frm]
    else:
        ev.recipients = [_actor_role(m) for m in to or with_]
        if owner and modifier and not ev.recipients and trig.entry_id == "t.n.sale":
            # "the Iran arms sale", "the Saudi J-DAMS sale": a country before "sale" with no
            # "to" names the buyer; the seller is named elsewhere or inherited
            ev.recipients, owner = owner, []
            ev.rules.append("sale:modifier-buyer")
            # "President Reagan ... the Iran arms sale": a government at the head of the clause
            # is the seller; anyone else is left to the article's context
            seller_guess = [
                r
                for r in find_subject(an, v, owner_at, lo)
                if r.rule in {"actor:leader", "actor:government"}
                and r.actor != ev.recipients[0].actor
            ]
        # "Congress approved the shipment of German howitzers to Lithuania": the flag on the
        # goods names the seller before the clause subject (who may only approve) does
        dem = demonym_of(v, items[0], lo) if not (owner or by or frm) else None
        if dem is not None and any(r.actor == dem.value for r in ev.recipients):
            dem = None
        flag = [Role(dem.value, dem.text, "supplier:item-modifier")] if dem else []
        ev.suppliers = owner or [_actor_role(m) for m in by + frm] or flag
        ev.suppliers = ev.suppliers or find_subject(an, v, a, lo)
        if owner and ev.recipients and owner[0].actor == ev.recipients[0].actor:
            ev.suppliers = [_actor_role(m) for m in by + frm] or find_subject(an, v, a, lo)
        rec = {r.actor for r in ev.recipients}
        # "They expect the arms sale to Saudi Arabia": a subject that is the buyer is not
        # the seller (the clause subject is only a guess for a noun's seller)
        ev.suppliers = [r for r in ev.suppliers if r.actor not in rec] or seller_guess
    definite = (a > 0 and v.low[a - 1] in {"the", "this", "that"}) or (
        a > 1 and v.low[a - 2] in {"the", "this", "that"}
    )
    if definite and (not ev.suppliers or not ev.recipients):
        prior = _antecedent_event(an, v.index)
        if prior is not None:
            ev.suppliers = ev.suppliers or prior.suppliers
            ev.recipients = ev.recipients or prior.recipients
            ev.rules.append("noun:definite-antecedent")
    if not ev.suppliers and not get:
        dem = demonym_of(v, items[0], lo)  # "shipments of U.S. arms to Iran"
        if dem is not None and not any(r.actor == dem.value for r in ev.recipients):
            ev.suppliers = [Role(dem.value, dem.text, "supplier:item-modifier")]
    if ev.suppliers and ev.recipients:
        return ev
    if (
        not get
        and not ev.suppliers
        and ev.recipients
        and ((to and "noun:of" in ev.rules) or "sale:modifier-buyer" in ev.rules)
    ):
        # "sales of Patriot systems to Kuwait": the seller may be the one of the transfer the
        # article was just describing; assembly drops the claim when there is none
        return ev
    return None  # otherwise a nominal event with one role is too weak to report


def _antecedent_event(an: Analysis, sentence: int) -> Event | None:
    """The last transfer with both roles in this or the three sentences before: what "the sale"
    or "the deal" refers back to."""
    for prior in reversed(an.events):
        if sentence - prior.sentence > 3:
            return None
        if prior.kind == "transfer" and prior.suppliers and prior.recipients:
            found: Event = prior
            return found
    return None


def _helped_development(
    an: Analysis, v: SentenceView, trig: Mention, a: int, lo: int, items: list[Mention]
) -> Event | None:
    """ "North Korea is helping Syria build a reactor": X's help to Y's programme is a transfer
    of technology from X to Y (SPEC §1), not a development by X."""
    if trig.role != "do":
        return None
    j = a - 1
    if j >= lo and v.low[j] == "to":
        j -= 1
    helpee: Role | None = None
    if j >= lo and v.low[j] not in HELP_VERBS:
        m = v.mention_at("actors", j)
        if m is not None:
            helpee = _actor_role(m)
            j = v.token_range(m.start, m.end)[0] - 1
        elif v.low[j] in {"them", "it", "him", "her"}:
            helpee = resolve_pronoun(an, v, j)
            j -= 1
    if j < lo or v.low[j] not in HELP_VERBS:
        return None
    supplier = find_subject(an, v, j, lo)
    if helpee is None or not supplier or supplier[0].actor == helpee.actor:
        return None
    ev = Event("transfer", v.index, trig, "give", "", (a, a + 1))
    ev.suppliers, ev.recipients = supplier[:1], [helpee]
    ev.items = [replace(it, value="technology") for it in items[:1]]
    ev.rules.append("transfer:helped-development")
    return ev


COMBAT_MARKERS = frozenset(
    {
        "at",
        "against",
        "toward",
        "towards",
        "targeting",
        "struck",
        "hit",
        "hitting",
        "killed",
        "killing",
        "attack",
        "attacks",
        "strike",
        "strikes",
        "overnight",
        "barrage",
        "wave",
    }
)
LAUNCHABLE = frozenset({"ballistic_missiles", "cruise_missiles", "guided_missiles", "satellites"})


def development(an: Analysis, v: SentenceView, trig: Mention, a: int, b: int) -> Event | None:
    lo, hi = v.clause_bounds(a, b)
    nominal = trig.role == "dnoun"
    passive = False
    items: list[Mention] = []
    if nominal:
        inside = v.mention_at("weapons", a)
        if inside is not None:
            items.append(inside)
        if b < hi and v.low[b] == "of":
            items += [
                m for m in items_in(v, b + 1, next_trigger(v, b + 1, hi))[:3] if m not in items
            ]
        k = a - 1
        if not items and k >= lo and v.low[k] in {"'s", "’s"}:
            k -= 1
        m = v.mention_at("weapons", k) if not items and k >= lo else None
        if m is not None:
            items.append(m)
    else:
        passive = is_passive(v, a, trig.text.lower())
        items = items_in(v, b, next_trigger(v, b, hi))
        if not items:
            items = _item_pronoun(an, v, b, hi)
        if not items and passive:
            items = items_in(v, lo, a)[-2:]
    if not items:
        return None
    ev = Event("development", v.index, trig, trig.role, trig.stage, (a, b))
    ev.passive = passive
    if not nominal and a > 1 and v.low[a - 1] == "to" and v.low[a - 2] in PURPOSE_VERBS:
        return None  # "cellulose, which is used to produce explosives": what a thing is for
    if nominal and b < len(v.low) and v.low[b] in PROGRAMME_NOUNS:
        return None  # "Russia's weapons development program": a name for an effort, no event
    ia, ib = v.token_range(items[0].start, items[0].end)
    if ib < len(v.low) and v.low[ib] in PROGRAMME_NOUNS and items[0].value == "weapons_unspecified":
        return None  # "the costs of developing weapons programs"
    if not nominal and not UNIT_NOUNS.isdisjoint(v.low[b:ia]):
        return None  # "assembling an armored division of tanks": a unit is formed, not built
    helped = _helped_development(an, v, trig, a, lo, items)
    if helped is not None:
        return helped
    if trig.entry_id == "d.launch":
        # a launch is a test only when nothing is aimed at: "fired missiles at Kharkiv" is use
        if not COMBAT_MARKERS.isdisjoint(v.low[b:hi]) or items[0].value not in LAUNCHABLE:
            return None
        if items[0].value == "satellites":
            ev.stage = "deployment"
    ev.items = items
    actors: list[Role] = []
    # the item's flag stands in only for a noun or a passive: an active verb never reads it
    dem = demonym_of(v, items[0], lo) if nominal or ev.passive else None
    if nominal:
        k = a - 1
        while k >= max(lo, a - 5) and not actors:
            m = v.mention_at("actors", k)
            if m is not None:
                actors = [_actor_role(m)]
            elif v.low[k] in {"its", "their"}:
                r = resolve_pronoun(an, v, k)
                actors = [r] if r else []
            elif v.low[k] in TOPIC_PREPOSITIONS:
                break  # "Russian concerns over the deployment": not the deployer
            k -= 1
    # a verb's own subject outranks the adjective on its object: in "Ukraine is deploying
    # German tanks" the deployer is Ukraine; the adjective and the surrounding topic only
    # stand in when the verb is passive and names no agent ("Iranian drones were tested")
    if not actors and nominal and dem is not None:
        actors = [Role(dem.value, dem.text, "actor:item-modifier")]
    if not actors and ev.passive:
        by = find_pp(v, b, hi, BY)
        if by and _user_not_agent(v, by[0], b):
            return None  # "designed for use by the British navy": the user, maker unnamed
        if not by and b < hi and v.low[b] == "by":
            return None  # "assembled by the Shia militia": an agent the lexicon cannot name
        if not by and b + 1 < hi and v.low[b] == "to" and v.low[b + 1] == "be":
            return None  # "fuses designed to be employed in the Minuteman": a purpose
        actors = [_actor_role(m) for m in by]
    if not actors:
        actors = find_subject(an, v, a, lo)
    if not actors and ev.passive and dem is not None:
        actors = [Role(dem.value, dem.text, "actor:item-modifier")]
    nounish = a > 0 and (v.low[a - 1] in PREPOSITIONS or v.low[a - 1] in DETERMINERS)
    if not actors and (nominal or ev.passive or nounish):
        # only an agentless passive or a noun leaves the developer to the surrounding topic;
        # an active verb whose subject is no actor ("Pressure builds", "importers ... used to
        # produce") has a developer, just not a state
        m = _focus_actor(an, v)
        if m is not None:
            actors = [Role(m.value, m.text, "actor:focus")]
    if not actors or actors[0].actor == "unknown":
        return None  # "importers ... used to produce": an unnamed developer is no claim
    if nominal and actors[0].rule == "actor:focus" and a > 1 and "for" in v.low[a - 2 : a]:
        return None  # "components for the manufacture of rockets": a purpose, no producer
    owner = _owner_of(an, v, items[0], lo)
    if trig.entry_id == "d.develop" and owner is not None and owner.actor != actors[0].actor:
        return None  # "sell equipment to upgrade that country's Hawk missiles": not its own
    ev.actors = actors[:1]
    return ev


def _owner_of(an: Analysis, v: SentenceView, item: Mention, lo: int) -> Role | None:
    """Whose the item is by a possessive right before it: "Saudi Arabia's AWACS", "that
    country's Hawk missiles" (the country resolved to the state named last)."""
    ia, _ = v.token_range(item.start, item.end)
    for k in range(ia - 1, max(lo, ia - 4) - 1, -1):
        if v.low[k] in {"'s", "’s"} and k > lo:
            m = v.mention_at("actors", k - 1)
            if m is not None:
                return _actor_role(m)
            if v.low[k - 1] in COUNTRY_NOUNS:
                return resolve_pronoun(an, v, k - 1)
            return None
    return None


def _user_not_agent(v: SentenceView, m: Mention, b: int) -> bool:
    """Whether the "by" before actor m reads "for use by" / "operated by" (user, not maker)."""
    ma, _ = v.token_range(m.start, m.end)
    k = ma - 1
    while k > b and v.low[k] != "by":
        k -= 1
    return k > b and v.low[k - 1] in {"use", "used", "operated", "operation", "flown"}


def _focus_actor(an: Analysis, v: SentenceView) -> Mention | None:
    """The state the surrounding sentences are about, for "the missile was tested" with no actor."""
    pos = v.starts[0]
    here = [m for m in an.by_sentence[v.index] if m.lexicon == "actors" and m.role != "company"]
    if here:
        return min(here, key=lambda m: abs(m.start - pos))
    for k in range(v.index - 1, max(-1, v.index - 3), -1):
        for m in reversed(an.by_sentence[k]):
            if m.lexicon == "actors" and m.role in {
                "state",
                "leader",
                "government",
                "capital",
                "state_media",
                "demonym",
            }:
                return m
    # "the two teams fighting to develop the LHX are Bell Helicopter ... and Sikorsky": with
    # no state about, the companies named with the work stand for their state
    return next(
        (m for m in an.by_sentence[v.index] if m.lexicon == "actors" and m.role == "company"),
        None,
    )


def _deal_transfer(
    v: SentenceView, trig: Mention, a: int, b: int, hi: int, subject: Role, partner: Role
) -> Event | None:
    """ "Poland signed a contract with Hyundai Rotem for 180 K2 tanks": a deal *for* goods is
    also a transfer between its two parties. The buyer signs for goods or for their purchase;
    the seller signs for their sale or supply."""
    if subject.actor == partner.actor or "unknown" in (subject.actor, partner.actor):
        return None
    j = next((i for i in range(b, min(hi, b + 10)) if v.low[i] == "for"), None)
    if j is None:
        return None
    k = j + 1
    while k < hi and v.low[k] in DETERMINERS:
        k += 1
    seller_signs = k < hi and v.low[k] in SELL_NOUNS
    items = items_in(v, k, hi)[:6]
    if not items:
        return None
    ev = Event("transfer", v.index, trig, "noun", "agreed", (a, b))
    ev.suppliers, ev.recipients = ([subject], [partner]) if seller_signs else ([partner], [subject])
    ev.items = items
    ev.rules.append("transfer:deal-for")
    return ev


def agreement(an: Analysis, v: SentenceView, trig: Mention, a: int, b: int) -> Event | None:
    lo, hi = v.clause_bounds(a, b)
    low = v.low
    topical = (
        not AGREEMENT_TOPIC.isdisjoint(low[max(lo, a - 4) : b])
        or any(t[0].role in {"noun", "gnoun"} for t in filter(None, v.triggers[b:hi]))
        or bool(items_in(v, b, hi))
    )
    if not topical:
        return None
    ev = Event("agreement", v.index, trig, "anoun", "", (a, b))
    parties: list[Role] = []
    if b < hi and "between" in low[b:hi]:
        i = low.index("between", b, hi)
        m = actor_after(v, i + 1, hi)
        if m is not None:
            parties = [_actor_role(x) for x in _coordinated(v, m, +1, hi)]
            ev.rules.append("agreement:between")
    if len(parties) < 2:
        subject = find_subject(an, v, a, lo)
        with_ = find_pp(v, lo, hi, WITH)
        parties = subject + [_actor_role(m) for m in with_]
        ev.rules.append("agreement:subject-with")
        if len(subject) == 1 and len(with_) == 1:
            deal = _deal_transfer(v, trig, a, b, hi, subject[0], _actor_role(with_[0]))
            if deal is not None:
                an.events.append(deal)
    ids = sorted({p.actor for p in parties if p.actor != "unknown"})
    if len(ids) < 2:
        return None
    ev.parties = [next(p for p in parties if p.actor == i) for i in ids]
    start = v.starts[max(lo, a - 4)]
    ev.agreement_text = an.doc.text[start : v.ends[b - 1]]
    return ev
