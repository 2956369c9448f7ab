"""Fixtures of the store tests: `db_url` and `store`, once per backend (see backends.py)."""

from tests.store.backends import db_url, store

__all__ = ["db_url", "store"]
