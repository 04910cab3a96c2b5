"""Migrations: a database at the first revision, filled, upgrades to head without loss."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from salestui.store.engine import make_engine, migrate, sqlite_url
from salestui.store.preflight import DatabaseProblem
from salestui.store.schema import HEAD


def _downgrade(engine, revision: str) -> None:  # type: ignore[no-untyped-def]
    """Alembic back to ``revision`` in one transaction (``engine.migrate`` goes the other way)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent.parent / "salestui/store/migrations"))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def _fill_first_revision(path):
    raw = sqlite3.connect(path)
    stamp = "2026-11-01 10:00:00.000000"
    raw.execute(
        "INSERT INTO account (id, name, industry, status, website, phone, city, notes, owner, created_at, updated_at, version) "
        "VALUES (1, 'Acme [/]', 'Mfg', 'prospect', '', '', '', '', 'me', ?, ?, 1)",
        (stamp, stamp),
    )
    raw.execute(
        "INSERT INTO call (id, account_id, scheduled_at, kind, status, objective, goal, strategy, expected_return, owner, created_at, updated_at, version) "
        "VALUES (1, 1, ?, 'demo', 'done', 'Show it', 'Score 4', '', '', 'me', ?, ?, 1)",
        (stamp, stamp, stamp),
    )
    raw.execute(
        "INSERT INTO objection (call_id, position, text, response, raised, handling, came_up_unplanned, created_at, updated_at) "
        "VALUES (1, 0, 'Too expensive', 'Phase it', 1, 'badly', 0, ?, ?)",
        (stamp, stamp),
    )
    raw.execute(
        "INSERT INTO debrief (call_id, went_well, do_differently, customer_feedback, lessons, next_step, created_at, updated_at, version) "
        "VALUES (1, 'rapport', 'price early', '', 'bring CFO', 'pilot', ?, ?, 1)",
        (stamp, stamp),
    )
    raw.commit()
    raw.close()


def test_upgrade_from_first_revision_keeps_everything(db_path):
    engine = make_engine(sqlite_url(db_path))
    migrate(engine, "0001_initial")
    engine.dispose()
    _fill_first_revision(db_path)

    from salestui.store.core import open_store

    store = open_store(db_path)
    raw = sqlite3.connect(db_path)
    assert raw.execute("SELECT version_num FROM alembic_version").fetchone()[0] == HEAD
    plan = store.calls.plan(1)
    assert plan.account_name == "Acme [/]" and plan.objective == "Show it"
    assert plan.objections[0].text == "Too expensive"
    assert plan.debrief is not None and plan.debrief.lessons == "bring CFO"
    if HEAD != "0001_initial":  # an upgrade happened: a backup was taken first
        assert list(db_path.parent.glob("*.before-0001_initial.bak"))


def test_newer_schema_is_refused_without_touching_the_file(db_path):
    from salestui.store.core import open_store

    open_store(db_path).engine.dispose()
    raw = sqlite3.connect(db_path)
    raw.execute("UPDATE alembic_version SET version_num = '9999_future'")
    raw.commit()
    raw.close()
    before = db_path.read_bytes()
    with pytest.raises(DatabaseProblem, match="newer salestui"):
        open_store(db_path)
    assert db_path.read_bytes() == before


def test_schema_matches_the_tables():
    """Alembic autogenerate finds nothing to change: tables.py and the migrations agree."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    import salestui.store.tables  # noqa: F401

    engine = make_engine("sqlite://")
    migrate(engine)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": _ours})
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == []


def _ours(obj, name, type_, reflected, compare_to):  # type: ignore[no-untyped-def]
    # FTS5 shadow tables and the stats summary (0007_perf, SQLite only) are managed by migrations only.
    return not (type_ == "table" and name and ("fts" in name or name.startswith(("search", "stats_summary"))))


def _fill_before_drafts(path):
    """Four calls at revision 0002 with debriefs written before the finished flag existed."""
    raw = sqlite3.connect(path)
    stamp, edited = "2026-11-01 10:00:00.000000", "2026-11-02 18:30:00.000000"
    raw.execute(
        "INSERT INTO account (id, name, industry, status, website, phone, city, notes, owner, created_at, updated_at, version) "
        "VALUES (1, 'Acme', '', 'prospect', '', '', '', '', 'me', ?, ?, 1)",
        (stamp, stamp),
    )
    # 1: drafted a next call (2); 3: an outcome but no next call; 4: neither (typed, never confirmed).
    for call_id, when, status, outcome in (
        (1, "2026-11-01 10:00:00.000000", "done", "advance"),
        (2, "2026-11-30 09:00:00.000000", "planned", None),
        (3, "2026-11-05 10:00:00.000000", "done", "lost"),
        (4, "2026-11-10 10:00:00.000000", "done", None),
    ):
        raw.execute(
            "INSERT INTO call (id, account_id, scheduled_at, kind, status, objective, goal, strategy, expected_return, outcome, owner, created_at, updated_at, version) "
            "VALUES (?, 1, ?, 'demo', ?, 'Objective', '', '', '', ?, 'me', ?, ?, 1)",
            (call_id, when, status, outcome, stamp, stamp),
        )
    for call_id, next_call_id, lessons in ((1, 2, "bring CFO"), (3, None, "price early"), (4, None, "half typed")):
        raw.execute(
            "INSERT INTO debrief (call_id, went_well, do_differently, customer_feedback, lessons, next_step, follow_up, rating, next_call_id, created_at, updated_at, version) "
            "VALUES (?, 'rapport', '', '', ?, 'pilot', '2026-11-20', 4, ?, ?, ?, 3)",
            (call_id, lessons, next_call_id, stamp, edited),
        )
    raw.commit()
    raw.close()


def test_upgrade_to_debrief_finished_marks_drafted_and_decided_debriefs_finished(db_path, frozen_now):
    """0002 -> 0003: next call drafted or outcome recorded: finished at its last edit; else a draft."""
    from datetime import UTC, datetime

    from salestui.domain.enums import DebriefState
    from salestui.store.core import open_store

    engine = make_engine(sqlite_url(db_path))
    migrate(engine, "0002_search")
    engine.dispose()
    _fill_before_drafts(db_path)

    store = open_store(db_path, owner="me")
    try:
        edited = datetime(2026, 11, 2, 18, 30, tzinfo=UTC)
        got = {call_id: store.debriefs.get(call_id) for call_id in (1, 3, 4)}
        assert {call_id: d.finished_at for call_id, d in got.items()} == {1: edited, 3: edited, 4: None}
        # Nothing else changed: texts, links, dates, versions.
        assert [(d.lessons, d.next_call_id, d.rating, d.version) for d in got.values()] == [
            ("bring CFO", 2, 4, 3),
            ("price early", None, 4, 3),
            ("half typed", None, 4, 3),
        ]
        # The unconfirmed one is back in "Needs a debrief"; the others count as debriefed.
        assert [c.id for c in store.calls.needing_debrief()] == [4]
        states = {line.id: line.debrief_state for line in store.review.first_page().lines}
        assert states == {1: DebriefState.DONE, 3: DebriefState.DONE, 4: DebriefState.DRAFT}
        stats = store.review.stats()
        assert (stats.overall.held, stats.overall.debriefed) == (2, 2)
        # The search index still follows debrief edits (the column was added in place, triggers kept).
        store.debriefs.save(4, lessons="zebra deck")
        assert [h.call_id for h in store.review.search("zebra")] == [4]
    finally:
        store.close()
    assert list(db_path.parent.glob("*.before-0002_search.bak"))


def test_downgrade_from_debrief_finished_keeps_data_and_search(db_path, frozen_now):
    from salestui.store.core import open_store

    store = open_store(db_path, owner="me")
    account = store.accounts.create("Acme")
    call = store.calls.create(account.id)
    store.debriefs.finish(call, lessons="kept")
    store.close()
    engine = make_engine(sqlite_url(db_path))
    _downgrade(engine, "0002_search")
    with engine.begin() as connection:
        columns = [row[1] for row in connection.exec_driver_sql("PRAGMA table_info(debrief)")]
        assert "finished_at" not in columns
        assert connection.exec_driver_sql("SELECT lessons FROM debrief").scalar() == "kept"
        connection.exec_driver_sql("UPDATE debrief SET lessons = 'zebra'")
        found = connection.exec_driver_sql("SELECT count(*) FROM search_fts WHERE search_fts MATCH 'zebra'").scalar()
        assert found == 1  # the search triggers survived the column drop
    engine.dispose()


def test_search_prefix_indexes_upgrade_and_downgrade_keep_the_index_and_its_triggers(db_path, frozen_now):
    """0012 rebuilds the search index with prefix indexes for 2 to 8 letters: same rows, the
    triggers still fill it, and the way back restores 0002's two prefix lengths."""
    from salestui.store.core import open_store

    store = open_store(db_path, owner="me")
    account = store.accounts.create("Acme")
    call = store.calls.create(account.id, objective="Procurement review")
    store.calls.add_note(call, "pilot scope agreed")
    store.close()

    def definition(connection) -> str:  # type: ignore[no-untyped-def]
        return connection.exec_driver_sql("SELECT sql FROM sqlite_master WHERE name = 'search_fts'").scalar()

    def matches(connection, query: str) -> int:  # type: ignore[no-untyped-def]
        return connection.exec_driver_sql("SELECT count(*) FROM search_fts WHERE search_fts MATCH ?", (query,)).scalar()

    engine = make_engine(sqlite_url(db_path))
    with engine.begin() as connection:
        assert "prefix = '2 3 4 5 6 7 8'" in definition(connection)
        rows = connection.exec_driver_sql(
            "SELECT rowid, body, call_id, account_id FROM search_fts ORDER BY rowid"
        ).all()
    _downgrade(engine, "0011_stats_ladder")
    with engine.begin() as connection:
        assert "prefix = '2 3')" in definition(connection)
    migrate(engine)
    with engine.begin() as connection:
        assert "prefix = '2 3 4 5 6 7 8'" in definition(connection)
        after = connection.exec_driver_sql(
            "SELECT rowid, body, call_id, account_id FROM search_fts ORDER BY rowid"
        ).all()
        assert after == rows and len(rows) >= 3  # account name, objective, note
        assert matches(connection, '"procurem"*') == 1 and matches(connection, '"pilot"*') == 1
        connection.exec_driver_sql("UPDATE call SET objective = 'zebra crossing' WHERE id = ?", (call,))
        assert matches(connection, '"zebra"*') == 1 and matches(connection, '"procurem"*') == 0  # triggers work
        assert connection.exec_driver_sql("INSERT INTO search_fts(search_fts) VALUES ('integrity-check')") is not None
    engine.dispose()


def test_search_prefix_upgrade_opens_a_file_that_lost_its_search_index(db_path):
    """0012 rebuilds the search index; a damaged file without one still upgrades (the doctor
    rebuilds the index), as it opened before 0012."""
    from salestui.store.core import open_store

    open_store(db_path, owner="me").close()
    engine = make_engine(sqlite_url(db_path))
    _downgrade(engine, "0011_stats_ladder")
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE search_fts")
    migrate(engine)
    with engine.begin() as connection:
        assert connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == HEAD
        assert connection.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'search_fts'").first() is None
    engine.dispose()
