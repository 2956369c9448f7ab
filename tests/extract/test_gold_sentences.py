"""Every hand-written gold sentence, one test each (SPEC §8 groups, §1 what is not a claim).

The quality gate (`test_quality_gate.py`) watches the aggregate score; this module says which
pattern broke. An item passes when the system finds every required gold group (kind, roles,
category, polarity) and nothing outside the gold groups and the optional ones. Items the
extractor does not handle yet are listed in `fixtures/gold_sentences_misses.txt` and run as
strict xfails, so fixing one shows up as an unexpected pass to be removed from the list.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from armstrace.extract.pipeline import default_pipeline
from armstrace.models import document_from_dict

FIXTURES = Path(__file__).parent / "fixtures"
ITEMS = [
    json.loads(line)
    for line in (FIXTURES / "gold_sentences.jsonl").read_text(encoding="utf-8").splitlines()
    if line.strip()
]
MISSES = {
    line.split("\t")[0]: line.split("\t", 1)[1] if "\t" in line else "not handled yet"
    for line in (FIXTURES / "gold_sentences_misses.txt").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
}


def group_key(c: dict[str, Any], category: str | None = None) -> tuple[Any, ...]:
    cat = category if category is not None else c.get("item_category")
    if c["kind"] == "transfer":
        key: tuple[Any, ...] = ("transfer", c["supplier"], c["recipient"], cat)
    elif c["kind"] == "development":
        key = ("development", c["actor"], cat, c["stage"])
    else:
        key = ("agreement", tuple(sorted(c["parties"])))
    return (*key, c["polarity"])


def accepted(c: dict[str, Any]) -> set[tuple[Any, ...]]:
    if c["kind"] == "agreement":
        return {group_key(c)}
    cats = [c["item_category"], *(c.get("item_category_alt") or [])]
    return {group_key(c, cat) for cat in cats}


def params() -> list[Any]:
    out = []
    for it in ITEMS:
        marks = []
        if it["id"] in MISSES:
            marks.append(pytest.mark.xfail(reason=MISSES[it["id"]], strict=True))
        out.append(pytest.param(it, id=f"{it['id']}-{it['pattern']}", marks=marks))
    return out


def test_misses_list_names_real_items() -> None:
    ids = {it["id"] for it in ITEMS}
    assert set(MISSES) <= ids, sorted(set(MISSES) - ids)


@pytest.mark.parametrize("item", params())
def test_gold_sentence(item: dict[str, Any]) -> None:
    claims = [c.to_dict() for c in default_pipeline().analyse(document_from_dict(item))]
    found = {group_key(c) for c in claims}
    required = [accepted(c) for c in item["claims"] if not c.get("optional")]
    allowed = set().union(*(accepted(c) for c in item["claims"])) if item["claims"] else set()
    missing = [sorted(map(str, keys)) for keys in required if not keys & found]
    extra = sorted(str(k) for k in found - allowed)
    assert not missing and not extra, f"missing {missing}; unexpected {extra}"


def write_misses() -> int:
    """Rewrite the misses list from the extractor's current output (after a deliberate change)."""
    lines = [
        "# gold sentences the extractor does not get right yet: id<TAB>what goes wrong.",
        "# test_gold_sentences.py runs these as strict xfails; regenerate with",
        "# `python -m tests.extract.test_gold_sentences` after a deliberate change.",
    ]
    for item in ITEMS:
        claims = [c.to_dict() for c in default_pipeline().analyse(document_from_dict(item))]
        found = {group_key(c) for c in claims}
        required = [accepted(c) for c in item["claims"] if not c.get("optional")]
        allowed = set().union(*(accepted(c) for c in item["claims"])) if item["claims"] else set()
        missing = [sorted(keys, key=str)[0] for keys in required if not keys & found]
        extra = sorted(found - allowed, key=str)
        why = []
        if missing:
            why.append("misses " + "; ".join(" ".join(map(str, k)) for k in missing))
        if extra:
            why.append("adds " + "; ".join(" ".join(map(str, k)) for k in extra))
        if why:
            lines.append(f"{item['id']}\t{' / '.join(why)}")
    (FIXTURES / "gold_sentences_misses.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines) - 3


if __name__ == "__main__":
    print(f"{write_misses()} items listed as misses")
