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
    """
    COMPONENT_CLASSES = {"bar-chart--bar", "bar-chart--track", "bar-chart--label", "bar-chart--note"}

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
        bar_width = max(4, self.size.width - label_width - 6 - note_width - 1)
        bar_style = self.get_component_rich_style("bar-chart--bar")
        track_style = self.get_component_rich_style("bar-chart--track")
        label_style = self.get_component_rich_style("bar-chart--label")
        note_style = self.get_component_rich_style("bar-chart--note")
        lines = []
        for bar in self.bars:
            line = Text(no_wrap=True, overflow="ellipsis")
            line.append(f"{bar.label:<{label_width}}", label_style)
            drawn = draw(bar.value or 0.0, bar_width)
            line.append(drawn, bar_style)
            line.append("·" * (bar_width - len(drawn)), track_style)
            shown = "   —" if bar.value is None else f"{round(bar.value * 100):>4}%"
            line.append(f"{shown} ")
            line.append(bar.note, note_style)
            lines.append(line)
        return Text("\n").join(lines)
