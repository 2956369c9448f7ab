"""`armstrace ingest`, `watch`, `search` and `export`: thin commands over the store API.

Every command takes `--db URL` (default `$ARMSTRACE_DB`, else `./armstrace.db`); a plain
`postgresql://` URL is accepted. Progress goes to stderr and only when stderr is a terminal;
results go to stdout.
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import IO, TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from armstrace.ingest.service import IngestSummary, Progress
    from armstrace.store import Store

DB_HELP = "Database URL or SQLite path (default: $ARMSTRACE_DB, else ./armstrace.db)."
db_option = click.option("--db", "db", default=None, metavar="URL", help=DB_HELP)


def _err(message: str) -> None:
    click.echo(f"armstrace: {message}", err=True)


@contextmanager
def _store(db: str | None) -> Iterator[Store]:
    from armstrace.store import open_store

    store = open_store(db)
    try:
        yield store
    finally:
        store.close()


@contextmanager
def _progress(total: int | None, enabled: bool) -> Iterator[Callable[[Progress], None]]:
    """An `on_progress` callback: a rich bar on a terminal, plain error lines otherwise."""
    if not enabled:

        def plain(p: Progress) -> None:
            if p.error:
                _err(p.error)

        yield plain
        return

    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )
    from rich.progress import Progress as Bar

    console = Console(stderr=True)
    with Bar(
        SpinnerColumn(),
        TextColumn("[bold]ingest"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task("", total=total)

        def fancy(p: Progress) -> None:
            if p.error:
                console.print(f"armstrace: {p.error}", markup=False, highlight=False)
            shown = p.name if len(p.name) <= 40 else "…" + p.name[-39:]
            bar.update(
                task,
                completed=p.done,
                description=shown,
                total=max(total, p.done) if total is not None else None,
            )

        yield fancy


def _summary_line(s: IngestSummary) -> str:
    return (
        f"{s.new} new, {s.duplicate} duplicate, {s.updated} updated, {s.failed} failed "
        f"documents; {s.claims} claims"
    )


def _summary_json(s: IngestSummary) -> str:
    return json.dumps(
        {
            "new": s.new,
            "duplicate": s.duplicate,
            "updated": s.updated,
            "failed": s.failed,
            "claims": s.claims,
            "run_id": s.run_id,
        }
    )


@click.command("ingest")
@click.argument("inputs", nargs=-1, required=True, metavar="PATH|URL|FEED...")
@db_option
@click.option(
    "--allow-private",
    is_flag=True,
    help="Allow fetching from loopback, private and link-local addresses.",
)
@click.option(
    "--include",
    multiple=True,
    metavar="GLOB",
    help="Read only folder files matching GLOB (repeatable).",
)
@click.option(
    "--exclude", multiple=True, metavar="GLOB", help="Skip folder files matching GLOB (repeatable)."
)
@click.option("--max-bytes", type=int, default=None, help="Refuse inputs larger than this.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON object.")
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Show a progress bar (default: when stderr is a terminal).",
)
@click.pass_context
def ingest_cmd(
    ctx: click.Context,
    inputs: tuple[str, ...],
    db: str | None,
    allow_private: bool,
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    max_bytes: int | None,
    as_json: bool,
    progress: bool | None,
) -> None:
    """Read, extract and store documents with their claims (re-running skips what is stored)."""
    from armstrace.ingest.files import DEFAULT_MAX_BYTES
    from armstrace.ingest.service import estimate_total, ingest

    show = sys.stderr.isatty() if progress is None else progress
    with _store(db) as store:
        total = estimate_total(inputs) if show else None
        with _progress(total, show) as on_progress:
            summary = ingest(
                list(inputs),
                store,
                allow_private=allow_private,
                on_progress=on_progress,
                total=total,
                include=include,
                exclude=exclude,
                max_bytes=max_bytes or DEFAULT_MAX_BYTES,
                debug=bool((ctx.obj or {}).get("debug")),
            )
    click.echo(_summary_json(summary) if as_json else _summary_line(summary))
    if summary.failed:
        sys.exit(1)


_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_interval(value: str) -> float:
    """Seconds in "90", "30s", "15m", "1h", "1.5h"."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", value.lower())
    if not m or float(m.group(1)) <= 0:
        raise click.BadParameter(f"{value!r} is not an interval such as 30s, 15m or 1h")
    return float(m.group(1)) * _UNITS[m.group(2) or "s"]


@click.command("watch")
@click.argument("feeds", nargs=-1, required=True, metavar="FEEDS...")
@db_option
@click.option("--every", default="15m", show_default=True, help="Polling interval: 30s, 15m, 1h.")
@click.option("--once", is_flag=True, help="Poll once and exit.")
@click.option("--cycles", type=int, default=0, help="Stop after this many polls (0: never).")
@click.option(
    "--allow-private",
    is_flag=True,
    help="Allow fetching from loopback, private and link-local addresses.",
)
def watch_cmd(
    feeds: tuple[str, ...], db: str | None, every: str, once: bool, cycles: int, allow_private: bool
) -> None:
    """Poll FEEDS (or folders) and ingest only entries not stored yet."""
    from armstrace.ingest.service import ingest

    interval = parse_interval(every)
    limit = 1 if once else cycles
    failed_any = False
    with _store(db) as store:
        n = 0
        try:
            while True:
                n += 1
                summary = ingest(
                    list(feeds),
                    store,
                    allow_private=allow_private,
                    conditional=True,
                    on_progress=lambda p: _err(p.error) if p.error else None,
                )
                stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
                click.echo(f"{stamp} {_summary_line(summary)}")
                failed_any = failed_any or summary.failed > 0
                if limit and n >= limit:
                    break
                time.sleep(interval)
        except KeyboardInterrupt:
            pass
    if once and failed_any:
        sys.exit(1)


@click.command("search")
@click.argument("query")
@db_option
@click.option("--limit", type=click.IntRange(1, 10_000), default=20, show_default=True)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "jsonl"]), default="text", show_default=True
)
def search_cmd(query: str, db: str | None, limit: int, fmt: str) -> None:
    """Full-text search over stored documents: words, "phrases", OR, -excluded."""
    with _store(db) as store:
        hits = store.search(query, limit=limit)
    for h in hits:
        if fmt == "jsonl":
            click.echo(
                json.dumps(
                    {
                        "doc_id": h.doc_id,
                        "title": h.title,
                        "url": h.url,
                        "snippet": h.snippet,
                        "rank": round(h.rank, 6),
                    },
                    ensure_ascii=False,
                )
            )
        else:
            click.echo(f"{h.doc_id}\t{h.title or ''}")
            click.echo("    " + " ".join(h.snippet.split()))
    if not hits:
        _err(f"no stored document matches {query!r}")
        sys.exit(1)


@click.group("export")
def export_grp() -> None:
    """Write stored data out."""


@export_grp.command("documents")
@db_option
@click.option(
    "--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True
)
@click.option(
    "-o",
    "--output",
    type=click.File("w", encoding="utf-8", lazy=True),
    default="-",
    help="Write here instead of standard output.",
)
@click.option("--all-versions", is_flag=True, help="Include superseded versions too.")
def export_documents(db: str | None, fmt: str, output: IO[str], all_versions: bool) -> None:
    """Stored documents as SPEC §11 JSON Lines (or CSV), in the order they were stored."""
    with _store(db) as store:
        docs = store.iter_documents(include_superseded=all_versions)
        if fmt == "csv":
            from armstrace.exports import DOCUMENT_COLUMNS, document_row, write_csv

            write_csv((document_row(d) for d in docs), DOCUMENT_COLUMNS, output)
            return
        for doc in docs:
            output.write(json.dumps(doc.to_export_dict(), ensure_ascii=False) + "\n")


COMMANDS: tuple[Any, ...] = (ingest_cmd, watch_cmd, search_cmd, export_grp)
