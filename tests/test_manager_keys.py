"""Only the keys and commands a login can use are offered (issue 29 item 5).

The manager (``salestui_manager``) reads every record and writes only coaching: on CI's
PostgreSQL (``tests.test_team_rls.logins``) her home, accounts list and account screens offer no
key that would add or change a rep's records (plan, start, debrief, new account, demo data), and
the palette does not list the commands that could not work. A rep keeps them, on another rep's
account too (planning his own call there). On SQLite every key stays.
"""

from __future__ import annotations

import pytest
from textual.screen import Screen

from salestui.app import SalesApp
from salestui.commands import SalesCommands
from salestui.screens.account import AccountScreen
from salestui.screens.accounts import AccountsScreen
from salestui.screens.home import HomeScreen
from salestui.settings import Settings
from salestui.store.core import StoreError, open_store
from tests.helpers import settle, wait_ready, wait_screen

EVERYONE = Settings(scope="everyone")

ADDING = {"app.plan_call", "start", "debrief", "app.new_account", "app.load_demo"}
"""Home's keys that add or change one's own records."""
ADDING_COMMANDS = {
    "New account",
    "Plan a call",
    "Start call",
    "Debrief call",
    "Import calendar…",
    "Load demo data",
    "Cancel call",
    "Delete call",
}


def _offered(screen: Screen[object]) -> set[str]:
    """The actions the footer (and help) offer now: the enabled active bindings."""
    return {b.binding.action for b in screen.active_bindings.values() if b.enabled}


def _commands(screen: Screen[object]) -> set[str]:
    """The palette's plain-word commands on ``screen``."""
    return {command.name for command, _run in SalesCommands(screen)._commands()}


def _fill(logins) -> int:  # type: ignore[no-untyped-def]
    alice = open_store(logins.rep_a)
    initech = alice.accounts.create("Initech")
    alice.calls.create(initech.id, objective="Alice's plan")
    alice.close()
    return initech.id


def test_who_may_add_records(logins):
    """What the keys follow: the database's own grants (a rep and the administrator add records)."""
    expected = {logins.rep_a: True, logins.rep_b: True, logins.admin: True, logins.manager: False}
    for url, writes in expected.items():
        store = open_store(url)
        try:
            assert store.writes_records is writes, url
            if not writes:  # and really so: the database refuses her
                with pytest.raises(StoreError):
                    store.accounts.create("Maria's own")
        finally:
            store.close()


async def test_the_manager_is_offered_no_key_that_adds_records(logins):
    initech = _fill(logins)
    app = SalesApp(logins.manager, settings=EVERYONE)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert ADDING.isdisjoint(_offered(home))
        assert {"app.review", "app.research"} <= _offered(home)
        footer = " ".join(b.binding.description for b in home.active_bindings.values() if b.binding.show)
        assert "Plan" not in footer and "Start" not in footer and "Debrief" not in footer
        commands = _commands(home)
        assert ADDING_COMMANDS.isdisjoint(commands)
        assert {"Go to review", "Go to stats", "Team figures", "Forecast", "Go to accounts"} <= commands
        await pilot.press("n", "s", "b", "a", "D")
        await settle(pilot)
        assert app.screen is home  # nothing opened: no picker, no form

        app.action_research()
        accounts = await wait_screen(pilot, AccountsScreen)
        accounts.table.focus()
        await settle(pilot)
        assert {"screen.add", "add", "screen.edit", "screen.delete"}.isdisjoint(_offered(accounts))
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert app.screen is accounts

        app.open_account(initech)
        account = await wait_screen(pilot, AccountScreen)
        assert account.read_only and "plan" not in _offered(account)
        assert account.palette_commands() == []
        assert ADDING_COMMANDS.isdisjoint(_commands(account))
        await pilot.press("p")
        await settle(pilot)
        assert app.screen is account


async def test_a_rep_keeps_his_keys_on_another_reps_account(logins):
    initech = _fill(logins)
    app = SalesApp(logins.rep_b, settings=EVERYONE)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        assert {"app.plan_call", "start", "debrief", "app.new_account"} <= _offered(app.screen)
        assert {"New account", "Plan a call", "Start call", "Debrief call"} <= _commands(app.screen)
        app.open_account(initech)
        account = await wait_screen(pilot, AccountScreen)
        assert account.read_only and "plan" in _offered(account)  # his own call on her account
        assert [c.name for c in account.palette_commands()] == ["Plan a call for this account"]


async def test_sqlite_offers_every_key(tmp_path):
    where = str(tmp_path / "solo.db")
    app = SalesApp(where, owner="me")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        assert app.store is not None and app.store.writes_records
        assert _offered(app.screen) >= ADDING
        assert ADDING_COMMANDS - {"Cancel call", "Delete call"} <= _commands(app.screen)


async def test_the_managers_home_shows_the_team_from_the_first_start(logins):
    """She has no records of her own: "mine" would show an empty home; a rep starts on his own."""
    _fill(logins)
    for url, team in ((logins.manager, True), (logins.rep_b, False)):
        app = SalesApp(url)
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_ready(pilot)
            assert app.store is not None and app.store.team_view is team
            shown = {call.objective for call in app.screen.query_one("#upcoming").calls}  # type: ignore[attr-defined]
            assert ("Alice's plan" in shown) is team


async def test_the_managers_empty_home_names_only_what_she_can_do(logins):
    """A team with no calls yet: her home's help names research and review, never "n plan a call"."""
    alice = open_store(logins.rep_a)
    alice.accounts.create("Initech")
    alice.close()
    app = SalesApp(logins.manager, settings=EVERYONE)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        empty = str(home.query_one("#empty").render())
        assert "No calls planned by the team yet" in empty and "research accounts" in empty
        assert "plan a call" not in empty and "demo" not in empty
