"""The store's queries on accounts: users, server-side sessions and failed logins (issue 5).

A mixin of `Store`. Hashing passwords is not done here (`armstrace.web.passwords` does it);
the store keeps the hash, the sha256 of each session token and the failure times that login
rate limiting counts.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Final

from sqlalchemy import Engine, Table, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from armstrace.errors import ConfigError
from armstrace.store.tables import LoginFailureRow, SessionRow, UserRow

ROLES: Final = ("viewer", "analyst", "admin")

_USERS: Table = UserRow.metadata.tables["users"]
_SESSIONS: Table = SessionRow.metadata.tables["sessions"]
_FAILURES: Table = LoginFailureRow.metadata.tables["login_failures"]


@dataclass(frozen=True, slots=True)
class User:
    """A local account, without its password hash."""

    id: int
    name: str
    role: str

    @property
    def can_review(self) -> bool:
        """Analysts and admins may change review state; viewers only read."""
        return self.role in ("analyst", "admin")


@dataclass(frozen=True, slots=True)
class SessionInfo:
    """A live session: whose it is and the CSRF token its forms must send back."""

    user: User
    csrf: str


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _aware(t: datetime) -> datetime:
    # SQLite returns naive datetimes for timezone-aware columns; they were written in UTC
    return t if t.tzinfo is not None else t.replace(tzinfo=UTC)


class AccountQueries:
    """Account queries of `Store` (see the module docstring)."""

    engine: Engine
    _write_engine: Engine

    def add_user(self, name: str, password_hash: str, role: str, *,
                 replace: bool = False) -> User:
        """Create `name` (or, with `replace`, set its hash and role); refuses unknown roles."""
        if role not in ROLES:
            raise ConfigError(f"unknown role {role!r} (allowed: {', '.join(ROLES)})")
        if not name or len(name) > 128 or name != name.strip():
            raise ConfigError(f"bad user name {name!r}")
        now = datetime.now(UTC)
        try:
            with self._write_engine.begin() as conn:
                row = conn.execute(select(_USERS.c.id).where(_USERS.c.name == name)).first()
                if row is not None:
                    if not replace:
                        raise ConfigError(f"user {name!r} exists (use --replace to reset it)")
                    conn.execute(update(_USERS).where(_USERS.c.id == row.id).values(
                        password_hash=password_hash, role=role))
                    conn.execute(delete(_SESSIONS).where(_SESSIONS.c.user_id == row.id))
                    return User(int(row.id), name, role)
                new_id = conn.execute(insert(_USERS).values(
                    name=name, password_hash=password_hash, role=role, created_at=now,
                ).returning(_USERS.c.id)).scalar_one()
        except IntegrityError as e:
            raise ConfigError(f"user {name!r} exists") from e
        return User(int(new_id), name, role)

    def user_hash(self, name: str) -> tuple[User, str] | None:
        """The user called `name` and its password hash, or None."""
        with self.engine.connect() as conn:
            r = conn.execute(select(_USERS).where(_USERS.c.name == name)).first()
        return (User(r.id, r.name, r.role), r.password_hash) if r is not None else None

    def set_password_hash(self, user_id: int, password_hash: str) -> None:
        with self._write_engine.begin() as conn:
            conn.execute(update(_USERS).where(_USERS.c.id == user_id)
                         .values(password_hash=password_hash))

    def list_users(self) -> list[User]:
        with self.engine.connect() as conn:
            return [User(r.id, r.name, r.role)
                    for r in conn.execute(select(_USERS).order_by(_USERS.c.name))]

    # -- sessions ---------------------------------------------------------------------------

    def create_session(self, user_id: int, token: str, csrf: str, ttl: timedelta) -> None:
        now = datetime.now(UTC)
        with self._write_engine.begin() as conn:
            conn.execute(delete(_SESSIONS).where(_SESSIONS.c.expires_at < now))
            conn.execute(insert(_SESSIONS).values(
                token_hash=token_hash(token), user_id=user_id, csrf=csrf, created_at=now,
                expires_at=now + ttl))

    def get_session(self, token: str) -> SessionInfo | None:
        """The live session behind a cookie's token, or None (unknown or expired)."""
        with self.engine.connect() as conn:
            r = conn.execute(
                select(_SESSIONS.c.csrf, _SESSIONS.c.expires_at, _USERS.c.id, _USERS.c.name,
                       _USERS.c.role)
                .join(_USERS, _USERS.c.id == _SESSIONS.c.user_id)
                .where(_SESSIONS.c.token_hash == token_hash(token))).first()
        if r is None or _aware(r.expires_at) < datetime.now(UTC):
            return None
        return SessionInfo(User(r.id, r.name, r.role), r.csrf)

    def delete_session(self, token: str) -> None:
        with self._write_engine.begin() as conn:
            conn.execute(delete(_SESSIONS).where(_SESSIONS.c.token_hash == token_hash(token)))

    # -- login rate limiting ----------------------------------------------------------------

    def record_login_failure(self, name: str, ip: str) -> None:
        with self._write_engine.begin() as conn:
            conn.execute(insert(_FAILURES).values(name=name[:128], ip=ip[:64],
                                                  at=datetime.now(UTC)))

    def login_failures(self, name: str, ip: str, window: timedelta) -> int:
        """Failed logins for this name from this address within `window` of now."""
        since = datetime.now(UTC) - window
        with self.engine.connect() as conn:
            return int(conn.scalar(
                select(func.count()).select_from(_FAILURES)
                .where(_FAILURES.c.name == name[:128], _FAILURES.c.ip == ip[:64],
                       _FAILURES.c.at >= since)) or 0)

    def clear_login_failures(self, name: str, ip: str) -> None:
        with self._write_engine.begin() as conn:
            conn.execute(delete(_FAILURES).where(_FAILURES.c.name == name[:128],
                                                 _FAILURES.c.ip == ip[:64]))
