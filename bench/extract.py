"""Throughput and memory of `armstrace.extract`, against bare regex tokenising of the same texts.

usage: python bench/extract.py [CORPUS_DIR_OR_JSONL ...] [--repeat N]

Without arguments it reads ../shared/corpus/*.jsonl (beside the repository) or, when that is
absent, the bundled example articles. All texts are loaded first; each pass then runs over all
of them, N times, and the best time counts (time.perf_counter). The pipeline is built once
before timing (its load time is shown apart), both passes run once untimed, and the timed
repeats of the two passes alternate. Peak memory is measured with tracemalloc in a
separate, untimed pass, because tracing slows everything it watches.

Targets: extract at least 500 articles/s, and at least a quarter of the regex tokeniser's speed.
The exit status is 0 when both are met, 1 when one is not, 2 when there is nothing to read.
"""

from __future__ import annotations

import argparse
import gc
import re
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from armstrace.models import Document

REPO = Path(__file__).resolve().parents[1]
MIN_ARTICLES_PER_S = 500.0
MIN_RATIO = 0.25
TOKEN = re.compile(r"\w+|[^\w\s]")


@dataclass(frozen=True)
class Timing:
    name: str
    seconds: float  # best of the repeats, for one pass over every text
    units: int  # what one pass produced: tokens or claims
    unit_name: str


def default_inputs() -> list[Path]:
    corpus = sorted((REPO.parent / "shared" / "corpus").glob("*.jsonl"))
    if corpus:
        return corpus
    return [p for p in (REPO / "armstrace" / "examples", REPO / "examples") if p.is_dir()][:1]


def load(paths: Sequence[Path], err: Console) -> list[Document]:
    from armstrace.ingest import read_paths

    docs: list[Document] = []
    for item in read_paths(str(p) for p in paths):
        if isinstance(item, Exception):
            err.print(f"[yellow]skipped:[/] {item}")
        else:
            docs.append(item)
    return docs


def best_of(repeat: int, runs: Sequence[Callable[[], int]]) -> list[tuple[float, int]]:
    """Best time and output of each run over `repeat` rounds.

    Each round times every run once, so the runs alternate: on a shared machine a busy spell
    then slows all of them instead of only the one whose repeats it happened to fall on, and
    the extract/regex ratio compares times taken under the same conditions. The garbage of the
    previous pass is collected before each pass rather than during the next one.
    """
    best = [float("inf")] * len(runs)
    units = [0] * len(runs)
    for _ in range(repeat):
        for k, run in enumerate(runs):
            gc.collect()
            start = time.perf_counter()
            units[k] = run()
            best[k] = min(best[k], time.perf_counter() - start)
    return list(zip(best, units, strict=True))


def regex_pass(texts: Sequence[str]) -> int:
    n = 0
    for text in texts:
        tokens = [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(text)]
        n += len(tokens)
    return n


def extract_pass(docs: Sequence[Document]) -> int:
    from armstrace import extract

    n = 0
    for doc in docs:
        n += len(extract(doc.text, title=doc.title, date=doc.date, outlet=doc.outlet))
    return n


def peak_memory(docs: Sequence[Document]) -> int:
    """Peak traced bytes during one extract pass (the pipeline is already built)."""
    tracemalloc.start()
    try:
        extract_pass(docs)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def report(console: Console, docs: Sequence[Document], timings: Sequence[Timing],
           load_s: float, peak: int) -> bool:
    n_bytes = sum(len(d.text.encode("utf-8")) for d in docs)
    table = Table(title=f"{len(docs)} articles, {n_bytes / 1e6:.2f} MB of text (MB = 10^6 bytes)")
    for col in ("pass", "best s", "articles/s", "MB/s", "output"):
        table.add_column(col, justify="left" if col == "pass" else "right")
    for t in timings:
        table.add_row(t.name, f"{t.seconds:.4f}", f"{len(docs) / t.seconds:,.0f}",
                      f"{n_bytes / 1e6 / t.seconds:.2f}", f"{t.units:,} {t.unit_name}")
    console.print(table)

    regex, extracted = timings
    speed = len(docs) / extracted.seconds
    ratio = regex.seconds / extracted.seconds
    checks = Table(title="targets")
    for col in ("target", "measured", "result"):
        checks.add_column(col)
    results = [
        (f"extract ≥ {MIN_ARTICLES_PER_S:.0f} articles/s", f"{speed:,.0f}",
         speed >= MIN_ARTICLES_PER_S),
        (f"extract/regex speed ≥ {MIN_RATIO}", f"{ratio:.3f}", ratio >= MIN_RATIO),
    ]
    for name, measured, ok in results:
        checks.add_row(name, measured, "[green]pass[/]" if ok else "[red]FAIL[/]")
    console.print(checks)
    console.print(f"pipeline load (first call): {load_s:.3f} s; "
                  f"peak traced memory during one extract pass: {peak / 1e6:.2f} MB")
    return all(ok for _, _, ok in results)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("inputs", nargs="*", type=Path, metavar="CORPUS_DIR_OR_JSONL",
                    help="folders or .jsonl/.txt files (default: ../shared/corpus/*.jsonl)")
    ap.add_argument("--repeat", type=int, default=5, metavar="N", help="best of N (default 5)")
    args = ap.parse_args(argv)
    console, err = Console(), Console(stderr=True)
    if args.repeat < 1:
        ap.error("--repeat must be at least 1")

    paths = args.inputs or default_inputs()
    docs = load(paths, err)
    if not docs:
        err.print(f"no articles read from {', '.join(map(str, paths)) or 'nothing'}")
        return 2
    console.print("inputs: " + ", ".join(str(p) for p in paths))

    from armstrace import extract

    start = time.perf_counter()
    extract(docs[0].text, title=docs[0].title, date=docs[0].date, outlet=docs[0].outlet)
    load_s = time.perf_counter() - start

    texts = [d.text for d in docs]
    # one untimed pass of each, so that no timed pass pays for first-use work (lazily compiled
    # patterns, caches, allocator growth) even with --repeat 1
    regex_pass(texts)
    extract_pass(docs)
    (regex_s, tokens), (extract_s, claims) = best_of(
        args.repeat, [lambda: regex_pass(texts), lambda: extract_pass(docs)]
    )
    timings = [
        Timing("regex tokenise", regex_s, tokens, "tokens"),
        Timing("armstrace.extract", extract_s, claims, "claims"),
    ]
    return 0 if report(console, docs, timings, load_s, peak_memory(docs)) else 1


if __name__ == "__main__":
    sys.exit(main())
