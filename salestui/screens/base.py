"""The shared piece of every data screen: database calls in workers, autosave, reload on resume."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from textual import on, work
from textual.events import ScreenResume
from textual.screen import Screen
from textual.timer import Timer

from salestui.messages import StoreReady

if TYPE_CHECKING:
    from salestui.app import SalesApp
    from salestui.store.core import Store

T = TypeVar("T")

AUTOSAVE_DELAY = 0.4  # seconds of typing pause before a field is written


class DataScreen(Screen[None]):
    """A screen that loads from the store in a thread and saves edits as they are typed."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pending: dict[str, tuple[Timer, Callable[[], None]]] = {}

    @property
    def sales_app(self) -> SalesApp:
        """The app, typed."""
        from salestui.app import SalesApp

        assert isinstance(self.app, SalesApp)
        return self.app

    @property
    def store(self) -> Store | None:
        """The open store, or ``None`` while it is still opening."""
        return self.sales_app.store

    def load(self, store: Store) -> None:
        """Called in a worker thread whenever the screen should (re)load its data."""

    def reload(self) -> None:
        """Load the screen's data in a worker (if the store is open)."""
        if self.store is not None:
            self._load_worker(self.store)

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def _load_worker(self, store: Store) -> None:
        self.load(store)

    def on_mount(self) -> None:
        """Nothing to load yet: ``ScreenResume`` follows the mount and loads once."""

    @on(ScreenResume)
    def _reload_on_resume(self, event: ScreenResume) -> None:
        # The first resume is the first load; later ones catch what other screens changed.
        self.reload()

    @on(StoreReady)
    def _store_ready(self, event: StoreReady) -> None:
        self.reload()

    def run_db(
        self,
        job: Callable[[Store], T],
        done: Callable[[T], None] | None = None,
        group: str = "db",
    ) -> None:
        """Run ``job(store)`` in a thread; call ``done(result)`` back on the UI thread."""
        # The app runs it, so a save started while this screen closes still completes; but the
        # result is only shown while the screen is still open (its widgets are gone after that).
        if done is None:
            self.sales_app.run_db(job, None, group)
            return

        def deliver(result: T) -> None:
            if self in self.app.screen_stack:
                done(result)

        self.sales_app.run_db(job, deliver, group)

    def autosave(self, key: str, save: Callable[[Store], object], delay: float = AUTOSAVE_DELAY) -> None:
        """Save after a pause in typing; a newer edit of the same ``key`` replaces the pending one."""
        if key in self._pending:
            self._pending.pop(key)[0].stop()

        def fire() -> None:
            self._pending.pop(key, None)
            self.run_db(save, group="autosave")

        self._pending[key] = (self.set_timer(delay, fire), fire)

    def flush_autosave(self) -> None:
        """Write every pending edit now (leaving the screen, quitting)."""
        for timer, fire in list(self._pending.values()):
            timer.stop()
            fire()

    def on_unmount(self) -> None:
        """Nothing typed is lost when the screen closes."""
        self.flush_autosave()

    def action_back(self) -> None:
        """Leave this screen, saving what is pending."""
        self.flush_autosave()
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()
