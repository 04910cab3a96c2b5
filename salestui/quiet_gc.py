"""Full garbage collections out of the rep's way.

A full collection walks every object the process tracks. In salestui that is Textual, SQLAlchemy
and their caches: one took 141 ms at 1,000 calls and landed on whatever key the rep had just
pressed (traced on a pty: call detail opened in 55-130 ms, or in 230-250 ms when one ran).
Two measures, for the real terminal app only (``salestui`` on the command line; the tests'
apps leave the process's collector alone):

- ``freeze_startup``: once the store is open, what was imported and built so far (modules,
  classes, SQLAlchemy's tables and mappers, the stylesheet) lives as long as the process;
  ``gc.freeze`` takes it out of every later collection.
- ``IdleCollector``: Python's automatic full collections are made ten times rarer, and one runs
  when the rep has not touched a key or the mouse for ``QUIET`` seconds and at least as many
  young collections have piled up as would have triggered one (a rep who never pauses still
  gets the rarer automatic ones).
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from time import monotonic

QUIET = 0.5
"""Seconds without input before a full collection may run: longer than the gaps between keys
while typing, shorter than a pause to read the screen."""

FULL_AFTER = 10
"""Python's default: a full collection after this many generation-1 collections."""

AUTOMATIC_FULL_AFTER = 100
"""The automatic full collection, ten times rarer: the idle one normally comes first."""


def freeze_startup() -> None:
    """Keep everything that exists now out of later collections, and make automatic full ones rare."""
    gc.freeze()
    young, middle, _full = gc.get_threshold()
    gc.set_threshold(young, middle, AUTOMATIC_FULL_AFTER)


class IdleCollector:
    """Runs a full collection in a pause of the rep's input (``tick`` is called on a timer)."""

    def __init__(
        self,
        clock: Callable[[], float] = monotonic,
        pending: Callable[[], int] | None = None,
        collect: Callable[[], object] | None = None,
    ) -> None:
        self._clock = clock
        self._pending = pending or (lambda: gc.get_count()[2])
        self._collect = collect or (lambda: gc.collect())
        self._last_input = clock()

    def input_seen(self) -> None:
        """The rep pressed a key or used the mouse."""
        self._last_input = self._clock()

    def due(self) -> bool:
        """A pause long enough, and enough young collections since the last full one."""
        return self._clock() - self._last_input >= QUIET and self._pending() >= FULL_AFTER

    def tick(self) -> bool:
        """Collect if due; True when it did."""
        if not self.due():
            return False
        self._collect()
        return True
