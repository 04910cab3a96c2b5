"""Issue 17, case 5 (and 13): demo data goes only into an empty database, all or nothing; no password shown."""

from __future__ import annotations

import sqlite3

import pytest

from salestui.cli import main, masked
from salestui.store.core import StoreError, open_store
from salestui.store.demo import ACCOUNTS, load_demo


def _count(db, table: str = "account") -> int:  # type: ignore[no-untyped-def]
    connection = sqlite3.connect(db)
    try:
        return connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        connection.close()


def test_demo_twice_is_refused_the_second_time(tmp_path, capsys):
    db = tmp_path / "d.db"
    assert main(["demo", "--db", str(db)]) == 0
    capsys.readouterr()
    assert main(["demo", "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert "already holds 5 account(s)" in err and "salestui demo --db" in err and err.count("\n") == 1
    assert _count(db) == len(ACCOUNTS)


def test_demo_is_refused_on_real_data_and_in_the_app_start(tmp_path, capsys):
    db = tmp_path / "real.db"
    store = open_store(db, owner="dana")
    store.accounts.create("My real customer")
    with pytest.raises(StoreError, match="empty database"):
        load_demo(store)  # what D and the palette run: the refusal becomes a toast
    store.close()
    assert main(["--demo", "--db", str(db)]) == 2  # refused before the app even starts
    assert "already holds 1 account(s)" in capsys.readouterr().err
    assert _count(db) == 1


def test_demo_is_all_or_nothing(tmp_path, monkeypatch):
    db = tmp_path / "d.db"
    store = open_store(db, owner="tester")
    real_create = store.calls.create
    made = []

    def failing_create(*args, **kwargs):  # type: ignore[no-untyped-def]
        if len(made) == 4:
            raise StoreError("The disk (or database) is full: free some space; your last edit was not saved.")
        made.append(1)
        return real_create(*args, **kwargs)

    monkeypatch.setattr(store.calls, "create", failing_create)
    with pytest.raises(StoreError, match="full"):
        load_demo(store)
    store.close()
    for table in ("account", "contact", "research_note", "call", "checklist_item", "objection", "advance"):
        assert _count(db, table) == 0, table
    # And the demo still loads afterwards: nothing half-done blocks it.
    store = open_store(db, owner="tester")
    assert load_demo(store)["accounts"] == len(ACCOUNTS)
    store.close()


def test_demo_on_a_team_server_with_another_reps_records_is_refused(pg_url):
    theirs = open_store(pg_url, owner="dana")
    theirs.accounts.create("Dana's customer")
    theirs.close()
    mine = open_store(pg_url, owner="sam")
    try:
        with pytest.raises(StoreError, match="already holds 1 account"):
            load_demo(mine)
        with mine.reading() as session:
            from sqlalchemy import text

            assert session.execute(text("SELECT count(*) FROM account")).scalar_one() == 1
    finally:
        mine.close()


def test_messages_never_show_a_server_password(capsys):
    url = "postgresql+psycopg://dana:s3cret-pw@127.0.0.1:1/sales"
    assert "s3cret" not in masked(url) and masked(url).startswith("postgresql+psycopg://dana:***@127.0.0.1")
    assert main(["demo", "--db", url]) == 2
    captured = capsys.readouterr()
    assert "s3cret" not in captured.out + captured.err


def test_demo_into_a_server_does_not_print_the_password(pg_url, capsys):
    with_password = pg_url.replace("://salestui_ci@", "://salestui_ci:s3cret-pw@")
    assert "s3cret-pw" in with_password  # the throwaway cluster trusts any password
    assert main(["demo", "--db", with_password]) == 0
    assert main(["demo", "--db", with_password]) == 2  # and a team server is never filled twice
    captured = capsys.readouterr()
    assert "Loaded 5 demo accounts" in captured.out
    assert "s3cret" not in captured.out + captured.err
