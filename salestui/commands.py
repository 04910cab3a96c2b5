"""Command palette: every action by its plain name, offering only what fits the current screen."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from salestui.app import SalesApp


@dataclass(frozen=True, slots=True)
class PaletteCommand:
    """A palette entry: name, help line and the app action it runs."""

    name: str
    help: str
    action: str


GLOBAL_COMMANDS: tuple[PaletteCommand, ...] = (
    PaletteCommand("Home", "Upcoming calls and calls that need a debrief", "home"),
    PaletteCommand("Research", "Accounts, contacts, research notes, competitor comparisons", "research"),
    PaletteCommand("New account", "Add a prospect or customer", "new_account"),
    PaletteCommand("Plan a call", "Create a call plan for an account", "plan_call"),
    PaletteCommand("Start call", "Open the in-call screen for a planned call", "start_call"),
    PaletteCommand("Debrief call", "Evaluate a call that has taken place", "debrief_call"),
    PaletteCommand("Review calls", "Browse, filter and search all past calls", "review"),
    PaletteCommand("Stats", "Your advance rate, debrief rate, and whether preparation pays", "stats"),
    PaletteCommand("Team figures", "Compare reps: calls held, advance rate, debriefs, overdue follow-ups", "team"),
    PaletteCommand(
        "Everyone's or my records", "Lists show the whole team's accounts and calls, or only yours", "team_view"
    ),
    PaletteCommand("Load demo data", "Fill the database with realistic sample accounts and calls", "load_demo"),
    PaletteCommand("Help", "Keys of this screen", "help"),
)


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
            local.append((command, partial(self._app.run_action, command.action)))
        return local

    async def discover(self) -> Hits:
        """Show every command when the palette opens."""
        for command, run in self._commands():
            yield DiscoveryHit(command.name, run, help=command.help)

    async def search(self, query: str) -> Hits:
        """Fuzzy-match commands by name."""
        matcher = self.matcher(query)
        for command, run in self._commands():
            score = matcher.match(command.name)
            if score > 0:
                yield Hit(score, matcher.highlight(command.name), run, help=command.help)
