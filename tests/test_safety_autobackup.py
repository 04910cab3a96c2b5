"""Issue 17, case 4: automatic daily backups beside the database, rotated, listed, never in the way."""

from __future__ import annotations

import sqlite3
import threading
from datetime import date, timedelta
from pathlib import Path

import pytest

from salestui.cli import main
from salestui.store import autobackup
from salestui.store.core import StoreError, open_store


def _existing(path: Path, *names: str) -> Path:
    store = open_store(path, owner="tester")
    for name in names:
        store.accounts.create(name)
    store.close()
    return path


def _open_and_wait(path: Path):  # type: ignore[no-untyped-def]
    store = open_store(path, owner="tester")
    assert store.daily_backup is not None
    store.daily_backup.join(timeout=30)
    return store


def test_opening_an_existing_database_takes_one_private_backup_a_day(tmp_path, frozen_now):
    db = _existing(tmp_path / "sales.db", "Initech")
    assert not (tmp_path / "backups").exists()  # a brand-new database has nothing to keep
    _open_and_wait(db).close()
    (taken,) = (tmp_path / "backups").iterdir()
    assert taken.name == "sales.auto-20261123.db"
    assert (tmp_path / "backups").stat().st_mode & 0o777 == 0o700
    assert taken.stat().st_mode & 0o777 == 0o600
    copy = sqlite3.connect(taken)
    assert copy.execute("SELECT name FROM account").fetchall() == [("Initech",)]
    assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)  # one self-contained file
    _open_and_wait(db).close()  # same day: no second copy
    copy.close()
    assert len(list((tmp_path / "backups").iterdir())) == 1


def test_the_backup_runs_beside_the_store_not_before_it(tmp_path, monkeypatch):
    db = _existing(tmp_path / "sales.db", "Initech")
    release = threading.Event()
    monkeypatch.setattr(autobackup, "take_daily", lambda _path: release.wait(10))
    store = open_store(db, owner="tester")
    try:
        # The store is usable while the backup is still running.
        assert store.daily_backup is not None and store.daily_backup.is_alive()
        store.accounts.create("Globex")
    finally:
        release.set()
        store.close()


def test_rotation_keeps_seven_daily_and_four_weekly(tmp_path):
    db = _existing(tmp_path / "sales.db")
    backups = tmp_path / "backups"
    backups.mkdir()
    first = date(2026, 9, 1)
    for offset in range(60):
        (backups / f"sales.auto-{first + timedelta(days=offset):%Y%m%d}.db").write_bytes(b"x")
    (backups / "sales-20260901-120000.db").write_bytes(b"manual")
    (backups / "other.auto-20260901.db").write_bytes(b"another database's")
    autobackup.rotate(db)
    left = sorted(p.name for p in backups.iterdir())
    assert "sales-20260901-120000.db" in left and "other.auto-20260901.db" in left
    autos = sorted(p for p in left if p.startswith("sales.auto-"))
    assert len(autos) == 11
    newest = first + timedelta(days=59)
    assert autos[-7:] == [f"sales.auto-{newest - timedelta(days=n):%Y%m%d}.db" for n in range(6, -1, -1)]
    weekly = [date(int(n[11:15]), int(n[15:17]), int(n[17:19])) for n in autos[:4]]
    assert len({d.isocalendar()[:2] for d in weekly}) == 4  # one per week
    assert (newest - weekly[0]).days < 7 * 6  # about five weeks of history


def test_backup_list_shows_daily_weekly_and_manual(tmp_path, capsys, frozen_now):
    db = _existing(tmp_path / "sales.db", "Initech")
    _open_and_wait(db).close()
    assert main(["backup", "--db", str(db)]) == 0
    capsys.readouterr()
    assert main(["backup", "--list", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "sales.auto-20261123.db" in out and "daily" in out and "manual" in out
    assert str(tmp_path / "backups") in out


def test_a_large_file_is_checked_by_the_daily_job_and_damage_stops_writes(tmp_path, monkeypatch):
    from tests.test_safety_restore import _bulky, _scribble

    db = _bulky(tmp_path / "big.db")
    _scribble(db)
    # Pretend the file is too big for the check on open: the daily job checks it instead.
    monkeypatch.setattr("salestui.store.integrity.QUICK_CHECK_MAX_BYTES", 1024)
    store = _open_and_wait(db)
    try:
        assert store.refuse_writes is not None
        with pytest.raises(StoreError, match="salestui doctor"):
            store.accounts.create("Not on a damaged file")
        assert not autobackup.auto_path(db, date.today()).exists()  # no damaged copy rotates good ones out
    finally:
        store.close()
