"""Read republication lines ("originally appeared on X", "(Reuters) -") into an outlet chain.

A republished article says where it came from, in a small set of conventional places: a wire
dateline at the very start ("WASHINGTON (AP) —", "LONDON, March 3 (Reuters) -", "AP —") and a
credit line at the top or bottom ("This article originally appeared on X", "Reprinted with
permission from X", "Source: X"). Only those places are searched (the first and last few
lines), because the same words in the middle of a story are reporting, not a credit.

The chain is ordered outermost first, as SPEC §5 orders `via`: the outlet this copy was taken
from (the credit line) before the wire service that wrote it (the dateline). The document's own
outlet is left out: a Reuters story on reuters.com was not passed through Reuters.
"""

from __future__ import annotations

import re

HEAD_LINES = 3
TAIL_LINES = 5
MAX_LINE = 600  # a credit sits in a short line; a long one is prose

# wire services that put their name, bare, before a dash at the start of a story
WIRES = (
    "AP", "AFP", "Reuters", "UPI", "Xinhua", "TASS", "dpa", "DPA", "ANSA", "EFE", "PA", "Yonhap",
    "Kyodo", "Bloomberg", "PTI", "IANS", "Anadolu", "Interfax", "RIA Novosti", "IRNA", "KCNA",
    "Ukrinform", "Jiji", "CNA", "Bernama", "Antara", "Reuters/AP",
)
_DASH = r"(?:-{1,2}|—|–)"
_MONTHS = (r"(?:January|February|March|April|May|June|July|August|September|October|November"
           r"|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b\.?")

# "WASHINGTON (AP) —", "KYIV, Ukraine, March 3 (Reuters) -", "(Reuters) -"
_DATELINE = re.compile(
    rf"^\s*(?:[A-Z][\w'’.,/ -]{{0,80}}?\s)?\((?P<agency>[A-Za-z][\w&'’./ -]{{0,40}}?)\)\s*{_DASH}\s"
)
# "AP —", "Reuters - "
_BARE_WIRE = re.compile(
    rf"^\s*(?P<agency>{'|'.join(re.escape(w) for w in WIRES)})\s*{_DASH}\s", re.IGNORECASE
)
# the outlet: up to a sentence end, a date, a licence clause or a separator
_OUTLET = r"(?P<outlet>[^\n]{2,120}?)"
_END = (
    rf"(?=\s+(?:on|in)\s+(?:\d|{_MONTHS}|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)"
    r"|\s+under\b|\s+and\s+is\b|\s+and\s+has\b|\s+with\s+permission|\s+\(|,|;|:\s|\s[|—–]\s"
    r"|\s-\s|[.!?]\s|[.!?]?\s*$)"
)
_CREDITS = [
    re.compile(p + _OUTLET + _END, re.IGNORECASE)
    for p in (
        # "This article originally appeared on X", "... was first published in X",
        # "Originally published by X", "This post first ran at X"
        r"(?:(?:^|[.!?]\s)[\W_]*|\b(?:article|story|post|piece|report|column|essay|op-ed|"
        r"commentary|analysis|interview|version|this|it)\b(?:\s+(?:was|has\s+been|is))?\s+)"
        r"(?:originally|first)\s+(?:appeared|published|posted|ran|printed)\s+"
        r"(?:(?:on|in|at|by|with)\s+)?(?:the\s+website\s+of\s+)?",
        # "Reprinted with permission from X", "Republished with permission of X",
        # "Republished from X", "Reproduced courtesy of X"
        r"\b(?:re-?printed|re-?published|reproduced|re-?posted|syndicated)\s+"
        r"(?:(?:here\s+)?with\s+(?:the\s+)?(?:kind\s+)?permission\s+(?:from|of)\s+"
        r"|courtesy\s+of\s+|from\s+|by\s+arrangement\s+with\s+)",
    )
]
_WHEN = re.compile(rf"^(?:{_MONTHS}|\d|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|print\b|paper\b)",
                   re.IGNORECASE)
# "Source: X" as a whole short line
_SOURCE_LINE = re.compile(r"^\s*(?:source|sources|via)\s*:\s*(?P<outlet>[^\n]{2,80}?)\s*\.?\s*$",
                          re.IGNORECASE)
_URL = re.compile(r"^(?:https?://)?(?:www\.)?(?P<host>[\w.-]+\.[a-z]{2,})(?:/\S*)?$",
                  re.IGNORECASE)


def _clean(name: str) -> str | None:
    name = name.strip().strip("\"'“”‘’*_[]()<>").strip().rstrip(".,;:!?").strip()
    name = re.sub(r"\s+", " ", name)
    if m := _URL.match(name):
        name = m.group("host")
    name = re.sub(r"^(?:the\s+)?(?:website|site|blog|pages)\s+(?:of\s+)?", "", name, flags=re.I)
    if not name or len(name) > 80 or len(name.split()) > 8 or not any(c.isalpha() for c in name):
        return None
    if name.lower() in {"this", "here", "it", "the", "our site", "this site", "this website"}:
        return None
    if _WHEN.match(name):  # "first published on Tuesday", "... in 2019": a date, not an outlet
        return None
    return name


def _key(name: str) -> str:
    key = re.sub(r"[\W_]+", "", name.casefold())
    return re.sub(r"(?:com|org|net|couk|co)$", "", key) or key


def _lines(text: str) -> tuple[list[str], list[str]]:
    lines = [ln for ln in text.splitlines() if ln.strip()]
    head = lines[:HEAD_LINES]
    tail = lines[max(HEAD_LINES, len(lines) - TAIL_LINES):]
    return head, tail


def _credits(lines: list[str]) -> list[str]:
    found: list[str] = []
    for line in lines:
        if m := _SOURCE_LINE.match(line):
            found.append(m.group("outlet"))
            continue
        # a credit opens or closes its paragraph: in a long one, only the two ends count
        ends = [line] if len(line) <= MAX_LINE else [line[:MAX_LINE], line[-MAX_LINE:]]
        for segment in ends:
            for pattern in _CREDITS:
                found.extend(m.group("outlet") for m in pattern.finditer(segment))
    return found


def parse_via(text: str, outlet: str | None = None) -> tuple[str, ...]:
    """Outlets this text passed through, outermost first, without `outlet` itself."""
    head, tail = _lines(text)
    names = _credits(head) + _credits(tail)
    first = head[0] if head else ""
    if m := (_DATELINE.match(first) or _BARE_WIRE.match(first)):
        names.append(m.group("agency"))
    out: list[str] = []
    seen = {_key(outlet)} if outlet else set()
    for raw in names:
        name = _clean(raw)
        if name is None or _key(name) in seen:
            continue
        seen.add(_key(name))
        out.append(name)
    return tuple(out)
