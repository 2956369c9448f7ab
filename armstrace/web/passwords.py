"""Password hashing for local accounts: argon2id through argon2-cffi, its defaults (RFC 9106's
low-memory profile), with a rehash when those defaults grow stronger."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_HASHER = PasswordHasher()
#: verified against when the user does not exist, so a wrong name costs as long as a wrong
#: password and response times do not reveal which accounts exist
_DUMMY = _HASHER.hash("armstrace-no-such-user")


def hash_password(password: str) -> str:
    if not password:
        raise ValueError("empty password")
    return _HASHER.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when `password` matches; always does the work of one verification."""
    try:
        return _HASHER.verify(password_hash or _DUMMY, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _HASHER.check_needs_rehash(password_hash)
