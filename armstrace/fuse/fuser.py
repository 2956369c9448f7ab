"""Claims → records (issue 4): group each partition's claims by record key, then read each
group's record off it (`history.py`, `independence.py`).

    records = fuse_claims(inputs)      # inputs: FuseInput, from the store or built by hand

Fusion is a pure function of its inputs: the same claims in any order give the same records
with the same ids, which is what makes incremental re-fusion (`incremental.py`) safe.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date

from armstrace.fuse import history
from armstrace.fuse.designations import SystemResolver
from armstrace.fuse.independence import count_sources, display_name
from armstrace.fuse.keys import WINDOW_DAYS, instrument, partition_fields, partition_of, record_id
from armstrace.fuse.overrides import Group, Overrides
from armstrace.fuse.records import FuseInput, Record

BROAD = "weapons_unspecified"
#: categories a blanket denial of "any weapons" does not reach: people are not weapons
NOT_WEAPONS = frozenset({"personnel"})


def fuse_claims(inputs: Iterable[FuseInput], *, window_days: int = WINDOW_DAYS,
                resolver: SystemResolver | None = None,
                overrides: Overrides | None = None) -> list[Record]:
    """Every record the claims make, sorted by record id.

    `overrides` are reviewers' merges and splits (`overrides.py`), applied after the keys have
    grouped the claims.
    """
    parts: dict[str, list[FuseInput]] = defaultdict(list)
    for x in inputs:
        parts[partition_of(x)].append(x)
    resolver = resolver or SystemResolver()
    out: list[Record] = []
    if not overrides:
        for partition, items in parts.items():
            out.extend(fuse_partition(partition, items, window_days=window_days,
                                      resolver=resolver))
    else:
        groups: list[Group] = [
            (partition, key, claims) for partition, items in parts.items()
            for key, claims in partition_groups(partition, items, window_days=window_days,
                                                resolver=resolver).items()]
        out = [_record(partition, key, claims, rid)
               for rid, (partition, key, claims) in overrides.regroup(groups)]
    out.sort(key=lambda r: r.record_id)
    return out


def fuse_partition(partition: str, items: Sequence[FuseInput], *,
                   window_days: int = WINDOW_DAYS,
                   resolver: SystemResolver | None = None) -> list[Record]:
    """The records of one partition (see `keys.py`)."""
    groups = partition_groups(partition, items, window_days=window_days, resolver=resolver)
    return [_record(partition, key, claims) for key, claims in groups.items()]


def partition_groups(partition: str, items: Sequence[FuseInput], *,
                     window_days: int = WINDOW_DAYS,
                     resolver: SystemResolver | None = None,
                     ) -> dict[tuple[str, ...], list[FuseInput]]:
    """The claims of one partition grouped by record key (a blanket denial may be in several)."""
    kind = partition_fields(partition)[0]
    if kind == "transfer":
        return _transfer_groups(items, window_days, resolver or SystemResolver())
    if kind == "development":
        return {("development", *partition_fields(partition)[1:]): list(items)}
    groups: dict[tuple[str, ...], list[FuseInput]] = defaultdict(list)
    for x in items:
        groups[("agreement", *partition_fields(partition)[1:], instrument(x.item_text))]\
            .append(x)
    return groups


# ---------------------------------------------------------------------------------------------
# transfers: category, then system, then time window; blanket denials reach the whole pair


_DAY_CACHE: dict[str, int | None] = {}


def _day(raw: str | None) -> int | None:
    """Days since 0001-01-01 of an ISO date, month or year (padded to its first day)."""
    if not raw:
        return None
    hit = _DAY_CACHE.get(raw, -1)
    if hit != -1:
        return hit
    value: int | None
    try:
        y = int(raw[:4])
        m = int(raw[5:7]) if len(raw) >= 7 else 1
        d = int(raw[8:10]) if len(raw) >= 10 else 1
        value = date(y, m, d).toordinal()
    except ValueError:
        value = None
    if len(_DAY_CACHE) < 100_000:
        _DAY_CACHE[raw] = value
    return value


def _windows(items: list[FuseInput], window_days: int) -> list[tuple[str, list[FuseInput]]]:
    """Split claims into runs with no gap over `window_days`; each run is named by its first
    report date. Undated claims join the latest run ("undated" when nothing is dated)."""
    dated = sorted(((d, x) for x in items if (d := _day(x.date)) is not None),
                   key=lambda p: p[0])
    undated = [x for x in items if _day(x.date) is None]
    runs: list[tuple[str, list[FuseInput]]] = []
    last: int | None = None
    for d, x in dated:
        if last is None or d - last > window_days:
            runs.append((history.report_date(x.date) or "", []))
        runs[-1][1].append(x)
        last = d
    if not runs:
        return [("undated", undated)]
    runs[-1][1].extend(undated)
    return runs


def _transfer_groups(items: Sequence[FuseInput], window_days: int,
                     resolver: SystemResolver) -> dict[tuple[str, ...], list[FuseInput]]:
    blanket = [x for x in items if x.polarity == "negated" and x.item_category == BROAD]
    rest = [x for x in items if not (x.polarity == "negated" and x.item_category == BROAD)]
    if not rest:
        rest, blanket = blanket, []
    by_category: dict[str, list[FuseInput]] = defaultdict(list)
    for x in rest:
        by_category[x.item_category or BROAD].append(x)
    groups: dict[tuple[str, ...], list[FuseInput]] = {}
    spans: dict[tuple[str, ...], tuple[int, int] | None] = {}
    x0 = rest[0]
    for category, claims in by_category.items():
        systems: dict[str, list[FuseInput]] = defaultdict(list)
        generic: list[FuseInput] = []
        for x in claims:
            s = resolver.system(x.item_text)
            (systems[s] if s is not None else generic).append(x)
        if len(systems) == 1:
            next(iter(systems.values())).extend(generic)
        elif generic:
            systems["*"] = generic
        for system, members in systems.items():
            for start, run in _windows(members, window_days):
                key: tuple[str, ...] = ("transfer", x0.supplier or "unknown",
                                        x0.recipient or "unknown", category, system, start)
                groups[key] = run
                days = [d for x in run if (d := _day(x.date)) is not None]
                spans[key] = (min(days), max(days)) if days else None
    # a blanket denial reaches every record of the pair reported within a window of it
    orphans: list[FuseInput] = []
    for x in blanket:
        d = _day(x.date)
        reached = False
        for key, span in spans.items():
            if key[3] in NOT_WEAPONS:
                continue
            if d is None or span is None or span[0] - window_days <= d <= span[1] + window_days:
                groups[key].append(x)
                reached = True
        if not reached:
            orphans.append(x)
    for start, run in _windows(orphans, window_days) if orphans else ():
        groups[("transfer", x0.supplier or "unknown", x0.recipient or "unknown", BROAD, "*",
                "denied:" + start)] = run
    return groups


# ---------------------------------------------------------------------------------------------
# one record from its claims


def _designations(claims: Sequence[FuseInput]) -> list[str]:
    affirmed = [x for x in claims if x.polarity == "affirmed" and x.item_text]
    pool = affirmed or [x for x in claims if x.item_text]
    seen: dict[str, str] = {}
    for x in sorted(pool, key=lambda x: (x.date or "", x.doc_id)):
        text = " ".join((x.item_text or "").split())
        seen.setdefault(text.casefold(), text)
    return sorted(seen.values(), key=str.casefold)


def _record(partition: str, key: tuple[str, ...], claims: list[FuseInput],
            rid: str | None = None) -> Record:
    kind = key[0]
    x0 = claims[0]
    # first and latest report of what the record asserts: a denial attached from the whole
    # pair must not make a KN-23 delivery "first reported" before anyone reported it
    affirmed = [x for x in claims if x.polarity == "affirmed"] or claims
    dates = sorted(d for x in affirmed if (d := history.report_date(x.date)) is not None)
    independent, carried = count_sources(claims)
    hist = history.stage_history(kind, claims)
    rec = Record(
        record_id=rid or record_id(key),
        kind=kind,
        partition=partition,
        item_category=key[3] if kind == "transfer" else x0.item_category,
        designations=_designations(claims),
        first_reported=dates[0] if dates else None,
        last_reported=dates[-1] if dates else None,
        n_claims=len(claims),
        n_documents=len({x.doc_id for x in claims}),
        n_independent_sources=independent,
        n_carried=carried,
        strongest_certainty=history.strongest_certainty(claims),
        stage=history.current_stage(kind, hist, claims),
        stage_history=hist,
        quantity=history.quantity_range(claims),
        denied_by=history.denied_by(claims),
        conflict=history.conflict(claims),
        sources=sorted({display_name(x) for x in claims}, key=str.casefold),
        delivery_years=history.delivery_years(claims),
        claim_ids=sorted({x.claim_id for x in claims if x.claim_id is not None}),
        doc_ids=sorted({x.doc_id for x in claims}),
    )
    if kind == "transfer":
        rec.supplier, rec.recipient = key[1], key[2]
    elif kind == "development":
        rec.actor = key[1]
    else:
        rec.parties = list(x0.parties or ())
    return rec
