"""Migrations: a database at the first revision, filled, upgrades to head without loss."""

from __future__ import annotations

import sqlite3

import pytest

from salestui.store.engine import make_engine, migrate, sqlite_url
from salestui.store.preflight import DatabaseProblem
from salestui.store.schema import HEAD


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
    # FTS5 shadow tables are managed by migrations only.
    return not (type_ == "table" and name and ("fts" in name or name.startswith("search")))
