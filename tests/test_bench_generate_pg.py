"""bench.generate on PostgreSQL: the fast load (triggers off, derived tables filled after) makes the
same database as loading through the triggers, row for row."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from bench.generate import generate
from salestui.domain import clock

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
CALLS = 400


def _tables(url: str) -> dict[str, tuple[int, str]]:
    """Every table's row count and a digest of its rows (in a fixed order), and each id sequence's value."""
    import sqlalchemy as sa

    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            names = connection.exec_driver_sql(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
            ).scalars()
            found = {}
            for name in list(names):
                # What opening a new database writes (its id, when) differs between any two databases.
                opened = name in ("setting", "checklist_template_item")
                row = "(to_jsonb(r) - 'created_at' - 'updated_at')::text" if opened else "r::text"
                where = {
                    "setting": "r.key != 'database_id'",
                    # Loaded through the triggers, a group can end at zero (one taken away, one added).
                    "stats_summary": "r.calls != 0 OR r.debriefed != 0",
                }.get(name, "true")
                found[name] = connection.exec_driver_sql(
                    f"SELECT count(*), coalesce(md5(string_agg({row}, chr(10) ORDER BY {row})), '')"
                    f' FROM "{name}" AS r WHERE {where}'
                ).one()
            for name, value in connection.exec_driver_sql(
                "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = current_schema()"
            ):
                found[f"sequence {name}"] = (int(value or 0), "")
    finally:
        engine.dispose()
    return {name: (int(count), str(digest)) for name, (count, digest) in found.items()}


def _reads(url: str) -> tuple[Any, ...]:
    """What the app reads: stats, search hits, a review count, the forecast's held counts."""
    from salestui.domain.review import ReviewFilter
    from salestui.store.core import open_store
    from salestui.store.forecast import read

    clock.freeze(NOW)
    store = open_store(url, owner="bench")
    try:
        review = store.review
        hits = [h for h in review.search("pilot")]
        hits += review.search("münchen")
        overdue = review.count(ReviewFilter(follow_up_overdue=True))
        return review.stats(), hits, overdue, sorted(map(repr, read(store).groups))
    finally:
        store.close()
        clock.freeze(None)


@pytest.mark.sqlite_only("builds its own two PostgreSQL databases (pg_url), no store fixture")
def test_fast_load_makes_the_same_database_as_the_triggers(pg_url: str) -> None:
    from tests.pg import fresh_database

    slow_databases = fresh_database()
    slow = next(slow_databases)
    try:
        fast_counts = generate(pg_url, CALLS, now=NOW)
        slow_counts = generate(slow, CALLS, now=NOW, triggers=True)
        assert fast_counts == slow_counts
        assert fast_counts["call"] == CALLS
        fast, made = _tables(pg_url), _tables(slow)
        assert fast.keys() == made.keys()
        # The derived tables are not empty (a fill that did nothing would still "match" an empty twin).
        assert fast["search_fts"][0] > CALLS and fast["stats_summary"][0] > 10
        assert {name: value for name, value in fast.items() if value != made[name]} == {}
        fast_reads, slow_reads = _reads(pg_url), _reads(slow)
        assert fast_reads[1], "the search found nothing"
        assert fast_reads[0].overall.held > 0
        assert fast_reads == slow_reads
    finally:
        slow_databases.close()
