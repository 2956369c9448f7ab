"""Record keys, partitions and ids: what makes two claims part of one record (issue 4).

* transfer: (supplier, recipient, category, system, window): the system is the weapon system
  the designations name (`designations.py`), and a window starts afresh after three
  years without a report, so a 2012 sale and a 2024 sale between one pair are two records;
* development: (actor, category, stage);
* agreement: (parties, instrument), the instrument being the kind of text ("treaty",
  "contract", "memorandum"…) the item phrase names.

A *partition* is the coarser group a record is fused within (a transfer's supplier and
recipient: a blanket denial, "Moscow denied receiving any weapons", reaches every record of the
pair). Incremental fusion re-fuses whole partitions.

Record ids hash the key, never an insertion order, so re-fusing the same claims anywhere gives
the same ids.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

from armstrace.fuse.records import FuseInput

SEP = "\x1f"
#: days without a report after which a transfer key starts a new record
#: (three years: an offer, its approval and the first delivery are often that far apart)
WINDOW_DAYS = 1095

_INSTRUMENTS: tuple[tuple[str, str], ...] = (
    ("memorandum", r"\bmemorand|\bmou\b"),
    ("treaty", r"\btreat|\bpact\b|\balliance\b"),
    ("contract", r"\bcontract|\bdeal\b|\border\b|\bpurchase"),
    ("roadmap", r"\broad ?map|\bplan\b"),
)


def instrument(item_text: str | None) -> str:
    """The kind of agreement an item phrase names; "agreement" when it names none."""
    low = (item_text or "").lower()
    for name, pattern in _INSTRUMENTS:
        if re.search(pattern, low):
            return name
    return "agreement"


def actor(value: str | None) -> str:
    return value if value else "unknown"


def partition_of(x: FuseInput) -> str:
    """The partition of one claim (module docstring)."""
    if x.kind == "transfer":
        return SEP.join(("transfer", actor(x.supplier), actor(x.recipient)))
    if x.kind == "development":
        return SEP.join(("development", actor(x.actor), x.item_category or "", x.stage))
    return SEP.join(("agreement", ",".join(sorted(x.parties or ()))))


def partition_fields(partition: str) -> tuple[str, ...]:
    """The parts of a partition: (kind, ...) as `partition_of` joined them."""
    return tuple(partition.split(SEP))


def record_id(key: Sequence[str]) -> str:
    """A stable id for a record key: "r-" and 16 hex digits of its sha256."""
    return "r-" + hashlib.sha256(SEP.join(key).encode("utf-8")).hexdigest()[:16]
