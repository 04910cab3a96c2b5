"""Account research: details, contacts, research notes, competitor comparisons and call history.

Five tabs (1–5, or alt+1–5 while typing) so it fits 80x24; every edit is saved as typed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Header, Static, TabbedContent, TabPane, Tabs, TextArea

from salestui import format as fmt
from salestui.commands import PaletteCommand
from salestui.domain.enums import CallStatus, label
from salestui.domain.models import Account, CallSummary, Comparison, Contact, ResearchNote
from salestui.modals.competitor_form import CompetitorForm
from salestui.modals.confirm import Confirm
from salestui.modals.contact_form import ContactForm
from salestui.screens.base import DataScreen
from salestui.text import clean
from salestui.widgets.call_table import CallTable
from salestui.widgets.footer import KeysFooter
from salestui.widgets.read_only import lock, marker
from salestui.widgets.research_competitors import CompetitorsPane
from salestui.widgets.research_contacts import ContactsPane
from salestui.widgets.research_details import AccountDetails
from salestui.widgets.research_notes import NotesPane

if TYPE_CHECKING:
    from salestui.store.core import Store

R = TypeVar("R")

TABS = ("details", "contacts", "research", "competitors", "calls")
TITLES = ("Details", "Contacts", "Research", "Competitors", "Calls")


@dataclass(frozen=True, slots=True)
class AccountResearch:
    """Everything the screen shows, read in one go."""

    account: Account
    contacts: list[Contact]
    notes: list[ResearchNote]
    comparisons: list[Comparison]
    calls: list[CallSummary]
    everyone: bool = False
    """The rep shows everyone's records (``store.team_view``)."""


def _tab_bindings() -> list[Binding]:
    out = []
    for number, (tab, title) in enumerate(zip(TABS, TITLES, strict=True), start=1):
        out.append(Binding(str(number), f"tab('{tab}')", title, show=False))
        out.append(Binding(f"alt+{number}", f"tab('{tab}')", title, show=False, priority=True))
    return out


class AccountScreen(DataScreen):
    """One account's research, and the key (p) that starts planning a call for it."""

    CSS_PATH = "account.tcss"
    EDITS = True
    HOLD_LETTERS_AFTER_PROSE = True

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("p", "plan", "Plan call", id="account.plan"),
        Binding("a", "add_contact", "Add", id="account.add_contact"),
        Binding("a", "add_note", "Add", id="account.add_note"),
        Binding("a", "add_comparison", "Add", id="account.add_comparison"),
        Binding("d,delete", "delete_contact", "Delete", id="account.delete_contact"),
        Binding("d,delete", "delete_note", "Delete", id="account.delete_note"),
        Binding("d,delete", "delete_comparison", "Delete", id="account.delete_comparison"),
        Binding("ctrl+pagedown", "next_tab(1)", "Next tab", show=False, priority=True),
        Binding("ctrl+pageup", "next_tab(-1)", "Previous tab", show=False, priority=True),
        *_tab_bindings(),
    ]

    def __init__(self, account_id: int, edit: bool = False) -> None:
        super().__init__()
        self.account_id = account_id
        self.account: Account | None = None
        self._edit = edit
        self._select: dict[str, int] = {}
        self._after_show: list[Callable[[], object]] = []

    def compose(self) -> ComposeResult:
        """Title line and the five tabs."""
        yield Header()
        yield Static("Opening…", id="account-title")
        with TabbedContent(id="tabs"):
            with TabPane("1 Details", id="details"):
                yield AccountDetails(id="details-pane")
            with TabPane("2 Contacts", id="contacts"):
                yield ContactsPane(id="contacts-pane")
            with TabPane("3 Research", id="research"):
                yield NotesPane(id="notes-pane")
            with TabPane("4 Competitors", id="competitors"):
                yield CompetitorsPane(id="competitors-pane")
            with TabPane("5 Calls", id="calls"):
                yield Static(
                    Content.from_markup("No calls with this account yet: press [b]p[/b] to plan one."),
                    id="no-calls",
                    classes="hint",
                )
                yield CallTable(
                    columns=("when", "kind", "objective", "readiness", "outcome", "debrief"), id="account-calls"
                )
        yield KeysFooter()

    # -- typed accessors ---------------------------------------------------------------------------
    @property
    def tabs(self) -> TabbedContent:
        """The five tabs."""
        return self.query_one("#tabs", TabbedContent)

    @property
    def details(self) -> AccountDetails:
        """The details pane."""
        return self.query_one(AccountDetails)

    @property
    def contacts(self) -> ContactsPane:
        """The contacts pane."""
        return self.query_one(ContactsPane)

    @property
    def notes(self) -> NotesPane:
        """The research notes pane."""
        return self.query_one(NotesPane)

    @property
    def competitors(self) -> CompetitorsPane:
        """The competitor comparisons pane."""
        return self.query_one(CompetitorsPane)

    @property
    def calls(self) -> CallTable:
        """The account's call history."""
        return self.query_one("#account-calls", CallTable)

    def on_mount(self) -> None:
        """Start on the tab bar: 1–5 and arrows switch tabs, p plans a call."""
        self.tabs.query_one(Tabs).focus()

    # -- loading -----------------------------------------------------------------------------------
    def load(self, store: Store) -> AccountResearch | None:
        """Read the account and everything filed under it (worker thread)."""
        from salestui.store.core import NotFound

        try:
            research = AccountResearch(
                account=store.accounts.get(self.account_id),
                contacts=store.accounts.contacts(self.account_id),
                notes=store.accounts.notes(self.account_id),
                comparisons=store.accounts.comparisons(self.account_id),
                calls=store.calls.history(self.account_id),
                everyone=store.team_view,
            )
        except NotFound:
            return None
        return research

    def show(self, research: AccountResearch | None) -> None:
        """Every tab from one read; a deleted account closes the screen."""
        if research is None:
            self._gone()
        else:
            self._show(research)

    def _gone(self) -> None:
        self.notify("That account no longer exists.", severity="warning")
        if self.app.screen is self:
            self.dismiss()

    def _show(self, research: AccountResearch) -> None:
        self.account = research.account
        self.read_only_unless_mine(research.account.owner)
        self._title(research)
        self.details.show(research.account)
        self.contacts.show(research.contacts, self._select.pop("contacts", None))
        self.notes.show(research.notes, self._select.pop("research", None))
        self.competitors.show(research.comparisons, self._select.pop("competitors", None))
        if self.read_only:
            for pane in (self.details, self.contacts, self.notes, self.competitors):
                lock(pane)  # rows shown since the last load too
        owner = research.account.owner
        # Whose each call is, when the team's are shown or another rep planned one on this account.
        others = any(call.owner not in ("", owner) for call in research.calls)
        self.calls.show_calls(research.calls, owners=research.everyone or others)
        self.query_one("#no-calls").display = not research.calls
        self.calls.display = bool(research.calls)
        for tab, title, count in (
            ("contacts", "Contacts", len(research.contacts)),
            ("research", "Research", len(research.notes)),
            ("competitors", "Competitors", len(research.comparisons)),
            ("calls", "Calls", len(research.calls)),
        ):
            number = TABS.index(tab) + 1
            self.tabs.get_tab(tab).label = Content(f"{number} {title} ({count})" if count else f"{number} {title}")
        if self._edit:
            self._edit = False
            self.tabs.active = "details"
            self.details.name_field.focus()
        for then in self._after_show:
            then()
        self._after_show.clear()

    def _title(self, research: AccountResearch, name: str | None = None) -> None:
        account = research.account
        parts: list[str | tuple[str, str] | Content] = [(clean(name or account.name, 120), "bold"), "  "]
        if self.read_only:  # before the facts: a narrow terminal cuts the line's end
            parts += [marker(account.owner).stylize("$warning"), "  "]
        facts = [label(account.status), account.industry, account.city]
        parts.append((" · ".join(clean(f, 40) for f in facts if f), "$text-muted"))
        upcoming = [c for c in research.calls if c.status is CallStatus.PLANNED and c.scheduled_at]
        if upcoming:
            soonest = min(upcoming, key=lambda c: c.scheduled_at)  # type: ignore[arg-type,return-value]
            parts.append((f"   next call {fmt.when(soonest.scheduled_at)}", "$accent"))
        self._research = research
        self.query_one("#account-title", Static).update(Content.assemble(*parts))

    @on(AccountDetails.Renamed)
    def _renamed(self, event: AccountDetails.Renamed) -> None:
        if getattr(self, "_research", None) is not None:
            self._title(self._research, event.name)

    # -- tabs ------------------------------------------------------------------------------------
    def action_tab(self, tab: str) -> None:
        """Switch to a tab and put the focus in it."""
        self.tabs.active = tab
        self._focus_tab(tab)

    def action_next_tab(self, step: int) -> None:
        """The next (or previous) tab."""
        index = TABS.index(self.tabs.active or "details")
        self.action_tab(TABS[(index + step) % len(TABS)])

    def _focus_tab(self, tab: str) -> None:
        focused = False
        if tab == "details":
            self.details.name_field.focus()
            focused = True
        elif tab == "contacts":
            focused = self.contacts.focus_list()
        elif tab == "research":
            focused = self.notes.focus_list()
        elif tab == "competitors":
            focused = self.competitors.focus_list()
        elif tab == "calls" and self.calls.calls:
            self.calls.focus()
            focused = True
        if not focused:
            self.tabs.query_one(Tabs).focus()

    @on(TabbedContent.TabActivated)
    def _tab_changed(self, event: TabbedContent.TabActivated) -> None:
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Add and delete act on the list of the tab shown (on another rep's account, never); a
        team's manager plans no call (``SalesApp.check_action``)."""
        if self.read_only and action in ("new_contact", "new_note", "new_comparison"):
            return False
        if action == "plan":
            return self.app.check_action("plan_call", parameters)
        wanted = {
            "add_contact": "contacts",
            "delete_contact": "contacts",
            "add_note": "research",
            "delete_note": "research",
            "add_comparison": "competitors",
            "delete_comparison": "competitors",
        }.get(action)
        if wanted is None:
            return True
        if not self.is_mounted or self.read_only:
            return False
        return self.tabs.active == wanted

    def palette_commands(self) -> list[PaletteCommand]:
        """Context commands for this account (on another rep's, only planning a call of one's own)."""
        plan = PaletteCommand("Plan a call for this account", "Create a call plan for this account", "plan")
        if self.read_only:
            return [plan] if self.check_action("plan", ()) is not False else []
        return [
            plan,
            PaletteCommand("Add a contact", "A person at this account, with a role in the decision", "new_contact"),
            PaletteCommand("Add a research note", "Customer, product fit, competitor, industry or other", "new_note"),
            PaletteCommand(
                "Add a competitor comparison", "Their strengths, their weaknesses, our edge", "new_comparison"
            ),
        ]

    # -- actions -----------------------------------------------------------------------------------
    def action_plan(self) -> None:
        """Start planning a call for this account."""
        self.sales_app.action_plan_call(self.account_id)

    @on(CallTable.Chosen, "#account-calls")
    def _call_chosen(self, event: CallTable.Chosen) -> None:
        call = next((c for c in self.calls.calls if c.id == event.call_id), None)
        if call is not None and call.status is CallStatus.PLANNED:
            self.sales_app.open_plan(call.id)
        else:
            self.sales_app.open_call(event.call_id)

    def action_new_contact(self) -> None:
        """Palette: add a contact from any tab."""
        self.tabs.active = "contacts"
        self.action_add_contact()

    def action_new_note(self) -> None:
        """Palette: add a research note from any tab."""
        self.tabs.active = "research"
        self.action_add_note()

    def action_new_comparison(self) -> None:
        """Palette: add a competitor comparison from any tab."""
        self.tabs.active = "competitors"
        self.action_add_comparison()

    def action_add_contact(self) -> None:
        """Ask for the new contact's details and add it."""
        name = self.account.name if self.account else "this account"
        account_id = self.account_id

        def add(values: dict[str, str] | None) -> None:
            if not values:
                return
            contact_name = values.pop("name")

            self._add(
                lambda store: store.accounts.add_contact(account_id, contact_name, **values),
                lambda contact: (f"add contact “{clean(contact.name, 40)}”", "contact"),
                lambda contact: self._added("contacts", contact.id, self.contacts.focus_list),
            )

        self.app.push_screen(ContactForm(name), add)

    def action_add_note(self) -> None:
        """File a new note under the highlighted category and start typing it."""
        category, account_id = self.notes.selected_category, self.account_id

        self._add(
            lambda store: store.accounts.add_note(account_id, category.value),
            lambda note: (f"add {label(category).lower()} note", "research_note"),
            lambda note: self._added("research", note.id, self.notes.body.focus),
        )

    def action_add_comparison(self) -> None:
        """Name a competitor, then fill in strengths, weaknesses and our edge."""

        def add(values: dict[str, str] | None) -> None:
            if not values:
                return
            account_id = self.account_id

            self._add(
                lambda store: store.accounts.add_comparison(account_id, values["competitor"]),
                lambda comparison: (
                    f"add comparison with “{clean(comparison.competitor, 40)}”",
                    "competitor_comparison",
                ),
                lambda comparison: self._added(
                    "competitors", comparison.id, self.query_one("#x-their_strengths", TextArea).focus
                ),
            )

        self.app.push_screen(CompetitorForm(), add)

    def _add(
        self, job: Callable[[Store], R], undo_as: Callable[[R], tuple[str, str]], then: Callable[[R], None]
    ) -> None:
        """Create a record; ctrl+z deletes it again (``undo_as``: its label and table), even once the rep left."""
        from salestui import undo

        def added(record: R) -> None:
            what, table = undo_as(record)
            self.sales_app.record_undo(undo.created(what, table, record.id))  # type: ignore[attr-defined]
            if self.is_open:
                then(record)

        self.sales_app.write(self, job, done=added)

    def _added(self, tab: str, record_id: int, then: Callable[[], object]) -> None:
        self._select[tab] = record_id
        self._after_show.append(lambda: self.call_after_refresh(then))
        self.reload()

    def action_delete_contact(self) -> None:
        """Delete the highlighted contact, after asking."""
        contact = self.contacts.selected
        if contact is not None:
            self._confirm_delete(
                Content.assemble("Delete the contact ", (clean(contact.name), "bold"), "?"),
                f"delete contact “{clean(contact.name, 40)}”",
                "contact",
                contact.id,
                lambda store: store.accounts.delete_contact(contact.id),
            )

    def action_delete_note(self) -> None:
        """Delete the highlighted research note, after asking."""
        note = self.notes.selected
        if note is not None:
            self._confirm_delete(
                Content.assemble(
                    f"Delete this {label(note.category).lower()} note?\n\n", (clean(note.body, 200), "italic")
                ),
                f"delete {label(note.category).lower()} note",
                "research_note",
                note.id,
                lambda store: store.accounts.delete_note(note.id),
            )

    def action_delete_comparison(self) -> None:
        """Delete the highlighted competitor comparison, after asking."""
        comparison = self.competitors.selected
        if comparison is not None:
            self._confirm_delete(
                Content.assemble("Delete the comparison with ", (clean(comparison.competitor), "bold"), "?"),
                f"delete comparison with “{clean(comparison.competitor, 40)}”",
                "competitor_comparison",
                comparison.id,
                lambda store: store.accounts.delete_comparison(comparison.id),
            )

    def _confirm_delete(
        self, question: Content, what: str, table: str, record_id: int, delete: Callable[[Store], None]
    ) -> None:
        """Ask, then delete (keeping what it takes, so ctrl+z puts it back)."""
        from salestui import undo
        from salestui.store.undo import Snapshot, remove

        def deleted(kept: Snapshot) -> None:
            self.sales_app.record_undo(undo.deleted(what, table, record_id, kept, delete))
            if self.is_open:
                self.reload()

        def answered(yes: bool | None) -> None:
            if yes:
                self.sales_app.write(self, lambda store: remove(store, table, record_id, delete), done=deleted)

        self.app.push_screen(Confirm(question), answered)
