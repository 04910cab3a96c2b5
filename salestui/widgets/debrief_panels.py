"""The debrief's read-mostly parts: the objections box and the in-call notes beside the form."""

from __future__ import annotations

from dataclasses import replace

from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from salestui.domain import clock
from salestui.domain.models import CallPlan, Objection
from salestui.domain.questions import asked_summary
from salestui.text import clean, multiline
from salestui.widgets.debrief_fields import DebriefObjectionRow


class DebriefObjections(Vertical):
    """One row per planned objection, marked r/w/b/0; rebuilt only when the set of objections changes."""

    def show(self, objections: tuple[Objection, ...], typed: set[int]) -> None:
        """Show ``objections``; rows in ``typed`` (marked since the load) keep their mark."""
        rows = list(self.query(DebriefObjectionRow))
        if [r.objection.id for r in rows] == [o.id for o in objections]:
            for row, objection in zip(rows, objections, strict=True):
                if objection.id not in typed:
                    row.objection = objection
                    row.set_reactive(DebriefObjectionRow.handling, objection.handling)
                    row.refresh()
            return
        refocus = self.screen.focused in rows
        self.remove_children()
        if objections:
            self.mount_all(DebriefObjectionRow(o) for o in objections)
        else:
            self.mount(Static(Content.styled("No objections were planned.", "$text-muted"), classes="empty"))
        if refocus:
            self.call_after_refresh(self._focus_first)

    def _focus_first(self) -> None:
        rows = self.query(DebriefObjectionRow)
        if rows:
            rows.first().focus()

    def current(self) -> tuple[Objection, ...]:
        """The objections with the marks shown now."""
        return tuple(replace(row.objection, handling=row.handling) for row in self.query(DebriefObjectionRow))


def questions_content(plan: CallPlan) -> Content:
    """Each planned question asked (✓, with the answer) or not (○: it goes to the next plan)."""
    written = [q for q in plan.questions if q.text.strip()]
    lines = [Content.styled(asked_summary(plan.questions), "bold")]
    for question in written:
        mark = ("✓ ", "bold $text-success") if question.asked else ("○ ", "$text-warning")
        lines.append(Content.assemble(mark, clean(question.text)))
        if question.asked and question.answer.strip():
            lines.append(Content.assemble(("  → ", "$text-muted"), clean(question.answer)))
    if any(not q.asked for q in written):
        lines.append(Content.styled("○ not asked: carried over to the next plan", "italic $text-muted"))
    return Content("\n").join(lines)


def notes_content(plan: CallPlan) -> Content:
    """The questions asked or not, then the notes typed in the call with their times."""
    questions = questions_content(plan)
    if not plan.notes:
        return Content("\n").join([questions, Content.styled("No notes were taken in the call.", "$text-muted")])
    notes = (
        Content.assemble((clock.local(note.at).strftime("%H:%M") + "  ", "$text-muted"), multiline(note.text))
        for note in plan.notes
    )
    return Content("\n").join([questions, Content(""), *notes])


def plan_content(plan: CallPlan) -> Content:
    """Goal, strategy and expected return, as planned."""
    parts = [
        Content.assemble((f"{title}: ", "bold"), multiline(text))
        for title, text in (("Goal", plan.goal), ("Strategy", plan.strategy), ("Expected", plan.expected_return))
        if text.strip()
    ]
    return Content("\n").join(parts) if parts else Content.styled("Nothing else was planned.", "$text-muted")
