"""Issue 17, case 3: ``salestui doctor`` finds damage, orphans, a stale search index; --repair fixes them."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

from salestui.cli import main
from salestui.store.core import open_store
from tests.test_safety_restore import _accounts, _bulky, _scribble, _truncate


def _database(path: Path) -> Path:
    store = open_store(path, owner="tester")
    account = store.accounts.create("Initech")
    store.accounts.add_note(account.id, "customer", "Procurement wants three quotes")
    store.calls.create(account.id, objective="Agree the pilot scope")
    store.close()
    return path


def _doctor(capsys, db: Path, *extra: str) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    code = main(["doctor", "--db", str(db), *extra])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_a_sound_database_exits_zero(tmp_path, capsys):
    code, out = _doctor(capsys, _database(tmp_path / "s.db"))
    assert code == 0, out
    for check in ("integrity_check", "schema revision", "foreign keys", "search index"):
        assert f"ok    {check}" in out or f"ok    SQLite {check}" in out
    assert "sound" in out


def test_a_stale_search_index_is_found_and_rebuilt(tmp_path, capsys):
    db = _database(tmp_path / "s.db")
    connection = sqlite3.connect(db)
    connection.execute("DELETE FROM search_fts WHERE rowid % 8 = 5")  # the research note
    connection.execute("INSERT INTO search_fts(rowid, body) VALUES (999 * 8 + 6, 'a deleted account')")
    connection.execute("DROP TRIGGER search_call_au")
    connection.commit()
    connection.close()
    code, out = _doctor(capsys, db)
    assert code == 1
    assert "FAIL  search index" in out and "missing" in out and "no longer exists" in out and "triggers" in out
    code, out = _doctor(capsys, db, "--repair")
    assert code == 0, out
    assert "rebuilt the search index" in out
    assert list((tmp_path / "backups").glob("s.before-repair-*.db"))
    # Search finds the note again, and the recreated trigger keeps the index current.
    store = open_store(db, owner="tester")
    assert store.review.search("procurement")
    store.close()
    connection = sqlite3.connect(db)
    connection.execute("UPDATE call SET objective = 'Zebra crossing'")
    connection.commit()
    assert connection.execute("SELECT count(*) FROM search_fts WHERE search_fts MATCH 'zebra'").fetchone()[0] == 1
    assert connection.execute("SELECT count(*) FROM search_fts WHERE search_fts MATCH 'procurement'").fetchone()[0] == 1
    connection.close()


def test_orphan_rows_are_found_and_reattached_to_recovered(tmp_path, capsys):
    db = _database(tmp_path / "s.db")
    connection = sqlite3.connect(db)  # foreign keys off, as in any tool that forgets to turn them on
    checklist = connection.execute("SELECT count(*) FROM checklist_item").fetchone()[0]
    connection.execute("DELETE FROM account")
    connection.commit()
    connection.close()
    code, out = _doctor(capsys, db)
    assert code == 1
    assert "call row(s) point at a missing account" in out and "research_note" in out
    code, out = _doctor(capsys, db, "--repair")
    assert code == 0, out
    assert 'moved to the account "Recovered": 1 call, 1 research_note' in out, out
    connection = sqlite3.connect(db)
    assert connection.execute("SELECT name FROM account").fetchall() == [("Recovered",)]
    assert connection.execute("SELECT count(*) FROM call").fetchone()[0] == 1
    assert connection.execute("SELECT count(*) FROM checklist_item").fetchone()[0] == checklist > 0
    connection.close()


def test_a_damaged_file_is_replaced_by_the_newest_good_backup(tmp_path, capsys):
    db = _bulky(tmp_path / "live.db", rows=2000)
    backups = tmp_path / "backups"
    assert main(["backup", str(backups / "good.db"), "--db", str(db)]) == 0
    assert main(["backup", str(backups / "newer-but-damaged.db"), "--db", str(db)]) == 0
    _truncate(backups / "newer-but-damaged.db")
    later = time.time() + 5
    os.utime(backups / "newer-but-damaged.db", (later, later))
    _scribble(db)
    damaged_bytes = db.read_bytes()
    code, out = _doctor(capsys, db)
    assert code == 1 and "FAIL  SQLite integrity_check" in out
    code, out = _doctor(capsys, db, "--repair")
    assert code == 0, out
    assert "restored" in out and "good.db" in out and "newer-but-damaged.db" in out
    (aside,) = tmp_path.glob("live.damaged-*.db")
    assert aside.read_bytes() == damaged_bytes
    assert len(_accounts(db)) == 2000
    open_store(db, owner="tester").close()


def test_a_damaged_file_without_a_good_backup_is_left_alone(tmp_path, capsys):
    db = _bulky(tmp_path / "live.db")
    _truncate(db)
    before = db.read_bytes()
    code, out = _doctor(capsys, db, "--repair")
    assert code == 2
    assert "no backup that passes the check" in out
    assert db.read_bytes() == before


def test_unknown_schema_and_missing_file(tmp_path, capsys):
    db = _database(tmp_path / "s.db")
    connection = sqlite3.connect(db)
    connection.execute("UPDATE alembic_version SET version_num = '9999_future'")
    connection.commit()
    connection.close()
    code, out = _doctor(capsys, db)
    assert code == 1 and "newer salestui" in out
    code, out = _doctor(capsys, tmp_path / "nothing.db")
    assert code == 2 and out.count("\n") == 1


class _StubApp:
    """What ``check_database`` uses of the app: the target, toasts, thread workers."""

    def __init__(self, db_target: str) -> None:
        self.db_target = db_target
        self.toasts: list[tuple[str, str]] = []

    def notify(self, message: str, severity: str = "information", **_kwargs: object) -> None:
        self.toasts.append((severity, message))

    def call_from_thread(self, callback, *args, **kwargs):  # type: ignore[no-untyped-def]
        return callback(*args, **kwargs)

    def run_worker(self, work, **kwargs):  # type: ignore[no-untyped-def]
        assert kwargs["thread"] is True  # never on the UI thread
        work()


def test_palette_check_database(tmp_path):
    from salestui.commands import CHECK_DATABASE, check_database

    assert CHECK_DATABASE.name == "Check database"
    db = _database(tmp_path / "s.db")
    app = _StubApp(str(db))
    check_database(app)  # type: ignore[arg-type]
    assert app.toasts[-1][0] == "information" and "sound" in app.toasts[-1][1]
    connection = sqlite3.connect(db)
    connection.execute("DELETE FROM search_fts")
    connection.commit()
    connection.close()
    check_database(app)  # type: ignore[arg-type]
    severity, message = app.toasts[-1]
    assert severity == "error" and "search index" in message and "salestui doctor --repair" in message
