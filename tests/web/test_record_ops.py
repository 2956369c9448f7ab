"""Merging and splitting records over HTTP against the real app and database: the forms, the
JSON twins, the audit entries on the record page, redirects from merged records, persistence
across `armstrace fuse`, roles, CSRF and refused input; review actions re-fusing records; the
records CSV from reviewed or accepted claims only."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from fastapi.testclient import TestClient

from armstrace.fuse import refresh_all
from armstrace.store import Store
from tests.web.conftest import csrf_of, login
from tests.web.html import parse


def _records(client: TestClient) -> dict[str, dict[str, Any]]:
    """category (or kind) → record, from the records list's JSON twin."""
    return {r["item_category"] if r["kind"] == "transfer" else r["kind"]: r
            for r in client.get("/records.json").json()["records"]}


def _record(client: TestClient, rid: str) -> dict[str, Any]:
    r = client.get(f"/records/{rid}.json")
    assert r.status_code == 200, r.text
    data: dict[str, Any] = r.json()
    return data


def _claims(client: TestClient, rid: str) -> list[int]:
    return sorted(c["claim_id"] for c in _record(client, rid)["claims"])


def _merge(client: TestClient, *ids: str, csrf: str | None = None, **form: str) -> Any:
    data: dict[str, Any] = {"record_id": list(ids), **form}
    data["csrf_token"] = csrf if csrf is not None else csrf_of(client, "/records")
    return client.post("/records/merge", data=data, follow_redirects=False)


def _split(client: TestClient, rid: str, *claim_ids: int | str, **form: str) -> Any:
    data: dict[str, Any] = {"claim_id": [str(c) for c in claim_ids], **form}
    data.setdefault("csrf_token", csrf_of(client, f"/records/{rid}"))
    return client.post(f"/records/{rid}/split", data=data, follow_redirects=False)


def _store(client: TestClient) -> Store:
    store: Store = client.app.state.store  # type: ignore[attr-defined]  # the app's own store
    return store


def test_merge_through_the_records_form(analyst: TestClient) -> None:
    page = parse(analyst.get("/records").text)
    boxes = page.xpath('//table[@id="records"]//input[@type="checkbox"][@form="merge-form"]')
    assert len(boxes) == 3
    assert page.xpath('//form[@id="merge-form"][@action="/records/merge"]')
    recs = _records(analyst)
    ammo, drones = recs["ammunition"]["record_id"], recs["loitering_munitions"]["record_id"]
    claims = sorted(_claims(analyst, ammo) + _claims(analyst, drones))
    r = _merge(analyst, ammo, drones, note="one supply line")
    assert r.status_code == 303 and r.headers["location"] == f"/records/{ammo}"
    data = _record(analyst, ammo)
    assert sorted(c["claim_id"] for c in data["claims"]) == claims
    assert data["record"]["n_claims"] == len(claims)
    assert data["merged_from"] == [drones]
    [entry] = data["record_audit"]
    assert (entry["action"], entry["user"], entry["note"]) == ("merge", "analyst",
                                                               "one supply line")
    assert [b["record_id"] for b in entry["before"]["records"]] == [ammo, drones]
    assert entry["after"]["merged"] == [drones]
    html = parse(analyst.get(f"/records/{ammo}").text)
    [li] = html.xpath('//ol[@class="record-audit"]/li')
    assert li.get("data-action") == "merge" and li.get("data-record-audit-id") == \
        str(entry["id"])
    assert "analyst merge" in " ".join(li.text_content().split())
    # the merged record's links lead to the merge target, page and twin alike
    gone = analyst.get(f"/records/{drones}", follow_redirects=False)
    assert gone.status_code == 303 and gone.headers["location"] == f"/records/{ammo}"
    twin = analyst.get(f"/records/{drones}.json", follow_redirects=False)
    assert twin.headers["location"] == f"/records/{ammo}.json"
    assert len(_records(analyst)) == 2
    # `armstrace fuse` re-fuses everything: the merge holds
    refresh_all(_store(analyst))
    assert _claims(analyst, ammo) == claims and len(_records(analyst)) == 2


def test_merge_answers_json(analyst: TestClient) -> None:
    recs = _records(analyst)
    ammo, drones = recs["ammunition"]["record_id"], recs["loitering_munitions"]["record_id"]
    r = analyst.post("/records/merge?format=json",
                     data={"record_id": [ammo], "into": drones,
                           "csrf_token": csrf_of(analyst)})
    assert r.status_code == 200
    body = r.json()
    assert body["audit"]["record_id"] == drones and body["audit"]["after"]["merged"] == [ammo]
    assert body["record"]["record_id"] == drones and body["record"]["n_claims"] == 4


def test_split_through_the_record_form(analyst: TestClient) -> None:
    ammo = _records(analyst)["ammunition"]["record_id"]
    first, second = _claims(analyst, ammo)
    page = parse(analyst.get(f"/records/{ammo}").text)
    boxes = page.xpath('//table[@id="claims"]//input[@name="claim_id"][@form="split-form"]')
    assert [int(b.get("value")) for b in boxes] == [first, second]
    r = _split(analyst, ammo, second, note="a different shipment")
    assert r.status_code == 303
    new = r.headers["location"].removeprefix("/records/")
    assert new != ammo and _claims(analyst, new) == [second]
    assert _claims(analyst, ammo) == [first]
    assert _record(analyst, ammo)["record"]["n_independent_sources"] == 1
    for rid in (ammo, new):
        [entry] = _record(analyst, rid)["record_audit"]
        assert entry["action"] == "split" and entry["after"]["claim_ids"] == [second]
        assert entry["note"] == "a different shipment"
    refresh_all(_store(analyst))
    assert _claims(analyst, new) == [second] and _claims(analyst, ammo) == [first]
    # and merged back again
    assert _merge(analyst, ammo, new).status_code == 303
    assert _claims(analyst, ammo) == [first, second]


def test_record_ops_need_a_reviewer_and_csrf(app_client: TestClient) -> None:
    assert login(app_client, "viewer") == 303
    recs = _records(app_client)
    ammo, drones = recs["ammunition"]["record_id"], recs["loitering_munitions"]["record_id"]
    page = parse(app_client.get("/records").text)
    assert not page.xpath('//form[@action="/records/merge"]')
    assert not parse(app_client.get(f"/records/{ammo}").text).xpath('//form[@id="split-form"]')
    assert _merge(app_client, ammo, drones).status_code == 403
    assert _split(app_client, ammo, _claims(app_client, ammo)[0]).status_code == 403
    app_client.post("/logout", data={"csrf_token": csrf_of(app_client)})
    assert login(app_client, "analyst") == 303
    assert _merge(app_client, ammo, drones, csrf="").status_code == 403
    assert _merge(app_client, ammo, drones, csrf="forged").status_code == 403
    assert _split(app_client, ammo, _claims(app_client, ammo)[0],
                  csrf_token="forged").status_code == 403
    assert not _store(app_client).fuse_overrides()
    assert _record(app_client, ammo)["record_audit"] == []


def test_read_only_refuses_record_ops(ro_client: TestClient) -> None:
    recs = _records(ro_client)
    ammo, drones = recs["ammunition"]["record_id"], recs["loitering_munitions"]["record_id"]
    r = ro_client.post("/records/merge", data={"record_id": [ammo, drones], "csrf_token": "x"})
    assert r.status_code == 403
    assert not _store(ro_client).fuse_overrides()


@pytest.mark.parametrize(("case", "status", "message"), [
    ("one record", 422, "at least two"),
    ("bad id", 422, "not a record id"),
    ("unknown id", 404, "no record"),
    ("kinds differ", 422, "different kinds"),
    ("split all", 422, "leave at least one"),
    ("split stranger", 422, "is not in record"),
    ("split not a number", 422, "not a claim id"),
    ("split unknown record", 404, "no record"),
])
def test_bad_record_ops_are_refused(analyst_sqlite: TestClient, case: str, status: int,
                                    message: str) -> None:
    c = analyst_sqlite
    recs = _records(c)
    ammo, dev = recs["ammunition"]["record_id"], recs["development"]["record_id"]
    drones = recs["loitering_munitions"]["record_id"]
    token = csrf_of(c)
    merge = {"one record": [ammo], "bad id": [ammo, "r-<b>"],
             "unknown id": [ammo, "r-0000000000000000"], "kinds differ": [ammo, dev]}
    split = {"split all": (ammo, _claims(c, ammo)), "split stranger":
             (ammo, _claims(c, drones)[:1]), "split not a number": (ammo, ["x"]),
             "split unknown record": ("r-0000000000000000", [1])}
    if case in merge:
        r = c.post("/records/merge?format=json",
                   data={"record_id": merge[case], "csrf_token": token})
    else:
        rid, ids = split[case]
        r = c.post(f"/records/{rid}/split?format=json",
                   data={"claim_id": [str(i) for i in ids], "csrf_token": token})
    assert r.status_code == status
    assert message in r.json()["error"]["message"]
    assert not _store(c).fuse_overrides()


def _post_review(client: TestClient, cid: int, action: str, **form: str) -> None:
    form["csrf_token"] = csrf_of(client, f"/claims/{cid}")
    r = client.post(f"/claims/{cid}/{action}", data=form, follow_redirects=False)
    assert r.status_code == 303, r.text


def test_review_actions_refuse_the_records(analyst: TestClient) -> None:
    ammo = _records(analyst)["ammunition"]
    first, second = _claims(analyst, ammo["record_id"])
    assert ammo["n_independent_sources"] == 2
    _post_review(analyst, second, "reject")
    rec = _record(analyst, ammo["record_id"])["record"]
    assert (rec["n_claims"], rec["n_independent_sources"]) == (1, 1)
    assert rec["review"] == "unreviewed"  # its one remaining claim awaits review
    # a corrected recipient moves the claim to the record of its corrected key
    _post_review(analyst, first, "correct", recipient="BLR")
    assert analyst.get(f"/records/{ammo['record_id']}.json").status_code == 404
    moved = analyst.get(f"/claims/{first}.json").json()["records"]
    [rid] = moved
    rec = _record(analyst, rid)["record"]
    assert (rec["supplier"], rec["recipient"], rec["review"]) == ("PRK", "BLR", "reviewed")
    assert analyst.get("/records.json", params={"recipient": "BLR"}).json()["records"][0][
        "record_id"] == rid


def _csv(client: TestClient, path: str, **params: str) -> list[dict[str, str]]:
    r = client.get(path, params=params)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(r.text)))


def test_records_csv_reviewed_and_accepted_only(analyst: TestClient) -> None:
    every = _csv(analyst, "/export/records.csv")
    assert len(every) == 3
    assert _csv(analyst, "/export/records.csv", accepted_only="true") == []
    ammo = _records(analyst)["ammunition"]["record_id"]
    first, second = _claims(analyst, ammo)
    _post_review(analyst, first, "accept")
    _post_review(analyst, second, "reject")
    rows = {r["record_id"]: r for r in _csv(analyst, "/export/records.csv")}
    assert rows[ammo]["n_claims"] == "1" and rows[ammo]["review"] == "reviewed"
    [accepted] = _csv(analyst, "/export/records.csv", accepted_only="true")
    assert (accepted["record_id"], accepted["n_claims"], accepted["review"]) == \
        (ammo, "1", "reviewed")
    r = analyst.get("/export/records.csv", params={"accepted_only": "true"})
    assert 'filename="records-accepted.csv"' in r.headers["content-disposition"]
