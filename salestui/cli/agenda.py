"""``salestui agenda [--days N] [--json]`` and ``salestui today``: the rep's calls, for the shell.

Plain text that fits 80 columns (colour only on a terminal, never with ``NO_COLOR``), or one
JSON object per line for scripts. A SQLite file is read with the standard library
(``store/quick.py``): no SQLAlchemy import, so the answer comes in a fraction of a second.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from salestui.cli import fail
from salestui.domain.clock import local
from salestui.domain.dates import MAX_DAYS

WIDTH = 80
DEFAULT_DAYS = 7
_SHOWN_DEBRIEFS = 10


def days_problem(days: int) -> str | None:
    """Why ``--days`` is out of range, in one line; ``None`` when it is fine."""
    if not 1 <= days <= MAX_DAYS:
        return f"--days must be between 1 and {MAX_DAYS} (ten years), not {days}"
    return None


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    """Add the ``agenda`` and ``today`` subcommands."""
    agenda = subparsers.add_parser(
        "agenda",
        parents=[common],
        help="upcoming calls and calls that need a debrief, for the shell",
        description="Planned calls of the next days (time, account, kind, objective, readiness), then the "
        "calls that need a debrief.",
    )
    agenda.add_argument(
        "--days",
        type=int,
        default=DEFAULT_DAYS,
        metavar="N",
        help=f"today and the next N-1 days (default {DEFAULT_DAYS})",
    )
    agenda.add_argument("--json", action="store_true", help="one JSON object per line instead of text")
    agenda.set_defaults(handler=run)
    today = subparsers.add_parser(
        "today",
        parents=[common],
        help="today's remaining calls and the calls that need a debrief",
        description="The agenda for today: the calls still ahead today, then the calls that need a debrief.",
    )
    today.add_argument("--json", action="store_true", help="one JSON object per line instead of text")
    today.set_defaults(handler=run, days=1)


def run(args: argparse.Namespace) -> int:
    """Read the calls and print them."""
    from salestui.domain.clock import local_zone, now

    problem = days_problem(args.days)
    if problem:
        return fail(problem)
    start = now()
    first_day = local(start).date()
    try:
        end = datetime.combine(first_day + timedelta(days=args.days), time(0, 0), tzinfo=local_zone())
    except OverflowError:
        return fail(f"--days {args.days} goes past the year 9999")
    try:
        found = read(args.db, start, end)
    except AgendaProblem as problem:
        return fail(str(problem))
    if args.json:
        lines = json_lines(found)
    else:
        colour = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        width = _terminal_width() if sys.stdout.isatty() else WIDTH
        lines = text_lines(found, first_day, args.days, width, colour)
    sys.stdout.write("".join(line + "\n" for line in lines))
    return 0


class AgendaProblem(Exception):
    """The database cannot be read; the message is one line for the user."""


def read(target: str, start: datetime, end: datetime) -> Any:
    """The agenda from a SQLite file (standard library) or a database server (the full store)."""
    from salestui.store.preflight import DatabaseProblem

    if "://" not in target:
        from salestui.store.preflight import check_sqlite
        from salestui.store.quick import Agenda, agenda

        path = Path(target)
        try:
            if not check_sqlite(path, read_only=True).exists:
                return Agenda([], [])
            return agenda(path, start, end, debriefs=_SHOWN_DEBRIEFS)
        except DatabaseProblem as problem:
            raise AgendaProblem(str(problem)) from None
        except Exception as error:  # sqlite3.Error, and rows a damaged file makes unreadable
            raise AgendaProblem(f"{path} cannot be read ({type(error).__name__}).") from None
    return _from_server(target, start, end)


def _from_server(url: str, start: datetime, end: datetime) -> Any:
    from salestui.store.core import StoreError, open_store
    from salestui.store.preflight import DatabaseProblem
    from salestui.store.quick import Agenda

    try:
        store = open_store(url)
    except (DatabaseProblem, StoreError) as problem:
        raise AgendaProblem(str(problem)) from None
    try:
        upcoming = [
            c for c in store.calls.upcoming(limit=500) if c.scheduled_at is not None and start <= c.scheduled_at < end
        ]
        late = store.calls.needing_debrief(limit=_SHOWN_DEBRIEFS + 1)
    except StoreError as problem:
        raise AgendaProblem(str(problem)) from None
    finally:
        store.close()
    return Agenda(upcoming, late[:_SHOWN_DEBRIEFS], more_debriefs=len(late) - len(late[:_SHOWN_DEBRIEFS]))


# -- output ------------------------------------------------------------------------------------
def json_lines(found: Any) -> list[str]:
    """One object per call: upcoming first (soonest first), then needing a debrief (newest first)."""
    out = []
    for section, calls in (("upcoming", found.upcoming), ("needs_debrief", found.needing_debrief)):
        for call in calls:
            item = {
                "section": section,
                "id": call.id,
                "start": _start(call),
                "account_id": call.account_id,
                "account": call.account_name,
                "kind": call.kind.value,
                "objective": call.objective,
                "readiness": call.readiness,
                "status": call.status.value,
            }
            out.append(json.dumps(item, ensure_ascii=False))
    return out


def _start(call: Any) -> str | None:
    """When the call starts or, once it took place, when it did (``rules.happened_at``)."""
    moment = call.happened_at or call.scheduled_at
    return local(moment).isoformat() if moment else None


def text_lines(found: Any, first_day: date, days: int, width: int = WIDTH, colour: bool = False) -> list[str]:
    """The agenda as lines of at most ``width`` cells."""
    paint = _Paint(colour)
    last_day = first_day + timedelta(days=days - 1)
    title = f"Today, {_day(first_day)}" if days == 1 else f"Agenda, {_day(first_day)} to {_day(last_day)}"
    lines = [paint.bold(title)]
    if not found.upcoming:
        lines.append("  No calls planned." if days > 1 else "  No more calls planned today.")
    lines += _grouped(found.upcoming, width, paint, days > 1)
    if found.needing_debrief:
        count = len(found.needing_debrief) + found.more_debriefs
        lines += ["", paint.bold(f"Needs a debrief ({count})")]
        lines += _grouped(found.needing_debrief, width, paint, True)
        if found.more_debriefs:
            lines.append(f"  … and {found.more_debriefs} more: open salestui and press v, then d")
    return lines


def _grouped(calls: Iterable[Any], width: int, paint: _Paint, headings: bool) -> list[str]:
    lines: list[str] = []
    shown: date | None = None
    for call in calls:
        moment = local(call.happened_at or call.scheduled_at)  # ``rules.happened_at``
        if headings and moment.date() != shown:
            shown = moment.date()
            lines.append(paint.heading(_day(shown)))
        lines.append(_row(call, moment, width, paint))
    return lines


def _row(call: Any, moment: datetime, width: int, paint: _Paint) -> str:
    """``  09:00  Account               Kind         Objective…            60%``."""
    from salestui.domain.enums import label

    objective_width = max(8, width - 50)
    readiness = "" if call.readiness is None else f"{call.readiness:>3}%"
    objective = _visible(call.objective) or "(no objective)"
    parts = [
        "  " + paint.dim(moment.strftime("%H:%M")),
        _fit(_visible(call.account_name), 20),
        _fit(label(call.kind), 11),
        _fit(objective, objective_width) if call.objective.strip() else paint.dim(_fit(objective, objective_width)),
        paint.readiness(readiness, call.readiness),
    ]
    return "  ".join(parts).rstrip()


def _day(value: date) -> str:
    return value.strftime("%a %d %b %Y")


def _terminal_width() -> int:
    import shutil

    return max(60, min(160, shutil.get_terminal_size((WIDTH, 24)).columns))


def _visible(text: str) -> str:
    """One line, with every control character (ANSI escapes included) shown as a symbol."""
    out = []
    for char in " ".join(text.split()):
        category = unicodedata.category(char)
        out.append("\N{WHITE SQUARE}" if category in ("Cc", "Cf") and char != "\u200d" else char)
    return "".join(out)


def _cells(char: str) -> int:
    if unicodedata.combining(char) or char == "\u200d":
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _fit(text: str, width: int) -> str:
    """``text`` cut (with …) or padded to exactly ``width`` terminal cells."""
    used = sum(_cells(c) for c in text)
    if used <= width:
        return text + " " * (width - used)
    out, used = [], 0
    for char in text:
        size = _cells(char)
        if used + size > width - 1:
            break
        out.append(char)
        used += size
    return "".join(out) + "…" + " " * (width - 1 - used)


class _Paint:
    """ANSI styles when colour is on; the text unchanged otherwise."""

    def __init__(self, on: bool) -> None:
        self.on = on

    def _style(self, code: str, text: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.on and text else text

    def bold(self, text: str) -> str:
        """Section titles."""
        return self._style("1", text)

    def heading(self, text: str) -> str:
        """Day headings."""
        return self._style("1;36", text)

    def dim(self, text: str) -> str:
        """Times and placeholders."""
        return self._style("2", text)

    def readiness(self, text: str, score: int | None) -> str:
        """Readiness in its band's colour: red, yellow, green."""
        if score is None:
            return text
        from salestui.domain.readiness import band_of

        return self._style({"low": "31", "medium": "33", "high": "32"}[band_of(score)], text)
