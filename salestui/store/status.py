"""What the writer is holding, in a module of its own: the app shows it from its first frame,
before the writer (and its dataclasses) need importing."""

from __future__ import annotations

from typing import NamedTuple


class Status(NamedTuple):
    """``waiting`` changes not stored yet, ``problem`` why (``None``: all fine)."""

    waiting: int
    problem: str | None


ALL_SAVED = Status(0, None)
"""Nothing waiting."""
