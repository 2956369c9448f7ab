"""Which weapon system an item phrase names, so designations decide what fuses (issue 4).

Two claims about one (supplier, recipient, category) fuse only when their designations are
compatible: the same system under any of its names ("Shahed-136" and the Russian "Geran-2"), or
one of them names no system at all ("drones"). The known aliases are data
(`designations.tsv`); any other designation-shaped token ("T-90M", "Su-57") is its own system,
compared by its letters and digits alone so "KN 23" and "KN-23" agree.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from armstrace.errors import LexiconError

#: a designation-shaped token: a capitalised stem and digits ("KN-23", "F-16", "K2",
#: "Leopard 2"); a space before the digits only for one or two of them ("Mk 48", not "About 300")
_TOKEN = re.compile(
    r"\b[A-Z][A-Za-z]{0,11}(?:-?[A-Z]{0,3}\d+[A-Za-z]{0,2}|\s\d{1,2}(?:[A-Z]\d?)?)\b"
)
_STOP = frozenset({"about", "some", "over", "nearly", "up", "only", "more", "at", "than"})
_NON_ALNUM = re.compile(r"[^0-9A-Z]+")
AMBIGUOUS = "-"


def normalise(name: str) -> str:
    """Letters and digits of a designation, upper-cased: "Geran 2" → "GERAN2"."""
    return _NON_ALNUM.sub("", name.upper())


def load_aliases(text: str, where: str = "designations.tsv") -> dict[str, str]:
    """normalised alias → system id, from the tab-separated format described in the file."""
    out: dict[str, str] = {}
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
            raise LexiconError(f"{where}:{n}: expected 'system-id<TAB>alias|alias…'")
        system = parts[0].strip()
        for alias in parts[1].split("|"):
            key = normalise(alias)
            if key in out and out[key] != system:
                raise LexiconError(f"{where}:{n}: {alias!r} already names {out[key]!r}")
            out[key] = system
    return out


@lru_cache(maxsize=1)
def default_aliases() -> dict[str, str]:
    text = resources.files("armstrace.fuse").joinpath("designations.tsv").read_text("utf-8")
    return load_aliases(text)


class SystemResolver:
    """Maps an item phrase to a system id (or None), remembering each phrase it has seen:
    a million claims repeat a few thousand phrases."""

    def __init__(self, aliases: dict[str, str] | None = None) -> None:
        self._aliases = default_aliases() if aliases is None else aliases
        self._seen: dict[str, str | None] = {}

    def system(self, item_text: str | None) -> str | None:
        if not item_text:
            return None
        found = self._seen.get(item_text, "")
        if found != "":
            return found
        result = self._resolve(item_text)
        self._seen[item_text] = result
        return result

    def _resolve(self, item_text: str) -> str | None:
        # known aliases first, longest first, matched on word boundaries of the phrase
        words = [normalise(w) for w in re.split(r"\s+", item_text) if normalise(w)]
        for size in (3, 2, 1):
            for i in range(len(words) - size + 1):
                key = "".join(words[i:i + size])
                system = self._aliases.get(key)
                if system is not None:
                    return None if system == AMBIGUOUS else system
        for m in _TOKEN.finditer(item_text):
            stem = m.group().split()[0].lower()
            if stem in _STOP:
                continue
            return "d:" + normalise(m.group())
        return None
