"""Terminal rendering of claims (the `--format table` view)."""

from __future__ import annotations

import sys
from typing import Any

from rich.console import Console
from rich.table import Table


def _who(c: Any) -> str:
    if c.kind == "transfer":
        return f"{c.supplier} → {c.recipient}"
    if c.kind == "development":
        return str(c.actor)
    return " + ".join(c.parties or [])


def claims_table(rows: list[tuple[Any, list[Any]]], console: Console | None = None) -> None:
    # piped output has no terminal width to fit; a fixed wide table keeps rows greppable
    console = console or Console(width=None if sys.stdout.isatty() else 200)
    table = Table(show_lines=False)
    table.add_column("doc", overflow="fold", max_width=28)
    for col in ("kind", "who"):
        table.add_column(col, no_wrap=True)
    for col in ("item", "category", "stage", "certainty", "polarity", "timing", "source"):
        table.add_column(col)
    for doc, claims in rows:
        for c in claims:
            src = f"{c.source.name} ({c.source.type})"
            table.add_row(
                doc.id,
                c.kind,
                _who(c),
                c.item_text or "",
                c.item_category or "",
                c.stage,
                c.certainty,
                c.polarity,
                c.timing,
                src,
            )
    console.print(table)
