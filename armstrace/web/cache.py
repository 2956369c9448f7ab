"""A small in-process cache for the aggregate queries of the records views (facets, counts,
network, timeline) and for pages of the records list.

Those are GROUP BYs over every matching record: cheap on a small store, but a million-claim store
would pay them on every page view. Entries are keyed by what was asked *and* by the store's
`data_version()` (latest re-fusion, latest review action), so a cached answer is never older than
the data: a new ingest, `armstrace fuse` or a review action changes the stamp and the next request
recomputes. Concurrent requests for the same missing key wait for one computation instead of all
running it (a page with 200 readers would otherwise start 200 identical scans). The cache holds at
most `size` entries, least recently used first out.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


class AggregateCache:
    """Least-recently-used cache with one computation per key at a time (thread-safe)."""

    def __init__(self, size: int = 2048) -> None:
        self.size = size
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._computing: dict[Hashable, threading.Lock] = {}
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The cached value of `key`, computing it (once, whoever asks) when missing."""
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                self.hits += 1
                return self._entries[key]  # type: ignore[no-any-return]  # stored by this method
            flight = self._computing.setdefault(key, threading.Lock())
        with flight:
            with self._lock:
                if key in self._entries:  # another thread computed it while we waited
                    self.hits += 1
                    return self._entries[key]  # type: ignore[no-any-return]  # as above
                self.misses += 1
            value = compute()
            with self._lock:
                self._entries[key] = value
                self._entries.move_to_end(key)
                while len(self._entries) > self.size:
                    self._entries.popitem(last=False)
                self._computing.pop(key, None)
        return value
