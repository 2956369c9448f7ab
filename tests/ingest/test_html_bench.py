"""Every page of ../shared/html-bench reads into a Document (the quality figure is measured by
bench/html_quality.py, not here: tests assert no timings and no scores that drift)."""

from __future__ import annotations

import json

from armstrace.errors import InputError
from armstrace.ingest import read_paths
from tests.conftest import need_shared


def test_every_html_bench_page_reads_without_error() -> None:
    html = need_shared("html-bench", "html")
    truth = json.loads(need_shared("html-bench", "ground-truth.json").read_text())
    items = list(read_paths([str(html)]))
    errors = [str(i) for i in items if isinstance(i, InputError)]
    assert errors == []
    stems = {str(getattr(i, "source_path", "")).rsplit("/", 1)[-1].split(".")[0] for i in items}
    assert stems == set(truth)
    assert all(getattr(i, "text", "").strip() for i in items)
