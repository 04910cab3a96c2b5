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


@pytest.fixture
def store(db_path: Path):  # type: ignore[no-untyped-def]
    """An open store on a real SQLite file at the current schema."""
    from salestui.store.core import open_store

    opened = open_store(db_path, owner="tester")
    yield opened
    opened.engine.dispose()


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


@pytest.fixture(params=["sqlite", "postgresql"])
def any_store(request, tmp_path):  # type: ignore[no-untyped-def]
    """An open store (owner "tester") on SQLite and, when SALESTUI_TEST_PG_URL is set, on PostgreSQL."""
    from salestui.store.core import open_store

    target = tmp_path / "any.db" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    opened = open_store(target, owner="tester")
    yield opened
    opened.close()
