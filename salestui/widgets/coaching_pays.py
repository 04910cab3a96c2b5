"""'Does coaching pay?': advance rate of coached vs uncoached held calls, and of ride-along vs solo
ones, with the counts behind each rate (no rate from fewer than 5 calls: it says so instead).

Shown on Stats (the rep's calls, or everyone's in the team view) and on Team figures (the team's).
It reads in the screen's worker: ``reload(everyone)`` after the screen's own data is shown.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from salestui.domain.coaching import Comparison, coaching_pays


def pays_content(comparisons: tuple[Comparison, ...]) -> Content:
    """Two lines under a heading; a verdict only where both sides have enough calls."""
    lines = [Content.styled("Does coaching pay? Advance rate of held calls", "bold")]
    for comparison in comparisons:
        verdict: tuple[str, str] = ("", "")
        if comparison.comparable:
            helped, alone = comparison.helped.rate or 0.0, comparison.alone.rate or 0.0
            verdict = ("  ▲ better", "$success") if helped > alone else ("  not better yet", "$warning")
        lines.append(Content.assemble((f"{comparison.title}: ", "bold"), comparison.line(), verdict))
    return Content("\n").join(lines)


class CoachingPays(Static):
    """The coached / ride-along comparisons, read in a worker of the screen it sits on."""

    DEFAULT_CSS = """
    CoachingPays { height: auto; margin: 1 0 0 0; }
    """

    def reload(self, owner: str | None) -> None:
        """Count the held calls of ``owner`` (``None``: everyone's) and show the comparisons."""
        from salestui.screens.base import DataScreen

        screen = self.screen
        if not isinstance(screen, DataScreen):
            return

        def count(store: object) -> tuple[Comparison, ...]:
            from salestui.store.coaching import held_calls

            return coaching_pays(held_calls(store, owner))  # type: ignore[arg-type]

        screen.run_db(count, lambda comparisons: self.update(pays_content(comparisons)))
