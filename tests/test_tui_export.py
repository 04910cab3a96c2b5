"""Exports from the palette: context commands, the path modal, a private file and a toast naming it."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from textual.widgets import Input

from salestui.modals.export_path import ExportPath, check_target
from salestui.store.core import Store
from tests.helpers import make_app, palette, settle, toasts, type_text, wait_ready


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "home"
    (folder / "Documents").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(folder))
    return folder


async def test_dossier_from_the_account_screen(db_path: Path, demo_store: Store, home: Path) -> None:
    account = demo_store.accounts.find_by_name("Initech")
    assert account is not None
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        app.open_account(account.id)
        await settle(pilot)
        await palette(pilot, "dossier")
        modal = app.screen
        assert isinstance(modal, ExportPath)
        field = modal.query_one("#path", Input)
        assert field.value == str(home / "Documents" / "salestui" / "initech-dossier-2026-11-23.md")
        await pilot.press("enter")
        await settle(pilot)
        written = home / "Documents" / "salestui" / "initech-dossier-2026-11-23.md"
        assert written.read_text(encoding="utf-8").startswith("# Initech\n")
        assert stat.S_IMODE(written.stat().st_mode) == 0o600
        assert f"Exported to {written}" in toasts(app)


async def test_everything_to_a_typed_path_with_brackets(db_path: Path, demo_store: Store, home: Path) -> None:
    target = home / "[bold]" / "x[" / "]all.json"  # the path reads ".../[bold]/x[/]all.json"
    target.parent.mkdir(parents=True)
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        await palette(pilot, "everything")
        modal = app.screen
        assert isinstance(modal, ExportPath)
        field = modal.query_one("#path", Input)
        field.value = f"{target.parent}/"
        field.cursor_position = len(field.value)
        await type_text(pilot, target.name)
        await pilot.press("enter")
        await settle(pilot)
        assert target.read_text(encoding="utf-8").startswith('{\n  "format": "salestui"')
        assert f"Exported to {target}" in toasts(app)  # shown literally (markup=False)


async def test_escape_cancels_and_writes_nothing(db_path: Path, demo_store: Store, home: Path) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await palette(pilot, "Export calendar")
        assert isinstance(app.screen, ExportPath)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, ExportPath)
        assert list((home / "Documents").iterdir()) == []  # not even the export folder


async def test_account_commands_only_where_they_fit(db_path: Path, demo_store: Store, home: Path) -> None:
    from salestui.commands import SalesCommands

    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        provider = SalesCommands(app.screen)
        names = [command.name for command, _ in provider._commands()]
        assert "Export everything (JSON)…" in names and "Export calendar (ics)…" in names
        assert "Export account dossier…" not in names and "Export call sheet…" not in names
        app.open_account(1)
        await settle(pilot)
        names = [command.name for command, _ in SalesCommands(app.screen)._commands()]
        assert "Export account dossier…" in names


def test_check_target(tmp_path: Path) -> None:
    assert check_target("")[0] is None
    assert check_target(str(tmp_path))[1] == "That is a folder: add a file name."
    assert check_target(str(tmp_path / "nope" / "x.md"))[0] is None
    assert check_target(str(tmp_path / "x.md")) == (tmp_path / "x.md", "Readable by you only.")
    (tmp_path / "x.md").write_text("old")
    assert check_target(str(tmp_path / "x.md"))[1] == "This file exists and will be replaced."


async def test_call_sheet_from_a_call_screen(db_path: Path, demo_store: Store, home: Path) -> None:
    pytest.importorskip("salestui.io.plan_sheet")
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        app.open_call(8)
        await settle(pilot)
        await palette(pilot, "call sheet")
        assert isinstance(app.screen, ExportPath)
        await pilot.press("enter")
        await settle(pilot)
        written = home / "Documents" / "salestui" / "initech-call-8.md"
        assert "Initech" in written.read_text(encoding="utf-8")
        assert stat.S_IMODE(written.stat().st_mode) == 0o600
