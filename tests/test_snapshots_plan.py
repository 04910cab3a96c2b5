"""Snapshots of the plan screen at 120x40 and 80x24: frozen clock, demo data."""

from __future__ import annotations

from textual.widgets import Input, TextArea

from salestui.domain.enums import AdvanceLevel
from salestui.store.demo import load_demo
from tests.helpers import flush, make_app, settle, wait_ready

PROPOSAL_CALL = 8  # Initech: "Present the phase-one proposal to Lumbergh", with a debriefed call before it


def _app(db_path, store, frozen_now):  # type: ignore[no-untyped-def]
    load_demo(store, now=frozen_now)
    store.calls.set_advance(PROPOSAL_CALL, AdvanceLevel.FALLBACK, "Send them a brochure [/]")
    store.engine.dispose()
    return make_app(db_path)


async def _open(pilot) -> None:  # type: ignore[no-untyped-def]
    await wait_ready(pilot)
    pilot.app.open_plan(PROPOSAL_CALL)
    await settle(pilot)
    for widget in pilot.app.screen.query(Input):
        widget.cursor_blink = False
    for area in pilot.app.screen.query(TextArea):
        area.cursor_blink = False
    await pilot.pause()


def test_plan_wide(snap_compare, db_path, store, frozen_now):
    assert snap_compare(_app(db_path, store, frozen_now), terminal_size=(120, 40), run_before=_open)


def test_plan_narrow(snap_compare, db_path, store, frozen_now):
    assert snap_compare(_app(db_path, store, frozen_now), terminal_size=(80, 24), run_before=_open)


def test_plan_narrow_ladder(snap_compare, db_path, store, frozen_now):
    async def to_ladder(pilot) -> None:  # type: ignore[no-untyped-def]
        await _open(pilot)
        pilot.app.screen.query_one("#fallback-action", Input).focus()
        pilot.app.screen.query_one("#fallback-action", Input).cursor_position = 0
        await flush(pilot)

    assert snap_compare(_app(db_path, store, frozen_now), terminal_size=(80, 24), run_before=to_ladder)
