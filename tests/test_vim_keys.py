"""One vim-keyed base for tables and lists (``salestui.widgets.vim``): j/k/g/G everywhere, defined once."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import DataTable, OptionList

from salestui.screens.accounts import AccountTable
from salestui.widgets.call_table import CallTable
from salestui.widgets.plan_checklist import ChecklistList
from salestui.widgets.plan_objections import PlannedObjections
from salestui.widgets.plan_questions import PlanQuestions
from salestui.widgets.research_common import ItemList
from salestui.widgets.research_contacts import ContactTable
from salestui.widgets.vim import VimDataTable, VimOptionList

ROOT = Path(__file__).parent.parent / "salestui"
VIM = {"j": "vim.down", "k": "vim.up", "g": "vim.first", "G": "vim.last"}


def keys(widget_class: type) -> dict[str, tuple[str, str, str | None, bool]]:
    """Key -> (action, description, id, shown) as Textual merges the class's bindings."""
    merged = widget_class._merge_bindings()  # type: ignore[attr-defined]
    return {key: (b.action, b.description, b.id, b.show) for key, [b, *_] in merged.key_to_bindings.items()}


@pytest.mark.parametrize(
    "widget_class", [CallTable, ContactTable, ChecklistList, PlannedObjections, PlanQuestions, ItemList, AccountTable]
)
def test_every_list_inherits_the_vim_keys(widget_class: type) -> None:
    base = VimDataTable if issubclass(widget_class, DataTable) else VimOptionList
    assert issubclass(widget_class, base)
    bound = keys(widget_class)
    for key, binding_id in VIM.items():
        action, description, found_id, shown = bound[key]
        assert (found_id, shown) == (binding_id, False) and description, key
    assert bound["up"][0] == "cursor_up"  # the widget's own keys are still there


def test_no_widget_modal_or_screen_binds_j_or_k_itself() -> None:
    """The cursor keys are defined in vim.py only (the debrief's outcome panel and objection rows
    give j/k their own meaning, not a cursor move)."""
    found = []
    for folder in ("widgets", "modals", "screens"):
        for path in (ROOT / folder).glob("*.py"):
            if path.name == "vim.py":
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Binding" and len(node.args) > 1:
                    key, action = (getattr(arg, "value", "") for arg in node.args[:2])
                    if set(str(key).split(",")) & {"j", "k"} and str(action).startswith("cursor_"):
                        found.append(f"{path.name}:{node.lineno}")
    assert found == []


class Lists(App[None]):
    def compose(self) -> ComposeResult:
        yield VimDataTable[Text](id="table")
        yield VimOptionList(*[f"option {n}" for n in range(5)], id="options")

    def on_mount(self) -> None:
        table = self.query_one("#table", DataTable)
        table.add_column("n")
        table.add_rows([[Text(str(n))] for n in range(5)])


async def test_j_k_g_G_move_in_a_table_and_a_list() -> None:
    app = Lists()
    async with app.run_test() as pilot:
        table = app.query_one("#table", DataTable)
        options = app.query_one("#options", OptionList)
        table.focus()
        await pilot.press("j", "j", "k")
        assert table.cursor_row == 1
        await pilot.press("G")
        assert table.cursor_row == 4
        await pilot.press("g")
        assert table.cursor_row == 0
        options.focus()
        options.highlighted = 0
        await pilot.press("j", "j", "j", "k")
        assert options.highlighted == 2
        await pilot.press("G")
        assert options.highlighted == 4
        await pilot.press("g")
        assert options.highlighted == 0
