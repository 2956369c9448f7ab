"""Whole-word matching on the word mask, and what `Lexicons.match_all` hands out."""

from __future__ import annotations

from pathlib import Path

import pytest

from armstrace.extract.lexicon import Lexicons, hit_entries, load_entries, mentions_of


def _mini(tmp_path: Path) -> Lexicons:
    (tmp_path / "weapons.tsv").write_text(
        "w.f-16\taircraft\tdesignation\tF-16\n"
        "g.drone\tuav\tgeneric\tdrone\n"
        "g.suicide-drone\tloitering_munitions\tgeneric\tsuicide drone\n",
        encoding="utf-8",
    )
    (tmp_path / "actors.tsv").write_text(
        "s.usa\tUSA\tstate\tUS|United States|U.S.\ns.tur\tTUR\tleader\tErdoğan\n",
        encoding="utf-8",
    )
    (tmp_path / "cues.tsv").write_text("c.is\tcertainty\tasserted\tis\n", encoding="utf-8")
    return Lexicons(load_entries(sorted(tmp_path.glob("*.tsv"))))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("this is", ["is"]),  # only the whole word
        ("éis isé is_ _is 1is", []),  # non-ASCII letters, "_" and digits are word characters
        ("“is” ’is’", ["is", "is"]),  # curly quotes are not
        ("is", ["is"]),  # text start and end
        ("a suicide-drone", ["drone"]),  # a hyphen is not the space of a form
        ("a suicide\ndrone", ["suicide\ndrone"]),
        ("F 16 F.16 F16 f-16", ["F 16", "F16"]),  # "F-16" is case-sensitive
        ("the U.S. and U-S", ["U.S."]),
        ("Erdoğan Erdogan Erdoğanı", ["Erdoğan"]),  # non-ASCII letters compared as written
    ],
)
def test_whole_word_hits(tmp_path: Path, text: str, expected: list[str]) -> None:
    assert [m.text for m in _mini(tmp_path).match(text)] == expected


def test_match_all_hands_out_lexicons_and_sentences(tmp_path: Path) -> None:
    lex = _mini(tmp_path)
    text = "US drone is here. It is a United States drone"
    found = lex.match_all(text, [(0, 17), (18, 34)])
    assert found.mentions == lex.match(text)
    assert {k: [m.text for m in v] for k, v in found.by_lexicon.items()} == {
        "actors": ["US", "United States"],
        "weapons": ["drone", "drone"],
        "cues": ["is", "is"],
    }
    # "United States" starts in the second sentence but ends after it; the last drone starts
    # after it: neither belongs to a sentence
    assert [[m.text for m in ms] for ms in found.by_sentence] == [["US", "drone", "is"], ["is"]]


def test_a_deferred_lexicon_comes_per_sentence_only(tmp_path: Path) -> None:
    """`defer` keeps a lexicon's hits out of the mentions; each sentence gets its own apart,
    overlaps resolved, and `mentions_of` makes them the mentions `match` gives."""
    lex = _mini(tmp_path)
    text = "US drone is here. It is a United States drone"
    sentences = [(0, 17), (18, 34)]
    found = lex.match_all(text, sentences, defer="cues")
    full = lex.match_all(text, sentences)
    assert [m for m in found.mentions if m.lexicon == "cues"] == []
    assert found.mentions == [m for m in full.mentions if m.lexicon != "cues"]
    assert "cues" not in found.by_lexicon
    assert [
        [(m.start, m.end, m.entry_id) for m in mentions_of(text, hits)] for hits in found.deferred
    ] == [
        [(9, 11, "c.is")],
        [(21, 23, "c.is")],
    ]
    assert [mentions_of(text, hits) for hits in found.deferred] == [
        [m for m in ms if m.lexicon == "cues"] for ms in full.by_sentence
    ]
    assert [[e.id for e in hit_entries(hits)] for hits in found.sentence_hits] == [
        ["s.usa", "g.drone"],
        [],
    ]


def test_a_name_drops_the_weapon_and_trigger_hits_inside_it(tmp_path: Path) -> None:
    """Across lexicons only names win: a weapon or trigger hit inside an actor or source name
    is no mention, unless it is the whole name ("Patriot" the company and the system)."""
    (tmp_path / "actors.tsv").write_text(
        "o.prc-rf\tCHN\tgovernment\tRocket Force|Rocket Launchers Brigade\n"
        "o.patriot\tUSA\tcompany\tPatriot\n",
        encoding="utf-8",
    )
    (tmp_path / "weapons.tsv").write_text(
        "g.rocket\tartillery\tgeneric\trocket\n"
        "g.launcher\tartillery\tgeneric\trocket launchers\n"
        "w.patriot\tair_defence\tdesignation\tPatriot\n",
        encoding="utf-8",
    )
    (tmp_path / "triggers.tsv").write_text("t.force\ttransfer\tgive\t-\tforce\n", encoding="utf-8")
    lex = Lexicons(load_entries(sorted(tmp_path.glob("*.tsv"))))
    text = "The Rocket Force and the Rocket Launchers Brigade got a rocket and a Patriot."
    found = [(m.text, m.lexicon) for m in lex.match(text)]
    assert found == [
        ("Rocket Force", "actors"),
        ("Rocket Launchers Brigade", "actors"),
        ("rocket", "weapons"),
        ("Patriot", "actors"),
        ("Patriot", "weapons"),
    ]
