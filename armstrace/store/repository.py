"""Every query the store runs, behind one class: `Store`.

Nothing else in armstrace builds SQL. The rules the rest of the program relies on live here:

* A document and its claims are written in **one transaction**: a crash at any moment leaves
  either both or neither, so a re-run can trust what it finds.
* A document's identity is its `doc_id`, or failing that its `url`. Storing the same identity
  with the same `content_hash` (sha256 of the exact text) again is a no-op ("duplicate"); a
  different hash adds a new version and marks the old one superseded ("updated"). Claims belong
  to a version, because their SPEC §6 offsets point into that version's text.
* Search covers current versions only, ranked best first: FTS5 (bm25) on SQLite, a weighted
  tsvector with a GIN index (ts_rank_cd) on PostgreSQL. Both take the same query language:
  words (all required), "quoted phrases", `OR` between two terms, `-word` to exclude.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Engine,
    Table,
    bindparam,
    case,
    func,
    insert,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from armstrace.models import Claim, Document
from armstrace.store import rows
from armstrace.store.accounts import AccountQueries
from armstrace.store.browse import BrowseQueries
from armstrace.store.fused import RecordQueries
from armstrace.store.records import (
    AddResult,
    CacheEntry,
    RunCounts,
    SearchHit,
    StoredDocument,
    StoryEntry,
    StoryFields,
)
from armstrace.store.review import ReviewQueries
from armstrace.store.review_ops import RecordOpsQueries
from armstrace.store.tables import ClaimRow, DocumentRow, FetchCacheRow, IngestRun

#: characters of a document's text that PostgreSQL indexes (a tsvector is capped at 1 MB)
PG_INDEXED_CHARS = 300_000


def content_hash(text_: str) -> str:
    """sha256 of the exact text (SPEC §11 `content_hash`): a changed character is a new version."""
    return hashlib.sha256(text_.encode("utf-8", "surrogatepass")).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


class Store(RecordQueries, ReviewQueries, RecordOpsQueries, AccountQueries,
            BrowseQueries):
    """An open armstrace database. Build one with `armstrace.store.open_store`."""

    def __init__(self, engine: Engine, url: str) -> None:
        self.engine = engine
        self.url = url
        self.dialect = engine.dialect.name
        self._read = sessionmaker(engine, expire_on_commit=False)
        # writes on SQLite take the write lock up front (BEGIN IMMEDIATE, see engine.py), so a
        # concurrent writer waits for its turn instead of failing half-way through
        self._write_engine = engine.execution_options(armstrace_write=True)
        self._write = sessionmaker(self._write_engine, expire_on_commit=False)
        # single-statement reads on the ingest hot path: no transaction around them (see
        # `stored_hash`); on SQLite the BEGIN is the engine's own event, told to stand aside
        self._lookup_engine = engine.execution_options(
            **({"isolation_level": "AUTOCOMMIT"} if self.dialect == "postgresql"
               else {"armstrace_autocommit": True})
        )

    # -- lifecycle -------------------------------------------------------------------------

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.engine.url.render_as_string(hide_password=True)!r})"

    # -- documents -------------------------------------------------------------------------

    def stored_hash(self, doc_id: str, url: str | None = None) -> str | None:
        """Content hash of the current version stored under this identity, or None.

        The ingest service asks this of every document before extracting it, so it is one
        statement and nothing else: the lone SELECT runs without a BEGIN (and, on PostgreSQL,
        without the ROLLBACK that would end it), which one statement does not need to read a
        consistent row. `add_document_with_claims` looks again inside its write transaction,
        so a writer that slips in between is still seen.
        """
        stmt = _CURRENT_HASH_BY_ID_OR_URL if url else _CURRENT_HASH_BY_ID
        with self._lookup_engine.connect() as conn:
            found: str | None = conn.scalar(stmt, {"doc_id": doc_id, "url": url})
        return found

    def add_document_with_claims(
        self,
        doc: Document,
        claims: Sequence[Claim],
        *,
        story: StoryFields | None = None,
        run_id: int | None = None,
        pipeline_version: str | None = None,
        lexicon_version: str | None = None,
    ) -> AddResult:
        """Store one document and its claims in one transaction (see the module docstring).

        Another writer storing the same identity at the same moment makes one of the two
        transactions fail on the (doc_id, version) key; that one is retried once and then
        sees the other's row.
        """
        try:
            return self._add(doc, claims, story or StoryFields(), run_id, pipeline_version,
                             lexicon_version)
        except IntegrityError:
            return self._add(doc, claims, story or StoryFields(), run_id, pipeline_version,
                             lexicon_version)

    def _add(self, doc: Document, claims: Sequence[Claim], story: StoryFields,
             run_id: int | None, pipeline_version: str | None,
             lexicon_version: str | None) -> AddResult:
        # prebuilt Core statements (see the end of this module): this is the ingest hot path
        chash = content_hash(doc.text)
        with self._write_engine.begin() as conn:
            current = conn.execute(
                _CURRENT_BY_ID_OR_URL if doc.url else _CURRENT_BY_ID,
                {"doc_id": doc.id, "url": doc.url},
            ).first()
            if current is not None and current.content_hash == chash:
                return AddResult("duplicate", current.doc_id, current.version, 0)
            version = 1
            if current is not None:
                conn.execute(_SUPERSEDE, {"row_id": current.id})
                version = 1 + (conn.scalar(_MAX_VERSION, {"doc_id": doc.id}) or 0)
            row_id = conn.execute(_INSERT_DOCUMENT, {
                "doc_id": doc.id, "url": doc.url, "source_path": doc.source_path,
                "title": doc.title, "outlet": doc.outlet, "date": doc.date,
                "language": doc.language, "author": doc.author, "text": doc.text,
                "content_hash": chash, "norm_hash": story.norm_hash,
                "story_id": story.story_id, "copy_of": story.copy_of, "via": list(doc.via),
                "minhash": story.signature, "version": version, "superseded": False,
                "ingest_run_id": run_id, "created_at": _now(),
            }).scalar_one()
            if story.supersedes is not None and story.story_id is not None:
                # this copy is earlier than the story's earliest so far: re-point the others
                conn.execute(_REPOINT, {"b_story_id": story.story_id, "row_id": row_id,
                                        "b_copy_of": doc.id})
            if claims:
                conn.execute(_INSERT_CLAIM, [
                    rows.claim_values(row_id, i, c, pipeline_version, lexicon_version)
                    for i, c in enumerate(claims)
                ])
        return AddResult("updated" if current is not None else "new", doc.id, version, len(claims))

    def iter_documents(
        self, *, include_superseded: bool = False, batch: int = 200
    ) -> Iterator[StoredDocument]:
        """Stored documents in the order they were stored (current versions unless asked)."""
        n_claims = (
            select(func.count(ClaimRow.id))
            .where(ClaimRow.document_id == DocumentRow.id)
            .scalar_subquery()
        )
        stmt = select(DocumentRow, n_claims).order_by(DocumentRow.id)
        if not include_superseded:
            stmt = stmt.where(DocumentRow.superseded.is_(False))
        with self._read() as s:
            for row, n in s.execute(stmt.execution_options(yield_per=batch)):
                yield rows.stored_document(row, int(n))

    def get_document(self, doc_id: str) -> StoredDocument | None:
        """The current version stored under `doc_id`, or None."""
        for doc in self.versions(doc_id):
            if not doc.superseded:
                return doc
        return None

    def versions(self, doc_id: str) -> list[StoredDocument]:
        """Every stored version of `doc_id`, oldest first."""
        n_claims = (
            select(func.count(ClaimRow.id))
            .where(ClaimRow.document_id == DocumentRow.id)
            .scalar_subquery()
        )
        with self._read() as s:
            found = s.execute(
                select(DocumentRow, n_claims)
                .where(DocumentRow.doc_id == doc_id)
                .order_by(DocumentRow.version)
            ).all()
            return [rows.stored_document(r, int(n)) for r, n in found]

    def claims_of(self, doc_id: str) -> list[Claim]:
        """The claims of the current version of `doc_id`, in extraction order."""
        with self._read() as s:
            found = s.scalars(
                select(ClaimRow)
                .join(DocumentRow, ClaimRow.document_id == DocumentRow.id)
                .where(DocumentRow.doc_id == doc_id, DocumentRow.superseded.is_(False))
                .order_by(ClaimRow.ordinal)
            ).all()
            return [rows.claim_from_row(r) for r in found]

    def iter_claims(self, *, batch: int = 500) -> Iterator[tuple[str, Claim]]:
        """(doc_id, claim) for every claim of every current document, in storage order."""
        stmt = (
            select(DocumentRow.doc_id, ClaimRow)
            .join(DocumentRow, ClaimRow.document_id == DocumentRow.id)
            .where(DocumentRow.superseded.is_(False))
            .order_by(DocumentRow.id, ClaimRow.ordinal)
            .execution_options(yield_per=batch)
        )
        with self._read() as s:
            for doc_id, row in s.execute(stmt):
                yield doc_id, rows.claim_from_row(row)

    def iter_story_entries(self) -> Iterator[StoryEntry]:
        """Current documents in storage order, as a syndication index needs them."""
        text_if_needed = case((DocumentRow.minhash.is_(None), DocumentRow.text), else_=None)
        stmt = (
            select(DocumentRow.doc_id, text_if_needed, DocumentRow.date, DocumentRow.story_id,
                   DocumentRow.copy_of, DocumentRow.norm_hash, DocumentRow.minhash)
            .where(DocumentRow.superseded.is_(False))
            .order_by(DocumentRow.id)
            .execution_options(yield_per=500)
        )
        with self._read() as s:
            for r in s.execute(stmt):
                yield StoryEntry(r[0], r[1], r[2], r[3], r[4], r[5], r[6])

    def known_urls(self, urls: Iterable[str]) -> set[str]:
        """Those of `urls` that a current stored document has (to skip feed entries seen)."""
        wanted = list(dict.fromkeys(u for u in urls if u))
        found: set[str] = set()
        with self._read() as s:
            for chunk in rows.in_lists(wanted):
                found.update(u for u in s.scalars(
                    select(DocumentRow.url)
                    .where(DocumentRow.url.in_(chunk), DocumentRow.superseded.is_(False))
                ) if u)
        return found

    def counts(self) -> dict[str, int]:
        """documents (current), versions (all rows) and claims (of current documents)."""
        with self._read() as s:
            docs = s.scalar(select(func.count()).where(DocumentRow.superseded.is_(False)))
            versions = s.scalar(select(func.count(DocumentRow.id)))
            claims = s.scalar(
                select(func.count(ClaimRow.id))
                .join(DocumentRow, ClaimRow.document_id == DocumentRow.id)
                .where(DocumentRow.superseded.is_(False))
            )
        return {"documents": docs or 0, "versions": versions or 0, "claims": claims or 0}

    # -- search ----------------------------------------------------------------------------

    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        """Current documents matching `query`, best first (see the module docstring)."""
        if limit <= 0:
            return []
        if self.dialect == "postgresql":
            return self._search_pg(query, limit)
        return self._search_sqlite(query, limit)

    def _search_sqlite(self, query: str, limit: int) -> list[SearchHit]:
        match = fts5_query(query)
        if match is None:
            return []
        sql = text(
            "SELECT d.doc_id, d.title, d.url, "
            "snippet(documents_fts, 1, '[', ']', '…', 16) AS snip, "
            "bm25(documents_fts, 4.0, 1.0) AS score "
            "FROM documents_fts JOIN documents d ON d.id = documents_fts.rowid "
            "WHERE documents_fts MATCH :q AND d.superseded = 0 "
            "ORDER BY score, d.id LIMIT :limit"
        )
        with self._read() as s:
            found = s.execute(sql, {"q": match, "limit": limit}).all()
        # bm25 is lower-is-better and negative; flip it so a higher rank is better everywhere
        return [SearchHit(r[0], r[1], r[2], r[3] or "", -float(r[4])) for r in found]

    def _search_pg(self, query: str, limit: int) -> list[SearchHit]:
        if not re.search(r"\w", query):
            return []
        sql = text(
            "WITH q AS (SELECT websearch_to_tsquery('english', :q) AS tsq), "
            "top AS (SELECT d.id, ts_rank_cd(d.search_vector, q.tsq) AS score "
            "  FROM documents d, q WHERE d.superseded = false AND d.search_vector @@ q.tsq "
            "  ORDER BY score DESC, d.id LIMIT :limit) "
            "SELECT d.doc_id, d.title, d.url, "
            "ts_headline('english', left(d.text, :cap), q.tsq, "
            "  'StartSel=[, StopSel=], MaxWords=24, MinWords=8, "
            "MaxFragments=1, FragmentDelimiter=…') AS snip, top.score "
            "FROM top JOIN documents d ON d.id = top.id, q ORDER BY top.score DESC, d.id"
        )
        with self._read() as s:
            found = s.execute(sql, {"q": query, "limit": limit, "cap": PG_INDEXED_CHARS}).all()
        return [SearchHit(r[0], r[1], r[2], r[3] or "", float(r[4])) for r in found]

    # -- ingest runs -----------------------------------------------------------------------

    def start_run(self, args: Sequence[str], *, pipeline_version: str | None = None,
                  lexicon_version: str | None = None) -> int:
        """Record the start of an ingest run and return its id."""
        with self._write() as s, s.begin():
            run = IngestRun(started_at=_now(), status="running", args=list(args),
                            pipeline_version=pipeline_version, lexicon_version=lexicon_version,
                            n_new=0, n_duplicate=0, n_updated=0, n_failed=0, n_claims=0)
            s.add(run)
            s.flush()
            return run.id

    def finish_run(self, run_id: int, counts: RunCounts, *, status: str = "finished") -> None:
        """Record the end of a run and its counts."""
        with self._write() as s, s.begin():
            s.execute(
                update(IngestRun).where(IngestRun.id == run_id).values(
                    finished_at=_now(), status=status, n_new=counts.new,
                    n_duplicate=counts.duplicate, n_updated=counts.updated,
                    n_failed=counts.failed, n_claims=counts.claims,
                )
            )

    def runs(self) -> list[dict[str, Any]]:
        """Every ingest run, oldest first, as plain dicts."""
        with self._read() as s:
            found = s.scalars(select(IngestRun).order_by(IngestRun.id)).all()
            return [
                {"id": r.id, "started_at": r.started_at, "finished_at": r.finished_at,
                 "status": r.status, "args": list(r.args or []), "new": r.n_new,
                 "duplicate": r.n_duplicate, "updated": r.n_updated, "failed": r.n_failed,
                 "claims": r.n_claims, "pipeline_version": r.pipeline_version,
                 "lexicon_version": r.lexicon_version}
                for r in found
            ]

    # -- conditional GET cache -------------------------------------------------------------

    def get_cache(self, url: str) -> CacheEntry | None:
        with self._read() as s:
            row = s.get(FetchCacheRow, url)
            if row is None:
                return None
            return CacheEntry(row.url, row.etag, row.last_modified, row.content_hash)

    def put_cache(self, url: str, *, etag: str | None, last_modified: str | None,
                  content_hash: str | None = None) -> None:
        with self._write() as s, s.begin():
            row = s.get(FetchCacheRow, url)
            if row is None:
                row = FetchCacheRow(url=url)
                s.add(row)
            row.etag, row.last_modified = etag, last_modified
            row.content_hash, row.fetched_at = content_hash, _now()


# ---------------------------------------------------------------------------------------------
# the write path's statements, built once (SQLAlchemy then caches their compiled form)

_DOCS: Table = DocumentRow.metadata.tables["documents"]
_CLAIMS: Table = ClaimRow.metadata.tables["claims"]
_CURRENT_COLUMNS = (_DOCS.c.id, _DOCS.c.doc_id, _DOCS.c.version, _DOCS.c.content_hash)
_CURRENT_BY_ID = (
    select(*_CURRENT_COLUMNS)
    .where(_DOCS.c.doc_id == bindparam("doc_id"), _DOCS.c.superseded.is_(False))
    .order_by(_DOCS.c.id.desc()).limit(1)
)
_CURRENT_BY_ID_OR_URL = (
    select(*_CURRENT_COLUMNS)
    .where(_DOCS.c.superseded.is_(False),
           or_(_DOCS.c.doc_id == bindparam("doc_id"), _DOCS.c.url == bindparam("url")))
    .order_by(case((_DOCS.c.doc_id == bindparam("doc_id"), 0), else_=1), _DOCS.c.id.desc())
    .limit(1)
)
_CURRENT_HASH_BY_ID = _CURRENT_BY_ID.with_only_columns(_DOCS.c.content_hash)
_CURRENT_HASH_BY_ID_OR_URL = _CURRENT_BY_ID_OR_URL.with_only_columns(_DOCS.c.content_hash)
_SUPERSEDE = update(_DOCS).where(_DOCS.c.id == bindparam("row_id")).values(superseded=True)
_MAX_VERSION = select(func.max(_DOCS.c.version)).where(_DOCS.c.doc_id == bindparam("doc_id"))
_INSERT_DOCUMENT = insert(_DOCS).returning(_DOCS.c.id)
_REPOINT = (
    update(_DOCS)
    .where(_DOCS.c.story_id == bindparam("b_story_id"), _DOCS.c.id != bindparam("row_id"))
    .values(copy_of=bindparam("b_copy_of"))
)
_INSERT_CLAIM = insert(_CLAIMS)


# ---------------------------------------------------------------------------------------------
# the search query language on FTS5

_TERM_RE = re.compile(r'(-?)"([^"]*)"?|(\S+)')


def fts5_query(query: str) -> str | None:
    """Translate the search language (module docstring) into an FTS5 MATCH expression.

    Every term becomes a quoted FTS5 string, so punctuation in user input ("Shahed-136",
    "U.S.", a stray colon) can never be read as FTS5 syntax. None when nothing searchable is
    left, or when only exclusions are (FTS5 has no unary NOT).
    """
    groups: list[list[str]] = []
    negated: list[str] = []
    join_next = False
    for m in _TERM_RE.finditer(query):
        neg, phrase, word = m.group(1), m.group(2), m.group(3)
        if word is not None:
            if word == "OR":
                join_next = bool(groups)
                continue
            if word.startswith("-") and len(word) > 1:
                neg, word = "-", word[1:]
        tokens = re.findall(r"\w+", phrase if phrase is not None else word or "")
        if not tokens:
            continue
        term = '"' + " ".join(tokens) + '"'
        if neg:
            negated.append(term)
        elif join_next:
            groups[-1].append(term)
        else:
            groups.append([term])
        join_next = False
    if not groups:
        return None
    expr = " AND ".join(g[0] if len(g) == 1 else "(" + " OR ".join(g) + ")" for g in groups)
    for term in negated:
        expr = f"({expr}) NOT {term}"
    return expr
