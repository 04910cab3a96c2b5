"""The shared piece of every data screen: the edit session.

How a screen gets and keeps its data, in one place:

- **Loading.** ``load(store)`` runs off the UI thread and *returns* what the screen shows;
  ``show(data)`` puts it on screen (UI thread), then the screen posts ``DataScreen.Loaded``.
  Worker threads never touch screen attributes.
- **When.** A list screen (``EDITS = False``) reloads each time it is shown again. A screen that
  edits a record (``EDITS = True``) loads once and reloads only when another writer changed
  data: another screen's save (``DataChanged``), or a save refused as stale (another window).
  Closing a popup or the palette never reloads it.
- **Saving.** ``save(job, key=..., record=...)`` hands the job to the store's one serial
  writer: saves commit in the order asked, a newer save of the same ``key`` replaces one still
  waiting, and ``record`` chains that record's optimistic version. Fields that save as typed
  belong to ``self.fields`` (``salestui.binder``): ``fields.fill`` when showing, ``fields.save``
  from the field's ``Changed`` handler; each save carries the value it was typed on, so the
  store merges it with another window's. Edit screens load through the writer too, so a load
  sees every save asked for before it.
- **Keys.** Escape leaves a text field first, and the screen only from outside one
  (``can_leave`` may ask first). On screens where lists beside a prose body create records by
  letter (``HOLD_LETTERS_AFTER_PROSE``), right after tab leaves the body the letters are held
  until the rep presses a navigation key: prose typed on never runs commands. So are they when
  a letter command comes right after a letter that ran nothing (a sentence typed on the list).
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import Callable
from time import monotonic
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from textual import events, on
from textual.binding import Binding
from textual.events import ScreenResume
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input

from salestui.binder import FieldBinder
from salestui.messages import DataChanged, StoreReady

if TYPE_CHECKING:
    from textual.css.query import QueryType

    from salestui.app import SalesApp
    from salestui.store.core import Store

T = TypeVar("T")

_NOTHING: Any = object()
"""No data handed in before the screen opened (``DataScreen.with_data``)."""

NAVIGATION_KEYS = frozenset(
    {"up", "down", "left", "right", "pageup", "pagedown", "home", "end", "escape", "tab", "shift+tab"}
)
"""Keys no sentence contains: they show the rep means to work the list (its letters act again)."""


HELD_BEFORE_LOAD = frozenset({"enter", "tab", "shift+tab", "backspace", "delete", "space"})
"""Keys that edit or move between fields: typed before the record arrives, they wait for it."""

TYPING_GAP = 1.0
"""Seconds after a letter that ran nothing (typed on a list) within which a letter command is
taken as more typing (``DataScreen._typing_on``): a sentence has a key every ~0.2 s."""


def is_text_area(widget: object) -> bool:
    """A TextArea, told without importing it: that import costs ~11 ms of the first frame, and
    home has none (no widget can be one before Textual's module for it is imported)."""
    module = sys.modules.get("textual.widgets._text_area")
    return module is not None and isinstance(widget, module.TextArea)


def is_text_field(widget: Widget | None) -> bool:
    """A widget the rep types prose into."""
    return (isinstance(widget, Input) or is_text_area(widget)) and not getattr(widget, "read_only", False)


class DataScreen(Screen[None]):
    """A screen that reads from and writes to the store through its edit session."""

    EDITS: ClassVar[bool] = False
    """True for a screen that edits a record: it never reloads just because it is shown again."""

    HOLD_LETTERS_AFTER_PROSE: ClassVar[bool] = False
    """True where a list beside a prose body has record-creating letters (``a`` adds, ``p`` plans)."""

    BINDINGS = [Binding("escape", "back", "Back", tooltip="Leave the field you type in; again to go back")]

    class Loaded(Message):
        """The screen shows freshly loaded data (tests and the benchmark wait on it)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._load_signal = asyncio.Event()
        self.loads_shown = 0
        """How many loads have been shown."""
        self._load_seq = 0
        self.fields = FieldBinder(self)
        """The fields that save as typed (``salestui.binder``)."""
        self._stale = True
        self._letters_held = False
        self._focus_after_load: str | None = None
        self._preloaded: Any = _NOTHING
        self._visited = False
        self.read_only = False
        """Another rep's record (a team database): shown, not editable; known once it is loaded."""
        self._held_keys: list[events.Key | events.Paste] | None = [] if self.EDITS else None
        """Keys typed before an edit screen shows its record: replayed once it does."""
        if self.EDITS:
            # Focus waits for the record: typing into an empty field that the load then fills
            # would be lost (see ``on_key``).
            self._focus_after_load = self.AUTO_FOCUS
            self.AUTO_FOCUS = ""
        self._breakpoint_now()

    def _breakpoint_now(self) -> None:
        """Take the width class (``-narrow``/``-wide``) at once: Textual sets it on the first Resize,
        which comes after the first layout, so a narrow screen would first be drawn wide.

        Textual has no public call that applies breakpoints (its ``Screen._on_resize`` uses the
        private ``_get_breakpoint_classes``), so this applies the documented rule itself: the class
        of the largest minimum width the terminal reaches (``App.HORIZONTAL_BREAKPOINTS``).
        ``tests/test_textual_pins.py`` checks it agrees with Textual's.
        """
        points = self.HORIZONTAL_BREAKPOINTS
        if not points:
            return
        try:
            width = self.app.size.width
        except RuntimeError:  # NoActiveAppError: no running app (a screen built outside one): the Resize will do it
            return
        reached = [(threshold, name) for threshold, name in points if width >= threshold]
        chosen = max(reached)[1] if reached else None
        self.update_classes({name: name == chosen for _, name in points}, animate=False)

    # -- the app and the store ---------------------------------------------------------------------
    @property
    def sales_app(self) -> SalesApp:
        """The app, typed."""
        from salestui.app import SalesApp

        assert isinstance(self.app, SalesApp)
        return self.app

    @property
    def is_open(self) -> bool:
        """On the screen stack: a result that arrives after the screen was closed is dropped.

        ``is_attached`` is not enough: a popped screen stays attached while its widgets are
        being removed, and a late result then queried widgets that were gone (``NoMatches``).
        On quit the screens are removed while still on the stack: Textual marks them
        ``_pruning`` then (as its own ``Widget.is_attached`` checks for children).
        """
        return self.is_attached and not self._pruning and self in self.app.screen_stack

    @property
    def store(self) -> Store | None:
        """The open store, or ``None`` while it is still opening."""
        return self.sales_app.store

    # -- loading -----------------------------------------------------------------------------------
    def load(self, store: Store) -> Any:
        """Read what the screen shows (off the UI thread); the result goes to ``show``."""
        return None

    def show(self, data: Any) -> None:
        """Put loaded data on screen (UI thread)."""

    def reload(self) -> None:
        """Load the screen's data (if the store is open)."""
        store = self.store
        if store is None:
            return
        self._stale = False
        self._load_seq += 1
        seq = self._load_seq

        def shown(data: Any) -> None:
            if seq == self._load_seq and self.is_open:
                self._show_loaded(data, seq)

        if self.EDITS:
            self.sales_app.write(self, self.load, key=None, done=shown, description="load")
        else:
            self.sales_app.run_db(self.load, shown, group=f"load-{id(self)}", exclusive=True)

    def with_data(self, data: Any) -> DataScreen:
        """Hand in what ``load`` returned before the screen opens: its first frame shows it."""
        self._preloaded = data
        return self

    @on(events.Mount)
    def _show_preloaded(self, event: events.Mount) -> None:
        data, self._preloaded = self._preloaded, _NOTHING
        if data is not _NOTHING:
            self._stale = False
            self._load_seq += 1
            self._show_loaded(data, self._load_seq)

    def _show_loaded(self, data: Any, seq: int) -> None:
        self._showing_seq = seq
        self.show(data)
        if self._held_keys is not None:
            self._release_keys()
        self.loads_shown += 1
        self._load_signal.set()
        self.post_message(self.Loaded())

    async def wait_for_load(self, after: int = 0) -> None:
        """Return once more than ``after`` loads have been shown (tests and the benchmark)."""
        while self.loads_shown <= after:
            self._load_signal.clear()
            await self._load_signal.wait()

    def read_only_unless_mine(self, owner: str) -> bool:
        """Turn read-only when ``owner`` is another rep (``store.scope.is_mine``): says whose record
        it is in the header and turns the edit keys off. True only on the load that turned it so:
        the screen then locks what it shows (``widgets.read_only.lock``)."""
        from salestui.store.scope import is_mine
        from salestui.widgets.read_only import marker

        store = self.store
        if self.read_only or store is None or is_mine(store, owner):
            return False
        self.read_only = True
        self.sub_title = marker(owner).plain
        self.refresh_bindings()
        return True

    def refused_here(self) -> bool:
        """An edit reached another rep's record (a mouse click slips past the locks): say so and
        show what is stored. False on one's own record, where the edit goes ahead."""
        if not self.read_only:
            return False
        from salestui.store.core import OTHER_REPS

        self.notify(OTHER_REPS, title="Not saved", severity="warning", markup=False, timeout=4)
        self.reload()
        return True

    def first_focus(self) -> str | None:
        """Where the cursor goes once an edit screen's record is shown (a selector)."""
        return self._focus_after_load

    def _release_keys(self) -> None:
        """The record is on screen: focus its first field, then replay the keys typed meanwhile."""
        held, self._held_keys = self._held_keys or [], None
        target = self.first_focus()
        if target and self.focused is None:
            found = [w for w in self.query(target) if w.focusable]
            if found:
                # No scroll animation: the field is in view at once (and snapshots are stable).
                self.set_focus(found[0], scroll_visible=False)
                found[0].scroll_visible(animate=False)
        for key in held:
            if isinstance(key, events.Paste):
                self.app.post_message(events.Paste(key.text))
            else:
                self.app.post_message(events.Key(key.key, key.character))

    @on(events.Paste)
    def _hold_paste(self, event: events.Paste) -> None:
        # A paste before the record is shown waits with the keys (it would land in an empty field).
        if self._held_keys is not None:
            event.stop()
            event.prevent_default()
            self._held_keys.append(event)

    @on(ScreenResume)
    def _resumed(self, event: ScreenResume) -> None:
        # Auto-focus is for the first visit only: coming back from a popup must not put the
        # cursor in a field the rep had left (the next letter would land in it).
        first_visit, self._visited = not self._visited, True
        if first_visit:
            self.call_after_refresh(setattr, self, "AUTO_FOCUS", "")
        else:
            self.AUTO_FOCUS = ""
        if first_visit and self.loads_shown:  # opened with its data (``with_data``)
            return
        # Shown again (a popup or help closed, the rep came back): reload only if data changed
        # meanwhile, so a list keeps its place (practice stayed on its card, review on its row).
        if self._stale:
            self.reload()

    @on(StoreReady)
    def _store_ready(self, event: StoreReady) -> None:
        self.reload()

    @on(DataChanged)
    def _data_changed(self, event: DataChanged) -> None:
        # An edit screen's own saves never reload it (the rep is typing); a list's own do.
        if (event.origin is self and self.EDITS) or (event.keys is not None and not self.shows(event.keys)):
            return
        self._stale = True
        # Only the top screen reloads now; a screen under it (Textual counts it "current" when
        # it shows through) reloads when shown again. Home under the plan reloaded its lists on
        # every autosaved keystroke: 41% of the CPU while typing at 100,000 calls (py-spy).
        if self.is_active:
            self.reload()

    def shows(self, keys: frozenset[str]) -> bool:
        """Whether a change to the records ``keys`` (``call:5``) concerns this screen (a list: any)."""
        return True

    def run_db(self, job: Callable[[Store], T], done: Callable[[T], None] | None = None, group: str = "db") -> None:
        """Read (or write a file) in a thread worker; ``done(result)`` runs while the screen is open.

        Writes to the database go through ``save`` instead (the serial writer).
        """

        def delivered(result: T) -> None:
            if done is not None and self.is_open:
                done(result)

        self.sales_app.run_db(job, delivered, group=group)

    # -- saving ------------------------------------------------------------------------------------
    def save(
        self,
        job: Callable[..., T],
        *,
        key: str | None = None,
        record: str | None = None,
        done: Callable[[T], None] | None = None,
        description: str = "save",
        failed: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Queue a save on the store's serial writer (see the module docstring)."""

        def delivered(result: T) -> None:
            if done is not None and self.is_open:
                done(result)

        self.sales_app.write(self, job, key=key, record=record, done=delivered, failed=failed, description=description)

    async def saved(self) -> None:
        """Wait until every save asked for so far has committed (before a file or another screen reads)."""
        store = self.store
        if store is not None:
            await asyncio.to_thread(store.writer.flush)

    # -- keys --------------------------------------------------------------------------------------
    def can_leave(self, leave: Callable[[], None]) -> None:
        """Leave now, or ask first and call ``leave`` if the rep agrees (override to ask)."""
        leave()

    def action_back(self) -> None:
        """Escape: out of the text field first; from outside one, back to the previous screen."""
        if is_text_field(self.focused):
            # Tab goes on from here (``focus_next``); the rep left the prose on purpose, so the
            # list tab reaches next does not hold its letters (``_focus_moved``).
            self._field_left = self.focused
            self._last_focused: Widget | None = None
            self.set_focus(None)
            return
        if len(self.app.screen_stack) <= 2:
            return

        def leave() -> None:
            if self.is_current:
                self.app.pop_screen()

        self.can_leave(leave)

    @on(events.DescendantFocus)
    def _focus_moved(self, event: events.DescendantFocus) -> None:
        # Focus that arrives on a list straight from a prose body (tab while typing sentences)
        # holds the letter commands until a navigation key says the rep means to use them.
        # One-line fields are exempt: tab from them is ordinary form navigation.
        previous = getattr(self, "_last_focused", None)
        by_tab = getattr(self, "_last_key", "") in ("tab", "shift+tab")
        self._letters_held = (
            self.HOLD_LETTERS_AFTER_PROSE and by_tab and is_text_area(previous) and not is_text_field(event.widget)
        )
        self._last_focused = event.widget
        self.set_class(self._letters_held, "-letters-held")

    def on_key(self, event: events.Key) -> None:
        """Hold keys until the record is shown; hold letter commands right after prose (``_focus_moved``)."""
        self._last_key = event.key
        if self._held_keys is not None and (event.is_printable or event.key in HELD_BEFORE_LOAD):
            event.stop()
            event.prevent_default()
            self._held_keys.append(event)
            return
        if self.HOLD_LETTERS_AFTER_PROSE and not self._letters_held and self._typing_on(event):
            self._letters_held = True
            self.set_class(True, "-letters-held")
        if not self._letters_held:
            self._held_told = False
            return
        if event.key in NAVIGATION_KEYS:
            self._letters_held = False
            self.set_class(False, "-letters-held")
            return
        if event.is_printable:
            event.stop()
            event.prevent_default()
            if self._held_told:  # once per sentence, not a toast a letter
                return
            self._held_told = True
            with contextlib.suppress(Exception):
                self.notify(
                    "Keys are held after typing: press an arrow key first to use the list's letter keys.",
                    timeout=3,
                    markup=False,
                )

    _typed_at: float | None = None
    """When the last key that ran nothing was typed outside a text field (``_typing_on``)."""
    _held_told = False
    """The rep was told the letters are held (once while they are)."""

    def _typing_on(self, event: events.Key) -> bool:
        """A letter command right after a letter that ran none: the rep is typing a sentence on a list.

        "so please plan it" on the contacts list: ``s``, ``o`` and space run nothing, so the
        ``p`` of "please" is prose, not "plan a call". The letters are then held like after tab
        from a note body, until a navigation key. A command letter pressed first, or after
        another command (``2`` then ``p``), or after a pause, runs.
        """
        now = monotonic()
        typed_at, self._typed_at = self._typed_at, None
        if not event.is_printable or is_text_field(self.focused):
            return False
        command = self.active_bindings.get(event.key)
        if command is None or not command.enabled:
            self._typed_at = now
            return False
        return typed_at is not None and now - typed_at < TYPING_GAP

    # -- focus after escape ------------------------------------------------------------------------
    _field_left: Widget | None = None
    """The text field escape left (``action_back``) while nothing has been focused since."""

    def focus_next(self, selector: str | type[QueryType] = "*") -> Widget | None:
        """Tab: after escape left a field, the one after it (Textual would start from the top)."""
        if self._focus_beside_field_left(1, selector):
            return self.focused
        return super().focus_next(selector)

    def focus_previous(self, selector: str | type[QueryType] = "*") -> Widget | None:
        """Shift+tab: after escape left a field, the one before it."""
        if self._focus_beside_field_left(-1, selector):
            return self.focused
        return super().focus_previous(selector)

    def _focus_beside_field_left(self, direction: int, selector: str | type[QueryType]) -> bool:
        """Focus the widget ``direction`` steps from the field escape left, if nothing has focus."""
        left, self._field_left = self._field_left, None
        if left is None or self.focused is not None or selector != "*" or self.maximized is not None:
            return False
        chain = self.focus_chain
        if left not in chain:  # removed, hidden or disabled since: Textual's own order
            return False
        self.set_focus(chain[(chain.index(left) + direction) % len(chain)])
        return True

    @on(events.DescendantFocus)
    def _forget_field_left(self, event: events.DescendantFocus) -> None:
        # Focus went somewhere else (a click, a command): tab goes on from there, not from the old field.
        self._field_left = None
