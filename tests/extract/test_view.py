"""Sentence views (extract/view.py): clause bounds and token indices against their plain
definitions, on the gold sentences and on run-on text longer than any clause cap."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from armstrace.extract.view import MAX_CLAUSE_TOKENS, SentenceView
from armstrace.extract.words import CLAUSE_BREAK

GOLD = Path(__file__).parent / "fixtures" / "gold_sentences.jsonl"
TEXTS = [json.loads(line)["text"] for line in GOLD.read_text(encoding="utf-8").splitlines()]
RUN_ON = " ".join(["they said"] * 80) + ", and " + " ".join(["drones"] * 90) + "."


def _walk(low: list[str], a: int, b: int) -> tuple[int, int]:
    """The definition: out from [a, b) token by token to a break, at most the cap."""
    lo = a
    while lo > max(0, a - MAX_CLAUSE_TOKENS) and low[lo - 1] not in CLAUSE_BREAK:
        lo -= 1
    hi = b
    while hi < min(len(low), b + MAX_CLAUSE_TOKENS) and low[hi] not in CLAUSE_BREAK:
        hi += 1
    return lo, hi


@pytest.mark.parametrize("text", [*TEXTS[::7], RUN_ON])
def test_clause_bounds_are_the_walk_to_the_nearest_breaks(text: str) -> None:
    v = SentenceView.build(text, 0, 0, len(text), [])
    n = len(v.low)
    for a in range(n):
        for b in range(a + 1, min(n, a + 4) + 1):
            assert v.clause_bounds(a, b) == _walk(v.low, a, b), (a, b)


def test_trigger_and_cue_tokens_list_the_covered_tokens() -> None:
    from armstrace.extract.lexicon import default_lexicons

    text = "Officials said Iran had not sent drones, and Russia would be testing missiles."
    v = SentenceView.build(text, 0, 0, len(text), default_lexicons().match(text))
    assert [v.low[i] for i in v.trigger_tokens()] == ["sent", "testing"]
    assert [v.low[i] for i in v.cue_tokens("speech")] == ["said"]
    assert [v.low[i] for i in v.cue_tokens("negation")] == ["not"]
    assert v.cue_tokens("no such type") == []


def test_sentence_mentions_are_built_once_and_as_matching_gives_them() -> None:
    from armstrace.extract.lexicon import default_lexicons
    from armstrace.extract.tokenize import split_sentences
    from armstrace.extract.view import SentenceMentions

    text = "Iran sent drones to Russia. The weather was fine. Kyiv asked the U.S. for Patriots."
    sentences = split_sentences(text)
    found = default_lexicons().match_all(text, sentences, defer="cues")
    lazy = SentenceMentions(text, found.sentence_hits)
    assert len(lazy) == len(sentences) == 3
    assert lazy[2] is lazy[2]  # built once
    assert list(lazy) == found.by_sentence
    assert lazy[0:2] == found.by_sentence[0:2]
    assert [m.text for m in lazy[0]] == ["Iran", "sent", "drones", "Russia"]
    assert lazy[1] == []
