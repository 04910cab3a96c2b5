"""Calls as CSV, one row each, for a spreadsheet or a CRM import; formula injection neutralised."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from salestui.domain.clock import local
from salestui.domain.enums import LADDER, label
from salestui.domain.models import CallPlan, Contact
from salestui.domain.readiness import readiness

if TYPE_CHECKING:
    from salestui.store.core import Store

HEADER: tuple[str, ...] = (
    "id",
    "date",
    "account",
    "contacts",
    "kind",
    "status",
    "objective",
    "goal",
    "readiness",
    "advances planned",
    "outcome",
    "secured advance",
    "follow-up",
)

# A spreadsheet runs a cell starting with one of these as a formula (or DDE command).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """Prefix an apostrophe to text a spreadsheet would run as a formula (``=HYPERLINK(...)``)."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def _one_line(text: str) -> str:
    """User text on one line: CRMs and spreadsheets split rows on embedded line breaks."""
    return " ".join(text.split())


def call_row(plan: CallPlan, contacts: Mapping[int, Contact]) -> list[str]:
    """One call as CSV cells (not yet neutralised)."""
    score = plan.readiness_at_start if plan.readiness_at_start is not None else readiness(plan).score
    ladder = [
        f"{label(level)}: {_one_line(advance.action)}"
        for level in LADDER
        if (advance := plan.advance(level)) is not None and advance.action.strip()
    ]
    secured = plan.secured_advance
    names = sorted((contacts[i].name for i in plan.contact_ids if i in contacts), key=str.lower)
    follow_up = plan.debrief.follow_up if plan.debrief else None
    return [
        str(plan.id),
        local(plan.scheduled_at).strftime("%Y-%m-%d %H:%M") if plan.scheduled_at else "",
        _one_line(plan.account_name),
        "; ".join(_one_line(n) for n in names),
        label(plan.kind),
        label(plan.status),
        _one_line(plan.objective),
        _one_line(plan.goal),
        str(score),
        " | ".join(ladder),
        label(plan.outcome) if plan.outcome else "",
        f"{label(secured.level)}: {_one_line(secured.action)}" if secured else "",
        follow_up.isoformat() if follow_up else "",
    ]


def render_csv(plans: Iterable[CallPlan], contacts: Mapping[int, Contact]) -> str:
    """Header and one neutralised row per call, RFC 4180 (CRLF line ends, quotes where needed)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for plan in plans:
        writer.writerow([neutralise(cell) for cell in call_row(plan, contacts)])
    return buffer.getvalue()


def calls_csv(store: Store, account_id: int | None = None, progress: Callable[[int, int], None] | None = None) -> str:
    """Every call (or one account's), oldest first, as CSV text."""
    from salestui.store import bulk

    plans: Sequence[CallPlan] = bulk.call_plans(store, account_id)
    contacts = bulk.contacts_by_id(store, account_id)
    if progress is not None:
        progress(len(plans), len(plans))
    return render_csv(plans, contacts)
