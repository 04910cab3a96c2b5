"""Add an account: name (required), industry, status, city, website, phone."""

from __future__ import annotations

from salestui.domain.enums import AccountStatus, label
from salestui.modals.form import FormField, FormModal

STATUS_OPTIONS = tuple((label(s), s.value) for s in AccountStatus)


class AccountForm(FormModal):
    """The new-account dialog; returns the field values or ``None``."""

    def __init__(self, name: str = "") -> None:
        super().__init__(
            "New account",
            [
                # The accounts filter's text, suggested: selected, so typing replaces it.
                FormField("name", "Name", name, "Initech", required=True, selected=True),
                FormField("industry", "Industry", placeholder="Software"),
                FormField("status", "Status", options=STATUS_OPTIONS),
                FormField("city", "City"),
                FormField("website", "Website", placeholder="initech.example"),
                FormField("phone", "Phone"),
            ],
        )
