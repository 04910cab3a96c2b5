"""What the account's last debrief hands on to this plan, shown beside it."""

from __future__ import annotations

from datetime import datetime

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from salestui import format as fmt
from salestui.domain.carryover import CarryOver
from salestui.domain.enums import label
from salestui.text import clean


class CarryOverPanel(VerticalScroll):
    """Lessons, do-differently, open objections and unsecured advances from the last debrief.

    It scrolls when the screen caps its height; only then is it a stop for tab (to scroll by keys).
    """

    DEFAULT_CSS = """
    CarryOverPanel { height: auto; padding: 0 1; border: round $secondary; }
    CarryOverPanel:focus { border: round $accent; }
    CarryOverPanel > Static { height: auto; }
    CarryOverPanel.-empty > Static { color: $text-muted; }
    """

    def compose(self) -> ComposeResult:
        """The text, in one block."""
        yield Static()

    @property
    def body(self) -> Static:
        """The text shown."""
        return self.query_one(Static)

    def allow_focus(self) -> bool:
        """Focusable only when there is something to scroll."""
        return self.max_scroll_y > 0

    def show(self, carried: CarryOver | None, when: datetime | None = None) -> None:
        """Show ``carried`` (``None``: still loading); all user text is literal."""
        self.border_title = "Carry-over"
        if carried is None:
            self.body.update("Loading…")
            return
        self.set_class(carried.empty, "-empty")
        if carried.empty:
            self.body.update("No earlier debriefed call with this account: nothing to carry over.")
            return
        lines: list[Content] = [Content.styled(f"From the call of {fmt.when(when)}", "$text-muted")]

        def section(title: str, items: list[str]) -> None:
            if items:
                lines.append(Content.styled(title, "bold $accent"))
                lines.extend(Content.assemble("• ", clean(item)) for item in items)

        section("Lessons", list(carried.lessons))
        section("Do differently", list(carried.do_differently))
        section(
            "Unresolved objections",
            [f"{o.text} → {o.response}" if o.response.strip() else o.text for o in carried.open_objections],
        )
        section("Advances not secured", [f"{label(a.level)}: {a.action}" for a in carried.open_advances])
        section("Questions not asked", [q.text for q in carried.unasked_questions])
        section("What colleagues riding along saw", list(carried.seen_by_riders))
        lines.append(Content.styled("p pulls these into this plan", "italic $text-muted"))
        self.body.update(Content("\n").join(lines))
