"""`armstrace serve` (the review web UI) and `armstrace user add` (its local accounts)."""

from __future__ import annotations

import sys

import click

from armstrace.cli.store_cmds import _store, db_option

#: seconds an idle keep-alive connection stays open: longer than a reader's pause between
#: clicks (uvicorn's 5 s default closes connections a browser is about to reuse)
KEEP_ALIVE = 65


@click.command("serve")
@db_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--read-only", is_flag=True,
              help="Browsing without accounts; every change is refused.")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Worker processes (each with its own connections and caches).")
def serve_cmd(db: str | None, host: str, port: int, read_only: bool, workers: int) -> None:
    """Serve the review web UI (FastAPI under uvicorn) and print its address."""
    import os

    import uvicorn

    from armstrace.store import resolve_url
    from armstrace.web import create_app

    app = create_app(db, read_only=read_only)  # opens and migrates the store once, up front
    shown = f"http://{'[' + host + ']' if ':' in host else host}:{port}/"
    click.echo(f"armstrace: serving {app.state.store.url} at {shown}"
               + (" (read-only)" if read_only else "")
               + (f" with {workers} workers" if workers > 1 else ""), err=True)
    if not read_only and not app.state.store.list_users():
        click.echo("armstrace: no accounts yet: add one with `armstrace user add NAME --role "
                   "analyst`, or browse with `armstrace serve --read-only`", err=True)
    if workers == 1:
        uvicorn.run(app, host=host, port=port, log_level="warning",
                    timeout_keep_alive=KEEP_ALIVE)
        return
    app.state.store.close()
    os.environ["ARMSTRACE_DB"] = resolve_url(db)
    os.environ["ARMSTRACE_READ_ONLY"] = "1" if read_only else "0"
    uvicorn.run("armstrace.web.app:app_from_env", factory=True, host=host, port=port,
                workers=workers, log_level="warning", timeout_keep_alive=KEEP_ALIVE)


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
