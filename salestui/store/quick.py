"""Home's two lists straight from the SQLite file with the standard library.

Opening the full store costs about a second (importing SQLAlchemy and SQLModel and building
the table classes); home's lists need only a few indexed queries. This module answers them
first, read-only, so a rep sees the day's calls at once; the full store takes over when it is
open. It reads the same rows the store does and converts them with the same converters.
"""

from __future__ import annotations

import getpass
import os
import sqlite3
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from salestui.domain import models as m
from salestui.domain.clock import now
from salestui.store import convert

_STAMPS = {"scheduled_at", "started_at", "ended_at", "created_at", "updated_at", "at"}
_DATES = {"due", "follow_up"}
_FLAGS = {"done", "raised", "came_up_unplanned", "secured"}


def login() -> str:
    """The OS user name (``me`` when the system cannot tell)."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "me"


@dataclass(frozen=True, slots=True)
class HomeLists:
    """What home shows: upcoming calls, calls needing a debrief, and whether any account exists."""

    upcoming: list[m.CallSummary]
    undebriefed: list[m.CallSummary]
    accounts: int


def _stamp(moment: datetime) -> str:
    # The text form SQLAlchemy stores naive UTC datetimes in on SQLite.
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _row(cursor: sqlite3.Cursor, values: tuple[Any, ...]) -> SimpleNamespace:
    row = SimpleNamespace()
    for (name, *_), value in zip(cursor.description, values, strict=True):
        if value is not None and name in _STAMPS:
            value = datetime.fromisoformat(value).replace(tzinfo=UTC)
        elif value is not None and name in _DATES:
            value = date.fromisoformat(value)
        elif name in _FLAGS:
            value = bool(value)
        setattr(row, name, value)
    return row


def home_lists(path: Path, owner: str | None = None, limit: int = 50) -> HomeLists:
    """Home's lists from the database file (current schema assumed: the caller checked it)."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    connection.row_factory = _row
    try:
        rep = owner or os.environ.get("SALESTUI_OWNER") or _recorded_owner(connection) or login()
        mine = "(owner = ? OR owner = '')"
        moment = _stamp(now())
        upcoming = _ids(
            connection,
            f"SELECT id FROM call WHERE status = 'planned' AND scheduled_at >= ? AND {mine}"
            " ORDER BY scheduled_at, id LIMIT ?",
            (moment, rep, limit),
        )
        upcoming += _ids(
            connection,
            f"SELECT id FROM call WHERE status = 'planned' AND scheduled_at IS NULL AND {mine} ORDER BY id LIMIT ?",
            (rep, limit),
        )
        undebriefed = _ids(
            connection,
            "SELECT call.id FROM call LEFT OUTER JOIN debrief ON debrief.call_id = call.id"
            f" WHERE call.scheduled_at < ? AND call.status != 'cancelled' AND debrief.id IS NULL AND {mine}"
            " ORDER BY call.scheduled_at DESC, call.id DESC LIMIT ?",
            (moment, rep, limit),
        )
        plans = {p.id: p for p in _plans(connection, upcoming[:limit] + undebriefed)}
        accounts = connection.execute("SELECT count(*) AS n FROM account").fetchone().n
    finally:
        connection.close()
    return HomeLists(
        upcoming=convert.summarise(plans[i] for i in upcoming[:limit] if i in plans),
        undebriefed=convert.summarise(plans[i] for i in undebriefed if i in plans),
        accounts=accounts,
    )


def _recorded_owner(connection: sqlite3.Connection) -> str | None:
    row = connection.execute("SELECT value FROM setting WHERE key = 'owner'").fetchone()
    return row.value if row is not None and row.value.strip() else None


def _ids(connection: sqlite3.Connection, sql: str, parameters: tuple[Any, ...]) -> list[int]:
    return [row.id for row in connection.execute(sql, parameters)]


def _plans(connection: sqlite3.Connection, call_ids: Sequence[int]) -> list[m.CallPlan]:
    """Full plans with one query per table, converted exactly as the store converts them."""
    ids = list(dict.fromkeys(call_ids))
    if not ids:
        return []
    marks = ",".join("?" * len(ids))

    def rows(table: str, key: str = "call_id") -> list[SimpleNamespace]:
        return connection.execute(f"SELECT * FROM {table} WHERE {key} IN ({marks})", ids).fetchall()

    calls = {row.id: row for row in rows("call", "id")}
    account_ids = sorted({row.account_id for row in calls.values()})
    names = {
        row.id: row.name
        for row in connection.execute(
            f"SELECT id, name FROM account WHERE id IN ({','.join('?' * len(account_ids))})", account_ids
        )
    }
    grouped: dict[str, dict[int, list[SimpleNamespace]]] = {}
    for table in ("call_contact", "checklist_item", "objection", "advance"):
        grouped[table] = defaultdict(list)
        for row in rows(table):
            grouped[table][row.call_id].append(row)
    debriefs = {row.call_id: row for row in rows("debrief")}
    return [
        convert.call_plan(
            calls[i],  # type: ignore[arg-type]
            names.get(calls[i].account_id, ""),
            [c.contact_id for c in grouped["call_contact"][i]],
            grouped["checklist_item"][i],  # type: ignore[arg-type]
            grouped["objection"][i],  # type: ignore[arg-type]
            grouped["advance"][i],  # type: ignore[arg-type]
            [],  # in-call notes do not show on home
            debriefs.get(i),  # type: ignore[arg-type]
        )
        for i in ids
        if i in calls
    ]
