"""Timing, stage and polarity read from the claim's own clause (SPEC §4).

The gold-sentence tests check which claims come out; these check the attributes of one claim
where a rule decides them, so a change to the rule shows here by name.
"""

from __future__ import annotations

import pytest

from armstrace.extract.pipeline import extract


@pytest.mark.parametrize(
    ("text", "timing", "stage"),
    [
        # an infinitive under a causative told in the past happened then
        (
            "The invasion prompted Western governments to send howitzers to Ukraine.",
            "past",
            "delivered",
        ),
        ("The war forced Germany to send tanks to Ukraine.", "past", "delivered"),
        ("Iranian networks started to provide anti-tank missiles to Russia.", "past", "delivered"),
        # an infinitive under a plan or a modal has not happened yet
        ("Germany plans to send tanks to Ukraine.", "future", "agreed"),
        ("Germany will send tanks to Ukraine.", "future", "agreed"),  # a stated commitment
        # a parenthetical speech verb is not the event's own commitment
        ("Russia, they agreed, bought Shahed drones from Iran last year.", "past", "delivered"),
    ],
)
def test_timing_and_stage(text: str, timing: str, stage: str) -> None:
    claims = extract(text)
    assert len(claims) == 1, claims
    assert (claims[0].timing, claims[0].stage) == (timing, stage)
