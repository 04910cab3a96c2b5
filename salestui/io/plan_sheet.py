"""The one-page Markdown call sheet: everything the rep wants on paper before the call.

User text is escaped like the dossier's (:mod:`salestui.io.markdown`): it reads literally.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from salestui import format as fmt
from salestui.domain.enums import LADDER, QuestionKind, label
from salestui.domain.models import CallPlan, Contact
from salestui.domain.questions import kind_label
from salestui.domain.readiness import readiness
from salestui.io.markdown import md, md_block, md_cell, md_line

if TYPE_CHECKING:
    from salestui.store.core import Store


def plan_sheet_markdown(store: Store, call_id: int) -> str:
    """The call sheet of ``call_id`` as Markdown (raises ``NotFound`` if the call is gone)."""
    plan = store.calls.plan(call_id)
    contacts = store.accounts.contacts(plan.account_id)
    return render_plan_sheet(plan, [c for c in contacts if c.id in plan.contact_ids])


def render_plan_sheet(plan: CallPlan, attending: list[Contact]) -> str:
    """Render a plan and its attending contacts as a one-page Markdown sheet."""
    ready = readiness(plan)
    out: list[str] = [
        f"# Call plan: {md(plan.account_name)}",
        "",
        f"**When:** {fmt.when(plan.scheduled_at)} · **Kind:** {label(plan.kind)} · "
        f"**Readiness:** {ready.score}% ({ready.band})",
        "",
        "## Who attends",
    ]
    if attending:
        for contact in attending:
            details = ", ".join(p for p in (md(contact.title), label(contact.role)) if p)
            out.append(f"- {md(contact.name)} — {details}")
    else:
        out.append("- (no contacts chosen)")
    if plan.riders:
        out += ["", "**Riding along:** " + ", ".join(md(r.name) for r in plan.riders)]
    out += [
        "",
        "## Objective",
        md_line(plan.objective) or "(no objective)",
        "",
        f"**Measurable goal:** {md(plan.goal) or '(none)'}  ",
        f"**Expected return:** {md(plan.expected_return) or '(none)'}",
        "",
        "## Questions to ask",
    ]
    out += question_lines(plan) or ["(none planned)"]
    out += ["", "## Strategy"]
    out.append(md_block(plan.strategy) or "(no strategy)")
    out += ["", "## Advance ladder", "", "| Level | Customer action | Owner | Due |", "|---|---|---|---|"]
    for level in LADDER:
        advance = plan.advance(level)
        if advance is None:
            out.append(f"| {label(level)} | — | — | — |")
        else:
            due = fmt.day(advance.due)
            out.append(f"| {label(level)} | {md_cell(advance.action)} | {md_cell(advance.owner)} | {due} |")
    out += ["", "## Objections and planned responses"]
    planned = [o for o in plan.objections if not o.came_up_unplanned]
    if planned:
        for number, objection in enumerate(planned, 1):
            response = md(objection.response) or "(no response planned)"
            out.append(f"{number}. **{md(objection.text)}** — {response}")
    else:
        out.append("(none listed)")
    done = sum(1 for item in plan.checklist if item.done)
    out += ["", f"## Checklist ({done}/{len(plan.checklist)})"]
    out += [f"- [{'x' if item.done else ' '}] {md(item.text)}" for item in plan.checklist] or ["(empty)"]
    out += coaching_lines(plan)
    out += ["", "## Still missing"]
    out += [f"- {part}" for part in ready.missing] or ["Nothing: the plan is complete."]
    return "\n".join(out) + "\n"


def question_lines(plan: CallPlan) -> list[str]:
    """Numbered Markdown lines: the question, its SPIN kind, what to learn, and once asked the answer."""
    out = []
    written = [q for q in plan.questions if q.text.strip()]
    for number, question in enumerate(written, 1):
        kind = f" *({kind_label(question.kind)})*" if question.kind is not QuestionKind.NONE else ""
        asked = " ✓ asked" if question.asked else ""
        out.append(f"{number}. {md(question.text)}{kind}{asked}")
        if question.hope.strip():
            out.append(f"   - to learn: {md(question.hope)}")
        if question.answer.strip():
            out.append(f"   - answer: {md(question.answer)}")
    return out


def coaching_lines(plan: CallPlan) -> list[str]:
    """The coaching section: each note with its part, author and time, ticked once done (none: nothing)."""
    from salestui.domain.coaching import part_label, sorted_by_part

    if not plan.coaching:
        return []
    out = ["", "## Coaching"]
    for note in sorted_by_part(plan.coaching, plan):
        at = f", {fmt.when(note.created_at)}" if note.created_at else ""
        label_ = md(part_label(note, plan))
        out.append(f"- [{'x' if note.done else ' '}] **{label_}** ({md(note.author)}{at}): {md(note.text)}")
    return out
