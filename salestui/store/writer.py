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
- A job that fails for a reason that passes (``Unavailable``: a lock, a full disk, a server that
  is down) is kept at the head of the queue and retried with backoff; the jobs behind it wait,
  so the order still holds. ``on_status`` tells the UI how many changes are waiting and why, and
  ``unsaved()`` hands the ones that can be written down (``store.changes``) to the journal when
  the rep quits before the database is back.
- A job that is a ``FieldChange`` replacing one still waiting keeps the earlier one's base
  (``rebased``): the newer text was typed on top of the older, which never reached the database.

Loads of an edit screen go through the queue too, so a load always sees the saves asked for
before it.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from time import monotonic
from typing import TYPE_CHECKING, Any

from salestui.store.status import Status

if TYPE_CHECKING:
    from salestui.store.core import Store

log = logging.getLogger("salestui.writer")

Deliver = Callable[[Callable[[], None]], None]

RETRY_FIRST = 0.5
"""Seconds before the first retry of a save the database could not take; doubles up to ``RETRY_MOST``."""
RETRY_MOST = 8.0

SLOW = 3.0
"""Seconds without an answer after which a save is reported as waiting (a server that hangs)."""


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
        self._problem: str | None = None
        """Why the job at the head of the queue is waiting for a retry (``None``: not waiting)."""
        self._attempts = 0
        self._running: _Job | None = None
        self._running_since = 0.0
        self._applied: dict[str, tuple[Any, Any]] = {}
        """Per field, the value this writer last sent and what the database kept of it (merged):
        the next save of the field, typed on top of the value sent, is carried onto what was kept."""
        self.after_commit: Callable[[], None] | None = None
        """Called on the writer's thread after each save committed (the live-refresh watcher)."""
        self.on_status: Callable[[Status], None] | None = None
        """Told (through ``deliver``) when saves start waiting for the database and when they are stored."""
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
                # Coalesce: the newer value takes the older one's place in the queue; a change
                # keeps the base of the one it replaces (that one never reached the database).
                rebased = getattr(job, "rebased", None)
                if rebased is not None and type(waiting.run) is type(job):
                    job = rebased(waiting.run)
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
                if job.key is not None and self._by_key.get(job.key) is job:
                    self._by_key.pop(job.key, None)
                self._busy = True
                self._running, self._running_since = job, monotonic()
            kept = False
            try:
                kept = self._run(job)
            finally:
                with self._changed:
                    self._busy = False
                    self._running = None
                    if kept:
                        self._keep(job)
                    self._changed.notify_all()
            if kept:
                if self._closed:
                    return  # quitting: what is left goes to the journal (``unsaved``)
                self._wait_to_retry()
            elif self._problem is not None or self._attempts:
                self._recovered()

    def _keep(self, job: _Job) -> None:
        """Put a job the database could not take back at the head of the queue (lock held)."""
        if self._abandoned:
            return  # it is in the journal
        newer = self._by_key.get(job.key) if job.key is not None else None
        if newer is not None:
            # A newer save of the same field came in meanwhile: it replaces this one, in front.
            rebased = getattr(newer.run, "rebased", None)
            if rebased is not None and type(newer.run) is type(job.run):
                newer.run = rebased(job.run)
            self._queue.remove(newer)
            self._queue.appendleft(newer)
            return
        self._queue.appendleft(job)
        if job.key is not None:
            self._by_key[job.key] = job

    def _wait_to_retry(self) -> None:
        delay = min(RETRY_MOST, RETRY_FIRST * 2 ** max(0, self._attempts - 1))
        with self._changed:
            self._changed.wait_for(lambda: self._closed or self._retry_now, timeout=delay)
            self._retry_now = False

    _retry_now = False

    def retry_now(self) -> None:
        """Try the waiting saves again at once (the rep asked, or the database is known to be back)."""
        with self._changed:
            self._retry_now = True
            self._changed.notify_all()

    def _recovered(self) -> None:
        with self._changed:
            self._problem, self._attempts = None, 0
        self._tell()

    def _tell(self) -> None:
        if self.on_status is not None:
            status, tell = self.status(), self.on_status
            self.deliver(lambda: tell(status))

    def status(self) -> Status:
        """How many saves are waiting for the database, and why (``problem`` is ``None`` when none is).

        A save that has had no answer for ``SLOW`` seconds (a server that hangs) counts as a problem too.
        """
        with self._changed:
            waiting = len(self._queue) + (1 if self._busy else 0)
            problem = self._problem
            running = self._running
            # Only a change (a field, a key in the call) is expected to be quick; an import may take long.
            if problem is None and running is not None and getattr(running.run, "journal", None) is not None:
                silent = monotonic() - self._running_since
                if silent >= SLOW:
                    problem = f"The database has not answered for {silent:.0f} s."
            return Status(waiting if problem else 0, problem)

    def _run(self, job: _Job) -> bool:
        """Run one job; ``True`` when it must be kept for a retry (the database was unavailable)."""
        from salestui.store.changes import Applied, FieldChange
        from salestui.store.core import Unavailable

        original = job.run
        sent = job.run.value if isinstance(job.run, FieldChange) else None
        if isinstance(job.run, FieldChange) and job.run.key in self._applied:
            job.run = job.run.after(*self._applied[job.run.key])
        try:
            if job.record is None:
                result = job.run(self._store)
            else:
                result = job.run(self._store, self.version(job.record))
                version = _version_of(result)
                if version is not None:
                    self.seen(job.record, version)
            if isinstance(result, Applied):
                self._applied[result.change.key] = (sent, result.stored)
                if result.change is not original:
                    # Answer the change the rep made (not its rebase): whether the stored text is
                    # what was typed tells the field to show the merge.
                    result = replace(result, change=original)
                if result.version is not None:
                    self.seen(result.change.record, result.version)
            if self.after_commit is not None and job.description != "load":
                self.after_commit()
        except Unavailable as error:
            log.info("%s waits for the database: %s", job.description, type(error).__name__)
            with self._changed:
                first = self._problem is None
                self._problem, self._attempts = str(error), self._attempts + 1
            if first or self._attempts % 4 == 0:
                self._tell()
            return True
        except BaseException as error:  # every failure reaches the UI, none stops the writer
            log.warning("%s failed: %s", job.description, type(error).__name__)
            if job.record is not None:
                self.forget(job.record)
            if job.failed is not None:
                failed = job.failed
                self.deliver(lambda caught=error: failed(caught))
            return False
        if job.done is not None:
            done = job.done
            self.deliver(lambda: done(result))
        return False

    def unsaved(self) -> tuple[list[dict[str, Any]], int]:
        """The changes not stored yet, as journal lines, and how many others could not be written down."""
        with self._changed:
            if self._abandoned:
                return [], 0
            jobs = ([self._running] if self._running is not None else []) + list(self._queue)
        lines, others = [], 0
        for job in jobs:
            journal = getattr(job.run, "journal", None)
            if journal is not None:
                lines.append(journal())
            elif job.description != "load":
                others += 1
        return lines, others

    def abandon(self) -> None:
        """Stop: every job queued or running was written to the journal (the next start stores
        them). Nothing more runs, a running job that fails is not kept, none is journaled twice."""
        with self._changed:
            self._abandoned = self._closed = True
            self._queue.clear()
            self._by_key.clear()
            self._changed.notify_all()

    _abandoned = False

    @property
    def closed(self) -> bool:
        """The writer was closed (the app is quitting): nothing more can be submitted."""
        return self._closed

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
