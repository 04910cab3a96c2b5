"""The calibrated ladder on the stats screen: where held calls ended, per group, with its reading."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from salestui.domain.calibration import RUNGS, Calibration
from salestui.domain.enums import CallKind, label
from salestui.domain.stats import Ladder, percent
from salestui.text import clean

MONTHS_SHOWN = 6
ACCOUNTS_SHOWN = 8
_HEADS = ("Stretch", "Target", "Fallb.", "Unpl.", "Cont.", "Lost")


class LadderCalibration(Static):
    """Rates per rung (stretch, target, fallback only, unplanned, continuation, lost) and a one-line reading."""

    DEFAULT_CSS = """
    LadderCalibration { height: auto; padding: 0 1; }
    """

    def show(self, ladder: Ladder | None) -> None:
        """Overall, then per call kind, month and account (busiest first)."""
        if ladder is None or not ladder.overall.held:
            self.update(Content.styled("No held calls yet: the ladder is read once calls end.", "dim"))
            return
        lines = [Content.assemble((f"{'':<16}", ""), *((f"{h:>7}", "bold") for h in _HEADS))]
        lines += self._group("All calls", ladder.overall, bold=True)
        for group in ladder.by_kind:
            lines += self._group(label(CallKind(group.key)), group)
        for group in ladder.by_month[:MONTHS_SHOWN]:
            lines += self._group(group.key, group)
        busiest = sorted(ladder.by_account, key=lambda g: (-g.held, g.key))[:ACCOUNTS_SHOWN]
        for group in busiest:
            lines += self._group(group.key, group)
        self.update(Content("\n").join(lines))

    @staticmethod
    def _group(name: str, group: Calibration, bold: bool = False) -> list[Content]:
        rates = (f"{percent(group.rate(rung)):>7}" for rung in RUNGS)
        head = Content.assemble(
            (f"{clean(name, 15):<16}", "bold" if bold else ""), *rates, (f"  {group.held:,} held", "dim")
        )
        return [head, Content.assemble((" " * 16, ""), (group.reading, "italic $text-muted" if group.held else "dim"))]
