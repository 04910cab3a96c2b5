"""Settings: the TOML file in the config folder (``$SALESTUI_CONFIG_DIR`` = tmp_path), applied to the app."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from salestui import format as fmt
from salestui.domain.review import Period, period_bounds, set_week_start
from salestui.settings import Settings, dumps, from_mapping, load, save, settings_path, with_theme
from tests.helpers import make_app, settle, wait_ready, wait_screen


def test_the_file_lives_in_the_config_folder_and_round_trips(config_dir: Path):
    assert settings_path() == config_dir / "settings.toml"
    assert load() == Settings()  # no file yet: defaults
    chosen = Settings(
        theme="nord",
        owner='Ann "the closer" \\ O\'Brien',
        date_format="iso",
        week_start="sunday",
        call_minutes=30,
        keys={"home.plan": "N", "help": "f1,h"},
    )
    save(chosen)
    assert load() == chosen
    assert "[keys]" in dumps(chosen)


def test_wrong_values_fall_back_to_defaults_and_are_named(config_dir: Path):
    settings = from_mapping({"week_start": "funday", "call_minutes": 0, "date_format": "iso", "colour": "red"})
    assert settings.week_start == "monday" and settings.call_minutes == 60 and settings.date_format == "iso"
    assert len(settings.problems) == 3
    config_dir.mkdir()
    (config_dir / "settings.toml").write_text("theme = [unclosed", encoding="utf-8")
    broken = load()
    assert broken.theme == "" and broken.problems
    assert with_theme("nord") is None  # a file the rep must fix is never overwritten
    assert (config_dir / "settings.toml").read_text(encoding="utf-8") == "theme = [unclosed"


def test_date_format_and_first_day_of_week():
    try:
        fmt.set_date_pattern(Settings(date_format="iso").date_pattern)
        assert fmt.when(datetime(2026, 11, 24, 14, 30, tzinfo=UTC)) == "2026-11-24 14:30"
        set_week_start(Settings(week_start="sunday").week_start_index)
        assert period_bounds(Period.THIS_WEEK, date(2026, 11, 25)) == (date(2026, 11, 22), date(2026, 11, 29))
    finally:
        fmt.set_date_pattern(Settings().date_pattern)
        set_week_start(0)


async def test_the_app_remaps_keys_applies_and_remembers_the_theme(db_path, store, config_dir: Path):
    from salestui.screens.home import HomeScreen
    from salestui.screens.review import ReviewScreen

    save(Settings(theme="nord", keys={"home.review": "R"}))
    app = make_app(db_path)
    app.settings = load()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        assert app.theme == "nord"
        await pilot.press("v")  # no longer bound
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("R")
        await wait_screen(pilot, ReviewScreen)
        app.theme = "gruvbox"
        await settle(pilot)
    assert load().theme == "gruvbox"
    assert load().keys == {"home.review": "R"}  # the rest of the file is kept


def test_config_command_shows_the_path_and_values(config_dir: Path, capsys):
    from salestui.cli import main

    save(Settings(owner="Ann", call_minutes=30, keys={"home.plan": "N"}))
    assert main(["config"]) == 0
    out = capsys.readouterr().out
    assert str(config_dir / "settings.toml") in out
    assert "Ann" in out and "call_minutes = 30" in out and "home.plan = N" in out
