"""Is a SQLite file sound? Cheap header check, ``quick_check`` / ``integrity_check``, exclusive access.

Standard library only: the header check runs before the first frame, and restore and doctor
work on files that SQLAlchemy should never be asked to open.
"""

from __future__ import annotations

import sqlite3
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from salestui.store.preflight import DatabaseProblem

HEADER_SIZE = 100
# quick_check reads every page: 27-47 ms at 6 MB (1,000 calls), 87 ms at 18 MB, 0.3-0.5 s at
# 54 MB, 6.6 s at 511 MB on the shared 2-core machine (README, "Your data"). Files up to this
# size are checked on every open, larger ones once a day by the automatic backup's thread.
QUICK_CHECK_MAX_BYTES = 16 * 1024 * 1024
EXCLUSIVE_TIMEOUT_S = 3.0


def doctor_hint(path: Path) -> str:
    """The one line that points a rep at the repair tool."""
    return f"run `salestui doctor --db {path}` to check it and repair it from a backup"


def header_problem(path: Path) -> str | None:
    """What is wrong with the file's 100-byte header and size, ``None`` when they agree.

    Catches truncation (a copy cut short, a full disk): the header records the page size and,
    when the change counter matches the version-valid-for number, the page count.

    Reads the file directly: never call it in a process that has SQLite connections open on
    ``path``, because closing any descriptor of a file drops every POSIX lock the process holds
    on it, and SQLite's locks with them.
    """
    size = path.stat().st_size
    if size < HEADER_SIZE:
        return f"the file is only {size} bytes long"
    with path.open("rb") as handle:
        header = handle.read(HEADER_SIZE)
    page_size = struct.unpack(">H", header[16:18])[0]
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        return "its header is damaged (impossible page size)"
    if size % page_size:
        return f"it is cut short ({size:,} bytes is not a whole number of {page_size}-byte pages)"
    change_counter, pages = struct.unpack(">II", header[24:32])
    valid_for = struct.unpack(">I", header[92:96])[0]
    # Pages still in the WAL may make the file *longer* than its header says, never shorter.
    if pages and change_counter == valid_for and size < pages * page_size:
        return f"it is cut short ({size:,} of {pages * page_size:,} bytes)"
    return None


def connect_ro(path: Path) -> sqlite3.Connection:
    """A read-only connection that never waits long for a writer (WAL readers do not block)."""
    from salestui.store.preflight import read_only_uri

    return sqlite3.connect(read_only_uri(path), uri=True, timeout=5, isolation_level=None)


def check_pages(path: Path, full: bool = False, limit: int = 20) -> list[str]:
    """``quick_check`` (or the slower ``integrity_check``) findings; an empty list when sound.

    Raises ``DiskFull`` when the check could not run because the disk is full (that is not damage).
    """
    from salestui.store.preflight import full_disk_error

    pragma = "integrity_check" if full else "quick_check"
    try:
        connection = connect_ro(path)
    except sqlite3.Error as error:
        full_disk = full_disk_error(path, error)
        if full_disk is not None:
            raise full_disk from None
        return [f"cannot be opened ({error})"]
    try:
        rows = [str(row[0]) for row in connection.execute(f"PRAGMA {pragma}({limit})")]
    except sqlite3.DatabaseError as error:
        full_disk = full_disk_error(path, error)
        if full_disk is not None:
            raise full_disk from None
        return [str(error)]
    finally:
        connection.close()
    if rows == ["ok"]:
        return []
    # SQLite prefixes findings with "*** in database main ***" and may put several on one row.
    lines = (line.strip() for row in rows for line in row.splitlines())
    return [line for line in lines if line and not line.startswith("***")][:limit] or rows[:1]


def check_on_open(path: Path, pages: bool | None = None) -> None:
    """The start-up check of an existing file: header always, ``quick_check`` when small.

    ``pages=True`` runs ``quick_check`` whatever the size (the daily check of large files).

    Raises ``DatabaseProblem`` (one line pointing at ``salestui doctor``) instead of letting
    writes go ahead on a damaged file.
    """
    problem = header_problem(path)
    if pages is None:
        pages = path.stat().st_size <= QUICK_CHECK_MAX_BYTES
    if problem is None and pages:
        findings = check_pages(path, limit=1)
        problem = findings[0] if findings else None
    if problem is not None:
        raise DatabaseProblem(f"{path} is damaged ({problem}); nothing was written: {doctor_hint(path)}.")


def verify_backup(path: Path) -> str | None:
    """Check a file before it replaces a database; return its schema revision.

    Refuses (``DatabaseProblem``) a file that is not a salestui database, is damaged
    (header, full ``integrity_check``) or comes from an unknown (newer) schema.
    """
    from salestui.store.preflight import _known_revision

    if not path.is_file():
        raise DatabaseProblem(f"{path} is not a file.")
    if path.stat().st_size == 0:
        raise DatabaseProblem(f"{path} is empty, not a backup.")
    with path.open("rb") as handle:
        if handle.read(16) != b"SQLite format 3\x00":
            raise DatabaseProblem(f"{path} is not a SQLite database.")
    problem = header_problem(path)
    findings = [problem] if problem else check_pages(path, full=True, limit=3)
    if findings:
        raise DatabaseProblem(f"{path} is damaged ({findings[0]}): it was not restored and nothing changed.")
    connection = connect_ro(path)
    try:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        row = (
            connection.execute("SELECT version_num FROM alembic_version").fetchone()
            if "alembic_version" in tables
            else None
        )
    finally:
        connection.close()
    revision = row[0] if row else None
    if revision is None:
        raise DatabaseProblem(f"{path} is not a salestui database (no schema revision): nothing changed.")
    if not _known_revision(revision):
        raise DatabaseProblem(
            f"{path} comes from a newer salestui (schema {revision}): upgrade salestui to restore it."
        )
    return str(revision)


@contextmanager
def exclusive(path: Path, timeout: float = EXCLUSIVE_TIMEOUT_S) -> Iterator[sqlite3.Connection]:
    """Hold ``path`` exclusively: no other connection, in any process, may read or write meanwhile.

    In WAL mode SQLite grants this only when no other connection has the file open, so an open
    app or a running import is refused in plain words instead of being overwritten.
    """
    connection = sqlite3.connect(path, timeout=timeout, isolation_level=None)
    try:
        connection.execute("PRAGMA locking_mode=EXCLUSIVE")
        # The write lock is kept after COMMIT in exclusive mode, until the connection closes.
        connection.execute("BEGIN EXCLUSIVE")
        connection.execute("COMMIT")
    except sqlite3.OperationalError as error:
        connection.close()
        if "locked" in str(error) or "busy" in str(error):
            raise DatabaseProblem(
                f"{path} is open in another window or command (salestui or another program): "
                "close it, then try again. Nothing was changed."
            ) from None
        raise DatabaseProblem(f"{path} cannot be locked ({error}); nothing was changed.") from None
    try:
        yield connection
    finally:
        connection.close()
