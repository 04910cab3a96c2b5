"""Research — the accounts list: type to filter, enter opens, a/e/d add, edit, delete."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.events import Resize
from textual.widgets import DataTable, Header, Input, Static

from salestui import format as fmt
from salestui.domain.enums import AccountStatus, label
from salestui.domain.models import Account, AccountRow
from salestui.modals.account_form import AccountForm
from salestui.modals.confirm import Confirm
from salestui.screens.base import DataScreen
from salestui.text import clean, literal_text
from salestui.widgets.fields import TextInput
from salestui.widgets.footer import KeysFooter
from salestui.widgets.vim import VimDataTable

if TYPE_CHECKING:
    from salestui.store.core import Store


# Fixed columns; the name takes what is left of the width.
_FIXED = (
    ("industry", "Industry", 16),
    ("status", "Status", 9),
    ("next", "Next call", 16),
    ("last", "Last outcome", 12),
)
_NARROW = 100  # below this width the industry column gives the name some room


def matches(row: AccountRow, words: list[str]) -> bool:
    """Every typed word appears in the name, industry, status or rep (case-insensitive)."""
    haystack = f"{row.name} {row.industry} {row.status.value} {row.owner}".casefold()
    return all(word in haystack for word in words)


def _cell(row: AccountRow, key: str) -> Text:
    """The cell of column ``key`` (``_FIXED``, or ``owner``) for ``row``."""
    if key == "owner":
        return literal_text(row.owner or "—", style="" if row.owner else "dim")
    if key == "industry":
        return literal_text(row.industry or "—", style="" if row.industry else "dim")
    if key == "status":
        return Text(label(row.status), style="bold" if row.status is AccountStatus.CUSTOMER else "")
    if key == "next":
        return Text(fmt.when(row.next_call_at) if row.next_call_at else "—", style="" if row.next_call_at else "dim")
    return Text(fmt.outcome(row.last_outcome), style=fmt.OUTCOME_STYLE.get(row.last_outcome, "dim"))  # type: ignore[arg-type]


class AccountTable(VimDataTable[Text]):
    """The accounts, one row each; j/k/g/G move (``VimDataTable``), a/e/d act on the highlighted account."""

    BINDINGS = [
        Binding("a", "screen.add", "Add", id="accounts.add"),
        Binding("e", "screen.edit", "Edit", id="accounts.edit"),
        Binding("d,delete", "screen.delete", "Delete", id="accounts.delete"),
        Binding("slash", "screen.focus_filter", "Filter", id="accounts.filter"),
    ]


class AccountsScreen(DataScreen):
    """Every account with its next call and last outcome; find one in a keystroke or two."""

    CSS_PATH = "accounts.tcss"

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("down", "move(1)", "Down", show=False, priority=True),
        Binding("up", "move(-1)", "Up", show=False, priority=True),
        Binding("pagedown", "move(10)", "Page down", show=False, priority=True),
        Binding("pageup", "move(-10)", "Page up", show=False, priority=True),
        Binding("ctrl+n", "add", "New account", id="accounts.new", priority=True),
    ]

    def __init__(self, start_new: bool = False) -> None:
        super().__init__()
        self.start_new = start_new
        self.rows: list[AccountRow] = []
        self.shown: list[AccountRow] = []
        self._select_id: int | None = None
        self._name_width = 0
        self._keys: tuple[str, ...] = tuple(key for key, _, _ in _FIXED)
        """The columns after the name, in order (``_columns``)."""
        self.everyone = False
        """Everyone's accounts are listed: a Rep column says whose each is."""

    def compose(self) -> ComposeResult:
        """Filter on top, the list below, a count and an empty-state line."""
        yield Header()
        yield TextInput(placeholder="Type to filter accounts by name, industry or status…", id="filter")
        yield Static("Opening your database…", id="count")
        yield AccountTable(cursor_type="row", zebra_stripes=True, id="accounts")
        yield Static("", id="empty")
        yield KeysFooter()

    @property
    def filter(self) -> Input:
        """The type-to-filter line."""
        return self.query_one("#filter", Input)

    @property
    def table(self) -> AccountTable:
        """The accounts list."""
        return self.query_one(AccountTable)

    def on_mount(self) -> None:
        """Focus the filter; open the add form at once when asked to."""
        self.filter.focus()
        self._columns(self.size.width)
        if self.start_new:
            self.start_new = False
            self.call_after_refresh(self.action_add)

    @on(Resize)
    def _resized(self, event: Resize) -> None:
        self._columns(event.size.width)

    def _columns(self, width: int, force: bool = False) -> None:
        fixed = [(key, title, 12 if key == "industry" and width < _NARROW else w) for key, title, w in _FIXED]
        if self.everyone:
            if width < _NARROW:  # at 80 columns the rep's name takes the industry's room (the filter still finds it)
                fixed = [column for column in fixed if column[0] != "industry"]
            fixed.insert(0, ("owner", "Rep", 10 if width < _NARROW else 14))
        keys = tuple(key for key, _, _ in fixed)
        name_width = max(14, width - sum(w for _, _, w in fixed) - 2 * (len(fixed) + 1) - 3)
        if name_width == self._name_width and keys == self._keys and not force:
            return
        self._name_width, self._keys = name_width, keys
        table = self.table
        table.clear(columns=True)
        table.add_column("Account", key="name", width=name_width)
        for key, title, column_width in fixed:
            table.add_column(title, key=key, width=column_width)
        self._fill()

    def load(self, store: Store) -> Any:
        """All accounts (worker thread); filtering happens in memory as the user types."""
        rows = store.accounts.rows(limit=100_000)
        return rows, store.team_view

    def show(self, data: Any) -> None:
        """Put the loaded data on screen."""
        self._loaded(*data)

    def _loaded(self, rows: list[AccountRow], everyone: bool = False) -> None:
        self.rows = rows
        if everyone != self.everyone:
            self.everyone = everyone
            self._columns(self.size.width, force=True)  # fills the table too
        else:
            self._fill()
        self.refresh_bindings()

    def _fill(self, top: bool = False) -> None:
        table = self.table
        keep = self._select_id if self._select_id is not None else (None if top else self.selected_id)
        words = self.filter.value.casefold().split()
        self.shown = [row for row in self.rows if matches(row, words)]
        table.clear()
        for row in self.shown:
            table.add_row(literal_text(row.name), *(_cell(row, key) for key in self._keys), key=str(row.id))
        for index, row in enumerate(self.shown):
            if row.id == keep:
                table.move_cursor(row=index)
                if keep == self._select_id:
                    self._select_id = None
                break
        self._show_count(words)

    def _show_count(self, words: list[str]) -> None:
        count = self.query_one("#count", Static)
        empty = self.query_one("#empty", Static)
        total, shown = len(self.rows), len(self.shown)
        if not total:
            count.update(Content("No accounts yet."))
            empty.update(
                Content.from_markup("Press [b]ctrl+n[/b] (or [b]tab[/b] then [b]a[/b]) to add your first account.")
            )
        elif not shown:
            count.update(Content(f"0 of {total} accounts"))
            empty.update(
                Content.assemble("Nothing matches ", (clean(self.filter.value), "bold"), ". Escape clears the filter.")
            )
        else:
            noun = "account" if total == 1 else "accounts"
            count.update(Content(f"{shown} of {total} {noun}" if words else f"{total} {noun}"))
        empty.display = not shown
        self.table.display = bool(shown)

    @property
    def selected_id(self) -> int | None:
        """Id of the highlighted account."""
        table = self.table
        if not self.shown or not 0 <= table.cursor_row < len(self.shown):
            return None
        return self.shown[table.cursor_row].id

    @property
    def selected(self) -> AccountRow | None:
        """The highlighted account."""
        selected = self.selected_id
        return next((row for row in self.shown if row.id == selected), None)

    # -- filter and movement ---------------------------------------------------------------------
    @on(Input.Changed, "#filter")
    def _filter_changed(self) -> None:
        self._fill(top=True)

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        self.action_open()

    @on(DataTable.RowHighlighted, "#accounts")
    def _row_highlighted(self) -> None:
        self.refresh_bindings()  # edit and delete only on the rep's own accounts

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Edit and delete act on the rep's own accounts; another rep's opens read-only (enter). A
        team's manager adds none (``SalesApp.check_action``)."""
        if action == "add":
            return self.app.check_action("new_account", parameters)
        if action in ("edit", "delete"):
            from salestui.store.scope import is_mine

            row, store = self.selected, self.store
            return row is None or store is None or is_mine(store, row.owner)
        return True

    @on(DataTable.RowSelected, "#accounts")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_move(self, step: int) -> None:
        """Arrows move the list, whether the filter or the list has focus."""
        if self.shown:
            row = max(0, min(len(self.shown) - 1, self.table.cursor_row + step))
            self.table.move_cursor(row=row)

    def action_focus_filter(self) -> None:
        """Back to the filter line."""
        self.filter.focus()

    def action_back(self) -> None:
        """Escape clears the filter first, then goes back."""
        if self.filter.value:
            self.filter.value = ""
            self.filter.focus()
            return
        super().action_back()

    # -- actions -------------------------------------------------------------------------------
    def action_open(self) -> None:
        """Open the highlighted account's research."""
        if (selected := self.selected_id) is not None:
            self.sales_app.open_account(selected)

    def action_edit(self) -> None:
        """Edit the highlighted account: its details, saved as typed."""
        if (selected := self.selected_id) is not None:
            from salestui.screens.account import AccountScreen

            self.app.push_screen(AccountScreen(selected, edit=True))

    def action_add(self) -> None:
        """Ask for the new account's details, create it and open it."""
        self.app.push_screen(AccountForm(self.filter.value.strip()), self._create)

    def _create(self, values: dict[str, str] | None) -> None:
        if not values:
            return
        name = values.pop("name")

        def create(store: Store) -> tuple[Account, bool]:
            existing = store.accounts.find_by_name(name, mine=True)
            if existing is not None:
                return existing, False
            return store.accounts.create(name, **values), True

        def created(result: tuple[Account, bool]) -> None:
            account, new = result
            if new:
                from salestui import undo

                self.sales_app.record_undo(
                    undo.created(f"new account “{clean(account.name, 40)}”", "account", account.id)
                )
            if not self.is_open:
                return
            if not new:
                self.notify(f"{clean(account.name)} already exists: opened it.", severity="warning", markup=False)
            self.filter.value = ""
            self._select_id = account.id
            self.sales_app.open_account(account.id)

        # Not ``save``: the undo entry is kept even if the rep left the list meanwhile.
        self.sales_app.write(self, create, done=created, description="create account")

    def action_delete(self) -> None:
        """Delete the highlighted account and everything filed under it, after asking."""
        row = self.selected
        if row is None:
            return

        def ask(found: tuple[dict[str, int], str | None]) -> None:
            counts, refused = found
            if refused is not None:  # another rep's calls: the database would refuse (team mode)
                self.notify(refused, severity="warning", markup=False)
                return
            parts = [f"{n} {what}" for what, n in counts.items() if n]
            under = f" with its {', '.join(parts)}" if parts else ""
            question = Content.assemble("Delete ", (clean(row.name), "bold"), f"{under}? ctrl+z brings it back.")
            self.app.push_screen(Confirm(question), lambda yes: self._delete(row) if yes else None)

        def look(store: Store) -> tuple[dict[str, int], str | None]:
            from salestui.store.owner import delete_refusal

            return store.accounts.footprint(row.id), delete_refusal(store, row.id)

        self.run_db(look, ask)

    def _delete(self, row: AccountRow) -> None:
        from salestui import undo
        from salestui.store.undo import Snapshot, remove

        delete = lambda store: store.accounts.delete(row.id)  # noqa: E731

        def deleted(kept: Snapshot) -> None:
            self.sales_app.record_undo(
                undo.deleted(f"delete account “{clean(row.name, 40)}”", "account", row.id, kept, delete)
            )
            self.notify(f"Deleted {clean(row.name)} (ctrl+z brings it back).", markup=False)
            if self.is_open:
                self.reload()

        remove_it = lambda store: remove(store, "account", row.id, delete)  # noqa: E731
        self.sales_app.write(self, remove_it, done=deleted, description="delete account")
