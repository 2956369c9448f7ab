"""Reviewers' overrides in the pure fuser: reviewed values laid over fusion inputs, merges and
pins regrouping claims, chains and cycles of merges, and the partitions overrides link."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from armstrace.fuse import FuseInput, Merge, Overrides, fuse_claims, partition_of
from armstrace.fuse.keys import SEP
from armstrace.fuse.overrides import linked_partitions
from armstrace.fuse.reviewed import reviewed_input
from tests.fuse.scenario import fuse_inputs

BASE = FuseInput(doc_id="d", kind="transfer", item_category="uav", stage="delivered",
                 certainty="certain", polarity="affirmed", source_name="A", source_type="official",
                 supplier="IRN", recipient="RUS", item_text="drones", quantity_value=5.0,
                 quantity_unit="drones", claim_id=1)


@pytest.mark.parametrize(("values", "expected"), [
    ({}, {}),
    ({"recipient": "BLR", "certainty": "possible"}, {"recipient": "BLR", "certainty": "possible"}),
    ({"quantity": None}, {"quantity_value": None, "quantity_unit": None}),
    ({"quantity": {"value": 12, "qualifier": "exact", "unit": "units"}},
     {"quantity_value": 12.0, "quantity_unit": "units"}),
    ({"source": {"name": "B", "type": "analyst", "affiliation": "X"}},
     {"source_name": "B", "source_type": "analyst", "source_affiliation": "X"}),
    ({"parties": ["RUS", "IRN"]}, {"parties": ("IRN", "RUS")}),
    ({"timing": "future"}, {}),  # fusion does not read timing
])
def test_reviewed_values_are_laid_over_the_input(values: dict[str, Any],
                                                 expected: dict[str, Any]) -> None:
    assert reviewed_input(BASE, "corrected", values) == replace(BASE, **expected)


def test_rejected_claims_do_not_enter_fusion() -> None:
    assert reviewed_input(BASE, "rejected", {"recipient": "BLR"}) is None
    assert reviewed_input(BASE, None, None) is BASE


def _numbered() -> list[FuseInput]:
    return [replace(x, claim_id=i) for i, x in enumerate(fuse_inputs(), 1)]


def _by_claims(records: list[Any]) -> dict[str, list[int]]:
    return {r.record_id: r.claim_ids for r in records}


def test_no_overrides_is_plain_fusion() -> None:
    inputs = _numbered()
    assert _by_claims(fuse_claims(inputs, overrides=Overrides())) == \
        _by_claims(fuse_claims(inputs))


def test_merge_moves_every_claim_and_keeps_the_target_id() -> None:
    inputs = _numbered()
    plain = {r.record_id: r for r in fuse_claims(inputs)}
    uav = next(r for r in plain.values() if r.item_category == "uav")
    shahed = next(r for r in plain.values() if r.item_category == "loitering_munitions")
    merged = {r.record_id: r for r in fuse_claims(inputs, overrides=Overrides(merges={
        shahed.record_id: Merge(shahed.record_id, uav.record_id, shahed.partition,
                                uav.partition)}))}
    assert shahed.record_id not in merged
    r = merged[uav.record_id]
    assert r.claim_ids == sorted(uav.claim_ids + shahed.claim_ids)
    assert r.item_category == "uav" and r.partition == uav.partition
    assert r.first_reported == shahed.first_reported  # recomputed over every claim
    assert r.n_independent_sources == 3
    assert len(merged) == len(plain) - 1


def test_pins_split_claims_off_under_the_pinned_id() -> None:
    inputs = _numbered()
    plain = {r.record_id: r for r in fuse_claims(inputs)}
    ammo = next(r for r in plain.values() if r.item_category == "ammunition")
    moved = [c for c in ammo.claim_ids if c not in (5,)][-2:]
    got = {r.record_id: r for r in fuse_claims(inputs, overrides=Overrides(
        pins={c: "r-split" for c in moved}))}
    assert got["r-split"].claim_ids == moved
    assert got["r-split"].item_category == "ammunition"
    assert got[ammo.record_id].claim_ids == [c for c in ammo.claim_ids if c not in moved]


def test_merge_chains_resolve_and_cycles_stop() -> None:
    chain = Overrides(merges={"a": Merge("a", "b", "p", "p"), "b": Merge("b", "c", "p", "p")})
    assert chain.target("a") == "c" and chain.target("c") == "c"
    cycle = Overrides(merges={"a": Merge("a", "b", "p", "p"), "b": Merge("b", "a", "p", "p")})
    assert cycle.target("a") in ("a", "b")


def test_linked_partitions_follow_merges_and_pins() -> None:
    p = {k: SEP.join(("transfer", k, "RUS")) for k in ("IRN", "PRK", "BLR", "CHN")}
    ov = Overrides(merges={"r1": Merge("r1", "r2", p["IRN"], p["PRK"])},
                   pins={7: "r-s", 8: "r-s"})
    pinned = {7: p["PRK"], 8: p["BLR"]}
    assert linked_partitions({p["IRN"]}, ov, pinned) == {p["IRN"], p["PRK"], p["BLR"]}
    assert linked_partitions({p["BLR"]}, ov, pinned) == {p["IRN"], p["PRK"], p["BLR"]}
    assert linked_partitions({p["CHN"]}, ov, pinned) == {p["CHN"]}
    assert partition_of(BASE) == p["IRN"]
