"""The benchmark's store-level core runs on a small dataset and yields figures (no timing asserts).

The pty figures (first frame, memory) run in CI through ``python -m bench.run --quick``.
"""

from __future__ import annotations

import math

from bench.generate import generate
from bench.run import NOW, review, saves, table_of


def test_quick_benchmark_core_produces_figures(tmp_path):
    db = tmp_path / "bench.db"
    generate(db, 300, now=NOW)
    figures = review(db, 1) + saves(db, 2)
    names = {fig.name for fig in figures}
    assert {"review: open (first page + count)", "review: call detail", "save one field"} <= names
    assert any(name.startswith("review: search typing") for name in names)
    assert all(math.isfinite(fig.median) and fig.median >= 0 for fig in figures)
    assert {fig.passed for fig in figures if fig.budget is not None} <= {True, False}
    assert table_of({300: figures}, "t").row_count == len(figures)
