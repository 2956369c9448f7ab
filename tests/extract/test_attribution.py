"""Attribution helpers that have a simpler reference definition."""

from __future__ import annotations

import random

import pytest

from armstrace.extract.attribution import QUOTE_MAX, QUOTE_RE, find_quotes


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
