"""`armstrace.ingest.service.ingest` on both backends: counts, resumption, failures, stories."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from armstrace.ingest.service import IngestSummary, Progress, estimate_total, ingest
from armstrace.ingest.stories import ExactCopyStories, normalised_hash
from armstrace.models import Claim, Document
from armstrace.store import RunCounts, Store, open_store
from tests.store.helpers import fake_extract, write_articles

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"


def _export(store: Store) -> list[dict[str, object]]:
    return [d.to_export_dict() for d in store.iter_documents()]


def test_ingest_examples_then_again_is_all_duplicates(store: Store) -> None:
    events: list[Progress] = []
    first = ingest([str(EXAMPLES)], store, pipeline=fake_extract, on_progress=events.append)
    n = estimate_total([str(EXAMPLES)])
    assert (first.new, first.duplicate, first.updated, first.failed) == (n, 0, 0, 0)
    assert [e.done for e in events] == list(range(1, n + 1))  # type: ignore[arg-type]
    again = ingest([str(EXAMPLES)], store, pipeline=fake_extract)
    assert (again.new, again.duplicate, again.claims) == (0, n, 0)
    runs = store.runs()
    assert [r["status"] for r in runs] == ["finished", "finished"]
    assert runs[0]["new"] == n and runs[1]["duplicate"] == n


def test_source_path_and_jsonl_ids(store: Store) -> None:
    jsonl = EXAMPLES / "articles.jsonl"
    ingest([str(jsonl), str(EXAMPLES)], store, pipeline=fake_extract)
    docs = {d["doc_id"]: d for d in _export(store)}
    assert docs["ex-001"]["source_path"] == str(EXAMPLES / "articles.jsonl")
    txt = str(EXAMPLES / "patrol-boats.txt")
    assert docs[txt]["source_path"] == txt
    assert docs["ex-001"]["outlet"] == "Example Wire" and docs["ex-001"]["date"] == "2024-11-02"


def test_changed_file_is_updated_and_bad_inputs_fail_alone(store: Store, tmp_path: Path) -> None:
    a = tmp_path / "a.txt"
    a.write_text("Iran shipped drones to Russia.", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    s1 = ingest([str(tmp_path), str(tmp_path / "missing.txt")], store, pipeline=fake_extract)
    assert (s1.new, s1.failed, s1.claims) == (1, 2, 1)
    assert any("empty.txt: empty file" in e for e in s1.errors)
    assert any("missing.txt: no such file" in e for e in s1.errors)
    a.write_text(
        "Iran shipped drones to Russia. Belarus shipped 4 tanks to Russia.", encoding="utf-8"
    )
    s2 = ingest([str(a)], store, pipeline=fake_extract)
    assert (s2.new, s2.updated, s2.claims) == (0, 1, 2)
    assert [v.version for v in store.versions(str(a))] == [1, 2]


def test_a_failing_extraction_costs_one_document(store: Store, tmp_path: Path) -> None:
    write_articles(tmp_path / "in", 5)

    def flaky(doc: Document) -> list[Claim]:
        if doc.id.endswith("a0002.txt"):
            raise ValueError("synthetic extractor bug")
        return fake_extract(doc)

    s = ingest([str(tmp_path / "in")], store, pipeline=flaky)
    assert (s.new, s.failed) == (4, 1)
    assert s.errors == [
        f"{tmp_path / 'in' / 'a0002.txt'}: extraction failed: ValueError: synthetic extractor bug"
    ]
    s = ingest([str(tmp_path / "in")], store, pipeline=fake_extract)  # fixed: completes the rest
    assert (s.new, s.duplicate, s.failed) == (1, 4, 0)


def test_interrupted_run_resumes_to_the_same_result(db_url: str, tmp_path: Path) -> None:
    folder = write_articles(tmp_path / "in", 30)
    calls = 0

    def dies_at_17(doc: Document) -> list[Claim]:
        nonlocal calls
        calls += 1
        if calls == 17:
            raise KeyboardInterrupt  # not a per-document error: stops the run
        return fake_extract(doc)

    with open_store(db_url) as store:
        with pytest.raises(KeyboardInterrupt):
            ingest([str(folder)], store, pipeline=dies_at_17)
        assert store.counts()["documents"] == 16
        assert store.runs()[0]["status"] == "interrupted"
        resumed = ingest([str(folder)], store, pipeline=fake_extract)
        assert (resumed.duplicate, resumed.new) == (16, 14)
        got = _export(store)
        got_claims = [(d, c.to_dict()) for d, c in store.iter_claims()]
        with store.engine.begin() as conn:  # wipe and run uninterrupted into the same backend
            for table in ("claims", "documents", "ingest_runs"):
                conn.exec_driver_sql(f"DELETE FROM {table}")
        ingest([str(folder)], store, pipeline=fake_extract)
        assert _export(store) == got
        assert [(d, c.to_dict()) for d, c in store.iter_claims()] == got_claims


def test_exact_copies_share_a_story(store: Store, tmp_path: Path) -> None:
    folder = write_articles(tmp_path / "in", 21)  # a0000, a0010 and a0020 are one wire story
    ingest([str(folder)], store, pipeline=fake_extract)
    docs = {Path(d["doc_id"]).name: d for d in _export(store)}
    original = str(folder / "a0000.txt")
    assert docs["a0010.txt"]["copy_of"] == docs["a0020.txt"]["copy_of"] == original
    assert docs["a0000.txt"]["copy_of"] is None
    assert len({docs[n]["story_id"] for n in ("a0000.txt", "a0010.txt", "a0020.txt")}) == 1
    assert len({d["story_id"] for d in docs.values()}) == 21 - 2


def test_exact_copy_assigner_seeded_from_store_entries() -> None:
    a = ExactCopyStories()
    first = a.assign(Document(id="x", text="Iran shipped drones to Russia."))
    copy = a.assign(Document(id="y", text="IRAN shipped drones  to Russia!"))
    assert first.copy_of is None and copy.copy_of == "x" and first.story_id == copy.story_id
    assert first.norm_hash == normalised_hash("iran shipped drones to russia")


def test_jsonl_stdin_style_input_and_summary_json(store: Store, tmp_path: Path) -> None:
    f = tmp_path / "feed.jsonl"
    rows = [
        {
            "id": f"j{i}",
            "text": f"China shipped {i} rifles to Syria.",
            "url": f"https://example.org/{i}",
        }
        for i in range(1, 4)
    ]
    f.write_text("\n".join(json.dumps(r) for r in rows) + "\n{broken\n", encoding="utf-8")
    s = ingest(str(f), store, pipeline=fake_extract)
    assert (s.new, s.failed, s.claims) == (3, 1, 3)
    assert "feed.jsonl:4: not JSON" in s.errors[0]
    assert store.known_urls(r["url"] for r in rows) == {r["url"] for r in rows}


WIRE = [
    "North Korea has shipped millions of artillery shells to Russia since last summer, "
    "according to a new assessment by researchers at a Seoul institute published on Friday.",
    "The shipments travelled by rail through the Tumangang crossing and by sea from the port "
    "of Rajin, the researchers said, citing satellite images and customs records they obtained.",
    "Moscow and Pyongyang have both denied any arms trade, calling the reports baseless "
    "propaganda spread by Washington and its allies in the region to justify new sanctions.",
]


def test_edited_copies_join_the_story_and_an_earlier_copy_repoints_it(store: Store) -> None:
    pytest.importorskip("armstrace.ingest.syndication", reason="syndication index not built")
    from armstrace.ingest.stories import SyndicationStories

    original = Document(id="wire", text="\n".join(WIRE), date="2024-03-05")
    edited = Document(
        id="copy",
        date="2024-03-06",
        text=(
            "Our correspondent adds context below.\n"
            + "\n".join(WIRE)
            + "\nThis article originally appeared on Example Wire."
        ),
    )
    for d in (original, edited):
        store.add_document_with_claims(d, [], story=SyndicationStories(store).assign(d))
    # a later run (a fresh index, rebuilt from the store) meets an earlier, trimmed copy
    earlier = Document(id="first", text="\n".join(WIRE[:2]), date="2024-03-01")
    store.add_document_with_claims(earlier, [], story=SyndicationStories(store).assign(earlier))
    docs = {d.doc_id: d for d in store.iter_documents()}
    assert len({d.story_id for d in docs.values()}) == 1
    assert {k: d.copy_of for k, d in docs.items()} == {
        "wire": "first",
        "copy": "first",
        "first": None,
    }
    # a corrected version of a member stays in the story
    fixed = Document(
        id="copy", text=edited.text + "\nCorrection: the port is Rajin.", date="2024-03-06"
    )
    res = store.add_document_with_claims(fixed, [], story=SyndicationStories(store).assign(fixed))
    assert res.outcome == "updated"
    after = store.get_document("copy")
    assert after is not None and after.story_id == docs["wire"].story_id
    assert after.copy_of == "first"


def test_summary_is_the_run_counts_plus_the_run_id() -> None:
    """`IngestSummary` keeps the fields, order and repr it had before it built on `RunCounts`."""
    summary = IngestSummary(2, 1, 0, 1, 5, ["x: failed"], run_id=7)
    assert isinstance(summary, RunCounts)
    assert [f.name for f in dataclasses.fields(summary)] == [
        "new", "duplicate", "updated", "failed", "claims", "errors", "run_id"
    ]
    assert summary.documents == 4
    assert repr(summary) == ("IngestSummary(new=2, duplicate=1, updated=0, failed=1, claims=5, "
                             "errors=['x: failed'], run_id=7)")
    counts = summary.to_counts()
    assert type(counts) is RunCounts
    assert counts == RunCounts(2, 1, 0, 1, 5, ["x: failed"])
    counts.errors.append("y")
    assert summary.errors == ["x: failed"]  # the counts hold their own copy
    assert IngestSummary() == IngestSummary(0, 0, 0, 0, 0, [], None)
