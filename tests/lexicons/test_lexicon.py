"""Lexicon loading, validation (file:line errors) and matching rules (docs/lexicons.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from armstrace.errors import LexiconError
from armstrace.extract.lexicon import Lexicons, default_lexicons, load_entries, load_file

FIXTURES = Path(__file__).parent / "fixtures"
BAD = [json.loads(line) for line in (FIXTURES / "bad_cases.jsonl").read_text().splitlines()]


@pytest.mark.parametrize("case", BAD, ids=[c["error"][:40] for c in BAD])
def test_bad_lexicon_line_is_reported_with_file_and_line(
    tmp_path: Path, case: dict[str, str]
) -> None:
    path = tmp_path / case["file"]
    path.write_text(case["content"], encoding="utf-8")
    with pytest.raises(LexiconError) as err:
        load_file(path)
    assert case["error"] in str(err.value)
    assert str(err.value).startswith("E200 ")


def test_shipped_lexicons_load_and_cover_every_kind() -> None:
    lex = default_lexicons()
    stems = {e.lexicon for e in lex.entries}
    assert stems == {"actors", "sources", "weapons", "triggers", "cues"}
    assert (
        len([e for e in lex.entries if e.lexicon == "weapons" and e.role == "designation"]) >= 300
    )
    assert lex.is_actor("PRK") and lex.is_actor("NATO") and not lex.is_actor("XYZ")


def test_timing_cues_are_phrases_only() -> None:
    """No rule reads a timing cue (timing comes from the verb group, extract/modality.py): a
    timing phrase only keeps its words from another reading ("agreed to send" plans a
    transfer, it reports no speech). A single word cannot do that, and would only cost a hit
    per occurrence, so the shipped lexicon lists none (docs/lexicons.md)."""
    timing = [e for e in default_lexicons().entries if e.lexicon == "cues" and e.role == "timing"]
    assert timing
    assert [f for e in timing for f in e.forms if " " not in f] == []


def test_a_timing_phrase_keeps_a_speech_verb_from_being_read() -> None:
    from armstrace import extract

    [claim] = extract("Germany agreed to send Leopard tanks to Ukraine.", outlet="Example Wire")
    assert claim.source.type == "outlet"  # not Germany speaking through "agreed"
    [claim] = extract("Germany agreed that it will send Leopard tanks to Ukraine.")
    assert claim.source.cue == "agreed"


def _mini(tmp_path: Path) -> Lexicons:
    (tmp_path / "weapons.tsv").write_text(
        "w.shahed-136\tloitering_munitions\tdesignation\tShahed-136\n"
        "w.patriot\tair_defence\tdesignation\tPatriot\n"
        "g.drone\tuav\tgeneric\tdrone\n"
        "g.suicide-drone\tloitering_munitions\tgeneric\tsuicide drone\n"
        "g.tank\tarmoured_vehicles\tgeneric\ttank\n"
        "s.think-tank\t-\tstop\tthink tank\n",
        encoding="utf-8",
    )
    (tmp_path / "actors.tsv").write_text(
        "s.usa\tUSA\tstate\tUS|United States\nd.rus\tRUS\tdemonym\tRussian\n"
        "g.rus.mod\tRUS\tgovernment\tRussian Defence Ministry\n",
        encoding="utf-8",
    )
    return Lexicons(load_entries(sorted(tmp_path.glob("*.tsv"))))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a Shahed 136 hit", [("Shahed 136", "loitering_munitions")]),  # hyphen ↔ space variant
        ("two Shahed136s", [("Shahed136s", "loitering_munitions")]),  # no separator + plural
        (
            "suicide drones and drones",
            [("suicide drones", "loitering_munitions"), ("drones", "uav")],
        ),
        ("a think tank said", []),  # stop entry blocks "tank"
        ("the Patriot Act", [("Patriot", "air_defence")]),
        ("a patriot at heart", []),  # capitalised form matches exactly as written
        ("tanks", [("tanks", "armoured_vehicles")]),
        ("antitank", []),  # whole words only
        ("a suicide\ndrone", [("suicide\ndrone", "loitering_munitions")]),  # wire copy line break
    ],
)
def test_weapon_matching_rules(tmp_path: Path, text: str, expected: list[tuple[str, str]]) -> None:
    got = [(m.text, m.value) for m in _mini(tmp_path).match(text) if m.lexicon == "weapons"]
    assert got == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the US said", [("US", "USA")]),
        ("let us go", []),  # case-sensitive form: "us" is not the US
        (
            "the Russian Defence Ministry said",
            [("Russian Defence Ministry", "RUS")],
        ),  # longest wins
        ("the United\r\nStates said", []),  # two characters are not one space
        ("the United\nStates said", [("United\nStates", "USA")]),  # exact form across a break
    ],
)
def test_actor_matching_rules(tmp_path: Path, text: str, expected: list[tuple[str, str]]) -> None:
    got = [(m.text, m.value) for m in _mini(tmp_path).match(text) if m.lexicon == "actors"]
    assert got == expected


def test_offsets_survive_length_changing_lowercase(tmp_path: Path) -> None:
    # "İ".lower() is two characters: offsets must still point into the original text
    text = "İİİ the United States sent drones"
    got = [m for m in _mini(tmp_path).match(text) if m.lexicon == "actors"]
    assert [text[m.start : m.end] for m in got] == ["United States"]


def test_lookup_finds_whole_term_only(tmp_path: Path) -> None:
    lex = _mini(tmp_path)
    assert [e.id for e in lex.lookup("Shahed-136")] == ["w.shahed-136"]
    assert lex.lookup("Shahed-136 drones") == []
