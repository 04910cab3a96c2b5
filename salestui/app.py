"""The Textual app: wires screens, global keys, the command palette and the store."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from time import perf_counter
from typing import TYPE_CHECKING, Any, TypeVar

from textual import events, work
from textual.app import App
from textual.binding import Binding
from textual.screen import ModalScreen, Screen
from textual.worker import Worker, WorkerState

from salestui._start_time import START_TIME
from salestui.messages import DataChanged, Delivered, StoreReady
from salestui.screens.base import HELD_BEFORE_LOAD, DataScreen, is_text_field
from salestui.screens.home import HomeScreen
from salestui.settings import Settings
from salestui.store.status import ALL_SAVED
from salestui.store.status import Status as SaveStatus
from salestui.undo import Undoable, UndoHistory

if TYPE_CHECKING:
    from textual.command import Provider
    from textual.driver import Driver

    from salestui.domain import models as m
    from salestui.home_cache import CachedHome
    from salestui.modals.picker import Choice
    from salestui.quiet_gc import IdleCollector
    from salestui.store.core import Store
    from salestui.store.quick import Agenda

log = logging.getLogger("salestui")

T = TypeVar("T")

QUIT_WAIT = 3.0
"""Seconds quitting waits for the database to take the last saves before journaling them."""
STYLES_AFTER_OPEN = 0.25
"""Seconds after the store opens (home's live read on its way) to read every screen's styles
(``_read_every_screens_styles``): before the rep's first keys, after home's lists."""

EARLY_DRAW_WAIT = 0.3
"""Seconds the store's opening waits for home to draw the early rows before importing SQLAlchemy."""

ADDS_RECORDS = frozenset({"new_account", "plan_call", "start_call", "debrief_call", "import_calendar", "load_demo"})
"""App actions that add or change a rep's own records: off for a team's manager (``Store.writes_records``)."""

OPEN_WAIT = 0.25
"""Seconds a screen opened with ``open_with_data`` waits for its data before it opens without."""


def _warm_call_detail(store: Store) -> None:
    """Read one call's detail as review's Enter does (worker): the first open in a session imported
    the screen and compiled its queries on the key press (~35 ms more than the next, issue 32).
    Nothing is shown: a read that fails here fails again, and says why, when the rep opens one."""
    import contextlib

    import salestui.screens.call_detail  # noqa: F401

    with contextlib.suppress(Exception):
        newest = store.review.first_page(limit=1).lines
        if newest:
            store.review.detail(newest[0].id)


def _sales_commands() -> type[Provider]:
    from salestui.commands import SalesCommands

    return SalesCommands


def _record_commands() -> type[Provider]:
    from salestui.commands import RecordCommands

    return RecordCommands


class SalesApp(App[int]):
    """Plan customer calls, pick the advance, debrief, review."""

    TITLE = "salestui"
    SUB_TITLE = "plan · call · debrief · review"
    # Home's own styles are read with the app's: a screen's stylesheet read when it is first
    # pushed makes Textual parse every source again (7 ms of the first frame).
    CSS_PATH = ["app.tcss", "screens/home.tcss"]
    # The palette's providers load when it first opens (Textual takes a callable returning one):
    # the first frame does not draw them.
    COMMANDS = App.COMMANDS | {_sales_commands, _record_commands}
    BINDINGS = [
        Binding("f1,question_mark", "help", "Help", id="help"),
        Binding("escape", "go_back", "Back", show=False),
        Binding("g", "goto", "Go to…", id="goto", show=False),
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True),
        # Not priority: a focused text field keeps ctrl+z for its own text (``check_action``).
        Binding("ctrl+z", "undo", "Undo", id="undo", show=False, tooltip="Take back your last change"),
        # ctrl+y too: most terminals send ctrl+shift+z as plain ctrl+z.
        Binding("ctrl+shift+z,ctrl+y", "redo", "Redo", id="redo", show=False, tooltip="Make the undone change again"),
    ]

    def __init__(
        self,
        db_target: str | Path,
        *,
        load_demo: bool = False,
        owner: str | None = None,
        settings: Settings | None = None,
        quiet_gc: bool = False,
        home_cache: bool = False,
    ) -> None:
        super().__init__()
        self.settings = settings or Settings()
        """The rep's settings file as read by the CLI (defaults when none was given)."""
        self.db_target = str(db_target)
        self.store: Store | None = None
        import asyncio

        self.store_opened = asyncio.Event()
        """Set once the store is open (tests and the benchmark wait on it)."""
        self._load_demo_on_open = load_demo
        self._owner = owner
        self._home_cache = home_cache
        """Home's lists are kept for the next start and shown from there at once (``salestui.home_cache``)."""
        self._cached_home_taken = False
        self.startup_seconds: float | None = None
        self._waiting_for_store: list[Callable[[], None]] = []
        self._quiet_gc = quiet_gc
        """Full garbage collections in pauses of typing (``salestui.quiet_gc``): the terminal app only."""
        self._idle_collector: IdleCollector | None = None
        self.save_status: SaveStatus = ALL_SAVED
        """Saves the writer holds because the database could not take them (``problem`` says why)."""
        self._opening = 0
        """Counts ``open_with_data`` requests: only the latest one opens its screen."""
        self.undo_history = UndoHistory()
        """The rep's changes ctrl+z can take back (``record_undo``)."""
        self._keys_for_new: list[events.Key] | None = None
        """Keys typed while a record is created to be opened (``p``, ``n``): they land on its screen."""
        self._after_popup: list[Screen[Any]] = []
        """Screens asked for while a popup was open: pushed once it closes (``push_when_free``)."""

    def get_driver_class(self) -> type[Driver]:
        """Textual's terminal driver, its input parser keeping a bracketed paste whole (``salestui.paste``)."""
        from salestui import paste

        return paste.install(super().get_driver_class())

    def on_mount(self) -> None:
        """Apply the settings, show home at once; the database opens once the first frame is out (``on_ready``)."""
        from salestui import preferences

        preferences.apply(self, self.settings)
        self.push_screen(HomeScreen())
        self.screen_change_signal.subscribe(self, self._popup_closed)

    def on_ready(self) -> None:
        """Record how long the first frame took (the benchmark reads it), then open the store.

        Opening it imports SQLAlchemy (~0.5 s of CPU) in a thread: started before the first frame,
        it holds the GIL against the main thread and delays the home screen's chrome.
        """
        self.startup_seconds = perf_counter() - START_TIME
        log.info("first frame after %.3f s", self.startup_seconds)
        if any(isinstance(screen, HomeScreen) and screen.cached_shown for screen in self.screen_stack):
            # The cached rows are on the first frame: a thread started now takes the GIL from the
            # UI thread (every turn of its loop then waits for it) while the frame is written.
            self._after_paint(self._open_store)
        else:
            self._open_store()

    def _after_paint(self, callback: Callable[[], None]) -> None:
        """``callback`` once what was just put on screen is drawn.

        The screen runs it when it is idle with nothing left to lay out or paint: after the
        tables' idle pass has laid out their new rows and the frame with them was written.
        """
        self.call_after_refresh(callback)

    @work(thread=True, exit_on_error=False, group="open")
    def _open_store(self) -> None:
        from salestui.store.quick import early_home

        # Home's lists first, read with the standard library before SQLAlchemy is imported (about
        # a second): screens hold typing until the store is open, so an early read loses nothing.
        # Everyone's calls are not in the early read (the rep's own only): the full store shows them.
        early = early_home(self.db_target, self._owner) if self.settings.scope != "everyone" else None
        if early is not None:
            # Importing SQLAlchemy waits until the early rows are drawn: it holds the GIL for
            # ~0.5 s, and home's table lays out its rows only in an idle pass of the UI thread.
            drawn = threading.Event()
            self.call_from_thread(self._show_early_home, early, drawn)
            drawn.wait(EARLY_DRAW_WAIT)
        from salestui.store.core import open_store
        from salestui.store.preflight import DatabaseProblem

        try:
            store = open_store(self.db_target, owner=self._owner)
            if self._load_demo_on_open:
                from salestui.store.demo import load_demo

                load_demo(store)
        except DatabaseProblem as problem:
            self.call_from_thread(self._fatal, str(problem))
            return
        self.call_from_thread(self._store_opened, store)

    def take_cached_home(self) -> CachedHome | None:
        """The last session's lists for home's first frame, once (``salestui.home_cache``).

        A small local file, read on the UI thread while home is mounted: a worker would start
        only after the first frame, and then wait for the GIL (100-300 ms traced under load).
        """
        if not self._home_cache or self._cached_home_taken:
            return None
        self._cached_home_taken = True
        from salestui import home_cache

        return home_cache.load(self.db_target, self._owner)

    def remember_home(self, upcoming: Sequence[Any], undebriefed: Sequence[Any], everyone: bool) -> None:
        """Home's lists as just read, kept for the next start (worker thread; the terminal app only)."""
        if self._home_cache:
            from salestui import home_cache

            home_cache.save(self.db_target, self._owner, upcoming, undebriefed, everyone)

    def _show_early_home(self, lists: Agenda, drawn: threading.Event) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, HomeScreen) and screen.is_open:
                screen.show_early(lists.upcoming, lists.needing_debrief)
        self._after_paint(drawn.set)

    def _store_opened(self, store: Store) -> None:
        # Results of saves come back as messages: the writer thread never waits for the UI.
        store.writer.deliver = lambda callback: self.post_message(Delivered(callback))
        store.writer.on_status = self._save_status
        store.watch(lambda keys: self.post_message(Delivered(lambda: self._changed_elsewhere(keys))))
        store.team_view = self.settings.scope == "everyone"  # the rep's last choice (``action_team_view``)
        store.team_view |= not store.writes_records  # a manager has no records of her own: she sees the team's
        self.store = store
        self.refresh_bindings()  # a manager's home loses the keys that add records (``check_action``)
        # A server that hangs raises nothing: look once a second whether a save has waited too long.
        self.set_interval(1.0, self._check_writer, name="writer check")
        # A "load": nothing is broadcast unless the journal had changes (``_journal_replayed``).
        self.write(None, self._replay_journal, done=self._journal_replayed, description="load")
        if self._quiet_gc:
            self._start_quiet_gc()
        self.store_opened.set()
        self.set_timer(STYLES_AFTER_OPEN, self._read_every_screens_styles, name="read styles")  # home reads first
        if self.screen_stack:  # empty when the rep quit while it was opening
            self.screen.post_message(StoreReady())
        waiting, self._waiting_for_store = self._waiting_for_store, []
        for request in waiting:
            request()

    def _read_every_screens_styles(self) -> None:
        """Read every screen's ``.tcss`` (and the default styles of the containers home does not
        use) now, while home is the only screen to restyle; then warm call detail's first open.

        Textual reads a screen's stylesheet the first time one of its kind is pushed, then parses
        every source again and restyles every widget of every screen open: the first call detail
        opened from review paid that for review's whole table (about 90 ms of a 180 ms open).
        Read once here, a later push finds its stylesheet already read and restyles nothing else.
        """
        stylesheet = self.stylesheet
        paths = sorted(path.resolve() for path in (Path(__file__).parent / "screens").glob("*.tcss"))
        unread = [path for path in paths if not stylesheet.has_source(str(path), "")]
        if not unread or not self.is_running:
            return
        for path in unread:
            stylesheet.read(path)
        from textual.containers import Horizontal, VerticalScroll

        # Containers home does not use: the first screen that mounted one (call detail) added its
        # default styles then, and Textual parsed and applied every source again on that key.
        for widget in (Horizontal(), VerticalScroll()):
            for read_from, css, tie_breaker, scope in widget._get_default_css():
                stylesheet.add_source(
                    css, read_from=read_from, is_default_css=True, tie_breaker=tie_breaker, scope=scope
                )
        stylesheet.reparse()
        stylesheet.update(self)
        self.run_db(_warm_call_detail, group="warm")

    def _start_quiet_gc(self) -> None:
        from salestui import quiet_gc

        # The store is open: SQLAlchemy and the tables are built, and live as long as the process.
        quiet_gc.freeze_startup()
        self._idle_collector = quiet_gc.IdleCollector()
        self.set_interval(quiet_gc.QUIET / 2, self._idle_collector.tick, name="idle collection")

    async def on_event(self, event: events.Event) -> None:
        """Note the rep's input (full collections wait for a pause in it); Textual does the rest."""
        if self._idle_collector is not None and isinstance(event, events.InputEvent):
            self._idle_collector.input_seen()
        if self._keys_for_new is not None and isinstance(event, events.Key) and self._for_new_screen(event):
            self._keys_for_new.append(event)
            return
        await super().on_event(event)

    @staticmethod
    def _for_new_screen(key: events.Key) -> bool:
        # Typing, moving between fields and leaving wait for the screen being opened; ctrl keys
        # (quit, the palette) act at once.
        return not key.is_forwarded and (key.is_printable or key.key in HELD_BEFORE_LOAD or key.key == "escape")

    def _when_open(self, request: Callable[[], None]) -> None:
        # Home shows its calls before the store is open (``store.quick.early_home``): a key pressed
        # then (s, b, x…) runs as soon as it opens, in the order pressed, rather than being refused.
        self._waiting_for_store.append(request)

    def _fatal(self, message: str) -> None:
        self.notify(message, title="Cannot open the database", severity="error", timeout=30, markup=False)
        self.exit(return_code=1, message=message)

    def run_db(
        self,
        job: Callable[[Store], Any],
        done: Callable[[Any], None] | None = None,
        group: str = "db",
        exclusive: bool = False,
    ) -> None:
        """Read in a thread worker: ``done(result)`` back on the UI thread; errors become toasts."""
        if self.store is None:
            self._when_open(lambda: self.run_db(job, done, group, exclusive))
            return
        store = self.store

        def run() -> None:
            result = job(store)
            if done is not None:
                self.call_from_thread(done, result)

        # The description names the group only: customer text never reaches worker lists or logs.
        self.run_worker(run, thread=True, group=group, exclusive=exclusive, exit_on_error=False, description=group)

    def while_here(self, done: Callable[[T], None]) -> Callable[[T], None]:
        """``done``, to run only while the screen on top now is still on top.

        For a read whose result opens a popup (a picker, a menu, a question): when it arrives
        after the rep went back or opened something else, the popup would land over that.
        """
        origin = self.screen

        def here(result: T) -> None:
            if self._on_top(origin):
                done(result)

        return here

    def _on_top(self, screen: Screen[Any]) -> bool:
        return screen.is_active and (not isinstance(screen, DataScreen) or screen.is_open)

    def write(
        self,
        origin: Screen[Any] | None,
        job: Callable[..., Any],
        *,
        key: str | None = None,
        record: str | None = None,
        done: Callable[[Any], None] | None = None,
        failed: Callable[[BaseException], None] | None = None,
        description: str = "save",
    ) -> None:
        """Queue ``job`` on the store's serial writer; a save tells the other screens afterwards
        (naming the record it changed, when it is a ``FieldChange``), a failure is a toast."""
        if self.store is None:
            self._when_open(
                lambda: self.write(
                    origin, job, key=key, record=record, done=done, failed=failed, description=description
                )
            )
            return
        changed = getattr(job, "record", None) or record
        keys = frozenset({changed}) if isinstance(changed, str) else None

        def finished(result: Any) -> None:
            if description != "load":
                self._data_changed(origin, keys)
            if done is not None:
                done(result)

        def refused(error: BaseException) -> None:
            self._write_failed(error)
            if failed is not None:
                failed(error)

        self.store.writer.submit(job, key=key, record=record, done=finished, failed=refused, description=description)

    def _data_changed(self, origin: Screen[Any] | None, keys: frozenset[str] | None = None) -> None:
        # The origin hears it too: a list that saved (a new account) shows it when shown again.
        for screen in self.screen_stack:
            screen.post_message(DataChanged(origin, keys))

    def _write_failed(self, error: BaseException) -> None:
        from salestui.errors import describe
        from salestui.store.core import NotFound, StaleEdit

        title, message = describe(error)
        self.notify(message, title=title, severity="error", markup=False, timeout=8)
        if isinstance(error, StaleEdit | NotFound):
            # Another window changed (or deleted) the record: show what the database holds now.
            self.screen.post_message(DataChanged(None))

    # -- what is not saved yet ----------------------------------------------------------------
    def _save_status(self, status: SaveStatus) -> None:
        """The writer holds saves the database could not take (or has just stored them)."""
        before, self.save_status = self.save_status, status
        had_problem = before.problem is not None
        if status.problem is not None and (not had_problem or status.waiting != before.waiting):
            self.clear_notifications()
            count = "1 change" if status.waiting == 1 else f"{status.waiting} changes"
            self.notify(
                f"{count} not saved yet — retrying. {status.problem}",
                title="Waiting for the database",
                severity="warning",
                timeout=600,
                markup=False,
            )
        elif had_problem:
            self.clear_notifications()
            self.notify("Everything is saved again.", title="Saved", markup=False)

    def _check_writer(self) -> None:
        if self.store is not None:
            status = self.store.writer.status()
            if status != self.save_status and (status.problem is not None or self.save_status.problem is not None):
                self._save_status(status)

    def _changed_elsewhere(self, keys: frozenset[str] | None) -> None:
        """Another window or rep committed: screens showing those records reload (fields typed in keep their text)."""
        for screen in self.screen_stack:
            screen.post_message(DataChanged(None, keys))

    def _replay_journal(self, store: Store) -> Any:
        from salestui.store.journal import replay

        return replay(store, self.db_target)

    def _journal_replayed(self, replayed: Any) -> None:
        if replayed is not None:
            self.notify(replayed.summary(), title="Restored from the journal", markup=False, timeout=12)
            self._changed_elsewhere(None)

    def _journal_unsaved(self) -> str | None:
        """Write what the writer still holds to the journal (quitting); a sentence for the rep, or ``None``."""
        store = self.store
        if store is None:
            return None
        lines, others = store.writer.unsaved()
        if not lines and not others:
            return None
        from salestui.store.journal import write

        store.writer.abandon()
        message = ""
        if lines:
            path = write(self.db_target, lines)
            count = "1 change" if len(lines) == 1 else f"{len(lines)} changes"
            message = f"{count} could not be saved yet: kept in {path}; salestui stores them when it next starts."
        if others:
            message += f" {others} list edit(s) could not be kept."
        log.info("quit with %d journaled and %d lost changes", len(lines), others)
        return message.strip()

    def on_delivered(self, message: Delivered) -> None:
        """A result from the writer thread, run here on the UI thread."""
        message.callback()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """One place turns every worker failure into a plain-words toast."""
        if event.state is not WorkerState.ERROR:
            return
        from salestui.errors import describe

        title, message = describe(event.worker.error)
        self.notify(message, title=title, severity="error", markup=False, timeout=8)
        from salestui.store.core import StaleEdit

        if isinstance(event.worker.error, StaleEdit):
            self.screen.post_message(DataChanged(None))

    def on_unmount(self) -> None:
        """Finish the saves still queued (or journal them) and stop the writer's thread (the CLI closes the engine)."""
        if self.store is not None:
            if not self.store.writer.flush(QUIT_WAIT):
                self.quit_message = self._journal_unsaved() or self.quit_message
            self.store.writer.close(0.5)

    quit_message: str | None = None
    """What the rep is told after the app quit with changes journaled (the CLI prints it)."""

    async def action_quit(self) -> None:
        """Quit once every save asked for has committed; what the database cannot take in
        ``QUIT_WAIT`` seconds goes to the journal, stored at the next start (the rep is told)."""
        for screen in self.screen_stack:
            before_quit = getattr(screen, "before_quit", None)
            if callable(before_quit):
                before_quit()  # a note still in the in-call line is saved too
        if self.store is not None:
            import asyncio

            if self.store.writer.pending():
                self.notify("Saving…", timeout=QUIT_WAIT, markup=False)
            if not await asyncio.to_thread(self.store.writer.flush, QUIT_WAIT):
                self.quit_message = self._journal_unsaved() or self.quit_message
        self.exit()

    # -- navigation ---------------------------------------------------------------------------
    def action_help(self) -> None:
        """Show the keys of the current screen."""
        from salestui.screens.help import HelpScreen  # only when opened: not before the first frame

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen, list(self.BINDINGS)))  # type: ignore[arg-type]

    def action_go_back(self) -> None:
        """Escape goes back one screen (the screen's own ``action_back`` saves first)."""
        if len(self.screen_stack) > 2:
            back = getattr(self.screen, "action_back", None)
            if callable(back):
                back()
            else:
                self.pop_screen()

    def action_goto(self) -> None:
        """``g`` then h, a, v or t: home, accounts, review, stats (a screen already open is returned to)."""
        from salestui.modals.go_to import GoTo
        from salestui.navigation import go_to

        if not isinstance(self.screen, GoTo):
            self.push_screen(GoTo(), lambda where: go_to(self, where))

    def action_home(self) -> None:
        """Back to the home screen."""
        while len(self.screen_stack) > 2:
            self.pop_screen()

    def action_research(self) -> None:
        """The accounts list."""
        from salestui.screens.accounts import AccountsScreen

        self.push_screen(AccountsScreen())

    def open_account(self, account_id: int) -> None:
        """One account's research."""
        from salestui.screens.account import AccountScreen

        self.push_when_free(AccountScreen(account_id))

    def action_new_account(self) -> None:
        """Add an account."""
        from salestui.screens.accounts import AccountsScreen

        self.push_screen(AccountsScreen(start_new=True))

    def action_plan_call(self, account_id: int | None = None) -> None:
        """Plan a new call: for ``account_id``, or for an account picked from a list."""

        def create(chosen: int | None) -> None:
            if chosen is None:
                return
            from salestui import undo
            from salestui.text import clean

            def run(store: Store) -> tuple[int, str]:
                try:
                    return store.calls.create(chosen), store.accounts.get(chosen).name
                except BaseException:
                    self.post_message(Delivered(self._release_keys))  # nothing opens: the keys go back
                    raise

            def created(result: tuple[int, str]) -> None:
                call_id, name = result
                if any(key.key == "escape" for key in self._keys_for_new or ()):
                    # Escape before the plan showed: the rep changed their mind, nothing opens.
                    self._keys_for_new = None
                    from salestui.store.undo import discard_if_blank

                    self.write(None, lambda store: discard_if_blank(store, call_id), description="discard")
                    return
                delete = lambda store: store.calls.delete_unheld(call_id)  # noqa: E731 - never a held call
                self.record_undo(undo.created(f"new call with “{clean(name, 40)}”", "call", call_id, delete))
                self.open_plan(call_id, created=True)

            # Keys typed until the plan shows land in it; escape meanwhile opens nothing.
            self._keys_for_new = self._keys_for_new if self._keys_for_new is not None else []
            self.write(None, run, done=created, description="create call")

        if account_id is not None:
            create(account_id)
            return
        from salestui.modals.picker import Choice, Picker

        def pick(choices: list[Choice]) -> None:
            self.push_screen(
                Picker("Plan a call for which account?", choices, "No accounts yet: press a on home to add one."),
                create,
            )

        self.run_db(
            lambda store: [Choice(r.id, r.name, r.industry) for r in store.accounts.rows()], self.while_here(pick)
        )

    def open_plan(self, call_id: int, created: bool = False) -> None:
        """The plan of one call (``created``: just made for it, discarded if left blank)."""
        from salestui.screens.plan import PlanScreen

        self.push_when_free(PlanScreen(call_id, created=created))

    def push_when_free(self, screen: Screen[Any]) -> None:
        """Push ``screen`` now, or once the popup on top closes.

        A screen asked for by a write that finished later (a new call's plan) never goes over a
        popup the rep opened meanwhile: the popup would sit hidden under it, taking keys later.
        Keys held for the new screen (``_keys_for_new``) land once it is pushed.
        """
        if isinstance(self.screen, ModalScreen):
            self._after_popup.append(screen)
            return
        self.push_screen(screen)
        self._release_keys(screen)

    def _popup_closed(self, _screen: Screen[Any]) -> None:
        if self._after_popup and not isinstance(self.screen, ModalScreen):
            waiting, self._after_popup = self._after_popup, []
            for screen in waiting:
                self.push_screen(screen)
            self._release_keys(waiting[-1])

    def _release_keys(self, screen: Screen[Any] | None = None) -> None:
        keys, self._keys_for_new = self._keys_for_new or [], None
        # An edit screen holds keys until its record shows (``DataScreen.on_key``): handed to it
        # here, they cannot reach it while it is still being built, after its record came.
        held = getattr(screen, "_held_keys", None)
        if held is not None:
            held.extend(keys)
            return
        for key in keys:
            self.post_message(events.Key(key.key, key.character))

    # -- undo ---------------------------------------------------------------------------------
    def record_undo(self, entry: Undoable) -> None:
        """Remember a change the rep made (it has committed) so ctrl+z can take it back."""
        self.undo_history.push(entry)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """ctrl+z and ctrl+shift+z belong to the text field that has the cursor (its own text);
        a team's manager adds no records, so keys and commands that would are not offered."""
        if action in ("undo", "redo"):
            return not is_text_field(self.focused)
        if action in ADDS_RECORDS:
            return self.store is None or self.store.writes_records
        return True

    def action_undo(self) -> None:
        """Take back the rep's last change: a record created, deleted or cancelled, a field cleared."""
        self._undo_step(self.undo_history.take_undo(), "Undone", self.undo_history.undone, "undo")

    def action_redo(self) -> None:
        """Make the change ctrl+z took back again."""
        self._undo_step(self.undo_history.take_redo(), "Redone", self.undo_history.redone, "redo")

    def _undo_step(self, entry: Undoable | None, said: str, then: Callable[[Undoable], None], kind: str) -> None:
        if entry is None:
            self.notify(f"Nothing to {kind}.", markup=False)
            return

        def done(result: Any) -> None:
            then(entry)
            self.notify(f"{said}: {entry.label}", markup=False)
            # A record the step removed: leave the screens that show it (its plan, its account).
            removed = getattr(result, "root", None)
            while (
                removed and getattr(self.screen, f"{removed[0]}_id", None) == removed[1] and len(self.screen_stack) > 2
            ):
                self.pop_screen()

        # On the serial writer: ordered with every save; the other screens reload (DataChanged).
        self.write(None, entry.undo if kind == "undo" else entry.redo, done=done, description=kind)

    def open_practice(self, call_id: int) -> None:
        """Rehearse a call's plan (practice screen)."""
        from salestui.screens.practice import PracticeScreen

        self.push_screen(PracticeScreen(call_id))

    def start_call(self, call_id: int | None = None, check: bool = False, selected: int | None = None) -> None:
        """Open the in-call screen for a call (picked from the upcoming ones, ``selected`` first, if not given).

        With ``check`` (the ``s`` key, the palette), a call with no time set, low readiness or a
        time hours ahead starts only after a one-key confirmation naming why.
        """
        from salestui.call_actions import start_checked
        from salestui.screens.incall import InCallScreen

        def open_in_call(chosen: int) -> None:
            self.push_screen(InCallScreen(chosen))

        def chosen(call: int) -> None:
            if check:
                start_checked(self, call, open_in_call)
            else:
                open_in_call(call)

        if call_id is not None:
            chosen(call_id)
            return
        self.pick_call("Start which call?", "upcoming", chosen, selected)

    def debrief_call(self, call_id: int | None = None) -> None:
        """Open the debrief of a call (picked from those needing one if not given); never a future call."""
        from salestui.call_actions import debrief_checked

        self._with_call(
            call_id, "Debrief which call?", "needing_debrief", lambda c: debrief_checked(self, c, self.open_debrief)
        )

    def open_debrief(self, call_id: int) -> None:
        """The debrief screen of one call."""
        from salestui.screens.debrief import DebriefScreen

        self.push_screen(DebriefScreen(call_id))

    def action_review(self) -> None:
        """All past calls."""
        from salestui.screens.review import ReviewScreen

        self.push_screen(ReviewScreen())

    def open_call(self, call_id: int) -> None:
        """Plan and outcome of one call side by side."""
        from salestui.screens.call_detail import CallDetailScreen

        self.open_with_data(CallDetailScreen(call_id))

    def open_with_data(self, screen: DataScreen) -> None:
        """Open ``screen`` (a list screen: ``EDITS`` false) once its data is read, so its first
        frame shows it.

        A screen pushed first draws itself empty, then again when its data arrives, and its
        read waits for the GIL while the first frame renders: call detail took ~130 ms on a pty
        that way, ~90 ms with the data read first (``bench.keys``). A read slower than
        ``OPEN_WAIT`` opens the screen without its data, to load it itself; a read that fails
        opens nothing (the failure's toast says why). When the data comes after the rep left
        the screen that asked (went back, or a popup opened) or asked again, nothing opens.
        """
        assert not screen.EDITS, "a record's load goes through the writer: open edit screens with push_screen"
        self._opening += 1
        ticket = self._opening

        @self.while_here
        def open_now(opening: tuple[bool, Any]) -> None:
            if ticket != self._opening:
                return
            self._opening += 1  # opened: a late read or timer for this request does nothing
            wait.stop()
            loaded, data = opening
            self.push_screen(screen.with_data(data) if loaded else screen)

        def read(store: Store) -> Any:
            try:
                return screen.load(store)
            except Exception:
                self.call_from_thread(wait.stop)  # not opened, to fail the same way again
                raise

        wait = self.set_timer(OPEN_WAIT, lambda: open_now((False, None)), name="open without data")
        self.run_db(read, lambda data: open_now((True, data)), group="open")

    def action_stats(self) -> None:
        """The rep's own numbers."""
        from salestui.screens.stats import StatsScreen

        self.push_screen(StatsScreen())

    def action_team(self) -> None:
        """Per-rep figures (the manager view)."""
        from salestui.screens.team import TeamScreen

        self.push_screen(TeamScreen())

    def action_team_view(self) -> None:
        """Switch the lists between the rep's own records and the whole team's."""
        if self.store is None:
            return
        self.store.team_view = not self.store.team_view
        from dataclasses import replace

        from salestui import preferences
        from salestui.settings import SCOPES

        scope = SCOPES[int(self.store.team_view)]
        self.settings = replace(self.settings, scope=scope)
        preferences.remember_scope(self, scope)
        self.notify(
            "Showing everyone's accounts and calls."
            if self.store.team_view
            else "Showing only your accounts and calls."
        )
        from salestui.screens.base import DataScreen

        # The palette may still be on top while it closes: reload the screen below it.
        shown = next((s for s in reversed(self.screen_stack) if isinstance(s, DataScreen)), self.screen)
        shown.post_message(StoreReady())

    def action_load_demo(self) -> None:
        """Fill the database with the demo dataset."""
        from salestui.store.demo import load_demo

        def loaded(counts: dict[str, int]) -> None:
            self.notify(f"Demo data loaded: {counts['accounts']} accounts, {counts['calls']} calls.")
            self.screen.post_message(StoreReady())

        self.write(None, load_demo, done=loaded, description="load demo")

    def action_import_calendar(self) -> None:
        """Palette: ask for an .ics file, import its meetings as planned calls, toast the summary."""
        from salestui.modals.text_prompt import TextPrompt

        def done(result: tuple[bool, str]) -> None:
            ok, message = result
            self.notify(message, title="Calendar", severity="information" if ok else "error", markup=False, timeout=12)

        def chosen(text: str | None) -> None:
            if text is not None:
                from salestui.io.ics_import import import_for_toast

                path = Path(text).expanduser()
                self.write(None, lambda store: import_for_toast(store, path), done=done, description="import calendar")

        self.push_screen(TextPrompt("Import calendar: the .ics file", placeholder="~/Downloads/calendar.ics"), chosen)

    def action_start_call(self) -> None:
        """Palette: start a call."""
        self.start_call(check=True)

    def action_debrief_call(self) -> None:
        """Palette: debrief a call."""
        self.debrief_call()

    def _with_call(self, call_id: int | None, title: str, source: str, then: Callable[[int], None]) -> None:
        if call_id is not None:
            then(call_id)
            return
        self.pick_call(title, source, then)

    def pick_call(self, title: str, source: str, then: Callable[[int], None], selected: int | None = None) -> None:
        """Pick a call from ``store.calls.<source>()`` (``upcoming``, ``needing_debrief``), then ``then(id)``.

        The picker opens at once and its list follows: what the rep types meanwhile filters it
        rather than landing on the screen below (or in the call it starts).
        """
        from salestui.modals.picker import Choice, Picker

        def choices(store: Store) -> list[Choice]:
            from salestui import format as fmt
            from salestui.store.scope import is_mine
            from salestui.widgets.read_only import whose

            def owned(summary: m.CallSummary) -> str:
                """``bob's · `` before another rep's call (showing everyone's): it opens read only."""
                return "" if is_mine(store, summary.owner) else f"{whose(summary.owner)} · "

            calls = getattr(store.calls, source)(limit=200)
            # A call left mid-way is no longer upcoming; ``s`` resumes it.
            resumed = store.calls.left_midway(limit=20) if source == "upcoming" else []
            return [
                Choice(c.id, c.account_name, f"{owned(c)}resume · started {fmt.when(c.happened_at)}  {c.objective}")
                for c in resumed
            ] + [Choice(c.id, c.account_name, f"{owned(c)}{fmt.when(c.scheduled_at)}  {c.objective}") for c in calls]

        def picked(chosen: int | None) -> None:
            if chosen is not None:
                then(chosen)

        picker = Picker(title, None, "No calls here.", selected)
        self.push_screen(picker, picked)

        def pick(found: list[Choice]) -> None:
            if picker.is_attached:
                resume = next((c.id for c in found if c.detail.startswith("resume")), None)
                picker.load(found, resume)  # a call left mid-way comes before the highlighted one

        self.run_db(choices, pick)
