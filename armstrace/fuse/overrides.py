"""Reviewer overrides of the fuser's grouping (issue 5): merges and splits that survive
re-fusion because fusion applies them, rather than edits of records the next fusion would
overwrite.

* A *merge* maps a record id to the record it was merged into. Every claim that fusion puts in
  the merged record goes to the target instead, claims ingested after the decision included,
  so "Iran→Russia drones" and "Iran→Russia Shahed-136" stay one record.
* A *pin* puts one claim in a given record group whatever its key says: a split pins the
  claims it takes out to a new group id. Pins win over keys; merges apply after pins, so a
  split-off record can itself be merged later.

Incremental re-fusion re-fuses a partition's records from that partition's claims only
(`keys.py`). An override can join records of different partitions, so `linked_partitions`
widens the set of partitions to re-fuse to every partition an override ties to them: then the
incremental path writes the same records as a full re-fusion.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from armstrace.fuse.keys import record_id
from armstrace.fuse.records import FuseInput

#: one group of claims on its way to a record: (partition, key, claims)
Group = tuple[str, tuple[str, ...], list[FuseInput]]


@dataclass(frozen=True, slots=True)
class Merge:
    """`record_id` (of partition `partition`) was merged into `into` (of `into_partition`)."""

    record_id: str
    into: str
    partition: str
    into_partition: str


@dataclass(frozen=True, slots=True)
class Overrides:
    """Every merge and pin in force; empty by default (then fusion is what the keys say)."""

    merges: Mapping[str, Merge] = field(default_factory=dict)
    #: claim row id → the record group it is pinned to
    pins: Mapping[int, str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.merges or self.pins)

    def target(self, rid: str) -> str:
        """The record `rid` ends up in after following merges (a cycle stops where it closes)."""
        seen = {rid}
        while (m := self.merges.get(rid)) is not None and m.into not in seen:
            rid = m.into
            seen.add(rid)
        return rid

    def regroup(self, groups: Iterable[Group]) -> list[tuple[str, Group]]:
        """(record id, group) for every record after pins and merges are applied.

        A record made of several groups keeps the partition and key of the group whose own id
        it carries (the merge target), else of the group with the smallest id, so its
        category, supplier and recipient come from one place, deterministically.
        """
        members: dict[str, list[tuple[str, Group]]] = defaultdict(list)
        pinned: dict[str, list[tuple[str, tuple[str, ...], FuseInput]]] = defaultdict(list)
        for partition, key, claims in groups:
            own = record_id(key)
            kept: list[FuseInput] = []
            for x in claims:
                pin = self.pins.get(x.claim_id) if x.claim_id is not None else None
                if pin is not None and pin != own:
                    pinned[pin].append((partition, key, x))
                else:
                    kept.append(x)
            if kept:
                members[self.target(own)].append((own, (partition, key, kept)))
        for pin, items in pinned.items():
            items.sort(key=lambda t: (t[2].claim_id or 0, t[0]))
            claims = list({id(x): x for _, _, x in items}.values())
            members[self.target(pin)].append((pin, (items[0][0], items[0][1], claims)))
        out: list[tuple[str, Group]] = []
        for rid, parts in members.items():
            parts.sort(key=lambda m: (m[0] != rid, m[0]))
            partition, key = parts[0][1][0], parts[0][1][1]
            seen: dict[int, FuseInput] = {}
            for _, (_, _, claims) in parts:
                for x in claims:
                    seen.setdefault(id(x), x)
            out.append((rid, (partition, key, list(seen.values()))))
        return out


def linked_partitions(partitions: Collection[str], overrides: Overrides,
                      pinned_partitions: Mapping[int, str]) -> set[str]:
    """`partitions` and every partition an override ties to them, transitively.

    `pinned_partitions` gives the current partition of each pinned claim (its reviewed
    values decide it, so it is read from the store, not kept with the pin).
    """
    parent: dict[str, str] = {}

    def find(node: str) -> str:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    def union(a: str, b: str) -> None:
        parent[find(a)] = find(b)

    edges: list[Sequence[str]] = []
    for m in overrides.merges.values():
        edges += [("r:" + m.record_id, "r:" + m.into), ("r:" + m.record_id, "p:" + m.partition),
                  ("r:" + m.into, "p:" + m.into_partition)]
    for claim_id, group in overrides.pins.items():
        if claim_id in pinned_partitions:
            edges.append(("r:" + group, "p:" + pinned_partitions[claim_id]))
    for a, b in edges:
        union(a, b)
    roots = {find("p:" + p) for p in partitions}
    linked = {node[2:] for node in list(parent) if node.startswith("p:") and find(node) in roots}
    return linked | set(partitions)
