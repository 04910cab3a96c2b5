"""Turn exceptions into a title and a message in plain words for a toast."""

from __future__ import annotations

import logging

log = logging.getLogger("salestui")


def describe(error: BaseException | None) -> tuple[str, str]:
    """Title and message for a failure; unexpected ones are logged without customer text."""
    from salestui.store.accounts import InvalidInput
    from salestui.store.core import ReadFailed, StaleEdit, StoreError

    if isinstance(error, StaleEdit):
        return "Changed elsewhere", str(error)
    if isinstance(error, ReadFailed):
        return "Could not read", str(error)
    if isinstance(error, StoreError):
        return "Not saved", str(error)
    if isinstance(error, InvalidInput):
        return "Check your input", str(error)
    log.error("unexpected error: %s", type(error).__name__)
    return "Something went wrong", f"{type(error).__name__}: the change was not saved."
