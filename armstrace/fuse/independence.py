"""Independent sources (SPEC §10, issue 4): who said it, counted once per story.

A source is its name (case and spacing folded); the outlet speaking in its own voice is "the
outlet of this story", whatever it is called in each syndicated copy. A story is the document's
`story_id` (shared by every copy of one story, SPEC §11), or the document itself when it has
none. So

* a wire story carried by five outlets is one independent source, carried five times;
* Bruce Bennett quoted in two different stories is two independent sources (two pairs);
* an outlet repeating its own story in a copy is still one.

`n_carried` counts (source, document) pairs: every appearance, syndicated copies included.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from armstrace.fuse.records import FuseInput

_SPACE = re.compile(r"\s+")
OUTLET = "@outlet"


def source_key(x: FuseInput) -> str:
    """The name a claim's source is counted under."""
    if x.source_type == "outlet":
        return OUTLET
    return _SPACE.sub(" ", (x.source_name or "").strip()).casefold() or "?"


def story_of(x: FuseInput) -> str:
    return x.story_id or x.doc_id


def display_name(x: FuseInput) -> str:
    """How a source is shown in lists: its name, or for the outlet voice the outlet's name."""
    if x.source_type == "outlet":
        return x.outlet or x.source_name or "outlet"
    return x.source_name or "?"


def count_sources(claims: Iterable[FuseInput]) -> tuple[int, int]:
    """(independent sources, carried) of a record's claims (module docstring)."""
    independent: set[tuple[str, str]] = set()
    carried: set[tuple[str, str]] = set()
    for x in claims:
        key = source_key(x)
        independent.add((key, story_of(x)))
        carried.add((key, x.doc_id))
    return len(independent), len(carried)
