"""The columns of a call list and the cell of each: shared by ``CallTable`` and ``CachedCalls``.

No ``DataTable`` here: home draws the last session's lists (``CachedCalls``) on its first frame
without loading one, and its tables, mounted once live data lands, line up with what was drawn.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from rich.text import Text

from salestui import format as fmt
from salestui.domain.clock import local
from salestui.domain.enums import DebriefState, label
from salestui.text import literal_text

if TYPE_CHECKING:
    from salestui.domain.models import CallSummary

#: Debrief column text and style per state: a draft (saved as typed, never finished) says so.
DEBRIEF_MARK = {
    DebriefState.DONE: ("✓", "green"),
    DebriefState.DRAFT: ("draft", "yellow"),
    DebriefState.NONE: ("—", "dim"),
}

# Column key -> (title, width); the objective takes whatever width is left.
COLUMNS: dict[str, tuple[str, int]] = {
    "when": ("When", 16),
    "account": ("Account", 18),
    "owner": ("Rep", 12),
    "kind": ("Kind", 11),
    "objective": ("Objective", 0),
    "readiness": ("Ready", 10),
    "outcome": ("Outcome", 12),
    "debrief": ("Debrief", 7),
}
# When the list is narrow (80 columns) only the debrief column goes; the others narrow (names
# and kinds end in …) so Kind and Outcome stay and the objective stays readable.
NARROW_DROPS = ("debrief",)
NARROW_WIDTHS: dict[str, int] = {"when": 12, "account": 14, "owner": 9, "kind": 9, "readiness": 10, "outcome": 9}
NARROW_BELOW = 100
CELL_PADDING = 1
"""Spaces either side of a cell (``DataTable``'s default)."""


def is_narrow(width: int) -> bool:
    """A list this wide (0: not laid out yet) drops and narrows columns."""
    return bool(width) and width < NARROW_BELOW


def visible_columns(wanted: Sequence[str], show_owner: bool, width: int) -> tuple[str, ...]:
    """The columns a list of ``width`` cells shows: a Rep column after the account for everyone's calls."""
    drops: tuple[str, ...] = NARROW_DROPS
    if show_owner:
        anchor = "account" if "account" in wanted else "when"
        index = wanted.index(anchor) + 1 if anchor in wanted else 0
        wanted = (*wanted[:index], "owner", *wanted[index:])
        drops = (*drops, "readiness")  # at 80 columns the rep's name takes the readiness bar's room
    if is_narrow(width):
        return tuple(key for key in wanted if key not in drops)
    return tuple(wanted)


def column_widths(visible: Sequence[str], width: int) -> dict[str, int]:
    """Each column's content width; the objective gets what the others leave of ``width``."""
    narrow = is_narrow(width)
    widths = {key: NARROW_WIDTHS.get(key, COLUMNS[key][1]) if narrow else COLUMNS[key][1] for key in visible}
    fixed = sum(value for key, value in widths.items() if key != "objective")
    if "objective" in widths:
        widths["objective"] = max(12, width - fixed - 2 * CELL_PADDING * len(visible) - 1)
    return widths


def call_cells(call: CallSummary | Any, keys: Sequence[str], narrow: bool) -> list[Text]:
    """The cells of ``call`` for the columns ``keys`` (user text as literal text, never markup)."""
    at = call.happened_at or call.scheduled_at  # ``rules.happened_at``: a call held early shows that day
    cells = {
        "when": lambda: Text(local(at).strftime("%d %b %H:%M") if narrow and at is not None else fmt.when(at)),
        "account": lambda: literal_text(call.account_name),
        "owner": lambda: literal_text(call.owner or "—", style="" if call.owner else "dim"),
        "kind": lambda: Text(label(call.kind), no_wrap=True, overflow="ellipsis"),
        "objective": lambda: literal_text(
            call.objective or "(no objective yet)", style="" if call.objective else "dim italic"
        ),
        "readiness": lambda: Text(fmt.readiness_bar(call.readiness, 5)),
        "outcome": lambda: Text(
            fmt.outcome(call.outcome),
            style=fmt.OUTCOME_STYLE.get(call.outcome, "dim"),
            no_wrap=True,
            overflow="ellipsis",
        ),
        "debrief": lambda: Text(*DEBRIEF_MARK[call.debrief_state]),
    }
    return [cells[key]() for key in keys]


def line_of(cells: Sequence[Text], widths: Iterable[int], *, gap: int = 2 * CELL_PADDING, edge: int = 0) -> Text:
    """Cells side by side in one ``Text``, each cut (with …) or padded to its width: ``gap`` spaces
    between two cells and ``edge`` at either end, as a table pads its cells."""
    line = Text(" " * edge, no_wrap=True, overflow="crop")
    for index, (cell, width) in enumerate(zip(cells, widths, strict=True)):
        if index:
            line.append(" " * gap)
        cell = cell.copy()
        cell.truncate(width, overflow="ellipsis", pad=True)
        line.append_text(cell)
    line.append(" " * edge)
    return line
