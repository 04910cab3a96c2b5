"""Issue 30, item 13: each wrong setting is named once and its default kept; a huge settings file is not read."""

from __future__ import annotations

import time
from pathlib import Path

from salestui.settings import MAX_BYTES, key_problem, load, settings_path
from tests.helpers import make_app, settle, toasts, wait_ready, wait_screen


def _write(text: str) -> Path:
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_garbage_key_string_is_named_and_the_default_kept(config_dir: Path):
    _write('[keys]\n"home.plan" = "ctrl+shfit+q"\n"home.review" = "xyzzy"\n"home.research" = "R"\n')
    settings = load()
    assert settings.keys == {"home.research": "R"}
    assert len(settings.problems) == 2
    assert "'home.plan'" in settings.problems[0] and "'shfit' is not a modifier" in settings.problems[0]
    assert "'xyzzy' is not a key" in settings.problems[1] and "default key stays" in settings.problems[1]


def test_key_strings_a_terminal_can_send_pass():
    for good in ("N", "ctrl+n", "ctrl+n,f2", "question_mark", "shift+tab", "alt+full_stop", "é", "pagedown"):
        assert key_problem(good) is None, good
    for bad in ("", "n,,v", "xyzzy", "ctrl+shfit+q", "hyperspace+x"):
        assert key_problem(bad) is not None, bad


def test_a_huge_settings_file_is_not_read(config_dir: Path):
    path = _write('theme = "nord"\n' + "# padding\n" * (16 * 1024 * 1024 // 10))
    assert path.stat().st_size > 16_000_000
    started = time.perf_counter()
    settings = load()
    elapsed = time.perf_counter() - started
    assert elapsed < 0.2, elapsed
    assert settings.theme == ""  # defaults apply
    (problem,) = settings.problems
    assert "not read" in problem and f"{MAX_BYTES:,}" in problem


def test_the_config_command_names_each_problem(config_dir: Path, capsys):
    from salestui.cli import main

    _write('[keys]\n"home.plan" = "xyzzy"\n')
    assert main(["config"]) == 0
    out = capsys.readouterr().out
    assert out.count("'xyzzy' is not a key") == 1


def test_unknown_ids_and_clashes_are_found():
    from salestui.preferences import binding_classes, keymap_problems

    classes = binding_classes()
    kept, problems = keymap_problems({"home.plan": "v", "home.nonesuch": "a", "home.research": "F"}, classes)
    assert kept == {"home.research": "F"}
    assert len(problems) == 2
    assert "'home.nonesuch' is not a binding id" in problems[0]
    assert "'home.plan' = 'v' clashes with home.review" in problems[1]
    # A swap is no clash: both keys move.
    assert keymap_problems({"home.plan": "v", "home.review": "n"}, classes) == (
        {"home.plan": "v", "home.review": "n"},
        [],
    )


async def test_the_app_names_each_problem_once_and_keeps_the_defaults(db_path, store, config_dir: Path):
    from salestui.screens.home import HomeScreen
    from salestui.screens.review import ReviewScreen

    _write('theme = "nonesuch"\n[keys]\n"home.plan" = "v"\n"home.nonesuch" = "a"\n"home.research" = "xyzzy"\n')
    app = make_app(db_path)
    app.settings = load()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        for _ in range(100):  # the keymap check runs in a thread after the first frame
            await pilot.pause(0.05)
            if any("clashes" in toast for toast in toasts(app)):
                break
        await settle(pilot)
        shown = toasts(app)
        for expected in ("'nonesuch' is not a theme", "'home.nonesuch' is not a binding id", "clashes", "'xyzzy'"):
            assert sum(expected in toast for toast in shown) == 1, (expected, shown)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("v")  # the clashing remap was dropped: v still reviews
        await wait_screen(pilot, ReviewScreen)
