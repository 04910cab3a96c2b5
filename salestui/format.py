"""Display formats shared by screens: dates, outcomes, readiness."""

from __future__ import annotations

from datetime import date, datetime

from salestui.domain.clock import local, now
from salestui.domain.enums import Outcome

DATE_PATTERN = "%a %d %b"
"""The date part of ``when`` (the rep's ``date_format`` setting; see ``salestui.settings``)."""


def set_date_pattern(pattern: str) -> None:
    """Show dates with ``pattern`` from now on (set once at start-up from the settings)."""
    global DATE_PATTERN
    DATE_PATTERN = pattern


def when(moment: datetime | None) -> str:
    """``Mon 24 Nov 14:30`` in local time, with the year only when it is not this year."""
    if moment is None:
        return "no time set"
    shown = local(moment)
    if shown.year == local(now()).year or "%Y" in DATE_PATTERN:
        return shown.strftime(f"{DATE_PATTERN} %H:%M")
    return shown.strftime(f"{DATE_PATTERN} %Y %H:%M")


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
