"""The app opens on a real file and home shows the demo's upcoming and undebriefed calls."""

from __future__ import annotations

from salestui.store.demo import load_demo
from salestui.widgets.call_table import CallTable
from tests.helpers import make_app, wait_ready


async def test_home_lists_upcoming_and_undebriefed(db_path, store, frozen_now):
    load_demo(store, now=frozen_now)
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        upcoming = app.screen.query_one("#upcoming", CallTable)
        undebriefed = app.screen.query_one("#undebriefed", CallTable)
        assert [c.objective for c in upcoming.calls][:1] == ["Present the phase-one proposal to Lumbergh"]
        assert {c.account_name for c in undebriefed.calls} == {"Wayne Retail", "Stark Logistics"}
