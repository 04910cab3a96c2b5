"""Issue 17, cases 11 and 16: hostile input and a full disk give one line, never a traceback or bad data."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from salestui.cli import main
from salestui.io.json_io import dump_json

ROOT = Path(__file__).parent.parent


def _run(*args: str, stdout: int | None = subprocess.PIPE) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "salestui", *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        timeout=60,
        cwd=ROOT,
        env={**os.environ},
    )


def test_deeply_nested_json_is_one_line(tmp_path):
    nested = tmp_path / "nested.json"
    nested.write_text("[" * 100_000)
    result = _run("import", "json", str(nested), "--db", str(tmp_path / "x.db"))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "nested too deeply" in result.stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_export_to_a_full_disk_is_one_line(tmp_path):
    db = tmp_path / "d.db"
    assert main(["demo", "--db", str(db)]) == 0
    with open("/dev/full", "w") as full:
        result = _run("export", "--format", "json", "--db", str(db), stdout=full.fileno())
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "No space left on device" in result.stderr


def _document(demo_store) -> dict:  # type: ignore[no-untyped-def]
    return json.loads(dump_json(demo_store))


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ("rating", "rating 99 is outside 1-5"),
        ("readiness", "readiness -500 is outside 0-100"),
        ("carried", "carried over from itself"),
        ("next_call", "its next call is the call itself"),
    ],
)
def test_json_import_validates_like_the_screens(demo_store, tmp_path, capsys, change, expected):
    document = _document(demo_store)
    debriefed = next(call for call in document["calls"] if call["debrief"] is not None)
    if change == "rating":
        debriefed["debrief"]["rating"] = 99
    elif change == "readiness":
        document["calls"][0]["readiness_at_start"] = -500
    elif change == "carried":
        document["calls"][0]["carried_from_call_id"] = document["calls"][0]["id"]
    else:
        debriefed["debrief"]["next_call_id"] = debriefed["id"]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document))
    target = tmp_path / "fresh.db"
    assert main(["import", "json", str(path), "--db", str(target)]) == 2
    err = capsys.readouterr().err
    assert expected in err and err.count("\n") == 1
