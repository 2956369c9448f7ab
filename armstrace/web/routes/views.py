"""The network of who supplies whom and the timeline of reports, over the records list's
filters (the same query parameters: a link from the records page keeps the selection).

Both are drawn on the server as SVG (`armstrace.web.charts`, `templates/_charts.html`): inline
in their HTML page, alone at `/network.svg` and `/timeline.svg` for a report, and as data in
the JSON twins. Their aggregates go through the same cache as the facets.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from armstrace import vocab
from armstrace.store.accounts import User
from armstrace.web.auth import require_user, store_of
from armstrace.web.filters import Selection, record_filters
from armstrace.web.render import page, twin
from armstrace.web.routes.browse import aggregate

router = APIRouter(tags=["views"])
Viewer = Annotated[User, Depends(require_user)]
Filters = Annotated[Selection, Depends(record_filters)]
#: edges drawn by default: past about this many a circle layout is unreadable
DEFAULT_EDGES = 120


def network_data(request: Request, sel: Selection, max_edges: int) -> dict[str, Any]:
    """Actors (nodes) and supplier → recipient edges of the matching transfer records."""
    store = store_of(request)
    edges = aggregate(request, "network", sel.filters,
                      lambda: store.transfer_edges(sel.filters))
    shown = edges[:max_edges]
    nodes: dict[str, dict[str, Any]] = {}
    for e in shown:
        for actor, role in ((e.supplier, "supplies"), (e.recipient, "receives")):
            n = nodes.setdefault(actor, {"id": actor, "supplies": 0, "receives": 0,
                                         "records": 0})
            n[role] += e.records
            n["records"] += e.records
    return {
        "filters": sel.as_dict(),
        "nodes": sorted(nodes.values(), key=lambda n: (-n["records"], n["id"])),
        "edges": [{"supplier": e.supplier, "recipient": e.recipient, "records": e.records,
                   "claims": e.claims, "category": e.category,
                   "categories": {c: {"records": r, "claims": n}
                                  for c, (r, n) in e.categories.items()},
                   "href": "/records" + sel.query(supplier=e.supplier, recipient=e.recipient,
                                                  kind="transfer")}
                  for e in shown],
        "n_edges": len(edges), "max_edges": max_edges,
        "links": {"records": "/records" + sel.query(), "timeline": "/timeline" + sel.query(),
                  "svg": "/network.svg" + sel.query(max_edges=max_edges)},
    }


def timeline_data(request: Request, sel: Selection, by: str) -> dict[str, Any]:
    """Claims per month of the matching records, by the record's category or the claim's
    certainty."""
    store = store_of(request)
    per_month = aggregate(request, f"timeline-{by}", sel.filters,
                          lambda: store.claims_per_month(sel.filters, by=by))
    totals: dict[str, int] = {}
    for counts in per_month.values():
        for s, n in counts.items():
            totals[s] = totals.get(s, 0) + n
    order = vocab.CERTAINTY if by == "certainty" else vocab.CATEGORIES
    series = sorted(totals, key=lambda s: (order.index(s) if s in order else len(order), s))
    months = []
    for m, counts in per_month.items():
        links = {s: "/records" + sel.query(since=m, until=m,
                                           **({"category": s} if by == "category" else {}))
                 for s in counts}
        months.append({"month": m, "counts": counts, "total": sum(counts.values()),
                       "links": links})
    return {
        "filters": sel.as_dict(), "by": by, "series": series, "totals": totals,
        "months": months,
        "links": {"records": "/records" + sel.query(), "network": "/network" + sel.query(),
                  "by_category": "/timeline" + sel.query(by="category"),
                  "by_certainty": "/timeline" + sel.query(by="certainty"),
                  "svg": "/timeline.svg" + sel.query(by=by)},
    }


MaxEdges = Annotated[int, Query(ge=1, le=2000)]
By = Annotated[Literal["category", "certainty"], Query()]


@twin(router, "/network")
def network(request: Request, user: Viewer, sel: Filters,
            max_edges: MaxEdges = DEFAULT_EDGES) -> Response:
    """Who supplies whom: one edge per supplier → recipient pair among the matching transfer
    records, weighted by records and claims and coloured by its main category (the heaviest
    `max_edges` edges are drawn)."""
    return page(request, "network.html", network_data(request, sel, max_edges))


@router.get("/network.svg", response_class=Response,
            responses={200: {"content": {"image/svg+xml": {}}}})
def network_svg(request: Request, user: Viewer, sel: Filters,
                max_edges: MaxEdges = DEFAULT_EDGES) -> Response:
    """The network alone, as an SVG file."""
    return _svg(request, "network.svg", network_data(request, sel, max_edges))


@twin(router, "/timeline")
def timeline(request: Request, user: Viewer, sel: Filters, by: By = "category") -> Response:
    """Reports per month: the claims of the matching records by the month their document
    was published, stacked by category or by certainty."""
    return page(request, "timeline.html", timeline_data(request, sel, by))


@router.get("/timeline.svg", response_class=Response,
            responses={200: {"content": {"image/svg+xml": {}}}})
def timeline_svg(request: Request, user: Viewer, sel: Filters, by: By = "category") -> Response:
    """The timeline alone, as an SVG file."""
    return _svg(request, "timeline.svg", timeline_data(request, sel, by))


def _svg(request: Request, template: str, data: dict[str, Any]) -> Response:
    env = request.app.state.templates
    return Response(env.get_template(template).render(data=data),
                    media_type="image/svg+xml")
