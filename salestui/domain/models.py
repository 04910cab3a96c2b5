"""Plain read models that screens and rules work with; the store converts table rows to these."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from salestui.domain.enums import (
    AccountStatus,
    Achieved,
    AdvanceLevel,
    CallKind,
    CallStatus,
    ContactRole,
    DebriefState,
    Handling,
    Outcome,
    QuestionKind,
    ResearchCategory,
)


@dataclass(frozen=True, slots=True)
class Account:
    """A prospect or customer organisation."""

    id: int
    name: str
    industry: str = ""
    status: AccountStatus = AccountStatus.PROSPECT
    website: str = ""
    phone: str = ""
    city: str = ""
    notes: str = ""
    version: int = 1
    owner: str = ""
    """The rep whose account it is (``""``: written before owners, everyone's)."""


@dataclass(frozen=True, slots=True)
class AccountRow:
    """One line of the accounts list."""

    id: int
    name: str
    industry: str
    status: AccountStatus
    next_call_at: datetime | None
    last_outcome: Outcome | None
    owner: str = ""
    """The rep whose account it is."""


@dataclass(frozen=True, slots=True)
class Contact:
    """A person at an account with a role in the buying decision."""

    id: int
    account_id: int
    name: str
    title: str = ""
    role: ContactRole = ContactRole.OTHER
    email: str = ""
    phone: str = ""
    notes: str = ""
    version: int = 1


@dataclass(frozen=True, slots=True)
class ResearchNote:
    """What the rep learned, filed by category."""

    id: int
    account_id: int
    category: ResearchCategory
    body: str
    source: str = ""
    version: int = 1


@dataclass(frozen=True, slots=True)
class Comparison:
    """Our offer against one named competitor."""

    id: int
    account_id: int
    competitor: str
    their_strengths: str = ""
    their_weaknesses: str = ""
    our_edge: str = ""
    version: int = 1


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    """One preparation item of a call."""

    id: int
    position: int
    text: str
    done: bool = False


@dataclass(frozen=True, slots=True)
class Objection:
    """A concern the customer may raise, with the planned response and what happened."""

    id: int
    text: str
    response: str = ""
    raised: bool = False
    handling: Handling = Handling.NOT_RAISED
    came_up_unplanned: bool = False
    position: int = 0


@dataclass(frozen=True, slots=True)
class Question:
    """A question to ask in the call, its SPIN kind, what the rep hopes to learn, and the answer."""

    id: int
    text: str
    kind: QuestionKind = QuestionKind.NONE
    hope: str = ""
    asked: bool = False
    answer: str = ""
    position: int = 0


@dataclass(frozen=True, slots=True)
class PracticeRun:
    """A rehearsal of the call: when, how long, and the items the rep marked shaky."""

    id: int
    at: datetime
    seconds: int
    shaky: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Advance:
    """A customer action that moves the sale forward."""

    id: int
    level: AdvanceLevel
    action: str
    owner: str = ""
    due: date | None = None
    secured: bool = False


@dataclass(frozen=True, slots=True)
class CallNote:
    """A timestamped note typed during the call."""

    id: int
    at: datetime
    text: str


@dataclass(frozen=True, slots=True)
class CoachingNote:
    """Coaching on a call, pinned to a part of its plan (``domain.coaching.Part``)."""

    id: int
    call_id: int
    part: str
    text: str
    author: str = ""
    part_id: int | None = None
    done: bool = False
    done_at: datetime | None = None
    created_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Rider:
    """A colleague riding along on a call, and what they saw (their own words, after the call)."""

    id: int
    call_id: int
    name: str
    saw: str = ""
    saw_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Debrief:
    """The honest evaluation after a call."""

    id: int
    call_id: int
    went_well: str = ""
    do_differently: str = ""
    customer_feedback: str = ""
    lessons: str = ""
    next_step: str = ""
    follow_up: date | None = None
    rating: int | None = None
    next_call_id: int | None = None
    updated_at: datetime | None = None
    version: int = 1
    finished_at: datetime | None = None  # set once the rep finished it; a draft until then

    @property
    def finished(self) -> bool:
        """True once the rep finished the debrief (a draft only keeps what was typed)."""
        return self.finished_at is not None


@dataclass(frozen=True, slots=True)
class CallSummary:
    """One line of a call list (home, review, account history)."""

    id: int
    account_id: int
    account_name: str
    scheduled_at: datetime | None
    kind: CallKind
    status: CallStatus
    objective: str
    outcome: Outcome | None
    readiness: int | None
    debrief_state: DebriefState
    follow_up: date | None = None
    happened_at: datetime | None = None
    """When the call took place (``rules.happened_at``); review lines always carry it."""
    owner: str = ""
    """The rep whose call it is."""

    @property
    def debriefed(self) -> bool:
        """True only for a finished debrief: a draft does not count as debriefed."""
        return self.debrief_state is DebriefState.DONE


@dataclass(frozen=True, slots=True)
class CallPlan:
    """A call with everything planned for it and what happened in it."""

    id: int
    account_id: int
    account_name: str
    scheduled_at: datetime | None
    kind: CallKind
    status: CallStatus
    objective: str = ""
    goal: str = ""
    strategy: str = ""
    expected_return: str = ""
    contact_ids: tuple[int, ...] = ()
    checklist: tuple[ChecklistItem, ...] = ()
    objections: tuple[Objection, ...] = ()
    advances: tuple[Advance, ...] = ()
    questions: tuple[Question, ...] = ()
    practice: PracticeRun | None = None
    """The latest practice run, if the call was rehearsed."""
    notes: tuple[CallNote, ...] = ()
    outcome: Outcome | None = None
    achieved: Achieved | None = None
    started_at: datetime | None = None
    ended_at: datetime | None = None
    readiness_at_start: int | None = None
    carried_from_call_id: int | None = None
    version: int = 1
    debrief: Debrief | None = field(default=None)
    owner: str = ""
    """The rep whose call it is: another rep's plan and debrief open read-only."""
    coaching: tuple[CoachingNote, ...] = ()
    """Coaching notes on the plan, oldest first."""
    riders: tuple[Rider, ...] = ()
    """Colleagues riding along (internal attendees)."""

    def advance(self, level: AdvanceLevel) -> Advance | None:
        """The planned advance at ``level``, if any."""
        return next((a for a in self.advances if a.level is level), None)

    @property
    def secured_advance(self) -> Advance | None:
        """The advance secured in the call, if one was."""
        return next((a for a in self.advances if a.secured), None)
