"""When the call is: relative or absolute, parsed as typed, with a hint line saying what it means."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from textual.content import Content

from salestui import format as fmt
from salestui.domain.clock import now
from salestui.domain.dates import HINT, Invalid, parse_when
from salestui.widgets.fields import TextInput


class WhenInput(TextInput):
    """``tomorrow 10:00``, ``+2d 14:30``, ``2026-12-01 09:30``; empty means no time yet."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("placeholder", "tomorrow 10:00, +2d 14:30, 2026-12-01 09:30")
        super().__init__(**kwargs)

    def parsed(self) -> datetime | None | Invalid:
        """The moment typed, ``None`` when empty, or why it is not one."""
        text = self.value.strip()
        if not text:
            return None
        parsed = parse_when(text, now())
        return parsed if isinstance(parsed, Invalid) else parsed.value

    def note(self) -> str | None:
        """What the hint adds to the time: a wall time that happens twice, and which one it is."""
        text = self.value.strip()
        parsed = parse_when(text, now()) if text else None
        return parsed.note if parsed is not None and not isinstance(parsed, Invalid) else None

    def hint(self) -> tuple[Content, bool]:
        """The hint line, and whether it reports a mistake."""
        parsed = self.parsed()
        if isinstance(parsed, Invalid):
            return Content(f"✗ {parsed.message}"), True
        if parsed is None:
            return Content(f"No time set yet: {HINT}"), False
        note = self.note()
        return Content(f"→ {fmt.when(parsed)}" + (f" · {note}" if note else "")), False
