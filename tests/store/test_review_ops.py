"""Reviewed fusion in the store, on SQLite and PostgreSQL: rejected claims leave their records,
corrected claims move to their corrected key, merges and splits persist across re-fusion (full
and incremental, and for claims ingested after the decision), each is logged, and records can
be fused from accepted claims alone. Built on the hand-written fusion scenario (tests/fuse).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from armstrace.fuse import (
    accepted_records,
    query,
    refresh_all,
    refresh_claims,
    refresh_documents,
    refresh_partitions,
    refresh_records,
)
from armstrace.fuse.keys import SEP
from armstrace.store import Store, open_store
from armstrace.store.review_ops import RecordOpError
from tests.fuse.scenario import as_compared, claim_docs, store_scenario

ALL_DOCS = {d["doc_id"] for d, _ in claim_docs()}


@pytest.fixture
def scenario(db_url: str) -> Iterator[Store]:
    with open_store(db_url) as store:
        store_scenario(store)
        refresh_all(store)
        yield store


def _claim(store: Store, doc_id: str, i: int = 0) -> int:
    return store.document_claim_views(doc_id)[i].claim_id


def _record_of(store: Store, claim_id: int) -> Any:
    """The one record a claim backs (None when it backs none)."""
    rids = store.records_of_claims([claim_id]).get(claim_id, [])
    assert len(rids) <= 1, rids
    return next(iter(store.iter_records(record_ids=rids)), None) if rids else None


def _all(store: Store) -> dict[str, dict[str, Any]]:
    return {r.record_id: {**as_compared(r), "claims": sorted(c for _, c in
                                                             store.record_claims(r.record_id))}
            for r in query(store)}


def _same_after_full_refusion(store: Store) -> dict[str, dict[str, Any]]:
    """The records now, asserted equal to what `armstrace fuse` (everything) makes of them."""
    now = _all(store)
    refresh_all(store)
    assert _all(store) == now
    return now


def test_a_rejected_claim_no_longer_counts(scenario: Store) -> None:
    geran = _claim(scenario, "a11")
    before = _record_of(scenario, geran)
    assert (before.n_claims, before.n_independent_sources) == (2, 2)
    scenario.review_claim(geran, user="ana", action="reject")
    refresh_claims(scenario, [geran])
    after = next(iter(scenario.iter_records(record_ids=[before.record_id])))
    assert (after.n_claims, after.n_independent_sources) == (1, 1)
    assert after.last_reported == "2022-09-20"  # the rejected report of 2022-10-15 is gone
    assert "Military bloggers" not in after.sources
    assert _record_of(scenario, geran) is None
    _same_after_full_refusion(scenario)
    # rejecting the last claim removes the record
    shahed = _claim(scenario, "a10")
    scenario.review_claim(shahed, user="ana", action="reject")
    refresh_claims(scenario, [shahed])
    assert not list(scenario.iter_records(record_ids=[before.record_id]))


def test_a_corrected_claim_moves_to_its_corrected_key(scenario: Store) -> None:
    howitzers = _claim(scenario, "a26")
    old = _record_of(scenario, howitzers)
    assert old.recipient == "TWN"
    scenario.review_claim(howitzers, user="ana", action="correct",
                          overrides={"recipient": "UKR"})
    refresh_claims(scenario, [howitzers])
    assert not list(scenario.iter_records(record_ids=[old.record_id]))
    moved = _record_of(scenario, howitzers)
    assert (moved.supplier, moved.recipient, moved.item_category) == ("USA", "UKR", "artillery")
    assert moved.review == "reviewed"
    _same_after_full_refusion(scenario)


def test_corrections_recompute_certainty_category_and_denials(scenario: Store) -> None:
    shahed, geran = _claim(scenario, "a10"), _claim(scenario, "a11")
    denial, small = _claim(scenario, "a12", 0), _claim(scenario, "a12", 1)
    rid = _record_of(scenario, shahed).record_id
    marks = []
    for cid in (shahed, geran):
        scenario.review_claim(cid, user="ana", action="correct",
                              overrides={"certainty": "possible"})
        refresh_claims(scenario, [cid])
        r = next(iter(scenario.iter_records(record_ids=[rid])))
        marks.append((r.strongest_certainty, r.review))
    assert marks == [("probable", "in_review"), ("possible", "reviewed")]
    # the "small number of drones" and its denial were read as uav: a reviewer says Shaheds
    for cid in (denial, small):
        scenario.review_claim(cid, user="ana", action="correct",
                              overrides={"item_category": "loitering_munitions"})
    refresh_claims(scenario, [denial, small])
    r = next(iter(scenario.iter_records(record_ids=[rid])))
    assert r.n_claims == 4 and r.denied_by == ["IRN"] and r.last_reported == "2022-11-05"
    assert r.strongest_certainty == "certain"
    assert r.review == "reviewed"
    assert _same_after_full_refusion(scenario)[rid]["claims"] == sorted(
        [shahed, geran, denial, small])


def test_merge_persists_and_takes_later_claims(db_url: str) -> None:
    with open_store(db_url) as store:
        store_scenario(store, only=ALL_DOCS - {"a11"})  # the Geran-2 report comes later
        refresh_all(store)
        drones = _record_of(store, _claim(store, "a12", 1))
        shahed = _record_of(store, _claim(store, "a10"))
        entry = store.merge_records([drones.record_id, shahed.record_id], user="ana",
                                    note="same transfer")
        refresh_records(store, [drones.record_id, shahed.record_id])
        merged = next(iter(store.iter_records(record_ids=[drones.record_id])))
        assert merged.n_claims == 3 and merged.item_category == "uav"
        assert not list(store.iter_records(record_ids=[shahed.record_id]))
        assert store.merged_into(shahed.record_id) == drones.record_id
        assert store.merged_from(drones.record_id) == [shahed.record_id]
        _same_after_full_refusion(store)
        # a Geran-2 claim ingested afterwards follows the merge, incrementally
        store_scenario(store, only={"a11"})
        refresh_documents(store, ["a11"])
        geran = _claim(store, "a11")
        assert _record_of(store, geran).record_id == drones.record_id
        assert _same_after_full_refusion(store)[drones.record_id]["n_claims"] == 4
        log = store.record_audit([shahed.record_id])
        assert [(e.id, e.action, e.user, e.note) for e in log] == \
            [(entry.id, "merge", "ana", "same transfer")]
        assert {r["record_id"] for r in log[0].before["records"]} == \
            {drones.record_id, shahed.record_id}
        assert log[0].after == {"record_id": drones.record_id, "merged": [shahed.record_id],
                                "claim_ids": sorted(log[0].after["claim_ids"])}


def test_merge_keeps_a_shared_denial_once(scenario: Store) -> None:
    # "any weapons": the denial reaches every PRK→RUS weapons record
    denial = next(v.claim_id for v in scenario.document_claim_views("a04")
                  if v.claim.polarity == "negated")
    kn23 = _record_of(scenario, _claim(scenario, "a07")).record_id
    kn24 = _record_of(scenario, _claim(scenario, "a08")).record_id
    scenario.merge_records([kn23, kn24], user="ana")
    refresh_records(scenario, [kn23, kn24])
    merged = _same_after_full_refusion(scenario)[kn23]
    assert merged["n_claims"] == 3 and merged["claims"].count(denial) == 1


def test_merge_across_partitions_survives_incremental_refusion(scenario: Store) -> None:
    drones = _record_of(scenario, _claim(scenario, "a12", 1))
    shells = _record_of(scenario, _claim(scenario, "a01"))
    scenario.merge_records([shells.record_id, drones.record_id], user="ana")
    refresh_records(scenario, [shells.record_id, drones.record_id])
    whole = _all(scenario)
    assert whole[shells.record_id]["n_claims"] == shells.n_claims + drones.n_claims
    # re-fusing only Iran→Russia must not tear the Iranian claims out of the merged record
    refresh_partitions(scenario, {SEP.join(("transfer", "IRN", "RUS"))})
    assert _all(scenario) == whole
    assert _same_after_full_refusion(scenario) == whole


def test_split_persists_and_can_be_merged_back(scenario: Store) -> None:
    bennett = _claim(scenario, "a06")
    ammo = _record_of(scenario, bennett)
    entry = scenario.split_record(ammo.record_id, [bennett], user="ana", note="a later lot")
    refresh_records(scenario, [ammo.record_id])
    split = _record_of(scenario, bennett)
    assert split.record_id == entry.record_id != ammo.record_id
    assert (split.n_claims, split.item_category, split.supplier) == (1, "ammunition", "PRK")
    rest = next(iter(scenario.iter_records(record_ids=[ammo.record_id])))
    assert rest.n_claims == ammo.n_claims - 1 and rest.last_reported < ammo.last_reported
    _same_after_full_refusion(scenario)
    assert [e.action for e in scenario.record_audit([ammo.record_id])] == ["split"]
    assert entry.after["claim_ids"] == [bennett] and entry.after["from"] == ammo.record_id
    scenario.merge_records([ammo.record_id, split.record_id], user="bo")
    refresh_records(scenario, [ammo.record_id, split.record_id])
    again = _same_after_full_refusion(scenario)[ammo.record_id]
    assert again["n_claims"] == ammo.n_claims and bennett in again["claims"]
    assert [e.action for e in scenario.record_audit([ammo.record_id])] == ["split", "merge"]
    # the same split once more: the split-off record stands alone again
    scenario.split_record(ammo.record_id, [bennett], user="bo")
    refresh_records(scenario, [ammo.record_id])
    assert _record_of(scenario, bennett).record_id == split.record_id
    assert _same_after_full_refusion(scenario)[ammo.record_id]["n_claims"] == ammo.n_claims - 1


@pytest.mark.parametrize(("op", "error"), [
    ("merge_one", "at least two"),
    ("merge_kinds", "different kinds"),
    ("split_none", "choose the claims"),
    ("split_all", "leave at least one"),
    ("split_stranger", "is not in record"),
])
def test_impossible_operations_are_refused(scenario: Store, op: str, error: str) -> None:
    ammo = _record_of(scenario, _claim(scenario, "a06"))
    dev = next(iter(scenario.iter_records(kind="development")))
    claims = [c for _, c in scenario.record_claims(ammo.record_id)]
    stranger = _claim(scenario, "a10")
    calls = {
        "merge_one": lambda: scenario.merge_records([ammo.record_id], user="ana"),
        "merge_kinds": lambda: scenario.merge_records([ammo.record_id, dev.record_id],
                                                      user="ana"),
        "split_none": lambda: scenario.split_record(ammo.record_id, [], user="ana"),
        "split_all": lambda: scenario.split_record(ammo.record_id, claims, user="ana"),
        "split_stranger": lambda: scenario.split_record(ammo.record_id, [stranger], user="ana"),
    }
    with pytest.raises(RecordOpError, match=error):
        calls[op]()
    assert scenario.record_audit([ammo.record_id]) == []
    assert not scenario.fuse_overrides()


def test_unknown_records_are_key_errors(scenario: Store) -> None:
    ammo = _record_of(scenario, _claim(scenario, "a06"))
    with pytest.raises(KeyError):
        scenario.merge_records([ammo.record_id, "r-0000000000000000"], user="ana")
    with pytest.raises(KeyError):
        scenario.split_record("r-0000000000000000", [1], user="ana")


def test_records_from_accepted_claims_only(scenario: Store) -> None:
    assert accepted_records(scenario) == []
    shahed, geran = _claim(scenario, "a10"), _claim(scenario, "a11")
    scenario.review_claim(shahed, user="ana", action="accept")
    scenario.review_claim(geran, user="ana", action="correct",
                          overrides={"certainty": "possible"})
    scenario.review_claim(_claim(scenario, "a01"), user="ana", action="reject")
    refresh_claims(scenario, [shahed, geran])
    [r] = accepted_records(scenario)
    assert r.record_id == _record_of(scenario, shahed).record_id
    assert (r.n_claims, r.strongest_certainty, r.review) == (2, "certain", "reviewed")
    assert query(scenario, accepted_only=True, supplier="IRN") == [r]
    assert query(scenario, accepted_only=True, supplier="PRK") == []
