"""The automatic backup before a migration holds what is still in the WAL (e.g. after a kill -9)."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

from salestui.store.engine import backup_before_migration


def test_backup_before_migration_includes_wal_content(tmp_path: Path) -> None:
    db = tmp_path / "wal.db"
    writer = sqlite3.connect(db, isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("PRAGMA wal_autocheckpoint=0")  # as after a crash: committed rows only in the WAL
    writer.execute("CREATE TABLE alembic_version (version_num TEXT)")  # an old salestui database
    writer.execute("INSERT INTO alembic_version VALUES ('0001_initial')")
    writer.execute("CREATE TABLE note (body TEXT)")
    writer.execute("INSERT INTO note VALUES ('Debrief typed just before the crash')")
    assert Path(f"{db}-wal").stat().st_size > 0
    try:
        copy = backup_before_migration(db, "0001_initial")
        assert stat.S_IMODE(copy.stat().st_mode) == 0o600
        rows = sqlite3.connect(copy).execute("SELECT body FROM note").fetchall()
        assert rows == [("Debrief typed just before the crash",)]
        # A second attempt keeps the first copy and writes another one.
        again = backup_before_migration(db, "0001_initial")
        assert again != copy and copy.exists() and again.exists()
    finally:
        writer.close()
