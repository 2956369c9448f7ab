"""Which system an item phrase names (fixtures/designations.tsv: one case a line), and the
alias file's validation."""

from __future__ import annotations

from pathlib import Path

import pytest

from armstrace.errors import LexiconError
from armstrace.fuse.designations import SystemResolver, default_aliases, load_aliases

CASES = [
    tuple(line.split("\t"))
    for line in (Path(__file__).parent / "fixtures" / "designations.tsv")
    .read_text(encoding="utf-8").splitlines()
    if line and not line.startswith("#")
]


@pytest.mark.parametrize(("phrase", "system"), CASES, ids=[c[0] for c in CASES])
def test_phrase_names_system(phrase: str, system: str) -> None:
    assert SystemResolver().system(phrase) == (system or None)


def test_shipped_alias_file_loads() -> None:
    assert default_aliases()["GERAN2"] == "shahed-136"


@pytest.mark.parametrize(
    ("text", "error"),
    [("no-tab-here", "x.tsv:1: expected"), ("a\tKN-23\nb\tKN 23", "x.tsv:2: 'KN 23' already")],
)
def test_bad_alias_file_names_file_and_line(text: str, error: str) -> None:
    with pytest.raises(LexiconError, match=error):
        load_aliases(text, "x.tsv")
