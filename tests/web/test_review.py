"""Review actions: accept, correct (validated), reject, note; audit entries; roles; CSRF;
read-only mode; CSV export with reviewed values and the accepted-only option."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import csrf_of, login
from tests.web.html import parse


def _claim_id(client: TestClient, doc_id: str = "w-001") -> int:
    return int(client.get("/document.json", params={"id": doc_id}).json()["claims"][0]["claim_id"])


def _post(client: TestClient, cid: int, action: str, **form: str) -> object:
    form.setdefault("csrf_token", csrf_of(client, f"/claims/{cid}"))
    return client.post(f"/claims/{cid}/{action}", data=form, follow_redirects=False)


def test_correct_then_accept_is_audited(analyst: TestClient) -> None:
    cid = _claim_id(analyst)
    r = _post(analyst, cid, "correct", certainty="probable", quantity_value="12000",
              note="the ministry says twelve thousand")
    assert r.status_code == 303
    data = analyst.get(f"/claims/{cid}.json").json()
    assert data["claim"]["review"] == "corrected"
    assert data["claim"]["claim"]["certainty"] == "probable"
    assert data["claim"]["claim"]["quantity"]["value"] == 12000
    assert data["original"]["certainty"] == "certain"
    assert _post(analyst, cid, "accept").status_code == 303
    audit = analyst.get(f"/claims/{cid}.json").json()["audit"]
    assert [e["action"] for e in audit] == ["correct", "accept"]
    assert audit[0]["user"] == "analyst"
    assert audit[0]["before"]["claim"]["certainty"] == "certain"
    assert audit[0]["after"]["claim"]["certainty"] == "probable"
    assert audit[0]["note"] == "the ministry says twelve thousand"
    page = parse(analyst.get(f"/claims/{cid}").text)
    assert [li.get("data-audit-id") for li in page.find_class("audit")[0]] == \
        [str(e["id"]) for e in audit]
    # the record page shows the same log and the record's review state moved
    rec = analyst.get(f"/claims/{cid}.json").json()["records"][0]
    rdata = analyst.get(f"/records/{rec}.json").json()
    assert [e["id"] for e in rdata["audit"]] == [e["id"] for e in audit]
    assert rdata["record"]["review"] in ("in_review", "reviewed")


@pytest.mark.parametrize(("field", "value", "message"), [
    ("certainty", "sure", "unknown certainty"),
    ("item_category", "drones", "unknown item_category"),
    ("stage", "research", "transfer stage"),
    ("supplier", "North Korea!", "actor id"),
    ("quantity_value", "many", "not a number"),
    ("source_type", "blogger", "source type"),
    ("colour", "red", "unknown field"),
])
def test_bad_corrections_are_422(analyst_sqlite: TestClient, field: str, value: str,
                                 message: str) -> None:
    cid = _claim_id(analyst_sqlite)
    r = analyst_sqlite.post(f"/claims/{cid}/correct?format=json",
                            data={field: value, "csrf_token": csrf_of(analyst_sqlite)})
    assert r.status_code == 422
    assert message in r.json()["error"]["message"]
    assert analyst_sqlite.get(f"/claims/{cid}.json").json()["audit"] == []


def test_reject_and_note(analyst: TestClient) -> None:
    cid = _claim_id(analyst, "w-003")
    assert _post(analyst, cid, "note", note="check KCNA original").status_code == 303
    assert _post(analyst, cid, "reject").status_code == 303
    data = analyst.get(f"/claims/{cid}.json").json()
    assert data["claim"]["review"] == "rejected"
    assert [(e["action"], e["note"]) for e in data["audit"]] == \
        [("note", "check KCNA original"), ("reject", None)]


def test_viewer_cannot_write(app_client: TestClient) -> None:
    assert login(app_client, "viewer") == 303
    cid = _claim_id(app_client)
    page = parse(app_client.get(f"/claims/{cid}").text)
    assert not page.xpath('//form[contains(@action, "/accept")]')
    assert _post(app_client, cid, "accept").status_code == 403
    assert app_client.get(f"/claims/{cid}.json").json()["audit"] == []


def test_csrf_is_required(analyst: TestClient) -> None:
    cid = _claim_id(analyst)
    assert _post(analyst, cid, "accept", csrf_token="").status_code == 403
    assert _post(analyst, cid, "accept", csrf_token="forged").status_code == 403
    r = analyst.post(f"/claims/{cid}/accept", headers={"X-CSRF-Token": csrf_of(analyst)},
                     follow_redirects=False)
    assert r.status_code == 303


def test_read_only_browses_and_refuses_writes(ro_client: TestClient) -> None:
    assert ro_client.get("/records").status_code == 200
    cid = _claim_id(ro_client)
    r = ro_client.post(f"/claims/{cid}/accept", data={"csrf_token": "x"})
    assert r.status_code == 403
    assert ro_client.post("/login", data={"name": "admin", "password": "x"}).status_code == 403
    assert not parse(ro_client.get(f"/claims/{cid}").text).xpath("//form[@method='post']")


def _csv(client: TestClient, accepted_only: bool) -> list[dict[str, str]]:
    r = client.get("/export/claims.csv", params={"accepted_only": str(accepted_only).lower()})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(r.text)))


def test_csv_export_uses_reviewed_values(analyst: TestClient) -> None:
    every = _csv(analyst, False)
    assert _csv(analyst, True) == []
    cid = _claim_id(analyst)
    rejected = _claim_id(analyst, "w-003")
    _post(analyst, cid, "correct", certainty="possible", item_category="artillery")
    _post(analyst, rejected, "reject")
    rows = {int(r["claim_id"]): r for r in _csv(analyst, False)}
    assert len(rows) == len(every) - 1 and rejected not in rows
    assert rows[cid]["certainty"] == "possible" and rows[cid]["item_category"] == "artillery"
    assert rows[cid]["review"] == "corrected"
    accepted = _csv(analyst, True)
    assert [int(r["claim_id"]) for r in accepted] == [cid]
