"""The live readiness meter of a call plan, with each missing part named."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from salestui.domain.readiness import Readiness
from salestui.format import readiness_bar


class ReadinessMeter(Static):
    """Score bar, band, and the parts of the plan still missing."""

    DEFAULT_CSS = """
    ReadinessMeter { height: auto; padding: 0 1; }
    ReadinessMeter.-low { border-left: thick $error; }
    ReadinessMeter.-medium { border-left: thick $warning; }
    ReadinessMeter.-high { border-left: thick $success; }
    """

    shown: Readiness | None = None
    """What the meter shows now."""

    def show(self, ready: Readiness) -> None:
        """Show ``ready`` (plain domain text, no markup)."""
        if ready == self.shown:
            # Most keys typed into the plan change no score: an update re-lays out the whole
            # plan (a Static's auto height), two layouts and a full repaint per key (issue 32).
            return
        self.shown = ready
        for band in ("low", "medium", "high"):
            self.set_class(ready.band == band, f"-{band}")
        head = Content.assemble(("Readiness ", "bold"), readiness_bar(ready.score), f"  {ready.band}")
        if ready.missing:
            tail = Content.assemble(("Missing: ", "bold $text-warning"), " · ".join(ready.missing))
        else:
            tail = Content.styled("Nothing missing: the plan is complete.", "$text-success")
        self.update(Content("\n").join([head, tail]))
