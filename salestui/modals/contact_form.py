"""Add a contact: name (required), title, role in the decision, email, phone."""

from __future__ import annotations

from salestui.domain.enums import ContactRole, label
from salestui.modals.form import FormField, FormModal

ROLE_OPTIONS = tuple((label(r), r.value) for r in ContactRole)


class ContactForm(FormModal):
    """The new-contact dialog; returns the field values or ``None``."""

    def __init__(self, account_name: str) -> None:
        super().__init__(
            f"New contact at {account_name}",
            [
                FormField("name", "Name", placeholder="Dana Whitfield", required=True),
                FormField("title", "Title", placeholder="CFO"),
                FormField("role", "Role", value=ContactRole.OTHER.value, options=ROLE_OPTIONS),
                FormField("email", "Email"),
                FormField("phone", "Phone"),
            ],
        )
