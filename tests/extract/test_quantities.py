"""Quantity expressions (SPEC §3): value, the four qualifiers, unit, money, and exact offsets.

SPEC §3 defines `quantity` as `{"value", "qualifier", "unit"}` with the qualifier one of
`exact`, `approx`, `at_least`, `at_most`, money as a currency unit ("USD"), and "hundreds of
drones" as 100, at_least. Every gold sentence is one line of fixtures/quantities.jsonl: its
`expect` lists, in order, each quantity's exact substring and fields; an empty list is a
sentence whose numbers are not amounts (years, dates, calibres, designations, percentages).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from armstrace import vocab
from armstrace.extract.quantities import (
    _CANDIDATE,
    QuantityHit,
    _next_candidate,
    _words_before,
    _words_before_slow,
    find_quantities,
)

FIXTURE = Path(__file__).parent / "fixtures" / "quantities.jsonl"
CASES: list[dict[str, Any]] = [
    json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines() if line.strip()
]


def _case_id(n: int, case: dict[str, Any]) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", case["text"].lower())[:40].strip("-")
    return f"{n + 1:03d}-{slug}"


IDS = [_case_id(n, c) for n, c in enumerate(CASES)]


def _as_dict(text: str, h: QuantityHit) -> dict[str, Any]:
    return {
        "text": text[h.start : h.end],
        "value": h.value,
        "qualifier": h.qualifier,
        "unit": h.unit,
        "is_money": h.is_money,
    }


def test_fixture_is_well_formed() -> None:
    assert len(CASES) >= 60
    assert sum(1 for c in CASES if not c["expect"]) >= 15, "negatives keep the finder honest"
    for case in CASES:
        for e in case["expect"]:
            assert e["text"] in case["text"], e
            assert e["qualifier"] in vocab.QUALIFIERS, e


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_gold_sentence(case: dict[str, Any]) -> None:
    text = case["text"]
    hits = find_quantities(text, 0, len(text))
    assert [_as_dict(text, h) for h in hits] == case["expect"]
    for h, e in zip(hits, case["expect"], strict=True):
        # 2.5 stays a float, 1.2 billion becomes the int 1200000000
        assert type(h.value) is type(e["value"]), (h.value, e["value"])


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_offsets_are_exact_and_ordered(case: dict[str, Any]) -> None:
    text = case["text"]
    hits = find_quantities(text, 0, len(text))
    last_end = 0
    for h in hits:
        assert last_end <= h.start < h.end <= len(text)
        assert text[h.start] == text[h.start].strip() and text[h.end - 1] == text[h.end - 1].strip()
        last_end = h.end
        assert h.qualifier in vocab.QUALIFIERS
        assert (h.unit_start is None) == (h.unit_end is None) == (h.unit is None)
        if h.unit_start is not None and h.unit_end is not None:
            assert h.start <= h.unit_start < h.unit_end <= h.end
            if not h.is_money:
                assert text[h.unit_start : h.unit_end] == h.unit
        if h.is_money:
            assert h.unit is not None and re.fullmatch(r"[A-Z]{3}", h.unit)


def test_the_window_is_respected_and_offsets_stay_absolute() -> None:
    text = "Iran sent 300 drones. Then more than 2,000 shells arrived. Later about 50 tanks came."
    s = text.index("Then")
    e = text.index(" Later")
    hits = find_quantities(text, s, e)
    assert [(text[h.start : h.end], h.qualifier) for h in hits] == [("more than 2,000", "at_least")]
    assert hits[0].start == text.index("more than 2,000")
    whole = find_quantities(text, 0, len(text))
    assert [text[h.start : h.end] for h in whole] == ["300", "more than 2,000", "about 50"]
    assert [h for h in whole if s <= h.start and h.end <= e] == hits


def test_a_qualifier_before_the_window_is_not_taken() -> None:
    text = "Officials said more than 2,000 shells arrived."
    at = text.index("2,000")
    hits = find_quantities(text, at, len(text))
    assert [(h.start, h.end, h.qualifier) for h in hits] == [(at, at + 5, "exact")]


def test_nothing_past_the_window_end() -> None:
    text = "Iran sent 300 drones and 400 missiles."
    end = text.index(" and")
    assert [text[h.start : h.end] for h in find_quantities(text, 0, end)] == ["300"]
    assert find_quantities(text, 0, text.index("300")) == []


def test_before_stops_the_scan_without_changing_a_hit() -> None:
    """`before` stops the scan but changes no hit: one whose number begins before the offset
    is read to its end ("between 1,000 and 2,000" crosses it), and every fixture sentence cut
    at every character gives a start of its full list holding every hit that ends by then."""
    text = "They sent between 1,000 and 2,000 drones and about 300 missiles."
    cut = text.index("2,000")
    assert [text[h.start : h.end] for h in find_quantities(text, before=cut)] == [
        "between 1,000 and 2,000"
    ]
    # "about" lies before the offset, but the number it qualifies does not
    assert len(find_quantities(text, before=text.index("300"))) == 1
    for case in CASES:
        t = case["text"]
        full = find_quantities(t)
        for before in range(len(t) + 1):
            cut_hits = find_quantities(t, before=before)
            assert cut_hits == full[: len(cut_hits)]
            assert all(h in cut_hits for h in full if h.end <= before)


@pytest.mark.parametrize(
    "text",
    [
        ("1,234," * 170_000)[:1_000_000],
        "9," * 500_000,
        "7" * 1_000_000,
        " " * 1_000_000,
    ],
    ids=["digits-and-commas", "single-digits-and-commas", "digits", "spaces"],
)
def test_pathological_input_runs_to_completion(text: str) -> None:
    """A megabyte of digits and separators, or of spaces: no backtracking blow-up, no int()
    of a million digits; the scan reads each run once."""
    assert len(text) == 1_000_000
    hits = find_quantities(text, 0, len(text))
    assert isinstance(hits, list)
    if not text.strip():
        assert hits == []


SCAN_TEXTS = [
    "Iran sent 300 drones, a few tanks and half a million rounds worth $5 billion.",
    "About US$ 2.5bn, €40m and Rs. 300 crore; several dozen, hundreds of shells.",
    "Su-34s, x,a dozen, 1a, an  hundred, five-six, A$3 and CAD 400 and EUR5.",
    "twenty-one Leopard 2 tanks (Type 055) arrived on 3 May 2023 at 10 a.m.",
]


@pytest.mark.parametrize("text", SCAN_TEXTS)
def test_the_candidate_scan_finds_what_the_candidate_pattern_would(text: str) -> None:
    """`_next_candidate` is a faster `_CANDIDATE.search`: same starts, spans and groups."""
    for pos in range(len(text) + 1):
        for end in (len(text), min(len(text), pos + 7)):
            want = _CANDIDATE.search(text, pos, end) if pos < end else None
            got = _next_candidate(text, pos, end)
            assert (got is None) == (want is None), (pos, end)
            if want is not None and got is not None:
                assert (got.span(), got.groupdict()) == (want.span(), want.groupdict())


@pytest.mark.parametrize(
    "text",
    [
        "more than 300",
        "at least U.S. 300",
        "x² 300",
        "about ½ 300",
        "Ⅻth about 300",
        "up\u00a0to  \t300",
        "... 300",
        "e.g. roughly 300",
        "the_word 300",
    ],
)
def test_words_before_reads_the_words_the_character_loop_reads(text: str) -> None:
    """`_words_before` (a regex on the reversed text) agrees with its definition,
    `_words_before_slow`, for every window, numeric characters and cut words included."""
    p = text.index("300")
    for lo in range(p + 1):
        assert _words_before(text, p, lo) == _words_before_slow(text, p, lo), lo
