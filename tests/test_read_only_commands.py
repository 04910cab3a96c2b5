"""Issue 17 item 14: export, backup and agenda read a read-only database (file or folder) and never
wait for a writer; a WAL file SQLite cannot read in a read-only folder is one clear line."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from salestui.cli import main


@pytest.fixture
def demo_db(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "data"
    folder.mkdir()
    db = folder / "s.db"
    from datetime import UTC, datetime, timedelta

    from salestui.store.core import open_store

    store = open_store(db, owner="tester")
    account = store.accounts.create("Initech")
    store.calls.create(account.id, datetime.now(UTC) + timedelta(days=2), objective="Pricing review")
    store.close()
    yield db
    folder.chmod(0o755)  # let tmp_path be cleaned up
    db.chmod(0o644)


def _export(db: Path, fmt: str, out: Path) -> int:
    return main(["export", "--format", fmt, "--db", str(db), "--out", str(out)])


def test_a_read_only_file_exports_backs_up_and_lists(demo_db: Path, tmp_path: Path, capsys) -> None:
    demo_db.chmod(0o444)
    for fmt in ("json", "csv", "md", "ics"):
        out = tmp_path / f"export.{fmt}"
        assert _export(demo_db, fmt, out) == 0, capsys.readouterr().err
        assert "Initech" in out.read_text(encoding="utf-8")
    assert main(["backup", str(tmp_path / "copy.db"), "--db", str(demo_db)]) == 0, capsys.readouterr().err
    assert main(["agenda", "--db", str(demo_db), "--days", "30"]) == 0
    assert oct(demo_db.stat().st_mode & 0o777) == "0o444"  # untouched


def test_a_read_only_folder_is_read_without_creating_files_in_it(demo_db: Path, tmp_path: Path, capsys) -> None:
    folder = demo_db.parent
    before = sorted(p.name for p in folder.iterdir())
    folder.chmod(0o555)
    assert _export(demo_db, "json", tmp_path / "export.json") == 0, capsys.readouterr().err
    assert main(["backup", str(tmp_path / "copy.db"), "--db", str(demo_db)]) == 0, capsys.readouterr().err
    assert main(["agenda", "--db", str(demo_db)]) == 0
    assert main(["doctor", "--db", str(demo_db)]) == 0
    assert sorted(p.name for p in folder.iterdir()) == before


def test_a_wal_that_cannot_be_read_in_a_read_only_folder_is_one_line(demo_db: Path, tmp_path: Path, capsys) -> None:
    folder = demo_db.parent
    Path(f"{demo_db}-shm").unlink(missing_ok=True)
    Path(f"{demo_db}-wal").write_bytes(b"\x00" * 64)  # changes SQLite needs a -shm file to read
    folder.chmod(0o555)
    assert _export(demo_db, "json", tmp_path / "export.json") == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert "folder is read-only" in err and "s.db-shm" in err


def test_export_does_not_wait_for_a_writer(demo_db: Path, tmp_path: Path, capsys) -> None:
    writer = sqlite3.connect(demo_db, isolation_level=None, timeout=5)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE account SET name = 'Renamed, not committed' WHERE name = 'Initech'")
    try:
        started = time.monotonic()
        assert _export(demo_db, "json", tmp_path / "export.json") == 0, capsys.readouterr().err
        assert time.monotonic() - started < 3  # the read-write path waited 5 s, then gave up
        text = (tmp_path / "export.json").read_text(encoding="utf-8")
        assert "Initech" in text and "not committed" not in text  # the last commit, nothing half-done
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_a_read_only_store_refuses_writes_in_one_line(demo_db: Path) -> None:
    from salestui.store.core import StoreError, open_store

    store = open_store(demo_db, read_only=True)
    try:
        assert store.accounts.count() > 0
        with pytest.raises(StoreError, match="read-only"):
            store.accounts.create("Nope")
    finally:
        store.close()
