"""Journey 2 by keyboard: add an account, contacts, a note per category, a comparison; quit; reopen."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable, Input, Static, TextArea

from salestui.domain.enums import ContactRole, ResearchCategory
from salestui.modals.form import FormModal
from salestui.screens.account import AccountScreen
from salestui.screens.accounts import AccountsScreen
from salestui.store.core import open_store
from salestui.widgets.research_competitors import CompetitorsPane
from salestui.widgets.research_contacts import ContactsPane
from salestui.widgets.research_notes import NotesPane
from tests.helpers import flush, make_app, settle, type_text, wait_ready

NAME = "Acme [/] [TODO] Ltd"
BODIES = {
    ResearchCategory.CUSTOMER: "[TODO] call [/] back",
    ResearchCategory.PRODUCT_FIT: "[b]offline[/b]",
    ResearchCategory.COMPETITOR: "[@click=app.quit]x[/]",
    ResearchCategory.INDUSTRY: "[red]cuts[/red]",
    ResearchCategory.OTHER: "[6 weeks]",
}


def rendered(widget: Static) -> str:
    """The text a Static shows."""
    return str(widget.render())


async def wait_for(pilot, condition, what: str) -> None:  # type: ignore[no-untyped-def]
    """Let every save, load and message the last keys started finish, then check ``condition``."""
    await settle(pilot)
    assert condition(), f"no {what} once the app had settled"


async def test_research_journey_survives_restart(db_path) -> None:  # type: ignore[no-untyped-def]
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        # New account from home: the form opens at once.
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, FormModal), "account form")
        await type_text(pilot, NAME)
        await pilot.press("tab")
        await type_text(pilot, "Steel")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, AccountScreen) and app.screen.account, "account")
        screen = app.screen
        assert isinstance(screen, AccountScreen)
        assert NAME in rendered(screen.query_one("#account-title", Static))

        # Two contacts.
        await pilot.press("2")
        for name, title, email in (
            ("Dana [CFO]", "CFO", "d@a.io"),
            ("Raj", "PM", "r@a.io"),
        ):
            await pilot.press("a")
            await wait_for(pilot, lambda: isinstance(app.screen, FormModal), "contact form")
            await type_text(pilot, name)
            await pilot.press("tab")
            await type_text(pilot, title)
            await pilot.press("tab", "tab")
            await type_text(pilot, email)
            count = len(screen.query_one(ContactsPane).contacts)
            await pilot.press("enter")
            await wait_for(
                pilot, lambda count=count: len(screen.query_one(ContactsPane).contacts) > count, "contact added"
            )
        contacts = screen.query_one(ContactsPane)
        assert len(contacts.contacts) == 2
        await wait_for(pilot, lambda: screen.focused is contacts.table, "focus on the contacts")
        # Edit the first contact's title as typed.
        await pilot.press("k", "enter")
        await pilot.press("tab")
        await pilot.press("end")
        await type_text(pilot, " [2]")

        # One research note per category: a on each heading, type, back to the list (alt+3), next.
        await pilot.press("alt+3")
        notes = screen.query_one(NotesPane)
        for category, body in BODIES.items():
            for _ in range(len(notes.items.options) + 1):
                if notes.selected_category is category and notes.selected is None:
                    break
                await pilot.press("j")
            assert notes.selected_category is category and notes.selected is None, f"no {category} heading"
            count = len(notes.notes)
            await pilot.press("a")
            await wait_for(
                pilot, lambda count=count: len(notes.notes) > count and screen.focused is notes.body, "new note"
            )
            await type_text(pilot, body)
            await pilot.press("alt+3")
            await pilot.press("j")
        # A competitor comparison.
        await pilot.press("alt+4")
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, FormModal), "competitor form")
        await type_text(pilot, "Hooli [Ops]")
        await pilot.press("enter")
        strengths = screen.query_one("#x-their_strengths", TextArea)
        await wait_for(pilot, lambda: screen.focused is strengths, "comparison added")
        await type_text(pilot, "Brand")
        await pilot.press("tab")
        await type_text(pilot, "Slow")
        await pilot.press("tab")
        await type_text(pilot, "[4] weeks")
        await flush(pilot)  # the autosave pause
        await settle(pilot)

    # Reopen a new app on the same file: everything is there, shown literally.
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("r")
        await settle(pilot)
        accounts = app.screen
        assert isinstance(accounts, AccountsScreen)
        table = accounts.query_one("#accounts", DataTable)
        first = table.get_row_at(0)[0]
        assert isinstance(first, Text) and first.plain == NAME
        await type_text(pilot, "todo")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, AccountScreen) and app.screen.account, "account")
        screen = app.screen
        assert isinstance(screen, AccountScreen)
        assert NAME in rendered(screen.query_one("#account-title", Static))
        assert screen.query_one("#d-name", Input).value == NAME
        assert screen.query_one("#d-industry", Input).value == "Steel"
        contacts = screen.query_one(ContactsPane)
        assert [c.name for c in contacts.contacts] == ["Dana [CFO]", "Raj"]
        assert contacts.contacts[0].title == "CFO [2]"
        cells = [cell.plain for cell in contacts.table.get_row_at(0)]
        assert cells[:2] == ["Dana [CFO]", "CFO [2]"]
        notes = screen.query_one(NotesPane)
        assert {n.category: n.body for n in notes.notes} == BODIES
        await pilot.press("3")
        await pilot.press("j")  # the customer note
        assert notes.body.text == BODIES[ResearchCategory.CUSTOMER]
        shown = [str(notes.items.get_option_at_index(i).prompt) for i in range(notes.items.option_count)]
        for body in BODIES.values():
            assert any(body in line for line in shown), body
        competitors = screen.query_one(CompetitorsPane)
        assert [c.competitor for c in competitors.comparisons] == ["Hooli [Ops]"]
        assert screen.query_one("#x-our_edge", TextArea).text == "[4] weeks"
        svg = app.export_screenshot()
        assert "Acme&#160;[/]&#160;[TODO]&#160;Ltd" in svg or "Acme [/] [TODO] Ltd" in svg

    store = open_store(db_path)
    account = store.accounts.find_by_name(NAME)
    assert account is not None and account.industry == "Steel"
    contacts_db = store.accounts.contacts(account.id)
    assert {(c.name, c.email, c.role) for c in contacts_db} == {
        ("Dana [CFO]", "d@a.io", ContactRole.OTHER),
        ("Raj", "r@a.io", ContactRole.OTHER),
    }
    (comparison,) = store.accounts.comparisons(account.id)
    assert (comparison.their_strengths, comparison.their_weaknesses, comparison.our_edge) == (
        "Brand",
        "Slow",
        "[4] weeks",
    )
    store.engine.dispose()
