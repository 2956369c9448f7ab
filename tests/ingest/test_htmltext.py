"""`armstrace.ingest.htmltext`: feed-entry HTML to one paragraph per line."""

from __future__ import annotations

import pytest

from armstrace.ingest.htmltext import html_to_text


@pytest.mark.parametrize(
    "fragment, text",
    [
        ("<p>One\n  two <b>three</b></p><p>Four<br>five</p>", "One two three\nFour\nfive"),
        ("<ul><li>a</li><li>b</li></ul>tail &amp; more", "a\nb\ntail & more"),
        ("<p>x</p><script>alert(1)</script><style>p{}</style>", "x"),
        ("plain text\n\nsecond paragraph", "plain text\nsecond paragraph"),
        ("", ""),
        ("<div>" * 100_000, ""),
        ("<p>caf&eacute; &#8212; ok</p>", "café — ok"),
    ],
)
def test_html_to_text(fragment: str, text: str) -> None:
    assert html_to_text(fragment) == text
