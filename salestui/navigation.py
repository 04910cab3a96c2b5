"""Jumps between the top-level screens (``g`` then a letter, or the palette's "Go to" group)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from salestui.app import SalesApp

#: Destination -> the screen class name that shows it (checked on the stack by name: no import).
SCREENS = {"home": "HomeScreen", "research": "AccountsScreen", "review": "ReviewScreen", "stats": "StatsScreen"}


def go_to(app: SalesApp, where: str | None) -> None:
    """Back to ``where`` if it is already open under the current screen, else open it on top."""
    if where is None:
        return
    wanted = SCREENS[where]
    names = [type(screen).__name__ for screen in app.screen_stack]
    if wanted in names:
        while type(app.screen).__name__ != wanted and len(app.screen_stack) > 2:
            app.pop_screen()
        return
    getattr(app, f"action_{where}")()
