"""The store: owns the engine, sessions and transactions; translates database errors."""

from __future__ import annotations

import getpass
import os
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, delete, select, update
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, SQLModel

from salestui.domain.clock import now
from salestui.store.preflight import DatabaseProblem, check_sqlite

if TYPE_CHECKING:
    from salestui.store.accounts import AccountRepo
    from salestui.store.calls import CallRepo
    from salestui.store.debriefs import DebriefRepo
    from salestui.store.review import ReviewRepo
    from salestui.store.watch import Watcher


class StoreError(Exception):
    """A database failure, with a message in plain words for a toast or a CLI line."""


class StaleEdit(StoreError):
    """Someone else (another window) changed the record since it was loaded."""


class Unavailable(StoreError):
    """The database cannot take the write now for a reason that passes: a lock held past the busy
    timeout, a full disk, a server that is down. The writer keeps such a save and retries it."""


#: SQLite result codes (the primary code, the low byte) that pass: busy, locked, I/O error, full.
_SQLITE_PASSING = frozenset({5, 6, 10, 13})


def _passes(original: BaseException) -> bool:
    """Whether retrying later may succeed, told by the error's code, never by its text (which can
    hold the rep's own data: a duplicate name "Busy Bee" is not a busy database)."""
    code = getattr(original, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF in _SQLITE_PASSING
    state = getattr(original, "sqlstate", None)
    if isinstance(state, str) and state:
        # lock_not_available, serialization failure, deadlock, insufficient resources (disk full,
        # too many connections), the server shutting down or starting, a lost connection.
        return state in ("55P03", "40001", "40P01") or state.startswith(("53", "57P", "08"))
    # A driver error with no code at all: the connection failed before the server answered.
    return type(original).__name__ in ("OperationalError", "InterfaceError")


def failure(error: BaseException) -> StoreError:
    """The ``StoreError`` for a driver error: ``Unavailable`` when retrying later may succeed."""
    message = plain_message(error)
    if _passes(getattr(error, "orig", error)):
        return Unavailable(message)
    return StoreError(message)


class ReadFailed(StoreError):
    """A read the database could not answer: nothing was being saved (``errors.describe``: "Could not read")."""


class ReadUnavailable(ReadFailed, Unavailable):
    """A read that failed for a reason that passes (a lock, a server that is down)."""


SAVE_FAILED = "The database could not save that change."
READ_FAILED = "The database could not read that; nothing was changed."


def read_failure(error: BaseException) -> ReadFailed:
    """``failure`` for a read: the same plain words, without a save that never happened."""
    message = plain_message(error)
    message = READ_FAILED if message == SAVE_FAILED else message.replace("; your last edit was not saved", "")
    message = message.replace(": your last edit was not saved", "")
    if _passes(getattr(error, "orig", error)):
        return ReadUnavailable(message)
    return ReadFailed(message)


class NotFound(StoreError):
    """The record no longer exists."""


class NotYours(StoreError):
    """On a team database: the record belongs to another rep (row-level security refused the write)."""


OTHER_REPS = "That record belongs to another rep: you can read it, not change it."


def plain_message(error: BaseException) -> str:
    """Turn a driver error into one sentence a rep understands."""
    original = getattr(error, "orig", error)
    if "ux_account_owner_name" in str(original) or "account.owner, account.name_key" in str(original):
        return "You already have an account with that name."
    if "row-level security" in str(original).lower():
        return OTHER_REPS
    if getattr(original, "sqlstate", None) == CROSS_OWNER_DELETE:
        return _primary(original)  # names the other rep and the count (migration 0016_team_hardening)
    # A connection failure (no SQLSTATE: the server never answered a statement) may be TLS's.
    tls = (
        None
        if getattr(original, "sqlstate", None) or hasattr(original, "sqlite_errorcode")
        else _tls_message(str(original))
    )
    if tls is not None:
        return tls
    server = _server_message(getattr(original, "sqlstate", None) or "", str(original).lower())
    if server is not None:
        return server
    text = str(original).lower()
    if "locked" in text or "busy" in text:
        return "The database is busy in another window; try again in a moment."
    if "full" in text:
        return "The disk (or database) is full: free some space; your last edit was not saved."
    if "readonly" in text or "read-only" in text:
        return "The database is read-only: your last edit was not saved."
    if "malformed" in text or "not a database" in text:
        return "The database file is damaged: run `salestui doctor` to check it and repair it from a backup."
    return SAVE_FAILED


#: SQLSTATE of a delete the database refused because it would take another rep's rows (0016).
CROSS_OWNER_DELETE = "SLT01"


def _primary(original: BaseException) -> str:
    """The server's own message, first line only (without its CONTEXT lines)."""
    diag = getattr(original, "diag", None)
    primary = getattr(diag, "message_primary", None)
    return str(primary or str(original).splitlines()[0])


def _tls_message(text: str) -> str | None:
    """A TLS (SSL) failure or an invalid ``sslmode`` in plain words (libpq's reason kept)."""
    lowered = text.lower()
    if "invalid sslmode value" in lowered:
        return (
            "The URL's sslmode is not valid: use disable, allow, prefer, require, verify-ca or verify-full "
            "(e.g. ?sslmode=verify-full)."
        )
    if "closed unexpectedly" in lowered or not any(part in lowered for part in ("ssl", "certificate", "tls")):
        return None
    reason = text.splitlines()[0].rsplit("failed: ", 1)[-1].strip()
    return (
        f"The TLS (SSL) connection to the database server failed: {reason}. Check sslmode and sslrootcert in the URL."
    )


def _server_message(code: str, text: str) -> str | None:
    """Messages for a database server (PostgreSQL SQLSTATE codes, then connection failures)."""
    if code == "55P03":  # lock_not_available: another session held the row past lock_timeout
        return "The database is busy in another window; try again in a moment."
    if code in ("40001", "40P01"):
        return "Someone else changed this at the same moment: nothing was saved; try again."
    if code == "53100" or "no space left" in text:
        return "The database server's disk is full: your last edit was not saved; tell whoever runs the server."
    if code in ("53300", "57P03") or "too many clients" in text:
        return "The database server is too busy (too many connections): try again in a moment."
    if "no password supplied" in text:
        return (
            "The database server asks for a password: put it in ~/.pgpass (or PGPASSWORD), "
            "or start salestui in a terminal to be asked for it."
        )
    if code.startswith("28") or "authentication failed" in text:
        return "The database server refused the login: check the user name and the password (~/.pgpass or PGPASSWORD)."
    if code == "3D000" or ("database" in text and "does not exist" in text):
        return "That database does not exist on the server: create it first (createdb)."
    if code == "42501" and any(f"table {name}" in text for name in ("setting", "checklist_template_item")):
        return "On a team database only the administrator changes the team's settings and checklist template."
    if ("role" in text and "does not exist" in text) or code == "42501":
        return "The database server does not know that user, or the user lacks the rights."
    if code == "25006":
        return "The database is read-only: your last edit was not saved."
    unreachable = (
        "connection refused",
        "could not connect",
        "connection failed",
        "timeout expired",
        "failed to resolve host",
        "could not translate host name",
        "name or service not known",
        "server closed the connection",
        "terminating connection",
        "connection is closed",
        "consuming input failed",
    )
    if code.startswith("08") or code.startswith("57P") or any(part in text for part in unreachable):
        return "The database server cannot be reached: is it running, and is the address in the URL right?"
    return None


class Store:
    """Entry point for all persistence; screens call its repositories, never SQL."""

    def __init__(self, engine: Engine, owner: str | None = None) -> None:
        self.engine = engine
        self.owner = owner if owner is not None else _os_user()
        # False: lists show the rep's own accounts and calls; True: the whole team's (scope.py).
        self.team_view = False
        self.refuse_writes: str | None = None
        """Set when the file was found damaged after opening: every write is refused with it."""
        self.writes_records = True
        """False for a team's manager: she reads every record and adds none (``owner.writes_records``)."""
        self._ambient = threading.local()
        self.daily_backup: threading.Thread | None = None
        """Today's automatic backup, running beside the store (``autobackup.py``)."""
        from salestui.store.accounts import AccountRepo
        from salestui.store.calls import CallRepo
        from salestui.store.debriefs import DebriefRepo
        from salestui.store.review import ReviewRepo

        self.accounts: AccountRepo = AccountRepo(self)
        self.calls: CallRepo = CallRepo(self)
        self.debriefs: DebriefRepo = DebriefRepo(self)
        self.review: ReviewRepo = ReviewRepo(self)
        from salestui.store.writer import Writer

        self.writer = Writer(self)
        """The one serial writer the UI saves through (``writer.py``)."""
        self.watcher: Watcher | None = None
        """Reports other windows' changes once ``watch`` is called (the TUI does)."""

    def watch(self, on_change: Callable[[frozenset[str] | None], None]) -> None:
        """Report changes other windows and reps commit (``watch.py``), from now until ``close``."""
        from salestui.store.watch import Watcher

        self.watcher = Watcher(self.engine, on_change)
        self.writer.after_commit = self.watcher.own_commit
        self.watcher.start()

    def close(self, timeout: float = 10.0) -> None:
        """Finish queued saves, then close every connection (SQLite folds the WAL back into the file)."""
        self.writer.close(timeout)
        if self.watcher is not None:
            self.watcher.stop()
        self.engine.dispose()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One explicit transaction: committed on success, rolled back on any error.

        Inside ``atomic()`` on the same thread it joins the enclosing transaction instead.
        """
        if self.refuse_writes is not None:
            raise StoreError(self.refuse_writes)
        ambient = getattr(self._ambient, "session", None)
        if ambient is not None:
            yield ambient
            return
        try:
            with Session(self.engine, expire_on_commit=False) as session, session.begin():
                yield session
        except (OperationalError, DBAPIError) as error:
            raise failure(error) from error
        except StaleDataError as error:
            # An ORM update matched no row although the row was read: on SQLite it was deleted
            # meanwhile; on a team database row-level security hides another rep's rows from writes.
            if self.engine.dialect.name == "sqlite":
                raise NotFound("That record was deleted in another window.") from error
            raise NotYours(OTHER_REPS) from error

    @contextmanager
    def atomic(self) -> Iterator[Session]:
        """All-or-nothing: every ``transaction()`` and ``reading()`` on this thread joins one transaction."""
        if getattr(self._ambient, "session", None) is not None:
            raise RuntimeError("atomic() does not nest")
        with self.transaction() as session:
            self._ambient.session = session
            try:
                yield session
            finally:
                self._ambient.session = None

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only session (no commit); inside ``atomic()`` it sees the work not yet committed."""
        ambient = getattr(self._ambient, "session", None)
        if ambient is not None:
            yield ambient
            return
        try:
            with Session(self.engine) as session:
                yield session
        except (OperationalError, DBAPIError) as error:
            raise read_failure(error) from error

    def delete_row(self, table: type[SQLModel], row_id: int, session: Session | None = None) -> None:
        """Delete one row by id (the database cascades to the rows under it); a row already gone is
        fine, a row row-level security keeps this login from deleting is refused with ``NotYours``."""
        column = table.__table__.columns["id"]  # type: ignore[attr-defined]

        def run(active: Session) -> None:
            deleted = active.execute(delete(table).where(column == row_id)).rowcount  # type: ignore[attr-defined]
            if deleted == 0 and active.execute(select(column).where(column == row_id)).first() is not None:
                raise NotYours(OTHER_REPS)

        if session is not None:
            run(session)
            return
        with self.transaction() as active:
            run(active)

    def update_fields(
        self,
        table: type[SQLModel],
        row_id: int,
        values: Mapping[str, Any],
        expected_version: int | None = None,
        session: Session | None = None,
    ) -> int | None:
        """Save some fields of one row; with ``expected_version``, refuse a stale edit.

        Returns the row's new version (``None`` for tables without one).
        """
        columns = table.__table__.columns  # type: ignore[attr-defined]
        unknown = set(values) - set(columns.keys())
        if unknown:
            raise ValueError(f"unknown fields for {table.__name__}: {sorted(unknown)}")
        changes: dict[str, Any] = {**values, "updated_at": now()}
        statement = update(table).where(columns["id"] == row_id)
        versioned = "version" in columns
        if versioned:
            changes["version"] = columns["version"] + 1
            if expected_version is not None:
                statement = statement.where(columns["version"] == expected_version)
        statement = statement.values(changes)
        if versioned:
            statement = statement.returning(columns["version"])

        def run(active: Session) -> int | None:
            result = active.execute(statement)
            if versioned:
                row = result.first()
                if row is None:
                    current = active.get(table, row_id)
                    if current is None:
                        raise NotFound(f"That {table.__name__.lower()} was deleted in another window.")
                    if expected_version is None or getattr(current, "version", None) == expected_version:
                        # Not stale, yet not updated: row-level security hid it from this login.
                        raise NotYours(OTHER_REPS)
                    raise StaleEdit(
                        "This was changed in another window since you opened it; reloaded the newer version."
                    )
                return int(row[0])
            if result.rowcount == 0:  # type: ignore[attr-defined]
                if active.get(table, row_id) is not None:
                    raise NotYours(OTHER_REPS)
                raise NotFound(f"That {table.__name__.lower()} was deleted in another window.")
            return None

        if session is not None:
            return run(session)
        with self.transaction() as active:
            return run(active)


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "me"


def open_store(target: str | Path, owner: str | None = None, read_only: bool = False) -> Store:
    """Open (and create or upgrade) the database at a path or SQLAlchemy URL.

    ``owner`` (else ``$SALESTUI_OWNER``) names the rep; without either, the name recorded in
    the database for this login is used, and on first open the OS user name is recorded.

    ``read_only`` (export, agenda): a SQLite file is opened for reading only, see
    :func:`open_read_only`.
    """
    if read_only and "://" not in str(target):
        return open_read_only(Path(target).expanduser(), owner)
    path = None if "://" in str(target) else Path(target).expanduser()
    existed = path is not None and path.is_file() and path.stat().st_size > 0
    engine = open_engine(target)
    try:
        store = _with_owner(Store(engine), owner)
    except StoreError as error:
        engine.dispose()
        where = engine.url.render_as_string(hide_password=True)
        raise DatabaseProblem(f"Cannot open {where}: {error}") from None
    if existed and path is not None:
        from salestui.store.autobackup import start_daily

        store.daily_backup = start_daily(store, path)  # a new, empty database has nothing to keep
    return store


READ_ONLY = "This database was opened read-only (for an export or a listing): nothing can be saved."


def open_read_only(path: Path, owner: str | None = None) -> Store:
    """A store that only reads ``path``: it works on a read-only file or folder, never waits for a
    writer (a WAL reader sees the last commit), and writes nothing, not even the schema upgrade,
    the rep's name or the daily backup. Raises ``DatabaseProblem`` in one line otherwise.
    """
    from salestui.store.engine import make_read_only_engine
    from salestui.store.integrity import check_on_open
    from salestui.store.owner import login, recorded_owner

    preflight = check_sqlite(path, read_only=True)
    if not preflight.exists:
        raise DatabaseProblem(f"There is no database at {path}.")
    check_on_open(path)
    if preflight.needs_migration:
        raise DatabaseProblem(
            f"{path} has an older schema ({preflight.revision}): open it once with salestui, "
            "with write access, to upgrade it."
        )
    engine = make_read_only_engine(path)
    store = Store(engine, owner="")
    store.refuse_writes = READ_ONLY
    try:
        store.owner = owner or os.environ.get("SALESTUI_OWNER") or recorded_owner(store) or login()
    except StoreError as error:
        engine.dispose()
        raise DatabaseProblem(f"Cannot read {path}: {error}") from None
    return store


def open_engine(target: str | Path) -> Engine:
    """An engine on the database at a path or URL, created or upgraded to the current schema."""
    from salestui.store.engine import backup_before_migration, make_engine, migrate, restrict_files, sqlite_url

    text = str(target)
    if "://" in text:
        from salestui.store.engine import engine_for_url, server_revision
        from salestui.store.schema import HEAD

        engine = engine_for_url(text)
        where = engine.url.render_as_string(hide_password=True)
        try:
            if server_revision(engine) != HEAD:
                migrate(engine)
        except (OperationalError, DBAPIError) as error:
            engine.dispose()
            raise DatabaseProblem(f"Cannot open {where}: {plain_message(error)}") from None
        except DatabaseProblem:
            engine.dispose()
            raise
        return engine
    path = Path(text).expanduser()
    preflight = check_sqlite(path)
    if preflight.exists:
        from salestui.store.integrity import check_on_open

        check_on_open(path)  # a damaged file is refused before anything writes to it
    else:
        from salestui.store.backup import private_file

        private_file(path)  # created 0600 before SQLite opens it (its -wal and -shm follow its mode)
    engine = make_engine(sqlite_url(path))
    if preflight.needs_migration:
        if preflight.exists:
            backup_before_migration(path, preflight.revision)
        try:
            migrate(engine)
        except (OperationalError, DBAPIError) as error:
            engine.dispose()
            raise DatabaseProblem(f"Cannot prepare {path}: {plain_message(error)}") from None
    restrict_files(path)
    return engine


def _with_owner(store: Store, owner: str | None) -> Store:
    """Settle who the rep is, recording the name in the database the first time."""
    from salestui.store.owner import settle_owner, writes_records

    try:
        store.owner = settle_owner(store, owner or os.environ.get("SALESTUI_OWNER") or None)
        store.writes_records = writes_records(store)
    except StoreError as error:
        if "read-only" not in str(error):
            raise
        store.owner = owner or _os_user()  # a read-only database still opens
    return store
