"""Issue 30, item 12: a path is a path (``?``, ``%``, ``#``, spaces), new files are private, a missing database is named."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from salestui.cli import main
from salestui.store.core import open_store
from salestui.store.engine import sqlite_url


@pytest.mark.parametrize("name", ["q?mode=ro", "pct%20x.db", "hash#1.db", "two words.db", "a+b&c=d.db"])
def test_odd_characters_in_the_path_name_that_file(tmp_path, capsys, name):
    folder = tmp_path / "data"
    folder.mkdir()
    db = folder / name
    assert main(["demo", "--db", str(db)]) == 0
    assert sorted(p.name for p in folder.iterdir() if not p.name.endswith(("-wal", "-shm"))) == [name]
    assert db.stat().st_mode & 0o777 == 0o600
    for side in (Path(f"{db}-wal"), Path(f"{db}-shm")):
        if side.exists():
            assert side.stat().st_mode & 0o777 == 0o600
    connection = sqlite3.connect(db)
    assert connection.execute("SELECT count(*) FROM account").fetchone()[0] > 0
    connection.close()
    capsys.readouterr()
    assert main(["agenda", "--db", str(db)]) == 0
    assert main(["export", "--format", "json", "--db", str(db)]) == 0


def test_the_url_keeps_the_path_literal():
    from sqlalchemy.engine import make_url

    for path in ("/x/a?b.db", "/x/pct%20x.db", "/x/h#1.db", "/x/two words.db", "relative.db"):
        assert make_url(sqlite_url(path)).database == path


def test_a_new_database_file_is_private_from_its_first_byte(tmp_path, monkeypatch):
    seen: list[int] = []
    from salestui.store import engine

    real = engine.make_engine

    def spy(url: str):  # type: ignore[no-untyped-def]
        seen.append((tmp_path / "new.db").stat().st_mode & 0o777)
        return real(url)

    monkeypatch.setattr(engine, "make_engine", spy)
    open_store(tmp_path / "new.db", owner="tester").close()
    assert seen == [0o600]


@pytest.mark.parametrize(
    "command",
    [["agenda"], ["today"], ["export", "--format", "json"], ["backup", "--list"], ["backup"], ["doctor"], ["forecast"]],
)
def test_a_read_only_command_on_a_missing_database_is_one_line_and_an_error(tmp_path, capsys, command):
    db = tmp_path / "typo.db"
    code = main([*command, "--db", str(db)])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    assert len(captured.err.strip().splitlines()) == 1
    assert "no database at" in captured.err
    assert not db.exists() and not list(tmp_path.glob("typo*"))


def test_writing_commands_may_create_the_database(tmp_path, capsys):
    db = tmp_path / "new.db"
    assert main(["demo", "--db", str(db)]) == 0
    assert db.is_file()
