"""Name the competitor of a new comparison; strengths, weaknesses and our edge are edited in place."""

from __future__ import annotations

from salestui.modals.form import FormField, FormModal


class CompetitorForm(FormModal):
    """The new-comparison dialog; returns ``{"competitor": name}`` or ``None``."""

    def __init__(self) -> None:
        super().__init__(
            "Compare our offer with which competitor?",
            [FormField("competitor", "Competitor", placeholder="Globex Flow", required=True)],
        )
