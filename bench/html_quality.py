"""Article-body quality of the HTML reader on ../shared/html-bench (181 real news pages).

usage: python bench/html_quality.py [HTML_BENCH_DIR] [--worst N]

Every page is read exactly as `armstrace ingest` reads it (`armstrace.ingest.read_paths` on the
folder of .html.gz files), matched to `ground-truth.json` by file stem, and scored the way the
benchmark's own evaluate.py scores (scrapinghub/article-extraction-benchmark): 4-word shingles
of `\\w+` tokens, true/false positives and negatives per page normalised by their sum, precision
and recall averaged over pages, F1 of those two means. The mean of per-page F1 is printed too.

Target: F1 ≥ 0.93 and no page failing. Exit status 0 when met, 1 when not, 2 when the bench
is absent.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_BENCH = REPO.parent / "shared" / "html-bench"
TARGET_F1 = 0.93
_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True)
class PageScore:
    key: str
    precision: float | None  # None where the benchmark leaves the page out of the mean
    recall: float | None
    f1: float


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1))
                   if tokens[i : i + n])


def score_page(key: str, true: str, pred: str) -> PageScore:
    t, p = shingles(true), shingles(pred)
    tp, fp, fn = sum((t & p).values()), sum((p - t).values()), sum((t - p).values())
    total = tp + fp + fn
    if total:
        tp, fp, fn = tp / total, fp / total, fn / total
    if fp == fn == 0:
        prec: float | None = 1.0
        rec: float | None = 1.0
    else:
        prec = (0.0 if tp == fp == 0 else tp / (tp + fp)) if tp + fp > 0 else None
        rec = (0.0 if tp == fn == 0 else tp / (tp + fn)) if tp + fn > 0 else None
    pr, rc = prec or 0.0, rec or 0.0
    return PageScore(key, prec, rec, 2 * pr * rc / (pr + rc) if pr + rc else 0.0)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("bench", nargs="?", type=Path, default=DEFAULT_BENCH,
                    help="html-bench folder (default: ../shared/html-bench)")
    ap.add_argument("--worst", type=int, default=5, metavar="N", help="list the N worst pages")
    args = ap.parse_args(argv)
    truth_path, html_dir = args.bench / "ground-truth.json", args.bench / "html"
    if not truth_path.exists() or not html_dir.is_dir():
        print(f"html-bench not found at {args.bench} (it lives in ../shared, beside the "
              "repository); nothing to measure", file=sys.stderr)
        return 2

    from armstrace.ingest import read_paths

    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    texts: dict[str, str] = {}
    failures: list[str] = []
    start = time.perf_counter()
    for item in read_paths([str(html_dir)]):
        if isinstance(item, Exception):
            failures.append(str(item))
            continue
        texts[Path(item.source_path or item.id).name.split(".")[0]] = item.text
    seconds = time.perf_counter() - start

    scores = [score_page(k, v.get("articleBody", ""), texts.get(k, "")) for k, v in truth.items()]
    missing = [k for k in truth if k not in texts]
    precision = statistics.mean(s.precision for s in scores if s.precision is not None)
    recall = statistics.mean(s.recall for s in scores if s.recall is not None)
    f1 = 2 * precision * recall / (precision + recall)
    mean_page_f1 = statistics.mean(s.f1 for s in scores)

    print(f"pages: {len(truth)}  read: {len(texts)}  failed: {len(failures)}  "
          f"({len(texts) / seconds:.1f} pages/s)")
    print(f"precision {precision:.4f}  recall {recall:.4f}  F1 {f1:.4f}  "
          f"(mean of per-page F1: {mean_page_f1:.4f})")
    for line in failures:
        print(f"  failed: {line}")
    for key in missing[:10]:
        print(f"  no document for {key}")
    for s in sorted(scores, key=lambda s: s.f1)[: args.worst]:
        print(f"  worst: {s.key[:16]}…  F1 {s.f1:.3f}  P {s.precision}  R {s.recall}")
    ok = f1 >= TARGET_F1 and not failures and not missing
    print(f"target F1 ≥ {TARGET_F1} and no failures: {'pass' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
