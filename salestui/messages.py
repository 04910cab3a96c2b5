"""App-wide messages."""

from __future__ import annotations

from textual.message import Message


class StoreReady(Message):
    """The database is open; screens may load their data."""


class DataChanged(Message):
    """Something was saved that other screens show (they reload on resume)."""
