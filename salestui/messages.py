"""App-wide messages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.message import Message


class StoreReady(Message):
    """The database is open; screens may load their data."""


class DataChanged(Message):
    """A save committed; ``origin`` is the screen that asked for it (``None``: another window).

    Screens other than the origin reload: a list at once or when shown again, an edit screen
    when it is shown again (its own saves never reload it).
    """

    def __init__(self, origin: Any) -> None:
        super().__init__()
        self.origin = origin


class Delivered(Message):
    """A result of the store's writer thread, to run on the UI thread."""

    def __init__(self, callback: Callable[[], None]) -> None:
        super().__init__()
        self.callback = callback
