"""Shared fixtures: UTC clock zone, a frozen moment, and real SQLite stores in tmp_path."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

os.environ["TZ"] = "UTC"
time.tzset()

FROZEN_NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Settings live in ``tmp_path`` (``$SALESTUI_CONFIG_DIR``): no test reads or writes the rep's own."""
    folder = tmp_path / "config"
    monkeypatch.setenv("SALESTUI_CONFIG_DIR", str(folder))
    return folder


@pytest.fixture(autouse=True)
def journal_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Journals of unsaved changes live in ``tmp_path`` (``$SALESTUI_JOURNAL_DIR``), never the rep's."""
    folder = tmp_path / "journal"
    monkeypatch.setenv("SALESTUI_JOURNAL_DIR", str(folder))
    return folder


@pytest.fixture(autouse=True)
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Home's cached lists live in ``tmp_path`` (``$SALESTUI_CACHE_DIR``), never in the rep's cache."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("SALESTUI_CACHE_DIR", str(folder))
    return folder


@pytest.fixture(autouse=True)
def steady_cursor(monkeypatch: pytest.MonkeyPatch) -> None:
    """Text cursors do not blink in tests: on a loaded machine a snapshot taken more than half a
    second after the last key caught the cursor hidden (a frame that differs by timing alone)."""
    from textual.widgets import Input, TextArea

    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)
    monkeypatch.setattr(TextArea, "_toggle_cursor_blink_visible", lambda self: None)


@pytest.fixture(autouse=True)
def short_idle_polls(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pilot's ``press`` and ``pause`` end on a guess: sleep until the process used under 5% CPU
    in one sleep. With Textual's 20 ms sleeps every key costs at least 40 ms of idle wall time
    (a third of the suite). 5 ms sleeps keep the same 5% test and cost a quarter of that. What
    a test asserts does not rest on the guess: ``press`` still returns only once the screen has
    handled every message queued so far, and loads, saves and workers are awaited by the
    helpers' events (tests/helpers.py)."""
    import textual._wait

    monkeypatch.setattr(textual._wait, "SLEEP_GRANULARITY", 0.005)
    monkeypatch.setattr(textual._wait, "SLEEP_IDLE", 0.005 / 20)


@pytest.fixture
def frozen_now() -> Iterator[datetime]:
    """Freeze the domain clock at Monday 2026-11-23 09:00 UTC."""
    from salestui.domain import clock

    clock.freeze(FROZEN_NOW)
    yield FROZEN_NOW
    clock.freeze(None)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A fresh database path."""
    return tmp_path / "salestui.db"


SQLITE, POSTGRESQL = "sqlite", "postgresql"


def pytest_configure(config: pytest.Config) -> None:
    """Register the marker of tests that only make sense on a SQLite file."""
    config.addinivalue_line(
        "markers",
        "sqlite_only(reason): the test's store (and app) use a SQLite file only; the reason says why",
    )


# The Pilot journeys that read and write the database, run on PostgreSQL too: review and its
# search, stats, team, plan, in-call, debrief, import (calendar) and export.
PILOT_ON_BOTH = frozenset(
    {
        "test_review_screens",
        "test_team_screen",
        "test_plan_screen",
        "test_incall_screen",
        "test_debrief_screen",
        "test_calendar_tui",
        "test_tui_export",
        "test_pg_parity_tui",
    }
)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Every store test (a test that uses the ``store`` or ``db_target``) runs on SQLite and on
    PostgreSQL; Pilot tests (``async``) do in the journey modules of ``PILOT_ON_BOTH``.

    Left on SQLite alone: tests marked ``sqlite_only`` (files, WAL, backups, doctor: the reason
    is in the marker), snapshot tests (what the screen draws, named by test: one run each), and
    the Pilot tests of other screens (they draw what the same store reads return; one run each
    keeps the suite within CI's time).
    """
    import inspect

    if "backend" not in metafunc.fixturenames:
        return
    if metafunc.definition.get_closest_marker("sqlite_only") or "snap_compare" in metafunc.fixturenames:
        return
    if inspect.iscoroutinefunction(metafunc.function) and metafunc.module.__name__.split(".")[-1] not in PILOT_ON_BOTH:
        return
    metafunc.parametrize("backend", [SQLITE, POSTGRESQL], indirect=True)


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Drop this process's PostgreSQL template database (tests/pg.py)."""
    from tests.pg import drop_template

    drop_template()


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    """``sqlite`` or ``postgresql``: the database the test's store and app use."""
    return str(getattr(request, "param", SQLITE))


@pytest.fixture
def db_target(backend: str, db_path: Path, request: pytest.FixtureRequest) -> Iterator[str | Path]:
    """The test's database: the SQLite file ``db_path``, or a fresh PostgreSQL database at the
    current schema (skipped without SALESTUI_TEST_PG_URL). On PostgreSQL ``db_path`` stands for
    it: the app, the CLI and ``open_store`` given ``db_path`` open that database
    (``tests.pg.standing_in``), so a test reopens "the file" as it would on SQLite."""
    if backend == SQLITE:
        yield db_path
        return
    from tests.pg import ALIASES, migrated_database, standing_in

    for url in migrated_database():
        ALIASES[str(db_path)] = url
        try:
            with standing_in():
                yield url
        finally:
            ALIASES.pop(str(db_path), None)


@pytest.fixture
def store(db_target: str | Path):  # type: ignore[no-untyped-def]
    """An open store (owner "tester") at the current schema: on a real SQLite file, and (same
    test, second run) on PostgreSQL."""
    from salestui.store.core import open_store

    opened = open_store(db_target, owner="tester")
    yield opened
    if isinstance(db_target, Path):
        opened.engine.dispose()
    else:
        opened.close()  # its watcher's connection too, before the database is dropped


@pytest.fixture
def demo_store(store, frozen_now):  # type: ignore[no-untyped-def]
    """A store filled with the demo dataset at the frozen moment."""
    from salestui.store.demo import load_demo

    load_demo(store, now=frozen_now)
    return store


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database (dropped after); skipped without SALESTUI_TEST_PG_URL."""
    from tests.pg import fresh_database

    yield from fresh_database()


@pytest.fixture
def any_store(store):  # type: ignore[no-untyped-def]
    """The ``store`` (on SQLite and on PostgreSQL): the name older tests use."""
    return store


@pytest.fixture
def logins(pg_url: str):  # type: ignore[no-untyped-def]
    """A team database set up by its administrator, with reps alice and bob and manager maria
    (real logins on CI's PostgreSQL; ``tests.test_team_rls.team_logins``)."""
    from tests.test_team_rls import team_logins

    yield from team_logins(pg_url)
