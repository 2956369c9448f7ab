"""Sentence spans and tokens (armstrace.extract.tokenize).

Offsets follow SPEC §6: Python ``str`` indices into the text exactly as read, end exclusive,
so ``text[start:end]`` is the evidence verbatim. The fixtures pin the decisions stated in the
module docstring; a case marked ``"xfail"`` states what a careful reader expects and the
current behaviour misses (strict, so a fix shows up as XPASS and the mark must go).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from armstrace.extract.tokenize import Token, split_sentences, tokenize

FIXTURES = Path(__file__).parent / "fixtures"


def _load(name: str) -> list[dict[str, Any]]:
    with (FIXTURES / name).open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


SENTENCE_CASES = _load("sentences.jsonl")
TOKEN_CASES = _load("tokens.jsonl")
ALL_TEXTS = [(f"s-{c['id']}", c["text"]) for c in SENTENCE_CASES] + [
    (f"t-{c['id']}", c["text"]) for c in TOKEN_CASES
]


def _expected(cases: list[dict[str, Any]]) -> list[Any]:
    """Cases as params with their ids; an "xfail" case is a strict expected failure."""
    return [
        pytest.param(
            c,
            id=c["id"],
            marks=[pytest.mark.xfail(reason=c["xfail"], strict=True)] if "xfail" in c else [],
        )
        for c in cases
    ]


def _texts() -> list[Any]:
    return [pytest.param(text, id=cid) for cid, text in ALL_TEXTS]


# --- the fixtures themselves ---------------------------------------------------------------


def test_fixture_ids_are_unique_and_cases_are_enough() -> None:
    for cases in (SENTENCE_CASES, TOKEN_CASES):
        ids = [c["id"] for c in cases]
        assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert len(SENTENCE_CASES) >= 50
    assert len(TOKEN_CASES) >= 30


@pytest.mark.parametrize("case", SENTENCE_CASES, ids=[c["id"] for c in SENTENCE_CASES])
def test_expected_sentences_are_substrings_in_order(case: dict[str, Any]) -> None:
    """A fixture's sentences must be pieces of its text in order, so a typo in the fixture
    reads as a fixture error rather than as a splitter failure."""
    pos = 0
    for sentence in case["sentences"]:
        found = case["text"].find(sentence, pos)
        assert found >= 0, f"{sentence!r} is not in the text after offset {pos}"
        pos = found + len(sentence)


# --- expected output -----------------------------------------------------------------------


@pytest.mark.parametrize("case", _expected(SENTENCE_CASES))
def test_sentences(case: dict[str, Any]) -> None:
    text = case["text"]
    assert [text[s:e] for s, e in split_sentences(text)] == case["sentences"]


@pytest.mark.parametrize("case", _expected(TOKEN_CASES))
def test_tokens(case: dict[str, Any]) -> None:
    assert [t.text for t in tokenize(case["text"])] == case["tokens"]


# --- invariants, for every fixture text ----------------------------------------------------


def _check_spans(text: str, spans: list[tuple[int, int]]) -> None:
    prev = 0
    for s, e in spans:
        assert isinstance(s, int)
        assert isinstance(e, int)
        assert prev <= s < e <= len(text), (prev, s, e)
        assert text[s:e] == text[s:e].strip(), f"span {s}:{e} has surrounding whitespace"
        # every non-whitespace character belongs to exactly one span
        assert text[prev:s].strip() == "", f"text outside spans: {text[prev:s]!r}"
        prev = e
    assert text[prev:].strip() == ""


def _check_tokens(text: str, tokens: list[Token], start: int, end: int) -> None:
    prev = start
    for t in tokens:
        assert prev <= t.start < t.end <= end, (prev, t)
        assert t.text == text[t.start : t.end]
        assert t.lower == t.text.lower()
        assert not any(ch.isspace() for ch in t.text), t
        # every non-whitespace character belongs to exactly one token
        assert text[prev : t.start].strip() == "", f"skipped: {text[prev : t.start]!r}"
        prev = t.end
    assert text[prev:end].strip() == ""


@pytest.mark.parametrize("text", _texts())
def test_sentence_span_invariants(text: str) -> None:
    _check_spans(text, split_sentences(text))


@pytest.mark.parametrize("text", _texts())
def test_token_invariants(text: str) -> None:
    tokens = tokenize(text)
    assert all(isinstance(t, Token) for t in tokens)
    _check_tokens(text, tokens, 0, len(text))


@pytest.mark.parametrize("text", _texts())
def test_tokenizing_a_sentence_window_gives_absolute_offsets(text: str) -> None:
    """tokenize(text, s, e) on a sentence span is the tokenization of text[s:e] shifted by s:
    what came before the span cannot change its tokens, nor a token reach past its end."""
    for s, e in split_sentences(text):
        window = tokenize(text, s, e)
        _check_tokens(text, window, s, e)
        alone = tokenize(text[s:e])
        assert [(t.start - s, t.end - s, t.text) for t in window] == [
            (t.start, t.end, t.text) for t in alone
        ]


# --- the tokenize window -------------------------------------------------------------------


def test_window_offsets_are_absolute() -> None:
    text = "Noise here. The U.S. sent $2.5bn in aid. More noise."
    start = text.index("The")
    end = text.index(" More")
    tokens = tokenize(text, start, end)
    assert [t.text for t in tokens] == ["The", "U.S.", "sent", "$", "2.5bn", "in", "aid", "."]
    assert tokens[0].start == start
    assert tokens[-1].end == end
    for t in tokens:
        assert text[t.start : t.end] == t.text


def test_window_defaults_cover_the_whole_text() -> None:
    text = "  Gen. Kim didn't go.  "
    assert tokenize(text) == tokenize(text, 0, len(text)) == tokenize(text, 0, None)
    assert [t.text for t in tokenize(text, 7)] == ["Kim", "did", "n't", "go", "."]
    assert tokenize(text, 7)[0].start == 7


def test_window_end_cuts_a_token() -> None:
    text = "the Shahed-136 drone"
    end = text.index("-")
    tokens = tokenize(text, 0, end)
    assert [t.text for t in tokens] == ["the", "Shahed"]
    assert tokens[-1].end == end


def test_window_end_hides_what_follows() -> None:
    # "R." binds as a middle initial only before a capitalised word; the window ends first
    text = "Christopher R. Hill"
    assert [t.text for t in tokenize(text)] == ["Christopher", "R.", "Hill"]
    assert [t.text for t in tokenize(text, 0, text.index(" Hill"))] == ["Christopher", "R", "."]


def test_empty_and_blank_windows() -> None:
    text = "The army fired.    It missed."
    assert tokenize(text, 3, 3) == []
    assert tokenize(text, 15, 19) == []
    assert tokenize("") == []
    assert split_sentences("") == []


def test_tokens_are_frozen_values() -> None:
    (tok,) = tokenize("Drones")
    assert tok == Token(0, 6, "Drones", "drones")
    with pytest.raises(AttributeError):
        tok.start = 1  # type: ignore[misc]


# --- pathological inputs: they must simply complete (speed is measured elsewhere) -----------


PATHOLOGICAL = [
    pytest.param(lambda: "." * 1_000_000, id="million-dots"),
    pytest.param(lambda: "x" * 5_000_000, id="5mb-without-a-space"),
    pytest.param(lambda: "\n" * 200_000, id="200k-newlines"),
    pytest.param(lambda: ".\n" * 100_000, id="dot-newline-x100k"),
    pytest.param(lambda: " " * 1_000_000, id="million-spaces"),
    pytest.param(lambda: "U.S. " * 100_000, id="us-x100k"),
]


@pytest.mark.parametrize("make", PATHOLOGICAL)
def test_pathological_inputs_complete(make: Any) -> None:
    text: str = make()
    spans = split_sentences(text)
    tokens = tokenize(text)
    assert all(0 <= s < e <= len(text) for s, e in spans)
    assert all(0 <= t.start < t.end <= len(text) for t in tokens)
    if text.strip():
        assert spans
        assert tokens
        assert spans[0][0] == len(text) - len(text.lstrip())
        assert spans[-1][1] == len(text.rstrip())
    else:
        assert spans == []
        assert tokens == []


def test_pathological_shapes() -> None:
    dots = "." * 1_000_000
    assert split_sentences(dots) == [(0, len(dots))]
    assert [(t.start, t.end) for t in tokenize(dots)] == [(0, len(dots))]
    blob = "x" * 5_000_000
    assert split_sentences(blob) == [(0, len(blob))]
    assert len(tokenize(blob)) == 1
    lines = ".\n" * 100_000
    assert split_sentences(lines) == [(i, i + 1) for i in range(0, len(lines), 2)]
    assert len(tokenize(lines)) == 100_000
