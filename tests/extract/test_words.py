"""The rules' word lists (extract/words.py): one copy of each, in the form tokens are compared in,
and the differences between look-alike lists that the module's comments explain."""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path
from types import ModuleType

import pytest

from armstrace.extract import words

WORD_SETS: dict[str, frozenset[str]] = {n: v for n, v in vars(words).items() if n.isupper()}

# where each list lived before it moved; the module still reads it, now from `words`
MOVED_FROM = {
    "view": ["CLAUSE_BREAK", "PREPOSITIONS", "DETERMINERS"],
    "roles": [
        "SUBJECT_PRONOUNS",
        "COUNTRY_NOUNS",
        "ITEM_PRONOUNS",
        "SUBJECT_STOP",
        "BE_FORMS",
        "AUXILIARIES",
        "RECIPIENT_PREPS",
        "UNNAMED_SUBJECTS",
    ],
    "attribution": [
        "PERSON_NOUNS",
        "LEADER_TITLES",
        "PASSIVE_BE",
        "PERSON_TITLES",
        "PRONOUN_SPEAKERS",
        "DOCUMENT_NOUNS",
        "ANAPHORIC_DOCS",
        "CALENDAR_WORDS",
        "WEEKDAYS",
        "WIKI_QUOTES",
    ],
    "frames": [
        "PURPOSE_VERBS",
        "TOPIC_PREPOSITIONS",
        "UNIT_NOUNS",
        "PROGRAMME_NOUNS",
        "ACTOR_HEADS",
        "NUMBER_WORDS",
        "QUANTITY_LEADS",
        "RELATIVE_PRONOUNS",
        "TO_FOR",
        "FROM",
        "BY",
        "WITH",
        "HELP_VERBS",
        "SUPPORT_VERBS",
        "SELL_NOUNS",
    ],
    "modality": [
        "CAUSATIVES",
        "AUX_SKIP",
        "PAST_AUX",
        "FUTURE_AUX",
        "WILL",
        "PRESENT_BE",
        "LIGHT_VERBS",
        "TENSE_NEUTRAL",
        "PLAN_WORDS",
        "PLAN_VERBS",
        "START_VERBS",
        "CONTINUING",
        "TENTATIVE",
        "HARD_BREAK",
    ],
    "pipeline": ["DEFINITE", "CITING"],
}


def _extract_modules() -> list[ModuleType]:
    # `armstrace.extract` the attribute is the extraction function; the package is imported by
    # its full name
    package = importlib.import_module("armstrace.extract")
    return [
        importlib.import_module(f"armstrace.extract.{info.name}")
        for info in pkgutil.iter_modules(package.__path__)
        if info.name != "words"
    ]


def test_every_moved_list_is_in_words() -> None:
    moved = {name for names in MOVED_FROM.values() for name in names}
    assert moved - WORD_SETS.keys() == set()
    assert WORD_SETS.keys() - moved == set()


@pytest.mark.parametrize("name", sorted(WORD_SETS))
def test_a_word_list_is_a_set_of_lowercased_tokens(name: str) -> None:
    found = WORD_SETS[name]
    assert isinstance(found, frozenset)
    assert found
    for word in found:
        assert isinstance(word, str)
        assert word, name
        assert word == word.lower(), (name, word)  # the rules compare `SentenceView.low`
        assert not any(c.isspace() for c in word), (name, word)  # one token, never a phrase


@pytest.mark.parametrize("module", sorted(MOVED_FROM))
def test_a_module_reads_the_one_copy_in_words(module: str) -> None:
    mod = importlib.import_module(f"armstrace.extract.{module}")
    for name in MOVED_FROM[module]:
        assert getattr(mod, name, WORD_SETS[name]) is WORD_SETS[name], (module, name)


def test_no_extract_module_keeps_its_own_copy() -> None:
    """No module defines a list of a name in `words`, or the same words under another name."""
    for mod in _extract_modules():
        for name, value in vars(mod).items():
            if name in WORD_SETS:
                assert value is WORD_SETS[name], (mod.__name__, name)
            elif isinstance(value, frozenset) and value:
                copies = [n for n, s in WORD_SETS.items() if s == value]
                assert copies == [], (mod.__name__, name, copies)


def test_words_imports_nothing_from_armstrace() -> None:
    """Every rule module imports `words`; it must not import them back."""
    tree = ast.parse(Path(words.__file__).read_text(encoding="utf-8"))
    imported = [
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    ]
    assert [m for m in imported if m != "__future__"] == []


def test_look_alike_lists_differ_as_documented() -> None:
    w = words
    # a passive reporting verb takes only the full forms of "be"
    assert {"'s", "'re", "get", "got"} == w.BE_FORMS - w.PASSIVE_BE
    assert w.PASSIVE_BE < w.BE_FORMS
    # present "be" is for the ongoing tense, not passives
    assert {"am"} == w.PRESENT_BE - w.BE_FORMS
    # the derived lists hold what they derive from
    assert w.BE_FORMS < w.AUXILIARIES
    assert {
        "forces",
        "army",
        "military",
        "rebels",
        "fighters",
        "militants",
    } == w.ACTOR_HEADS - w.COUNTRY_NOUNS
    # a hedge reaches across asides and relative clauses that end a role's clause
    assert w.HARD_BREAK < w.CLAUSE_BREAK
    assert {":", "—", "(", "which", "who"} <= w.CLAUSE_BREAK - w.HARD_BREAK
    # a recipient goes "into" a place only after a verb
    assert {"into"} == w.RECIPIENT_PREPS - w.TO_FOR
    # the same pronouns can be a subject and a speaker: one list under two names
    assert w.PRONOUN_SPEAKERS is w.SUBJECT_PRONOUNS
    # the future proper is a part of the modals
    assert w.WILL < w.FUTURE_AUX
    assert w.DEFINITE < w.DETERMINERS
    # a document that points back at an organisation vs one whose author follows it
    assert {"agency", "dispatch", "article"} == w.ANAPHORIC_DOCS - w.DOCUMENT_NOUNS
