"""SQLModel tables. The schema itself is defined by the Alembic migrations beside this file."""

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel
from sqlmodel.sql.sqltypes import AutoString

from salestui.text import entered


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes stored as naive UTC, so SQLite and PostgreSQL sort and compare alike."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        """Refuse naive values: they hide timezone bugs."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        """Return aware UTC datetimes."""
        return value.replace(tzinfo=UTC) if value is not None else None


class UserText(TypeDecorator[str]):
    """Text a person typed or imported: no control character (ANSI escape, BEL, NUL) is stored.

    Every value bound to such a column goes through :func:`salestui.text.entered`, whatever
    writes it: an ORM insert, ``Store.update_fields``, the importers, a JSON restore or
    ``migrate-to`` (Core inserts). A multi-line column (``lines=True``) keeps newlines and tabs;
    a one-line column turns them into spaces. The column is an ordinary string in the schema.
    """

    impl = AutoString
    cache_ok = True

    def __init__(self, *, lines: bool = False) -> None:
        super().__init__()
        self.lines = lines

    def process_bind_param(self, value: str | None, dialect: Any) -> str | None:
        """The value as it may enter the database."""
        return None if value is None else entered(value, lines=self.lines)

    def process_result_value(self, value: str | None, dialect: Any) -> str | None:
        """The value as read: a database written before this rule (or by another tool) may hold
        control characters; they never reach a screen or an export."""
        return None if value is None else entered(value, lines=self.lines)

    @property
    def python_type(self) -> type[str]:
        """Plain ``str``."""
        return str


def _line(default: Any = "", **field: Any) -> Any:
    """A one-line text column of user text (newlines become spaces)."""
    return Field(default=default, sa_type=UserText(), **field)


def _lines() -> Any:
    """A multi-line text column of user text (newlines and tabs kept)."""
    return Field(default="", sa_type=UserText(lines=True))


def utcnow() -> datetime:
    """Default for timestamps (goes through the domain clock so tests can freeze it)."""
    from salestui.domain.clock import now

    return now()


def _created() -> Any:
    return Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


def _parent(target: str) -> Any:
    """A required, indexed foreign key whose rows go when the parent goes."""
    return Field(foreign_key=target, ondelete="CASCADE", index=True)


#: The rows the unique index on ``(owner, name_key)`` covers (an upsert names it as its conflict target).
NAME_KEYED = "name_key != ''"


def name_key(name: str) -> str:
    """Account names match case-insensitively and regardless of repeated spaces (``account.name_key``)."""
    return " ".join(entered(name).split()).casefold()


def _name_key_default(context: Any) -> str:
    """``name_key`` of a Core insert that does not give one (a JSON restore, an older export)."""
    return name_key(str(context.get_current_parameters().get("name") or ""))


class Account(SQLModel, table=True):
    """A prospect or customer organisation."""

    __tablename__ = "account"
    # One account per rep and name (migration 0010_team_rls): concurrent imports cannot duplicate.
    # Rows another tool inserted without a key ("", the column's server default) are left out.
    __table_args__ = (
        sa.Index(
            "ux_account_owner_name",
            "owner",
            "name_key",
            unique=True,
            sqlite_where=sa.text(NAME_KEYED),
            postgresql_where=sa.text(NAME_KEYED),
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    name: str = _line(index=True)
    name_key: str = Field(default="", sa_column_kwargs={"default": _name_key_default})
    """``name_key(name)``, kept by the store on every write of the name."""
    industry: str = _line()
    status: str = "prospect"
    website: str = _line()
    phone: str = _line()
    city: str = _line()
    notes: str = _lines()
    owner: str = _line(index=True)
    created_at: datetime = _created()
    updated_at: datetime = _created()
    version: int = 1


class Contact(SQLModel, table=True):
    """A person at an account."""

    __tablename__ = "contact"
    id: int | None = Field(default=None, primary_key=True)
    account_id: int = _parent("account.id")
    name: str = _line(...)
    title: str = _line()
    role: str = "other"
    email: str = _line()
    phone: str = _line()
    notes: str = _lines()
    created_at: datetime = _created()
    updated_at: datetime = _created()
    version: int = 1


class ResearchNote(SQLModel, table=True):
    """A research note filed under a category."""

    __tablename__ = "research_note"
    id: int | None = Field(default=None, primary_key=True)
    account_id: int = _parent("account.id")
    category: str = "customer"
    body: str = _lines()
    source: str = _line()
    created_at: datetime = _created()
    updated_at: datetime = _created()
    version: int = 1


class CompetitorComparison(SQLModel, table=True):
    """Our offer against a named competitor."""

    __tablename__ = "competitor_comparison"
    id: int | None = Field(default=None, primary_key=True)
    account_id: int = _parent("account.id")
    competitor: str = _line()
    their_strengths: str = _lines()
    their_weaknesses: str = _lines()
    our_edge: str = _lines()
    created_at: datetime = _created()
    updated_at: datetime = _created()
    version: int = 1


#: ``rules.happened_at`` as the SQL text its index is built on (SQLite matches the expression).
HAPPENED_AT = "coalesce(started_at, ended_at, scheduled_at, created_at)"


class Call(SQLModel, table=True):
    """One planned meeting with an account, its plan and its outcome."""

    __tablename__ = "call"
    __table_args__ = (
        sa.Index("ix_call_scheduled_id", "scheduled_at", "id"),
        sa.Index("ix_call_account_scheduled", "account_id", "scheduled_at"),
        # Review filters and stats (migration 0002_search).
        sa.Index("ix_call_kind_scheduled", "kind", "scheduled_at", "id"),
        sa.Index("ix_call_outcome_scheduled", "outcome", "scheduled_at", "id"),
        sa.Index("ix_call_stats", "outcome", "kind", "readiness_at_start", "account_id", "scheduled_at"),
        sa.Index("ix_call_account_latest", "account_id", "scheduled_at", "status"),
        # Review pages by when the call took place (``rules.happened_at``, migration 0008_review_time).
        sa.Index("ix_call_happened_id", sa.text(HAPPENED_AT), "id"),
        # One call per calendar event occurrence and rep (migration 0004_calendar).
        sa.Index("ux_call_calendar", "calendar_uid", "calendar_occurrence", "owner", unique=True),
    )
    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", ondelete="CASCADE")
    scheduled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    kind: str = "discovery"
    status: str = Field(default="planned", index=True)
    objective: str = _line()
    goal: str = _line()
    strategy: str = _lines()
    expected_return: str = _line()
    started_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    readiness_at_start: int | None = None
    outcome: str | None = Field(default=None, index=True)
    achieved: str | None = None
    carried_from_call_id: int | None = Field(default=None, foreign_key="call.id", ondelete="SET NULL")
    owner: str = _line(index=True)
    calendar_uid: str | None = None
    """UID of the calendar event the call was imported from (``None``: planned in salestui)."""
    calendar_occurrence: str | None = None
    """Which occurrence of a recurring event (its original start, UTC); ``""`` for a single event."""
    created_at: datetime = _created()
    updated_at: datetime = _created()
    version: int = 1


class CallContact(SQLModel, table=True):
    """Which contacts attend a call."""

    __tablename__ = "call_contact"
    call_id: int = Field(foreign_key="call.id", ondelete="CASCADE", primary_key=True)
    contact_id: int = Field(foreign_key="contact.id", ondelete="CASCADE", primary_key=True, index=True)


class ChecklistItem(SQLModel, table=True):
    """A preparation item of a call."""

    __tablename__ = "checklist_item"
    id: int | None = Field(default=None, primary_key=True)
    call_id: int = _parent("call.id")
    position: int = 0
    text: str = _line()
    done: bool = False
    created_at: datetime = _created()
    updated_at: datetime = _created()


class ChecklistTemplateItem(SQLModel, table=True):
    """An item of the editable template new call checklists start from."""

    __tablename__ = "checklist_template_item"
    id: int | None = Field(default=None, primary_key=True)
    position: int = 0
    text: str = _line()
    created_at: datetime = _created()
    updated_at: datetime = _created()


class Objection(SQLModel, table=True):
    """A concern the customer may raise, the planned response, and what happened to it."""

    __tablename__ = "objection"
    id: int | None = Field(default=None, primary_key=True)
    call_id: int = _parent("call.id")
    position: int = 0
    text: str = _line()
    response: str = _line()
    raised: bool = False
    handling: str = "not_raised"
    came_up_unplanned: bool = False
    created_at: datetime = _created()
    updated_at: datetime = _created()


class Question(SQLModel, table=True):
    """A question to ask in the call (SPIN kind, what the rep hopes to learn) and its answer."""

    __tablename__ = "question"
    id: int | None = Field(default=None, primary_key=True)
    call_id: int = _parent("call.id")
    position: int = 0
    text: str = _line()
    kind: str = "none"
    hope: str = _line()
    asked: bool = False
    answer: str = _line()
    created_at: datetime = _created()
    updated_at: datetime = _created()


class PracticeRun(SQLModel, table=True):
    """A rehearsal of a call (practice screen): when, how long, the items marked shaky (one a line)."""

    __tablename__ = "practice_run"
    id: int | None = Field(default=None, primary_key=True)
    call_id: int = _parent("call.id")
    at: datetime = _created()
    seconds: int = 0
    shaky: str = _lines()
    created_at: datetime = _created()
    updated_at: datetime = _created()


class Advance(SQLModel, table=True):
    """A customer commitment planned (stretch / target / fallback) or offered (unplanned)."""

    __tablename__ = "advance"
    # At most one secured advance per call: the outcome of the call.
    __table_args__ = (
        sa.Index(
            "ux_advance_one_secured",
            "call_id",
            unique=True,
            sqlite_where=sa.text("secured"),
            postgresql_where=sa.text("secured"),
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    call_id: int = _parent("call.id")
    level: str = "target"
    action: str = _line()
    owner: str = _line()
    due: date | None = None
    secured: bool = False
    created_at: datetime = _created()
    updated_at: datetime = _created()


class CallNote(SQLModel, table=True):
    """A timestamped note typed during a call."""

    __tablename__ = "call_note"
    id: int | None = Field(default=None, primary_key=True)
    call_id: int = _parent("call.id")
    at: datetime = _created()
    text: str = _lines()  # the call line is one line, but an imported meeting's location and agenda keep theirs
    created_at: datetime = _created()
    updated_at: datetime = _created()


class Debrief(SQLModel, table=True):
    """The evaluation after a call: a draft until finished; drafting the next call links it here."""

    __tablename__ = "debrief"
    # "Is this call debriefed?" from the index alone, in every join of calls to debriefs (0003).
    __table_args__ = (sa.Index("ix_debrief_call_finished", "call_id", "finished_at"),)
    id: int | None = Field(default=None, primary_key=True)
    call_id: int = Field(foreign_key="call.id", ondelete="CASCADE", unique=True)
    went_well: str = _lines()
    do_differently: str = _lines()
    customer_feedback: str = _lines()
    lessons: str = _lines()
    next_step: str = _line()
    follow_up: date | None = Field(default=None, index=True)
    rating: int | None = None
    next_call_id: int | None = Field(default=None, foreign_key="call.id", ondelete="SET NULL")
    created_at: datetime = _created()
    updated_at: datetime = _created()
    version: int = 1
    # When the rep finished it (ctrl+s); NULL while it is a draft saved as typed (migration 0003).
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class CoachingNote(SQLModel, table=True):
    """Coaching on a call, pinned to a part of its plan; its call's owner marks it done (0017_coaching)."""

    __tablename__ = "coaching_note"
    id: int | None = Field(default=None, primary_key=True)
    call_id: int = _parent("call.id")
    part: str = Field(default="plan", sa_column_kwargs={"server_default": "plan"})
    """``domain.coaching.Part`` value: plan, objective, a rung, objection or question."""
    part_id: int | None = None
    """The objection's or question's id when ``part`` names one."""
    text: str = Field(default="", sa_type=UserText(lines=True), sa_column_kwargs={"server_default": ""})
    author: str = Field(default="", sa_type=UserText(), sa_column_kwargs={"server_default": ""})
    done: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    done_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = _created()
    updated_at: datetime = _created()


class CallRider(SQLModel, table=True):
    """A colleague riding along on a call, and what they saw (0017_coaching)."""

    __tablename__ = "call_rider"
    __table_args__ = (sa.UniqueConstraint("call_id", "name", name="ux_call_rider_name"),)
    id: int | None = Field(default=None, primary_key=True)
    call_id: int = _parent("call.id")
    name: str = _line(...)
    """The colleague (on a team database, their login)."""
    saw: str = Field(default="", sa_type=UserText(lines=True), sa_column_kwargs={"server_default": ""})
    """"What I saw": the rider's own words after the call."""
    saw_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = _created()
    updated_at: datetime = _created()


class ImportOrigin(SQLModel, table=True):
    """What the last CSV import wrote into one field of an account (migration 0009_import_origin).

    A re-import replaces the field only while it still holds this value: text that differs is
    the rep's own and is kept.
    """

    __tablename__ = "import_origin"
    account_id: int = Field(foreign_key="account.id", ondelete="CASCADE", primary_key=True)
    field: str = Field(primary_key=True)
    value: str = _lines()


class Setting(SQLModel, table=True):
    """A small key/value store for preferences (owner name, theme)."""

    __tablename__ = "setting"
    key: str = Field(primary_key=True)
    value: str = _line()
    created_at: datetime = _created()
    updated_at: datetime = _created()


def as_stored(table: type[SQLModel], values: Mapping[str, Any]) -> dict[str, Any]:
    """``values`` for columns of ``table`` as the database will store them (user text cleaned).

    Importers compare with it before writing, so a file with control characters matches and
    re-imports as "unchanged" instead of rewriting the same row every time.
    """
    columns = table.__table__.columns  # type: ignore[attr-defined]
    out = dict(values)
    for key, value in values.items():
        column = columns.get(key)
        if column is not None and isinstance(column.type, UserText) and isinstance(value, str):
            out[key] = column.type.process_bind_param(value, None)
    return out


def _clean_rows_on_flush() -> None:
    """Before a row object is inserted or updated, its user text is cleaned on the object too, so
    the object (and what a repository returns from it) holds exactly what the database stores."""

    def clean(_mapper: Any, _connection: Any, row: Any) -> None:
        for column in row.__table__.columns:
            value = getattr(row, column.name)
            if isinstance(column.type, UserText) and isinstance(value, str):
                stored = column.type.process_bind_param(value, None)
                if stored != value:
                    setattr(row, column.name, stored)

    def keyed(_mapper: Any, _connection: Any, row: Any) -> None:
        if isinstance(row, Account):
            row.name_key = name_key(row.name)

    # On the base class: every table of this module, and any added later.
    sa.event.listen(SQLModel, "before_insert", clean, propagate=True)
    sa.event.listen(SQLModel, "before_update", clean, propagate=True)
    sa.event.listen(SQLModel, "before_insert", keyed, propagate=True)
    sa.event.listen(SQLModel, "before_update", keyed, propagate=True)


_clean_rows_on_flush()
