"""The one serial writer: every save the UI asks for runs here, in order, on one thread.

Why one thread: saves asked for in order must commit in order (pressing 3 after 2 in a call
leaves 3), and rapid edits of one record must chain its optimistic version instead of tripping
over each other. A queue drained by one owned thread gives both in a single place.

- ``submit(job, key=...)``: a job not yet started with the same ``key`` is replaced by the newer
  one, in its place in the queue (typing fast writes the latest text once, not every letter).
- ``submit(..., record="call:5")``: the job is called with the version the writer last saw for
  that record and returns the new one (or a record with a ``version``); the writer remembers it.
- ``done``/``failed`` are handed to ``deliver``, which the UI sets to run them on its own thread.
- ``flush()`` waits until everything submitted so far has committed (quitting, tests, exports).

Loads of an edit screen go through the queue too, so a load always sees the saves asked for
before it.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from salestui.store.core import Store

log = logging.getLogger("salestui.writer")

Deliver = Callable[[Callable[[], None]], None]


@dataclass
class _Job:
    run: Callable[[Store], Any]
    key: str | None
    record: str | None
    done: Callable[[Any], None] | None
    failed: Callable[[BaseException], None] | None
    description: str = field(default="save")


def _version_of(result: Any) -> int | None:
    """A versioned job returns the new version, a record carrying it, or a tuple led by either."""
    if isinstance(result, tuple) and result:
        result = result[0]
    if isinstance(result, bool):
        return None
    if isinstance(result, int):
        return result
    version = getattr(result, "version", None)
    if isinstance(version, int):
        return version
    nested = getattr(result, "debrief", None)
    return _version_of(nested) if nested is not None else None


def _run_here(callback: Callable[[], None]) -> None:
    callback()


class Writer:
    """Runs store jobs one at a time, in the order submitted, on a thread of its own."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._queue: deque[_Job] = deque()
        self._by_key: dict[str, _Job] = {}
        self._versions: dict[str, int] = {}
        self._changed = threading.Condition()
        self._busy = False
        self._closed = False
        self._thread: threading.Thread | None = None
        self.deliver: Deliver = _run_here
        """How results reach the caller; the app sets it to post them to its own thread."""

    # -- versions ------------------------------------------------------------------------------
    def seen(self, record: str, version: int) -> None:
        """A version read from the database (versions only grow: an older read is ignored)."""
        with self._changed:
            if version > self._versions.get(record, 0):
                self._versions[record] = version

    def forget(self, record: str) -> None:
        """The next save of ``record`` does not check its version (after a reload)."""
        with self._changed:
            self._versions.pop(record, None)

    def version(self, record: str) -> int | None:
        """The last version this writer saw or wrote for ``record``."""
        with self._changed:
            return self._versions.get(record)

    # -- queue -----------------------------------------------------------------------------------
    def submit(
        self,
        job: Callable[..., Any],
        *,
        key: str | None = None,
        record: str | None = None,
        done: Callable[[Any], None] | None = None,
        failed: Callable[[BaseException], None] | None = None,
        description: str = "save",
    ) -> None:
        """Queue ``job(store)`` (or ``job(store, version)`` with ``record``) behind every earlier one.

        ``description`` names the kind of work for logs: never customer text.
        """
        entry = _Job(job, key, record, done, failed, description)
        with self._changed:
            if self._closed:
                raise RuntimeError("the writer is closed")
            waiting = self._by_key.get(key) if key is not None else None
            if waiting is not None:
                # Coalesce: the newer value takes the older one's place in the queue.
                waiting.run, waiting.done, waiting.failed, waiting.record = job, done, failed, record
            else:
                self._queue.append(entry)
                if key is not None:
                    self._by_key[key] = entry
            self._start()
            self._changed.notify_all()

    def _start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._drain, name="salestui-writer", daemon=True)
            self._thread.start()

    def _drain(self) -> None:
        while True:
            with self._changed:
                self._changed.wait_for(lambda: bool(self._queue) or self._closed)
                if not self._queue:
                    return
                job = self._queue.popleft()
                if job.key is not None:
                    self._by_key.pop(job.key, None)
                self._busy = True
            try:
                self._run(job)
            finally:
                with self._changed:
                    self._busy = False
                    self._changed.notify_all()

    def _run(self, job: _Job) -> None:
        try:
            if job.record is None:
                result = job.run(self._store)
            else:
                result = job.run(self._store, self.version(job.record))
                version = _version_of(result)
                if version is not None:
                    self.seen(job.record, version)
        except BaseException as error:  # every failure reaches the UI, none stops the writer
            log.warning("%s failed: %s", job.description, type(error).__name__)
            if job.record is not None:
                self.forget(job.record)
            if job.failed is not None:
                failed = job.failed
                self.deliver(lambda caught=error: failed(caught))
            return
        if job.done is not None:
            done = job.done
            self.deliver(lambda: done(result))

    def pending(self) -> int:
        """Jobs queued or running."""
        with self._changed:
            return len(self._queue) + (1 if self._busy else 0)

    def flush(self, timeout: float | None = 10.0) -> bool:
        """Wait until every job submitted so far has run; ``False`` if ``timeout`` passed first."""
        with self._changed:
            if self._thread is threading.current_thread():
                return not self._queue
            return self._changed.wait_for(lambda: not self._queue and not self._busy, timeout=timeout)

    def close(self, timeout: float | None = 10.0) -> bool:
        """Finish what is queued, then stop the thread."""
        finished = self.flush(timeout)
        with self._changed:
            self._closed = True
            self._changed.notify_all()
        return finished
