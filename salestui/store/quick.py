"""Read-only answers straight from the SQLite file with the standard library (no SQLAlchemy).

Opening the full store costs about a second (importing SQLAlchemy and SQLModel and building the
table classes); ``salestui agenda`` needs a few indexed queries. They read the same rows the
store reads, with the same rules (``tests/test_agenda.py`` proves equal results, owner scoping
included), and convert them with the store's own converters.
"""

from __future__ import annotations

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
from salestui.store import convert

_STAMPS = {"scheduled_at", "started_at", "ended_at", "created_at", "updated_at", "at"}
_DATES = {"due", "follow_up"}
_FLAGS = {"done", "raised", "came_up_unplanned", "secured", "asked"}
# What convert.call_plan reads of each child row (their timestamps are not shown in a list).
_CHILD_COLUMNS = {
    "call_contact": "call_id, contact_id",
    "checklist_item": "id, call_id, position, text, done",
    "objection": "id, call_id, position, text, response, raised, handling, came_up_unplanned",
    "advance": "id, call_id, level, action, owner, due, secured",
    "question": "id, call_id, position, text, kind, hope, asked, answer",
}


@dataclass(frozen=True, slots=True)
class Agenda:
    """Planned calls in a window, and calls that need a debrief (newest first)."""

    upcoming: list[m.CallSummary]
    needing_debrief: list[m.CallSummary]
    more_debriefs: int = 0
    """How many more calls need a debrief than are listed."""


def _stamp(moment: datetime) -> str:
    # The text form SQLAlchemy stores naive UTC datetimes in on SQLite: it sorts as time does.
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _stamp_value(value: str) -> datetime:
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


def _row(cursor: sqlite3.Cursor, values: tuple[Any, ...]) -> SimpleNamespace:
    """A row as attributes, times and days parsed as the store's column types parse them."""
    names = [column[0] for column in cursor.description]
    row = dict(zip(names, values, strict=True))
    for name in names:
        value = row[name]
        if name in _FLAGS:
            row[name] = bool(value)
        elif value is None:
            continue
        elif name in _STAMPS:
            row[name] = _stamp_value(value)
        elif name in _DATES:
            row[name] = date.fromisoformat(value)
    return SimpleNamespace(**row)


def _login() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "me"


def agenda(path: Path, start: datetime, end: datetime, owner: str | None = None, debriefs: int = 10) -> Agenda:
    """The rep's planned calls from ``start`` to ``end``, and up to ``debriefs`` calls needing a debrief.

    The schema is assumed current or older (the caller ran the preflight check).
    Raises ``sqlite3.Error`` when the file cannot be read.
    """
    from salestui.store.preflight import read_only_uri

    connection = sqlite3.connect(read_only_uri(path), uri=True, timeout=5)
    connection.row_factory = _row
    try:
        rep = owner or os.environ.get("SALESTUI_OWNER") or _recorded_owner(connection) or _login()
        mine = "(call.owner = ? OR call.owner = '')"
        upcoming = _ids(
            connection,
            "SELECT id FROM call WHERE status = 'planned' AND scheduled_at >= ? AND scheduled_at < ?"
            f" AND {mine} ORDER BY scheduled_at, id",
            (_stamp(start), _stamp(end), rep),
        )
        # Home's "needs a debrief": started, or its time has passed; not cancelled, no debrief
        # (CallRepo.needing_debrief).
        late = (
            "FROM call LEFT OUTER JOIN debrief ON debrief.call_id = call.id"
            " WHERE (call.scheduled_at < ? OR (call.started_at IS NOT NULL AND call.started_at <= ?))"
            f" AND call.status != 'cancelled' AND debrief.id IS NULL AND {mine}"
        )
        moment = _stamp(start)
        undebriefed = _ids(
            connection,
            f"SELECT call.id AS id {late} ORDER BY call.scheduled_at DESC, call.id DESC LIMIT ?",
            (moment, moment, rep, debriefs),
        )
        total = connection.execute(f"SELECT count(*) AS n {late}", (moment, moment, rep)).fetchone().n
        plans = {p.id: p for p in _plans(connection, upcoming + undebriefed)}
    finally:
        connection.close()
    return Agenda(
        upcoming=convert.summarise(plans[i] for i in upcoming if i in plans),
        needing_debrief=convert.summarise(plans[i] for i in undebriefed if i in plans),
        more_debriefs=max(0, total - len(undebriefed)),
    )


def _recorded_owner(connection: sqlite3.Connection) -> str | None:
    row = connection.execute("SELECT value FROM setting WHERE key = 'owner'").fetchone()
    return row.value if row is not None and row.value.strip() else None


def _ids(connection: sqlite3.Connection, sql: str, parameters: tuple[Any, ...]) -> list[int]:
    return [row.id for row in connection.execute(sql, parameters)]


def _plans(connection: sqlite3.Connection, call_ids: Sequence[int]) -> list[m.CallPlan]:
    """Plans with one query per table, converted exactly as the store converts them."""
    ids = list(dict.fromkeys(call_ids))
    if not ids:
        return []
    marks = ",".join("?" * len(ids))

    def rows(table: str, key: str = "call_id", columns: str = "*") -> list[SimpleNamespace]:
        return connection.execute(f'SELECT {columns} FROM "{table}" WHERE {key} IN ({marks})', ids).fetchall()

    calls = {row.id: row for row in rows("call", "id")}
    account_ids = sorted({row.account_id for row in calls.values()})
    names = {
        row.id: row.name
        for row in connection.execute(
            f"SELECT id, name FROM account WHERE id IN ({','.join('?' * len(account_ids))})", account_ids
        )
    }
    grouped: dict[str, dict[int, list[SimpleNamespace]]] = {}
    # The schema may be older than the code (the preflight allows it): a table it lacks is empty.
    tables = {row.name for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for table, columns in _CHILD_COLUMNS.items():
        grouped[table] = defaultdict(list)
        for row in rows(table, columns=columns) if table in tables else ():
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
            [],  # in-call notes are not part of a list line
            debriefs.get(i),  # type: ignore[arg-type]
            grouped["question"][i],  # type: ignore[arg-type]
        )
        for i in ids
        if i in calls
    ]
