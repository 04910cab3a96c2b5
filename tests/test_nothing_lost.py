"""Nothing typed is ever lost (issue 28, cases 1-4), by keys, on SQLite and on PostgreSQL.

- two windows on one plan: the app is window 2; window 1 is a second store (its own engine and
  connections) on the same database, saving as its field binder would;
- live refresh: window 1's save shows in window 2 within about a second, the cursor of the field
  being typed stays put;
- quit in the call with a note in the line;
- the database locked (SQLite: another connection holds the write lock; PostgreSQL: another
  session holds the row) while the rep types, leaves the screen and quits: the save waits, is
  retried, is journaled on quit and stored at the next start;
- a full disk in the call: starting waits and then starts, a rung is "not stored yet" until it is.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable

import pytest
from textual.widgets import Input

from salestui.app import SalesApp
from salestui.domain.enums import AdvanceLevel
from salestui.modals.confirm import Confirm
from salestui.screens.incall import InCallScreen
from salestui.screens.plan import PlanScreen
from salestui.store.changes import FieldChange
from salestui.store.core import open_store
from tests.helpers import GUARD, open_plan, settle, type_text, wait_modal, wait_ready, wait_screen


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request, tmp_path) -> str:  # type: ignore[no-untyped-def]
    """One database, on each backend."""
    return str(tmp_path / "lost.db") if request.param == "sqlite" else request.getfixturevalue("pg_url")


@pytest.fixture
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """Locks give up after 0.2 s and saves are retried every 0.1 s (the app's own are 5 s and 0.5 s)."""
    monkeypatch.setattr("salestui.store.engine.BUSY_TIMEOUT_MS", 200)
    monkeypatch.setattr("salestui.store.writer.RETRY_FIRST", 0.1)
    monkeypatch.setattr("salestui.store.writer.RETRY_MOST", 0.2)


def _seed(target: str) -> tuple[int, int]:
    store = open_store(target, owner="tester")
    account = store.accounts.create("Initech [/]")
    call_id = store.calls.create(account.id, objective="Agree the pilot [TODO]")
    store.calls.set_advance(call_id, AdvanceLevel.TARGET, "30-day pilot")
    store.close()
    return account.id, call_id


async def _until(pilot, check: Callable[[], bool], what: str, seconds: float = GUARD) -> None:  # type: ignore[no-untyped-def]
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not check():
        if loop.time() > deadline:
            raise AssertionError(f"not within {seconds} s: {what}")
        await pilot.pause(0.05)


async def _open_plan(pilot, app: SalesApp, call_id: int) -> PlanScreen:  # type: ignore[no-untyped-def]
    await wait_ready(pilot)
    return await open_plan(pilot, call_id)


# -- case 1: two windows on one plan -----------------------------------------------------------
async def test_two_windows_typing_into_one_empty_field_keep_both_texts(target) -> None:  # type: ignore[no-untyped-def]
    _, call_id = _seed(target)
    window_1 = open_store(target, owner="tester")
    app = SalesApp(target, owner="tester")
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await _open_plan(pilot, app, call_id)
            field = screen.query_one("#expected_return", Input)
            field.focus()
            await pilot.pause()
            # Window 1 types into the empty Return field and it saves ...
            FieldChange("call", call_id, "expected_return", "", "signed pilot by Friday")(window_1)
            # ... and window 2, opened before, types into the same field at once.
            await type_text(pilot, "a date for the demo")
            await settle(pilot)
            stored = window_1.calls.plan(call_id).expected_return
            assert "signed pilot by Friday" in stored and "a date for the demo" in stored
            # Window 2 shows what is stored; window 1 sees it at its next read.
            await _until(pilot, lambda: field.value == stored, "window 2 shows the merged text")
    finally:
        window_1.close()


async def test_another_windows_change_shows_live_and_the_cursor_stays(target) -> None:  # type: ignore[no-untyped-def]
    _, call_id = _seed(target)
    window_1 = open_store(target, owner="tester")
    app = SalesApp(target, owner="tester")
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await _open_plan(pilot, app, call_id)
            goal = screen.query_one("#goal", Input)
            goal.focus()
            await type_text(pilot, "verbal yes")
            await pilot.press("left", "left", "left")
            await settle(pilot)
            loads = screen.loads_shown
            # Window 1 changes the objective and the goal the rep is typing in.
            FieldChange("call", call_id, "objective", "Agree the pilot [TODO]", "Agree the pilot and price")(window_1)
            FieldChange("call", call_id, "goal", "verbal yes", "Pricing: verbal yes")(window_1)
            objective = screen.query_one("#objective", Input)
            await _until(pilot, lambda: objective.value == "Agree the pilot and price", "the objective refreshed", 5)
            await _until(pilot, lambda: goal.value == "Pricing: verbal yes", "the goal refreshed", 5)
            assert screen.loads_shown > loads
            # The cursor stayed between the same letters ("verbal |yes"), and typing goes on there.
            assert goal.cursor_position == len("Pricing: verbal ")
            await type_text(pilot, "a clear ")
            await settle(pilot)
            assert window_1.calls.plan(call_id).goal == "Pricing: verbal a clear yes"
    finally:
        window_1.close()


# -- case 2: quit in the call ----------------------------------------------------------------------
async def test_ctrl_q_in_the_call_keeps_the_note_being_typed(target) -> None:  # type: ignore[no-untyped-def]
    _, call_id = _seed(target)
    app = SalesApp(target, owner="tester")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        app.start_call(call_id)
        await wait_screen(pilot, InCallScreen)
        await pilot.press("n")
        await type_text(pilot, "they need SSO [/]")
        await pilot.press("ctrl+q")
        await _until(pilot, lambda: not app.is_running, "the app quit", 10)
    store = open_store(target, owner="tester")
    try:
        assert [note.text for note in store.calls.plan(call_id).notes] == ["they need SSO [/]"]
    finally:
        store.close()


# -- case 3: the database is locked while the rep types ------------------------------------------
class Lock:
    """Another program holding the lock a save needs (SQLite: the write lock; PostgreSQL: the call row)."""

    def __init__(self, target: str, call_id: int) -> None:
        self._target, self._call_id = target, call_id
        self._connection: object | None = None

    def take(self) -> None:
        if "://" in self._target:
            import psycopg
            from sqlalchemy.engine import make_url

            url = make_url(self._target).set(drivername="postgresql").render_as_string(hide_password=False)
            connection = psycopg.connect(url)
            connection.execute('SELECT 1 FROM "call" WHERE id = %s FOR UPDATE', (self._call_id,))
        else:
            connection = sqlite3.connect(self._target, isolation_level=None)
            connection.execute("BEGIN IMMEDIATE")
        self._connection = connection

    def release(self) -> None:
        connection = self._connection
        self._connection = None
        if connection is not None:
            connection.rollback()  # type: ignore[attr-defined]
            connection.close()  # type: ignore[attr-defined]


async def _type_while_locked(pilot, app: SalesApp, call_id: int, lock: Lock, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type into the plan's goal while another program holds the lock; wait until the rep is told."""
    screen = await _open_plan(pilot, app, call_id)
    screen.query_one("#goal", Input).focus()
    lock.take()
    await type_text(pilot, text)
    await _until(pilot, lambda: app.save_status.problem is not None, "the rep is told the save waits")


async def test_a_lock_while_typing_keeps_the_text_and_stores_it_once_released(target, quick_retries) -> None:  # type: ignore[no-untyped-def]
    _, call_id = _seed(target)
    lock = Lock(target, call_id)
    app = SalesApp(target, owner="tester")
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await _type_while_locked(pilot, app, call_id, lock, "price within 10%")
            assert "busy" in (app.save_status.problem or "")
            # The rep leaves the plan while the save waits: nothing is lost.
            await pilot.press("escape", "escape")
            await _until(pilot, lambda: not isinstance(app.screen, PlanScreen), "back on home")
            lock.release()
            await _until(pilot, lambda: app.save_status.problem is None, "the save went through")
            assert app.store is not None
            assert app.store.calls.plan(call_id).goal == "price within 10%"
    finally:
        lock.release()


async def test_quitting_while_locked_journals_and_the_next_start_stores_it(target, quick_retries, journal_dir) -> None:  # type: ignore[no-untyped-def]
    _, call_id = _seed(target)
    lock = Lock(target, call_id)
    app = SalesApp(target, owner="tester")
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await _type_while_locked(pilot, app, call_id, lock, "verbal yes [TODO]")
            await pilot.press("ctrl+q")
            await _until(pilot, lambda: not app.is_running, "the app quit", 15)
        assert app.quit_message and "could not be saved yet" in app.quit_message
        assert len(list(journal_dir.iterdir())) == 1
        app.store.close(timeout=1)  # type: ignore[union-attr]  (as the CLI does)
    finally:
        lock.release()
    store = open_store(target, owner="tester")
    try:
        assert store.calls.plan(call_id).goal == ""  # only the journal has it
    finally:
        store.close()
    again = SalesApp(target, owner="tester")
    async with again.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await settle(pilot)
        assert again.store is not None
        await _until(pilot, lambda: again.store.calls.plan(call_id).goal == "verbal yes [TODO]", "replayed")  # type: ignore[union-attr]
        assert not list(journal_dir.iterdir())


# -- case 4: a full disk in the call ----------------------------------------------------------------
class FullDisk:
    """Every write the app's engine sends fails as SQLite and PostgreSQL fail on a full disk, until freed."""

    def __init__(self) -> None:
        self.full = False

    def attach(self, app: SalesApp) -> None:
        from sqlalchemy import event

        assert app.store is not None
        event.listen(app.store.engine, "before_cursor_execute", self._write)

    def _write(self, conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        if self.full and statement.lstrip().upper().startswith(("UPDATE", "INSERT", "DELETE")):
            if conn.dialect.name == "sqlite":
                raise sqlite3.OperationalError("database or disk is full")
            import psycopg

            raise psycopg.errors.DiskFull("could not extend file: No space left on device")


async def test_a_full_disk_in_the_call_waits_and_never_claims_a_rung_stored(target, quick_retries) -> None:  # type: ignore[no-untyped-def]
    _, call_id = _seed(target)
    disk = FullDisk()
    app = SalesApp(target, owner="tester")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        disk.attach(app)
        disk.full = True
        app.start_call(call_id)
        await _until(pilot, lambda: isinstance(app.screen, InCallScreen), "the call screen opened")
        await _until(pilot, lambda: app.save_status.problem is not None, "the rep is told the start waits")
        assert "full" in (app.save_status.problem or "")
        disk.full = False  # space freed: the start is retried, the call shows
        screen = app.screen
        assert isinstance(screen, InCallScreen)
        await wait_screen(pilot, InCallScreen)
        assert screen.plan is not None
        disk.full = True
        await pilot.press("2")
        await _until(pilot, lambda: screen.ladder.pending, "the rung is pending")
        rung = screen.query_one("#rung-target")
        assert "not stored yet" in str(rung.border_subtitle) and "secured" not in str(rung.border_subtitle)
        await pilot.press("escape")
        dialog = await wait_modal(pilot, Confirm)
        assert "not stored yet" in str(dialog._question)
        await pilot.press("escape")  # stay
        disk.full = False
        await _until(pilot, lambda: not screen.ladder.pending, "the rung was stored")
        assert "secured" in str(rung.border_subtitle)
        assert app.store is not None
        secured = app.store.calls.plan(call_id).secured_advance
        assert secured is not None and secured.level is AdvanceLevel.TARGET


# -- undo of a field -------------------------------------------------------------------------------
async def test_a_cleared_field_comes_back_with_ctrl_z(tmp_path) -> None:  # type: ignore[no-untyped-def]
    target = str(tmp_path / "undo.db")
    _, call_id = _seed(target)
    app = SalesApp(target, owner="tester")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_plan(pilot, app, call_id)
        objective = screen.query_one("#objective", Input)
        objective.focus()
        for _ in range(len("Agree the pilot [TODO]")):  # letter by letter, each saved as it goes
            await pilot.press("backspace")
            await pilot.pause(0.02)
        await settle(pilot)
        assert app.store is not None and app.store.calls.plan(call_id).objective == ""
        await pilot.press("escape", "ctrl+z")
        await settle(pilot)
        assert app.store.calls.plan(call_id).objective == "Agree the pilot [TODO]"
        await _until(pilot, lambda: objective.value == "Agree the pilot [TODO]", "the field shows it again")


async def test_a_choice_that_replaced_another_windows_can_be_put_back(target) -> None:  # type: ignore[no-untyped-def]
    from textual.widgets import Select

    _, call_id = _seed(target)
    window_1 = open_store(target, owner="tester")
    app = SalesApp(target, owner="tester")
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await _open_plan(pilot, app, call_id)
            app.store.watcher.stop()  # type: ignore[union-attr]  (window 2 has not seen window 1's pick yet)
            FieldChange("call", call_id, "kind", "discovery", "demo")(window_1)
            screen.query_one("#kind", Select).value = "negotiation"
            await settle(pilot)
            assert window_1.calls.plan(call_id).kind.value == "negotiation"
            assert app.undo_history.undo_label == "kind: back to the other window's choice"
            screen.set_focus(None)
            await pilot.press("ctrl+z")
            await settle(pilot)
            assert window_1.calls.plan(call_id).kind.value == "demo"
    finally:
        window_1.close()


async def test_quitting_from_a_blank_new_plan_discards_it(tmp_path) -> None:  # type: ignore[no-untyped-def]
    target = str(tmp_path / "blank.db")
    account_id, _ = _seed(target)
    app = SalesApp(target, owner="tester")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        app.action_plan_call(account_id)
        await wait_screen(pilot, PlanScreen)
        await pilot.press("ctrl+q")
        await _until(pilot, lambda: not app.is_running, "the app quit", 10)
    store = open_store(target, owner="tester")
    try:
        assert store.calls.count() == 1  # the seeded call only
    finally:
        store.close()


# -- found in review -------------------------------------------------------------------------------
async def test_typing_on_while_a_merged_save_runs_keeps_the_other_windows_text(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The answer to a merged save arrives while the rep types on: the next save is carried onto
    the merge, and the field shows it once the rep stops; the other window's words stay."""
    import time

    target = str(tmp_path / "slow.db")
    _, call_id = _seed(target)
    window_1 = open_store(target, owner="tester")
    app = SalesApp(target, owner="tester")
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await _open_plan(pilot, app, call_id)
            app.store.watcher.stop()  # type: ignore[union-attr]  (no live refresh: only the merge shows it)
            field = screen.query_one("#goal", Input)
            field.focus()
            await pilot.pause()
            FieldChange("call", call_id, "goal", "", "other")(window_1)
            real = FieldChange.__call__

            def slow(self, store):  # type: ignore[no-untyped-def]  (a busy disk, a server far away)
                time.sleep(0.3)
                return real(self, store)

            monkeypatch.setattr(FieldChange, "__call__", slow)
            await pilot.press("a")
            await pilot.pause(0.1)  # the writer runs "a"
            await pilot.press("b")  # typed while it runs
            await settle(pilot)
            await pilot.press("c")
            await settle(pilot)
            stored = window_1.calls.plan(call_id).goal
            assert "other" in stored and "abc" in stored
            assert field.value == stored
    finally:
        window_1.close()


async def test_a_new_account_shows_in_the_list_after_coming_back(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from salestui.screens.account import AccountScreen
    from salestui.screens.accounts import AccountsScreen

    target = str(tmp_path / "accounts.db")
    _seed(target)
    app = SalesApp(target, owner="tester")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        app.action_research()
        accounts = await wait_screen(pilot, AccountsScreen)
        accounts._create({"name": "Acme Fresh"})
        await wait_screen(pilot, AccountScreen)
        while app.screen is not accounts:
            await pilot.press("escape")
            await settle(pilot)
        await _until(pilot, lambda: "Acme Fresh" in [row.name for row in accounts.rows], "the new account is listed")
