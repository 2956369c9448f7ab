"""`armstrace query`, `armstrace fuse` and the `export` subcommands for claims, records, the
GraphML network and the register: thin commands over `armstrace.fuse` and `armstrace.exports`.

The `export` group itself lives in `store_cmds.py` (with `export documents`); the commands here
are added to it, so there is one `export` command with every format under it.

Records are always fused from reviewed values (rejected claims out, corrections in, merges and
splits applied). `--accepted-only` fuses them from accepted claims alone; `export claims
--reviewed` writes claims as reviewers left them.
"""

from __future__ import annotations

import sys
from typing import IO, Any

import click

from armstrace.cli.store_cmds import _store, db_option, export_grp
from armstrace.vocab import CATEGORIES, KINDS

_accepted_only = click.option(
    "--accepted-only", is_flag=True,
    help="Fuse records from claims a reviewer accepted or corrected, and nothing else.")

_output = click.option(
    "-o", "--output", type=click.File("w", encoding="utf-8", lazy=True), default="-",
    help="Write here instead of standard output.",
)


def _who(r: Any) -> str:
    if r.kind == "transfer":
        return f"{r.supplier} → {r.recipient}"
    if r.kind == "development":
        return str(r.actor)
    return " + ".join(r.parties or [])


def records_table(records: list[Any], out: IO[str]) -> None:
    """The `--format table` view: one line per record, both source counts shown."""
    from rich.console import Console
    from rich.table import Table

    console = Console(file=out, width=None if out.isatty() else 220)
    table = Table(show_lines=False)
    for col in ("record", "kind", "who", "category", "designations", "first", "latest",
                "sources (carried)", "certainty", "stage", "denied by", "conflict"):
        table.add_column(col)
    for r in records:
        table.add_row(
            r.record_id, r.kind, _who(r), r.item_category or "", "; ".join(r.designations),
            r.first_reported or "", r.last_reported or "",
            f"{r.n_independent_sources} ({r.n_carried})", r.strongest_certainty,
            " → ".join(s.stage for s in r.stage_history) or r.stage,
            ", ".join(r.denied_by), "yes" if r.conflict else "",
        )
    console.print(table)


def _filters(fn: Any) -> Any:
    for opt in reversed((
        click.option("--kind", type=click.Choice(KINDS), default=None),
        click.option("--supplier", default=None, metavar="ACTOR", help="Actor id, e.g. PRK."),
        click.option("--recipient", default=None, metavar="ACTOR"),
        click.option("--actor", default=None, metavar="ACTOR",
                     help="Developer (development records)."),
        click.option("--category", type=click.Choice(CATEGORIES), default=None),
        click.option("--stage", default=None, help="Furthest stage reached, e.g. delivered."),
        click.option("--since", default=None, metavar="DATE",
                     help="Reported at or after DATE (2024, 2024-01, 2024-01-31)."),
        click.option("--until", default=None, metavar="DATE",
                     help="First reported at or before DATE."),
        click.option("--min-sources", type=click.IntRange(0), default=0,
                     help="At least this many independent sources."),
    )):
        fn = opt(fn)
    return fn


def _query(db: str | None, accepted_only: bool = False, **filters: Any) -> list[Any]:
    from armstrace.fuse import query

    with _store(db) as store:
        return query(store, accepted_only=accepted_only, **filters)


@click.command("query")
@db_option
@_filters
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "jsonl"]),
              default="table", show_default=True)
@_output
def query_cmd(db: str | None, fmt: str, output: IO[str], **filters: Any) -> None:
    """Fused records (SPEC §10) matching the filters, most independent sources first."""
    from armstrace.exports import RECORD_COLUMNS, record_row, write_csv, write_jsonl

    records = _query(db, **filters)
    if fmt == "jsonl":
        write_jsonl((r.to_dict() for r in records), output)
    elif fmt == "csv":
        write_csv((record_row(r) for r in records), RECORD_COLUMNS, output)
    else:
        records_table(records, output)
    if not records:
        click.echo("armstrace: no record matches", err=True)
        sys.exit(1)


@click.command("fuse")
@db_option
def fuse_cmd(db: str | None) -> None:
    """Re-fuse every stored claim into records (ingest does this for what it stores)."""
    from armstrace.fuse import refresh_all

    with _store(db) as store:
        s = refresh_all(store)
    click.echo(f"{s.records} records from {s.claims} claims in {s.partitions} partitions")


@export_grp.command("claims")
@db_option
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl",
              show_default=True)
@click.option("--reviewed", is_flag=True,
              help="Reviewed values, rejected claims left out, with claim_id and review.")
@click.option("--accepted-only", is_flag=True,
              help="Only claims a reviewer accepted or corrected (implies --reviewed).")
@_output
def export_claims(db: str | None, fmt: str, reviewed: bool, accepted_only: bool,
                  output: IO[str]) -> None:
    """Claims of current documents: SPEC §7 objects with their doc_id, or CSV; as extracted,
    or as reviewed with --reviewed."""
    from armstrace.exports import CLAIM_COLUMNS, claim_row, write_csv, write_jsonl
    from armstrace.exports.reviewed import (
        REVIEWED_CLAIM_COLUMNS,
        reviewed_claim_objects,
        reviewed_claim_rows,
    )
    from armstrace.exports.tabular import claim_object

    with _store(db) as store:
        if reviewed or accepted_only:
            if fmt == "jsonl":
                write_jsonl(reviewed_claim_objects(store, accepted_only=accepted_only), output)
            else:
                write_csv(reviewed_claim_rows(store, accepted_only=accepted_only),
                          REVIEWED_CLAIM_COLUMNS, output)
        elif fmt == "jsonl":
            write_jsonl((claim_object(d, c) for d, c in store.iter_claims()), output)
        else:
            write_csv((claim_row(d, c) for d, c in store.iter_claims()), CLAIM_COLUMNS, output)


@export_grp.command("records")
@db_option
@_filters
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl",
              show_default=True)
@_accepted_only
@_output
def export_records(db: str | None, fmt: str, accepted_only: bool, output: IO[str],
                   **filters: Any) -> None:
    """Fused records: SPEC §10 JSON Lines, or CSV with the carried count and source names."""
    from armstrace.exports import RECORD_COLUMNS, record_row, write_csv, write_jsonl

    records = _query(db, accepted_only, **filters)
    if fmt == "jsonl":
        write_jsonl((r.to_dict() for r in records), output)
    else:
        write_csv((record_row(r) for r in records), RECORD_COLUMNS, output)


@export_grp.command("graphml")
@db_option
@_filters
@_accepted_only
@click.option("-o", "--output", type=click.File("wb", lazy=True), default="-",
              help="Write here instead of standard output.")
def export_graphml(db: str | None, accepted_only: bool, output: IO[bytes],
                   **filters: Any) -> None:
    """The supplier → recipient network of transfer records, as GraphML (opens in Gephi)."""
    from armstrace.exports import write_graphml

    write_graphml(_query(db, accepted_only, **{**filters, "kind": "transfer"}), output)


@export_grp.command("register")
@db_option
@_filters
@_accepted_only
@_output
def export_register(db: str | None, accepted_only: bool, output: IO[str],
                    **filters: Any) -> None:
    """Transfer records as a register-style CSV modelled on the SIPRI trade register."""
    from armstrace.exports import REGISTER_COLUMNS, register_rows, write_csv

    write_csv(register_rows(_query(db, accepted_only, **{**filters, "kind": "transfer"})),
              REGISTER_COLUMNS, output)


COMMANDS: tuple[Any, ...] = (query_cmd, fuse_cmd)
