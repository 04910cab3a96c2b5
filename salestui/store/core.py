"""The store: owns the engine, sessions and transactions; translates database errors."""

from __future__ import annotations

import getpass
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, update
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlmodel import Session, SQLModel

from salestui.domain.clock import now
from salestui.store.preflight import DatabaseProblem, check_sqlite
from salestui.store.schema import HEAD

if TYPE_CHECKING:
    from salestui.store.accounts import AccountRepo
    from salestui.store.calls import CallRepo
    from salestui.store.debriefs import DebriefRepo
    from salestui.store.review import ReviewRepo


class StoreError(Exception):
    """A database failure, with a message in plain words for a toast or a CLI line."""


class StaleEdit(StoreError):
    """Someone else (another window) changed the record since it was loaded."""


class NotFound(StoreError):
    """The record no longer exists."""


def plain_message(error: BaseException) -> str:
    """Turn a driver error into one sentence a rep understands."""
    text = str(getattr(error, "orig", error)).lower()
    if "locked" in text or "busy" in text:
        return "The database is busy in another window; try again in a moment."
    if "full" in text:
        return "The disk (or database) is full: free some space; your last edit was not saved."
    if "readonly" in text or "read-only" in text:
        return "The database is read-only: your last edit was not saved."
    if "malformed" in text or "not a database" in text:
        return "The database file is damaged: restore a backup (salestui restore)."
    return "The database could not save that change."


class Store:
    """Entry point for all persistence; screens call its repositories, never SQL."""

    def __init__(self, engine: Engine, owner: str | None = None) -> None:
        self.engine = engine
        self.owner = owner if owner is not None else _os_user()
        from salestui.store.accounts import AccountRepo
        from salestui.store.calls import CallRepo
        from salestui.store.debriefs import DebriefRepo
        from salestui.store.review import ReviewRepo

        self.accounts: AccountRepo = AccountRepo(self)
        self.calls: CallRepo = CallRepo(self)
        self.debriefs: DebriefRepo = DebriefRepo(self)
        self.review: ReviewRepo = ReviewRepo(self)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One explicit transaction: committed on success, rolled back on any error."""
        try:
            with Session(self.engine, expire_on_commit=False) as session, session.begin():
                yield session
        except (OperationalError, DBAPIError) as error:
            raise StoreError(plain_message(error)) from error

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only session (no commit)."""
        try:
            with Session(self.engine) as session:
                yield session
        except (OperationalError, DBAPIError) as error:
            raise StoreError(plain_message(error)) from error

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
                    if active.get(table, row_id) is None:
                        raise NotFound(f"That {table.__name__.lower()} was deleted in another window.")
                    raise StaleEdit(
                        "This was changed in another window since you opened it; reloaded the newer version."
                    )
                return int(row[0])
            if result.rowcount == 0:  # type: ignore[attr-defined]
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


def open_store(target: str | Path, owner: str | None = None) -> Store:
    """Open (and create or upgrade) the database at a path or SQLAlchemy URL."""
    from salestui.store.engine import backup_before_migration, make_engine, migrate, restrict_files, sqlite_url

    text = str(target)
    if "://" in text:
        engine = make_engine(text)
        try:
            migrate(engine)
        except (OperationalError, DBAPIError) as error:
            raise DatabaseProblem(f"Cannot open {engine.url.render_as_string()}: {plain_message(error)}") from None
        return Store(engine, owner)
    path = Path(text).expanduser()
    preflight = check_sqlite(path)
    if preflight.exists and preflight.revision is not None and not _known_revision(preflight.revision):
        raise DatabaseProblem(
            f"{path} was written by a newer salestui (schema {preflight.revision}); upgrade salestui to open it."
        )
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
    return Store(engine, owner)


def _known_revision(revision: str) -> bool:
    if revision == HEAD:
        return True
    versions = Path(__file__).parent / "migrations" / "versions"
    return any(p.stem == revision for p in versions.glob("*.py"))
