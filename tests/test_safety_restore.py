"""Issue 17, cases 1-2: restore never loses a write or installs a damaged file; damage is found on open."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from salestui.cli import main
from salestui.store.core import open_store
from salestui.store.preflight import DatabaseProblem

ROOT = Path(__file__).parent.parent


def _accounts(path: Path) -> list[str]:
    connection = sqlite3.connect(path)
    try:
        return [row[0] for row in connection.execute("SELECT name FROM account ORDER BY id")]
    finally:
        connection.close()


def _database(path: Path, *names: str) -> Path:
    store = open_store(path, owner="tester")
    for name in names:
        store.accounts.create(name)
    store.close()
    return path


def _bulky(path: Path, rows: int = 3000) -> Path:
    """A database of many pages (a truncation by 1 % is then several pages)."""
    _database(path)
    connection = sqlite3.connect(path)
    connection.executemany(
        "INSERT INTO account(name, industry, status, website, phone, city, notes, owner, created_at, updated_at, version)"
        " VALUES (?, '', 'prospect', '', '', '', ?, 'tester', '2026-01-01', '2026-01-01', 1)",
        [(f"Account {n}", "notes " * 40) for n in range(rows)],
    )
    connection.commit()
    # No free pages: a page _scribble hits is one SQLite checks (the search index's triggers
    # leave free pages, and where they fall shifts with every change to the schema).
    connection.execute("VACUUM")
    connection.close()
    return path


def _truncate(path: Path, fraction: float = 0.01) -> None:
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.truncate(size - max(1, int(size * fraction)))


def _scribble(path: Path) -> None:
    """Overwrite the middle of the file (a b-tree page) with garbage; size and header stay intact."""
    page = 4096
    pages = path.stat().st_size // page
    with path.open("r+b") as handle:
        handle.seek((pages // 2) * page)
        handle.write(bytes(range(256)) * 16)


HOLDER = textwrap.dedent(
    """
    import sys
    from salestui.store.core import open_store
    store = open_store(sys.argv[1], owner="importer")
    store.accounts.create("Imported before restore")
    # Its daily backup has run: reading the file must not have dropped this process's locks.
    assert store.daily_backup is not None
    store.daily_backup.join()
    print("ready", flush=True)
    sys.stdin.readline()
    store.accounts.create("Imported after restore was tried")
    store.close()
    """
)


def test_restore_is_refused_while_another_process_has_the_database_open(tmp_path, capsys):
    db = _database(tmp_path / "live.db", "Mine")
    old = _database(tmp_path / "old.db", "Old")
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    try:
        assert holder.stdout is not None and holder.stdin is not None
        assert holder.stdout.readline().strip() == "ready"
        assert main(["restore", str(old), "--db", str(db), "--yes"]) == 2
        err = capsys.readouterr().err
        assert "open in another window or command" in err and err.count("\n") == 1
        holder.stdin.write("go\n")
        holder.stdin.flush()
        assert holder.wait(timeout=30) == 0
    finally:
        holder.kill()
    # The import's writes are all there; restore left no half-done safety copy behind.
    assert _accounts(db) == ["Mine", "Imported before restore", "Imported after restore was tried"]
    assert not list(tmp_path.glob("live.before-restore-*"))


def test_restore_takes_its_safety_copy_and_replaces_under_one_lock(tmp_path, capsys):
    db = _database(tmp_path / "live.db", "Mine", "Also mine")
    old = _database(tmp_path / "old.db", "Old")
    assert main(["restore", str(old), "--db", str(db), "--yes"]) == 0
    assert _accounts(db) == ["Old"]
    (safety,) = tmp_path.glob("live.before-restore-*.db")
    assert _accounts(safety) == ["Mine", "Also mine"]
    assert safety.stat().st_mode & 0o777 == 0o600
    # The restored database opens and takes writes as usual.
    store = open_store(db, owner="tester")
    store.accounts.create("After")
    store.close()
    assert _accounts(db) == ["Old", "After"]


@pytest.mark.parametrize("damage", [_truncate, _scribble], ids=["truncated", "scribbled"])
def test_restore_refuses_a_damaged_backup_and_changes_nothing(tmp_path, capsys, damage):
    db = _database(tmp_path / "live.db", "Mine")
    before = db.read_bytes()
    backup = _bulky(tmp_path / "damaged.db")
    damage(backup)
    assert main(["restore", str(backup), "--db", str(db), "--yes"]) == 2
    assert "damaged" in capsys.readouterr().err
    assert db.read_bytes() == before
    assert not list(tmp_path.glob("live.before-restore-*"))


def test_restore_refuses_a_backup_of_unknown_schema(tmp_path, capsys):
    db = _database(tmp_path / "live.db", "Mine")
    future = _database(tmp_path / "future.db", "From the future")
    connection = sqlite3.connect(future)
    connection.execute("UPDATE alembic_version SET version_num = '9999_future'")
    connection.commit()
    connection.close()
    foreign = tmp_path / "foreign.db"
    sqlite3.connect(foreign).execute("CREATE TABLE t(x)").connection.commit()
    assert main(["restore", str(future), "--db", str(db), "--yes"]) == 2
    assert "newer salestui" in capsys.readouterr().err
    assert main(["restore", str(foreign), "--db", str(db), "--yes"]) == 2
    assert "not a salestui database" in capsys.readouterr().err
    assert _accounts(db) == ["Mine"]


@pytest.mark.parametrize("damage", [_truncate, _scribble], ids=["truncated", "scribbled"])
def test_a_damaged_database_is_refused_on_open_with_a_pointer_to_doctor(tmp_path, capsys, damage):
    db = _bulky(tmp_path / "live.db")
    damage(db)
    before = db.read_bytes()
    with pytest.raises(DatabaseProblem, match="salestui doctor"):
        open_store(db, owner="tester")
    csv = tmp_path / "accounts.csv"
    csv.write_text("Account Name,Industry\nNew one,Retail\n")
    assert main(["import", "accounts", str(csv), "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert "damaged" in err and "salestui doctor" in err and err.count("\n") == 1
    assert db.read_bytes() == before


def test_the_tui_start_up_check_refuses_a_truncated_file(tmp_path, capsys):
    db = _bulky(tmp_path / "live.db")
    _truncate(db)
    assert main(["--db", str(db)]) == 2
    assert "salestui doctor" in capsys.readouterr().err
