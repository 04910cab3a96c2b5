"""The in-call screen on another rep's call opens read only (issue 29 item 5).

On CI's PostgreSQL with real logins (``tests.test_team_rls.logins``: reps alice and bob, manager
maria): bob or maria opening alice's call see "alice's — read only"; the call is never started
(its clock does not run), no key that records the call is offered (footer, bindings, palette),
pressing them writes nothing and says nothing, and leaving asks nothing. Alice's own call still
starts. On a single-user SQLite file every call is the rep's own, whatever name it carries.
"""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import Static

from salestui.app import SalesApp
from salestui.domain.enums import AdvanceLevel, Outcome
from salestui.modals.confirm import Confirm
from salestui.screens.home import HomeScreen
from salestui.screens.incall import CALL_ACTIONS, InCallScreen
from salestui.settings import Settings
from salestui.store.core import OTHER_REPS, open_store
from tests.helpers import settle, toasts, wait_ready

EVERYONE = Settings(scope="everyone")


def _fill(logins, now):  # type: ignore[no-untyped-def]
    """Alice: "Initech" with a call planned an hour ahead (objection, question, ladder) and one held."""
    alice = open_store(logins.rep_a)
    initech = alice.accounts.create("[/] Initech [TODO]")
    ahead = alice.calls.create(initech.id, now + timedelta(hours=1), objective="Alice's [TODO] objective")
    alice.calls.add_objection(ahead, "Too expensive", "Phase it")
    alice.calls.add_question(ahead, "Who signs?")
    alice.calls.set_advance(ahead, AdvanceLevel.TARGET, "Pilot in two offices", "customer")
    held = alice.calls.create(initech.id, now - timedelta(days=1), objective="Alice's held call")
    alice.calls.start(held)
    alice.calls.end(held, 754)
    alice.calls.set_outcome(held, Outcome.CONTINUATION)
    alice.close()
    return ahead, held


def _offered(screen) -> set[str]:  # type: ignore[no-untyped-def]
    return {b.binding.action.split("(")[0] for b in screen.active_bindings.values() if b.enabled}


def _stored(logins, call_id):  # type: ignore[no-untyped-def]
    store = open_store(logins.superuser, owner="check")
    try:
        return store.calls.plan(call_id)
    finally:
        store.close()


async def _looks_but_writes_nothing(app: SalesApp, pilot, logins, call_id: int) -> InCallScreen:  # type: ignore[no-untyped-def]
    a = logins.names["a"]
    app.start_call(call_id, check=True)  # as the s key does: no "Start anyway?" for her call
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, InCallScreen) and screen.plan is not None
    assert screen.read_only and screen.sub_title == f"{a}'s — read only"
    who = str(screen.query_one("#who", Static).render())
    assert f"{a}'s — read only" in who and "[/] Initech [TODO]" in who  # the name literally
    assert "not started" in str(screen.query_one("#clock", Static).render())
    assert not screen.query_one("#note-bar").display
    shown = " ".join(str(widget.render()) for widget in screen.query(Static) if widget.display)
    assert "press u" not in shown and "press n" not in shown and "unplanned advance…" not in shown  # no key hints
    assert CALL_ACTIONS.isdisjoint(_offered(screen)) and "back" in _offered(screen)
    assert screen.palette_commands() == []
    await pilot.press("n")
    await pilot.press("x", "y", "enter", "1", "2", "3", "c", "a", "q", "ctrl+e", "f10")
    await settle(pilot)
    assert isinstance(app.screen, InCallScreen)  # ctrl+e did not end anything
    assert not [t for t in toasts(app) if OTHER_REPS in t]  # nothing was even tried
    stored = _stored(logins, call_id)
    assert stored.started_at is None and stored.outcome is None and not stored.notes
    assert [o.raised for o in stored.objections] == [False] and not stored.questions[0].asked
    await pilot.press("escape")  # leaving asks nothing: nothing was running
    await settle(pilot)
    assert not isinstance(app.screen, Confirm | InCallScreen)
    assert _stored(logins, call_id).started_at is None
    return screen


async def test_a_rep_opens_another_reps_call_read_only_and_never_starts_it(logins, frozen_now):
    ahead, held = _fill(logins, frozen_now)
    app = SalesApp(logins.rep_b, settings=EVERYONE)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await _looks_but_writes_nothing(app, pilot, logins, ahead)
        # Her held call: its length as it was, not a clock running on.
        app.start_call(held)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, InCallScreen) and screen.read_only
        assert "took 12:34" in str(screen.query_one("#clock", Static).render())
        assert _stored(logins, held).ended_at is not None


async def test_the_manager_opens_a_reps_call_read_only(logins, frozen_now):
    ahead, _held = _fill(logins, frozen_now)
    app = SalesApp(logins.manager, settings=EVERYONE)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await _looks_but_writes_nothing(app, pilot, logins, ahead)
        assert isinstance(app.screen, HomeScreen)


async def test_her_own_call_starts_as_before(logins, frozen_now):
    ahead, _held = _fill(logins, frozen_now)
    app = SalesApp(logins.rep_a, settings=EVERYONE)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        app.start_call(ahead)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, InCallScreen) and not screen.read_only and screen.sub_title != "read only"
        assert {"end_call", "note", "secure", "toggle_objection"} <= _offered(screen)
        assert screen.query_one("#note-bar").display
        await pilot.press("2")
        await settle(pilot)
        assert _stored(logins, ahead).started_at == frozen_now


async def test_sqlite_every_call_is_the_reps_own(tmp_path, frozen_now):
    """A single-user file: a call recorded under another name starts as the rep's own."""
    where = str(tmp_path / "solo.db")
    other = open_store(where, owner="[/] somebody")
    call = other.calls.create(other.accounts.create("Initech").id, frozen_now + timedelta(hours=1))
    other.close()
    app = SalesApp(where, owner="me")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        app.start_call(call)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, InCallScreen) and not screen.read_only
        assert "end_call" in _offered(screen)
        assert app.store is not None and app.store.calls.plan(call).started_at == frozen_now
