"""Whole-database reads and restores for the export formats, each in one session or transaction.

``dump`` reads every table as plain rows (column name -> Python value, ordered by primary key);
``restore`` writes such rows back into an empty database with their ids, all or nothing.
The other functions are the read queries the CSV, Markdown and iCalendar exports need.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, insert, select, update
from sqlmodel import SQLModel, col

from salestui.domain import models as m
from salestui.domain.enums import CallStatus
from salestui.store import convert
from salestui.store import tables as t
from salestui.store.accounts import InvalidInput
from salestui.store.calendar import DATABASE_ID_SETTING
from salestui.store.calls import assemble_plans, load_plans
from salestui.store.engine import reset_sequences

if TYPE_CHECKING:
    from salestui.store.core import Store

#: Every table in an order that satisfies the foreign keys (parents first).
TABLES: tuple[type[SQLModel], ...] = (
    t.Setting,
    t.ChecklistTemplateItem,
    t.Account,
    t.Contact,
    t.ResearchNote,
    t.CompetitorComparison,
    t.Call,
    t.CallContact,
    t.ChecklistItem,
    t.Objection,
    t.Advance,
    t.Question,
    t.PracticeRun,
    t.CallNote,
    t.Debrief,
    t.CoachingNote,
    t.CallRider,
)

#: Tables whose rows make a database "not empty" (a fresh database already has a template).
DATA_TABLES: tuple[type[SQLModel], ...] = tuple(x for x in TABLES if x not in (t.Setting, t.ChecklistTemplateItem))

Rows = dict[str, list[dict[str, Any]]]
Progress = Callable[[int, int], None]

_CHUNK = 500


class NotEmpty(InvalidInput):
    """A restore was refused because the database already holds data."""


def name_of(table: type[SQLModel]) -> str:
    """The SQL table name of a table class."""
    return str(table.__tablename__)


def columns_of(table: type[SQLModel]) -> list[str]:
    """Column names of a table, in their declared order."""
    return [c.name for c in table.__table__.columns]  # type: ignore[attr-defined]


def _order(table: type[SQLModel]) -> list[Any]:
    primary = table.__table__.primary_key.columns  # type: ignore[attr-defined]
    return list(primary)


def occupied(store: Store) -> dict[str, int]:
    """Row counts of the data tables that are not empty (an empty dict means an empty database)."""
    with store.reading() as session:
        return _occupied(session)


def _occupied(session: Any) -> dict[str, int]:
    counts: dict[str, int] = {}
    for table in DATA_TABLES:
        count = int(session.execute(select(func.count()).select_from(table)).scalar_one())
        if count:
            counts[name_of(table)] = count
    return counts


def describe(counts: dict[str, int]) -> str:
    """``{"account": 5, "call": 1}`` -> ``5 accounts and 1 call`` (accounts and calls, else any rows)."""
    parts = [
        f"{counts[name]} {name}{'' if counts[name] == 1 else 's'}" for name in ("account", "call") if name in counts
    ]
    if not parts:
        parts = [f"{sum(counts.values())} records"]
    return " and ".join(parts)


def dump(store: Store) -> Rows:
    """Every row of every table, read in one session so the result is one consistent snapshot."""
    rows: Rows = {}
    with store.reading() as session:
        for table in TABLES:
            names = columns_of(table)
            table_columns = table.__table__.columns  # type: ignore[attr-defined]
            result = session.execute(select(*table_columns).order_by(*_order(table)))
            rows[name_of(table)] = [
                dict(zip(names, values, strict=True))
                for values in result.all()
                # The database's own id is not data: a copy restored elsewhere is another database.
                if not (table is t.Setting and values[0] == DATABASE_ID_SETTING)
            ]
    return rows


def restore(store: Store, rows: Rows, progress: Progress | None = None) -> int:
    """Write ``rows`` (as ``dump`` returns them) into an empty database in one transaction.

    The checklist template and settings of the database are replaced by those in ``rows``.
    Raises ``NotEmpty`` if the database holds any account, call or other record; on any error
    nothing is written. Returns the number of rows written.
    """
    total = sum(len(rows.get(name_of(table), [])) for table in TABLES)
    done = 0
    if progress is not None:
        progress(0, total)
    with store.transaction() as session:
        found = _occupied(session)
        if found:
            raise NotEmpty(
                f"the database already holds {describe(found)}: import into a new, empty database (--db NEW_FILE)"
            )
        session.execute(delete(t.ChecklistTemplateItem))
        # The database keeps its own id (calendar UIDs): two databases restored from one file
        # are still two databases.
        session.execute(delete(t.Setting).where(col(t.Setting.key) != DATABASE_ID_SETTING))
        carried: list[dict[str, Any]] = []
        for table in TABLES:
            batch = rows.get(name_of(table), [])
            if table is t.Setting:
                batch = [r for r in batch if r["key"] != DATABASE_ID_SETTING]
            if table is t.Call:
                # A call may point to any other call it was carried from: link after all exist.
                carried = [{"id": r["id"], "carried_from_call_id": r["carried_from_call_id"]} for r in batch]
                batch = [{**r, "carried_from_call_id": None} for r in batch]
            for start in range(0, len(batch), _CHUNK):
                chunk = batch[start : start + _CHUNK]
                session.execute(insert(table), chunk)
                done += len(chunk)
                if progress is not None:
                    progress(done, total)
            if table is t.Call:
                for link in carried:
                    if link["carried_from_call_id"] is not None:
                        session.execute(
                            update(t.Call)
                            .where(col(t.Call.id) == link["id"])
                            .values(carried_from_call_id=link["carried_from_call_id"])
                        )
        reset_sequences(session.connection(), [table.__table__ for table in TABLES])  # type: ignore[attr-defined]
    return total


# -- reads for the CSV, Markdown and iCalendar exports ---------------------------------------------
def call_plans(store: Store, account_id: int | None = None) -> list[m.CallPlan]:
    """Full plans of every call (or one account's), oldest first; calls with no time last.

    Reads plain rows (no ORM objects): exporting 10,000 calls must not build 200,000 of them.
    """
    with store.reading() as session:
        query = select(*_columns(t.Call)).order_by(
            col(t.Call.scheduled_at).is_(None), col(t.Call.scheduled_at), col(t.Call.id)
        )
        chosen = select(col(t.Call.id))
        if account_id is not None:
            query = query.where(col(t.Call.account_id) == account_id)
            chosen = chosen.where(col(t.Call.account_id) == account_id)
        calls = session.execute(query).all()
        if not calls:
            return []
        names = dict(session.execute(select(col(t.Account.id), col(t.Account.name))).all())
        return assemble_plans(session, calls, names, chosen if account_id is not None else None)


def _columns(table: type[SQLModel]) -> list[Any]:
    return list(table.__table__.columns)  # type: ignore[attr-defined]


def contacts_by_id(store: Store, account_id: int | None = None) -> dict[int, m.Contact]:
    """Contacts (of every account, or one), by id."""
    query = select(t.Contact).order_by(col(t.Contact.id))
    if account_id is not None:
        query = query.where(col(t.Contact.account_id) == account_id)
    with store.reading() as session:
        return {row.id: convert.contact(row) for row in session.execute(query).scalars().all() if row.id is not None}


def accounts(store: Store) -> list[m.Account]:
    """Every account, by name."""
    with store.reading() as session:
        rows = session.execute(select(t.Account).order_by(func.lower(t.Account.name), col(t.Account.id)))
        return [convert.account(row) for row in rows.scalars().all()]


@dataclass(frozen=True, slots=True)
class CalendarCall:
    """A planned call for the calendar, with when it was last changed (the event's revision)."""

    plan: m.CallPlan
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class FollowUp:
    """A follow-up date set in a debrief, with the account it belongs to."""

    account_id: int
    account_name: str
    debrief: m.Debrief


def calendar(
    store: Store, since: datetime, from_day: date, account_id: int | None = None
) -> tuple[list[CalendarCall], list[FollowUp]]:
    """Planned calls from ``since`` on, and follow-up dates from ``from_day`` on, soonest first."""
    calls_query = (
        select(col(t.Call.id), col(t.Call.updated_at))
        .where(col(t.Call.status) == CallStatus.PLANNED.value, col(t.Call.scheduled_at) >= since)
        .order_by(col(t.Call.scheduled_at), col(t.Call.id))
    )
    follow_query = (
        select(t.Debrief, col(t.Account.id), col(t.Account.name))
        .join(t.Call, col(t.Call.id) == t.Debrief.call_id)
        .join(t.Account, col(t.Account.id) == t.Call.account_id)
        .where(col(t.Debrief.follow_up).is_not(None), col(t.Debrief.follow_up) >= from_day)
        .order_by(col(t.Debrief.follow_up), col(t.Debrief.id))
    )
    if account_id is not None:
        calls_query = calls_query.where(col(t.Call.account_id) == account_id)
        follow_query = follow_query.where(col(t.Account.id) == account_id)
    with store.reading() as session:
        found = session.execute(calls_query).all()
        stamps = {row[0]: row[1] for row in found}
        plans = load_plans(session, [row[0] for row in found])
        follow = [
            FollowUp(account_id=aid, account_name=name, debrief=convert.debrief(row))
            for row, aid, name in session.execute(follow_query).all()
        ]
    from salestui.store.tables import UTCDateTime

    stamp = UTCDateTime()
    calls = [CalendarCall(plan=p, updated_at=_aware(stamp, stamps[p.id])) for p in plans]
    return calls, follow


def _aware(stamp: Any, value: Any) -> datetime:
    """Column-level selects already go through the type; keep this robust either way."""
    if isinstance(value, datetime) and value.tzinfo is None:
        result = stamp.process_result_value(value, None)
        assert isinstance(result, datetime)
        return result
    assert isinstance(value, datetime)
    return value
