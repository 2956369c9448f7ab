"""`armstrace user add` through the CLI runner: hashed password, roles, no duplicates."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from armstrace.cli.main import cli
from armstrace.store import open_store
from armstrace.web.passwords import verify_password


def test_user_add_with_password_stdin(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'u.db'}"
    runner = CliRunner()
    r = runner.invoke(cli, ["user", "add", "ana", "--role", "analyst", "--password-stdin",
                            "--db", url], input="s3cret-enough\n")
    assert r.exit_code == 0, r.output
    with open_store(url) as store:
        found = store.user_hash("ana")
        assert found is not None and found[0].role == "analyst"
        assert found[1].startswith("$argon2id$")
        assert verify_password(found[1], "s3cret-enough")
    again = runner.invoke(cli, ["user", "add", "ana", "--role", "viewer", "--password-stdin",
                                "--db", url], input="s3cret-enough\n")
    assert again.exit_code != 0
    short = runner.invoke(cli, ["user", "add", "bo", "--role", "viewer", "--password-stdin",
                                "--db", url], input="short\n")
    assert short.exit_code != 0
    bad = runner.invoke(cli, ["user", "add", "cy", "--role", "god", "--password-stdin",
                              "--db", url], input="s3cret-enough\n")
    assert bad.exit_code != 0
