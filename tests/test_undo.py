"""Undo (issue 28): the store keeps what a deletion takes and puts it back with its ids; the app's
ctrl+z / ctrl+shift+z take back and redo the rep's last change on any screen; a plan created by
``p``/``n`` and left with nothing typed is discarded.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from textual.widgets import Input, TextArea

from salestui import call_actions
from salestui.app import SalesApp
from salestui.domain.enums import AdvanceLevel, CallStatus, Outcome
from salestui.modals.confirm import Confirm
from salestui.screens.account import AccountScreen
from salestui.screens.plan import PlanScreen
from salestui.store import tables as t
from salestui.store import undo as store_undo
from salestui.store.core import NotFound, Store, open_store
from salestui.undo import Undoable, UndoHistory
from tests.helpers import make_app, open_plan, palette, settle, type_text, wait_modal, wait_ready, wait_screen
from tests.test_stats_summary import _same_rows

# Every table a call, a contact or an account can take with it (``stats_summary`` is SQLite only).
TABLES = (
    "account",
    "contact",
    "research_note",
    "competitor_comparison",
    "call",
    "call_contact",
    "checklist_item",
    "objection",
    "question",
    "advance",
    "call_note",
    "practice_run",
    "debrief",
    "import_origin",
)


def _dump(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, comparable before and after."""
    with store.reading() as session:
        return {
            name: sorted((tuple(row) for row in session.execute(sa.text(f"SELECT * FROM {name}"))), key=repr)
            for name in TABLES
        }


def _held_call(store: Store, frozen_now) -> tuple[int, int, int, int]:  # type: ignore[no-untyped-def]
    """An account with contacts, research, a comparison, a held and debriefed call with everything
    under it, and the call its debrief drafted (linked both ways). Returns (account, contact, held, next)."""
    account = store.accounts.create("Acme Manufacturing", industry="Manufacturing").id
    dana = store.accounts.add_contact(account, "Dana Whitfield", title="CFO").id
    raj = store.accounts.add_contact(account, "Raj Patel", role="champion").id
    store.accounts.add_note(account, "customer", "Budget is set in Q1")
    store.accounts.add_comparison(account, "Globex", their_strengths="Price")
    call = store.calls.create(account, frozen_now - timedelta(days=2), contact_ids=[dana, raj], objective="Pilot scope")
    store.calls.set_advance(call, AdvanceLevel.STRETCH, "Signs the order")
    store.calls.set_advance(call, AdvanceLevel.TARGET, "Agrees to a pilot")
    store.calls.add_objection(call, "Too expensive", "Pilot first")
    store.calls.add_objection(call, "No time", "Two hours")
    store.calls.add_question(call, "How do you order today?")
    store.calls.add_question(call, "What does a late order cost?")
    store.calls.record_practice(call, 300, ["price"])
    store.calls.start(call)
    store.calls.add_note(call, "CFO asked about SSO")
    store.calls.secure(call, AdvanceLevel.TARGET)
    store.calls.end(call)
    finished = store.debriefs.finish(
        call, went_well="Rapport", next_step="Pilot kick-off", follow_up_at=frozen_now + timedelta(days=5)
    )
    assert finished.next_call_id is not None
    return account, dana, call, finished.next_call_id


# -- store: keep and put back -------------------------------------------------------------------------
def test_a_deleted_call_comes_back_with_everything_under_it_and_its_links(any_store, frozen_now) -> None:
    _, _, call, drafted = _held_call(any_store, frozen_now)
    before = _dump(any_store)
    kept = store_undo.remove(any_store, t.Call, call)
    assert kept.root == ("call", call)
    for table, count in (("call", 1), ("objection", 2), ("question", 2), ("advance", 2), ("call_note", 1)):
        assert kept.count(table) == count, table
    assert kept.count("debrief") == kept.count("practice_run") == 1
    assert kept.count("call_contact") == 2
    assert kept.count("checklist_item") > 0
    # The drafted call stays; its carried-over link was set NULL by the deletion.
    assert any_store.calls.plan(drafted).carried_from_call_id is None
    assert _dump(any_store) != before
    store_undo.restore(any_store, kept)
    assert _dump(any_store) == before  # same ids, same values, the link back
    assert any_store.calls.plan(drafted).carried_from_call_id == call
    if any_store.engine.dialect.name == "sqlite":
        _same_rows(any_store)
    # Ids handed out afterwards do not collide with the restored ones (PostgreSQL's sequences).
    later = any_store.calls.create(any_store.calls.plan(call).account_id)
    assert later > drafted


def test_a_deleted_drafted_call_puts_the_debriefs_link_back(any_store, frozen_now) -> None:
    _, _, call, drafted = _held_call(any_store, frozen_now)
    before = _dump(any_store)
    kept = store_undo.remove(any_store, "call", drafted, lambda store: store.calls.delete_unheld(drafted))
    assert any_store.debriefs.get(call).next_call_id is None  # type: ignore[union-attr]
    store_undo.restore(any_store, kept)
    assert any_store.debriefs.get(call).next_call_id == drafted  # type: ignore[union-attr]
    assert _dump(any_store) == before


@pytest.mark.parametrize(
    ("table", "pick"),
    [
        (t.Contact, lambda store, account: store.accounts.contacts(account)[0].id),
        (t.ResearchNote, lambda store, account: store.accounts.notes(account)[0].id),
        (t.CompetitorComparison, lambda store, account: store.accounts.comparisons(account)[0].id),
        (t.Account, lambda store, account: account),
    ],
    ids=["contact", "note", "comparison", "account"],
)
def test_contact_note_comparison_and_account_round_trip(any_store, frozen_now, table, pick) -> None:  # type: ignore[no-untyped-def]
    account, _, _, _ = _held_call(any_store, frozen_now)
    before = _dump(any_store)
    kept = store_undo.remove(any_store, table, pick(any_store, account))
    assert _dump(any_store) != before
    store_undo.restore(any_store, kept)
    assert _dump(any_store) == before
    if any_store.engine.dialect.name == "sqlite":
        _same_rows(any_store)


@pytest.mark.sqlite_only("SQLite hands a deleted row's id out again; PostgreSQL's sequences never do")
def test_a_restore_never_overwrites_a_row_made_since(store, frozen_now) -> None:
    account = store.accounts.create("Acme").id
    first = store.accounts.add_contact(account, "Dana").id
    kept = store_undo.remove(store, t.Contact, first)
    # SQLite hands the highest id out again: the new contact takes the deleted one's id.
    again = store.accounts.add_contact(account, "Lena").id
    assert again == first
    with pytest.raises(store_undo.UndoConflict):
        store_undo.restore(store, kept)
    assert [c.name for c in store.accounts.contacts(account)] == ["Lena"]


def test_cancel_and_put_back(any_store, frozen_now) -> None:
    account = any_store.accounts.create("Acme").id
    call = any_store.calls.create(account, frozen_now + timedelta(days=1), objective="Pricing")
    any_store.calls.set_advance(call, AdvanceLevel.TARGET, "Agrees to a pilot")
    before = _dump(any_store)
    state = store_undo.cancel(any_store, call)
    assert state.status == CallStatus.PLANNED.value and state.outcome is None
    assert any_store.calls.plan(call).status is CallStatus.CANCELLED
    assert any_store.calls.plan(call).outcome is Outcome.CANCELLED
    store_undo.put_back(any_store, state)
    assert _dump(any_store) == before


def test_only_a_blank_call_is_discarded(any_store, frozen_now) -> None:
    account = any_store.accounts.create("Acme").id
    blank = any_store.calls.create(account)
    typed = any_store.calls.create(account)
    any_store.calls.update(typed, objective="x")
    any_store.calls.update(typed, objective="")  # typed, then erased: still the rep's edit
    ticked = any_store.calls.create(account)
    item = any_store.calls.plan(ticked).checklist[0].id
    any_store.calls.set_checklist_done(item, True)
    questioned = any_store.calls.create(account)
    any_store.calls.add_question(questioned, "Why now?")
    assert store_undo.discard_if_blank(any_store, blank)
    assert not any(store_undo.discard_if_blank(any_store, c) for c in (typed, ticked, questioned))
    assert any_store.calls.count() == 3
    assert not store_undo.discard_if_blank(any_store, blank)  # already gone: nothing to do


# -- the history ------------------------------------------------------------------------------------
def _entry(label: str, record: str | None = None) -> Undoable:
    return Undoable(label, lambda store: None, lambda store: None, record)


def test_history_push_clears_redo_and_is_bounded() -> None:
    history = UndoHistory(limit=3)
    assert history.undo_label is None and history.take_undo() is None
    for label in "abcd":
        history.push(_entry(label))
    taken = history.take_undo()
    assert taken is not None and taken.label == "d"
    history.undone(taken)
    assert history.redo_label == "d" and history.undo_label == "c"
    redo = history.take_redo()
    assert redo is not None
    history.redone(redo)
    assert history.undo_label == "d" and history.redo_label is None
    for _ in range(3):
        entry = history.take_undo()
        assert entry is not None
        history.undone(entry)
    assert history.take_undo() is None  # "a" fell off: only 3 kept
    history.push(_entry("e"))
    assert history.redo_label is None  # a new change: nothing to redo


def test_history_forgets_a_record() -> None:
    history = UndoHistory()
    history.push(_entry("new account", "account:1"))
    history.push(_entry("plan call", "call:11"))
    history.forget("call:11")
    assert history.undo_label == "new account"


# -- the app: ctrl+z, ctrl+shift+z, the palette ---------------------------------------------------------
def _contacts(db_path, account_id: int) -> list[str]:  # type: ignore[no-untyped-def]
    check = open_store(db_path, owner="tester")
    try:
        return [c.name for c in check.accounts.contacts(account_id)]
    finally:
        check.close()


def _call(db_path, call_id: int):  # type: ignore[no-untyped-def]
    check = open_store(db_path, owner="tester")
    try:
        return next((c for c in check.calls.history(check.calls.plan(call_id).account_id) if c.id == call_id), None)
    except NotFound:
        return None
    finally:
        check.close()


def _told(app: SalesApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_ctrl_z_brings_a_deleted_contact_back_and_ctrl_shift_z_deletes_it_again(
    db_path, demo_store, frozen_now
) -> None:  # type: ignore[no-untyped-def]
    account_id = demo_store.accounts.find_by_name("Initech").id
    before = [c.name for c in demo_store.accounts.contacts(account_id)]
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        app.open_account(account_id)
        account = await wait_screen(pilot, AccountScreen)
        await pilot.press("2")
        await settle(pilot)
        gone = account.contacts.selected
        assert gone is not None
        await pilot.press("d")
        await wait_modal(pilot, Confirm)
        await pilot.press("y")
        await settle(pilot)
        assert gone.name not in [c.name for c in account.contacts.contacts]
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert [c.name for c in account.contacts.contacts] == before  # back, on screen
        assert f"Undone: delete contact “{gone.name}”" in _told(app)
        back = next(c for c in account.contacts.contacts if c.name == gone.name)
        assert back.id == gone.id  # with its id: what pointed at it (calls it attends) still does
        await pilot.press("ctrl+shift+z")
        await settle(pilot)
        assert gone.name not in [c.name for c in account.contacts.contacts]
        await pilot.press("ctrl+z")
        await settle(pilot)
        await pilot.press("ctrl+z")  # nothing left before that
        await settle(pilot)
        assert "Nothing to undo." in _told(app)
    assert _contacts(db_path, account_id) == before


async def test_ctrl_z_in_a_text_field_is_the_fields_own(db_path, demo_store, frozen_now) -> None:  # type: ignore[no-untyped-def]
    account_id = demo_store.accounts.find_by_name("Initech").id
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        app.open_account(account_id)
        account = await wait_screen(pilot, AccountScreen)
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("d")
        await wait_modal(pilot, Confirm)
        await pilot.press("y")
        await settle(pilot)
        account.query_one("#c-notes", TextArea).focus()
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert app.undo_history.undo_label is not None  # the deletion is still there to undo
        assert not any(text.startswith("Undone") for text in _told(app))


async def test_a_plan_made_by_p_and_left_blank_is_discarded(db_path, demo_store, frozen_now) -> None:  # type: ignore[no-untyped-def]
    account_id = demo_store.accounts.find_by_name("Initech").id
    calls = demo_store.calls.count()
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        app.open_account(account_id)
        account = await wait_screen(pilot, AccountScreen)
        await pilot.press("p")
        plan = await wait_screen(pilot, PlanScreen)
        assert plan.created and app.undo_history.undo_label == "new call with “Initech”"
        await pilot.press("escape", "escape")  # out of the first field, then back
        await settle(pilot)
        assert app.screen is account
        assert "Empty plan discarded." in _told(app)
        assert app.undo_history.undo_label is None  # nothing left to undo
        # Typed in, it stays.
        await pilot.press("p")
        plan = await wait_screen(pilot, PlanScreen)
        kept = plan.call_id
        plan.query_one("#objective", Input).focus()
        await type_text(pilot, "Agree the pilot scope")
        await pilot.press("escape", "escape")
        await settle(pilot)
        assert app.screen is account
    check = open_store(db_path, owner="tester")
    try:
        assert check.calls.count() == calls + 1
        assert check.calls.plan(kept).objective == "Agree the pilot scope"
    finally:
        check.close()


async def test_an_opened_plan_is_never_discarded(db_path, demo_store, frozen_now) -> None:  # type: ignore[no-untyped-def]
    account_id = demo_store.accounts.find_by_name("Initech").id
    blank = demo_store.calls.create(account_id)  # made elsewhere (an import, another window)
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await open_plan(pilot, blank)
        await pilot.press("escape", "escape")
        await settle(pilot)
    assert _call(db_path, blank) is not None


async def test_undoing_a_new_call_closes_its_plan_and_redo_brings_it_back(db_path, demo_store, frozen_now) -> None:  # type: ignore[no-untyped-def]
    account_id = demo_store.accounts.find_by_name("Initech").id
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        app.open_account(account_id)
        account = await wait_screen(pilot, AccountScreen)
        await pilot.press("p")
        plan = await wait_screen(pilot, PlanScreen)
        call_id = plan.call_id
        plan.query_one("#objective", Input).focus()
        await type_text(pilot, "Pilot scope")
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert app.screen is account
        assert _call(db_path, call_id) is None
        await pilot.press("ctrl+shift+z")
        await settle(pilot)
    check = open_store(db_path, owner="tester")
    try:
        assert check.calls.plan(call_id).objective == "Pilot scope"  # back with what was typed
    finally:
        check.close()


async def test_ctrl_z_after_cancelling_a_call_puts_it_back_and_the_palette_names_it(
    db_path, demo_store, frozen_now
) -> None:  # type: ignore[no-untyped-def]
    call_id = demo_store.calls.upcoming()[0].id
    account = demo_store.calls.plan(call_id).account_name
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        call_actions.cancel_call(app, call_id)
        await wait_modal(pilot, Confirm)
        await pilot.press("y")
        await settle(pilot)
        assert _call(db_path, call_id).status is CallStatus.CANCELLED  # type: ignore[union-attr]
        await palette(pilot, "Undo cancel call")
        assert f"Undone: cancel call with “{account}”" in _told(app)
        assert _call(db_path, call_id).status is CallStatus.PLANNED  # type: ignore[union-attr]
        assert app.undo_history.redo_label == f"cancel call with “{account}”"
        await pilot.press("ctrl+y")  # ctrl+shift+z where the terminal can tell it from ctrl+z
        await settle(pilot)
        assert _call(db_path, call_id).status is CallStatus.CANCELLED  # type: ignore[union-attr]
        await pilot.press("ctrl+z")
        await settle(pilot)
    assert _call(db_path, call_id).status is CallStatus.PLANNED  # type: ignore[union-attr]


async def test_a_deleted_call_comes_back_with_its_plan(db_path, demo_store, frozen_now) -> None:  # type: ignore[no-untyped-def]
    call_id = demo_store.calls.upcoming()[0].id
    before = demo_store.calls.plan(call_id)
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        call_actions.delete_call(app, call_id)
        await wait_modal(pilot, Confirm)
        await pilot.press("y")
        await settle(pilot)
        assert _call(db_path, call_id) is None
        await pilot.press("ctrl+z")
        await settle(pilot)
    check = open_store(db_path, owner="tester")
    try:
        assert check.calls.plan(call_id) == before
    finally:
        check.close()
