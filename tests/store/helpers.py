"""Documents and a deterministic stand-in extractor for store tests.

The store must keep whatever the extractor gives it, so most store tests use `fake_extract`,
whose claims depend only on the text: the tests then hold while the real extractor changes.
The kill -9 and CLI tests run the real pipeline.
"""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

from armstrace.models import Claim, Document, Quantity, Source, Span

_SHIP = re.compile(r"(\w[\w ]*?) shipped (?:(\d+) )?([\w -]+?) to (\w+)")
_SENT = re.compile(r"[^.!?]+[.!?]?")


def fake_extract(doc: Document) -> list[Claim]:
    """One transfer claim per "X shipped [N] ITEM to Y" sentence, with real offsets."""
    claims = []
    for s in _SENT.finditer(doc.text):
        m = _SHIP.search(s.group())
        if not m:
            continue
        start = s.start() + (len(s.group()) - len(s.group().lstrip()))
        trig = s.start() + m.start() + len(m.group(1)) + 1
        n = m.group(2)
        claims.append(
            Claim(
                kind="transfer",
                supplier=m.group(1).split()[-1][:3].upper(),
                recipient=m.group(4)[:3].upper(),
                item_text=m.group(3),
                item_category="ammunition" if "shell" in m.group(3) else "weapons_unspecified",
                quantity=Quantity(int(n), "exact", m.group(3).split()[-1]) if n else None,
                stage="delivered",
                certainty="certain",
                polarity="affirmed",
                timing="past",
                source=Source("Example Wire", "outlet"),
                evidence=[Span(start, s.end())],
                trigger=Span(trig, trig + len("shipped")),
                confidence=0.5,
                rules=["frame:fake"],
                lexicon_ids=["t.fake"],
            )
        )
    return claims


def docs_fixture() -> list[Document]:
    return [
        Document(
            id="d1",
            title="Shells to Moscow",
            outlet="Example Wire",
            date="2024-11-02",
            text="North Korea shipped 300 artillery shells to Russia. Officials said so.",
        ),
        Document(
            id="d2",
            title="Drone deliveries",
            outlet="Example Wire",
            date="2024-11-03",
            url="https://example.org/d2",
            text="Iran shipped drones to Russia. Tehran denied it.",
        ),
        Document(
            id="d3",
            title="Unrelated",
            outlet="Local News",
            date="2024-11-04",
            text="The football club completed the transfer of its striker on Monday.",
        ),
    ]


_WORDS = (
    "officials",
    "ministry",
    "convoy",
    "border",
    "port",
    "railway",
    "satellite",
    "images",
    "analysts",
    "report",
    "week",
    "sanctions",
    "envoy",
    "talks",
    "summit",
    "factory",
    "plant",
    "warehouse",
    "freight",
    "vessel",
    "cargo",
    "customs",
    "budget",
    "parliament",
    "committee",
    "hearing",
    "spokesman",
    "statement",
    "evidence",
    "researchers",
    "institute",
    "survey",
    "harbour",
    "airfield",
    "runway",
    "depot",
    "brigade",
    "regiment",
    "exercise",
    "drills",
    "coast",
    "island",
    "bridge",
    "tunnel",
    "highway",
    "district",
    "province",
    "capital",
    "council",
    "minister",
    "deputy",
    "adviser",
    "contract",
    "tender",
    "audit",
)
_SUPPLIERS = ("North Korea", "Iran", "Belarus", "China", "Russia", "Turkey")
_ITEMS = ("artillery shells", "drones", "ballistic missiles", "tanks", "rifles", "radars")


def article(i: int) -> str:
    """A small generated article, distinct from the others except on purpose: every 10th is
    an exact copy of the wire story (article 0), every 25th an edited copy of article 1."""
    if i % 10 == 0:
        i = 0
    rng = random.Random(i)
    sup = _SUPPLIERS[i % len(_SUPPLIERS)]
    item = _ITEMS[(i // len(_SUPPLIERS)) % len(_ITEMS)]

    def filler() -> str:
        return " ".join(rng.choice(_WORDS) for _ in range(14)).capitalize() + "."

    body = (
        f"{sup} shipped {100 + i} {item} to Russia, officials said on Monday.\n"
        f"{filler()} {filler()}\n{filler()} {filler()}\n"
        f"Analysts said {sup} may also have sent drones to Russia.\n"
    )
    if i % 25 == 1 and i > 1:  # a republisher's copy of article 1: new intro, a footer
        return f"{filler()}\n" + article(1) + "This article originally appeared on Example Wire.\n"
    return body


def write_articles(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"a{i:04d}.txt").write_text(article(i), encoding="utf-8")
    return folder


def comparable(doc: dict[str, Any]) -> dict[str, Any]:
    """An exported document without fields that legitimately differ between runs."""
    return {k: v for k, v in doc.items() if k not in ("source_path",)}
