"""Typing into the plan re-lays out the form only when the readiness meter changes (issue 32)."""

from __future__ import annotations

from typing import Any

import pytest

from salestui.widgets.plan_readiness import ReadinessMeter
from tests.helpers import focus_by_tab, make_app, open_plan, type_text, wait_ready


async def test_keys_that_change_no_score_leave_the_meter_alone(
    db_path, store, frozen_now, monkeypatch: pytest.MonkeyPatch
) -> None:
    account = store.accounts.create("Initech").id
    call_id = store.calls.create(account, frozen_now.replace(day=26))
    updates: list[str] = []
    real_update = ReadinessMeter.update

    def update(meter: ReadinessMeter, *args: Any, **kwargs: Any) -> None:
        updates.append(str(args[0]) if args else "")
        real_update(meter, *args, **kwargs)

    monkeypatch.setattr(ReadinessMeter, "update", update)
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        screen = await open_plan(pilot, call_id)
        await focus_by_tab(pilot, "objective")
        assert "no objective" in str(screen.meter.render())
        before = len(updates)
        await type_text(pilot, "P")  # the first letter fills the objective: the score changes
        await pilot.pause()
        assert len(updates) == before + 1 and "no objective" not in str(screen.meter.render())
        await type_text(pilot, "roposal for the [/] pilot")  # the same score on every key
        await pilot.pause()
        assert len(updates) == before + 1, "the meter was updated (and the form laid out) on keys that changed nothing"
        assert screen.query_one("#objective").value == "Proposal for the [/] pilot"  # type: ignore[attr-defined]
        await pilot.press(*["backspace"] * 26)  # emptied again: the meter says so
        await pilot.pause()
        assert len(updates) == before + 2 and "no objective" in str(screen.meter.render())
