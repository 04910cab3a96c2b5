"""Pilot: review navigation through keyset pages, filters, search, call detail, stats."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.widgets import OptionList, Static

from bench.generate import generate
from salestui.app import SalesApp
from salestui.domain.enums import Outcome
from salestui.screens.call_detail import CallDetailScreen
from salestui.screens.review import WINDOW, ReviewScreen
from salestui.screens.stats import StatsScreen
from salestui.store.core import open_store
from salestui.store.demo import load_demo
from salestui.widgets.bar_chart import BarChart
from tests.helpers import make_app, settle, type_text, wait_ready


def _static_text(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def _open_review(pilot) -> ReviewScreen:
    await wait_ready(pilot)
    await pilot.press("v")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ReviewScreen)
    return screen


async def test_paging_keeps_a_window_and_reaches_both_ends(tmp_path: Path, frozen_now):
    db = tmp_path / "many.db"
    generate(db, 520, now=frozen_now)
    store = open_store(db)
    newest_first = [c.id for c in store.review.first_page(limit=1000).lines]
    store.engine.dispose()
    app = SalesApp(db, owner="bench")  # the generator's rep: review lists the rep's own calls
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_review(pilot)
        table = screen.table
        assert len(table.lines) == 100 and table.has_older and not table.has_newer
        assert screen.match_count == len(newest_first)
        # j at the bottom edge of the first page fetches the next page by keyset.
        table.move_cursor(row=99)
        await pilot.press("j")
        await settle(pilot)
        assert table.selected.id == newest_first[100]
        # Page down repeatedly: the window never holds more than WINDOW lines.
        for _ in range(12):
            await pilot.press("pagedown")
            await settle(pilot)
            assert table.row_count <= WINDOW
        assert screen.window_start > 0
        position = screen.window_start + table.cursor_row
        assert table.selected.id == newest_first[position]
        assert f"call {position + 1:,} of {len(newest_first):,}" in _static_text(screen, "#position")
        # G jumps to the oldest call, g back to the newest.
        await pilot.press("G")
        await settle(pilot)
        assert table.selected.id == newest_first[-1] and not table.has_older
        # k at the top of the last page fetches newer lines.
        table.move_cursor(row=0)
        first_of_last = table.selected.id
        await pilot.press("k")
        await settle(pilot)
        assert table.selected.id == newest_first[newest_first.index(first_of_last) - 1]
        await pilot.press("g")
        await settle(pilot)
        assert table.selected.id == newest_first[0] and not table.has_newer
        await pilot.press("end")
        await settle(pilot)
        assert table.selected.id == newest_first[-1]
        await pilot.press("home")
        await settle(pilot)
        assert table.selected.id == newest_first[0]
        # Keys typed faster than pages load are not lost (a burst of page downs, then ups).
        step = table._visible_rows()
        for key in ["pagedown"] * 10:
            app.post_message(events.Key(key, None))
        await settle(pilot)
        await settle(pilot)
        assert screen.window_start + table.cursor_row == 10 * step
        assert table.selected.id == newest_first[10 * step]
        for key in ["pageup"] * 10:
            app.post_message(events.Key(key, None))
        await settle(pilot)
        await settle(pilot)
        assert table.selected.id == newest_first[0]
        # A jump to the end typed behind a burst of page downs is not dropped for the rest of a
        # long move (a CI run of the bench's memory walk lost it: "call 351 of 992").
        for key in ["pagedown"] * 10 + ["G"]:
            app.post_message(events.Key(key, None))
        await settle(pilot)
        await settle(pilot)
        assert table.selected.id == newest_first[-1] and not table.has_older
        for key in ["pageup"] * 10 + ["g", "pagedown"]:
            app.post_message(events.Key(key, None))
        await settle(pilot)
        await settle(pilot)
        assert screen.window_start + table.cursor_row == step


async def test_filters_combine_and_show_in_one_line(db_path, store, frozen_now):
    load_demo(store, now=frozen_now)
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_review(pilot)
        everything = len(screen.table.lines)
        await pilot.press("o")  # outcome: advance
        await settle(pilot)
        assert screen.table.lines and {c.outcome for c in screen.table.lines} == {Outcome.ADVANCE}
        assert "outcome advance" in _static_text(screen, "#summary")
        await pilot.press("a")
        await settle(pilot)
        await type_text(pilot, "Initech")
        await pilot.press("enter")
        await settle(pilot)
        assert {c.account_name for c in screen.table.lines} == {"Initech"}
        assert {c.outcome for c in screen.table.lines} == {Outcome.ADVANCE}
        assert "account Initech · outcome advance" in _static_text(screen, "#summary")
        await pilot.press("x")
        await settle(pilot)
        assert len(screen.table.lines) == everything
        assert "all past calls" in _static_text(screen, "#summary")
        await pilot.press("d")  # needs debrief
        await settle(pilot)
        assert screen.table.lines and not any(c.debriefed for c in screen.table.lines)
        await pilot.press("x", "p", "p")  # last 30 days
        await settle(pilot)
        assert "last 30 days" in _static_text(screen, "#summary")
        assert len(screen.table.lines) == everything - 2  # the demo calls of 14 and 24 October are older


async def test_search_as_you_type_highlights_and_opens(db_path, store, frozen_now):
    load_demo(store, now=frozen_now)
    account = store.accounts.create("[@click=app.quit]x[/] Café").id
    call = store.calls.create(account, frozen_now.replace(day=20), objective="[TODO] call [/] back about pricing")
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_review(pilot)
        await pilot.press("slash")
        await type_text(pilot, "todo pric")
        await settle(pilot)
        hits = screen.query_one("#hits", OptionList)
        assert [h.call_id for h in screen.hits.found] == [call]
        prompt = hits.get_option_at_index(0).prompt
        plain = str(prompt.plain if hasattr(prompt, "plain") else prompt)
        assert "[TODO] call [/] back about pricing" in plain
        assert "[@click=app.quit]x[/] Café" in plain
        # The matched words are styled, the rest is not.
        styled = {plain[s.start : s.end] for s in prompt.spans if "reverse" in str(s.style)}
        assert styled == {"TODO", "pricing"}
        # Accent-insensitive: "cafe" finds the account.
        await pilot.press(*["backspace"] * 9)
        await type_text(pilot, "cafe")
        await settle(pilot)
        assert any(h.account_id == account for h in screen.hits.found)
        await pilot.press(*["backspace"] * 4)
        await type_text(pilot, "todo")
        await settle(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, CallDetailScreen) and app.screen.call_id == call
        assert "[TODO] call [/] back about pricing" in _static_text(app.screen, "#plan")
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen and screen.searching
        await pilot.press("escape")
        assert not screen.searching and screen.table.display


async def test_enter_opens_detail_and_brackets_walk_the_account(db_path, store, frozen_now):
    load_demo(store, now=frozen_now)
    acme = [c.id for c in store.review.first_page(limit=50).lines if c.account_name == "Acme Manufacturing"]
    assert len(acme) == 2  # newest first
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_review(pilot)
        row = next(i for i, c in enumerate(screen.table.lines) if c.id == acme[0])
        screen.table.move_cursor(row=row)
        await pilot.press("enter")
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, CallDetailScreen) and detail.call_id == acme[0]
        assert "Advance secured" in _static_text(detail, "#outcome")
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert detail.call_id == acme[1]
        assert "continuation" in _static_text(detail, "#outcome")
        assert "Raj is a real champion." in _static_text(detail, "#debrief")
        await pilot.press("n")  # same as ]
        await settle(pilot)
        assert detail.call_id == acme[0]
        await pilot.press("right_square_bracket")  # the next Acme call is upcoming (not in review)
        await settle(pilot)
        assert detail.call_id != acme[0] and detail.detail.plan.account_name == "Acme Manufacturing"


async def test_stats_screen_shows_rates_and_the_band_chart(db_path, store, frozen_now):
    load_demo(store, now=frozen_now)
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_review(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, StatsScreen)
        chart = app.screen.query_one(BarChart)
        assert [b.label for b in chart.bars] == ["low readiness", "medium readiness", "high readiness"]
        headline = _static_text(app.screen, "#headline")
        assert "Advance rate 67% of 6 calls held" in headline


def test_call_detail_says_when_the_debrief_is_a_draft(store, frozen_now):
    from salestui.screens.call_detail import debrief_part

    account = store.accounts.create("Initech")
    call = store.calls.create(account.id, frozen_now, objective="Pilot")
    store.debriefs.save(call, went_well="Typed, then left")
    assert "Draft debrief, not finished" in debrief_part(store.calls.plan(call)).plain
    store.debriefs.finish(call)
    assert "Draft" not in debrief_part(store.calls.plan(call)).plain


async def test_a_reload_read_after_review_closed_touches_no_widget(db_path, store, frozen_now):
    """``load`` runs on a worker and may finish after the rep left review: it reads the window
    taken when the reload was asked, never the (then removed) table."""
    load_demo(store, now=frozen_now)
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        review = await _open_review(pilot)
        review.reload()  # asked while open...
        app.action_home()  # ...read after the screen and its widgets are gone
        await settle(pilot)
        assert not review.is_attached
        _flt, page, _cursor, total, _everyone = review.load(app.store)
        assert page.lines and total >= len(page.lines)


def test_moves_kept_while_a_page_loads_keep_their_order_and_a_jump_to_an_end_survives() -> None:
    """The rest of a long move (``first=True``) goes before the keys typed meanwhile and never
    replaces them: a ``G`` queued behind page downs was once overwritten by that rest."""
    from salestui.widgets.review_table import ReviewTable

    table = ReviewTable()
    moves = lambda: [(e.direction, e.move) for e in table.queued]  # noqa: E731
    table.queue(ReviewTable.Edge("older", 35))
    table.queue(ReviewTable.Edge("older", 35))
    assert moves() == [("older", 70)]
    table.queue(ReviewTable.Edge("newer", -35))
    assert moves() == [("older", 70), ("newer", -35)]
    table.queue(ReviewTable.Edge("last"))
    assert moves() == [("last", 0)]  # an end makes the moves before it moot
    table.queue(ReviewTable.Edge("older", 120), first=True)
    assert moves() == [("last", 0)]
    table.queued = [ReviewTable.Edge("newer", -35)]
    table.queue(ReviewTable.Edge("older", 50), first=True)
    assert moves() == [("older", 50), ("newer", -35)]
