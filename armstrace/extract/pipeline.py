"""The extraction pipeline: named, replaceable components over an `Analysis`.

Each component is a callable `Analysis -> Analysis` registered under a name with what it
requires and what it assigns (spaCy's factories, without the config system). A user swaps one
by registering another under the same name, or builds a `Pipeline` from a different list, and
the pipeline checks on construction that every requirement is assigned by an earlier component.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from armstrace.errors import ConfigError
from armstrace.extract import attribution, frames
from armstrace.extract.lexicon import Lexicons, default_lexicons, hit_entries
from armstrace.extract.modality import read_modality
from armstrace.extract.quantities import QuantityHit, find_quantities
from armstrace.extract.roles import Event, Role
from armstrace.extract.tokenize import split_sentences
from armstrace.extract.view import Analysis, SentenceMentions
from armstrace.extract.words import CITING, DEFINITE
from armstrace.models import Claim, Document, Mention, Quantity, Source, Span

Component = Callable[[Analysis], Analysis]


@dataclass(frozen=True, slots=True)
class ComponentInfo:
    name: str
    factory: Callable[[Lexicons], Component]
    requires: tuple[str, ...]
    assigns: tuple[str, ...]


REGISTRY: dict[str, ComponentInfo] = {}
DEFAULT_PIPELINE = ("sentences", "lexicon", "events", "discourse", "attribution", "assemble")
PIPELINE_VERSION = "0.1.0"


def component(
    name: str, *, requires: Sequence[str] = (), assigns: Sequence[str] = ()
) -> Callable[[Callable[[Lexicons], Component]], Callable[[Lexicons], Component]]:
    """Register a component factory under `name` (a later registration replaces it)."""

    def deco(factory: Callable[[Lexicons], Component]) -> Callable[[Lexicons], Component]:
        REGISTRY[name] = ComponentInfo(name, factory, tuple(requires), tuple(assigns))
        return factory

    return deco


class Pipeline:
    """An ordered list of components sharing one set of lexicons."""

    def __init__(self, names: Iterable[str] = DEFAULT_PIPELINE, lexicons: Lexicons | None = None):
        self.lexicons = lexicons or default_lexicons()
        self.names = list(names)
        assigned: set[str] = set()
        self.components: list[Component] = []
        for name in self.names:
            info = REGISTRY.get(name)
            if info is None:
                raise ConfigError(
                    f"unknown pipeline component {name!r} (known: {sorted(REGISTRY)})"
                )
            missing = [r for r in info.requires if r not in assigned]
            if missing:
                raise ConfigError(
                    f"component {name!r} requires {missing} assigned by an earlier component"
                )
            assigned.update(info.assigns)
            self.components.append(info.factory(self.lexicons))

    def __call__(self, doc: Document) -> Analysis:
        an = Analysis(doc, lexicon_version=self.lexicons.version)
        for comp in self.components:
            an = comp(an)
        return an

    def analyse(self, doc: Document) -> list[Claim]:
        return self(doc).claims


# ---------------------------------------------------------------------------------------------
# the default components


MAX_SENTENCE_CHARS = 2_000


def _bounded(text: str, spans: Iterable[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """Cut any "sentence" longer than MAX_SENTENCE_CHARS at a space near the limit.

    Later components do work proportional to sentence length for every trigger in it, so a
    3 MB run-on line (a table dump, a page without punctuation) would cost quadratic time.
    Real sentences are far shorter; the cut only bounds the damage on inputs that are not prose.
    """
    for start, end in spans:
        while end - start > MAX_SENTENCE_CHARS:
            cut = text.rfind(" ", start + MAX_SENTENCE_CHARS // 2, start + MAX_SENTENCE_CHARS)
            if cut <= start:
                cut = start + MAX_SENTENCE_CHARS
            yield start, cut
            start = cut
            while start < end and text[start].isspace():
                start += 1
        if start < end:
            yield start, end


@component("sentences", assigns=("sentences",))
def _sentences(lex: Lexicons) -> Component:
    def run(an: Analysis) -> Analysis:
        an.sentences = list(_bounded(an.doc.text, split_sentences(an.doc.text)))
        return an

    return run


@component("lexicon", requires=("sentences",), assigns=("mentions",))
def _lexicon(lex: Lexicons) -> Component:
    def run(an: Analysis) -> Analysis:
        # the mentions of each sentence come from the matching loop itself (`match_all`)
        found = lex.match_all(an.doc.text, an.sentences, defer="cues")
        an.matches = found
        an.by_sentence = SentenceMentions(an.doc.text, found.sentence_hits)
        an.cue_hits = found.deferred
        return an

    return run


TRANSFER_FRAMES = {
    "give": frames.transfer_verb,
    "get": frames.transfer_verb,
    "noun": frames.transfer_noun,
    "gnoun": frames.transfer_noun,
}
DEVELOPMENT_FRAMES = frozenset({"do", "dnoun"})
AGREEMENT_FRAME = "anoun"
# the trigger frames (triggers.tsv) for which the events step has a frame; the rest ("sign")
# are read by those frames as context
FRAME_ROLES = frozenset(TRANSFER_FRAMES) | DEVELOPMENT_FRAMES | {AGREEMENT_FRAME}


@component("events", requires=("mentions",), assigns=("events",))
def _events(lex: Lexicons) -> Component:
    def run(an: Analysis) -> Analysis:
        if an.matches is None:
            return an
        # the gate reads the sentences' hits, not their mentions: most sentences fail it, and
        # their mentions are never built
        for k, hits in enumerate(an.matches.sentence_hits):
            if not hits:
                continue
            entries = hit_entries(hits)
            # a set built in C answers the three questions below at once; most sentences fail
            # the first
            lexicons = {e.lexicon for e in entries}
            if "triggers" not in lexicons:
                continue
            # only these readings open a frame ("signed", "negotiating" only colour one)
            frames_ = FRAME_ROLES.intersection([e.role for e in entries if e.lexicon == "triggers"])
            if not frames_:
                continue
            # an agreement needs a party named in its sentence ("with Iran", "between ...")
            if "weapons" not in lexicons and not (
                "actors" in lexicons and AGREEMENT_FRAME in frames_
            ):
                continue
            v = an.view(k)
            done: set[int] = set()
            for i in v.trigger_tokens():
                if i in done:
                    continue
                trig = frames.choose_trigger(v, i)
                if trig is None:
                    continue
                a, b = v.token_range(trig.start, trig.end)
                done.update(range(a, b))
                ev: Event | None
                if trig.value == "transfer":
                    ev = TRANSFER_FRAMES[trig.role](an, v, trig, a, b)
                elif trig.value == "development" and trig.role in DEVELOPMENT_FRAMES:
                    ev = frames.development(an, v, trig, a, b)
                elif trig.value == "agreement" and trig.role == AGREEMENT_FRAME:
                    ev = frames.agreement(an, v, trig, a, b)
                else:
                    ev = None
                if ev is not None:
                    an.events.append(ev)
        return an

    return run


@component("discourse", requires=("events",), assigns=("events", "roles"))
def _discourse(lex: Lexicons) -> Component:
    """Fill roles a sentence leaves unnamed from the sentences before, then keep only the events
    that can make a claim. Every later step (speakers, hedges, quantities) costs work per event,
    and a third of the events, a transfer with no recipient or a development with no item, would
    spend it only to be dropped when claims are assembled."""

    def run(an: Analysis) -> Analysis:
        last: dict[str, tuple[int, Role]] = {}
        topic: Counter[str] = Counter()
        kept: list[Event] = []
        for ev in an.events:
            if ev.kind == "transfer":
                _inherit_roles(ev, last, topic)
            if _makes_claims(ev):
                kept.append(ev)
        an.events = kept
        return an

    return run


def _makes_claims(ev: Event) -> bool:
    """Whether assembly would emit at least one claim for `ev` (the conditions it applies)."""
    if ev.kind == "agreement":
        return True
    if not ev.items:
        return False
    if ev.kind == "development":
        return bool(ev.actors)
    sups = ev.suppliers or [NO_ROLE]
    recs = ev.recipients or [NO_ROLE]
    return any(s.actor != r.actor and _roles_known(ev, s, r) for s in sups for r in recs)


@component("attribution", requires=("events",), assigns=("speech", "quotes"))
def _attribution(lex: Lexicons) -> Component:
    def run(an: Analysis) -> Analysis:
        if not an.events:
            return an
        text = an.doc.text
        quotes = [
            (qs, qe, an.sentence_of(qs), an.sentence_of(max(qs, qe - 1)))
            for qs, qe in attribution.find_quotes(text)
        ]
        # the quotations whose speaker a claim can take: those holding an event, and the ones
        # just before them, whose speaker carries over to a quotation that names none
        at = sorted(an.view(ev.sentence).starts[ev.tok[0]] for ev in an.events)
        wanted = [False] * len(quotes)
        for i, (qs, qe, _, _) in enumerate(quotes):
            j = bisect_left(at, qs)
            wanted[i] = j < len(at) and at[j] < qe
        for i in range(len(quotes) - 1, -1, -1):
            if wanted[i]:
                j = i - 1
                while j >= 0 and quotes[j][3] >= quotes[i][2] - 1:
                    wanted[j] = True
                    j -= 1
        needed = {ev.sentence for ev in an.events}
        for q, want in zip(quotes, wanted, strict=True):
            if want:
                needed.update(q[2:])
        # Speakers are read in document order (people introduced early are named later by
        # surname or "he"). The sentences with a reporting verb that no claim or quotation
        # needs are read only when a later lookup could see what they add (view.People).
        people = an.people
        people.text = text
        pending = people.pending
        speaking = [
            k
            for k in range(max(needed) + 1)
            if any(e.role == "speech" for e in hit_entries(an.cue_hits[k]))
        ]
        pending.extend((k, *an.sentences[k]) for k in speaking if k not in needed)

        def read(k: int) -> None:
            an.speech[k] = attribution.speech_frames(an, an.view(k))

        people.read = read
        for k in speaking:
            if k in needed:
                people.at = k
                read(k)
        people.read = None
        prev: Source | None = None
        prev_end_sentence = -10
        for (qs, qe, s_open, s_close), want in zip(quotes, wanted, strict=True):
            if not want:
                an.quotes.append((qs, qe, None))  # no claim takes this speaker: not read
                continue
            speaker = _quote_speaker(an, qs, qe, s_open, s_close)
            if speaker is None and prev is not None and s_open - prev_end_sentence <= 1:
                speaker = prev
            an.quotes.append((qs, qe, speaker))
            if speaker is not None:
                prev, prev_end_sentence = speaker, s_close
        return an

    return run


def _quote_speaker(an: Analysis, qs: int, qe: int, s_open: int, s_close: int) -> Source | None:
    """Who speaks a quotation: the reporting verb nearest to its ends, outside it.

    'X said, "..."' introduces it, '"...," X said' closes it; a verb further away in the same
    sentences belongs to another clause, so it only counts when neither end has one.
    """
    best: tuple[int, Source] | None = None
    for k in {s_open, s_close}:
        for fr in an.speech.get(k, []):
            cue = an.view(k).starts[fr.cue_tok]
            if qs <= cue < qe:
                continue
            gap = qs - cue if cue < qs else cue - qe
            if best is None or gap < best[0]:
                best = (gap, fr.source)
    return best[1] if best else None


def _source_for(an: Analysis, ev: Event) -> tuple[Source, bool, list[str]]:
    """The source of an event, whether its cue makes it probable, and the rules used."""
    v = an.view(ev.sentence)
    a = ev.tok[0]
    pos = v.starts[a]
    frames_ = [f for f in an.speech.get(ev.sentence, []) if not f.np[0] <= a < f.np[1]]
    quote = next((q for q in an.quotes if q[0] <= pos < q[1]), None)
    inside = [f for f in frames_ if quote and quote[0] <= v.starts[f.cue_tok] < quote[1]]
    if quote is not None and quote[2] is not None and not inside:
        return quote[2], False, ["source:quote"]
    if frames_:
        frames_.sort(key=lambda f: abs(f.cue_tok - a))
        # "Reuters, citing three people familiar with the matter, reported": the cited source
        # is the claim's, and the outlet that cites it goes into `via` (SPEC §5)
        cited = [f for f in frames_ if v.low[f.cue_tok] in CITING and f.source.type != "outlet"]
        if cited:
            frames_ = cited[:1] + [f for f in frames_ if f is not cited[0]]
        best = frames_[0]
        if (
            quote is not None
            and quote[2] is not None
            and v.low[best.np[0] : best.np[1]] in (["we"], ["i"])
        ):
            # “We suspect that China sold...,” said Marta Jelinek: "we" is the quote's speaker
            q = quote[2]
            return Source(q.name, q.type, q.affiliation, q.cue, q.via), True, ["source:quote"]
        via = tuple(f.source.name for f in reversed(frames_[1:]) if f.source.name)
        src = Source(
            best.source.name, best.source.type, best.source.affiliation, best.source.cue, via
        )
        return src, best.probable, ["source:speech"]
    name = an.doc.outlet or "outlet"
    return Source(name, "outlet", None, None, ()), False, ["source:outlet"]


def _quantity_for(an: Analysis, item: Mention, hits: list[QuantityHit]) -> Quantity | None:
    for h in hits:
        if h.end <= item.start and item.start - h.end <= 40:
            gap = an.doc.text[h.end : item.start]
            if any(c in gap for c in ",;.") and " of " not in gap:
                continue
            unit = h.unit if h.is_money or h.unit else item.text.split()[-1]
            return Quantity(h.value, h.qualifier, unit)
        if h.start >= item.start and h.end <= item.end:
            return Quantity(h.value, h.qualifier, h.unit or item.text.split()[-1])
    return None


# a generic word may stand for a more specific system named just before: "the drones" after
# "Shahed-136" are loitering munitions, "these missiles" after "KN-23" are ballistic
NARROWER = {
    "uav": frozenset({"loitering_munitions"}),
    "guided_missiles": frozenset({"ballistic_missiles", "cruise_missiles"}),
    "aircraft": frozenset({"uav", "loitering_munitions"}),
}


FIGHTER_PEOPLE = re.compile(r"(?:hundreds|thousands|dozens|tens of thousands) of\s+$|\d{3,}\s+$")


def _item_category(an: Analysis, item: Mention) -> str:
    """The category of an item, narrowed by the designation a definite generic refers back to."""
    # "hundreds of fighters": air forces do not move by the hundred, armed groups do
    if item.text.lower() in {"fighters", "fighter"} and FIGHTER_PEOPLE.search(
        an.doc.text[max(0, item.start - 30) : item.start]
    ):
        return "personnel"
    narrower = NARROWER.get(item.value)
    if item.role != "generic" or narrower is None:
        return item.value
    before = an.doc.text[max(0, item.start - 8) : item.start].split()
    if not before or before[-1].lower() not in DEFINITE:
        return item.value
    k = an.sentence_of(item.start)
    for j in range(k, max(-1, k - DISCOURSE_WINDOW - 1), -1):
        for m in reversed(an.by_sentence[j]):
            if m.lexicon == "weapons" and m.start < item.start and m.role == "designation":
                return m.value if m.value in narrower else item.value
    return item.value


DISCOURSE_WINDOW = 3  # sentences across which an unnamed recipient or supplier is carried over


def _inherit_roles(
    ev: Event, last: dict[str, tuple[int, Role]], topic: Counter[str] | None = None
) -> None:
    """Fill an empty supplier or recipient from the transfer the article was just describing.

    Reporting on one transfer names its parties once and then drops them: "Britain pledged
    tanks to Ukraine ... Poland could send its Leopards" still means Ukraine. A role named in
    the last few sentences is carried over, never across a longer gap and never onto the party
    on the other side of the same event. Past that gap, an article that has named one
    recipient again and again (`topic`, TOPIC_MIN times or more) is still about that recipient.
    """
    for name in ("suppliers", "recipients"):
        roles: list[Role] = getattr(ev, name)
        if roles:
            last[name] = (ev.sentence, roles[0])
            if name == "recipients" and topic is not None:
                topic[roles[0].actor] += 1
            continue
        prev = last.get(name)
        if prev is None or ev.sentence - prev[0] > DISCOURSE_WINDOW:
            if (
                name == "recipients"
                and topic
                and ev.suppliers
                and ev.trigger.entry_id not in WEAK_GIVE
            ):
                actor, n = topic.most_common(1)[0]
                if n >= TOPIC_MIN and all(s.actor not in (actor, "unknown") for s in ev.suppliers):
                    roles.append(Role(actor, None, "recipient:topic"))
            continue
        other = ev.recipients if name == "suppliers" else ev.suppliers
        if any(o.actor == prev[1].actor for o in other):
            continue
        if name == "suppliers" and ev.frame in ("get", "gnoun"):
            # "India is seeking 126 fighters" after a US sale to Pakistan: a buyer's own
            # search has no seller yet, unless it is the same buyer as before
            before = last.get("recipients")
            if before is None or not any(r.actor == before[1].actor for r in ev.recipients):
                continue
        roles.append(Role(prev[1].actor, prev[1].entity, f"{name[:-1]}:discourse"))
        last[name] = (ev.sentence, prev[1])  # the article is still on that party


TOPIC_MIN = 3
NO_ROLE = Role("unknown", None, "none")  # the party of a transfer that names none
# verbs that need a named recipient to be a transfer at all ("helps make", "allowing")
WEAK_GIVE = frozenset({"t.help", "t.permit", "t.approve"})


def _roles_known(ev: Event, supplier: Role, recipient: Role) -> bool:
    """Whether a transfer's parties are specific enough to be worth a claim.

    A transfer with no recipient ("Germany sent tanks") is rarely a claim an analyst can file,
    and in practice is mostly a misreading (troops sent to a border, aid for a region); one
    with no supplier is kept only when the recipient is the grammatical centre of the report
    ("India is seeking to buy 126 fighter planes", "Kyiv was supplied with Patriot systems",
    "weapons bound for Hezbollah").
    """
    if recipient.actor == "unknown":
        return False
    return (
        supplier.actor != "unknown"
        or ev.frame == "gnoun"
        or supplier.rule == "subject:unnamed"
        or "give:passive-with" in ev.rules
        or "give:in-transit" in ev.rules
    )


def _confidence(ev: Event, source_rule: str) -> float:
    score = 0.55
    if ev.kind == "transfer" and ev.suppliers and ev.recipients:
        score += 0.15
    if any(r.startswith(("coref", "item:left", "actor:focus")) for r in ev.rules) or any(
        r.rule.startswith("coref") for r in ev.suppliers + ev.recipients + ev.actors
    ):
        score -= 0.15
    if source_rule != "source:outlet":
        score += 0.05
    return round(max(0.05, min(0.95, score)), 2)


@component("assemble", requires=("roles", "speech"), assigns=("claims",))
def _assemble(lex: Lexicons) -> Component:
    def run(an: Analysis) -> Analysis:
        qcache: dict[int, list[QuantityHit]] = {}
        seen: set[tuple[object, ...]] = set()
        # per sentence, the end of its last item: no quantity read after it belongs to an item
        last_item: dict[int, int] = {}
        for ev in an.events:
            for it in ev.items:
                last_item[ev.sentence] = max(last_item.get(ev.sentence, 0), it.end)
        for ev in an.events:
            v = an.view(ev.sentence)
            mod = read_modality(v, ev)
            source, probable, src_rules = _source_for(an, ev)
            certainty = mod.certainty
            if probable and certainty == "certain":
                certainty = "probable"
            if ev.items and ev.sentence not in qcache:
                qcache[ev.sentence] = find_quantities(
                    an.doc.text, v.start, v.end, before=last_item[ev.sentence]
                )
            evidence = [Span(v.start, v.end)]
            trigger = Span(ev.trigger.start, ev.trigger.end)
            base = dict(
                stage=mod.stage,
                certainty=certainty,
                polarity=mod.polarity,
                timing=mod.timing,
                source=source,
                evidence=evidence,
                trigger=trigger,
                confidence=_confidence(ev, src_rules[0]),
            )
            rules = [f"frame:{ev.frame}", *ev.rules, *src_rules, *mod.cues]
            by_cat: dict[str, Mention] = {}
            for it in ev.items:
                by_cat.setdefault(_item_category(an, it), it)
            claims: list[Claim] = []
            if ev.kind == "transfer":
                sups = ev.suppliers or [NO_ROLE]
                recs = ev.recipients or [NO_ROLE]
                for s in sups:
                    for r in recs:
                        if s.actor == r.actor or not _roles_known(ev, s, r):
                            continue
                        for cat, it in by_cat.items():
                            claims.append(
                                Claim(
                                    kind="transfer",
                                    supplier=s.actor,
                                    recipient=r.actor,
                                    supplier_entity=s.entity,
                                    recipient_entity=r.entity,
                                    item_text=it.text,
                                    item_category=cat,
                                    quantity=_quantity_for(an, it, qcache[ev.sentence]),
                                    rules=[*rules, s.rule, r.rule],
                                    lexicon_ids=[ev.trigger.entry_id, it.entry_id],
                                    **base,  # type: ignore[arg-type]
                                )
                            )
            elif ev.kind == "development":
                for act in ev.actors:
                    for cat, it in by_cat.items():
                        claims.append(
                            Claim(
                                kind="development",
                                actor=act.actor,
                                actor_entity=act.entity,
                                item_text=it.text,
                                item_category=cat,
                                quantity=_quantity_for(an, it, qcache[ev.sentence]),
                                rules=[*rules, act.rule],
                                lexicon_ids=[ev.trigger.entry_id, it.entry_id],
                                **base,  # type: ignore[arg-type]
                            )
                        )
            else:
                claims.append(
                    Claim(
                        kind="agreement",
                        parties=sorted({p.actor for p in ev.parties}),
                        item_text=ev.agreement_text,
                        item_category=None,
                        quantity=None,
                        rules=rules,
                        lexicon_ids=[ev.trigger.entry_id],
                        **base,  # type: ignore[arg-type]
                    )
                )
            for c in claims:
                key = (*c.key(), c.source.name, ev.sentence)
                if key in seen:
                    continue
                seen.add(key)
                an.claims.append(c)
        an.claims = _without_received_deployments(an.claims)
        return an

    return run


def _without_received_deployments(claims: list[Claim]) -> list[Claim]:
    """Drop "Ukraine is deploying Leopard tanks" when the article has Ukraine receiving that
    kind of weapon: fielding what another state supplied is the transfer's sequel (stage
    `delivered`), not a development of the recipient's own (SPEC §1, "deploying ... itself")."""
    received = {(c.recipient, c.item_category) for c in claims if c.kind == "transfer"}
    return [
        c
        for c in claims
        if not (
            c.kind == "development"
            and c.stage == "deployment"
            and (c.actor, c.item_category) in received
        )
    ]


_default: Pipeline | None = None


def default_pipeline() -> Pipeline:
    global _default
    if _default is None:
        _default = Pipeline()
    return _default


def extract(
    text: str,
    *,
    title: str | None = None,
    date: str | None = None,
    outlet: str | None = None,
    doc_id: str = "doc",
) -> list[Claim]:
    """Claims (SPEC §1) asserted in one article.

    >>> claims = extract("Officials in Kyiv said Iran had shipped about 300 drones to Russia.")
    >>> [(c.supplier, c.recipient, c.item_category) for c in claims]
    [('IRN', 'RUS', 'uav')]
    """
    doc = Document(id=doc_id, text=text, title=title, date=date, outlet=outlet)
    return default_pipeline().analyse(doc)


def extract_document(doc: Document) -> list[Claim]:
    return default_pipeline().analyse(doc)
