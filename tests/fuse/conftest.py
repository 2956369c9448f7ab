"""Fixtures of the fusion tests: `db_url`, once per store backend (tests/store/backends.py)."""

from tests.store.backends import db_url

__all__ = ["db_url"]
