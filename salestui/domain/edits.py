"""Which edits win when a reload arrives: the rep's typing since the load, never the older copy."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from salestui.domain.enums import LADDER
from salestui.domain.models import CallPlan

PLAN_FIELDS = ("objective", "goal", "expected_return", "strategy", "scheduled_at", "kind")
"""Call fields a plan edits in place (contacts and ladder rungs are kept separately)."""


def keep_typed(stored: CallPlan, shown: CallPlan | None, typed: Callable[[str], bool]) -> CallPlan:
    """``stored`` with every field the rep typed in since the load (``typed(name)``) kept as shown."""
    if shown is None:
        return stored
    changes: dict[str, Any] = {field: getattr(shown, field) for field in PLAN_FIELDS if typed(field)}
    if typed("contacts"):
        changes["contact_ids"] = shown.contact_ids
    advances = {a.level: a for a in stored.advances}
    for level in LADDER:
        mine = shown.advance(level)
        if mine is not None and typed(f"adv.{level.value}"):
            advances[level] = mine
    return replace(stored, advances=tuple(advances.values()), **changes)
