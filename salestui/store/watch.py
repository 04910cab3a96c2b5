"""Live refresh: notice, within about a second, that another window or rep changed the database.

- **SQLite**: ``PRAGMA data_version`` on a connection of its own changes whenever *another*
  connection commits. Our own writer's commits are other connections too, so the writer tells
  the watcher after each commit (``own_commit``) and the watcher takes the value it then reads
  as seen: only a commit by another program (another window) is reported.
- **PostgreSQL**: triggers (migration 0013) ``NOTIFY salestui_changes`` with the record each
  change touched (``call:5``) and the server process that made it; the watcher ``LISTEN``\\ s on
  a connection of its own and drops what this app's own connections did.

``on_change(keys)`` runs on the watcher's thread with the records changed (``None``: not known).
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from time import monotonic
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy import Engine

log = logging.getLogger("salestui.watch")

INTERVAL = 0.5
"""Seconds between two looks (SQLite) or the longest wait for a notification (PostgreSQL)."""

CHANNEL = "salestui_changes"

MANY = 200
"""More records than this changed at once (an import): reported as "not known", one reload for all."""

OnChange = Callable[[frozenset[str] | None], None]


class Watcher:
    """A thread that reports changes made by others (see the module docstring)."""

    def __init__(self, engine: Engine, on_change: OnChange) -> None:
        self._engine = engine
        self._on_change = on_change
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._sqlite: sqlite3.Connection | None = None
        self._seen: int | None = None
        self.own_pids: set[int] = set()
        """PostgreSQL server processes of this app's own connections (their changes are not news)."""

    # -- life ------------------------------------------------------------------------------------
    def start(self) -> None:
        """Start watching (a database that cannot be watched is left alone, with a log line)."""
        dialect = self._engine.dialect.name
        if dialect == "sqlite":
            database = self._engine.url.database
            if not database or database == ":memory:":
                return
            self._sqlite = sqlite3.connect(Path(database), check_same_thread=False, isolation_level=None)
            self._seen = self._data_version()
            target: Callable[[], None] = self._watch_sqlite
        elif dialect == "postgresql":
            from sqlalchemy import event

            event.listen(self._engine, "connect", self._note_pid)
            # Connections opened before the listener was set have pids it does not know: start afresh.
            self._engine.dispose()
            target = self._watch_postgresql
        else:
            return
        self._thread = threading.Thread(target=target, name="salestui-watch", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop the thread and close its connection."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(2 * INTERVAL + 1)
        if self._sqlite is not None:
            with self._lock:
                self._sqlite.close()
                self._sqlite = None

    # -- SQLite ------------------------------------------------------------------------------------
    def _data_version(self) -> int | None:
        connection = self._sqlite
        if connection is None:
            return None
        try:
            return int(connection.execute("PRAGMA data_version").fetchone()[0])
        except sqlite3.Error:
            return None  # locked, gone, full: the next look tries again

    def own_commit(self) -> None:
        """This app committed: what the database holds now is known here (writer thread)."""
        with self._lock:
            if self._sqlite is not None:
                self._seen = self._data_version()

    def _watch_sqlite(self) -> None:
        while not self._stop.wait(INTERVAL):
            with self._lock:
                now = self._data_version()
                changed = now is not None and now != self._seen
                if now is not None:
                    self._seen = now
            if changed:
                self._on_change(None)

    # -- PostgreSQL --------------------------------------------------------------------------------
    def _note_pid(self, connection: Any, _record: Any) -> None:
        with contextlib.closing(connection.cursor()) as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            self.own_pids.add(int(cursor.fetchone()[0]))
        connection.rollback()  # not left idle in a transaction until first used

    def _watch_postgresql(self) -> None:
        while not self._stop.is_set():
            try:
                self._listen()
            except Exception as error:  # noqa: BLE001  (server gone: listen again once it is back)
                log.info("change notifications interrupted: %s", type(error).__name__)
                self._stop.wait(4 * INTERVAL)

    def _listen(self) -> None:
        import psycopg

        url = self._engine.url.set(drivername="postgresql")
        dsn = url.render_as_string(hide_password=False)
        with psycopg.connect(dsn, autocommit=True, connect_timeout=5) as connection:
            connection.execute(f"LISTEN {CHANNEL}")
            keys: set[str] = set()
            told = 0.0
            while not self._stop.is_set():
                for note in connection.notifies(timeout=INTERVAL, stop_after=500):
                    key, _, pid = note.payload.partition("|")
                    if not pid.isdigit() or int(pid) not in self.own_pids:
                        keys.update(part for part in key.split(",") if part)
                # At most one report per interval, whatever a teammate's import sends (a row each).
                if keys and monotonic() - told >= INTERVAL:
                    self._on_change(frozenset(keys) if len(keys) <= MANY else None)
                    keys, told = set(), monotonic()
