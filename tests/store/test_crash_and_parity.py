"""Crash safety (kill -9 mid-run, then resume) and SQLite/PostgreSQL parity, through the CLI.

These run the real `python -m armstrace ingest` with the real extraction pipeline, so they
check the whole path a user runs; the comparisons are between runs, never against pinned
claims, so they hold while the extractor improves.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from armstrace.store import open_store
from tests.conftest import SHARED
from tests.store.backends import BACKENDS, new_db_url
from tests.store.helpers import comparable, write_articles

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
N_ARTICLES = 200


def armstrace(*runs: tuple[str, ...], timeout: float = 120) -> list[tuple[int, str, str]]:
    """Run `python -m armstrace ARGS...` once per tuple, side by side; (status, out, err)."""
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "armstrace", *args],
            cwd=REPO,
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for args in runs
    ]
    results = []
    for p in procs:
        out, err = p.communicate(timeout=timeout)
        results.append((p.returncode, out, err))
    return results


def snapshot(url: str) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """The SPEC §11 export and the number of claims per document."""
    with open_store(url) as store:
        docs = [d.to_export_dict() for d in store.iter_documents()]
        claims: dict[str, int] = {d["doc_id"]: 0 for d in docs}
        for doc_id, _ in store.iter_claims():
            claims[doc_id] += 1
    return docs, claims


@pytest.fixture(scope="module")
def articles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_articles(tmp_path_factory.mktemp("kill") / "articles", N_ARTICLES)


@pytest.fixture(scope="module")
def reference(
    articles: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """An uninterrupted run over `articles` (SQLite: parity with PostgreSQL is tested below)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('reference') / 'reference.db'}"
    ((code, out, err),) = armstrace(("ingest", str(articles), "--db", url, "--json"))
    assert code == 0, err[-2000:]
    assert json.loads(out)["new"] == N_ARTICLES
    return snapshot(url)


def test_kill_9_mid_run_then_rerun_matches_an_uninterrupted_run(
    db_url: str, articles: Path, reference: tuple[list[dict[str, Any]], dict[str, int]]
) -> None:
    with open_store(db_url):
        pass  # create the schema first, so polling below never races the migration
    proc = subprocess.Popen(
        [sys.executable, "-m", "armstrace", "ingest", str(articles), "--db", db_url],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=REPO,
    )
    stored = 0
    with open_store(db_url) as store:
        try:
            deadline = time.monotonic() + 90
            while proc.poll() is None and time.monotonic() < deadline:
                stored = store.counts()["documents"]
                if stored >= 5:
                    break
                time.sleep(0.002)
        finally:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
        killed_at = store.counts()["documents"]
        runs = store.runs()
    assert proc.returncode == -signal.SIGKILL, (proc.returncode, proc.stderr.read()[-2000:])
    assert 0 < killed_at < N_ARTICLES, f"kill did not land mid-run ({killed_at} stored)"
    assert runs[0]["status"] == "running"  # the killed run never finished

    ((code, out, err),) = armstrace(("ingest", str(articles), "--db", db_url, "--json"))
    assert code == 0, err[-2000:]
    summary = json.loads(out)
    assert summary["duplicate"] == killed_at and summary["new"] == N_ARTICLES - killed_at

    (got_docs, got_claims), (want_docs, want_claims) = snapshot(db_url), reference
    assert [d["doc_id"] for d in got_docs] == [d["doc_id"] for d in want_docs]
    assert got_docs == want_docs  # hashes, stories and copies included
    assert got_claims == want_claims


def _parity_inputs(tmp_path: Path) -> list[str]:
    inputs = [str(EXAMPLES), str(write_articles(tmp_path / "generated", 25))]
    corpus = SHARED / "corpus" / "seed.jsonl"
    if corpus.exists():  # real reporting when ../shared is beside the repository
        sample = tmp_path / "seed-sample.jsonl"
        with corpus.open(encoding="utf-8") as fh:
            sample.write_text(
                "".join(line for _, line in zip(range(40), fh, strict=False)), encoding="utf-8"
            )
        inputs.append(str(sample))
    return inputs


def test_sqlite_and_postgresql_store_identical_results(tmp_path: Path) -> None:
    urls: dict[str, str] = {}
    cleanups = []
    for backend in BACKENDS:
        gen = new_db_url(backend, tmp_path, f"parity-{backend}")
        urls[backend] = next(gen)
        cleanups.append(gen)
    try:
        inputs = _parity_inputs(tmp_path)
        runs = armstrace(*(("ingest", *inputs, "--db", url, "--json") for url in urls.values()))
        results = {}
        for (backend, url), (code, out, err) in zip(urls.items(), runs, strict=True):
            assert code == 0, err[-2000:]
            with open_store(url) as store:
                claims = [(d, c.to_dict()) for d, c in store.iter_claims()]
                search = [(h.doc_id, h.title) for h in store.search("artillery shells", 50)]
            docs, _ = snapshot(url)
            results[backend] = (
                json.loads(out),
                [comparable(d) for d in docs],
                claims,
                sorted(search),
            )
        sqlite, pg = results["sqlite"], results["postgresql"]
        assert sqlite[0] | {"run_id": 0} == pg[0] | {"run_id": 0}  # same summary
        assert sqlite[1] == pg[1]  # same documents, hashes, stories
        assert sqlite[2] == pg[2]  # same claims, field by field
        assert sqlite[3] == pg[3]  # the same documents match a search
    finally:
        for gen in cleanups:
            gen.close()
