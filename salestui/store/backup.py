"""Online backups with SQLite's backup API: consistent even while the app has the file open."""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from pathlib import Path

from salestui.domain.clock import now
from salestui.store.preflight import DatabaseProblem, check_sqlite, read_only_uri


def default_backup_path(database: Path, moment: datetime | None = None) -> Path:
    """``<data folder>/backups/salestui-YYYYmmdd-HHMMSS.db``."""
    stamp = (moment or now()).astimezone().strftime("%Y%m%d-%H%M%S")
    return database.parent / "backups" / f"{database.stem}-{stamp}.db"


def _private_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)


def _copy(database: Path, destination_file: Path) -> None:
    """Page by page through SQLite's backup API, into one self-contained file."""
    source = sqlite3.connect(read_only_uri(database), uri=True, timeout=5)
    destination = sqlite3.connect(destination_file)
    try:
        source.backup(destination)
        # In WAL mode, merely opening the copy would add -wal/-shm beside it.
        destination.execute("PRAGMA journal_mode=DELETE")
    finally:
        source.close()
        destination.close()


def backup(database: Path, target: Path, check: bool = True) -> Path:
    """Copy ``database`` to ``target`` (0600, written beside it and renamed: a failed backup leaves no file).

    ``check=False`` skips the file-level preflight: required in a process that has the database
    open (the automatic backup), where reading the file directly would drop SQLite's locks.
    """
    from salestui.io.files import private_replacement

    if check and not check_sqlite(database, read_only=True).exists:
        raise DatabaseProblem(f"There is no database at {database} to back up.")
    if target.exists():
        raise DatabaseProblem(f"{target} already exists; choose another name.")
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        with private_replacement(target) as temporary:
            _copy(database, temporary)
    except sqlite3.Error as error:
        raise DatabaseProblem(f"Backup failed: {error}.") from None
    return target


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
        _private_file(database)
    with exclusive(database) as live:
        safety = None
        if not fresh:
            safety = _unique(database.with_name(f"{database.stem}.before-restore-{now():%Y%m%d-%H%M%S}.db"))
            _private_file(safety)
            copy = sqlite3.connect(safety)
            try:
                live.backup(copy)
            except sqlite3.Error as error:
                copy.close()
                safety.unlink(missing_ok=True)
                raise DatabaseProblem(f"Could not keep a copy of {database} ({error}); nothing was restored.") from None
            copy.close()
        source = sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True, timeout=5)
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
