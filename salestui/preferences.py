"""The settings file applied to the running app: keymap, theme (kept when changed), date and week.

``salestui.settings`` reads and writes the file; this module is the Textual side. The CLI reads
the file before the app starts and hands the ``Settings`` in, so the first frame never waits on it.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from salestui import format as fmt
from salestui.settings import Settings

if TYPE_CHECKING:
    from textual.app import App

log = logging.getLogger("salestui")


def apply(app: App[int], settings: Settings) -> None:
    """Remap keys, set the theme, the date format and the first day of the week; then persist theme changes."""
    if settings.keys:
        app.set_keymap(settings.keys)
    if settings.theme and settings.theme in app.available_themes:
        app.theme = settings.theme
    fmt.set_date_pattern(settings.date_pattern)
    if settings.week_start_index:
        # Weeks start on Monday unless set: the review rules (and the domain's models they
        # import, ~20 ms) load when review opens, not before the first frame.
        from salestui.domain.review import set_week_start

        set_week_start(settings.week_start_index)
    for problem in settings.problems:
        app.notify(problem, title="Settings", severity="warning", markup=False, timeout=10)

    def changed(theme: object) -> None:
        name = getattr(theme, "name", None)
        if isinstance(name, str):
            remember_theme(app, name)

    app.theme_changed_signal.subscribe(app, changed)


def remember_theme(app: App[int], name: str) -> None:
    """Write the new theme to the settings file in a thread (a file write never blocks the UI)."""

    def write() -> None:
        from salestui.settings import with_theme

        if with_theme(name) is None:
            app.call_from_thread(
                app.notify,
                "The theme was not saved: the settings file has a value to fix (see `salestui config`).",
                markup=False,
            )

    app.run_worker(write, thread=True, group="settings", exit_on_error=False, description="settings")
