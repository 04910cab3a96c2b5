"""Issue 28, case 5: a sentence typed on a list never creates records or leaves hidden popups.

On an account, ``2`` then "so please plan it" planned a blank call #11 (the ``p`` of "please"),
and the ``a`` of "plan" opened a "New contact" dialog that the new plan then covered: the dialog
sat hidden under the plan and took the keys meant for it. Now:

- a letter command right after a letter that ran nothing is typing: the letters are held (as
  after tab from a note body) until an arrow key;
- keys typed while ``p`` creates the call wait and land in its plan;
- a screen asked for while a popup is open opens once the popup closes, never over it.
"""

from __future__ import annotations

import threading

from textual.screen import ModalScreen

from salestui.modals.confirm import Confirm
from salestui.modals.contact_form import ContactForm
from salestui.screens.account import AccountScreen
from salestui.screens.plan import PlanScreen
from salestui.store.core import open_store
from tests.helpers import make_app, settle, type_text, wait_modal, wait_ready, wait_screen


def _counts(db_path, account_id: int) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    check = open_store(db_path, owner="tester")
    try:
        return check.calls.count(), len(check.accounts.contacts(account_id))
    finally:
        check.close()


async def _account(pilot, app, account_id: int) -> AccountScreen:  # type: ignore[no-untyped-def]
    await wait_ready(pilot)
    app.open_account(account_id)
    return await wait_screen(pilot, AccountScreen)


async def test_a_sentence_typed_on_the_contacts_list_creates_nothing(db_path, demo_store, frozen_now) -> None:  # type: ignore[no-untyped-def]
    account_id = demo_store.accounts.find_by_name("Acme Manufacturing").id
    before = _counts(db_path, account_id)
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        account = await _account(pilot, app, account_id)
        await pilot.press("2")
        await type_text(pilot, "so please plan it")
        await settle(pilot)
        # Where the rep is: the account, nothing over it, nothing hidden under anything.
        assert app.screen is account
        assert not any(isinstance(screen, ModalScreen) for screen in app.screen_stack)
        assert account.has_class("-letters-held")
        told = [n for n in app._notifications if "Keys are held after typing" in str(n.message)]
        assert len(told) == 1  # once for the sentence, not a toast a letter
        # The rep's next keys are theirs: an arrow key, then a works the list again.
        await pilot.press("down", "a")
        await wait_modal(pilot, ContactForm)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is account
    assert _counts(db_path, account_id) == before


async def test_a_command_after_a_command_or_a_pause_runs(db_path, demo_store, frozen_now, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from salestui.screens import base

    account_id = demo_store.accounts.find_by_name("Acme Manufacturing").id
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        account = await _account(pilot, app, account_id)
        await pilot.press("2", "a")  # a tab, then add: both commands
        await wait_modal(pilot, ContactForm)
        await pilot.press("escape")
        await settle(pilot)
        monkeypatch.setattr(base, "TYPING_GAP", 0.0)  # as if the rep paused after the stray letter
        await pilot.press("x", "a")
        await wait_modal(pilot, ContactForm)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is account


async def test_keys_typed_while_p_creates_the_call_land_in_its_plan(db_path, demo_store, frozen_now) -> None:  # type: ignore[no-untyped-def]
    account_id = demo_store.accounts.find_by_name("Acme Manufacturing").id
    calls, contacts = _counts(db_path, account_id)
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        account = await _account(pilot, app, account_id)
        assert app.store is not None
        # Hold the writer, as a slow disk would: the plan cannot open before the keys are typed.
        gate = threading.Event()
        app.store.writer.submit(lambda store: gate.wait(10), description="slow")
        # On the contacts list, where a adds a contact: the old way, the a of "sat" opened the
        # new-contact dialog and the plan, once created, went over it.
        await pilot.press("2", "p")
        await type_text(pilot, "sat 10:00")
        assert app.screen is account
        assert not any(isinstance(screen, ModalScreen) for screen in app.screen_stack)
        gate.set()
        plan = await wait_screen(pilot, PlanScreen)
        await settle(pilot)
        assert plan.when_input.value == "sat 10:00"  # the plan's first field, where the cursor is
        assert not any(isinstance(screen, ModalScreen) for screen in app.screen_stack)
    assert _counts(db_path, account_id) == (calls + 1, contacts)


async def test_escape_right_after_p_leaves_the_new_plan_and_discards_it(db_path, demo_store, frozen_now) -> None:  # type: ignore[no-untyped-def]
    account_id = demo_store.accounts.find_by_name("Acme Manufacturing").id
    before = _counts(db_path, account_id)
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        account = await _account(pilot, app, account_id)
        assert app.store is not None
        gate = threading.Event()
        app.store.writer.submit(lambda store: gate.wait(10), description="slow")
        await pilot.press("p", "escape")
        gate.set()
        await settle(pilot)
        await settle(pilot)
        assert app.screen is account
    assert _counts(db_path, account_id) == before


async def test_a_screen_asked_for_under_a_popup_opens_once_it_closes(db_path, demo_store, frozen_now) -> None:  # type: ignore[no-untyped-def]
    account_id = demo_store.accounts.find_by_name("Acme Manufacturing").id
    call_id = demo_store.calls.upcoming()[0].id
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        account = await _account(pilot, app, account_id)
        answers: list[bool | None] = []
        app.push_screen(Confirm("Really?"), answers.append)
        await wait_modal(pilot, Confirm)
        app.open_plan(call_id)  # a write finishing now, say
        await settle(pilot)
        assert isinstance(app.screen, Confirm)  # still on top: the rep's keys go to it
        await pilot.press("n")
        plan = await wait_screen(pilot, PlanScreen)
        assert answers == [False]
        assert app.screen_stack[-2] is account
        assert plan.call_id == call_id
