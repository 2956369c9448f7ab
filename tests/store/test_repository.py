"""Store behaviour on both backends: idempotency, versions, atomic writes, search, export."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import event

from armstrace.models import Document
from armstrace.store import EXPORT_KEYS, RunCounts, Store, StoryFields, content_hash, fts5_query
from armstrace.store import rows as rows_mod
from tests.store.helpers import docs_fixture, fake_extract


def _add(store: Store, doc: Document, story: StoryFields | None = None) -> str:
    return store.add_document_with_claims(doc, fake_extract(doc), story=story).outcome


def test_identical_reingest_is_a_no_op(store: Store) -> None:
    docs = docs_fixture()
    assert [_add(store, d) for d in docs] == ["new", "new", "new"]
    before = store.counts()
    assert [_add(store, d) for d in docs] == ["duplicate"] * 3
    assert store.counts() == before == {"documents": 3, "versions": 3, "claims": 2}


def test_claims_round_trip_exactly(store: Store) -> None:
    for d in docs_fixture():
        _add(store, d)
    for d in docs_fixture():
        assert [c.to_dict() for c in store.claims_of(d.id)] == [
            c.to_dict() for c in fake_extract(d)
        ]
    (claim,) = store.claims_of("d1")
    assert claim.quantity is not None and isinstance(claim.quantity.value, int)
    text = docs_fixture()[0].text
    assert text[claim.trigger.start : claim.trigger.end] == "shipped"  # type: ignore[union-attr]


def test_changed_content_is_a_new_version(store: Store) -> None:
    d1 = docs_fixture()[0]
    _add(store, d1)
    changed = replace(d1, text=d1.text + " China shipped 5 rifles to Syria.")
    assert _add(store, changed) == "updated"
    assert _add(store, changed) == "duplicate"
    versions = store.versions("d1")
    assert [(v.version, v.superseded) for v in versions] == [(1, True), (2, False)]
    assert versions[1].content_hash == content_hash(changed.text)
    assert len(store.claims_of("d1")) == 2  # the claims of the current version only
    assert [d.doc_id for d in store.iter_documents()] == ["d1"]
    assert len(list(store.iter_documents(include_superseded=True))) == 2
    # going back to the first text is a change too: a third version
    assert _add(store, d1) == "updated"
    assert store.get_document("d1").version == 3  # type: ignore[union-attr]


def test_same_url_under_another_id_is_the_same_document(store: Store) -> None:
    d2 = docs_fixture()[1]
    _add(store, d2)
    assert _add(store, replace(d2, id="other-id")) == "duplicate"
    assert _add(store, replace(d2, id="other-id", text=d2.text + " More.")) == "updated"
    assert store.known_urls(["https://example.org/d2", "https://example.org/nope"]) == {
        "https://example.org/d2"
    }


def test_stored_hash_is_one_statement_by_id_then_url(store: Store) -> None:
    """The duplicate check before extraction: the current version's hash, found by id first and
    by URL failing that, in one statement with no BEGIN (or ROLLBACK) around it."""
    a = Document(id="a", text="first text", url="https://news.example/a")
    b = Document(id="b", text="other text", url="https://news.example/b")
    assert store.stored_hash("a", a.url) is None
    _add(store, a)
    _add(store, b)
    assert store.stored_hash("a") == content_hash(a.text)
    assert store.stored_hash("elsewhere", a.url) == content_hash(a.text)  # by URL
    assert store.stored_hash("a", b.url) == content_hash(a.text)  # the id wins over the URL
    assert store.stored_hash("nothing", "https://news.example/none") is None
    _add(store, replace(a, text="corrected text"))
    assert store.stored_hash("a", a.url) == content_hash("corrected text")  # current version

    statements: list[str] = []

    def seen(conn: object, cursor: object, statement: str, *args: object) -> None:
        statements.append(statement.split(None, 1)[0].upper())

    event.listen(store.engine, "before_cursor_execute", seen)
    try:
        store.stored_hash("b", b.url)
        store.stored_hash("b")
    finally:
        event.remove(store.engine, "before_cursor_execute", seen)
    assert statements == ["SELECT", "SELECT"]
    # and the lookup leaves no transaction behind on the pooled connection
    assert _add(store, b) == "duplicate"


def test_failure_between_document_and_claims_rolls_back(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    d1 = docs_fixture()[0]
    _add(store, d1)

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("injected failure after the document row was flushed")

    monkeypatch.setattr(rows_mod, "claim_values", boom)
    changed = replace(d1, text=d1.text + " Iran shipped 9 drones to Russia.")
    with pytest.raises(RuntimeError, match="injected"):
        store.add_document_with_claims(changed, fake_extract(changed))
    with pytest.raises(RuntimeError, match="injected"):
        store.add_document_with_claims(docs_fixture()[1], fake_extract(docs_fixture()[1]))
    monkeypatch.undo()
    # nothing half-written: the old version is still current, the new document absent
    assert [(v.version, v.superseded) for v in store.versions("d1")] == [(1, False)]
    assert store.versions("d2") == []
    assert store.counts() == {"documents": 1, "versions": 1, "claims": 1}
    assert store.search("drones") == []  # nor in the search index
    assert _add(store, changed) == "updated"  # and the retry succeeds


def test_story_fields_are_stored(store: Store) -> None:
    d1, d2, _ = docs_fixture()
    _add(store, d1, StoryFields("s-1", None, "h1", b"\x00\x01sig"))
    _add(store, replace(d2, via=("Reuters", "AP")), StoryFields("s-1", "d1", "h2"))
    entries = {e.doc_id: e for e in store.iter_story_entries()}
    assert entries["d1"].signature == b"\x00\x01sig" and entries["d2"].copy_of == "d1"
    exported = {d.doc_id: d.to_export_dict() for d in store.iter_documents()}
    assert exported["d2"]["story_id"] == "s-1" and exported["d2"]["via"] == ["Reuters", "AP"]


def test_export_has_exactly_the_spec_keys(store: Store) -> None:
    for d in docs_fixture():
        _add(store, replace(d, source_path=f"/in/{d.id}.txt", language="en"))
    out = [d.to_export_dict() for d in store.iter_documents()]
    assert [tuple(o) for o in out] == [EXPORT_KEYS] * 3
    assert EXPORT_KEYS == (
        "doc_id",
        "url",
        "source_path",
        "title",
        "outlet",
        "date",
        "language",
        "text",
        "content_hash",
        "story_id",
        "copy_of",
        "via",
    )
    assert out[0]["source_path"] == "/in/d1.txt" and out[0]["language"] == "en"
    assert out[0]["text"] == docs_fixture()[0].text


SEARCH_DOCS = [
    Document(
        id="s1",
        title="Artillery shells to Russia",
        text=(
            "North Korea shipped artillery shells to Russia. More artillery shells followed, "
            "and then more artillery shells again."
        ),
    ),
    Document(
        id="s2",
        title="Weekly digest",
        text=(
            "Among other news, artillery shells were mentioned once, near a story on shells of "
            "artillery-themed chocolate."
        ),
    ),
    Document(id="s3", title="Drones", text="Iran sent Shahed-136 drones to Russia in 2022."),
]


def test_search_finds_a_phrase_and_ranks(store: Store) -> None:
    for d in SEARCH_DOCS:
        _add(store, d)
    hits = store.search('"artillery shells"')
    assert [h.doc_id for h in hits] == ["s1", "s2"]  # three mentions and the title beat one
    assert hits[0].rank > hits[1].rank
    assert "[" in hits[0].snippet and "]" in hits[0].snippet
    assert hits[0].title == "Artillery shells to Russia"
    assert [h.doc_id for h in store.search("Shahed-136")] == ["s3"]
    assert {h.doc_id for h in store.search("shahed OR chocolate")} == {"s2", "s3"}
    assert [h.doc_id for h in store.search("artillery -chocolate")] == ["s1"]
    assert store.search("artillery", limit=1)[0].doc_id == "s1"
    assert store.search("zeppelin") == []
    assert store.search('  "" : ( ') == []


def test_search_skips_superseded_versions(store: Store) -> None:
    _add(store, Document(id="v", text="The old text mentions howitzers."))
    _add(store, Document(id="v", text="The new text mentions tanks."))
    assert store.search("howitzers") == []
    assert [h.doc_id for h in store.search("tanks")] == ["v"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("tanks", '"tanks"'),
        ("Leopard tanks", '"Leopard" AND "tanks"'),
        ('"artillery shells" Russia', '"artillery shells" AND "Russia"'),
        ("Shahed-136", '"Shahed 136"'),
        ("drones OR missiles Iran", '("drones" OR "missiles") AND "Iran"'),
        ("tanks -football", '("tanks") NOT "football"'),
        ('col:value "unclosed', '"col value" AND "unclosed"'),
        ("-only", None),
        ("  ", None),
        ("OR", None),
    ],
)
def test_fts5_query_language(query: str, expected: str | None) -> None:
    assert fts5_query(query) == expected


def test_runs_and_fetch_cache(store: Store) -> None:
    run = store.start_run(["examples/"], pipeline_version="0.1.0", lexicon_version="abc")
    store.finish_run(run, RunCounts(new=2, duplicate=1, failed=1, claims=5))
    (row,) = store.runs()
    assert row["status"] == "finished" and row["args"] == ["examples/"]
    assert (row["new"], row["duplicate"], row["failed"], row["claims"]) == (2, 1, 1, 5)
    assert store.get_cache("https://example.org/feed") is None
    store.put_cache("https://example.org/feed", etag='"v1"', last_modified=None)
    store.put_cache("https://example.org/feed", etag='"v2"', last_modified="Mon, 01 Jan 2024")
    entry = store.get_cache("https://example.org/feed")
    assert entry is not None and (entry.etag, entry.last_modified) == ('"v2"', "Mon, 01 Jan 2024")


def test_concurrent_writers_of_one_document_store_it_once(store: Store) -> None:
    from concurrent.futures import ThreadPoolExecutor

    doc = docs_fixture()[0]
    with ThreadPoolExecutor(4) as pool:
        outcomes = sorted(pool.map(lambda _: _add(store, doc), range(8)))
    assert outcomes == ["duplicate"] * 7 + ["new"]
    assert store.counts() == {"documents": 1, "versions": 1, "claims": 1}
