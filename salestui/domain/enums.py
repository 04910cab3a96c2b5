"""Vocabulary of the Sales Execution Model, as string enums stored verbatim in the database."""

from __future__ import annotations

from enum import StrEnum


class AccountStatus(StrEnum):
    """Whether the organisation already buys from us."""

    PROSPECT = "prospect"
    CUSTOMER = "customer"


class ContactRole(StrEnum):
    """A contact's role in the buying decision."""

    DECISION_MAKER = "decision_maker"
    INFLUENCER = "influencer"
    USER = "user"
    TECHNICAL = "technical"
    CHAMPION = "champion"
    OTHER = "other"


class ResearchCategory(StrEnum):
    """Where a research note is filed."""

    CUSTOMER = "customer"
    PRODUCT_FIT = "product_fit"
    COMPETITOR = "competitor"
    INDUSTRY = "industry"
    OTHER = "other"


class CallKind(StrEnum):
    """What kind of meeting a call is."""

    DISCOVERY = "discovery"
    DEMO = "demo"
    PROPOSAL = "proposal"
    NEGOTIATION = "negotiation"
    CHECK_IN = "check_in"
    OTHER = "other"


class CallStatus(StrEnum):
    """Lifecycle of a call."""

    PLANNED = "planned"
    DONE = "done"
    CANCELLED = "cancelled"


class AdvanceLevel(StrEnum):
    """Rung of the advance ladder; ``UNPLANNED`` is one the customer offered in the call."""

    STRETCH = "stretch"
    TARGET = "target"
    FALLBACK = "fallback"
    UNPLANNED = "unplanned"


LADDER: tuple[AdvanceLevel, ...] = (AdvanceLevel.STRETCH, AdvanceLevel.TARGET, AdvanceLevel.FALLBACK)


class Outcome(StrEnum):
    """How a call ended."""

    ADVANCE = "advance"  # a planned or unplanned advance was secured
    CONTINUATION = "continuation"
    LOST = "lost"
    CANCELLED = "cancelled"


class DebriefState(StrEnum):
    """How far a call's debrief got: not written, a draft saved as typed, or finished (ctrl+s)."""

    NONE = "none"
    DRAFT = "draft"
    DONE = "done"


class Achieved(StrEnum):
    """Whether the call's objective was achieved."""

    YES = "yes"
    PARTLY = "partly"
    NO = "no"


class QuestionKind(StrEnum):
    """SPIN kind of a question to ask (Rackham): situation, problem, implication, need-payoff."""

    NONE = "none"
    SITUATION = "situation"
    PROBLEM = "problem"
    IMPLICATION = "implication"
    NEED_PAYOFF = "need_payoff"


class Handling(StrEnum):
    """How a raised objection was handled."""

    NOT_RAISED = "not_raised"
    WELL = "well"
    BADLY = "badly"
    RAISED = "raised"  # raised, handling not judged yet


def label(value: StrEnum) -> str:
    """Human label of an enum value: ``decision_maker`` -> ``Decision maker``."""
    text = str(value.value).replace("_", " ")
    return "Check-in" if text == "check in" else text[:1].upper() + text[1:]
