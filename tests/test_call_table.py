"""The shared call table marks each call's debrief: done, draft (typed, never finished) or none."""

from __future__ import annotations

from textual.app import App, ComposeResult

from salestui.widgets.call_table import CallTable
from tests.helpers import settle


class _TableApp(App[None]):
    def compose(self) -> ComposeResult:
        yield CallTable(columns=("account", "objective", "debrief"))


async def test_debrief_column_shows_done_draft_and_none(store, frozen_now):
    lines = {}
    for name, finish in (("Done Co", True), ("Draft Co", False), ("None Co", None)):
        account = store.accounts.create(name)
        call = store.calls.create(account.id, frozen_now, objective=name)
        if finish is not None:
            store.debriefs.save(call, went_well="typed")
            if finish:
                store.debriefs.finish(call)
        lines[name] = call
    calls = [line for line in store.review.first_page().lines if line.id in lines.values()]
    app = _TableApp()
    async with app.run_test(size=(120, 20)) as pilot:
        table = app.query_one(CallTable)
        table.show_calls(calls)
        await settle(pilot)
        marks = {str(table.get_row(str(c.id))[0]): str(table.get_row(str(c.id))[-1]) for c in calls}
    assert marks == {"Done Co": "✓", "Draft Co": "draft", "None Co": "—"}
