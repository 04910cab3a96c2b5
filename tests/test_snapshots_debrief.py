"""Debrief screenshots at 120x40 and 80x24: frozen clock, demo data."""

from __future__ import annotations

from pathlib import Path

from salestui.domain import clock
from salestui.store.core import open_store
from salestui.store.demo import load_demo
from tests.conftest import FROZEN_NOW
from tests.helpers import make_app, settle, type_text, wait_ready


def _app_on(tmp_path: Path, objective: str):  # type: ignore[no-untyped-def]
    clock.freeze(FROZEN_NOW)
    path = tmp_path / "snap.db"
    store = open_store(path, owner="tester")
    load_demo(store, now=FROZEN_NOW)
    call_id = next(
        c.id for account in store.accounts.rows() for c in store.calls.history(account.id) if c.objective == objective
    )
    store.engine.dispose()
    app = make_app(path)

    async def open_it(pilot) -> None:  # type: ignore[no-untyped-def]
        await wait_ready(pilot)
        app.open_debrief(call_id)
        await settle(pilot)

    return app, open_it


def test_amended_debrief_120x40(snap_compare, tmp_path, frozen_now):
    app, open_it = _app_on(tmp_path, "On-site demo for the plant managers")
    assert snap_compare(app, terminal_size=(120, 40), run_before=open_it)


def test_fresh_debrief_80x24(snap_compare, tmp_path, frozen_now):
    app, open_it = _app_on(tmp_path, "Agree the route reporting add-on scope")
    assert snap_compare(app, terminal_size=(80, 24), run_before=open_it)


def test_drafted_next_call_choice_80x24(snap_compare, tmp_path, frozen_now):
    app, open_it = _app_on(tmp_path, "Agree the route reporting add-on scope")

    async def finish(pilot) -> None:  # type: ignore[no-untyped-def]
        await open_it(pilot)
        await pilot.press("enter")
        await type_text(pilot, "Scope agreed")
        await pilot.press("tab", "tab", "tab")
        await type_text(pilot, "Pepper signs")
        await pilot.press("tab")
        await type_text(pilot, "+7d")
        await pilot.press("ctrl+s")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=finish)
