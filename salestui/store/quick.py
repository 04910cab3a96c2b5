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
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
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
    with _reading(path, timeout=5) as connection:
        rep = _rep(connection, owner)
        upcoming = _ids(
            connection,
            "SELECT id FROM call WHERE status = 'planned' AND scheduled_at >= ? AND scheduled_at < ?"
            f" AND started_at IS NULL AND {_MINE} ORDER BY scheduled_at, id",
            (_stamp(start), _stamp(end), rep),
        )
        return _with_debriefs(connection, upcoming, start, rep, debriefs)


def home_lists(path: Path, moment: datetime, owner: str | None = None, limit: int = 50) -> Agenda:
    """Home's two lists, as ``CallRepo.upcoming`` and ``CallRepo.needing_debrief`` give them.

    Read while the full store is still opening, so the rep sees the calls with the first frames.
    Raises ``sqlite3.Error`` when the file cannot be read.
    """
    with _reading(path, timeout=1) as connection:
        return _home_lists(connection, moment, owner, limit)


def _home_lists(connection: sqlite3.Connection, moment: datetime, owner: str | None, limit: int) -> Agenda:
    rep = _rep(connection, owner)
    dated = _ids(
        connection,
        f"SELECT id FROM call WHERE status = 'planned' AND scheduled_at >= ? AND started_at IS NULL AND {_MINE}"
        " ORDER BY scheduled_at, id LIMIT ?",
        (_stamp(moment), rep, limit),
    )
    undated = _ids(
        connection,
        f"SELECT id FROM call WHERE status = 'planned' AND scheduled_at IS NULL AND started_at IS NULL AND {_MINE}"
        " ORDER BY id LIMIT ?",
        (rep, limit),
    )
    # Home shows no count of the calls beyond its list: counting them all took ~100 ms at 100,000 calls.
    return _with_debriefs(connection, (dated + undated)[:limit], moment, rep, limit, count=False)


@contextmanager
def _reading(path: Path, timeout: float) -> Iterator[sqlite3.Connection]:
    """A read-only connection whose rows read as attributes (``_row``)."""
    from salestui.store.preflight import read_only_uri

    connection = sqlite3.connect(read_only_uri(path), uri=True, timeout=timeout)
    connection.row_factory = _row
    try:
        yield connection
    finally:
        connection.close()


def _with_debriefs(
    connection: sqlite3.Connection, upcoming: list[int], moment: datetime, rep: str, debriefs: int, count: bool = True
) -> Agenda:
    """The ``upcoming`` calls and up to ``debriefs`` calls needing a debrief at ``moment``, as list lines.

    ``count=False`` leaves ``more_debriefs`` at 0 (not counted).
    """
    undebriefed, total = _needing_debrief(connection, moment, rep, debriefs, count)
    plans = {p.id: p for p in _plans(connection, upcoming + undebriefed)}
    return Agenda(
        upcoming=convert.summarise(plans[i] for i in upcoming if i in plans),
        needing_debrief=convert.summarise(plans[i] for i in undebriefed if i in plans),
        more_debriefs=max(0, total - len(undebriefed)),
    )


_MINE = "(call.owner = ? OR call.owner = '')"
_HAPPENED_AT = "coalesce(call.started_at, call.ended_at, call.scheduled_at, call.created_at)"
"""``rules.happened_at``: when a call took place (needing a debrief, newest first by it)."""
"""``scope.owner_filter``: the rep's calls, and calls without an owner."""

# ``rules.needs_debrief``: it took place (started, or its time passed), not cancelled, and its
# debrief is not finished (a draft still needs it). ``tests/test_needs_debrief_agree.py`` checks it
# against the domain rule, the store's SQL rule and the stats summary on calls of every shape.
_NEEDS_DEBRIEF = (
    "FROM call LEFT OUTER JOIN debrief ON debrief.call_id = call.id"
    " WHERE ((call.scheduled_at IS NOT NULL AND call.scheduled_at < ?)"
    " OR (call.started_at IS NOT NULL AND call.started_at <= ?))"
    " AND call.status != 'cancelled' AND (call.outcome IS NULL OR call.outcome != 'cancelled')"
    " AND {open_debrief} AND " + _MINE
)


def _needing_debrief(
    connection: sqlite3.Connection, moment: datetime, rep: str, limit: int, count: bool
) -> tuple[list[int], int]:
    """Up to ``limit`` calls needing a debrief (newest first), and how many there are in all (0 unless ``count``)."""
    stamp = _stamp(moment)
    columns = {row.name for row in connection.execute("PRAGMA table_info(debrief)")}
    # Before 0003_debrief_finished every debrief was finished: only a missing one is open.
    needs = _NEEDS_DEBRIEF.format(
        open_debrief="debrief.finished_at IS NULL" if "finished_at" in columns else "debrief.id IS NULL"
    )
    ids = _ids(
        connection,
        f"SELECT call.id AS id {needs} ORDER BY {_HAPPENED_AT} DESC, call.id DESC LIMIT ?",
        (stamp, stamp, rep, limit),
    )
    if not count:
        return ids, 0
    return ids, connection.execute(f"SELECT count(*) AS n {needs}", (stamp, stamp, rep)).fetchone().n


def _rep(connection: sqlite3.Connection, owner: str | None) -> str:
    """The rep whose calls are listed, found as ``open_store`` finds it."""
    return owner or os.environ.get("SALESTUI_OWNER") or _recorded_owner(connection) or _login()


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


def early_home(target: str, owner: str | None = None, limit: int = 50) -> Agenda | None:
    """Home's lists from a local database at the current schema, or ``None`` (a new, older,
    damaged, locked or remote one waits for the full store, which says what is wrong)."""
    from salestui.domain.clock import now
    from salestui.store.preflight import DatabaseProblem
    from salestui.store.schema import HEAD

    if "://" in target:
        return None
    path = Path(target).expanduser()
    try:
        if not path.is_file():
            return None
        # One connection checks the schema and reads: SQLite parses the whole schema (tables,
        # triggers, the search index) on a connection's first statement, ~6 ms each time.
        with _reading(path, timeout=1) as connection:
            revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            if revision is None or revision.version_num != HEAD:
                return None
            return _home_lists(connection, now(), owner, limit)
    except (DatabaseProblem, sqlite3.Error, OSError):
        return None
