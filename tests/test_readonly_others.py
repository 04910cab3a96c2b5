"""Others' records are read-only in the UI (issue 29 item 5), on CI's PostgreSQL with two real rep
logins and a manager (``tests.test_team_rls.logins``), and the single-user SQLite path unaffected.

- Lists name the rep of each record when they show everyone's (home, research, review), never
  when they show only the rep's own; the names are shown literally.
- Another rep's account, plan, debrief and call open with "<login>'s — read only": fields cannot
  be typed in, the keys that change the record are off (footer, bindings, palette).
- A change the database refuses (row-level security) puts the stored text back and says why; the
  debrief never claims "everything is already saved" for it.
"""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import Input, Select, TextArea

from salestui.app import SalesApp
from salestui.domain.enums import Outcome
from salestui.modals.picker import Picker
from salestui.screens.account import AccountScreen
from salestui.screens.accounts import AccountsScreen
from salestui.screens.call_detail import CallDetailScreen
from salestui.screens.debrief import DebriefScreen
from salestui.screens.home import HomeScreen
from salestui.screens.review import ReviewScreen
from salestui.settings import Settings
from salestui.store.core import OTHER_REPS, open_store
from salestui.widgets.call_table import CallTable
from salestui.widgets.plan_checklist import ChecklistList
from salestui.widgets.review_table import ReviewTable
from tests.helpers import flush, open_plan, palette, settle, toasts, type_text, wait_ready, wait_screen

EVERYONE = Settings(scope="everyone")


def _fill(logins, now):  # type: ignore[no-untyped-def]
    """Alice (rep A): "Initech" with a held call (draft debrief) and one ahead; Bob (rep B): his own "Initech"."""
    alice = open_store(logins.rep_a)  # creates the tables, as the first rep of a team database does
    initech = alice.accounts.create("Initech", notes="Alice's notes")
    alice.accounts.create("[/] [TODO]")
    held = alice.calls.create(initech.id, now - timedelta(days=1), objective="Alice's [TODO] objective")
    alice.calls.set_outcome(held, Outcome.CONTINUATION)
    alice.debriefs.save(held, lessons="Alice's [/] lesson")  # a draft
    ahead = alice.calls.create(initech.id, now + timedelta(days=2), objective="Alice's plan")
    alice.calls.add_checklist_item(ahead, "Alice's item")
    alice.close()
    bob = open_store(logins.rep_b)
    mine = bob.accounts.create("Initech", notes="Bob's notes")
    own = bob.calls.create(mine.id, now + timedelta(days=3), objective="Bob's own plan")
    bob.close()
    return {"initech": initech.id, "held": held, "ahead": ahead, "bob_account": mine.id, "bob_call": own}


def _cells(table) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return [[str(getattr(cell, "plain", cell)).strip() for cell in table.get_row_at(i)] for i in range(table.row_count)]


def _footer_actions(screen) -> set[str]:  # type: ignore[no-untyped-def]
    """The actions the footer (and help) offer now: the enabled active bindings."""
    return {binding.binding.action for binding in screen.active_bindings.values() if binding.enabled}


async def test_another_reps_records_open_read_only_for_a_rep(logins, frozen_now):
    ids = _fill(logins, frozen_now)
    a = logins.names["a"]
    app = SalesApp(logins.rep_b, settings=EVERYONE)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        assert app.store is not None and app.store.team_view  # the kept choice, restored at start
        home = app.screen
        assert isinstance(home, HomeScreen)
        upcoming = home.query_one("#upcoming", CallTable)
        columns = [str(column.label) for column in upcoming.columns.values()]
        assert columns[:3] == ["When", "Account", "Rep"]
        rows = {row[4]: row[2] for row in _cells(upcoming)}
        assert rows["Alice's plan"] == a and rows["Bob's own plan"] == logins.names["b"]
        upcoming.focus()
        for call in upcoming.calls:  # x (cancel/delete) only on his own call
            upcoming.move_cursor(row=upcoming.calls.index(call))
            await settle(pilot)
            assert ("call_menu" in _footer_actions(home)) == (call.owner == logins.names["b"]), call.objective

        # Research: the two "Initech" rows no longer look the same; e and d only on his own.
        app.action_research()
        accounts = await wait_screen(pilot, AccountsScreen)
        table = accounts.table
        names = [(r[0], r[1]) for r in _cells(table)]
        assert ("Initech", a) in names and ("Initech", logins.names["b"]) in names
        assert ("[/] [TODO]", a) in names  # the name literally
        table.focus()
        index = next(i for i, row in enumerate(accounts.shown) if row.id == ids["initech"])
        table.move_cursor(row=index)
        await settle(pilot)
        assert {"screen.edit", "screen.delete"}.isdisjoint(_footer_actions(accounts))
        index = next(i for i, row in enumerate(accounts.shown) if row.id == ids["bob_account"])
        table.move_cursor(row=index)
        await settle(pilot)
        assert {"screen.edit", "screen.delete"} <= _footer_actions(accounts)

        # Alice's account: read only, her notes cannot be typed over, no add/delete keys.
        app.open_account(ids["initech"])
        account = await wait_screen(pilot, AccountScreen)
        assert account.read_only and account.sub_title == f"{a}'s — read only"
        assert f"{a}'s — read only" in str(account.query_one("#account-title").render())
        assert all(field.disabled for field in account.query(Input)) and account.query(Input)
        assert all(field.read_only for field in account.query(TextArea))
        assert all(select.disabled for select in account.query(Select))
        await pilot.press("3")  # the research tab: its "a" would file a note
        await settle(pilot)
        assert "add_note" not in _footer_actions(account)
        await pilot.press("a")
        await settle(pilot)
        assert app.store.accounts.notes(ids["initech"]) == []
        names = [command.name for command in account.palette_commands()]
        assert names == ["Plan a call for this account"]  # his own call on her account stays possible
        await pilot.press("escape", "escape")
        await settle(pilot)

        # Alice's plan: read only; typing changes nothing, no start/practise/pull, the lists only move.
        plan = await open_plan(pilot, ids["ahead"])
        assert plan.read_only and plan.sub_title == f"{a}'s — read only"
        assert f"{a}'s — read only" in str(plan.query_one("#account").render())
        objective = plan.query_one("#objective", Input)
        assert objective.disabled and objective.value == "Alice's plan"
        strategy = plan.query_one("#strategy", TextArea)
        assert strategy.read_only
        before = strategy.text
        strategy.focus()
        await type_text(pilot, "bob was here")
        await settle(pilot)
        assert strategy.text == before and objective.value == "Alice's plan"
        checklist = plan.query_one(ChecklistList)
        checklist.focus()
        await settle(pilot)
        offered = _footer_actions(plan)
        assert {"start", "practise", "pull_carry_over", "call_menu", "question_bank"}.isdisjoint(offered)
        assert {"toggle", "add", "remove", "rename", "template"}.isdisjoint(offered)
        assert {"export", "cursor_down"} <= offered
        await pilot.press("a", "space", "d")
        await settle(pilot)
        names = [c.name for c in plan.palette_commands()]
        assert "Export call sheet" in names
        assert {"Start this call", "Practise the call", "Pull in carry-over"}.isdisjoint(names)
        assert app.store.calls.plan(ids["ahead"]).objective == "Alice's plan"
        assert not [t for t in toasts(app) if OTHER_REPS in t]  # nothing was even tried
        await pilot.press("escape", "escape")
        await settle(pilot)

        # Alice's debrief: read only, the hint says so, ctrl+s finishes nothing.
        app.open_debrief(ids["held"])
        debrief = await wait_screen(pilot, DebriefScreen)
        assert debrief.read_only and f"{a}'s — read only" in str(debrief.query_one("#heading").render())
        assert all(area.read_only for area in debrief.query(TextArea))
        hint = str(debrief.query_one("#finish_hint").render())
        assert "Read only" in hint and "already saved" not in hint
        assert {"finish", "outcome_key", "enter"}.isdisjoint(_footer_actions(debrief))
        await pilot.press("ctrl+s")
        await settle(pilot)
        draft = app.store.calls.plan(ids["held"]).debrief
        assert draft is not None and not draft.finished and draft.lessons == "Alice's [/] lesson"
        await pilot.press("escape")
        await settle(pilot)

        # Her call in detail: no e / b.
        app.open_call(ids["held"])
        detail = await wait_screen(pilot, CallDetailScreen)
        assert detail.read_only and {"edit", "debrief"}.isdisjoint(_footer_actions(detail))
        assert "press b" not in str(detail.query_one("#debrief").render())
        await pilot.press("escape")
        await settle(pilot)

        # His own plan is his to edit.
        own = await open_plan(pilot, ids["bob_call"])
        assert not own.read_only and not own.query_one("#objective", Input).disabled


async def test_a_refused_change_goes_back_to_the_stored_text(logins, frozen_now, monkeypatch):
    """The screen believes the record is Bob's (say it changed hands while open): the database refuses."""
    ids = _fill(logins, frozen_now)
    monkeypatch.setattr("salestui.store.scope.is_mine", lambda store, owner: True)
    app = SalesApp(logins.rep_b, settings=EVERYONE)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        app.open_debrief(ids["held"])
        debrief = await wait_screen(pilot, DebriefScreen)
        assert not debrief.read_only
        lessons = debrief.query_one("#lessons", TextArea)
        stored = lessons.text
        lessons.focus()
        await type_text(pilot, " bob")
        await settle(pilot)
        await flush(pilot)
        await settle(pilot)
        assert lessons.text == stored  # not left on screen as if kept
        assert any(OTHER_REPS in t for t in toasts(app))
        hint = str(debrief.query_one("#finish_hint").render())
        assert "already saved" not in hint and "not saved" in hint
        assert "not saved" in str(debrief.query_one("#changed").render())

        plan = await open_plan(pilot, ids["ahead"])
        objective = plan.query_one("#objective", Input)
        objective.focus()
        await type_text(pilot, "!")
        await settle(pilot)
        await flush(pilot)
        await settle(pilot)
        assert objective.value == "Alice's plan"


async def test_the_manager_reads_everyone_and_her_choice_is_kept(logins, frozen_now):
    ids = _fill(logins, frozen_now)
    app = SalesApp(logins.manager, settings=EVERYONE)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        home = app.screen
        upcoming = home.query_one("#upcoming", CallTable)
        assert {c.objective for c in upcoming.calls} >= {"Alice's plan", "Bob's own plan"}  # not empty
        plan = await open_plan(pilot, ids["bob_call"])
        assert plan.read_only and plan.sub_title == f"{logins.names['b']}'s — read only"
        assert "start" not in _footer_actions(plan)
        await pilot.press("escape")
        await settle(pilot)
        app.action_review()
        review = await wait_screen(pilot, ReviewScreen)
        table = review.query_one(ReviewTable)
        assert "owner" in table.shown_columns and " Rep " in str(next(iter(table.columns.values())).label)
        assert [line.owner for line in table.lines] == [logins.names["a"]]


async def test_the_start_picker_says_whose_call_each_is(logins, frozen_now):
    """Showing everyone's, ``s`` lists every rep's calls; another rep's says whose (it opens read only)."""
    _fill(logins, frozen_now)
    a = logins.names["a"]
    app = SalesApp(logins.rep_b, settings=EVERYONE)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("s")
        for _ in range(200):
            picker = app.screen
            if isinstance(picker, Picker) and picker._loaded:
                break
            await settle(pilot)
        assert isinstance(picker, Picker) and picker._loaded
        details = {c.detail.split("  ", 1)[-1]: c.detail for c in picker._choices}
        assert details["Alice's plan"].startswith(f"{a}'s · ")
        assert "'s · " not in details["Bob's own plan"]


async def test_sqlite_single_user_everything_is_mine(tmp_path, frozen_now):
    """On a SQLite file every record is the rep's own, whatever name it carries; no Rep column for "mine"."""
    where = str(tmp_path / "solo.db")
    other = open_store(where, owner="[/] [TODO]")
    account = other.accounts.create("[TODO] account")
    call = other.calls.create(account.id, frozen_now + timedelta(days=1), objective="theirs")
    other.close()
    me = open_store(where, owner="me")
    mine = me.calls.create(me.accounts.create("Mine").id, frozen_now + timedelta(days=1), objective="mine")
    me.close()
    app = SalesApp(where, owner="me")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        upcoming = app.screen.query_one("#upcoming", CallTable)
        assert "Rep" not in [str(c.label) for c in upcoming.columns.values()]
        assert [c.id for c in upcoming.calls] == [mine]
        await palette(pilot, "Everyone")
        upcoming = app.screen.query_one("#upcoming", CallTable)
        assert sorted(row[2] for row in _cells(upcoming)) == ["[/] [TODO]", "me"]  # literally
        assert app.is_running
        plan = await open_plan(pilot, call)
        assert not plan.read_only and not plan.query_one("#objective", Input).disabled
        plan.query_one(ChecklistList).focus()
        await settle(pilot)
        assert {"start", "add", "toggle"} <= _footer_actions(plan)


async def test_everyones_accounts_fit_80_columns(tmp_path, frozen_now):
    """At 80x24 the Rep column takes the industry's room: nothing runs off the right edge."""
    where = str(tmp_path / "two.db")
    for owner in ("me", "[/] [TODO]"):
        store = open_store(where, owner=owner)
        store.accounts.create(f"{owner} Initech", industry="Software")
        store.close()
    app = SalesApp(where, owner="me", settings=EVERYONE)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        app.action_research()
        accounts = await wait_screen(pilot, AccountsScreen)
        table = accounts.table
        assert [str(c.label) for c in table.columns.values()] == [
            "Account",
            "Rep",
            "Status",
            "Next call",
            "Last outcome",
        ]
        assert table.virtual_size.width <= table.size.width
        assert sorted(row[1] for row in _cells(table)) == ["[/] [TODO]", "me"]
        await type_text(pilot, "software")  # the hidden industry still filters
        await settle(pilot)
        assert len(accounts.shown) == 2
