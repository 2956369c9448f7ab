"""Facets, keyset pages, the network and the timeline, over the real app and a real store
(SQLite, and PostgreSQL when $ARMSTRACE_TEST_POSTGRES_URL is set).

The store is filled with claims written here (not extracted), fused by `refresh_all` as
`armstrace fuse` does, so every count below is known by construction:

    PRK → RUS  ammunition           2 claims (Jan 2023), 2 sources: one record
    IRN → RUS  loitering_munitions  1 claim  (Mar 2023)
    IRN → RUS  uav                  1 claim  (Mar 2023, possible)
    BLR → RUS  armoured_vehicles    1 claim  (Feb 2024)
    PRK        ballistic_missiles   1 development claim (May 2023, test)
    HOSTILE → RUS  ammunition       1 claim  (Feb 2024): an actor id that is markup
    POL → UKR  air_defence          1 claim  (undated: never on the timeline, last in pages)
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import lxml.etree
import pytest
from fastapi.testclient import TestClient

from armstrace.fuse import refresh_all
from armstrace.models import Claim, Document, Source, Span
from armstrace.store import open_store
from armstrace.web import create_app
from armstrace.web.passwords import hash_password
from tests.store.backends import BACKENDS, new_db_url
from tests.web.conftest import PASSWORD, login
from tests.web.html import parse

HOSTILE = "<script>alert('svg')</script>&\"x"
SVG = "{http://www.w3.org/2000/svg}"

#: (doc id, date, supplier, recipient, category, certainty, kind, source)
ROWS = [
    ("v1", "2023-01-10", "PRK", "RUS", "ammunition", "certain", "transfer", "Seoul officials"),
    ("v2", "2023-01-20", "PRK", "RUS", "ammunition", "probable", "transfer", "Kyiv officials"),
    ("v3", "2023-03-05", "IRN", "RUS", "loitering_munitions", "certain", "transfer", "Pentagon"),
    ("v4", "2023-03-15", "IRN", "RUS", "uav", "possible", "transfer", "An analyst"),
    ("v5", "2024-02-01", "BLR", "RUS", "armoured_vehicles", "certain", "transfer", "Minsk"),
    ("v6", "2023-05-02", "PRK", None, "ballistic_missiles", "certain", "development", "KCNA"),
    ("v7", "2024-02-10", HOSTILE, "RUS", "ammunition", "certain", "transfer", "<b>Src</b>"),
    ("v8", None, "POL", "UKR", "air_defence", "certain", "transfer", "Warsaw"),
]
ITEM = {"ammunition": "artillery shells", "loitering_munitions": "Shahed-136 drones",
        "uav": "Orlan-10 drones", "armoured_vehicles": "T-72 tanks",
        "ballistic_missiles": "ballistic missile", "air_defence": "Patriot batteries"}


def _claim(row: tuple[Any, ...], text: str) -> Claim:
    _, _, sup, rec, cat, certainty, kind, source = row
    dev = kind == "development"
    return Claim(kind=kind, supplier=None if dev else sup, recipient=rec,
                 actor=sup if dev else None, item_text=ITEM[cat], item_category=cat,
                 quantity=None, stage="test" if dev else "delivered", certainty=certainty,
                 polarity="affirmed", timing="past", source=Source(source, "government"),
                 evidence=[Span(0, len(text))], trigger=None, confidence=0.9,
                 rules=["test:views"], lexicon_ids=[])


def fill_views(url: str) -> None:
    with open_store(url) as store:
        for row in ROWS:
            doc_id, date = row[0], row[1]
            text = f"Report {doc_id} on {row[4]}."
            store.add_document_with_claims(
                Document(id=doc_id, text=text, title=f"Title {doc_id}", outlet=f"Outlet {doc_id}",
                         date=date), [_claim(row, text)])
        refresh_all(store)
        store.add_user("analyst", hash_password(PASSWORD), "analyst")


@pytest.fixture(scope="module")
def sqlite_views(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("views") / "views.db"
    fill_views(f"sqlite:///{path}")
    return path


@pytest.fixture(params=BACKENDS)
def client(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[TestClient]:
    if request.param == "sqlite":
        url = f"sqlite:///{request.getfixturevalue('sqlite_views')}"
        urls: Iterator[str] = iter([url])
    else:
        urls = new_db_url(request.param, tmp_path)
        url = next(urls)
        fill_views(url)
    with TestClient(create_app(url)) as c:
        assert login(c, "analyst") == 303
        yield c
    for _ in urls:  # drops the PostgreSQL schema
        pass


def facet(data: dict[str, Any], name: str) -> dict[str, int]:
    return {v["value"]: v["count"] for v in data["facets"][name]}


def test_facets_count_the_matching_records(client: TestClient) -> None:
    data = client.get("/records.json").json()
    assert data["total"] == 7
    assert facet(data, "supplier") == {"PRK": 1, "IRN": 2, "BLR": 1, HOSTILE: 1, "POL": 1}
    assert facet(data, "recipient") == {"RUS": 5, "UKR": 1}
    assert facet(data, "category") == {"ammunition": 2, "loitering_munitions": 1, "uav": 1,
                                       "armoured_vehicles": 1, "ballistic_missiles": 1,
                                       "air_defence": 1}
    assert facet(data, "certainty") == {"certain": 6, "possible": 1}
    assert facet(data, "stage") == {"delivered": 6, "test": 1}
    assert facet(data, "review") == {"unreviewed": 7}
    assert next(v["value"] for v in data["facets"]["supplier"]) == "IRN"  # most records first
    # under a filter, every facet counts only what matches it
    irn = client.get("/records.json", params={"supplier": "IRN"}).json()
    assert irn["total"] == 2 and len(irn["records"]) == 2
    assert facet(irn, "category") == {"loitering_munitions": 1, "uav": 1}
    assert facet(irn, "certainty") == {"certain": 1, "possible": 1}
    assert [v["selected"] for v in irn["facets"]["supplier"]] == [True]


def test_facet_links_add_and_remove_their_filter(client: TestClient) -> None:
    data = client.get("/records.json", params={"supplier": "IRN"}).json()
    uav = next(v for v in data["facets"]["category"] if v["value"] == "uav")
    assert parse_qs(urlsplit(uav["href"]).query) == {"supplier": ["IRN"], "category": ["uav"]}
    narrowed = client.get(uav["href"] + "&format=json").json()
    assert [r["item_category"] for r in narrowed["records"]] == ["uav"]
    selected = narrowed["facets"]["category"][0]
    assert selected["selected"] and parse_qs(urlsplit(selected["href"]).query) == \
        {"supplier": ["IRN"]}
    # the HTML page shows the same facets, with the same links
    page = parse(client.get(uav["href"]).text)
    items = page.xpath('//section[@data-facet="category"]//li')
    assert [(li.get("data-value"), int(li.get("data-count")), li.get("class")) for li in items] \
        == [("uav", 1, "selected")]
    assert items[0].find("a").get("href") == selected["href"]
    assert page.get_element_by_id("total").text == "1"


@pytest.mark.parametrize(("params", "expect"), [
    ({"kind": "development"}, {"ballistic_missiles"}),
    ({"actor": "PRK"}, {"ballistic_missiles"}),
    ({"certainty": "possible"}, {"uav"}),
    ({"stage": "test"}, {"ballistic_missiles"}),
    ({"since": "2024"}, {"armoured_vehicles", "ammunition"}),
    ({"until": "2023-01"}, {"ammunition"}),
    ({"min_sources": "2"}, {"ammunition"}),
    ({"review": "in_review"}, set()),
])
def test_each_filter_narrows_list_and_facets(client: TestClient, params: dict[str, str],
                                             expect: set[str]) -> None:
    data = client.get("/records.json", params=params).json()
    assert {r["item_category"] for r in data["records"]} == expect
    assert data["total"] == len(data["records"])
    assert sum(facet(data, "review").values()) == len(data["records"])


def test_keyset_pages_cover_every_record_once(client: TestClient,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    import armstrace.web.routes.browse as browse

    everything = [r["record_id"] for r in client.get("/records.json").json()["records"]]
    monkeypatch.setattr(browse, "PAGE_SIZE", 2)
    seen: list[str] = []
    url: str | None = "/records.json?kind=transfer"
    while url:
        data = client.get(url).json()
        seen += [r["record_id"] for r in data["records"]]
        url = data["next"] and data["next"].replace("/records?", "/records.json?")
        assert not url or "kind=transfer" in url  # the next page keeps the filters
    # the undated record too: a NULL latest report sorts last on SQLite, first on PostgreSQL
    assert len(seen) == 6 and len(set(seen)) == 6
    assert seen == [r for r in everything if r in set(seen)]  # the same order, page by page
    assert client.get("/records.json", params={"after": "bm90IGEgY3Vyc29y"}).status_code == 422


def test_network_edges_and_nodes(client: TestClient) -> None:
    data = client.get("/network.json").json()
    edges = {(e["supplier"], e["recipient"]): e for e in data["edges"]}
    assert set(edges) == {("PRK", "RUS"), ("IRN", "RUS"), ("BLR", "RUS"), (HOSTILE, "RUS"),
                          ("POL", "UKR")}
    irn = edges[("IRN", "RUS")]
    assert (irn["records"], irn["claims"]) == (2, 2)
    assert irn["categories"] == {"loitering_munitions": {"records": 1, "claims": 1},
                                 "uav": {"records": 1, "claims": 1}}
    assert (edges[("PRK", "RUS")]["records"], edges[("PRK", "RUS")]["claims"]) == (1, 2)
    assert edges[("PRK", "RUS")]["category"] == "ammunition"
    nodes = {n["id"]: n for n in data["nodes"]}
    assert nodes["RUS"]["receives"] == 5 and nodes["IRN"]["supplies"] == 2
    assert data["nodes"][0]["id"] == "RUS"  # the heaviest first
    # the SVG draws one link per edge, to that pair's records, and one node per actor
    svg = parse(client.get("/network").text).get_element_by_id("network-svg")
    drawn = {(a.get("data-supplier"), a.get("data-recipient")): a
             for a in svg.xpath('.//a[@class="edge"]')}
    assert set(drawn) == set(edges)
    href = drawn[("IRN", "RUS")].get("href")
    assert client.get(href + "&format=json").json()["total"] == 2
    assert {a.get("data-actor") for a in svg.xpath('.//a[@class="node"]')} == set(nodes)


def test_network_takes_the_records_filters(client: TestClient) -> None:
    data = client.get("/network.json", params={"category": "ammunition"}).json()
    assert {(e["supplier"], e["recipient"]) for e in data["edges"]} == \
        {("PRK", "RUS"), (HOSTILE, "RUS")}
    assert data["links"]["records"] == "/records?category=ammunition"
    one = client.get("/network.json", params={"max_edges": "1"}).json()
    assert len(one["edges"]) == 1 and one["n_edges"] == 5
    assert one["edges"][0]["supplier"] == "IRN"  # most records first


def test_timeline_counts_claims_per_month(client: TestClient) -> None:
    data = client.get("/timeline.json").json()
    months = {m["month"]: m["counts"] for m in data["months"]}
    assert months == {"2023-01": {"ammunition": 2},
                      "2023-03": {"loitering_munitions": 1, "uav": 1},
                      "2023-05": {"ballistic_missiles": 1},
                      "2024-02": {"armoured_vehicles": 1, "ammunition": 1}}
    by_certainty = client.get("/timeline.json", params={"by": "certainty"}).json()
    assert {m["month"]: m["counts"] for m in by_certainty["months"]}["2023-01"] == \
        {"certain": 1, "probable": 1}
    assert by_certainty["series"] == ["certain", "probable", "possible"]
    irn = client.get("/timeline.json", params={"supplier": "IRN"}).json()
    assert [m["month"] for m in irn["months"]] == ["2023-03"]
    # one bar segment per (month, series), and empty months between stay on the axis
    svg = parse(client.get("/timeline").text).get_element_by_id("timeline-svg")
    bars = {(a.get("data-month"), a.get("data-series")): int(a.get("data-n"))
            for a in svg.xpath('.//a[@class="bar"]')}
    assert bars == {(m, s): n for m, counts in months.items() for s, n in counts.items()}
    assert client.get("/timeline.json", params={"by": "outlet"}).status_code == 422


def test_records_page_links_to_both_views_with_its_filters(client: TestClient) -> None:
    page = parse(client.get("/records", params={"supplier": "IRN", "since": "2023"}).text)
    for view in ("network", "timeline"):
        href = page.get_element_by_id(f"to-{view}").get("href")
        assert urlsplit(href).path == f"/{view}"
        assert parse_qs(urlsplit(href).query) == {"supplier": ["IRN"], "since": ["2023"]}


def test_hostile_actor_is_escaped_in_the_svg(client: TestClient) -> None:
    for path in ("/network.svg", "/timeline.svg?by=certainty"):
        r = client.get(path)
        assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml")
        root = lxml.etree.fromstring(r.content)  # well-formed XML, or this raises
        assert root.tag == f"{SVG}svg"
        assert not root.findall(f".//{SVG}script") and "<script>" not in r.text
        assert not [e for e in root.iter() if any(a.startswith("on") for a in e.attrib)]
    root = lxml.etree.fromstring(client.get("/network.svg").content)
    labels = [t.text for t in root.iter(f"{SVG}text")]
    assert HOSTILE in labels  # shown as text, exactly
    page = parse(client.get("/network").text)
    assert not page.xpath("//main//script")
    assert HOSTILE in [t.text for t in page.xpath("//*[local-name()='text']")]


def test_views_are_in_the_openapi_document(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/network", "/network.json", "/network.svg", "/timeline", "/timeline.json",
                 "/timeline.svg"):
        assert path in paths, path
    params = {p["name"] for p in paths["/network.json"]["get"]["parameters"]}
    assert {"supplier", "category", "since", "min_sources", "q", "max_edges"} <= params


def test_views_need_a_login(client: TestClient) -> None:
    client.cookies.clear()
    for path in ("/network.json", "/timeline.json", "/network.svg"):
        assert client.get(path, follow_redirects=False).status_code in (401, 303), path


def test_record_page_pages_its_claims(client: TestClient,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import armstrace.web.routes.browse as browse

    rec = client.get("/records.json", params={"supplier": "PRK", "kind": "transfer"}).json()
    path = f"/records/{rec['records'][0]['record_id']}"
    both = client.get(path + ".json").json()
    assert both["claims_total"] == 2 and both["later_claims"] is None
    monkeypatch.setattr(browse, "MAX_RECORD_CLAIMS", 1)
    first = client.get(path + ".json").json()
    assert [c["doc_id"] for c in first["claims"]] == ["v1"]  # earliest report first
    assert first["earlier_claims"] is None
    later = client.get(first["later_claims"] + "&format=json").json()
    assert [c["doc_id"] for c in later["claims"]] == ["v2"] and later["later_claims"] is None
    assert later["earlier_claims"] == f"{path}?claims_from=0"
    shown = parse(client.get(first["later_claims"]).text).get_element_by_id("claims-shown")
    assert shown.text_content().split()[1] == "2–2"
