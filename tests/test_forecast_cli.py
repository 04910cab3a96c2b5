"""``salestui forecast``: text that fits 80 columns, ``--json`` with weeks, bands, calls and the backtest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from salestui.cli import main
from salestui.domain import forecast as fc
from salestui.store.core import open_store
from salestui.store.demo import load_demo


@pytest.fixture
def demo_path(tmp_path: Path, frozen_now) -> Path:  # type: ignore[no-untyped-def]
    """The demo with its track record, at the frozen moment (the clock stays frozen for the command)."""
    path = tmp_path / "forecast.db"
    store = open_store(path, owner="tester")
    load_demo(store, now=frozen_now, history=True)
    store.close()
    return path


def test_json_names_weeks_bands_calls_and_the_backtest(demo_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["forecast", "--db", str(demo_path), "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found["rep"] == "tester" and found["prior_strength"] == fc.PRIOR_STRENGTH
    weeks = found["weeks"]
    assert [w["start"] for w in weeks] == ["2026-11-23", "2026-11-30", "2026-12-07", "2026-12-14"]
    for week in weeks:
        assert week["low"] <= round(week["expected_advances"], 1) <= week["high"]
        chances = [c["advance_probability"] for c in found["calls"] if c["week"] == week["week"]]
        assert week["calls"] == len(chances)
        assert week["expected_advances"] == pytest.approx(sum(chances), abs=0.01)
    assert found["total"]["calls"] == len(found["calls"]) == 6
    wayne = next(c for c in found["calls"] if c["account"] == "Wayne Retail")
    assert wayne["readiness"] == 57 and wayne["kind"] == "demo" and wayne["held_calls_behind"] > 0
    assert 0 < wayne["target_or_better_probability"] <= wayne["advance_probability"] < 1
    movers = found["what_would_move_it"]
    assert any(m["text"].startswith("Wayne Retail, 57 % ready: calls like it advance") for m in movers)
    assert all(m["prepared_probability"] > m["advance_probability"] for m in movers)
    test = found["backtest"]
    assert test["weeks_checked"] == len(test["weeks"]) == fc.BACKTEST_WEEKS
    assert test["weeks_inside"] == sum(w["inside"] for w in test["weeks"])
    assert 0 <= test["brier"] <= 1 and test["mae"] >= 0
    assert test["summary"].startswith(f"{test['weeks_inside']} of {test['weeks_checked']} past weeks inside the band")


def test_weeks_option(demo_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["forecast", "--db", str(demo_path), "--json", "--weeks", "1"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert len(found["weeks"]) == 1 and {c["week"] for c in found["calls"]} == {0}


def test_text_fits_80_columns(demo_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["forecast", "--db", str(demo_path)]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].startswith("Forecast for tester, next 4 weeks:")
    assert "  This week" in out and "What would move it" in out and "past weeks inside the band" in out
    assert max(len(line) for line in lines) <= 80


def test_bad_input_is_one_clear_line(demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["forecast", "--db", str(demo_path), "--weeks", "0"]) == 2
    assert capsys.readouterr().err.strip() == "salestui: --weeks must be 1 or more"
    assert main(["forecast", "--db", str(demo_path), "--rep", "nobody"]) == 2
    assert "no calls of a rep named 'nobody'" in capsys.readouterr().err
    missing = tmp_path / "nothing-here.db"
    assert main(["forecast", "--db", str(missing)]) == 2
    assert "there is no database" in capsys.readouterr().err and not missing.exists()


def test_a_rep_and_the_team(demo_path: Path, capsys: pytest.CaptureFixture[str], frozen_now) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    other = open_store(demo_path, owner="[/] [TODO]")
    account = other.accounts.create("Their account").id
    other.calls.create(account, frozen_now + timedelta(days=2), objective="their next call")
    other.close()
    assert main(["forecast", "--db", str(demo_path), "--json", "--rep", "[/] [TODO]"]) == 0
    theirs = json.loads(capsys.readouterr().out)
    assert theirs["rep"] == "[/] [TODO]" and [c["account"] for c in theirs["calls"]] == ["Their account"]
    assert theirs["shrunk_toward"] == "team"
    assert main(["forecast", "--db", str(demo_path), "--json", "--team"]) == 0
    team = json.loads(capsys.readouterr().out)
    assert team["rep"] == "Team" and team["total"]["calls"] == 7
