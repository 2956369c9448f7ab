"""The shipped Alembic migrations: they build the schema on an empty database, match the
table models, and re-opening an up-to-date database changes nothing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from armstrace.errors import StoreError
from armstrace.store import open_store
from armstrace.store.engine import alembic_config
from armstrace.store.tables import Base

TABLES = {"documents", "claims", "ingest_runs", "fetch_cache", "alembic_version"}


def _head() -> str:
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    assert len(heads) == 1, f"migrations must have one head, not {heads}"
    return heads[0]


def test_migrations_apply_on_an_empty_database(db_url: str) -> None:
    with open_store(db_url) as store:
        names = set(inspect(store.engine).get_table_names())
        assert names >= TABLES
        with store.engine.connect() as conn:
            assert MigrationContext.configure(conn).get_current_revision() == _head()
        assert store.counts() == {"documents": 0, "versions": 0, "claims": 0}


def test_reopening_is_a_no_op_and_keeps_rows(db_url: str) -> None:
    from armstrace.models import Document

    with open_store(db_url) as store:
        store.add_document_with_claims(Document(id="x", text="Kept across opens."), [])
    with open_store(db_url) as store:
        assert store.counts()["documents"] == 1


def _ignore_fts(obj: object, name: str | None, type_: str, reflected: bool, other: object) -> bool:
    # full-text search objects are created by raw SQL in the migration, not by the models
    return not (name or "").startswith(("documents_fts", "search_vector", "ix_documents_search"))


def test_models_and_migrations_agree(db_url: str) -> None:
    with open_store(db_url) as store, store.engine.connect() as conn:
        ctx = MigrationContext.configure(
            conn, opts={"include_object": _ignore_fts, "compare_type": True}
        )
        diff = compare_metadata(ctx, Base.metadata)
    assert diff == [], f"tables.py and migrations/versions disagree: {diff}"


def test_downgrade_to_base_and_up_again(db_url: str) -> None:
    with open_store(db_url) as store:
        with store.engine.begin() as conn:
            command.downgrade(alembic_config(conn), "base")
        assert not set(inspect(store.engine).get_table_names()) & (TABLES - {"alembic_version"})
    with open_store(db_url) as store:
        assert set(inspect(store.engine).get_table_names()) >= TABLES
        assert store.search("anything") == []



def test_a_schema_revision_this_build_does_not_know_is_refused(tmp_path: Path) -> None:
    """A store a newer build stamped is refused in one line and left as it was."""
    url = f"sqlite:///{tmp_path / 'newer.db'}"
    with open_store(url) as store, store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    with pytest.raises(StoreError) as err:
        open_store(url)
    assert "9999_from_the_future" in str(err.value) and "\n" not in str(err.value)
    with sqlite3.connect(tmp_path / "newer.db") as raw:
        stamp = raw.execute("SELECT version_num FROM alembic_version").fetchone()
    assert stamp == ("9999_from_the_future",)
