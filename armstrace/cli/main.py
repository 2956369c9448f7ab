"""`armstrace` commands. Each is a few lines over the Python API; the work lives there.

Errors a user can cause are `ArmstraceError`s: the command prints their one line on stderr and
carries on with the next input where that makes sense, exiting non-zero at the end. `--debug`
re-raises instead, for the traceback.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from armstrace.cli.fuse_cmds import COMMANDS as FUSE_COMMANDS
from armstrace.cli.store_cmds import COMMANDS as STORE_COMMANDS
from armstrace.cli.web_cmds import COMMANDS as WEB_COMMANDS
from armstrace.errors import ArmstraceError

F = TypeVar("F", bound=Callable[..., Any])


def _fail(message: str) -> None:
    click.echo(f"armstrace: {message}", err=True)


@click.group()
@click.version_option(package_name="armstrace")
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Turn news reporting on arms transfers into source-linked claims."""
    ctx.obj = {"debug": debug}


for _command in STORE_COMMANDS:  # ingest, watch, search, export (armstrace/cli/store_cmds.py)
    cli.add_command(_command)
for _command in FUSE_COMMANDS:  # query, fuse; more export formats (armstrace/cli/fuse_cmds.py)
    cli.add_command(_command)
for _command in WEB_COMMANDS:  # serve, user (armstrace/cli/web_cmds.py)
    cli.add_command(_command)


@cli.command("extract")
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--format", "fmt", type=click.Choice(["jsonl", "table"]), default="jsonl", show_default=True
)
@click.option("--max-bytes", type=int, default=None, help="Refuse inputs larger than this.")
@click.option("--no-provenance", is_flag=True, help="Leave out rule and lexicon ids.")
@click.pass_context
def extract_cmd(
    ctx: click.Context, paths: tuple[str, ...], fmt: str, max_bytes: int | None, no_provenance: bool
) -> None:
    """Extract SPEC §7 claims from .txt / .jsonl files, folders, or - (stdin)."""
    from armstrace.cli.render import claims_table
    from armstrace.extract.pipeline import default_pipeline
    from armstrace.ingest.files import DEFAULT_MAX_BYTES, read_paths
    from armstrace.models import Document

    debug = ctx.obj["debug"]
    pipeline = default_pipeline()
    failed = 0
    rows: list[tuple[Document, list[Any]]] = []
    for item in read_paths(paths, max_bytes or DEFAULT_MAX_BYTES):
        if isinstance(item, ArmstraceError):
            failed += 1
            _fail(str(item))
            continue
        try:
            claims = pipeline.analyse(item)
        except Exception as e:  # one broken document must not stop the batch
            if debug:
                raise
            failed += 1
            _fail(f"{item.id}: extraction failed: {type(e).__name__}: {e}")
            continue
        if fmt == "jsonl":
            out = {
                "doc_id": item.id,
                "title": item.title,
                "claims": [c.to_dict(provenance=not no_provenance) for c in claims],
            }
            click.echo(json.dumps(out, ensure_ascii=False))
        else:
            rows.append((item, claims))
    if fmt == "table":
        claims_table(rows)
    if failed:
        ctx.exit(1)


@cli.command("eval")
@click.argument("gold", type=click.Path(dir_okay=False))
@click.argument("system", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="One JSON object, as score.py --json.")
@click.option("--summary", is_flag=True, help="One summary line, as score.py --summary.")
@click.option("--docs", default=None, help="Comma-separated doc ids to score.")
def eval_cmd(gold: str, system: str, as_json: bool, summary: bool, docs: str | None) -> None:
    """Score SYSTEM claims against GOLD claims (SPEC §8)."""
    from armstrace.evaluate import format_report, format_summary, load_claims, score

    result = score(load_claims(gold), load_claims(system), docs.split(",") if docs else None)
    if as_json:
        click.echo(json.dumps(result.to_json()))
    elif summary:
        click.echo(format_summary(result))
    else:
        click.echo(format_report(result))


@cli.group("lexicon")
def lexicon_grp() -> None:
    """Inspect and check the lexicons."""


@lexicon_grp.command("lookup")
@click.argument("term")
def lexicon_lookup(term: str) -> None:
    """Show the lexicon entries whose forms match TERM exactly, and what a scan finds in it."""
    from armstrace.extract.lexicon import default_lexicons

    lex = default_lexicons()
    entries = lex.lookup(term)
    for e in entries:
        click.echo(f"{e.lexicon}:{e.id}\t{e.value}\t{e.role}\t(line {e.line})")
    if not entries:
        inside = lex.match(term)
        if not inside:
            _fail(f"no lexicon entry matches {term!r}")
            sys.exit(1)
        for m in inside:
            click.echo(f"{m.lexicon}:{m.entry_id}\t{m.value}\t{m.role}\t{m.text!r} at {m.start}")


@lexicon_grp.command("validate")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False))
def lexicon_validate(files: tuple[str, ...]) -> None:
    """Validate the shipped lexicons (or FILES); print one line per problem."""
    from armstrace.extract.lexicon import Lexicons, data_dir, load_file

    paths = [Path(f) for f in files] or sorted(data_dir().glob("*.tsv"))
    entries = []
    for p in paths:
        entries.extend(load_file(p))
        click.echo(f"{p.name}: ok")
    lex = Lexicons(entries)
    click.echo(f"{len(entries)} entries, lexicon version {lex.version}")


def main(argv: list[str] | None = None) -> None:
    """Console entry point: one line per user error, a traceback only with --debug."""
    args = sys.argv[1:] if argv is None else argv
    try:
        # without standalone mode, click returns a command's `ctx.exit(n)` status, not exits
        status = cli.main(args=args, prog_name="armstrace", standalone_mode=False)
    except click.exceptions.Exit as e:
        sys.exit(e.exit_code)
    except click.ClickException as e:
        e.show()
        sys.exit(e.exit_code)
    except click.exceptions.Abort:
        _fail("aborted")
        sys.exit(130)
    except ArmstraceError as e:
        if "--debug" in args:
            raise
        _fail(str(e))
        sys.exit(2)
    except BrokenPipeError:
        sys.exit(0)
    if isinstance(status, int) and status:
        sys.exit(status)
