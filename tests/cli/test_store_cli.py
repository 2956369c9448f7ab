"""`armstrace ingest / watch / search / export` through click's runner, on both backends."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from armstrace.cli.main import cli
from armstrace.cli.store_cmds import parse_interval
from armstrace.store import EXPORT_KEYS
from tests.store.helpers import write_articles

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"


def invoke(*args: str) -> tuple[int, str, str]:
    res = CliRunner().invoke(cli, list(args))
    if res.exception is not None and not isinstance(res.exception, SystemExit):
        raise res.exception
    return res.exit_code, res.stdout, res.stderr


def _ingest_examples(db_url: str) -> int:
    """Ingest the bundled examples (text, JSON Lines, HTML pages, a feed); how many stored."""
    code, out, err = invoke("ingest", str(EXAMPLES), "--db", db_url, "--json")
    assert code == 0, err
    summary = json.loads(out)
    assert summary["new"] >= 8 and summary["failed"] == 0
    return int(summary["new"])


def test_ingest_summary_then_idempotent_rerun(db_url: str) -> None:
    code, out, err = invoke("ingest", str(EXAMPLES), "--db", db_url)
    assert code == 0, err
    n = int(out.split()[0])
    assert out.startswith(f"{n} new, 0 duplicate, 0 updated, 0 failed documents; ")
    assert out.rstrip().endswith(" claims") and n >= 8
    code, out, _ = invoke("ingest", str(EXAMPLES), "--db", db_url, "--json")
    assert code == 0
    summary = json.loads(out)
    assert (summary["new"], summary["duplicate"], summary["claims"]) == (0, n, 0)


def test_ingest_bad_inputs_one_line_each_and_exit_1(db_url: str, tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "good.txt").write_text("Iran shipped drones to Russia.", encoding="utf-8")
    code, out, err = invoke("ingest", str(tmp_path), "/nonexistent/x.txt", "--db", db_url)
    assert code == 1
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 2 and all(ln.startswith("armstrace: E100 ") for ln in lines)
    assert "empty.txt: empty file" in lines[0] and "x.txt: no such file" in lines[1]
    assert out.startswith("1 new, 0 duplicate, 0 updated, 2 failed documents;")


def test_ingest_env_var_names_the_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "env.db"
    monkeypatch.setenv("ARMSTRACE_DB", str(db))
    code, _, err = invoke("ingest", str(EXAMPLES / "patrol-boats.txt"))
    assert code == 0, err
    assert db.exists()


def test_ingest_progress_bar_forced_on_still_gives_the_summary(db_url: str) -> None:
    code, out, _ = invoke("ingest", str(EXAMPLES), "--db", db_url, "--progress")
    assert code == 0 and "new," in out


def test_export_documents_spec_keys_to_file(db_url: str, tmp_path: Path) -> None:
    n = _ingest_examples(db_url)
    target = tmp_path / "docs.jsonl"
    code, out, err = invoke(
        "export", "documents", "--format", "jsonl", "--db", db_url, "-o", str(target)
    )
    assert code == 0 and out == "", err
    docs = [json.loads(ln) for ln in target.read_text(encoding="utf-8").splitlines()]
    assert len(docs) == n
    assert all(tuple(d) == EXPORT_KEYS for d in docs)
    by_id = {d["doc_id"]: d for d in docs}
    assert by_id["ex-001"]["source_path"] == str(EXAMPLES / "articles.jsonl")
    assert by_id["ex-001"]["copy_of"] is None and by_id["ex-001"]["via"] == []
    assert all(d["source_path"] and d["content_hash"] and d["story_id"] for d in docs)
    code, out, _ = invoke("export", "documents", "--db", db_url)  # standard output
    assert [json.loads(ln) for ln in out.splitlines()] == docs


def test_search_prints_hits_and_exits_1_on_none(db_url: str) -> None:
    _ingest_examples(db_url)
    code, out, _ = invoke("search", '"artillery shells"', "--db", db_url)
    assert code == 0
    assert out.splitlines()[0].startswith("ex-001\t")
    code, out, _ = invoke("search", "shells", "--db", db_url, "--format", "jsonl", "--limit", "1")
    hit = json.loads(out)
    assert hit["doc_id"] == "ex-001" and "[" in hit["snippet"]
    code, out, err = invoke("search", "zeppelin", "--db", db_url)
    assert code == 1 and out == "" and "no stored document matches" in err


def test_watch_once_ingests_only_new_entries(db_url: str, tmp_path: Path) -> None:
    folder = write_articles(tmp_path / "inbox", 3)
    code, out, err = invoke("watch", str(folder), "--db", db_url, "--once")
    assert code == 0, err
    assert " 3 new, 0 duplicate" in out
    write_articles(tmp_path / "inbox", 5)  # two more arrive
    code, out, _ = invoke("watch", str(folder), "--db", db_url, "--cycles", "2", "--every", "0.01s")
    lines = out.splitlines()
    assert len(lines) == 2
    assert " 2 new, 3 duplicate" in lines[0] and " 0 new, 5 duplicate" in lines[1]


def test_bad_database_url_is_one_clear_line(tmp_path: Path) -> None:
    from armstrace.errors import ArmstraceError

    res = CliRunner().invoke(cli, ["search", "x", "--db", "nosuchdialect://nowhere"])
    assert isinstance(res.exception, ArmstraceError)
    assert "E400" in str(res.exception)
    res = CliRunner().invoke(cli, ["search", "x", "--db", str(tmp_path / "no" / "dir.db")])
    assert isinstance(res.exception, ArmstraceError)
    assert str(res.exception).startswith("E500 cannot open database sqlite:///")


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("90", 90), ("30s", 30), ("15m", 900), ("1h", 3600), ("1.5h", 5400), ("2d", 172800)],
)
def test_parse_interval(text: str, seconds: float) -> None:
    assert parse_interval(text) == seconds


@pytest.mark.parametrize("text", ["", "0", "soon", "-5m", "5 minutes"])
def test_parse_interval_rejects(text: str) -> None:
    with pytest.raises(click.BadParameter):
        parse_interval(text)
