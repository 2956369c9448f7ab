"""HTML → stored claims throughput of `armstrace ingest`, against trafilatura's bare extraction.

usage: python bench/ingest.py [HTML_DIR_OR_FILE ...] [--repeat N] [--chunk K]

Without arguments it reads ../shared/html-bench/html/*.html.gz (181 real news pages, beside the
repository, read-only); folders are searched for .html/.htm/.xhtml files, gzipped or not.

Both sides start from the files on disk (the page cache is warmed by reading every page once
before timing), so reading and decompression count on both:

* **trafilatura** — what any reader of these pages must pay at least: read the file, gunzip it,
  `trafilatura.bare_extraction` with the options `armstrace.ingest.html` uses (metadata on,
  `favor_precision`, tables, no comments, markup-only dates), nothing else.
* **armstrace** — `armstrace.ingest.service.ingest` on the same files into a fresh SQLite store
  (WAL, in a temporary folder) each round: read and decompress, decode, parse, trafilatura,
  htmldate fallback, language, republication notes, syndication index, claim extraction, and
  one transaction per document with its claims.

One-time startup is excluded from the armstrace side and shown apart: building the extraction
pipeline (lexicons), opening and migrating each round's fresh store, and the HTTP client that
`ingest` would otherwise make per call (never used for files).

The machine this runs on is shared and noisy, and a whole pass takes tens of seconds, so the
sides are interleaved finely: each round walks the pages in chunks of K (default 16), running
trafilatura on the chunk and `ingest` on the same chunk (one call per chunk, one store and one
syndication index per round), the order flipping each chunk. Load thus hits both sides alike.
A side's time is the sum over its chunks; the best of N rounds counts for each side
(time.perf_counter), and each round's own ratio is printed too. Per-call overhead of `ingest`
(two run-log rows) is paid once per chunk, so chunking can only make armstrace look slower;
`--chunk 0` runs all pages in one call. Lazy one-time work inside trafilatura (jusText's
stoplists, on the first page that needs them) lands in the first round only.

The armstrace side is instrumented by wrapping, not by editing the package: time spent pulling
each Document out of the reader (and, within it, file and gunzip, decode, parse, trafilatura,
date fallback), in claim extraction, in the syndication index and in the store is summed and
shown for the best round, with the time the cyclic garbage collector took (gc.callbacks). The
wrappers cost a few perf_counter calls per document.

Target: armstrace ≥ 0.8 × trafilatura's pages/s (best round against best round), no page
failing. The exit status is 0 when met, 1 when not, 2 when there is nothing to read.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import gzip
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from unittest import mock

from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from armstrace.extract.pipeline import Pipeline
    from armstrace.ingest.fetch import Fetcher
    from armstrace.ingest.stories import StoryAssigner
    from armstrace.models import Claim, Document
    from armstrace.store.records import StoryFields

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DIR = REPO.parent / "shared" / "html-bench" / "html"
MIN_RATIO = 0.8
GC = "garbage collection (within the rows above)"
HTML_NAMES = (".html", ".htm", ".xhtml")


# ---------------------------------------------------------------------------------------------
# inputs


def find_pages(paths: Sequence[Path]) -> list[Path]:
    """HTML files (gzipped or not) named or found below the given folders, sorted, no hidden."""
    def is_html(p: Path) -> bool:
        return p.name.lower().removesuffix(".gz").endswith(HTML_NAMES)

    pages: list[Path] = []
    for path in paths:
        if path.is_dir():
            pages += sorted(f for f in path.rglob("*") if f.is_file() and is_html(f)
                            and not any(part.startswith(".")
                                        for part in f.relative_to(path).parts))
        elif path.is_file():
            pages.append(path)
    return pages


def page_bytes(path: Path) -> bytes:
    raw = path.read_bytes()
    return gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw


# ---------------------------------------------------------------------------------------------
# timing helpers


@dataclass
class Probe:
    """Seconds spent per label during one pass (labels may nest: parts of "read")."""

    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))

    def wrap(self, label: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.seconds[label] += time.perf_counter() - start

        return timed

    def wrap_iter(self, label: str, fn: Callable[..., Any]) -> Callable[..., Iterator[Any]]:
        """`fn` returns an iterator: time each step of it (where a lazy reader does its work)."""
        def timed(*args: Any, **kwargs: Any) -> Iterator[Any]:
            it = iter(fn(*args, **kwargs))
            while True:
                start = time.perf_counter()
                try:
                    item = next(it)
                except StopIteration:
                    self.seconds[label] += time.perf_counter() - start
                    return
                self.seconds[label] += time.perf_counter() - start
                yield item

        return timed


class TimedPipeline:
    """The pipeline as `ingest` sees it (`analyse`, `lexicons`), with its calls timed."""

    def __init__(self, pipe: Pipeline, probe: Probe) -> None:
        self.lexicons = pipe.lexicons
        self._analyse = pipe.analyse
        self._probe = probe

    def analyse(self, doc: Document) -> list[Claim]:
        start = time.perf_counter()
        try:
            return self._analyse(doc)
        finally:
            self._probe.seconds["claim extraction"] += time.perf_counter() - start

    __call__ = analyse  # an `Extractor` too; `ingest` prefers `analyse` (and records versions)


class TimedStories:
    def __init__(self, inner: StoryAssigner, probe: Probe) -> None:
        self._assign = probe.wrap("syndication (story index)", inner.assign)

    def assign(self, doc: Document) -> StoryFields:
        result: StoryFields = self._assign(doc)
        return result


# ---------------------------------------------------------------------------------------------
# the two passes


def trafilatura_pass(pages: Sequence[Path], probe: Probe) -> int:
    """Bare extraction of every page; returns how many gave body text."""
    import trafilatura

    from armstrace.ingest.html import DEFAULT_OPTIONS as o

    n = 0
    for path in pages:
        start = time.perf_counter()
        html = page_bytes(path)
        mid = time.perf_counter()
        result = trafilatura.bare_extraction(
            html, with_metadata=True, favor_precision=o.favor_precision,
            favor_recall=o.favor_recall, include_tables=o.include_tables,
            include_comments=o.include_comments, fast=o.fast,
            date_extraction_params={"original_date": True, "extensive_search": False},
        )
        end = time.perf_counter()
        probe.seconds["file read + gunzip"] += mid - start
        probe.seconds["trafilatura.bare_extraction"] += end - mid
        if result is not None and getattr(result, "text", None):
            n += 1
    return n


@contextlib.contextmanager
def instrumented(probe: Probe, store: Any) -> Iterator[None]:
    """Wrap the reader, its parts and the store's writes for the duration of one pass."""
    import trafilatura

    import armstrace.ingest.files as files
    import armstrace.ingest.html as html
    import armstrace.ingest.service as service
    import armstrace.ingest.sources as sources

    with contextlib.ExitStack() as stack:
        for owner, name, label in [
            (files, "gunzip_file", "  file read + gunzip"),
            (html, "decode_html", "  decode"),
            (html, "_parse", "  lxml parse + depth check"),
            (trafilatura, "bare_extraction", "  trafilatura.bare_extraction"),
            (html, "_date", "  date (htmldate fallback)"),
            (store, "stored_hash", "store: duplicate check"),
            (store, "add_document_with_claims", "store: write document + claims"),
            (store, "start_run", "store: run rows (per ingest call)"),
            (store, "finish_run", "store: run rows (per ingest call)"),
        ]:
            stack.enter_context(mock.patch.object(owner, name, probe.wrap(label,
                                                                           getattr(owner, name))))
        stack.enter_context(mock.patch.object(service, "read_input",
                                              probe.wrap_iter("read HTML → Document",
                                                              sources.read_input)))
        yield


class GcClock:
    """Time spent in the cyclic garbage collector (gc.callbacks), whoever triggered it."""

    def __init__(self) -> None:
        self.total = 0.0
        self._start = 0.0

    def __call__(self, phase: str, _info: dict[str, int]) -> None:
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.total += time.perf_counter() - self._start


@dataclass
class Round:
    """One round: both sides over every page, chunk by chunk."""

    base_s: float = 0.0
    arm_s: float = 0.0
    base: Probe = field(default_factory=Probe)
    arm: Probe = field(default_factory=Probe)
    bodies: int = 0
    new: int = 0
    failed: int = 0
    claims: int = 0
    errors: list[str] = field(default_factory=list)


def run_round(pages: Sequence[Path], chunk: int, pipe: Pipeline, fetcher: Fetcher,
              db: Path, flip: bool, gc_clock: GcClock,
              startup: dict[str, list[float]]) -> Round:
    """Both sides over every page, alternating chunk by chunk (the order flips each chunk, and
    `flip` starts a round with the other side); armstrace ingests into a fresh store at `db`,
    opened untimed, one `ingest` call per chunk with one syndication index for the round."""
    from armstrace.ingest.service import ingest
    from armstrace.ingest.stories import story_assigner
    from armstrace.store import open_store

    rnd = Round()
    start = time.perf_counter()
    store = open_store(str(db))
    startup["open + migrate a fresh store"].append(time.perf_counter() - start)
    try:
        stories = TimedStories(story_assigner(store), rnd.arm)
        extractor = TimedPipeline(pipe, rnd.arm)
        for k, first in enumerate(range(0, len(pages), chunk)):
            part = pages[first : first + chunk]
            for side in ("armstrace", "trafilatura") if (k % 2 == 1) != flip else \
                    ("trafilatura", "armstrace"):
                if side == "trafilatura":
                    gc0, start = gc_clock.total, time.perf_counter()
                    rnd.bodies += trafilatura_pass(part, rnd.base)
                    rnd.base_s += time.perf_counter() - start
                    rnd.base.seconds[GC] += gc_clock.total - gc0
                    continue
                with instrumented(rnd.arm, store):
                    gc0, start = gc_clock.total, time.perf_counter()
                    summary = ingest([str(p) for p in part], store, pipeline=extractor,
                                     fetcher=fetcher, stories=stories)
                    rnd.arm_s += time.perf_counter() - start
                    rnd.arm.seconds[GC] += gc_clock.total - gc0
                rnd.new += summary.new
                rnd.failed += summary.failed
                rnd.claims += summary.claims
                rnd.errors += summary.errors
    finally:
        store.close()
    return rnd


# ---------------------------------------------------------------------------------------------
# report


def _ms_per_page(seconds: float, n: int) -> str:
    return f"{seconds / n * 1000:.1f}"


def breakdown_table(title: str, total: float, probe: Probe, n: int,
                    order: Sequence[str]) -> Table:
    table = Table(title=title)
    for col in ("part", "s", "share", "ms/page"):
        table.add_column(col, justify="left" if col == "part" else "right")

    def row(label: str, s: float) -> None:
        table.add_row(label, f"{s:.3f}", f"{s / total:.1%}", _ms_per_page(s, n))

    top = 0.0
    for label in order:
        s = probe.seconds.get(label, 0.0)
        if not label.startswith(" "):
            top += s
        row(label, s)
    row("other (loop, wrappers; unmeasured)", total - top)
    table.add_row("[bold]total[/]", f"{total:.3f}", "100%", _ms_per_page(total, n))
    row(GC, probe.seconds.get(GC, 0.0))
    return table


def report(console: Console, err: Console, n: int, n_bytes: int, rounds: Sequence[Round],
           startup: dict[str, list[float]]) -> bool:
    best_base = min(rounds, key=lambda r: r.base_s)
    best_arm = min(rounds, key=lambda r: r.arm_s)
    base_s, arm_s = best_base.base_s, best_arm.arm_s
    table = Table(title=f"{n} pages, best of {len(rounds)} rounds (interleaved by chunk)")
    for col in ("pass", "best s", "pages/s", "MB/s", "each round s", "output"):
        table.add_column(col, justify="left" if col == "pass" else "right")
    table.add_row("trafilatura bare extraction", f"{base_s:.3f}", f"{n / base_s:.1f}",
                  f"{n_bytes / 1e6 / base_s:.2f}", " ".join(f"{r.base_s:.2f}" for r in rounds),
                  f"{best_base.bodies} bodies")
    table.add_row("armstrace ingest → SQLite", f"{arm_s:.3f}", f"{n / arm_s:.1f}",
                  f"{n_bytes / 1e6 / arm_s:.2f}", " ".join(f"{r.arm_s:.2f}" for r in rounds),
                  f"{best_arm.new} docs, {best_arm.claims} claims, {best_arm.failed} failed")
    console.print(table)
    paired = [r.base_s / r.arm_s for r in rounds]
    console.print("armstrace/trafilatura speed per round: "
                  + " ".join(f"{x:.3f}" for x in paired)
                  + f" (median {statistics.median(paired):.3f})")
    read_s = best_arm.arm.seconds.get("read HTML → Document", 0.0)
    console.print(f"armstrace costs {_ms_per_page(arm_s - base_s, n)} ms/page more than bare "
                  f"extraction: reading to a Document {_ms_per_page(read_s - base_s, n)} ms/page "
                  f"over it, then {_ms_per_page(arm_s - read_s, n)} ms/page for claims, "
                  "syndication and the store (best rounds)")

    console.print(breakdown_table("trafilatura pass (best round); its extraction includes "
                                  "decoding and parsing", base_s, best_base.base, n,
                                  ["file read + gunzip", "trafilatura.bare_extraction"]))
    console.print(breakdown_table(
        "armstrace pass (best round); indented rows are parts of the read", arm_s, best_arm.arm,
        n, ["read HTML → Document", "  file read + gunzip", "  decode",
            "  lxml parse + depth check", "  trafilatura.bare_extraction",
            "  date (htmldate fallback)", "claim extraction", "syndication (story index)",
            "store: duplicate check", "store: write document + claims",
            "store: run rows (per ingest call)"]))

    setup = Table(title="one-time startup, not in the armstrace pass")
    for col in ("step", "s"):
        setup.add_column(col, justify="left" if col == "step" else "right")
    for step, times in startup.items():
        if len(times) == 1:
            setup.add_row(step, f"{times[0]:.3f}")
        else:
            setup.add_row(f"{step} (first; mean of {len(times)})",
                          f"{times[0]:.3f}; {sum(times) / len(times):.3f}")
    console.print(setup)

    failed = max(r.failed for r in rounds)
    for line in next(r for r in rounds if r.failed == failed).errors[:10]:
        err.print(f"[yellow]failed:[/] {line}")
    ratio = base_s / arm_s
    checks = Table(title="targets")
    for col in ("target", "measured", "result"):
        checks.add_column(col)
    results = [
        (f"armstrace/trafilatura pages/s ≥ {MIN_RATIO} (best vs best)", f"{ratio:.3f}",
         ratio >= MIN_RATIO),
        ("no page fails to ingest", f"{failed} failed", failed == 0),
    ]
    for name, measured, ok in results:
        checks.add_row(name, measured, "[green]pass[/]" if ok else "[red]FAIL[/]")
    console.print(checks)
    return all(ok for _, _, ok in results)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("inputs", nargs="*", type=Path, metavar="HTML_DIR_OR_FILE",
                    help="folders or .html(.gz) files (default: ../shared/html-bench/html)")
    ap.add_argument("--repeat", type=int, default=3, metavar="N",
                    help="rounds, best of N per side (default 3)")
    ap.add_argument("--chunk", type=int, default=16, metavar="K",
                    help="pages per interleaved chunk and per ingest call (default 16; "
                    "0: all pages in one call, sides alternating per round only)")
    args = ap.parse_args(argv)
    console, err = Console(), Console(stderr=True)
    if args.repeat < 1:
        ap.error("--repeat must be at least 1")
    if args.chunk < 0:
        ap.error("--chunk must be 0 or more")

    paths = args.inputs or [DEFAULT_DIR]
    pages = find_pages(paths)
    if not pages:
        err.print(f"skipped: no HTML pages at {', '.join(map(str, paths))} (the default, "
                  "../shared/html-bench beside the repository, holds 181 real news pages)")
        return 2
    try:
        n_bytes = sum(len(page_bytes(p)) for p in pages)  # also warms the page cache
    except (OSError, EOFError, gzip.BadGzipFile) as e:
        err.print(f"cannot read the pages: {e}")
        return 2
    n = len(pages)
    chunk = args.chunk or n
    where = ", ".join(map(str, paths)) if len(paths) <= 3 else f"{len(paths)} paths"
    console.print(f"inputs: {where}: {n} pages, {n_bytes / 1e6:.2f} MB of HTML after gunzip "
                  f"(MB = 10^6 bytes); {-(-n // chunk)} chunks of ≤ {chunk} pages per round")

    startup: dict[str, list[float]] = defaultdict(list)
    start = time.perf_counter()
    from armstrace.extract.pipeline import default_pipeline
    from armstrace.ingest.service import ingest  # noqa: F401  (import time is startup too)
    from armstrace.models import Document

    pipe = default_pipeline()
    pipe.analyse(Document(id="warm-up", text="Russia sent 10 tanks to Serbia, officials said."))
    startup["import + build pipeline (lexicons)"].append(time.perf_counter() - start)

    from armstrace.ingest.sources import make_fetcher

    start = time.perf_counter()
    fetcher = make_fetcher()
    startup["HTTP client ingest would make per call"].append(time.perf_counter() - start)

    gc_clock = GcClock()
    gc.callbacks.append(gc_clock)
    rounds: list[Round] = []
    try:
        with tempfile.TemporaryDirectory(prefix="armstrace-bench-") as tmp:
            for r in range(args.repeat):
                rnd = run_round(pages, chunk, pipe, fetcher, Path(tmp) / f"round{r}.db",
                                r % 2 == 1, gc_clock, startup)
                rounds.append(rnd)
                console.print(f"round {r + 1}/{args.repeat}: trafilatura {rnd.base_s:6.2f} s "
                              f"({n / rnd.base_s:5.1f} pages/s), armstrace {rnd.arm_s:6.2f} s "
                              f"({n / rnd.arm_s:5.1f} pages/s), ratio "
                              f"{rnd.base_s / rnd.arm_s:.3f}")
    finally:
        gc.callbacks.remove(gc_clock)
        fetcher.close()
    return 0 if report(console, err, n, n_bytes, rounds, startup) else 1


if __name__ == "__main__":
    sys.exit(main())
