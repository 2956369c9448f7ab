"""The transfer network as GraphML, for Gephi (issue 4 §5).

Actors are nodes; each supplier → recipient pair with a transfer record is one directed edge,
weighted by its records (`weight`, `records`) and by the independent sources behind them
(`independent_sources`), with its categories and furthest stage. GraphML cells hold scalars only,
so lists are joined with "; ". networkx writes the XML, escaping included.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, Any

import networkx as nx

from armstrace.fuse.history import STAGE_ORDER
from armstrace.fuse.records import Record

_ORDER = ("unspecified", *STAGE_ORDER["transfer"])


def build_graph(records: Iterable[Record]) -> Any:
    """A networkx DiGraph of the transfer records (denied ones too: `denied_by` says so)."""
    g = nx.DiGraph()
    edges: dict[tuple[str, str], dict[str, Any]] = {}
    for r in records:
        if r.kind != "transfer" or not r.supplier or not r.recipient:
            continue
        e = edges.setdefault((r.supplier, r.recipient), {
            "weight": 0, "records": 0, "independent_sources": 0, "claims": 0,
            "categories": set(), "stage": "unspecified", "first_reported": None,
            "last_reported": None, "conflict": False, "denied_by": set(),
        })
        e["weight"] += 1
        e["records"] += 1
        e["independent_sources"] += r.n_independent_sources
        e["claims"] += r.n_claims
        if r.item_category:
            e["categories"].add(r.item_category)
        if _ORDER.index(r.stage) > _ORDER.index(e["stage"]):
            e["stage"] = r.stage
        if r.first_reported and (e["first_reported"] is None
                                 or r.first_reported < e["first_reported"]):
            e["first_reported"] = r.first_reported
        if r.last_reported and (e["last_reported"] is None
                                or r.last_reported > e["last_reported"]):
            e["last_reported"] = r.last_reported
        e["conflict"] = e["conflict"] or r.conflict
        e["denied_by"].update(r.denied_by)
    for (s, t), e in sorted(edges.items()):
        for node in (s, t):
            if node not in g:
                g.add_node(node, label=node)
        attrs = {k: v for k, v in e.items() if v is not None}
        attrs["categories"] = "; ".join(sorted(e["categories"]))
        attrs["denied_by"] = "; ".join(sorted(e["denied_by"]))
        g.add_edge(s, t, **attrs)
    return g


def write_graphml(records: Iterable[Record], out: IO[bytes]) -> None:
    """Write the network of `records` to a binary file as GraphML."""
    nx.write_graphml(build_graph(records), out)
