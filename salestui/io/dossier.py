"""An account dossier in Markdown: contacts, research by category, comparisons, every call.

User text is escaped (:mod:`salestui.io.markdown`) so it reads literally in any Markdown viewer.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from salestui import format as fmt
from salestui.domain.clock import local
from salestui.domain.enums import LADDER, AdvanceLevel, Handling, QuestionKind, ResearchCategory, label
from salestui.domain.models import Account, CallPlan, Comparison, Contact, ResearchNote
from salestui.domain.questions import kind_label
from salestui.domain.readiness import readiness
from salestui.io.markdown import md, md_block, md_cell

if TYPE_CHECKING:
    from salestui.store.core import Store

_HANDLING = {
    Handling.NOT_RAISED: "not raised",
    Handling.RAISED: "raised",
    Handling.WELL: "raised, handled well",
    Handling.BADLY: "raised, handled badly",
}


def render_dossier(
    account: Account,
    contacts: Sequence[Contact],
    notes: Sequence[ResearchNote],
    comparisons: Sequence[Comparison],
    calls: Sequence[CallPlan],
) -> str:
    """The dossier of one account as Markdown."""
    out: list[str] = [f"# {md(account.name)}", ""]
    facts = [label(account.status)]
    facts += [md(v) for v in (account.industry, account.city, account.website, account.phone) if v.strip()]
    out += [" · ".join(facts), ""]
    if account.notes.strip():
        out += [md_block(account.notes), ""]

    out += ["## Contacts", ""]
    if contacts:
        out += ["| Name | Title | Role | Email | Phone |", "|---|---|---|---|---|"]
        out += [
            f"| {md_cell(c.name)} | {md_cell(c.title)} | {label(c.role)} | {md_cell(c.email)} | {md_cell(c.phone)} |"
            for c in contacts
        ]
    else:
        out.append("No contacts yet.")
    out.append("")

    out += ["## Research", ""]
    if not notes:
        out += ["No research notes yet.", ""]
    for category in ResearchCategory:
        filed = [n for n in notes if n.category is category]
        if not filed:
            continue
        out += [f"### {label(category)}", ""]
        for note in filed:
            source = f" *(source: {md(note.source)})*" if note.source.strip() else ""
            out.append(f"- {md_block(note.body, '  ') or '—'}{source}")
        out.append("")

    out += ["## Competitor comparisons", ""]
    if not comparisons:
        out += ["No comparisons yet.", ""]
    for comparison in comparisons:
        out += [
            f"### Against {md(comparison.competitor)}",
            "",
            f"- **Their strengths:** {md_block(comparison.their_strengths, '  ') or '—'}",
            f"- **Their weaknesses:** {md_block(comparison.their_weaknesses, '  ') or '—'}",
            f"- **Our edge:** {md_block(comparison.our_edge, '  ') or '—'}",
            "",
        ]

    by_id = {c.id: c for c in contacts}
    out += [f"## Calls ({len(calls)})", ""]
    if not calls:
        out += ["No calls yet.", ""]
    for plan in calls:
        out += _call(plan, by_id)
    return "\n".join(out).rstrip("\n") + "\n"


def _call(plan: CallPlan, contacts: dict[int, Contact]) -> list[str]:
    when = local(plan.scheduled_at).strftime("%Y-%m-%d %H:%M %Z") if plan.scheduled_at else "no time set"
    out = [f"### {when} · {label(plan.kind)} · {label(plan.status)}", ""]
    if plan.readiness_at_start is not None:
        ready = f"{plan.readiness_at_start}% when the call started"
    else:
        current = readiness(plan)
        ready = f"{current.score}%" + (f" (missing: {', '.join(current.missing)})" if current.missing else "")
    attending = sorted((contacts[i].name for i in plan.contact_ids if i in contacts), key=str.lower)
    out += [
        f"- **Objective:** {md(plan.objective) or '—'}",
        f"- **Goal:** {md(plan.goal) or '—'}",
        f"- **Strategy:** {md_block(plan.strategy, '  ') or '—'}",
        f"- **Expected return:** {md(plan.expected_return) or '—'}",
        f"- **Contacts:** {', '.join(md(n) for n in attending) or '—'}",
        f"- **Readiness:** {ready}",
    ]
    if plan.checklist:
        done = sum(1 for item in plan.checklist if item.done)
        out.append(f"- **Checklist:** {done}/{len(plan.checklist)} done")
    out += ["", "**Advance ladder**", ""]
    for level in (*LADDER, AdvanceLevel.UNPLANNED):
        advance = plan.advance(level)
        if advance is None:
            if level is not AdvanceLevel.UNPLANNED:
                out.append(f"- {label(level)}: —")
            continue
        extras = [f"owner: {md(advance.owner)}"] if advance.owner.strip() else []
        if advance.due:
            extras.append(f"by {fmt.day(advance.due)}")
        tail = f" ({', '.join(extras)})" if extras else ""
        mark = " — **secured**" if advance.secured else ""
        out.append(f"- {label(level)}: {md(advance.action) or '—'}{tail}{mark}")
    if plan.objections:
        out += ["", "**Objections**", ""]
        for objection in plan.objections:
            status = _HANDLING[objection.handling] + (", came up unplanned" if objection.came_up_unplanned else "")
            response = f" → {md(objection.response)}" if objection.response.strip() else ""
            out.append(f"- {md(objection.text) or '—'}{response} *({status})*")
    questions = [q for q in plan.questions if q.text.strip()]
    if questions:
        out += ["", "**Questions**", ""]
        for question in questions:
            kind = f" *({kind_label(question.kind)})*" if question.kind is not QuestionKind.NONE else ""
            hope = f" — to learn: {md(question.hope)}" if question.hope.strip() else ""
            asked = (
                "asked" + (f": {md(question.answer)}" if question.answer.strip() else "")
                if question.asked
                else "not asked"
            )
            out.append(f"- {md(question.text)}{kind}{hope} — **{asked}**")
    out += ["", f"**Outcome:** {_outcome(plan)}"]
    if plan.notes:
        out += ["", "**Notes in the call**", ""]
        out += [f"- {local(n.at).strftime('%H:%M')} {md_block(n.text, '  ')}" for n in plan.notes]
    debrief = plan.debrief
    out += ["", "**Debrief**", ""]
    if debrief is None:
        out.append("Not debriefed yet.")
    else:
        if not debrief.finished:
            out += ["*Draft: not finished yet.*", ""]
        for title, value in (
            ("Went well", debrief.went_well),
            ("Do differently", debrief.do_differently),
            ("Customer feedback", debrief.customer_feedback),
            ("Lessons", debrief.lessons),
            ("Next step", debrief.next_step),
        ):
            out.append(f"- {title}: {md_block(value, '  ') or '—'}")
        out.append(f"- Follow-up: {fmt.day(debrief.follow_up)}")
        if debrief.rating is not None:
            out.append(f"- Rating: {debrief.rating}/5")
        if debrief.next_call_id is not None:
            out.append(f"- Next call drafted (call {debrief.next_call_id})")
    out.append("")
    return out


def _outcome(plan: CallPlan) -> str:
    if plan.outcome is None:
        return "not recorded yet"
    text = label(plan.outcome)
    secured = plan.secured_advance
    if secured is not None:
        text += f" — {label(secured.level).lower()} secured: {md(secured.action)}"
    if plan.achieved is not None:
        text += f"; objective achieved: {plan.achieved.value}"
    return text


def dossier_markdown(store: Store, account_id: int) -> str:
    """The dossier of ``account_id`` (raises ``NotFound`` if it is gone)."""
    from salestui.store import bulk

    account = store.accounts.get(account_id)
    return render_dossier(
        account,
        store.accounts.contacts(account_id),
        store.accounts.notes(account_id),
        store.accounts.comparisons(account_id),
        bulk.call_plans(store, account_id),
    )


def all_dossiers_markdown(store: Store) -> str:
    """Every account's dossier, separated by horizontal rules (for printing the lot)."""
    from salestui.store import bulk

    parts = [dossier_markdown(store, account.id) for account in bulk.accounts(store)]
    return "\n---\n\n".join(parts) if parts else "No accounts yet.\n"
