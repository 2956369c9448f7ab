"""The CLI through click's runner and as a real subprocess (bad input, SPEC §7 output)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from armstrace.cli.main import cli

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"


def run(*args: str, input: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "armstrace", *args], input=input, capture_output=True, timeout=120
    )


def test_extract_examples_writes_one_spec_object_per_document() -> None:
    res = CliRunner().invoke(cli, ["extract", str(EXAMPLES / "articles.jsonl")])
    assert res.exit_code == 0, res.output
    lines = [json.loads(x) for x in res.output.splitlines()]
    assert [d["doc_id"] for d in lines] == ["ex-001", "ex-002", "ex-003", "ex-004", "ex-005"]
    by_id = {d["doc_id"]: d["claims"] for d in lines}
    assert by_id["ex-005"] == []  # football transfer, a "supplied" cross, arms of seats
    keys = {
        (c["kind"], c.get("supplier"), c.get("recipient"), c["item_category"], c["polarity"])
        for c in by_id["ex-001"]
    }
    assert ("transfer", "PRK", "RUS", "ammunition", "affirmed") in keys


def test_extract_table_format_renders() -> None:
    res = CliRunner().invoke(cli, ["extract", str(EXAMPLES), "--format", "table"])
    assert res.exit_code == 0, res.output
    assert "PRK → RUS" in res.output


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "empty.txt: empty file"),
        ("blank.txt", b"  \n\n ", "blank.txt: empty file"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary.txt: binary file"),
        (
            "latin1.txt",
            "Caf\u00e9 and tanks".encode("latin-1"),
            "latin1.txt: not valid UTF-8 (byte 0xe9",
        ),
        ("broken.jsonl", b'{"id": "a", "text": "ok"}\n{not json\n', "broken.jsonl:2: not JSON"),
        ("notext.jsonl", b'{"id": "a"}\n', "notext.jsonl:1: document has no 'text' string"),
        ("noid.jsonl", b'{"text": "x"}\n', "noid.jsonl:1: document has no 'id'"),
        ("array.jsonl", b"[1, 2]\n", "array.jsonl:1: a document must be a JSON object"),
    ],
)
def test_bad_input_gets_one_line_naming_file_and_nonzero_exit(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    bad = tmp_path / name
    bad.write_bytes(content)
    good = tmp_path / "good.txt"
    good.write_text("Iran has shipped drones to Russia, officials said.", encoding="utf-8")
    res = run("extract", str(bad), str(good))
    err = res.stderr.decode()
    assert res.returncode == 1
    assert message in err
    assert "Traceback" not in err
    assert len([ln for ln in err.splitlines() if ln.strip()]) == 1
    docs = [json.loads(x) for x in res.stdout.decode().splitlines()]
    assert docs[-1]["doc_id"] == str(good)  # the good document is still processed
    assert docs[-1]["claims"], "the good document should yield a claim"


def test_oversized_file_is_refused_with_a_clear_line(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"Russia sent tanks. " * 600_000)  # ~11 MB
    res = run("extract", str(big))
    assert res.returncode == 1
    assert "big.txt: file too large" in res.stderr.decode()


def test_large_file_under_a_raised_limit_finishes(tmp_path: Path) -> None:
    # a pathological 3 MB "sentence" with no punctuation must still finish: bounded work
    big = tmp_path / "wall.txt"
    big.write_bytes(b"Russia sent tanks and drones to Iran and " * 75_000)
    res = run("extract", "--max-bytes", "5000000", str(big))
    assert res.returncode == 0, res.stderr.decode()[-500:]


def test_stdin_text_and_jsonl() -> None:
    res = run("extract", "-", input=b"North Korea has provided Russia with artillery shells.")
    assert res.returncode == 0
    doc = json.loads(res.stdout)
    assert doc["doc_id"] == "stdin"
    assert {c["item_category"] for c in doc["claims"]} == {"ammunition"}
    res = run(
        "extract", "-", input=b'{"id": "x1", "text": "Iran denied sending drones to Russia."}\n'
    )
    assert json.loads(res.stdout)["doc_id"] == "x1"


def test_missing_path_is_an_error_not_a_traceback() -> None:
    res = run("extract", "/nonexistent/file.txt")
    assert res.returncode == 1
    assert "no such file" in res.stderr.decode()


def test_lexicon_lookup_and_validate() -> None:
    runner = CliRunner()
    res = runner.invoke(cli, ["lexicon", "lookup", "Shahed-136"])
    assert res.exit_code == 0 and "loitering_munitions" in res.output
    res = runner.invoke(cli, ["lexicon", "lookup", "Pyongyang"])
    assert "PRK" in res.output
    res = runner.invoke(cli, ["lexicon", "validate"])
    assert res.exit_code == 0 and "weapons.tsv: ok" in res.output


def test_lexicon_validate_reports_file_line(tmp_path: Path) -> None:
    bad = tmp_path / "weapons.tsv"
    bad.write_text("w.x\tuav\tgeneric\tdrone\nw.y\tlasers\tgeneric\tlaser\n", encoding="utf-8")
    res = run("lexicon", "validate", str(bad))
    assert res.returncode == 2
    assert "weapons.tsv:2: unknown category 'lasers'" in res.stderr.decode()
