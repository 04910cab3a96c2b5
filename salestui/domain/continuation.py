"""Tell an advance (the customer commits to act) from a continuation (nobody commits)."""

from __future__ import annotations

import re

EXPLANATION = (
    "An advance is something the customer commits to do; "
    "this reads like a continuation, where nobody on their side commits."
)

# Phrases that, on their own, describe a pleasant ending with no customer commitment.
_CONTINUATION_PATTERNS: tuple[str, ...] = (
    r"\bsend(ing)?\b.*\b(info|information|brochure|deck|details|material|literature|overview|slides)\b",
    r"\b(leave|left)\b.*\b(deck|brochure|material|info)\b",
    r"\bfollow(ing)?[- ]?up\b",
    r"\bkeep(ing)? in touch\b",
    r"\bstay in touch\b",
    r"\btouch(ing)? base\b",
    r"\bcheck(ing)?[- ]in\b",
    r"\bthink (about|it over)\b",
    r"\bget back to (us|me)\b",
    r"\b(will|'ll) (let us know|be in touch|consider)\b",
    r"\bgreat (meeting|call|chat)\b",
    r"\bcircle back\b",
    r"\breach out\b",
    r"\bping (them|him|her)\b",
    # The rep acting alone (an imperative at the start) is not a customer commitment.
    r"^(send|email|e-mail|mail|call|ring|phone|chase|remind|nudge)\b",
    r"\bwait(ing)? (for|on|until)\b",
    r"\b(hear|heard) back\b",
)

# Signs that the customer side commits to something concrete.
_COMMITMENT_PATTERNS: tuple[str, ...] = (
    r"\b(agrees?|agreed|commits?|committed|books?|booked|signs?|signed|schedules?|scheduled)\b",
    r"\b(introduces?|introduced|invites?|invited|sends? (us|our)|shares?|shared|provides?)\b",
    r"\b(joins?|attends?|sets? up|sets a meeting|approves?|approved|allocates?|runs? a)\b",
    r"\b(pilot|trial|order form|purchase order|contract|reference call|on-site|demo for)\b",
)


def _matches(patterns: tuple[str, ...], text: str) -> bool:
    return any(re.search(p, text) for p in patterns)


def looks_like_continuation(action: str) -> bool:
    """True when ``action`` reads like a continuation rather than a customer commitment."""
    text = " ".join(action.lower().split())
    if not text:
        return False
    return _matches(_CONTINUATION_PATTERNS, text) and not _matches(_COMMITMENT_PATTERNS, text)


def continuation_warning(action: str) -> str | None:
    """A one-line warning for an advance that reads like a continuation, else ``None``."""
    return EXPLANATION if looks_like_continuation(action) else None
