"""The hand-written scenario (fixtures/): 26 short articles, the SPEC §7 claims written by hand
for each (with story ids and copies), and the records expected from them, written by hand."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from armstrace.fuse import FuseInput, record_id
from armstrace.models import Claim, Document, claim_from_dict
from armstrace.store import Store, StoryFields

FIXTURES = Path(__file__).parent / "fixtures"
ARTICLES = FIXTURES / "scenario_articles.jsonl"


def _lines(name: str) -> list[dict[str, Any]]:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    return [json.loads(ln) for ln in text.splitlines() if ln.strip()]


def claim_docs() -> list[tuple[dict[str, Any], list[Claim]]]:
    """(document fields, its claims) for every line of scenario_claims.jsonl."""
    return [(d, [claim_from_dict(c, d["doc_id"]) for c in d["claims"]])
            for d in _lines("scenario_claims.jsonl")]


def fuse_inputs() -> list[FuseInput]:
    return [FuseInput.of(c, d["doc_id"], date=d["date"], story_id=d["story_id"],
                         outlet=d["outlet"])
            for d, claims in claim_docs() for c in claims]


def expected_records() -> list[dict[str, Any]]:
    """SPEC §10 objects as written by hand, the id derived from the hand-written key, and the
    carried count (which the SPEC object leaves out) under `n_carried`."""
    out = []
    for e in _lines("scenario_records.jsonl"):
        e = dict(e)
        rid = record_id(e.pop("key"))
        out.append({"record_id": rid, **e})
    return sorted(out, key=lambda r: r["record_id"])


def articles() -> dict[str, dict[str, Any]]:
    return {a["id"]: a for a in _lines("scenario_articles.jsonl")}


def store_scenario(store: Store, only: set[str] | None = None) -> None:
    """Store the scenario's documents with their hand-written claims (no extractor)."""
    texts = articles()
    for d, claims in claim_docs():
        if only is not None and d["doc_id"] not in only:
            continue
        a = texts[d["doc_id"]]
        doc = Document(id=d["doc_id"], text=a["text"], title=a["title"], date=d["date"],
                       outlet=d["outlet"])
        store.add_document_with_claims(
            doc, claims, story=StoryFields(story_id=d["story_id"], copy_of=d["copy_of"]))


def as_compared(record: Any) -> dict[str, Any]:
    """A record as the expectations write it: the SPEC object plus `n_carried`."""
    out: dict[str, Any] = record.to_dict()
    out["n_carried"] = record.n_carried
    return out
