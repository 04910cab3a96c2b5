"""Snapshots of the in-call screen at 80x24 and 120x40: frozen clock, demo data."""

from __future__ import annotations

from textual.widgets import Input

from salestui.store.demo import load_demo
from tests.helpers import make_app, settle, type_text, wait_ready


def _app(db_path, store, frozen_now):  # type: ignore[no-untyped-def]
    load_demo(store, now=frozen_now)
    call_id = store.calls.upcoming()[0].id  # Initech: the phase-one proposal, fully planned
    store.engine.dispose()
    app = make_app(db_path)
    app.snapshot_call_id = call_id  # type: ignore[attr-defined]
    return app


async def _open(pilot) -> None:  # type: ignore[no-untyped-def]
    await wait_ready(pilot)
    pilot.app.start_call(pilot.app.snapshot_call_id)
    await settle(pilot)
    for widget in pilot.app.screen.query(Input):
        widget.cursor_blink = False
    await pilot.pause()


async def _in_the_call(pilot) -> None:  # type: ignore[no-untyped-def]
    """Two notes, one objection raised, the target secured."""
    await _open(pilot)
    await pilot.press("n")
    await type_text(pilot, "Lumbergh: [TODO] check TPS budget")
    await pilot.press("enter", "n")
    await type_text(pilot, "IT lead joins next time")
    await pilot.press("enter", "a", "2")
    await settle(pilot)


def test_incall_narrow(snap_compare, db_path, store, frozen_now):
    assert snap_compare(_app(db_path, store, frozen_now), terminal_size=(80, 24), run_before=_open)


def test_incall_narrow_target_secured(snap_compare, db_path, store, frozen_now):
    assert snap_compare(_app(db_path, store, frozen_now), terminal_size=(80, 24), run_before=_in_the_call)


def test_incall_wide_target_secured(snap_compare, db_path, store, frozen_now):
    assert snap_compare(_app(db_path, store, frozen_now), terminal_size=(120, 40), run_before=_in_the_call)


def test_incall_narrow_unplanned_question(snap_compare, db_path, store, frozen_now):
    async def ask(pilot) -> None:  # type: ignore[no-untyped-def]
        await _open(pilot)
        await pilot.press("u")
        await type_text(pilot, "Send them a brochure")
        await settle(pilot)
        for widget in pilot.app.screen.query(Input):
            widget.cursor_blink = False
        await pilot.pause()

    assert snap_compare(_app(db_path, store, frozen_now), terminal_size=(80, 24), run_before=ask)
