"""The component registry: named, checked, replaceable (docs/pipeline.md)."""

from __future__ import annotations

import inspect

import pytest

import armstrace
from armstrace.errors import ConfigError
from armstrace.extract.pipeline import DEFAULT_PIPELINE, REGISTRY, Pipeline, component
from armstrace.extract.view import Analysis
from armstrace.models import Document


def test_unknown_component_is_a_clear_error() -> None:
    with pytest.raises(ConfigError, match="unknown pipeline component 'nope'"):
        Pipeline(["sentences", "nope"])


def test_requirements_are_checked_in_order() -> None:
    with pytest.raises(ConfigError, match="requires \\['mentions'\\]"):
        Pipeline(["sentences", "events"])


def test_a_user_component_runs_after_the_defaults() -> None:
    calls: list[int] = []

    @component("test-count-claims", requires=["claims"], assigns=["claims"])
    def _factory(lexicons: object) -> object:
        def run(an: Analysis) -> Analysis:
            calls.append(len(an.claims))
            an.claims = [c for c in an.claims if c.item_category != "uav"]
            return an

        return run

    try:
        pipe = Pipeline([*DEFAULT_PIPELINE, "test-count-claims"])
        text = "Iran has shipped drones and artillery shells to Russia."
        claims = pipe.analyse(Document(id="a", text=text))
        assert calls == [2]
        assert [c.item_category for c in claims] == ["ammunition"]
    finally:
        REGISTRY.pop("test-count-claims")


def test_public_namespace_matches_all() -> None:
    """httpx-style: every public name is in __all__ and everything in __all__ exists."""
    public = {
        n
        for n, v in vars(armstrace).items()
        if not n.startswith("_") and not inspect.ismodule(v) and n != "annotations"
    }
    assert public == set(armstrace.__all__) - {"__version__"}
    assert all(hasattr(armstrace, n) for n in armstrace.__all__)


def test_extract_api_docstring_example() -> None:
    claims = armstrace.extract(
        "Officials in Kyiv said on Monday that Iran had shipped about 300 drones to Russia "
        "since May.",
        outlet="Example Wire",
    )
    assert len(claims) == 1
    c = claims[0]
    assert (c.supplier, c.recipient, c.item_category) == ("IRN", "RUS", "uav")  # SPEC §9 example 1
    assert c.quantity is not None and (c.quantity.value, c.quantity.qualifier) == (300, "approx")
    assert (c.certainty, c.polarity, c.timing) == ("certain", "affirmed", "past")
    assert c.source.type == "government" and c.source.name is not None and "Kyiv" in c.source.name


def test_assembly_needs_the_discourse_step() -> None:
    """Roles carried over between sentences are filled by `discourse`; assembling without it
    would silently drop every transfer whose recipient was named a sentence earlier."""
    with pytest.raises(ConfigError, match="requires \\['roles'\\]"):
        Pipeline(["sentences", "lexicon", "events", "attribution", "assemble"])


def test_discourse_keeps_only_events_that_can_make_claims() -> None:
    text = "Ukraine asked its allies for more air defence. Germany sent Patriot systems."
    doc = Document(id="a", text=text)
    before = Pipeline(["sentences", "lexicon", "events"])(doc)
    after = Pipeline(["sentences", "lexicon", "events", "discourse"])(doc)
    # the request names no supplier: no claim, so later steps never spend work on it; the
    # Patriot transfer takes its recipient from the sentence before
    assert [(e.sentence, [r.actor for r in e.recipients]) for e in before.events] == [
        (0, ["UKR"]),
        (1, []),
    ]
    assert [(e.sentence, [r.actor for r in e.recipients]) for e in after.events] == [(1, ["UKR"])]


def test_every_frame_reading_opens_a_view_and_no_other_does() -> None:
    """The events step tokenises a sentence only for trigger readings that have a frame; a new
    frame in triggers.tsv must be added to FRAME_ROLES or its sentences are never read."""
    from armstrace.extract.lexicon import default_lexicons
    from armstrace.extract.pipeline import FRAME_ROLES, TRANSFER_FRAMES

    roles = {e.role for e in default_lexicons().entries if e.lexicon == "triggers"}
    assert set(TRANSFER_FRAMES) | {"do", "dnoun", "anoun"} == FRAME_ROLES
    assert roles - FRAME_ROLES == {"sign"}
    text = "Russia and Iran signed in Tehran while drones flew overhead."
    only_sign = Document(id="a", text=text)
    an = Pipeline(["sentences", "lexicon", "events"])(only_sign)
    assert any(m.role == "sign" for m in an.by_sentence[0])
    assert an.views == {}


def test_cue_hits_become_mentions_only_in_views() -> None:
    """The lexicon step defers the cues (`Matches.deferred`): the mentions hold none, and a
    view built from the deferred hits reads the same cues as one built from all mentions."""
    from armstrace.extract.lexicon import default_lexicons
    from armstrace.extract.view import SentenceView

    text = (
        "Officials said Iran has not shipped drones. "
        "According to the report, it would be sending about 300 missiles to Russia."
    )
    an = Pipeline(["sentences", "lexicon"])(Document(id="a", text=text))
    assert all(m.lexicon != "cues" for m in an.mentions)
    assert all(len(hits) >= 2 for hits in an.cue_hits)
    full = default_lexicons().match_all(text, an.sentences)
    for k, (start, end) in enumerate(an.sentences):
        lazy = an.view(k)
        eager = SentenceView.build(text, k, start, end, full.by_sentence[k])
        assert lazy.cue_types == eager.cue_types
        for lexicon in ("actors", "weapons", "sources"):
            assert [lazy.mention_at(lexicon, i) for i in range(len(lazy.low))] == [
                eager.mention_at(lexicon, i) for i in range(len(eager.low))
            ]
