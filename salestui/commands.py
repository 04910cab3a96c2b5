"""Command palette: every action by its plain name, offering only what fits the current screen."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher

if TYPE_CHECKING:
    from salestui.app import SalesApp


@dataclass(frozen=True, slots=True)
class PaletteCommand:
    """A palette entry: name, help line and the app action it runs."""

    name: str
    help: str
    action: str
    aliases: tuple[str, ...] = ()
    """Other words the app shows for the same thing (the footer's "Research", a screen's heading):
    typing them finds the command too."""


GLOBAL_COMMANDS: tuple[PaletteCommand, ...] = (
    PaletteCommand(
        "Go to home",
        "g h · upcoming calls and calls that need a debrief",
        "home",
        ("Home", "Upcoming calls", "Needs a debrief"),
    ),
    PaletteCommand(
        "Go to accounts",
        "g a · research: accounts, contacts, notes, competitor comparisons",
        "research",
        ("Research", "Research accounts", "Accounts", "Contacts", "Competitors"),
    ),
    PaletteCommand(
        "Go to review",
        "g v · browse, filter and search all past calls",
        "review",
        ("Review", "Review calls", "Past calls", "Search calls", "Call history"),
    ),
    PaletteCommand(
        "Go to stats",
        "g t · your advance rate, debrief rate, and whether preparation pays",
        "stats",
        ("Stats", "My numbers", "Advance rate"),
    ),
    PaletteCommand("New account", "Add a prospect or customer", "new_account", ("Add account",)),
    PaletteCommand("Plan a call", "Create a call plan for an account", "plan_call", ("Plan", "Plan call", "New call")),
    PaletteCommand("Start call", "Open the in-call screen for a planned call", "start_call", ("Start", "In call")),
    PaletteCommand("Debrief call", "Evaluate a call that has taken place", "debrief_call", ("Debrief",)),
    PaletteCommand(
        "Team figures",
        "Compare reps: calls held, advance rate, debriefs, overdue follow-ups",
        "team",
        ("Team", "Reps"),
    ),
    PaletteCommand(
        "Everyone's or my records", "Lists show the whole team's accounts and calls, or only yours", "team_view"
    ),
    PaletteCommand(
        "Import calendar…", "Meetings of an Outlook, Google or Apple .ics file become planned calls", "import_calendar"
    ),
    PaletteCommand("Load demo data", "Fill the database with realistic sample accounts and calls", "load_demo"),
    PaletteCommand("Help", "Keys of this screen", "help", ("Keys", "Shortcuts")),
)

FORECAST = PaletteCommand(
    "Forecast",
    "f on stats · expected advances per week with a band, what preparation would add, past accuracy",
    "",
    ("Forecast weeks", "Expected advances", "Backtest"),
)


def open_forecast(app: SalesApp) -> None:
    """The forecast screen (``screens.forecast``)."""
    from salestui.screens.forecast import ForecastScreen

    app.push_screen(ForecastScreen())


# Exports: the first two only when an account or a call is on screen (see _export_commands).
EXPORT_DOSSIER = PaletteCommand(
    "Export account dossier…", "Markdown: research, comparisons, every call with plan, outcome, debrief", ""
)
EXPORT_CALL_SHEET = PaletteCommand("Export call sheet…", "Markdown: the one-page plan of this call", "")
EXPORT_JSON = PaletteCommand("Export everything (JSON)…", "The whole database, restorable with salestui import", "")
EXPORT_ICS = PaletteCommand("Export calendar (ics)…", "Upcoming calls and follow-up dates for your calendar", "")
CANCEL_CALL = PaletteCommand("Cancel call", "A call that will not happen: kept in history as cancelled", "")
DELETE_CALL = PaletteCommand("Delete call", "Remove a call never held, with its plan (asks first)", "")
UNDO_HELP = "ctrl+z · take back your last change (a record added, deleted or cancelled, a field cleared)"
REDO_HELP = "ctrl+shift+z or ctrl+y · make the change you undid again"
CHECK_DATABASE = PaletteCommand(
    "Check database", "Integrity, orphan rows, search index, schema revision (what salestui doctor checks)", ""
)


def check_database(app: SalesApp) -> None:
    """Run ``salestui doctor``'s checks in a thread; the verdict comes back as a toast."""
    target = app.db_target
    if "://" in target:
        app.notify("Checks are for a local SQLite file; a database server has its own tools.", markup=False)
        return

    def run() -> None:
        from pathlib import Path

        from salestui.store.doctor import diagnose, sound
        from salestui.store.preflight import DatabaseProblem

        try:
            findings = diagnose(Path(target), in_use=True)
        except DatabaseProblem as problem:
            app.call_from_thread(app.notify, str(problem), title="Check database", severity="error", markup=False)
            return
        if sound(findings):
            message, severity = f"The database is sound ({len(findings)} checks passed).", "information"
        else:
            failed = "; ".join(f"{f.check}: {f.detail}" for f in findings if not f.ok)
            message = f"{failed}. Quit and run `salestui doctor --repair` (a backup is kept first)."
            severity = "error"
        app.call_from_thread(app.notify, message, title="Check database", severity=severity, markup=False, timeout=15)

    app.notify("Checking the database…", markup=False)
    # Reads through its own read-only connection: never waits for, nor blocks, the rep's saves.
    app.run_worker(run, thread=True, group="doctor", exclusive=True, exit_on_error=False, description="doctor")


def _on_call(app: SalesApp, screen: object, what: str) -> None:
    """Cancel or delete the call on screen, the one selected in a call list, or one picked."""
    from salestui import call_actions
    from salestui.widgets.call_table import CallTable

    act = call_actions.cancel_call if what == "cancel" else call_actions.delete_call
    call_id = getattr(screen, "call_id", None)
    if isinstance(call_id, int):

        def close() -> None:
            # The call is gone: leave the screens that showed it.
            while getattr(app.screen, "call_id", None) == call_id and len(app.screen_stack) > 2:
                app.pop_screen()

        act(app, call_id, screen if what == "delete" else None, close if what == "delete" else None)  # type: ignore[arg-type]
        return
    focused = getattr(screen, "focused", None)
    if isinstance(focused, CallTable) and focused.selected_call_id is not None:
        act(app, focused.selected_call_id)
        return
    title = "Cancel which call?" if what == "cancel" else "Delete which call?"
    app.pick_call(title, "upcoming", lambda chosen: act(app, chosen))


class SalesCommands(Provider):
    """Plain-word commands; a screen may add its own through ``palette_commands()``."""

    @property
    def _app(self) -> SalesApp:
        from salestui.app import SalesApp

        assert isinstance(self.app, SalesApp)
        return self.app

    def _commands(self) -> list[tuple[PaletteCommand, Callable[[], object]]]:
        screen = self.screen
        local: list[tuple[PaletteCommand, Callable[[], object]]] = []
        extra = getattr(screen, "palette_commands", None)
        if callable(extra):
            for command in extra():
                local.append((command, partial(screen.run_action, command.action)))
        for command in GLOBAL_COMMANDS:
            if self._app.check_action(command.action, ()) is not False:  # e.g. a manager adds no account
                local.append((command, partial(self._app.run_action, command.action)))
        if type(screen).__name__ != "ForecastScreen":
            local.append((FORECAST, partial(open_forecast, self._app)))
        local += self._undo_commands()
        local += self._export_commands()
        return local

    def _undo_commands(self) -> list[tuple[PaletteCommand, Callable[[], object]]]:
        """Undo and Redo, each naming the change (run directly: in a text field the palette returns
        to, the ctrl+z binding's action is disabled)."""
        app, history = self._app, self._app.undo_history
        found: list[tuple[PaletteCommand, Callable[[], object]]] = []
        if history.undo_label:
            found.append((PaletteCommand(f"Undo {history.undo_label}", UNDO_HELP, "undo"), app.action_undo))
        if history.redo_label:
            found.append((PaletteCommand(f"Redo {history.redo_label}", REDO_HELP, "redo"), app.action_redo))
        return found

    def _export_commands(self) -> list[tuple[PaletteCommand, Callable[[], object]]]:
        """Exports of the account or call on screen, then the whole-database ones."""
        from salestui import exporting

        app = self._app
        found: list[tuple[PaletteCommand, Callable[[], object]]] = []
        account_id = getattr(self.screen, "account_id", None)
        if isinstance(account_id, int):
            found.append((EXPORT_DOSSIER, partial(exporting.export_dossier, app, account_id)))
        call_id = getattr(self.screen, "call_id", None)
        if isinstance(call_id, int):
            found.append((EXPORT_CALL_SHEET, partial(exporting.export_call_sheet, app, call_id)))
        # Another rep's record, or a manager (who adds no calls): nothing to cancel or delete.
        if not getattr(self.screen, "read_only", False) and app.check_action("plan_call", ()) is not False:
            found.append((CANCEL_CALL, partial(_on_call, app, self.screen, "cancel")))
            found.append((DELETE_CALL, partial(_on_call, app, self.screen, "delete")))
        found.append((EXPORT_JSON, partial(exporting.export_everything, app)))
        found.append((EXPORT_ICS, partial(exporting.export_calendar, app)))
        found.append((CHECK_DATABASE, partial(check_database, app)))
        return found

    async def discover(self) -> Hits:
        """Show every command when the palette opens."""
        for command, run in self._commands():
            # Names may hold customer text ("Undo delete contact …"): shown literally, never as markup.
            yield DiscoveryHit(Content(command.name), run, text=command.name, help=command.help)

    async def search(self, query: str) -> Hits:
        """Fuzzy-match commands by name or by another word the app shows for them ("Research")."""
        matcher = self.matcher(query)
        for command, run in self._commands():
            score = matcher.match(command.name)
            shown = _literal_highlight(matcher, command.name)
            for alias in command.aliases:
                # Below a name that matches as well: "call" lists "Plan a call" before "Upcoming calls".
                alias_score = matcher.match(alias) * ALIAS_WEIGHT
                if alias_score > score:
                    # The command keeps its name; the word that matched follows it, highlighted.
                    score = alias_score
                    shown = Content.assemble(command.name, " (", _literal_highlight(matcher, alias), ")")
            if score > 0:
                yield Hit(score, shown, run, text=command.name, help=command.help)


ALIAS_WEIGHT = 0.8
"""An alias's match counts this much of a name's."""


def _literal_highlight(matcher: Matcher, text: str) -> Content:
    """``text`` with the matched letters styled, taken literally (``Matcher.highlight`` parses markup)."""
    shown = Content(text)
    _, offsets = matcher.fuzzy_search.match(matcher.query, text)
    for offset in offsets:
        shown = shown.stylize(matcher.match_style, offset, offset + 1)
    return shown


class RecordCommands(Provider):
    """Accounts and upcoming calls by name ("Initech", "Acme pricing review"): enter opens them.

    The names are read once per palette opening, in a thread worker; nothing is read while typing.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._records: list[tuple[str, str, Callable[[], object]]] = []

    async def startup(self) -> None:
        """Read the account names and upcoming calls off the UI thread."""
        from salestui.app import SalesApp

        app = self.app
        if not isinstance(app, SalesApp) or app.store is None:
            return
        store = app.store

        def read() -> tuple[list[tuple[int, str]], list[Any]]:
            accounts = [(row.id, row.name) for row in store.accounts.rows(limit=2000)]
            return accounts, store.calls.upcoming(limit=200)

        worker = app.run_worker(read, thread=True, group="palette", exit_on_error=False, description="palette")
        try:
            accounts, calls = await worker.wait()
        except Exception:  # noqa: BLE001 - the failure is toasted by the app's worker handler
            return
        from salestui import format as fmt
        from salestui.text import clean

        for account_id, name in accounts:
            self._records.append((clean(name), "Open account", partial(app.open_account, account_id)))
        for call in calls:
            text = clean(f"{call.account_name} {call.objective}".strip())
            self._records.append(
                (text, f"Open call plan · {fmt.when(call.scheduled_at)}", partial(app.open_plan, call.id))
            )

    async def search(self, query: str) -> Hits:
        """Fuzzy-match account names and call titles (account and objective)."""
        matcher = self.matcher(query)
        for text, help_text, run in self._records:
            score, offsets = matcher.fuzzy_search.match(matcher.query, text)
            if score > 0:
                # Names are user text: shown literally (``Matcher.highlight`` would parse markup).
                shown = Content(text)
                for offset in offsets:
                    shown = shown.stylize(matcher.match_style, offset, offset + 1)
                yield Hit(score, shown, run, help=help_text)
