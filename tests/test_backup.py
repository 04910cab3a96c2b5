"""Backups use SQLite's online backup API, are private, and restore asks first."""

from __future__ import annotations

import sqlite3

from salestui.cli import main
from salestui.store.core import open_store


def test_backup_while_open_and_restore(tmp_path, capsys):
    db = tmp_path / "live.db"
    store = open_store(db)
    store.accounts.create("Before backup")
    copy = tmp_path / "copy.db"
    # The app keeps the database open (WAL) while the backup runs.
    assert main(["backup", str(copy), "--db", str(db)]) == 0
    assert (copy.stat().st_mode & 0o777) == 0o600
    store.accounts.create("After backup")
    store.close()
    assert main(["restore", str(copy), "--db", str(db), "--yes"]) == 0
    names = [r.name for r in open_store(db).accounts.rows()]
    assert names == ["Before backup"]
    safety = list(tmp_path.glob("live.before-restore-*.db"))
    assert len(safety) == 1
    assert sqlite3.connect(safety[0]).execute("SELECT count(*) FROM account").fetchone()[0] == 2


def test_restore_refuses_without_confirmation_off_a_terminal(tmp_path, capsys, monkeypatch):
    db = tmp_path / "x.db"
    open_store(db).close()
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert main(["restore", str(db), "--db", str(tmp_path / "y.db")]) != 0
    assert "--yes" in capsys.readouterr().err


def test_default_backup_goes_to_backups_folder(tmp_path, capsys):
    db = tmp_path / "d.db"
    open_store(db).close()
    assert main(["backup", "--db", str(db)]) == 0
    assert len(list((tmp_path / "backups").glob("d-*.db"))) == 1


def test_backup_of_bad_file_is_one_line(tmp_path, capsys):
    bad = tmp_path / "bad.db"
    bad.write_text("nope")
    assert main(["backup", "--db", str(bad)]) == 2
    assert "not a SQLite database" in capsys.readouterr().err
