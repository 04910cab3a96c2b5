"""A database that becomes unusable while the app runs: a plain-words toast, the app keeps running."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from salestui.store import engine
from salestui.store.core import open_store
from tests.helpers import make_app, settle_failing, wait_ready


def _spy_toasts(app) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    toasts: list[tuple[str, str, str]] = []
    original = app.notify

    def spy(message: str, **kwargs):  # type: ignore[no-untyped-def]
        toasts.append((kwargs.get("title", ""), message, kwargs.get("severity", "information")))
        return original(message, **kwargs)

    app.notify = spy
    return toasts


async def test_locked_database_toasts_and_keeps_running(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "BUSY_TIMEOUT_MS", 300)  # the real 5 s, shortened for the test
    db = tmp_path / "locked.db"
    app = make_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        toasts = _spy_toasts(app)
        other = sqlite3.connect(db, timeout=0, isolation_level=None)  # "another terminal"
        other.execute("BEGIN EXCLUSIVE")
        try:
            app.run_db(lambda store: store.accounts.create("Acme while locked"))
            await settle_failing(pilot)
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert app.return_code is None and app.is_running
        assert len(app.screen_stack) == 2  # default screen + home, nothing lost
        errors = [t for t in toasts if t[2] == "error"]
        assert errors, toasts
        title, message, _ = errors[-1]
        assert title == "Not saved"
        assert "busy in another window" in message
        assert "Traceback" not in message and "sqlite" not in message.lower()

        # Once the other window lets go, the same action works.
        app.run_db(lambda store: store.accounts.create("Acme after unlock"))
        await settle_failing(pilot)
    check = open_store(db, owner="tester")
    try:
        names = [row.name for row in check.accounts.rows()]
    finally:
        check.engine.dispose()
    assert "Acme after unlock" in names and "Acme while locked" not in names


async def test_full_database_toasts_and_keeps_running(tmp_path: Path) -> None:
    from sqlalchemy import event

    db = tmp_path / "full.db"
    app = make_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        toasts = _spy_toasts(app)
        store = app.store
        assert store is not None
        pages = sqlite3.connect(db).execute("PRAGMA page_count").fetchone()[0]

        # The disk fills up under the running app (PRAGMA max_page_count on every new connection).
        @event.listens_for(store.engine, "connect")
        def _cap(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

        store.engine.dispose()
        app.run_db(lambda s: s.accounts.create("Acme", notes="x" * 200_000))
        await settle_failing(pilot)
        assert app.return_code is None and app.is_running
        assert len(app.screen_stack) == 2
        errors = [t for t in toasts if t[2] == "error"]
        assert errors, toasts
        title, message, _ = errors[-1]
        assert (title, message) == (
            "Not saved",
            "The disk (or database) is full: free some space; your last edit was not saved.",
        )
    check = open_store(db, owner="tester")
    try:
        assert check.accounts.count() == 0  # nothing half-written
    finally:
        check.engine.dispose()
