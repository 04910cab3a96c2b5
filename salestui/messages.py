"""App-wide messages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.message import Message


class StoreReady(Message):
    """The database is open; screens may load their data."""


class DataChanged(Message):
    """A save committed; ``origin`` is the screen that asked for it (``None``: another window).

    ``keys`` names the records it touched (``call:5``); ``None`` when not known (a list edit,
    another window). Screens other than the origin that show one of them reload: the top one at
    once, the others when shown again (an edit screen's own saves never reload it).
    """

    def __init__(self, origin: Any, keys: frozenset[str] | None = None) -> None:
        super().__init__()
        self.origin = origin
        self.keys = keys


class Delivered(Message):
    """A result of the store's writer thread, to run on the UI thread."""

    def __init__(self, callback: Callable[[], None]) -> None:
        super().__init__()
        self.callback = callback
