"""The one-page Markdown call sheet: everything the rep wants on paper before the call."""

from __future__ import annotations

import re
from functools import partial
from typing import TYPE_CHECKING

from salestui import format as fmt
from salestui.domain.enums import LADDER, QuestionKind, label
from salestui.domain.models import CallPlan, Contact
from salestui.domain.questions import kind_label
from salestui.domain.readiness import readiness
from salestui.io import files

if TYPE_CHECKING:
    from salestui.store.core import Store


def _line(text: str) -> str:
    """One line of user text: newlines folded, so it cannot break the sheet's structure."""
    return " ".join(text.split())


def _cell(text: str) -> str:
    """User text inside a Markdown table cell."""
    return _line(text).replace("|", "\\|") or "—"


def plan_sheet_markdown(store: Store, call_id: int) -> str:
    """The call sheet of ``call_id`` as Markdown (raises ``NotFound`` if the call is gone)."""
    plan = store.calls.plan(call_id)
    contacts = store.accounts.contacts(plan.account_id)
    return render_plan_sheet(plan, [c for c in contacts if c.id in plan.contact_ids])


def render_plan_sheet(plan: CallPlan, attending: list[Contact]) -> str:
    """Render a plan and its attending contacts as a one-page Markdown sheet."""
    ready = readiness(plan)
    out: list[str] = [
        f"# Call plan: {_line(plan.account_name)}",
        "",
        f"**When:** {fmt.when(plan.scheduled_at)} · **Kind:** {label(plan.kind)} · "
        f"**Readiness:** {ready.score}% ({ready.band})",
        "",
        "## Who attends",
    ]
    if attending:
        for contact in attending:
            details = ", ".join(p for p in (_line(contact.title), label(contact.role)) if p)
            out.append(f"- {_line(contact.name)} — {details}")
    else:
        out.append("- (no contacts chosen)")
    out += [
        "",
        "## Objective",
        _line(plan.objective) or "(no objective)",
        "",
        f"**Measurable goal:** {_line(plan.goal) or '(none)'}  ",
        f"**Expected return:** {_line(plan.expected_return) or '(none)'}",
        "",
        "## Questions to ask",
    ]
    out += question_lines(plan) or ["(none planned)"]
    out += ["", "## Strategy"]
    strategy = [line.rstrip() for line in plan.strategy.splitlines() if line.strip()]
    out += strategy or ["(no strategy)"]
    out += ["", "## Advance ladder", "", "| Level | Customer action | Owner | Due |", "|---|---|---|---|"]
    for level in LADDER:
        advance = plan.advance(level)
        if advance is None:
            out.append(f"| {label(level)} | — | — | — |")
        else:
            due = fmt.day(advance.due)
            out.append(f"| {label(level)} | {_cell(advance.action)} | {_cell(advance.owner)} | {due} |")
    out += ["", "## Objections and planned responses"]
    planned = [o for o in plan.objections if not o.came_up_unplanned]
    if planned:
        for number, objection in enumerate(planned, 1):
            response = _line(objection.response) or "(no response planned)"
            out.append(f"{number}. **{_line(objection.text)}** — {response}")
    else:
        out.append("(none listed)")
    done = sum(1 for item in plan.checklist if item.done)
    out += ["", f"## Checklist ({done}/{len(plan.checklist)})"]
    out += [f"- [{'x' if item.done else ' '}] {_line(item.text)}" for item in plan.checklist] or ["(empty)"]
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
        out.append(f"{number}. {_line(question.text)}{kind}{asked}")
        if question.hope.strip():
            out.append(f"   - to learn: {_line(question.hope)}")
        if question.answer.strip():
            out.append(f"   - answer: {_line(question.answer)}")
    return out


def sheet_filename(call_id: int, account_name: str) -> str:
    """``call-12-initech.md``: the call id and a file-safe account name."""
    slug = re.sub(r"[^a-z0-9]+", "-", account_name.lower()).strip("-")[:40]
    return f"call-{call_id}-{slug}.md" if slug else f"call-{call_id}.md"


#: The call sheet's writer: :func:`salestui.io.files.write_private`, making the exports folder (0700).
write_private = partial(files.write_private, make_folder=True)
