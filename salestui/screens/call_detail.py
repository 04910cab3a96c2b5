"""One call: the plan and what happened side by side, the debrief, the in-call notes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Header, Static

from salestui import format as fmt
from salestui.domain.enums import LADDER, Handling, label
from salestui.domain.models import CallPlan
from salestui.domain.readiness import readiness
from salestui.screens.base import DataScreen
from salestui.text import clean
from salestui.widgets.debrief_panels import questions_content
from salestui.widgets.footer import KeysFooter
from salestui.widgets.plan_questions import question_line
from salestui.widgets.read_only import marker

if TYPE_CHECKING:
    from salestui.store.core import Store
    from salestui.store.review import CallDetail

_HANDLING = {
    Handling.NOT_RAISED: ("not raised", "dim"),
    Handling.RAISED: ("raised", "$warning"),
    Handling.WELL: ("raised · handled well", "$success"),
    Handling.BADLY: ("raised · handled badly", "$error"),
}


def _text(value: str, empty: str = "—") -> Content:
    """User text literally, or a dim placeholder."""
    return Content(clean(value)) if value.strip() else Content.styled(empty, "dim italic")


def _field(name: str, value: Content) -> Content:
    return Content.assemble((f"{name}\n", "bold $accent"), value, "\n")


def plan_side(plan: CallPlan) -> Content:
    """What was planned: objective, goal, strategy, the ladder, objections with responses."""
    parts = [
        _field("Objective", _text(plan.objective)),
        _field("Goal", _text(plan.goal)),
        _field("Strategy", _text(plan.strategy)),
    ]
    ladder = []
    for level in LADDER:
        advance = plan.advance(level)
        action = advance.action if advance else ""
        mark = ("✓ ", "$success") if advance and advance.secured else ("  ", "")
        ladder.append(Content.assemble(mark, (f"{label(level):<9}", "bold"), _text(action, "not planned"), "\n"))
    parts.append(Content.assemble(("Advances planned\n", "bold $accent"), *ladder))
    planned = [o for o in plan.objections if not o.came_up_unplanned]
    lines = [
        Content.assemble("• ", _text(o.text), ("\n  → ", "dim"), _text(o.response, "no response"), "\n")
        for o in planned
    ]
    parts.append(
        Content.assemble(("Objections planned\n", "bold $accent"), *(lines or [Content.styled("none\n", "dim")]))
    )
    questions = [
        Content.assemble(question_line(q, number, answers=False), "\n")
        for number, q in enumerate((q for q in plan.questions if q.text.strip()), start=1)
    ]
    parts.append(
        Content.assemble(("Questions planned\n", "bold $accent"), *(questions or [Content.styled("none\n", "dim")]))
    )
    parts.extend(coaching_part(plan))
    return Content("\n").join(parts)


def coaching_part(plan: CallPlan) -> list[Content]:
    """Who rode along and the coaching on the plan (each note's part, author, done or not); none: nothing."""
    from salestui.domain.coaching import part_label, sorted_by_part

    parts: list[Content] = []
    if plan.riders:
        parts.append(_field("Riding along", _text(", ".join(r.name for r in plan.riders))))
    if plan.coaching:
        lines = [
            Content.assemble(
                ("✔ " if n.done else "☐ ", "$success" if n.done else "$warning"),
                (clean(part_label(n, plan)), "bold"),
                (f" · {clean(n.author)}", "dim"),
                "\n  ",
                _text(n.text),
                "\n",
            )
            for n in sorted_by_part(plan.coaching, plan)
        ]
        parts.append(Content.assemble(("Coaching\n", "bold $accent"), *lines))
    return parts


def outcome_side(plan: CallPlan) -> Content:
    """What happened: outcome, the advance secured, objective achieved, objections met."""
    secured = plan.secured_advance
    if secured is not None:
        got = Content.assemble((f"{label(secured.level)}: ", "bold $success"), _text(secured.action))
    elif plan.outcome is not None:
        got = Content.styled(fmt.outcome(plan.outcome), "$warning")
    else:
        got = Content.styled("no outcome recorded", "dim italic")
    ready = plan.readiness_at_start
    readiness_line = (
        Content(f"{fmt.readiness_bar(ready, 10)} at the start")
        if ready is not None
        else Content.assemble(
            Content.styled("not started · live ", "dim"), Content(fmt.readiness_bar(readiness(plan).score, 10))
        )
    )
    objections = [
        Content.assemble(
            "• ",
            _text(o.text),
            ("  (unplanned)" if o.came_up_unplanned else "", "dim"),
            ("\n  ", ""),
            (_HANDLING[o.handling][0], _HANDLING[o.handling][1]),
            "\n",
        )
        for o in plan.objections
    ]
    parts = [
        _field("Outcome", Content.assemble(("Advance secured: ", "bold") if secured else "", got)),
        _field("Objective achieved", _text(label(plan.achieved) if plan.achieved else "", "not judged yet")),
        _field("Readiness", readiness_line),
        Content.assemble(("Objections met\n", "bold $accent"), *(objections or [Content.styled("none\n", "dim")])),
        Content.assemble(("Questions asked\n", "bold $accent"), questions_content(plan), "\n"),
    ]
    return Content("\n").join(parts)


def debrief_part(plan: CallPlan, read_only: bool = False) -> Content:
    """The debrief texts and the in-call notes (``read_only``: another rep's, no key to write it)."""
    parts: list[Content] = []
    debrief = plan.debrief
    if debrief is None:
        parts.append(
            Content.styled("No debrief yet." if read_only else "No debrief yet: press b to write it.", "$warning")
        )
    else:
        if not debrief.finished:
            parts.append(
                Content.styled(
                    "Draft debrief, not finished."
                    if read_only
                    else "Draft debrief, not finished: press b to finish it.",
                    "$warning",
                )
            )
        for name, value in (
            ("Went well", debrief.went_well),
            ("Do differently", debrief.do_differently),
            ("Customer feedback", debrief.customer_feedback),
            ("Lessons", debrief.lessons),
            ("Next step", debrief.next_step),
        ):
            parts.append(Content.assemble((f"{name:<18}", "bold"), _text(value)))
        parts.append(Content.assemble((f"{'Follow-up':<18}", "bold"), fmt.day(debrief.follow_up)))
    notes = [Content.assemble((f"{fmt.when(n.at)[-5:]}  ", "dim"), _text(n.text)) for n in plan.notes]
    parts.append(Content.assemble(("\nIn-call notes", "bold $accent")))
    parts.extend(notes or [Content.styled("none", "dim")])
    for rider in plan.riders:  # each rider's own words, apart from the rep's debrief
        if rider.saw.strip():
            parts.append(Content.styled(f"\nWhat {clean(rider.name)} saw", "bold $accent"))
            parts.append(_text(rider.saw))
    return Content("\n").join(parts)


class CallDetailScreen(DataScreen):
    """Plan and outcome of one call side by side; [ and ] walk the account's calls."""

    CSS_PATH = "call_detail.tcss"

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("left_square_bracket,p", "previous", "Prev", id="detail.previous", tooltip="Previous call"),
        Binding("right_square_bracket,n", "next", "Next", id="detail.next", tooltip="Next call"),
        Binding("e", "edit", "Edit", id="detail.edit", tooltip="Edit plan"),
        Binding("b", "debrief", "Debrief", id="detail.debrief"),
        Binding("w", "what_i_saw", "What I saw", id="detail.what_i_saw", show=False),
    ]

    def __init__(self, call_id: int) -> None:
        super().__init__()
        self.call_id = call_id
        self.detail: CallDetail | None = None

    def compose(self) -> ComposeResult:
        """Title line, the two sides, the debrief below."""
        yield Header()
        yield Static("Loading…", id="title")
        with VerticalScroll(id="body"):
            with Horizontal(id="sides"):
                with Vertical(id="plan-side"):
                    yield Static(Content.styled("PLAN", "bold"), classes="side-title")
                    yield Static(id="plan")
                with Vertical(id="outcome-side"):
                    yield Static(Content.styled("WHAT HAPPENED", "bold"), classes="side-title")
                    yield Static(id="outcome")
            yield Static(id="debrief")
        yield KeysFooter()

    def load(self, store: Store) -> Any:
        """The plan and its neighbours (worker thread)."""
        detail = store.review.detail(self.call_id)
        return detail

    def show(self, data: Any) -> None:
        """Put the loaded data on screen."""
        self._show(data)

    def _show(self, detail: CallDetail) -> None:
        if detail.plan.id != self.call_id:
            return
        from salestui.store.scope import is_mine

        self.detail = detail
        plan = detail.plan
        store = self.store
        self.read_only = store is not None and not is_mine(store, plan.owner)
        self.sub_title = marker(plan.owner).plain if self.read_only else None
        self.refresh_bindings()
        title = Content.assemble(
            (clean(plan.account_name), "bold"),
            f" · {label(plan.kind)} · {fmt.when(plan.scheduled_at)}",
            *(("   ", marker(plan.owner).stylize("$warning")) if self.read_only else ()),
            (f"   {'[ previous' if detail.previous_id else ''}  {'] next' if detail.next_id else ''}", "dim"),
        )
        self.query_one("#title", Static).update(title)
        self.query_one("#plan", Static).update(plan_side(plan))
        self.query_one("#outcome", Static).update(outcome_side(plan))
        self.query_one("#debrief", Static).update(debrief_part(plan, self.read_only))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Another rep's call: no key to edit its plan or debrief (they open read-only from the lists)."""
        return not (self.read_only and action in ("edit", "debrief"))

    def action_what_i_saw(self) -> None:
        """A colleague who rode along writes what they saw (or the rep types it in for them)."""
        from salestui.widgets.rider_saw import edit_what_i_saw

        edit_what_i_saw(self, self.detail.plan if self.detail is not None else None)

    def _go(self, call_id: int | None, which: str) -> None:
        if call_id is None:
            self.notify(f"No {which} call with this account.", timeout=2)
            return
        self.call_id = call_id
        self.query_one("#body").scroll_home(animate=False)
        self.reload()

    def action_previous(self) -> None:
        """The account's previous call."""
        self._go(self.detail.previous_id if self.detail else None, "earlier")

    def action_next(self) -> None:
        """The account's next call."""
        self._go(self.detail.next_id if self.detail else None, "later")

    def action_edit(self) -> None:
        """Edit this call's plan."""
        self.sales_app.open_plan(self.call_id)

    def action_debrief(self) -> None:
        """Write or amend the debrief."""
        self.sales_app.open_debrief(self.call_id)
