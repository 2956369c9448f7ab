"""Terminal rendering of claims (the `--format table` view)."""

from __future__ import annotations

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
    console = console or Console()
    table = Table(show_lines=False)
    for col in ("doc", "kind", "who", "item", "category", "stage", "certainty", "polarity",
                "timing", "source"):
        table.add_column(col)
    for doc, claims in rows:
        for c in claims:
            src = f"{c.source.name} ({c.source.type})"
            table.add_row(doc.id, c.kind, _who(c), c.item_text or "", c.item_category or "",
                          c.stage, c.certainty, c.polarity, c.timing, src)
    console.print(table)
