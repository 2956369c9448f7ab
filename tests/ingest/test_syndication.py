"""`armstrace.ingest.syndication`: copies from fixtures/syndication_cases.jsonl (edits applied to
the stories in fixtures/stories.json), and the index's bookkeeping."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from armstrace.ingest.syndication import (
    Signature,
    StoryIndex,
    containment,
    content_hash,
    normalise,
    signature_bytes,
)

FIXTURES = Path(__file__).parent / "fixtures"
STORIES: dict[str, list[str]] = json.loads((FIXTURES / "stories.json").read_text())
CASES = [
    json.loads(line)
    for line in (FIXTURES / "syndication_cases.jsonl").read_text().splitlines()
    if line.strip()
]


def edited(paras: list[str], edits: list[str]) -> str:
    """Apply the fixture's edit operations (see syndication_cases.jsonl) to a story."""
    out = list(paras)
    for edit in edits:
        op, _, arg = edit.partition(":")
        if op == "trim":
            out = out[: int(arg)]
        elif op == "intro":
            out.insert(0, arg)
        elif op == "add":
            at, _, text = arg.partition(":")
            out.insert(int(at), text)
        elif op == "footer":
            out.append(arg)
        elif op == "dateline":
            out[0] = arg + out[0]
        elif op == "replace":
            old, _, new = arg.partition(":")
            out = [p.replace(f" {old} ", f" {new} ") for p in out]
        elif op == "shout":
            out = [p.upper() for p in out]
        elif op == "respace":
            out = ["  ".join(p.replace(",", " ,").split()) for p in out]
        elif op == "headline":  # page text often opens with the headline (the <h1>)
            out.insert(0, arg)
        else:
            raise ValueError(f"unknown edit {edit!r}")
    return "\n".join(out)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_copies_and_distinct_stories(case: dict[str, Any]) -> None:
    original = STORIES[case["base"]]
    if "other" in case:
        other = list(STORIES[case["other"]])
        if "borrow" in case:
            other.insert(2, original[case["borrow"]])
        text = "\n".join(other)
    else:
        text = edited(original, case["edits"])
    index = StoryIndex()
    first = index.add("original", "\n".join(original), "2024-05-01")
    second = index.add("copy", text, "2024-05-02")
    assert (second.story_id == first.story_id) is case["match"]
    assert second.copy_of == ("original" if case["match"] else None)
    assert (second.content_hash == first.content_hash) is case.get("exact", False)
    if case["match"]:
        assert second.matched == "original" and second.similarity is not None


def test_an_earlier_copy_takes_over_and_says_whom_it_supersedes() -> None:
    index = StoryIndex()
    text = "\n".join(STORIES["radar"])
    a = index.add("late", text, "2024-05-03")
    b = index.add("later", text + "\nSource: Example Wire", "2024-05-04")
    c = index.add("earliest", edited(STORIES["radar"], ["trim:6"]), "2024-05-01")
    d = index.add("undated", text, None)
    assert (a.copy_of, a.supersedes) == (None, None)
    assert b.copy_of == "late"
    # the store now points every other member of the story at "earliest"
    assert (c.story_id, c.copy_of, c.supersedes) == (a.story_id, None, "late")
    assert d.copy_of == "earliest" and index.earliest(a.story_id) == "earliest"


def test_the_index_rebuilds_from_signatures_without_texts() -> None:
    first = StoryIndex()
    rows = []
    for n, (name, paras) in enumerate(sorted(STORIES.items())):
        for variant, text in enumerate(["\n".join(paras), edited(paras, ["trim:3"])]):
            doc_id = f"{name}-{variant}"
            a = first.add(doc_id, text, f"2024-05-0{n + 1}")
            rows.append((doc_id, a.signature, f"2024-05-0{n + 1}", a.story_id, a.copy_of))
    rebuilt = StoryIndex()
    for doc_id, sig, date, story, copy_of in rows:
        again = rebuilt.add_signature(doc_id, sig, date, story_id=story)
        assert (again.story_id, again.copy_of) == (story, copy_of)
    fresh = "\n".join(STORIES["shells"]) + "\nThis article originally appeared on X."
    assert rebuilt.add("new", fresh).story_id == first.add("new", fresh).story_id


def test_signatures() -> None:
    text = "\n".join(STORIES["shells"])
    sig = Signature.from_bytes(signature_bytes(text))
    assert sig.content_hash == content_hash(text) and sig.shingles > 100
    assert Signature.of(text.upper()).jaccard(sig) == 1.0
    with pytest.raises(ValueError, match="not a syndication signature"):
        Signature.from_bytes(b"junk")
    with pytest.raises(ValueError, match="another format"):
        Signature.from_bytes(b"XXXX" + signature_bytes(text)[4:])


def test_normalisation_matches_the_regex_definition() -> None:
    assert normalise("  Shells — 1,000 of them!\n“Quoted”_x ") == "shells 1 000 of them quoted x"
    assert content_hash("A b") == content_hash("a\n\nB.")


def test_short_texts_match_only_exactly_and_re_adding_is_idempotent() -> None:
    index = StoryIndex()
    a = index.add("a", "Missiles were tested.", "2024-01-01")
    b = index.add("b", "Missiles were tested today.", "2024-01-02")
    c = index.add("c", "missiles  WERE tested", "2024-01-03")
    assert a.story_id != b.story_id and c.copy_of == "a"
    assert index.add("a", "Missiles were tested.").story_id == a.story_id
    with pytest.raises(ValueError, match="already indexed with other text"):
        index.add("a", "Something else entirely.")
    assert len(index) == 3 and "a" in index


@pytest.mark.parametrize(
    "j, a, b, c",
    [(1.0, 10, 10, 1.0), (0.5, 100, 50, 1.0), (0.0, 5, 5, 0.0), (0.2, 100, 100, 1 / 3)],
)
def test_containment_from_jaccard(j: float, a: int, b: int, c: float) -> None:
    assert containment(j, a, b) == pytest.approx(c)
