"""Display formats shared by screens: dates, outcomes, readiness."""

from __future__ import annotations

from datetime import date, datetime

from salestui.domain.clock import local, now
from salestui.domain.enums import Outcome


def when(moment: datetime | None) -> str:
    """``Mon 24 Nov 14:30`` in local time, with the year only when it is not this year."""
    if moment is None:
        return "no time set"
    shown = local(moment)
    pattern = "%a %d %b %H:%M" if shown.year == local(now()).year else "%a %d %b %Y %H:%M"
    return shown.strftime(pattern)


def day(value: date | None) -> str:
    """``2026-11-30`` or a dash."""
    return value.isoformat() if value else "—"


OUTCOME_STYLE = {
    Outcome.ADVANCE: "bold green",
    Outcome.CONTINUATION: "yellow",
    Outcome.LOST: "red",
    Outcome.CANCELLED: "dim",
}
"""How an outcome is coloured in every call list."""


def outcome(value: Outcome | None) -> str:
    """Outcome in a word."""
    return {
        None: "—",
        Outcome.ADVANCE: "advance",
        Outcome.CONTINUATION: "continuation",
        Outcome.LOST: "lost",
        Outcome.CANCELLED: "cancelled",
    }[value]


def readiness_bar(score: int | None, width: int = 10) -> str:
    """``████░░░░░░ 40%`` for a readiness score."""
    if score is None:
        return "—"
    filled = round(width * score / 100)
    return "█" * filled + "░" * (width - filled) + f" {score:>3}%"
