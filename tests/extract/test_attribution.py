"""Attribution helpers that have a simpler reference definition."""

from __future__ import annotations

import random

import pytest

from armstrace.extract.attribution import QUOTE_MAX, QUOTE_RE, find_quotes
from armstrace.extract.pipeline import default_pipeline
from armstrace.extract.view import Analysis, People, Person
from armstrace.models import Document


def _reference(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in QUOTE_RE.finditer(text)]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "no quotes at all",
        '"The deal is done," he said. "Now we wait."',
        "“We have received the shells.” Defence Minister Jan Novak said.",
        '""x"',  # nothing inside the first pair
        "““a”",  # the first mark finds its ” only after the second opening
        "“”a”",
        '"a\nb" "c"',  # a straight quotation never crosses a line break
        "“a\nb”",  # a curly one may
        '“a "b” c"',
        '"' + "x" * QUOTE_MAX + '"',
        '"' + "x" * (QUOTE_MAX + 1) + '" "y"',
        "“" + "x" * (QUOTE_MAX + 1) + "” “y”",
    ],
)
def test_find_quotes_matches_the_regex(text: str) -> None:
    assert find_quotes(text) == _reference(text)


def test_find_quotes_matches_the_regex_on_random_marks() -> None:
    rnd = random.Random(7)
    for _ in range(5000):
        text = "".join(rnd.choice('ab\n“”"') for _ in range(rnd.randint(0, 24)))
        assert find_quotes(text) == _reference(text), text


def _analyse(text: str) -> Analysis:
    return default_pipeline()(Document(id="a", text=text))


def test_people_lookups_see_the_last_entry_at_or_before_the_sentence_being_read() -> None:
    """Sentences may be read out of order (view.People); a lookup answers as in-order reading."""
    people = People()
    people.at = 5
    people["Bennett"] = Person("Bruce Bennett", "analyst", None)
    people.at = 2  # an earlier sentence read late
    people["Bennett"] = Person("Ann Bennett", "government", "USA")
    assert people.get("Bennett") == Person("Ann Bennett", "government", "USA")
    people.at = 7
    assert people["Bennett"].name == "Bruce Bennett"
    people.at = 1
    assert "Bennett" not in people


def test_a_speaker_named_earlier_is_read_back_when_a_later_claim_needs_it() -> None:
    text = (
        "Bruce Bennett, an analyst at the RAND Corporation, said the talks were stalled. "
        "Markets fell on Tuesday, traders said. "
        "Bennett said Iran had shipped drones to Russia. "
        "Analysts said the port was busy. "
        "He added that North Korea sent shells to Russia."
    )
    an = _analyse(text)
    got = {(c.supplier, c.source.name, c.source.type) for c in an.claims}
    assert got == {("IRN", "Bruce Bennett", "analyst"), ("PRK", "Bruce Bennett", "analyst")}


def test_a_sentence_with_a_reporting_verb_that_nothing_needs_is_not_read() -> None:
    text = (
        "Markets fell on Tuesday, traders said. "
        "Iran has shipped drones to Russia, Ukraine's defence ministry said."
    )
    an = _analyse(text)
    assert [(c.supplier, c.source.type) for c in an.claims] == [("IRN", "government")]
    assert sorted(an.speech) == [1]


def test_a_surname_lookup_reads_only_the_skipped_sentences_that_hold_it() -> None:
    text = (
        "Markets fell on Monday, traders said. "
        "Bruce Bennett, an analyst at the RAND Corporation, said the talks were stalled. "
        "Prices rose on Tuesday, dealers said. "
        "Bennett said Iran had shipped drones to Russia."
    )
    an = _analyse(text)
    assert [(c.source.name, c.source.type) for c in an.claims] == [("Bruce Bennett", "analyst")]
    assert sorted(an.speech) == [1, 3]
