"""Issue 30, items 8-10: doctor finds a broken search index and summary, re-attaches orphans, names a full disk."""

from __future__ import annotations

import errno
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from salestui.cli import main
from salestui.store.core import open_store


def _doctor(capsys, db: Path, *extra: str) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    code = main(["doctor", "--db", str(db), *extra])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def _demo(path: Path, frozen_now) -> Path:  # type: ignore[no-untyped-def]
    from salestui.store.demo import load_demo

    store = open_store(path, owner="tester")
    load_demo(store, now=frozen_now)
    store.close()
    return path


def _edit_text(db: Path) -> None:
    """What every text edit does to the index: its triggers delete and insert index rows."""
    connection = sqlite3.connect(db)
    try:
        connection.execute("UPDATE call SET objective = 'Zebra crossing' WHERE id = (SELECT min(id) FROM call)")
        connection.commit()
    finally:
        connection.close()


def _search(db: Path, word: str) -> int:
    connection = sqlite3.connect(db)
    try:
        return int(
            connection.execute("SELECT count(*) FROM search_fts WHERE search_fts MATCH ?", (word,)).fetchone()[0]
        )
    finally:
        connection.close()


# -- item 8: the search index ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "damage",
    ["DROP TABLE search_fts_idx", "DELETE FROM search_fts_data WHERE id > 10"],
    ids=["idx-dropped", "data-rows-deleted"],
)
def test_a_broken_search_index_is_found_by_its_own_check_and_rebuilt(tmp_path, capsys, frozen_now, damage):
    db = _demo(tmp_path / "s.db", frozen_now)
    connection = sqlite3.connect(db)
    connection.execute(damage)
    connection.commit()
    connection.close()
    with pytest.raises(sqlite3.DatabaseError):  # what the rep meets: edits or searches fail
        _edit_text(db)
        _search(db, "initech")
    code, out = _doctor(capsys, db)
    assert code == 1, out
    assert "FAIL  search index: the index's own check fails" in out
    code, out = _doctor(capsys, db, "--repair")
    assert code == 0, out
    assert "rebuilt the search index" in out and "its own check passes" in out
    _edit_text(db)  # edits work again, and the index follows them
    assert _search(db, "zebra") == 1 and _search(db, "initech") > 0
    store = open_store(db, owner="tester")
    try:
        assert store.review.search("zebra")
    finally:
        store.close()


# -- item 8: the stats summary ---------------------------------------------------------------------
def test_a_damaged_stats_summary_is_found_and_recomputed(tmp_path, capsys, frozen_now):
    db = _demo(tmp_path / "s.db", frozen_now)
    store = open_store(db, owner="tester")
    before = store.review.stats()
    store.close()
    assert before.overall.held >= 4
    connection = sqlite3.connect(db)
    connection.execute("DELETE FROM stats_summary WHERE rowid % 2 = 0")
    connection.commit()
    connection.close()
    store = open_store(db, owner="tester")
    assert store.review.stats().overall != before.overall  # the rep sees wrong numbers
    store.close()
    code, out = _doctor(capsys, db)
    assert code == 1, out
    assert "FAIL  stats summary:" in out and "differ from the calls" in out
    assert f"the calls say {before.overall.held}" in out
    code, out = _doctor(capsys, db, "--repair")
    assert code == 0, out
    assert "recomputed the stats summary" in out and "ok    stats summary: matches the calls" in out
    store = open_store(db, owner="tester")
    try:
        assert store.review.stats() == before
    finally:
        store.close()


def test_missing_summary_triggers_are_found_and_recreated(tmp_path, capsys, frozen_now):
    db = _demo(tmp_path / "s.db", frozen_now)
    connection = sqlite3.connect(db)
    connection.execute("DROP TRIGGER stats_call_ai")
    connection.commit()
    connection.close()
    code, out = _doctor(capsys, db)
    assert code == 1 and "1 of its triggers are missing" in out
    code, out = _doctor(capsys, db, "--repair")
    assert code == 0, out
    connection = sqlite3.connect(db)
    assert connection.execute("SELECT 1 FROM sqlite_master WHERE name = 'stats_call_ai'").fetchone()
    connection.close()


# -- item 9: orphans are re-attached, and what moved is said -----------------------------------------
def _rows(db: Path, table: str, where: str = "1") -> int:
    connection = sqlite3.connect(db)
    try:
        return int(connection.execute(f"SELECT count(*) FROM {table} WHERE {where}").fetchone()[0])
    finally:
        connection.close()


def test_a_call_whose_account_is_missing_moves_to_recovered_with_its_plan(tmp_path, capsys, frozen_now):
    db = _demo(tmp_path / "s.db", frozen_now)
    connection = sqlite3.connect(db)  # foreign keys off, as in a tool that forgets to turn them on
    (call_id, account_id) = connection.execute(
        "SELECT c.id, c.account_id FROM call AS c ORDER BY (SELECT count(*) FROM checklist_item WHERE call_id = c.id)"
        " + (SELECT count(*) FROM objection WHERE call_id = c.id) DESC LIMIT 1"
    ).fetchone()
    plan = {
        table: connection.execute(f"SELECT count(*) FROM {table} WHERE call_id = ?", (call_id,)).fetchone()[0]
        for table in ("checklist_item", "objection", "advance", "question")
    }
    others = connection.execute("SELECT count(*) FROM call WHERE account_id = ?", (account_id,)).fetchone()[0]
    contacts = connection.execute("SELECT count(*) FROM contact WHERE account_id = ?", (account_id,)).fetchone()[0]
    connection.execute("DELETE FROM account WHERE id = ?", (account_id,))
    connection.commit()
    connection.close()
    total_before = {table: _rows(db, table) for table in plan}
    code, out = _doctor(capsys, db, "--repair")
    assert code == 0, out
    assert "orphan row(s)" not in out  # nothing is deleted any more
    assert 'created the account "Recovered"' in out
    moved = next(line for line in out.splitlines() if 'moved to the account "Recovered"' in line)
    assert f"{others} call" in moved and f"{contacts} contact" in moved
    for table, count in plan.items():
        if count:
            assert f"{table}" in moved  # the plan rows that went with the calls, per table
    assert {table: _rows(db, table) for table in plan} == total_before  # nothing lost
    recovered = _rows(db, "call", f"account_id = (SELECT id FROM account WHERE name = 'Recovered') AND id = {call_id}")
    assert recovered == 1


def test_plan_rows_of_a_missing_call_get_their_call_back(tmp_path, capsys, frozen_now):
    db = _demo(tmp_path / "s.db", frozen_now)
    connection = sqlite3.connect(db)
    call_id = connection.execute(
        "SELECT call_id FROM checklist_item GROUP BY call_id ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()[0]
    items = connection.execute("SELECT count(*) FROM checklist_item WHERE call_id = ?", (call_id,)).fetchone()[0]
    connection.execute("DELETE FROM call WHERE id = ?", (call_id,))
    connection.commit()
    connection.close()
    code, out = _doctor(capsys, db, "--repair")
    assert code == 0, out
    assert f"recreated 1 missing call(s) (#{call_id})" in out and f"{items} checklist_item" in out
    assert _rows(db, "checklist_item", f"call_id = {call_id}") == items
    assert _rows(db, "call", f"id = {call_id} AND objective LIKE 'Recovered by salestui doctor%'") == 1


# -- item 10: a full disk is not damage ----------------------------------------------------------------
def test_a_full_disk_is_named_and_nothing_changes_simulated(tmp_path, capsys, monkeypatch, frozen_now):
    """Always runs: SQLite reports an I/O error while the disk has no space left."""
    from salestui.store import integrity, preflight

    db = _demo(tmp_path / "s.db", frozen_now)
    main(["backup", "--db", str(db)])
    capsys.readouterr()
    before = db.read_bytes()

    def no_room(path: Path) -> sqlite3.Connection:
        error = sqlite3.OperationalError("disk I/O error")
        error.sqlite_errorcode = 10 | (16 << 8)  # type: ignore[attr-defined]  # SQLITE_IOERR_SHMSIZE
        raise error

    monkeypatch.setattr(integrity, "connect_ro", no_room)
    monkeypatch.setattr(preflight, "disk_full", lambda path: True)
    for extra in ((), ("--repair",)):
        code, out = _doctor(capsys, db, *extra)
        assert code == 2, out
        assert "disk holding" in out and "is full" in out and "damaged" not in out.replace("not damaged", "")
    assert not list(tmp_path.glob("*.damaged-*"))
    assert db.read_bytes() == before
    enospc = OSError(errno.ENOSPC, "No space left on device")
    assert isinstance(preflight.full_disk_error(db, enospc), preflight.DiskFull)
    assert preflight.full_disk_error(db, sqlite3.DatabaseError("database disk image is malformed")) is None


FILL_DISK = r"""
import sys
with open(sys.argv[1], "wb") as handle:
    try:
        while True:
            handle.write(b"\0" * 65536)
            handle.flush()
    except OSError:
        pass
"""


@pytest.fixture
def small_disk(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A 12 MB tmpfs; skipped where mounting is not permitted (not root, a container without it)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small filesystem needs root")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=12m", "tmpfs", str(disk)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"mount not permitted here: {mounted.stderr.decode().strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def test_a_really_full_disk_is_named_by_every_command_and_nothing_changes(small_disk, capsys, frozen_now):
    db = _demo(small_disk / "s.db", frozen_now)
    assert main(["backup", "--db", str(db)]) == 0
    for leftover in (Path(f"{db}-shm"), Path(f"{db}-wal")):
        leftover.unlink(missing_ok=True)  # closed cleanly: no -shm, as after a normal quit
    capsys.readouterr()
    before = db.read_bytes()
    subprocess.run([sys.executable, "-c", FILL_DISK, str(small_disk / "filler")], check=True)
    for command in (["agenda"], ["export", "--format", "json"], ["doctor"], ["doctor", "--repair"]):
        code = main([*command, "--db", str(db)])
        captured = capsys.readouterr()
        assert code != 0, (command, captured.out)
        assert "is full" in captured.err, (command, captured.err)
        assert "run `salestui doctor" not in captured.err
    assert not list(small_disk.glob("*.damaged-*"))
    assert db.read_bytes() == before
    # The app's own start-up check says the same.
    from salestui.store.preflight import DiskFull, check_sqlite

    with pytest.raises(DiskFull):
        check_sqlite(db)
    (small_disk / "filler").unlink()
    code, out = _doctor(capsys, db)
    assert code == 0, out


def test_a_call_pointing_at_a_missing_account_goes_home_to_its_attendees_account(tmp_path, capsys, frozen_now):
    db = _demo(tmp_path / "s.db", frozen_now)
    connection = sqlite3.connect(db)
    (call_id, account_id, name) = connection.execute(
        "SELECT c.id, c.account_id, a.name FROM call AS c JOIN account AS a ON a.id = c.account_id"
        " WHERE EXISTS (SELECT 1 FROM call_contact WHERE call_id = c.id) ORDER BY c.id LIMIT 1"
    ).fetchone()
    connection.execute("UPDATE call SET account_id = 999 WHERE id = ?", (call_id,))  # a tool's stray write
    connection.commit()
    connection.close()
    code, out = _doctor(capsys, db, "--repair")
    assert code == 0, out
    assert f'moved to the account "{name}" (the account of their attendees): 1 call' in out
    assert "Recovered" not in out  # nothing needed it
    assert _rows(db, "call", f"id = {call_id} AND account_id = {account_id}") == 1
    assert _rows(db, "account", "name = 'Recovered'") == 0
