"""Pages and their JSON twins: dashboard, records with filters and search, record, article
(highlights wrap exactly the evidence), actor, claim; CSP on every page."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from armstrace.web.app import CSP
from tests.web.html import cells, parse

PAGES = ["/", "/records", "/records?category=ammunition", "/actors/PRK",
         "/document?id=w-001", "/login"]


def _first_record(client: TestClient, **params: str) -> dict[str, object]:
    return client.get("/records.json", params=params).json()["records"][0]


def test_pages_need_a_login(app_client: TestClient) -> None:
    r = app_client.get("/records", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    assert app_client.get("/records.json").status_code == 401


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_the_csp(analyst_sqlite: TestClient, path: str) -> None:
    r = analyst_sqlite.get(path)
    assert r.status_code == 200
    assert r.headers["content-security-policy"] == CSP
    doc = parse(r.text)
    assert not [s for s in doc.iter("script") if not s.get("src")], "inline script"


def test_records_list_equals_its_twin(analyst: TestClient) -> None:
    data = analyst.get("/records.json").json()
    rows = cells(parse(analyst.get("/records").text).get_element_by_id("records"))
    assert [row[0] for row in rows] == [r["record_id"] for r in data["records"]]
    assert [int(row[6]) for row in rows] == [r["n_independent_sources"] for r in data["records"]]
    assert analyst.get("/records?format=json").json() == data


@pytest.mark.parametrize(("params", "expect"), [
    ({"supplier": "PRK"}, {"ammunition"}),
    ({"recipient": "RUS", "category": "loitering_munitions"}, {"loitering_munitions"}),
    ({"kind": "development"}, {"ballistic_missiles"}),
    ({"stage": "test"}, {"ballistic_missiles"}),
    ({"certainty": "possible"}, set()),
    ({"since": "2024-06"}, {"ammunition", "ballistic_missiles"}),
    ({"until": "2024-03"}, {"ammunition"}),
    ({"min_sources": "2"}, {"ammunition", "loitering_munitions"}),
    ({"review": "reviewed"}, set()),
    ({"q": "Shahed"}, {"loitering_munitions"}),
])
def test_filters(analyst_sqlite: TestClient, params: dict[str, str], expect: set[str]) -> None:
    data = analyst_sqlite.get("/records.json", params=params).json()
    assert {r["item_category"] for r in data["records"]} == expect


def test_search_lists_documents(analyst: TestClient) -> None:
    data = analyst.get("/records.json", params={"q": "Shahed"}).json()
    assert [d["doc_id"] for d in data["documents"]] == ["w-002"]
    doc = parse(analyst.get("/records", params={"q": "Shahed"}).text)
    assert [li.get("data-doc-id") for li in doc.get_element_by_id("documents")] == ["w-002"]


@pytest.mark.parametrize("params", [{"category": "drones"}, {"certainty": "sure"},
                                    {"since": "last week"}, {"supplier": "<b>"},
                                    {"min_sources": "-1"}])
def test_bad_filters_are_422(analyst_sqlite: TestClient, params: dict[str, str]) -> None:
    r = analyst_sqlite.get("/records.json", params=params)
    assert r.status_code == 422 and r.json()["error"]["message"]


def test_record_page_timeline_and_denials(analyst: TestClient) -> None:
    rec = _first_record(analyst, category="loitering_munitions")
    data = analyst.get(f"/records/{rec['record_id']}.json").json()
    assert data["record"] == rec
    assert len(data["denials"]) == 1
    page = parse(analyst.get(f"/records/{rec['record_id']}").text)
    rows = page.get_element_by_id("claims").xpath(".//tbody/tr")
    assert [int(tr.get("data-claim-id")) for tr in rows] == \
        [c["claim_id"] for c in data["claims"]]
    negated = [int(tr.get("data-claim-id")) for tr in rows if "negated" in tr.get("class")]
    assert negated == data["denials"]
    facts = page.get_element_by_id("record")
    assert facts.xpath('.//dd[@data-key="n_independent_sources"]')[0].text == \
        str(rec["n_independent_sources"])
    assert analyst.get("/records/r-nope").status_code == 404


@pytest.mark.parametrize("doc_id", ["w-001", "w-002", "xss-1"])
def test_article_highlights_wrap_exactly_the_evidence(analyst_sqlite: TestClient,
                                                      doc_id: str) -> None:
    data = analyst_sqlite.get("/document.json", params={"id": doc_id}).json()
    text = data["document"]["text"]
    assert data["claims"]
    article = parse(analyst_sqlite.get("/document", params={"id": doc_id}).text) \
        .get_element_by_id("text")
    assert article.text_content() == text  # the markup adds no character and loses none
    for c in data["claims"]:
        marked = "".join(m.text_content() for m in article.iter("mark")
                         if str(c["claim_id"]) in (m.get("data-claims") or "").split())
        evidence = "".join(text[s["start"]:s["end"]] for s in c["claim"]["evidence"])
        assert marked == evidence
    cards = parse(analyst_sqlite.get("/document", params={"id": doc_id}).text) \
        .get_element_by_id("claims")
    assert [int(li.get("data-claim-id")) for li in cards] == \
        [c["claim_id"] for c in data["claims"]]


def test_actor_page(analyst: TestClient) -> None:
    data = analyst.get("/actors/PRK.json").json()
    assert {r["item_category"] for r in data["as_supplier"]} == {"ammunition"}
    assert {r["item_category"] for r in data["as_developer"]} == {"ballistic_missiles"}
    page = parse(analyst.get("/actors/PRK").text)
    assert [row[0] for row in cells(page.get_element_by_id("as_supplier"))] == \
        [r["record_id"] for r in data["as_supplier"]]


def test_dashboard_twin(analyst: TestClient) -> None:
    data = analyst.get("/index.json").json()
    assert data["counts"]["documents"] == 4 and data["counts"]["records"] == 3
    page = parse(analyst.get("/").text)
    shown = {dd.get("data-key"): int(dd.text) for dd in
             page.get_element_by_id("counts").iter("dd")}
    assert shown == data["counts"]


def test_openapi_is_served(analyst: TestClient) -> None:
    spec = analyst.get("/openapi.json").json()
    assert "/records/{record_id}" in spec["paths"]
    assert "/claims/{claim_id}/correct" in spec["paths"]
