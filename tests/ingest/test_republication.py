"""`armstrace.ingest.republication`: one line of fixtures/republication.jsonl per case."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from armstrace.ingest.republication import parse_via

CASES = [
    json.loads(line)
    for line in (Path(__file__).parent / "fixtures" / "republication.jsonl")
    .read_text()
    .splitlines()
    if line.strip()
]


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:40] for c in CASES])
def test_parse_via(case: dict[str, Any]) -> None:
    assert parse_via(case["text"], case.get("outlet")) == tuple(case["via"])


def test_credits_in_the_middle_of_a_long_story_are_prose() -> None:
    middle = "\n".join(
        ["Paragraph."] * 5 + ["This article originally appeared on Nowhere."] + ["Paragraph."] * 6
    )
    assert parse_via(middle) == ()
