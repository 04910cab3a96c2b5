"""Online backups with SQLite's backup API: consistent even while the app has the file open."""

from __future__ import annotations

import os
import re
import sqlite3
import time
from datetime import datetime
from pathlib import Path

from salestui.domain.clock import now
from salestui.io.files import fsync_path
from salestui.store.preflight import DatabaseProblem, check_sqlite, read_only_uri


def default_backup_path(database: Path, moment: datetime | None = None) -> Path:
    """``<data folder>/backups/salestui-YYYYmmdd-HHMMSS.db``."""
    stamp = (moment or now()).astimezone().strftime("%Y%m%d-%H%M%S")
    return database.parent / "backups" / f"{database.stem}-{stamp}.db"


def private_file(path: Path) -> None:
    """Create ``path`` (and its folder, 0700) readable by the user only, if it does not exist."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)


# A copy in progress: ``.<target name>.<writer pid>.backup.tmp`` beside the target. One that is
# left behind (a kill -9 mid-copy) is removed by the next backup, listing or doctor run in that
# folder once its writer is gone, or once it has not grown for STALE_AFTER_S.
_TEMPORARY = re.compile(r"^\..+\.(?P<pid>\d+)\.backup\.tmp(-journal)?$")
# What earlier versions left: mkstemp's ``.<name>.<random>.tmp`` and the daily ``.partial``.
_OLD_TEMPORARY = re.compile(
    r"^\..+\.(db|bak|partial)\.[a-z0-9_]{8}\.tmp(-journal)?$"  # mkstemp's, beside a backup or a .partial
    r"|^\..+\.db\.partial(-journal)?$"  # the daily backup's own partial file
)
STALE_AFTER_S = 10 * 60


def _temporary(target: Path) -> Path:
    return target.with_name(f".{target.name}.{os.getpid()}.backup.tmp")


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists, owned by someone else
        return True
    return True


def clean_stale(folder: Path, moment: float | None = None) -> list[Path]:
    """Remove the temporary files of backups that will never finish; return them.

    A temporary whose writer process is gone is removed at once; any other (a writer id reused,
    or a file from an older version) once it has not changed for ``STALE_AFTER_S``.
    """
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    moment = time.time() if moment is None else moment
    for path in folder.iterdir():
        match = _TEMPORARY.match(path.name)
        if match is None and _OLD_TEMPORARY.match(path.name) is None:
            continue
        try:
            old = moment - path.stat().st_mtime > STALE_AFTER_S
            if old or (match is not None and not _alive(int(match["pid"]))):
                path.unlink()
                removed.append(path)
        except OSError:
            continue  # gone meanwhile, or not ours to remove
    return removed


def _copy(database: Path, destination_file: Path) -> None:
    """Page by page through SQLite's backup API, into one self-contained file."""
    source = sqlite3.connect(read_only_uri(database), uri=True, timeout=5)
    try:
        destination = sqlite3.connect(destination_file)
    except sqlite3.Error:
        source.close()
        raise
    try:
        source.backup(destination)
        # In WAL mode, merely opening the copy would add -wal/-shm beside it.
        destination.execute("PRAGMA journal_mode=DELETE")
    finally:
        source.close()
        destination.close()


def verify_copy(copy: Path) -> None:
    """``PRAGMA integrity_check`` on a backup just written; ``DatabaseProblem`` when it fails."""
    from salestui.store.integrity import check_pages

    findings = check_pages(copy, full=True, limit=3)
    if findings:
        raise DatabaseProblem(f"the copy failed its check ({findings[0]})")


def backup(database: Path, target: Path, check: bool = True) -> Path:
    """Copy ``database`` to ``target`` (0600), check the copy, then rename it into place.

    The copy is written beside the target under a temporary name and verified with SQLite's
    ``integrity_check`` before the rename: a failed or unsound backup leaves no file, and a
    temporary left by a killed backup is cleaned up (``clean_stale``).

    ``check=False`` skips the file-level preflight: required in a process that has the database
    open (the automatic backup), where reading the file directly would drop SQLite's locks.
    """
    from salestui.store.preflight import full_disk_error

    if check and not check_sqlite(database, read_only=True).exists:
        raise DatabaseProblem(f"There is no database at {database} to back up.")
    if target.exists():
        raise DatabaseProblem(f"{target} already exists; choose another name.")
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    clean_stale(target.parent)
    temporary = _temporary(target)
    try:
        temporary.unlink(missing_ok=True)
        private_file(temporary)
        _copy(database, temporary)
        verify_copy(temporary)
        fsync_path(temporary)
        os.replace(temporary, target)
        fsync_path(target.parent)
    except (sqlite3.Error, OSError, DatabaseProblem) as error:
        for leftover in (temporary, Path(f"{temporary}-journal")):
            leftover.unlink(missing_ok=True)
        full = full_disk_error(target, error)
        if full is not None:
            raise DatabaseProblem(
                f"Backup failed: the disk holding {target.parent} is full; nothing was written."
            ) from None
        if isinstance(error, OSError):
            raise DatabaseProblem(f"Backup failed: {error.strerror or error} ({target.parent}).") from None
        raise DatabaseProblem(f"Backup failed: {error}.") from None
    return target


_UNREADABLE = "\0unreadable"


def _read_id(database: Path) -> str | None:
    """The recorded id, ``None`` when there is none, ``_UNREADABLE`` when the file cannot be read."""
    from salestui.store.integrity import connect_ro

    try:
        connection = connect_ro(database)
    except (sqlite3.Error, DatabaseProblem):
        return _UNREADABLE
    try:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "setting" not in tables:
            return None
        row = connection.execute("SELECT value FROM setting WHERE key = 'database_id'").fetchone()
    except sqlite3.Error:
        return _UNREADABLE
    finally:
        connection.close()
    return str(row[0]) if row and row[0] else None


def database_id(database: Path) -> str | None:
    """The id recorded in a database or backup file (setting ``database_id``), ``None`` when it has
    none or cannot be read. Read through SQLite only (a damaged file may still give it).
    """
    found = _read_id(database)
    return None if found == _UNREADABLE else found


def _stem(name: str) -> str:
    """The database name a backup file was named after: ``a`` for ``a-20261206-101500.db``,
    ``a.auto-20261206.db``, ``a.before-repair-….db``, ``a.before-restore-….db``, ``a.db.before-0011….bak``.
    """
    for pattern in (
        r"^(?P<stem>.+)\.auto-\d{8}\.db$",
        r"^(?P<stem>.+)\.before-(repair|restore)-\d{8}-\d{6}(\.\d+)?\.db$",
        r"^(?P<stem>.+)\.db\.before-.+\.bak$",
        r"^(?P<stem>.+)-\d{8}-\d{6}(\.\d+)?\.db$",
    ):
        match = re.match(pattern, name)
        if match:
            return match["stem"]
    return name.rsplit(".", 1)[0]


def belongs(database: Path, candidate: Path, own_id: str | None) -> str | None:
    """How ``candidate`` is a backup of ``database``: ``"id"`` (the same database id), ``"name"``
    (no id to compare, same file-name stem), ``"unreadable"`` (it cannot be read, so whose it is
    is unknown: it cannot be restored either), ``None`` when it is another database's.

    A backup carries the id in its own ``setting`` table (it is a copy of the database), so it
    still matches after the database file is renamed; a backup made before databases had an id
    (or of a database whose id cannot be read, a damaged one) is matched by its file name.
    """
    theirs = _read_id(candidate)
    if theirs == _UNREADABLE:
        return "unreadable"
    if own_id is not None and theirs is not None:
        return "id" if theirs == own_id else None
    return "name" if _stem(candidate.name) == database.stem else None


def restore(backup_file: Path, database: Path) -> Path | None:
    """Replace ``database`` with ``backup_file``; the current database is backed up first.

    The backup is verified (``integrity_check``, a known schema revision) before anything is
    touched. The live database is then held exclusively (refused while another window or
    command has it open), and both the safety copy and the replacement happen under that lock,
    so no write can land between them. Returns the safety copy (``None`` if there was none).
    """
    from salestui.store.integrity import exclusive, verify_backup

    verify_backup(backup_file)
    if database.exists() and database.resolve() == backup_file.resolve():
        raise DatabaseProblem(f"{backup_file} is the database itself; choose a backup.")
    fresh = not database.exists() or database.stat().st_size == 0
    if fresh:
        private_file(database)
    with exclusive(database) as live:
        safety = None
        if not fresh:
            safety = _unique(database.with_name(f"{database.stem}.before-restore-{now():%Y%m%d-%H%M%S}.db"))
            private_file(safety)
            copy = sqlite3.connect(safety)
            try:
                live.backup(copy)
            except sqlite3.Error as error:
                copy.close()
                safety.unlink(missing_ok=True)
                raise DatabaseProblem(f"Could not keep a copy of {database} ({error}); nothing was restored.") from None
            try:
                copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal/-shm beside it
            finally:
                copy.close()
            try:
                verify_copy(safety)  # the safety copy is checked like every backup before anything is replaced
            except DatabaseProblem as problem:
                safety.unlink(missing_ok=True)
                raise DatabaseProblem(
                    f"Could not keep a sound copy of {database} ({problem}); nothing was restored."
                ) from None
        source = sqlite3.connect(read_only_uri(backup_file), uri=True, timeout=5)
        try:
            source.backup(live)
        except sqlite3.Error as error:
            raise DatabaseProblem(f"Restore failed ({error}); your database is unchanged.") from None
        finally:
            source.close()
    return safety


def _unique(path: Path) -> Path:
    """``path``, or ``name.1.db``, ``name.2.db``… when it exists (two restores in one second)."""
    candidate, attempt = path, 1
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}.{attempt}{path.suffix}")
        attempt += 1
    return candidate
