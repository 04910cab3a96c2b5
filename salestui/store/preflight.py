"""Check a database path with the standard library only, before anything heavy is imported."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from salestui.store.schema import HEAD

_SQLITE_MAGIC = b"SQLite format 3\x00"


class DatabaseProblem(Exception):
    """A database that cannot be used, with a message for the user in plain words."""


class DiskFull(DatabaseProblem):
    """The disk holding the database is full: nothing is damaged, and nothing was changed."""


# Below this much free space, a read that fails with an I/O error is the disk's, not the file's.
DISK_FULL_BYTES = 1024 * 1024
_SQLITE_IOERR, _SQLITE_FULL, _SQLITE_CANTOPEN = 10, 13, 14


def disk_full(path: Path) -> bool:
    """True when the folder of ``path`` has (almost) no space left for an unprivileged writer."""
    try:
        stats = os.statvfs(path.parent if not path.is_dir() else path)
    except (OSError, AttributeError):  # no statvfs (Windows) or no folder: not known to be full
        return False
    return stats.f_bavail * stats.f_frsize < DISK_FULL_BYTES


def disk_full_problem(path: Path) -> DiskFull:
    """The one line for a full disk: not damage, so nothing to repair and nothing changed."""
    return DiskFull(
        f"the disk holding {path} is full: free some space, then try again. "
        "The database is not damaged and nothing was changed."
    )


def full_disk_error(path: Path, error: BaseException) -> DiskFull | None:
    """``error`` as a ``DiskFull`` when a full disk caused it (SQLite FULL, ENOSPC, or an I/O error
    or a file that cannot be opened while the disk has no space left), else ``None``.

    A database closed cleanly in WAL mode needs its ``-shm`` file to be read: on a full disk
    SQLite cannot create it and reports a disk I/O error, which is not damage.
    """
    import errno

    if isinstance(error, OSError) and error.errno == errno.ENOSPC:
        return disk_full_problem(path)
    code = getattr(error, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    if primary == _SQLITE_FULL or (primary in (_SQLITE_IOERR, _SQLITE_CANTOPEN) and disk_full(path)):
        return disk_full_problem(path)
    return None


@dataclass(frozen=True, slots=True)
class Preflight:
    """What start-up must do with the database file."""

    path: Path
    exists: bool
    revision: str | None

    @property
    def needs_migration(self) -> bool:
        """True when the file is new or at an older revision."""
        return self.revision != HEAD


def ensure_private_dir(folder: Path) -> None:
    """Create the data folder readable by the user only (customer data lives here)."""
    from salestui.io.files import PRIVATE_FOLDER

    if not folder.exists():
        folder.mkdir(parents=True, mode=PRIVATE_FOLDER)


def check_sqlite(path: Path, read_only: bool = False, schema: bool = True) -> Preflight:
    """Validate ``path`` as a salestui database; raise ``DatabaseProblem`` with a clear message.

    ``read_only``: for commands that only read (export, backup, agenda): a read-only file or
    folder is fine, and a missing file is reported as missing (no folder is created).
    ``schema=False``: the file's schema revision is not read (``revision`` is ``None``): SQLite
    parses the whole schema to answer, ~10 ms; the store reads it again when it opens anyway.
    """
    if path.is_dir():
        raise DatabaseProblem(f"{path} is a directory, not a database file.")
    if not path.exists() and read_only:
        return Preflight(path=path, exists=False, revision=None)
    if not path.exists():
        folder = path.parent
        try:
            ensure_private_dir(folder)
        except OSError as error:
            raise DatabaseProblem(f"Cannot create the folder {folder}: {error.strerror}.") from None
        if not _writable(folder):
            raise DatabaseProblem(f"Cannot create {path}: the folder {folder} is not writable.")
        return Preflight(path=path, exists=False, revision=None)
    if not os.access(path, os.R_OK):
        raise DatabaseProblem(f"Cannot read {path}: permission denied.")
    if not read_only and (not _writable(path) or not _writable(path.parent)):
        raise DatabaseProblem(f"{path} is read-only: salestui saves every edit, so it needs write access.")
    if path.stat().st_size == 0:
        return Preflight(path=path, exists=False, revision=None)
    with path.open("rb") as handle:
        if handle.read(len(_SQLITE_MAGIC)) != _SQLITE_MAGIC:
            raise DatabaseProblem(f"{path} is not a SQLite database.")
    from salestui.store.integrity import doctor_hint, header_problem

    damage = header_problem(path)
    if damage is not None:
        raise DatabaseProblem(f"{path} is damaged ({damage}); nothing was written: {doctor_hint(path)}.")
    revision = _revision(path) if schema else None
    if revision is not None and not _known_revision(revision):
        raise DatabaseProblem(
            f"{path} was written by a newer salestui (schema {revision}); upgrade salestui to open it."
        )
    return Preflight(path=path, exists=True, revision=revision)


def _known_revision(revision: str) -> bool:
    # Revision files are named after their ids, so no Alembic import is needed here.
    versions = Path(__file__).parent / "migrations" / "versions"
    return revision == HEAD or (versions / f"{revision}.py").exists()


def _writable(path: Path) -> bool:
    # Mode bits too: root may write anything, but a file marked read-only is meant to stay so.
    return os.access(path, os.W_OK) and bool(path.stat().st_mode & 0o222)


def read_only_uri(path: Path) -> str:
    """The SQLite URI that reads ``path`` without ever writing it or waiting for a writer.

    ``mode=ro``: a WAL reader, which sees the last commit and never blocks. A WAL database in a
    folder we cannot write needs its ``-shm`` file to exist already; when it does not and there
    is no ``-wal`` either (the file was closed cleanly: everything is in it), the file is read
    as ``immutable``. With a ``-wal`` but no ``-shm`` it cannot be read at all: raises
    ``DatabaseProblem`` in one line.
    """
    from urllib.parse import quote

    uri = f"file:{quote(str(path.absolute()))}?mode=ro"
    shm, wal = Path(f"{path}-shm"), Path(f"{path}-wal")
    if path.parent.exists() and not _writable(path.parent) and not shm.exists():
        if wal.exists() and wal.stat().st_size > 0:
            raise DatabaseProblem(
                f"{path} cannot be read here: its folder is read-only and SQLite must create {shm.name} "
                f"beside it to read the changes in {wal.name}; open it once where the folder is writable."
            )
        uri += "&immutable=1"
    return uri


def _revision(path: Path) -> str | None:
    try:
        connection = sqlite3.connect(read_only_uri(path), uri=True, timeout=5)
    except sqlite3.Error as error:
        raise full_disk_error(path, error) or DatabaseProblem(f"{path} cannot be opened: {error}.") from None
    try:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "alembic_version" not in tables:
            if tables:
                raise DatabaseProblem(f"{path} is a SQLite database, but not one of salestui's.")
            return None
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else None
    except sqlite3.DatabaseError as error:
        from salestui.store.integrity import doctor_hint

        full = full_disk_error(path, error)
        if full is not None:
            raise full from None
        raise DatabaseProblem(f"{path} is damaged and cannot be read ({error}): {doctor_hint(path)}.") from None
    finally:
        connection.close()
