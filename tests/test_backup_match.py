"""Issue 30, items 7 and 11: backups are matched to their database by its id, verified, and never left half-written."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from salestui.cli import main
from salestui.store import backup as backup_module
from salestui.store.core import open_store
from salestui.store.preflight import DatabaseProblem
from tests.test_safety_restore import _scribble


def _database(path: Path, *accounts: str) -> Path:
    store = open_store(path, owner="tester")
    for name in accounts:
        store.accounts.create(name)
    store.close()
    return path


def _bulk(path: Path, name: str, rows: int = 1500) -> Path:
    """Enough pages that a scribble in the middle hits a table SQLite checks."""
    _database(path, name)
    connection = sqlite3.connect(path)
    connection.executemany(
        "INSERT INTO account(name, industry, status, website, phone, city, notes, owner, created_at, updated_at, version)"
        " VALUES (?, '', 'prospect', '', '', '', ?, 'tester', '2026-01-01', '2026-01-01', 1)",
        [(f"{name} {n}", "notes " * 40) for n in range(rows)],
    )
    connection.commit()
    connection.execute("VACUUM")
    connection.close()
    return path


def _names(db: Path) -> set[str]:
    connection = sqlite3.connect(db)
    try:
        return {row[0] for row in connection.execute("SELECT name FROM account")}
    finally:
        connection.close()


def _listing(capsys, db: Path) -> str:  # type: ignore[no-untyped-def]
    assert main(["backup", "--list", "--db", str(db)]) == 0
    return capsys.readouterr().out


def _ids(*paths: Path) -> list[str | None]:
    return [backup_module.database_id(path) for path in paths]


def test_two_databases_in_one_folder_have_their_own_ids_and_backups(tmp_path, capsys):
    a = _database(tmp_path / "a.db", "Alpha")
    b = _database(tmp_path / "b.db", "Bravo")
    id_a, id_b = _ids(a, b)
    assert id_a and id_b and id_a != id_b
    assert main(["backup", "--db", str(a)]) == 0
    time.sleep(1.1)  # a second name: the default names carry the time to the second
    assert main(["backup", "--db", str(b)]) == 0
    capsys.readouterr()
    listed_a, listed_b = _listing(capsys, a), _listing(capsys, b)
    assert "a-" in listed_a and "b-" not in listed_a
    assert "b-" in listed_b and "a-" not in listed_b


def test_doctor_repairs_a_damaged_database_from_its_own_backup_not_the_neighbours(tmp_path, capsys):
    a = _bulk(tmp_path / "a.db", "Alpha")
    b = _bulk(tmp_path / "b.db", "Bravo")
    backups = tmp_path / "backups"
    assert main(["backup", str(backups / "a-20261101-090000.db"), "--db", str(a)]) == 0
    # b's backup is newer, and named like neither: only the id tells them apart.
    assert main(["backup", str(backups / "nightly.db"), "--db", str(b)]) == 0
    later = time.time() + 60
    os.utime(backups / "nightly.db", (later, later))
    _scribble(a)
    capsys.readouterr()
    code = main(["doctor", "--repair", "--db", str(a)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "restored" in out and "a-20261101-090000.db" in out and "nightly.db" not in out
    assert "Alpha" in _names(a) and not any(name.startswith("Bravo") for name in _names(a))


def test_a_damaged_database_with_only_the_neighbours_backup_is_left_alone(tmp_path, capsys):
    a = _bulk(tmp_path / "a.db", "Alpha")
    b = _bulk(tmp_path / "b.db", "Bravo")
    assert main(["backup", "--db", str(b)]) == 0
    _scribble(a)
    before = a.read_bytes()
    capsys.readouterr()
    code = main(["doctor", "--repair", "--db", str(a)])
    captured = capsys.readouterr()
    assert code == 2
    assert "no backup that passes the check" in captured.err and "only backups of this database" in captured.err
    assert a.read_bytes() == before


def test_a_renamed_database_still_finds_its_backups_by_id(tmp_path, capsys):
    a = _database(tmp_path / "a.db", "Alpha")
    assert main(["backup", "--db", str(a)]) == 0
    renamed = tmp_path / "pipeline.db"
    a.rename(renamed)
    capsys.readouterr()
    listed = _listing(capsys, renamed)
    assert "a-" in listed and "matched by its file name" not in listed


def test_an_old_backup_without_an_id_is_matched_by_name_and_says_so(tmp_path, capsys):
    a = _database(tmp_path / "a.db", "Alpha")
    b = _database(tmp_path / "b.db", "Bravo")
    for db in (a, b):
        assert main(["backup", "--db", str(db)]) == 0
        time.sleep(1.1)
    for old in (tmp_path / "backups").glob("*.db"):
        connection = sqlite3.connect(old)
        connection.execute("DELETE FROM setting WHERE key = 'database_id'")
        connection.commit()
        connection.close()
    capsys.readouterr()
    listed = _listing(capsys, a)
    assert "a-" in listed and "b-" not in listed
    assert "(no database id: matched by its file name)" in listed


def test_a_backup_is_verified_before_it_takes_its_name(tmp_path, monkeypatch):
    a = _bulk(tmp_path / "a.db", "Alpha")
    real_copy = backup_module._copy

    def copy_that_goes_wrong(database: Path, destination: Path) -> None:
        real_copy(database, destination)
        _scribble(destination)  # a bad sector, a flaky USB stick

    monkeypatch.setattr(backup_module, "_copy", copy_that_goes_wrong)
    target = tmp_path / "backups" / "copy.db"
    with pytest.raises(DatabaseProblem, match="the copy failed its check"):
        backup_module.backup(a, target)
    assert not target.exists()
    assert not [p for p in target.parent.iterdir() if p.name.startswith(".")]


SLOW_BACKUP = r"""
import sys, time
from pathlib import Path
from salestui.store import backup as module
real = module._copy
def slow(database, destination):
    real(database, destination)
    print("copied", flush=True)
    time.sleep(60)
module._copy = slow
module.backup(Path(sys.argv[1]), Path(sys.argv[2]))
"""


def test_a_backup_killed_midway_leaves_a_temporary_that_the_next_backup_removes(tmp_path, capsys):
    a = _bulk(tmp_path / "a.db", "Alpha")
    backups = tmp_path / "backups"
    writer = subprocess.Popen(
        [sys.executable, "-c", SLOW_BACKUP, str(a), str(backups / "killed.db")],
        stdout=subprocess.PIPE,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert writer.stdout is not None
    assert writer.stdout.readline().strip() == b"copied"
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait()
    (left,) = [p for p in backups.iterdir() if p.name.startswith(".")]
    assert left.stat().st_size > 100_000  # the size of the database, hidden
    assert left.stat().st_mode & 0o777 == 0o600
    # An older version's leftover (no writer id): removed once it is stale, kept while it may be live.
    old = backups / ".a-20261101-090000.db.k3j4h5g6.tmp"
    old.write_bytes(b"x" * 4096)
    fresh = backups / ".a-20261102-090000.db.q1w2e3r4.tmp"
    fresh.write_bytes(b"x" * 4096)
    partial = backups / "..a.auto-20261101.db.partial.z9y8x7w6.tmp"  # the old daily backup's, killed
    partial.write_bytes(b"x" * 4096)
    migration = tmp_path / ".a.db.before-0011_stats_ladder.bak.abcd_123.tmp"  # beside the database
    migration.write_bytes(b"x" * 4096)
    stale = time.time() - backup_module.STALE_AFTER_S - 60
    for path in (old, partial, migration):
        os.utime(path, (stale, stale))
    assert main(["backup", "--db", str(a)]) == 0
    hidden = sorted(p.name for p in backups.iterdir() if p.name.startswith("."))
    assert hidden == [fresh.name]
    assert not (backups / "killed.db").exists()
    assert backup_module.clean_stale(tmp_path) == [migration]


def test_restore_checks_its_safety_copy_before_replacing_anything(tmp_path, monkeypatch):
    a = _database(tmp_path / "a.db", "Alpha")
    good = backup_module.backup(a, tmp_path / "backups" / "good.db")
    store = open_store(a, owner="tester")
    store.accounts.create("Typed after the backup")
    store.close()
    before = _names(a)
    real_verify = backup_module.verify_copy

    def failing_for_the_safety_copy(copy: Path) -> None:
        if "before-restore" in copy.name:
            raise DatabaseProblem("the copy failed its check (simulated bad sector)")
        real_verify(copy)

    monkeypatch.setattr(backup_module, "verify_copy", failing_for_the_safety_copy)
    with pytest.raises(DatabaseProblem, match="Could not keep a sound copy .* nothing was restored"):
        backup_module.restore(good, a)
    assert _names(a) == before
    assert not list(tmp_path.glob("a.before-restore-*"))
