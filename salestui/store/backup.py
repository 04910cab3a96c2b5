"""Online backups with SQLite's backup API: consistent even while the app has the file open."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from salestui.domain.clock import now
from salestui.io.files import private_replacement
from salestui.store.preflight import DatabaseProblem, check_sqlite


def default_backup_path(database: Path, moment: datetime | None = None) -> Path:
    """``<data folder>/backups/salestui-YYYYmmdd-HHMMSS.db``."""
    stamp = (moment or now()).astimezone().strftime("%Y%m%d-%H%M%S")
    return database.parent / "backups" / f"{database.stem}-{stamp}.db"


def _copy(source_file: Path, destination_file: Path) -> None:
    """Copy one SQLite database into another page by page (SQLite's backup API)."""
    source = sqlite3.connect(f"file:{source_file}?mode=ro", uri=True, timeout=5)
    try:
        destination = sqlite3.connect(destination_file, timeout=5)
        try:
            source.backup(destination)
        finally:
            destination.close()
    finally:
        source.close()


def _copy_to_new(source_file: Path, target: Path) -> None:
    """Copy a database into a new private file at ``target`` (0600; atomic: all or no file)."""
    with private_replacement(target, make_folder=True) as temporary:
        _copy(source_file, temporary)


def backup(database: Path, target: Path) -> Path:
    """Copy ``database`` to ``target`` (0600, written atomically: a failed backup leaves no file)."""
    preflight = check_sqlite(database)
    if not preflight.exists:
        raise DatabaseProblem(f"There is no database at {database} to back up.")
    if target.exists():
        raise DatabaseProblem(f"{target} already exists; choose another name.")
    try:
        _copy_to_new(database, target)
    except sqlite3.Error as error:
        raise DatabaseProblem(f"Backup failed: {error}.") from None
    return target


def restore(backup_file: Path, database: Path) -> Path | None:
    """Replace ``database`` with ``backup_file``; the current database is backed up first.

    Returns the safety copy of the replaced database (``None`` if there was none).
    """
    check = check_sqlite(backup_file)
    if not check.exists:
        raise DatabaseProblem(f"{backup_file} is empty, not a backup.")
    safety = None
    try:
        if database.exists() and database.stat().st_size:
            safety = backup(database, database.with_name(f"{database.stem}.before-restore-{now():%Y%m%d-%H%M%S}.db"))
            _copy(backup_file, database)  # in place: a window that has it open sees the restored data
        else:
            _copy_to_new(backup_file, database)
    except sqlite3.Error as error:
        raise DatabaseProblem(f"Restore failed ({error}); your database is unchanged.") from None
    return safety
