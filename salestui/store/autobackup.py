"""Automatic daily backups beside the database: at most one a day, 7 daily and 4 weekly kept.

Taken on a thread of its own when a store opens an existing file, so neither the first frame
nor the store's readiness waits for it. Files are written under a temporary name and renamed
when complete: a process killed mid-copy never leaves a half backup that looks whole.
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from salestui.domain.clock import now

if TYPE_CHECKING:
    from salestui.store.core import Store

log = logging.getLogger("salestui.backup")

DAILY_KEPT = 7
WEEKLY_KEPT = 4
_AUTO = re.compile(r"^(?P<stem>.+)\.auto-(?P<day>\d{8})\.db$")


@dataclass(frozen=True, slots=True)
class BackupFile:
    """One file in ``backups/``: when it was taken and why it is kept."""

    path: Path
    taken: datetime
    size: int
    kind: str  # "daily", "weekly" or "manual"
    matched: str = "id"
    """``"id"``: it carries this database's id; ``"name"``: it has no id to compare (an older
    backup, or the database's own id cannot be read) and is matched by its file name."""


def folder(database: Path) -> Path:
    """``backups/`` beside the database."""
    return database.parent / "backups"


def auto_path(database: Path, day: date) -> Path:
    """Where the automatic backup of ``day`` goes: ``backups/<stem>.auto-YYYYmmdd.db``."""
    return folder(database) / f"{database.stem}.auto-{day:%Y%m%d}.db"


def _auto_days(database: Path) -> dict[date, Path]:
    found: dict[date, Path] = {}
    if not folder(database).is_dir():
        return found
    for path in folder(database).iterdir():
        match = _AUTO.match(path.name)
        if match and match["stem"] == database.stem:
            found[datetime.strptime(match["day"], "%Y%m%d").date()] = path  # noqa: DTZ007 (a date only)
    return found


def kept(days: list[date]) -> dict[date, str]:
    """Which automatic backups the rotation keeps: the newest 7 days, then the newest of 4 older weeks."""
    ordered = sorted(days, reverse=True)
    keep = {day: "daily" for day in ordered[:DAILY_KEPT]}
    weeks: list[tuple[int, int]] = []
    for day in ordered[DAILY_KEPT:]:
        week = day.isocalendar()[:2]
        if week in weeks or any(d.isocalendar()[:2] == week for d in keep):
            continue  # a week already represented keeps its newest backup only
        if len(weeks) == WEEKLY_KEPT:
            break
        weeks.append(week)
        keep[day] = "weekly"
    return keep


def take_daily(database: Path, today: date | None = None) -> Path | None:
    """Back up ``database`` unless today's backup exists; rotate; return the new file, if any.

    A database found damaged is not backed up (that would rotate good backups out): raises
    ``DatabaseProblem`` instead.
    """
    from salestui.store.backup import backup
    from salestui.store.integrity import QUICK_CHECK_MAX_BYTES, check_pages, doctor_hint
    from salestui.store.preflight import DatabaseProblem

    day = today or now().astimezone().date()
    target = auto_path(database, day)
    if target.exists():
        return None
    if database.stat().st_size > QUICK_CHECK_MAX_BYTES:
        # Too big to check on every open: checked here, once a day, through SQLite only (this
        # process has the store open: reading the file directly would drop SQLite's locks).
        findings = check_pages(database, limit=1)
        if findings:
            raise DatabaseProblem(
                f"{database} is damaged ({findings[0]}); nothing more will be saved: {doctor_hint(database)}."
            )
    private_folder(folder(database))
    backup(database, target, check=False)  # written aside, verified, then renamed into place
    rotate(database)
    return target


def private_folder(path: Path) -> None:
    """Create ``backups/`` readable by the user only (it holds customer data)."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    path.chmod(0o700)


def rotate(database: Path) -> list[Path]:
    """Delete the automatic backups the schedule no longer keeps (manual ones are never touched)."""
    days = _auto_days(database)
    keep = kept(list(days))
    removed = []
    for day, path in days.items():
        if day not in keep:
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def listing(database: Path) -> list[BackupFile]:
    """The backups of ``database`` in ``backups/``, newest first, marked daily, weekly or manual.

    Another database's backups in the same folder are left out (``backup.belongs``: by the
    database id each backup carries, by file name for backups without one). Temporaries left by
    a backup that was killed are removed on the way.
    """
    from salestui.store.backup import _stem, belongs, clean_stale, database_id

    if not folder(database).is_dir():
        return []
    clean_stale(folder(database))
    days = _auto_days(database)
    kinds = {path: kind for day, kind in kept(list(days)).items() for path in [days[day]]}
    own_id = database_id(database) if database.is_file() else None
    found = []
    for path in folder(database).iterdir():
        if path.name.startswith(".") or not path.is_file() or path.name.endswith(("-wal", "-shm", "-journal")):
            continue
        matched = belongs(database, path, own_id)
        if matched == "unreadable" and _stem(path.name) == database.stem:
            matched = "name"  # a damaged backup named after this database: listed, so it can be seen
        if matched not in ("id", "name"):
            continue
        stat = path.stat()
        taken = datetime.fromtimestamp(stat.st_mtime).astimezone()
        found.append(BackupFile(path, taken, stat.st_size, kinds.get(path, "manual"), matched))
    return sorted(found, key=lambda item: item.taken, reverse=True)


def start_daily(store: Store, database: Path) -> threading.Thread:
    """Take today's backup on a thread of its own; a damaged file stops the store's writes."""
    from salestui.store.preflight import DatabaseProblem

    def run() -> None:
        try:
            take_daily(database)
        except DatabaseProblem as problem:
            if "damaged" in str(problem):
                store.refuse_writes = str(problem)
            log.warning("automatic backup skipped: %s", type(problem).__name__)
        except OSError as error:
            log.warning("automatic backup failed: %s", error.strerror)

    # Not a daemon: a command that ends first waits for the copy instead of cutting it short.
    thread = threading.Thread(target=run, name="salestui-daily-backup")
    thread.start()
    return thread
