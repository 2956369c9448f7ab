"""`armstrace serve` (the review web UI) and `armstrace user add` (its local accounts)."""

from __future__ import annotations

import sys

import click

from armstrace.cli.store_cmds import _store, db_option


@click.command("serve")
@db_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--read-only", is_flag=True,
              help="Browsing without accounts; every change is refused.")
def serve_cmd(db: str | None, host: str, port: int, read_only: bool) -> None:
    """Serve the review web UI (FastAPI under uvicorn)."""
    import uvicorn

    from armstrace.web import create_app

    app = create_app(db, read_only=read_only)
    click.echo(f"armstrace: serving {app.state.store.url} at http://{host}:{port}/"
               + (" (read-only)" if read_only else ""), err=True)
    uvicorn.run(app, host=host, port=port, log_level="info")


@click.group("user")
def user_grp() -> None:
    """Manage the web UI's local accounts."""


@user_grp.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["viewer", "analyst", "admin"]), required=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--replace", is_flag=True, help="Reset the password and role of an existing user.")
@db_option
def user_add(name: str, role: str, password_stdin: bool, replace: bool, db: str | None) -> None:
    """Create user NAME (the password is prompted for, or read with --password-stdin)."""
    from armstrace.web.passwords import hash_password

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < 8:
        raise click.ClickException("the password must have at least 8 characters")
    with _store(db) as store:
        user = store.add_user(name, hash_password(password), role, replace=replace)
    click.echo(f"user {user.name} ({user.role})")


@user_grp.command("list")
@db_option
def user_list(db: str | None) -> None:
    """List the accounts and their roles."""
    with _store(db) as store:
        for u in store.list_users():
            click.echo(f"{u.name}\t{u.role}")


COMMANDS = (serve_cmd, user_grp)
