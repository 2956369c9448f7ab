"""Turn an HTML fragment (a feed entry's content) into plain text with one paragraph per line.

Feed content is already the article, so it needs no boilerplate removal, only markup removal;
trafilatura's page heuristics would drop short entries. Block elements end a line, inline
ones do not, and whitespace inside a line collapses to single spaces, which gives the same
shape of text as the HTML reader (trafilatura's plain-text output), so offsets and shingles
from either kind of input behave alike.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
    "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav",
    "ol", "p", "pre", "section", "table", "tbody", "td", "th", "thead", "tr", "ul",
})
DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "object", "svg", "form")

_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_MARK = "\u2029"  # paragraph separator: cannot occur in the markup we were given, see below


def html_to_text(fragment: str) -> str:
    """Plain text of `fragment`; "" for empty or markup-only input. Never raises on bad HTML."""
    if "<" not in fragment and "&" not in fragment:
        return _tidy(fragment.replace(_MARK, " ").replace("\n", _MARK))
    try:
        root = lxml.html.fragment_fromstring(fragment.replace(_MARK, " "), create_parent="div")
    except (etree.ParserError, ValueError):
        return ""
    etree.strip_elements(root, *DROP_TAGS, with_tail=False)
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag.lower() in BLOCK_TAGS:
            el.tail = _MARK + (el.tail or "")
            if el.tag.lower() != "br":
                el.text = _MARK + (el.text or "")
    return _tidy(str(root.text_content()).replace("\n", " "))


def _tidy(text: str) -> str:
    """Collapse spaces in each paragraph (split on _MARK) and drop empty ones."""
    lines = (_SPACES.sub(" ", ln).strip() for ln in text.split(_MARK))
    return "\n".join(ln for ln in lines if ln)
