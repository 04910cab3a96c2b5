"""The one message the plan's lists post to have a change saved (the screen owns the store)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:
    from salestui.store.core import Store

NEW = -1
"""``select`` value asking to highlight the row the job creates (its result is the new id)."""


class ListEdit(Message):
    """Save ``job(store)``, then show the lists as stored with ``select`` highlighted."""

    def __init__(
        self,
        list_name: str,
        job: Callable[[Store], Any],
        select: int | None = None,
        then: Callable[[Any], None] | None = None,
    ) -> None:
        super().__init__()
        self.list_name = list_name
        """``"checklist"``, ``"objections"`` or ``"questions"``: which list to highlight ``select`` in."""
        self.job = job
        self.select = select
        self.then = then
        """Called on the UI thread with the job's result once it is saved (a popup to open, a toast)."""
