"""Open a store: resolve the database URL, configure the engine, apply the migrations.

`open_store()` with no argument opens `$ARMSTRACE_DB`, or `./armstrace.db` (SQLite). A URL
may be any SQLAlchemy URL; `postgresql://` and `postgres://` are read as PostgreSQL through
psycopg 3, and a bare path (no `://`) as a SQLite file. Opening applies any pending Alembic
migration (shipped in `armstrace/store/migrations/`), so a new or older database is brought
up to date before anything reads it.
"""

from __future__ import annotations

import os
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from armstrace.errors import ConfigError, StoreError
from armstrace.store.repository import Store

DEFAULT_URL = "sqlite:///./armstrace.db"
ENV_VAR = "ARMSTRACE_DB"
#: where Alembic finds the migrations: a package resource, so it works from an installed wheel
SCRIPT_LOCATION = "armstrace.store:migrations"


def resolve_url(url: str | None = None) -> str:
    """The SQLAlchemy URL for `url`, `$ARMSTRACE_DB` or the default (see the module docstring)."""
    raw = (url or os.environ.get(ENV_VAR) or DEFAULT_URL).strip()
    if "://" not in raw:
        return f"sqlite:///{raw}"
    scheme, rest = raw.split("://", 1)
    if scheme in ("postgresql", "postgres"):
        return f"postgresql+psycopg://{rest}"
    return raw


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic `Config` built in code (no alembic.ini), bound to `connection` if given."""
    cfg = Config()
    cfg.set_main_option("script_location", SCRIPT_LOCATION)
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def _sqlite_setup(engine: Engine) -> None:
    # pysqlite's own transaction handling defers BEGIN and cannot take the write lock up front;
    # hand control to SQLAlchemy's events instead (the recipe in SQLAlchemy's SQLite docs)
    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        if engine.url.database not in (None, "", ":memory:"):
            cur.execute("PRAGMA journal_mode=WAL")
            # with WAL, NORMAL survives a killed process; only a power cut may lose the last
            # commits, and then atomically (never half a document)
            cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        options = conn.get_execution_options()
        if options.get("armstrace_autocommit", False):
            # a lone read (Store.stored_hash): SQLite runs one statement in its own implicit
            # transaction, so a BEGIN (and the ROLLBACK it would need) is a wasted round trip
            return
        conn.exec_driver_sql("BEGIN IMMEDIATE" if options.get("armstrace_write", False)
                             else "BEGIN")


def _at_head(conn: Connection, cfg: Config) -> bool:
    current = MigrationContext.configure(conn).get_current_heads()
    return set(current) == set(ScriptDirectory.from_config(cfg).get_heads())


def migrate(engine: Engine) -> None:
    """Apply every pending migration (a no-op on an up-to-date database).

    A database stamped with a revision this version does not ship (written by a newer or a
    development build) is refused with one line, before anything is changed: upgrading past an
    unknown schema could only guess.
    """
    cfg = alembic_config()
    with engine.connect() as conn:
        current = set(MigrationContext.configure(conn).get_current_heads())
        known = {rev.revision for rev in ScriptDirectory.from_config(cfg).walk_revisions()}
        unknown = sorted(current - known)
        if unknown:
            raise StoreError(
                f"{engine.url.render_as_string(hide_password=True)}: schema revision "
                f"{', '.join(unknown)} is not one this armstrace knows (a newer or development "
                "build wrote it); use that build or a fresh store"
            )
        if _at_head(conn, cfg):
            return
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "head")


def open_store(url: str | None = None, *, migrate_schema: bool = True) -> Store:
    """Open (creating if needed) the store at `url`; see the module docstring for defaults."""
    resolved = resolve_url(url)
    try:
        parsed = make_url(resolved)
    except ArgumentError as e:
        raise ConfigError(f"not a database URL: {url!r}") from e
    kwargs: dict[str, Any] = {}
    if parsed.get_backend_name() == "postgresql":
        kwargs["pool_pre_ping"] = True
    try:
        engine = create_engine(parsed, **kwargs)
    except (ArgumentError, ImportError) as e:
        raise ConfigError(f"cannot use database {parsed.render_as_string()!r}: {e}") from e
    if engine.dialect.name == "sqlite":
        _sqlite_setup(engine)
    if migrate_schema:
        try:
            migrate(engine)
        except SQLAlchemyError as e:
            engine.dispose()
            orig = getattr(e, "orig", None)
            reason = (str(orig if orig is not None else e).strip() or type(e).__name__)
            raise StoreError(
                f"cannot open database {parsed.render_as_string()}: {reason.splitlines()[0]}"
            ) from e
    return Store(engine, parsed.render_as_string(hide_password=True))
