"""The command line: version, help, demo, --db placement, SALESTUI_DB, and bad databases."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from salestui.cli import main, resolve_db


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "salestui", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
        cwd=Path(__file__).parent.parent,
    )


def test_version_and_help():
    assert run_cli("--version").stdout.startswith("salestui ")
    help_text = run_cli("--help").stdout
    assert "--db" in help_text and "demo" in help_text


def test_demo_with_db_after_the_subcommand(tmp_path):
    db = tmp_path / "demo.db"
    result = run_cli("demo", "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert "Loaded 5 demo accounts" in result.stdout
    raw = sqlite3.connect(db)
    assert raw.execute("SELECT count(*) FROM call").fetchone()[0] == 10


def test_env_var_picks_the_database(tmp_path, monkeypatch):
    db = tmp_path / "env.db"
    monkeypatch.setenv("SALESTUI_DB", str(db))
    assert resolve_db(None) == str(db)
    assert main(["demo"]) == 0
    assert db.exists()


def test_default_path_is_in_the_user_data_dir(monkeypatch):
    monkeypatch.delenv("SALESTUI_DB", raising=False)
    from platformdirs import user_data_path

    assert resolve_db(None) == str(user_data_path("salestui") / "salestui.db")


def test_new_database_folder_is_private(tmp_path):
    db = tmp_path / "fresh" / "sub" / "x.db"
    assert main(["demo", "--db", str(db)]) == 0
    assert (db.parent.stat().st_mode & 0o777) == 0o700
    assert (db.stat().st_mode & 0o777) == 0o600


def _bad_db_cases(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    text_file = tmp_path / "notes.txt"
    text_file.write_text("just some notes\n")
    readonly = tmp_path / "ro.db"
    main(["demo", "--db", str(readonly)])
    readonly.chmod(0o444)
    corrupt = tmp_path / "corrupt.db"
    main(["demo", "--db", str(corrupt)])
    data = corrupt.read_bytes()
    corrupt.write_bytes(data[:100] + b"\x00" * 4000)
    foreign = tmp_path / "foreign.db"
    sqlite3.connect(foreign).execute("CREATE TABLE x (y)").connection.commit()
    return {
        "directory": (tmp_path, "is a directory"),
        "not sqlite": (text_file, "not a SQLite database"),
        "read-only": (readonly, "read-only"),
        "corrupt": (corrupt, "damaged"),
        "foreign": (foreign, "not one of salestui's"),
    }


@pytest.mark.parametrize("case", ["directory", "not sqlite", "read-only", "corrupt", "foreign"])
def test_bad_db_prints_one_line_and_exits_non_zero(tmp_path, case):
    path, expected = _bad_db_cases(tmp_path)[case]
    before = path.read_bytes() if path.is_file() else None
    for args in (["--db", str(path)], ["demo", "--db", str(path)]):
        result = run_cli(*args)
        assert result.returncode != 0
        assert expected in result.stderr
        assert "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    if before is not None:
        assert path.read_bytes() == before


def test_a_server_opened_here_before_is_checked_by_the_app_not_before_its_first_frame(monkeypatch):
    """The first start on a server URL asks it before Textual starts (a one-line error, exit 2);
    once this computer has shown its home (the lists are cached), the app starts at once and its
    own opening finds the same problems (SQLAlchemy and the server's answer cost ~0.5 s)."""
    from salestui import home_cache

    url = "postgresql+psycopg://rep@127.0.0.1:1/team"
    checked: list[str] = []
    started: list[str] = []
    monkeypatch.delenv("SALESTUI_OWNER", raising=False)
    monkeypatch.setattr("salestui.store.engine.check_url", checked.append)
    monkeypatch.setattr("salestui.app.SalesApp.run", lambda app, *a, **k: started.append(app.db_target))
    assert main(["--db", url]) == 0
    assert checked == [url] and started == [url]
    cached = home_cache.path_for(url, None)
    cached.parent.mkdir(parents=True, exist_ok=True)
    cached.write_text("{}", encoding="utf-8")
    assert main(["--db", url]) == 0
    assert checked == [url] and started == [url, url]


def test_a_file_opened_here_before_has_its_schema_read_by_the_store_not_before_the_first_frame(tmp_path, monkeypatch):
    """The cheap checks (folder, permissions, header) always run before Textual starts; the
    schema's revision (SQLite parses the whole schema to answer, ~10 ms) only on a file this
    computer has not shown home from: after that the store's own opening reads it, and refuses
    a newer schema (``test_migrations``) with the same words."""
    from salestui import home_cache
    from salestui.store import preflight

    db = tmp_path / "sales.db"
    assert main(["demo", "--db", str(db)]) == 0
    read: list[Path] = []
    real = preflight._revision
    monkeypatch.delenv("SALESTUI_OWNER", raising=False)
    monkeypatch.setattr(preflight, "_revision", lambda path: read.append(path) or real(path))
    monkeypatch.setattr("salestui.app.SalesApp.run", lambda app, *a, **k: None)
    assert main(["--db", str(db)]) == 0
    assert read == [db]
    cached = home_cache.path_for(str(db), None)
    cached.parent.mkdir(parents=True, exist_ok=True)
    cached.write_text("{}", encoding="utf-8")
    assert main(["--db", str(db)]) == 0
    assert read == [db]
    db.chmod(0o444)  # the cheap checks still run
    assert main(["--db", str(db)]) == 2
