"""The benchmark's PostgreSQL rows: the same store-level figures on a small PostgreSQL dataset (no timing asserts)."""

from __future__ import annotations

import math

from bench.generate import generate
from bench.run import NOW, PG, pg_server, review, saves, table_of


def test_postgresql_figures_come_from_the_same_measures(pg_url):  # type: ignore[no-untyped-def]
    counts = generate(pg_url, 300, now=NOW)
    assert counts["call"] == 300
    figures = review(pg_url, 1, 100_000, prefix=PG) + saves(pg_url, 2)
    names = {fig.name for fig in figures}
    assert {f"{PG}review: open (first page + count)", f"{PG}review: stats", "save one field"} <= names
    stats = next(fig for fig in figures if fig.name == f"{PG}review: stats")
    assert stats.budget == 100  # the stats budget applies at 100,000 calls
    assert all(math.isfinite(fig.median) and fig.median >= 0 for fig in figures)
    assert table_of({300: figures}, "t").row_count == len(figures)


def test_without_a_server_the_rows_are_skipped(monkeypatch):  # type: ignore[no-untyped-def]
    for name in ("SALESTUI_BENCH_PG_URL", "SALESTUI_TEST_PG_URL"):
        monkeypatch.delenv(name, raising=False)
    assert pg_server(None) is None
    assert pg_server("postgresql+psycopg://u@h/d") == "postgresql+psycopg://u@h/d"
