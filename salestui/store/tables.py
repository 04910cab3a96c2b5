"""SQLModel tables. The schema itself is defined by the Alembic migrations beside this file."""

from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel


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


def utcnow() -> datetime:
    """Default for timestamps (goes through the domain clock so tests can freeze it)."""
    from salestui.domain.clock import now

    return now()


def _created() -> Any:
    return Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


def _parent(target: str) -> Any:
    """A required, indexed foreign key whose rows go when the parent goes."""
    return Field(foreign_key=target, ondelete="CASCADE", index=True)


class Account(SQLModel, table=True):
    """A prospect or customer organisation."""

    __tablename__ = "account"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True)
    industry: str = ""
    status: str = "prospect"
    website: str = ""
    phone: str = ""
    city: str = ""
    notes: str = ""
    owner: str = Field(default="", index=True)
    created_at: datetime = _created()
    updated_at: datetime = _created()
    version: int = 1


class Contact(SQLModel, table=True):
    """A person at an account."""

    __tablename__ = "contact"
    id: int | None = Field(default=None, primary_key=True)
    account_id: int = _parent("account.id")
    name: str
    title: str = ""
    role: str = "other"
    email: str = ""
    phone: str = ""
    notes: str = ""
    created_at: datetime = _created()
    updated_at: datetime = _created()
    version: int = 1


class ResearchNote(SQLModel, table=True):
    """A research note filed under a category."""

    __tablename__ = "research_note"
    id: int | None = Field(default=None, primary_key=True)
    account_id: int = _parent("account.id")
    category: str = "customer"
    body: str = ""
    source: str = ""
    created_at: datetime = _created()
    updated_at: datetime = _created()
    version: int = 1


class CompetitorComparison(SQLModel, table=True):
    """Our offer against a named competitor."""

    __tablename__ = "competitor_comparison"
    id: int | None = Field(default=None, primary_key=True)
    account_id: int = _parent("account.id")
    competitor: str = ""
    their_strengths: str = ""
    their_weaknesses: str = ""
    our_edge: str = ""
    created_at: datetime = _created()
    updated_at: datetime = _created()
    version: int = 1


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
        # One call per calendar event occurrence and rep (migration 0004_calendar).
        sa.Index("ux_call_calendar", "calendar_uid", "calendar_occurrence", "owner", unique=True),
    )
    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", ondelete="CASCADE")
    scheduled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    kind: str = "discovery"
    status: str = Field(default="planned", index=True)
    objective: str = ""
    goal: str = ""
    strategy: str = ""
    expected_return: str = ""
    started_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    readiness_at_start: int | None = None
    outcome: str | None = Field(default=None, index=True)
    achieved: str | None = None
    carried_from_call_id: int | None = Field(default=None, foreign_key="call.id", ondelete="SET NULL")
    owner: str = Field(default="", index=True)
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
    text: str = ""
    done: bool = False
    created_at: datetime = _created()
    updated_at: datetime = _created()


class ChecklistTemplateItem(SQLModel, table=True):
    """An item of the editable template new call checklists start from."""

    __tablename__ = "checklist_template_item"
    id: int | None = Field(default=None, primary_key=True)
    position: int = 0
    text: str = ""
    created_at: datetime = _created()
    updated_at: datetime = _created()


class Objection(SQLModel, table=True):
    """A concern the customer may raise, the planned response, and what happened to it."""

    __tablename__ = "objection"
    id: int | None = Field(default=None, primary_key=True)
    call_id: int = _parent("call.id")
    position: int = 0
    text: str = ""
    response: str = ""
    raised: bool = False
    handling: str = "not_raised"
    came_up_unplanned: bool = False
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
    action: str = ""
    owner: str = ""
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
    text: str = ""
    created_at: datetime = _created()
    updated_at: datetime = _created()


class Debrief(SQLModel, table=True):
    """The evaluation after a call: a draft until finished; drafting the next call links it here."""

    __tablename__ = "debrief"
    # "Is this call debriefed?" from the index alone, in every join of calls to debriefs (0003).
    __table_args__ = (sa.Index("ix_debrief_call_finished", "call_id", "finished_at"),)
    id: int | None = Field(default=None, primary_key=True)
    call_id: int = Field(foreign_key="call.id", ondelete="CASCADE", unique=True)
    went_well: str = ""
    do_differently: str = ""
    customer_feedback: str = ""
    lessons: str = ""
    next_step: str = ""
    follow_up: date | None = Field(default=None, index=True)
    rating: int | None = None
    next_call_id: int | None = Field(default=None, foreign_key="call.id", ondelete="SET NULL")
    created_at: datetime = _created()
    updated_at: datetime = _created()
    version: int = 1
    # When the rep finished it (ctrl+s); NULL while it is a draft saved as typed (migration 0003).
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Setting(SQLModel, table=True):
    """A small key/value store for preferences (owner name, theme)."""

    __tablename__ = "setting"
    key: str = Field(primary_key=True)
    value: str = ""
    created_at: datetime = _created()
    updated_at: datetime = _created()
