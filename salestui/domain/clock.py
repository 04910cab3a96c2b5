"""The one source of "now", frozen in tests and screenshots so output is reproducible."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime

_frozen: datetime | None = None


def freeze(moment: datetime | None) -> None:
    """Freeze ``now()`` at ``moment`` (aware), or unfreeze with ``None``."""
    global _frozen
    if moment is not None and moment.tzinfo is None:
        raise ValueError("frozen time must be timezone-aware")
    _frozen = moment


def now() -> datetime:
    """Current time, timezone-aware UTC (or the frozen moment)."""
    if _frozen is not None:
        return _frozen
    env = os.environ.get("SALESTUI_FROZEN_NOW")
    if env:
        return datetime.fromisoformat(env).astimezone(UTC)
    return datetime.now(UTC)


def local(moment: datetime) -> datetime:
    """``moment`` in the user's local zone, for display."""
    return moment.astimezone()


def today() -> date:
    """The user's local date now: what "the follow-up date has passed" is measured against."""
    return local(now()).date()
