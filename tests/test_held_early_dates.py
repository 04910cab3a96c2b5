"""One answer to "when did this call happen" (``rules.happened_at``) wherever a call is shown.

A call held days before its planned time, and one started early and left mid-way, show the day
they were held in the debrief's heading, search, review, home and ``salestui agenda``; neither
is still listed as upcoming.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from textual.widgets import Static

from salestui import format as fmt
from salestui.cli.agenda import json_lines, text_lines
from salestui.domain import clock
from salestui.domain.enums import AdvanceLevel
from salestui.screens.debrief import DebriefScreen
from salestui.screens.home import HomeScreen
from salestui.store import quick
from salestui.store.core import Store
from salestui.widgets.call_table import CallTable
from tests.helpers import make_app, settle, wait_ready


def _early_calls(store: Store, now: datetime) -> tuple[int, int, datetime, datetime]:
    """A call held early (ended) and one started early and left mid-way; the clock is left at ``now``."""
    early = store.calls.create(store.accounts.create("Initech").id, now + timedelta(days=10), objective="Pilot")
    store.calls.add_note(early, "zeppelin budget")
    store.calls.set_advance(early, AdvanceLevel.TARGET, "Agrees to a pilot")
    held = now - timedelta(hours=2)
    clock.freeze(held)
    store.calls.start(early)
    store.calls.secure(early, AdvanceLevel.TARGET)
    store.calls.end(early)
    midway = store.calls.create(store.accounts.create("Wayne").id, now + timedelta(days=3), objective="Intro")
    left = now - timedelta(hours=1)
    clock.freeze(left)
    store.calls.start(midway)
    clock.freeze(now)
    return early, midway, held, left


@pytest.mark.sqlite_only("also reads the SQLite file with the standard library (store.quick)")
def test_lists_search_review_and_agenda_show_when_a_call_took_place(store, frozen_now):
    early, midway, held, left = _early_calls(store, frozen_now)
    store.calls.create(store.accounts.create("Hooli").id, frozen_now + timedelta(days=1), objective="Later")
    taken = {early: held, midway: left}

    upcoming = [c.id for c in store.calls.upcoming(limit=50)]
    assert early not in upcoming and midway not in upcoming and len(upcoming) == 1
    needing = store.calls.needing_debrief(limit=50)
    assert [c.id for c in needing] == [midway, early]  # newest first by when they took place
    assert all(c.happened_at == taken[c.id] for c in needing)

    path = Path(str(store.engine.url.database))
    lists = quick.home_lists(path, frozen_now, owner="tester", limit=50)
    assert lists.upcoming == store.calls.upcoming(limit=50)
    assert lists.needing_debrief == needing
    found = quick.agenda(path, frozen_now, frozen_now + timedelta(days=30), owner="tester", debriefs=50)
    assert [c.id for c in found.upcoming] == upcoming and found.needing_debrief == needing
    starts = {item["id"]: item["start"] for item in map(json.loads, json_lines(found))}
    assert starts[early] == held.astimezone().isoformat() and starts[midway] == left.astimezone().isoformat()
    text = "\n".join(text_lines(found, frozen_now.date(), 30))
    assert "Thu 03 Dec" not in text and "Wed 26 Nov" not in text  # the planned days
    assert text.count("Mon 23 Nov 2026") == 2  # today's heading in each section

    lines = {line.id: line for line in store.review.first_page().lines}
    assert lines[early].happened_at == held and lines[midway].happened_at == left
    (hit,) = [h for h in store.review.search("zeppelin") if h.call_id == early]
    assert hit.happened_at == held


async def test_debrief_heading_and_home_show_the_day_it_was_held(db_path, store, frozen_now):
    early, midway, held, left = _early_calls(store, frozen_now)
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert [c.id for c in home.query_one("#upcoming", CallTable).calls] == []
        table = home.query_one("#undebriefed", CallTable)
        assert [c.id for c in table.calls] == [midway, early]
        shown = [str(table.get_cell_at((row, 0))) for row in range(2)]
        assert shown == [fmt.when(left), fmt.when(held)]
        app.open_debrief(early)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DebriefScreen)
        heading = str(screen.query_one("#heading", Static).render())
        assert fmt.when(held) in heading and fmt.when(frozen_now + timedelta(days=10)) not in heading
