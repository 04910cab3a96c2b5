"""One way to write a private file (``salestui.io.files``): 0600, atomic, used by every writer."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from salestui.io import files


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_written_private_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o000)
    try:
        written = files.write_private(tmp_path / "out.md", "# ok\n")
    finally:
        os.umask(old)
    assert written.read_text(encoding="utf-8") == "# ok\n" and mode(written) == 0o600


def test_replacing_an_open_file_keeps_it_private_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_text("old")
    target.chmod(0o644)
    files.write_private(target, b"new")
    assert target.read_bytes() == b"new" and mode(target) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_a_failure_while_writing_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old")
    with pytest.raises(RuntimeError), files.private_replacement(target) as temporary:
        temporary.write_text("half")
        raise RuntimeError("disk full")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_a_missing_folder_is_an_error_unless_asked_for(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        files.write_private(tmp_path / "nope" / "x.md", "x")
    assert not (tmp_path / "nope").exists()
    written = files.write_private(tmp_path / "exports" / "x.md", "x", make_folder=True)
    assert mode(written.parent) == 0o700 and mode(written) == 0o600


@pytest.mark.sqlite_only("backs up the SQLite file")
def test_a_failed_backup_leaves_no_file(tmp_path: Path, store, db_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import sqlite3

    from salestui.store import backup
    from salestui.store.preflight import DatabaseProblem

    store.accounts.create("Acme")

    def broken(source_file: Path, destination_file: Path) -> None:
        destination_file.write_bytes(b"half a page")
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(backup, "_copy", broken)
    target = tmp_path / "backups" / "copy.db"
    with pytest.raises(DatabaseProblem, match="Backup failed"):
        backup.backup(db_path, target)
    assert list(target.parent.iterdir()) == []
