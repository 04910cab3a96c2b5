"""A hand-drawn horizontal bar chart: one labelled bar per line, in the theme's colours."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

_EIGHTHS = " ▏▎▍▌▋▊▉"


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar: its label, a value from 0 to 1 (``None`` = no data) and a note after it."""

    label: str
    value: float | None
    note: str = ""
    low: float | None = None
    """Start of a band around the value (0 to 1, at or below it): drawn in the band's colour."""
    high: float | None = None
    """End of the band (at or above the value): a whisker ``──┤`` past the bar."""
    shown: str | None = None
    """What to write after the bar instead of the value as a percentage (``1.3 (0–2)``)."""


def draw(value: float, width: int) -> str:
    """A bar ``width`` cells long at full scale, with eighth-cell precision."""
    eighths = round(max(0.0, min(1.0, value)) * width * 8)
    full, part = divmod(eighths, 8)
    return "█" * full + (_EIGHTHS[part] if part else "")


class BarChart(Widget):
    """Horizontal bars scaled 0–100%, labels on the left, value and note on the right."""

    DEFAULT_CSS = """
    BarChart { height: auto; }
    BarChart > .bar-chart--bar { color: $primary; }
    BarChart > .bar-chart--track { color: $panel-lighten-1; }
    BarChart > .bar-chart--label { text-style: bold; }
    BarChart > .bar-chart--note { color: $text-muted; }
    BarChart > .bar-chart--band { color: $accent; }
    """
    COMPONENT_CLASSES = {"bar-chart--bar", "bar-chart--track", "bar-chart--label", "bar-chart--note", "bar-chart--band"}

    bars: reactive[tuple[Bar, ...]] = reactive((), layout=True)
    """The bars, top to bottom."""

    def __init__(self, bars: Sequence[Bar] = (), *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.set_reactive(BarChart.bars, tuple(bars))

    def get_content_height(self, container: object, viewport: object, width: int) -> int:
        """One line per bar."""
        return max(1, len(self.bars))

    def render(self) -> Text:
        """Draw every bar to fit the current width."""
        if not self.bars:
            return Text("No data yet.", style=self.get_component_rich_style("bar-chart--note"))
        label_width = max(len(b.label) for b in self.bars) + 1
        note_width = max(len(b.note) for b in self.bars)
        # A value text of its own is set off from the track by a space (a percentage has its own).
        shown_width = max([5, *(len(b.shown) + 1 for b in self.bars if b.shown is not None)])
        bar_width = max(4, self.size.width - label_width - shown_width - 1 - note_width - 1)
        bar_style = self.get_component_rich_style("bar-chart--bar")
        track_style = self.get_component_rich_style("bar-chart--track")
        label_style = self.get_component_rich_style("bar-chart--label")
        note_style = self.get_component_rich_style("bar-chart--note")
        band_style = self.get_component_rich_style("bar-chart--band")
        lines = []
        for bar in self.bars:
            line = Text(no_wrap=True, overflow="ellipsis")
            line.append(f"{bar.label:<{label_width}}", label_style)
            drawn = draw(bar.value or 0.0, bar_width)
            if bar.low is None or bar.high is None:
                line.append(drawn, bar_style)
                end = len(drawn)
            else:
                low = min(len(drawn), round(max(0.0, bar.low) * bar_width))
                end = max(len(drawn), min(bar_width, round(bar.high * bar_width)))
                line.append(drawn[:low], bar_style)
                line.append(drawn[low:], band_style)
                if end > len(drawn):
                    line.append("─" * (end - len(drawn) - 1) + "┤", band_style)
            line.append("·" * (bar_width - end), track_style)
            if bar.shown is not None:
                shown = f"{bar.shown:>{shown_width}}"
            else:
                shown = "   —" if bar.value is None else f"{round(bar.value * 100):>4}%"
                shown = shown.rjust(shown_width) if shown_width > 5 else shown
            line.append(f"{shown} ")
            line.append(bar.note, note_style)
            lines.append(line)
        return Text("\n").join(lines)
