"""The research panes' fields by keys: a blank required field is named and kept, a doubtful one saved with a hint."""

from __future__ import annotations

from dataclasses import dataclass

from textual.widgets import Input, Static

from salestui.domain.enums import ContactRole
from salestui.screens.account import AccountScreen
from salestui.widgets.research_common import with_changes
from salestui.widgets.research_contacts import ContactsPane
from tests.helpers import flush, make_app, settle, type_text, wait_ready, wait_screen


def _contact(store, account_id: int):  # type: ignore[no-untyped-def]
    return store.accounts.contacts(account_id)[0]


async def test_blank_name_is_named_and_kept_and_an_email_without_at_is_saved_with_a_hint(
    db_path, demo_store, frozen_now
) -> None:
    account = demo_store.accounts.rows()[0]
    before = _contact(demo_store, account.id)
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        app.open_account(account.id)
        screen = await wait_screen(pilot, AccountScreen)
        await pilot.press("alt+2")
        await settle(pilot)
        contacts = screen.query_one(ContactsPane)
        contacts.table.focus()
        await pilot.press("enter")  # edit the highlighted (first) contact
        await settle(pilot)
        name = screen.query_one("#c-name", Input)
        assert screen.focused is name and name.value == before.name
        error = screen.query_one("#c-error", Static)

        await pilot.press("ctrl+u")  # the whole name away
        await settle(pilot)
        assert error.display and "name cannot be empty" in str(error.render())
        await type_text(pilot, "Dana [/]")
        await settle(pilot)
        assert not error.display

        email = screen.query_one("#c-email", Input)
        email.focus()
        await pilot.press("ctrl+u")
        await type_text(pilot, "dana at acme")
        await settle(pilot)
        assert error.display and "no @" in str(error.render())
        await flush(pilot)
        assert contacts.contacts[0].email == "dana at acme"
        assert str(contacts.table.get_row_at(0)[0]) == "Dana [/]"

    after = _contact(demo_store, account.id)
    assert (after.name, after.email) == ("Dana [/]", "dana at acme")


def test_with_changes_converts_enum_fields_back_from_their_values() -> None:
    @dataclass(frozen=True)
    class Row:
        role: ContactRole
        name: str

    row = with_changes(Row(ContactRole.OTHER, "a"), {"role": ContactRole.CHAMPION.value, "name": "b"})
    assert row == Row(ContactRole.CHAMPION, "b")
