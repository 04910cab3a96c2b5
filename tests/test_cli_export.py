"""``salestui export``: formats, --db after the subcommand, SALESTUI_DB, private --out files, one-line errors."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from salestui.cli import main
from salestui.io.csv_export import calls_csv
from salestui.io.json_io import dump_json
from salestui.store.core import Store

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def demo_db(demo_store: Store, db_path: Path) -> Path:
    return db_path


def _one_line_error(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def test_json_to_stdout_with_db_after_the_subcommand(demo_db: Path, demo_store: Store, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["export", "--format", "json", "--db", str(demo_db)]) == 0
    out = capsys.readouterr().out
    assert out == dump_json(demo_store)
    assert json.loads(out)["format"] == "salestui"


def test_salestui_db_environment(demo_db: Path, demo_store: Store, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SALESTUI_DB", str(demo_db))
    assert main(["export", "--format", "csv"]) == 0
    assert capsys.readouterr().out == calls_csv(demo_store)


def test_out_file_is_private_and_replaced_atomically(demo_db: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "calls.csv"
    out.write_text("old, world-readable\n")
    os.chmod(out, 0o644)
    assert main(["export", "--db", str(demo_db), "--format", "csv", "--out", str(out)]) == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert out.read_text(encoding="utf-8").startswith("id,date,account")
    assert str(out) in capsys.readouterr().out
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".calls")] == []  # no temp file left


def test_format_from_the_out_extension(demo_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "calendar.ics"
    assert main(["export", "--db", str(demo_db), "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("BEGIN:VCALENDAR")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_dossier_for_one_account(demo_db: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["export", "--format", "md", "--account", "acme manufacturing", "--db", str(demo_db)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Acme Manufacturing\n") and "# Initech" not in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["export", "--format", "md", "--account", "Init"], "no account named 'Init'; did you mean 'Initech'?"),
        (["export"], "choose a format"),
        (["export", "--format", "json", "--account", "Initech"], "--account does not apply to json"),
        (["export", "plan"], "export plan needs a CALL_ID"),
        (["export", "plan", "1", "--format", "csv"], "Markdown"),
        (["export", "--format", "csv", "--out", "/no/such/folder/x.csv"], "the folder /no/such/folder does not exist"),
    ],
)
def test_mistakes_give_one_line(demo_db: Path, capsys, argv: list[str], message: str) -> None:  # type: ignore[no-untyped-def]
    assert main([*argv, "--db", str(demo_db)]) != 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert message in _one_line_error(captured.err)


def test_bad_db_gives_one_line(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    garbage = tmp_path / "notes.txt"
    garbage.write_text("this is not a database\n" * 100)
    assert main(["export", "--format", "json", "--db", str(garbage)]) != 0
    assert "not a SQLite database" in _one_line_error(capsys.readouterr().err)

    missing = tmp_path / "missing.db"
    assert main(["export", "--format", "csv", "--db", str(missing)]) != 0
    assert "no database at" in _one_line_error(capsys.readouterr().err)
    assert not missing.exists()  # exporting never creates a database

    assert main(["export", "--format", "csv", "--db", str(tmp_path)]) != 0
    assert "not a database file" in _one_line_error(capsys.readouterr().err)


def test_plan_sheet(demo_db: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("salestui.io.plan_sheet")
    assert main(["export", "plan", "8", "--format", "md", "--db", str(demo_db)]) == 0
    assert "Initech" in capsys.readouterr().out
    assert main(["export", "plan", "999", "--db", str(demo_db)]) != 0
    assert "no call 999" in _one_line_error(capsys.readouterr().err)


@pytest.mark.sqlite_only("a real process opens the file it is given (no stand-in for PostgreSQL)")
def test_real_process_without_textual(demo_db: Path, tmp_path: Path) -> None:
    """The console entry point in a subprocess: exports work and never load Textual."""
    out = tmp_path / "all.json"
    script = (
        "import sys; from salestui.cli import main; "
        f"code = main(['export', '--format', 'json', '--out', {str(out)!r}]); "
        "assert 'textual' not in sys.modules, 'textual imported'; sys.exit(code)"
    )
    env = {**os.environ, "SALESTUI_DB": str(demo_db), "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # no progress bar when stderr is not a terminal
    assert json.loads(out.read_text(encoding="utf-8"))["version"] == 4
