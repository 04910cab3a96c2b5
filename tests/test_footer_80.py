"""At 80x24 every screen's footer keeps Help and Quit visible (left of the palette key)."""

from __future__ import annotations

from textual.widgets._footer import FooterKey

from salestui.screens.incall import InCallScreen
from tests.helpers import make_app, open_plan, settle, wait_ready


def _visible_keys(app) -> set[str]:  # type: ignore[no-untyped-def]
    keys = list(app.screen.query(FooterKey))
    palette = [k for k in keys if k.action == "app.command_palette" or k.description == "palette"]
    limit = min([k.region.x for k in palette] + [80])
    return {k.description for k in keys if k not in palette and k.region.x >= 0 and k.region.right <= limit}


async def test_every_screen_keeps_help_and_quit_in_the_footer_at_80x24(db_path, demo_store):
    upcoming = demo_store.calls.upcoming(1)[0].id
    past = demo_store.review.first_page().lines[0].id
    account = demo_store.accounts.rows()[0].id
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        openers = {
            "home": lambda: None,
            "accounts": app.action_research,
            "account": lambda: app.open_account(account),
            "plan": lambda: app.open_plan(upcoming),
            "in-call": lambda: app.push_screen(InCallScreen(upcoming)),
            "debrief": lambda: app.open_debrief(past),
            "review": app.action_review,
            "call detail": lambda: app.open_call(past),
            "stats": app.action_stats,
            "team": app.action_team,
        }
        missing = {}
        for name, open_screen in openers.items():
            app.action_home()
            await settle(pilot)
            open_screen()
            await settle(pilot)
            shown = _visible_keys(app)
            if not {"Help", "Quit"} <= shown:
                missing[name] = sorted(shown)
        assert missing == {}


async def test_in_call_header_and_home_columns_at_80x24(db_path, store, frozen_now):
    from datetime import timedelta

    from textual.widgets import Static

    account = store.accounts.create("Initech Global Manufacturing Holdings Incorporated").id
    store.calls.create(account, frozen_now - timedelta(days=1), objective="Past, needs a debrief")
    upcoming = store.calls.create(account, frozen_now + timedelta(days=1), objective="Pricing review")
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        home = app.screen
        for table in (home.query_one("#upcoming"), home.query_one("#undebriefed")):
            assert "kind" in [str(key.value) for key in table.columns]  # type: ignore[attr-defined]
        assert "outcome" in [str(key.value) for key in home.query_one("#undebriefed").columns]  # type: ignore[attr-defined]
        app.push_screen(InCallScreen(upcoming))
        await settle(pilot)
        who, clock = app.screen.query_one("#who", Static), app.screen.query_one("#clock", Static)
        assert "Discovery · Initech" in str(who.render())
        assert clock.region.right <= 80 and clock.region.x > who.region.right  # a space before the clock
        assert str(clock.render()).startswith("elapsed")


async def test_plan_footer_keeps_help_and_quit_once_no_field_has_focus(db_path, demo_store):

    upcoming = demo_store.calls.upcoming(1)[0].id
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        await open_plan(pilot, upcoming)
        await pilot.press("escape")  # out of the field: the plan's letter keys join the footer
        await settle(pilot)
        assert app.focused is None
        shown = _visible_keys(app)
        assert {"Help", "Quit", "Start", "Export"} <= shown, sorted(shown)  # p and P: help and palette
        for name in ("contacts", "questions", "objections", "checklist", "carry-inline"):
            app.screen.query_one(f"#{name}").focus()
            await settle(pilot)
            shown = _visible_keys(app)
            assert {"Help", "Quit"} <= shown, (name, sorted(shown))


async def test_home_dates_fit_their_column_after_demo_data_at_80x24(db_path):
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        await pilot.press("D")  # the tables were hidden (empty database) when the rows arrived
        await settle(pilot)
        await settle(pilot)
        table = app.screen.query_one("#upcoming")
        when = str(table.get_row_at(0)[0])  # type: ignore[attr-defined]
        width = table.columns["when"].width  # type: ignore[attr-defined]
        assert len(when) <= width, (when, width)
