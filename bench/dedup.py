"""Syndication detection quality and speed, on copies made at run time from ../shared/corpus.

usage: python bench/dedup.py [POOL_JSONL] [--seed N] [--repeat N]

Every story of the pool (../shared/corpus/pool.jsonl, read-only, never copied into the
repository) is an original. From each, the bench makes 2 to 5 republished copies with the
edits seen in the wild, several per copy: a republisher's footer, a wire dateline, a trimmed
ending, an added paragraph, a new intro, a changed headline, light copy-editing. As hard
negatives it adds same-topic round-up stories: one new paragraph, one background paragraph of
an original, and one paragraph from each of up to three other stories of the same topic (the
pool's `topic_guess`). The pool's own stories, many on the same topics (arms transfers,
embargoes, missile tests), are the other negatives. Copies carry later dates than their
original, and everything is shuffled, so copies often arrive first and `copy_of` has to be
re-pointed (as `armstrace.ingest.syndication` tells the store to).

Printed: pairwise precision, recall and F1 of the story clusters against the truth, the share
of copies whose final `copy_of` is their original, and documents/s for `StoryIndex.add`
(signature, LSH query, decision and insert; best of --repeat runs).
Targets: F1 ≥ 0.95 and ≥ 1,000 documents/s. Exit 0 when both are met, 1 when not, 2 when the
pool is absent.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_POOL = REPO.parent / "shared" / "corpus" / "pool.jsonl"
TARGET_F1 = 0.95
TARGET_DOCS_PER_S = 1000.0

OUTLETS = ["Harbour Times", "Eastern Ledger", "Defence Digest", "Wire Review", "Daily Courier",
           "Gazette Online", "Security Monitor", "The Observer Post"]
INTROS = [
    "Editor's note: this report has been updated with reaction from officials.",
    "What you need to know: the latest on arms deliveries, in brief.",
    "Our correspondents have followed this story for several weeks; here is the latest.",
    "The following report was filed by our partner agency and lightly edited for length.",
    "Readers have asked us about the background to this week's announcements.",
]
ADDED = [
    "Analysts contacted for this article declined to comment on the figures before they are "
    "confirmed by independent sources.",
    "The government has not published a full list of the equipment involved, and officials "
    "said more details would be released at a later date.",
    "Previous deliveries under similar arrangements took several months to complete, "
    "according to people familiar with earlier programmes.",
    "Neither side responded immediately to requests for further comment on Tuesday evening.",
]
CITIES = ["Vienna", "Ankara", "Warsaw", "Nairobi", "Jakarta", "Lima", "Oslo", "Hanoi", "Accra",
          "Tbilisi", "Riga", "Manila", "Doha", "Quito", "Dakar", "Bern"]
ITEMS = ["patrol boats", "radar units", "transport aircraft", "armoured vehicles",
         "training rifles", "coastal sensors", "field radios", "helicopter spares"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
EDITS = {"said": "stated", "announced": "declared", "officials": "authorities",
         "weapons": "arms", "also": "additionally"}
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")


@dataclass(frozen=True)
class Item:
    doc_id: str
    text: str
    date: str
    story: str  # ground truth
    original: str  # the story's original doc id


def paragraphs(text: str) -> list[str]:
    paras = [p.strip() for p in re.split(r"\n\s*\n|\n", text) if p.strip()]
    if len(paras) >= 4:
        return paras
    sentences = [s.strip() for s in _SENTENCE.split(" ".join(text.split())) if s.strip()]
    return [" ".join(sentences[i : i + 2]) for i in range(0, len(sentences), 2)]


def _day(date: str, plus: int) -> str:
    y, m, d = (int(x) for x in date[:10].split("-"))
    return f"{y:04d}-{m:02d}-{min(28, d) + 0:02d}T{8 + plus:02d}:00:00Z"


def make_copy(rng: random.Random, paras: list[str], original: str, n: int, date: str) -> str:
    """One republished copy: several edits at once, as real republishers make them."""
    out = list(paras)
    edits = rng.sample(["trim", "add", "intro", "footer", "dateline", "copyedit"],
                       k=rng.randint(2, 4))
    if "trim" in edits and len(out) > 3:
        out = out[: max(2, round(len(out) * rng.uniform(0.45, 0.85)))]
    if "add" in edits:
        out.insert(rng.randint(1, len(out)), rng.choice(ADDED))
    if "intro" in edits:
        out.insert(0, rng.choice(INTROS))
    if "copyedit" in edits:
        out = [re.sub(r"\b(" + "|".join(EDITS) + r")\b", lambda m: EDITS[m.group(1)], p, count=1)
               for p in out]
    if "dateline" in edits:
        out[0] = f"{rng.choice(['LONDON', 'KYIV', 'WASHINGTON', 'SEOUL'])} (Reuters) - {out[0]}"
    if "footer" in edits:
        out.append(f"This article originally appeared on {rng.choice(OUTLETS)}.")
    return "\n".join(out)


def build(pool: Sequence[dict[str, str]], seed: int) -> list[Item]:
    rng = random.Random(seed)
    items: list[Item] = []
    by_topic: dict[str, list[dict[str, str]]] = {}
    for rec in pool:
        by_topic.setdefault(rec.get("topic_guess") or "", []).append(rec)
    for n, rec in enumerate(pool):
        oid, text = rec["id"], rec["text"]
        date = (rec.get("date") or f"2020-01-{1 + n % 28:02d}")[:10]
        paras = paragraphs(text)
        items.append(Item(oid, text, _day(date, 0), oid, oid))
        for c in range(rng.randint(2, 5)):
            items.append(Item(f"{oid}~copy{c}", make_copy(rng, paras, oid, c, date),
                              _day(date, 1 + c), oid, oid))
        same_topic = [r for r in by_topic.get(rec.get("topic_guess") or "", []) if r is not rec]
        if len(paras) >= 3 and same_topic and rng.random() < 0.4:
            body = [fresh_paragraph(rng), rng.choice(paras[1:])]
            latest = date
            for donor in rng.sample(same_topic, k=min(3, len(same_topic))):
                body.append(rng.choice(paragraphs(donor["text"])))
                latest = max(latest, (donor.get("date") or latest)[:10])
            rng.shuffle(body)
            fid = f"{oid}~roundup"  # written after every story it draws on
            items.append(Item(fid, "\n".join(body), _day(latest, 9), fid, fid))
    rng.shuffle(items)
    return items


def fresh_paragraph(rng: random.Random) -> str:
    """A paragraph no other document has: its details are drawn at random."""
    a, b = rng.sample(CITIES, 2)
    return (f"Officials in {a} said on {rng.choice(DAYS)} that {rng.randint(3, 900)} "
            f"{rng.choice(ITEMS)} had been offered to {b}, and that a decision on a further "
            f"{rng.randint(2, 80)} {rng.choice(ITEMS)} was expected within {rng.randint(2, 11)} "
            f"weeks, after talks in {rng.choice(CITIES)} ended without a statement.")


def pairs(labels: Sequence[str]) -> int:
    return sum(k * (k - 1) // 2 for k in Counter(labels).values())


def evaluate(items: Sequence[Item]) -> tuple[float, float, int, int, float]:
    """One pass: (precision, recall, false-positive pairs, missed pairs, copy_of accuracy)."""
    from armstrace.ingest.syndication import StoryIndex

    index = StoryIndex()
    story: dict[str, str] = {}
    copy_of: dict[str, str | None] = {}
    for it in items:
        a = index.add(it.doc_id, it.text, it.date)
        story[it.doc_id] = a.story_id
        copy_of[it.doc_id] = a.copy_of
        if a.supersedes is not None:  # what the store does: re-point the whole story
            for other, s in story.items():
                if s == a.story_id and other != it.doc_id:
                    copy_of[other] = it.doc_id
    truth = [it.story for it in items]
    pred = [story[it.doc_id] for it in items]
    joint = [f"{t}\x00{p}" for t, p in zip(truth, pred, strict=True)]
    tp, pred_pairs, true_pairs = pairs(joint), pairs(pred), pairs(truth)
    precision = tp / pred_pairs if pred_pairs else 1.0
    recall = tp / true_pairs if true_pairs else 1.0
    copies = [it for it in items if it.doc_id != it.original]
    right = sum(1 for it in copies if copy_of[it.doc_id] == it.original)
    return precision, recall, pred_pairs - tp, true_pairs - tp, right / max(1, len(copies))


def speed(items: Sequence[Item], repeat: int) -> float:
    from armstrace.ingest.syndication import StoryIndex

    best = float("inf")
    for _ in range(repeat):
        index = StoryIndex()
        start = time.perf_counter()
        for it in items:
            index.add(it.doc_id, it.text, it.date)
        best = min(best, time.perf_counter() - start)
    return len(items) / best


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pool", nargs="?", type=Path, default=DEFAULT_POOL,
                    help="SPEC §7 JSON Lines of distinct stories "
                    "(default ../shared/corpus/pool.jsonl)")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--repeat", type=int, default=3, metavar="N")
    args = ap.parse_args(argv)
    if not args.pool.exists():
        print(f"skipped: {args.pool} not found (../shared, beside the repository, holds the "
              "corpus this bench builds its syndication set from)", file=sys.stderr)
        return 2
    pool = [json.loads(line) for line in args.pool.read_text(encoding="utf-8").splitlines()
            if line.strip()]
    items = build(pool, args.seed)
    n_copies = sum(1 for it in items if it.doc_id != it.original)
    n_follow = sum(1 for it in items if it.doc_id.endswith("~roundup"))
    print(f"{len(items)} documents: {len(pool)} originals, {n_copies} edited copies, "
          f"{n_follow} same-topic round-ups (seed {args.seed})")
    precision, recall, fp, fn, copy_ok = evaluate(items)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    docs_s = speed(items, args.repeat)
    print(f"pairwise precision {precision:.4f}  recall {recall:.4f}  F1 {f1:.4f}  "
          f"({fp} wrong pairs, {fn} missed pairs)")
    print(f"copy_of names the original for {copy_ok:.1%} of copies")
    print(f"speed: {docs_s:,.0f} documents/s (StoryIndex.add, best of {args.repeat})")
    ok = f1 >= TARGET_F1 and docs_s >= TARGET_DOCS_PER_S
    print(f"targets F1 ≥ {TARGET_F1}, ≥ {TARGET_DOCS_PER_S:,.0f} documents/s: "
          f"{'pass' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
