"""`armstrace export` with reviews through click's runner, on both backends: `--reviewed` and
`--accepted-only` for claims, `--accepted-only` for records, the register and GraphML, and
records that `armstrace fuse` re-fuses from reviewed values with merges applied."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import networkx as nx
from click.testing import CliRunner

from armstrace.cli.main import cli
from armstrace.exports.reviewed import REVIEWED_CLAIM_COLUMNS
from armstrace.fuse import refresh_records
from armstrace.store import open_store
from tests.fuse.scenario import claim_docs, store_scenario

N_CLAIMS = sum(len(claims) for _, claims in claim_docs())


def invoke(*args: str) -> str:
    res = CliRunner().invoke(cli, list(args))
    if res.exception is not None and not isinstance(res.exception, SystemExit):
        raise res.exception
    assert res.exit_code == 0, res.stderr
    return res.stdout


def _reviewed_scenario(db_url: str) -> dict[str, int]:
    """The scenario fused, then: the Shahed-136 claim accepted, the Geran-2 one corrected to
    "possible", the first shells report rejected. Returns those claims' ids."""
    with open_store(db_url) as store:
        store_scenario(store)
    invoke("fuse", "--db", db_url)
    with open_store(db_url) as store:
        ids = {d: store.document_claim_views(d)[0].claim_id for d in ("a10", "a11", "a01")}
        store.review_claim(ids["a10"], user="ana", action="accept")
        store.review_claim(ids["a11"], user="ana", action="correct",
                           overrides={"certainty": "possible"})
        store.review_claim(ids["a01"], user="ana", action="reject")
    invoke("fuse", "--db", db_url)  # re-fuse everything from the reviewed values
    return ids


def test_export_claims_reviewed_and_accepted_only(db_url: str) -> None:
    ids = _reviewed_scenario(db_url)
    raw = [json.loads(ln) for ln in invoke("export", "claims", "--db", db_url).splitlines()]
    assert len(raw) == N_CLAIMS and "review" not in raw[0]  # as extracted, unchanged
    reviewed = [json.loads(ln) for ln in
                invoke("export", "claims", "--db", db_url, "--reviewed").splitlines()]
    by_id = {c["claim_id"]: c for c in reviewed}
    assert len(reviewed) == N_CLAIMS - 1 and ids["a01"] not in by_id
    assert by_id[ids["a11"]]["certainty"] == "possible" and by_id[ids["a11"]]["review"] == \
        "corrected"
    rows = list(csv.DictReader(io.StringIO(invoke(
        "export", "claims", "--db", db_url, "--accepted-only", "--format", "csv"))))
    assert tuple(rows[0]) == REVIEWED_CLAIM_COLUMNS
    assert sorted((int(r["claim_id"]), r["review"]) for r in rows) == \
        [(ids["a10"], "accepted"), (ids["a11"], "corrected")]


def test_export_records_from_reviewed_and_accepted_claims(db_url: str) -> None:
    _reviewed_scenario(db_url)
    every = [json.loads(ln) for ln in invoke("export", "records", "--db", db_url).splitlines()]
    ammo = next(r for r in every if r["item_category"] == "ammunition")
    assert ammo["n_claims"] == 8  # nine reports, one rejected
    shahed = next(r for r in every if r["item_category"] == "loitering_munitions")
    assert shahed["review"] == "reviewed"
    accepted = [json.loads(ln) for ln in invoke(
        "export", "records", "--db", db_url, "--accepted-only").splitlines()]
    assert len(accepted) == 1
    assert accepted[0]["record_id"] == shahed["record_id"]
    assert (accepted[0]["n_claims"], accepted[0]["strongest_certainty"]) == (2, "certain")
    assert invoke("export", "records", "--db", db_url, "--accepted-only",
                  "--supplier", "PRK") == ""
    register = list(csv.DictReader(io.StringIO(invoke(
        "export", "register", "--db", db_url, "--accepted-only"))))
    assert [r["record_id"] for r in register] == [shahed["record_id"]]


def test_exports_keep_merges_after_fuse(db_url: str, tmp_path: Path) -> None:
    _reviewed_scenario(db_url)
    with open_store(db_url) as store:
        drones = next(iter(store.iter_records(category="uav"))).record_id
        shahed = next(iter(store.iter_records(category="loitering_munitions"))).record_id
        store.merge_records([drones, shahed], user="ana")
        refresh_records(store, [drones, shahed])
    invoke("fuse", "--db", db_url)
    ids = [json.loads(ln)["record_id"] for ln in
           invoke("export", "records", "--db", db_url, "--supplier", "IRN").splitlines()]
    assert ids == [drones]
    accepted = [json.loads(ln) for ln in invoke(
        "export", "records", "--db", db_url, "--accepted-only").splitlines()]
    assert [r["record_id"] for r in accepted] == [drones]  # accepted claims, merged too
    out = tmp_path / "net.graphml"
    invoke("export", "graphml", "--db", db_url, "--accepted-only", "-o", str(out))
    g = nx.read_graphml(out)
    assert list(g.edges) == [("IRN", "RUS")] and g.edges["IRN", "RUS"]["claims"] == 2
