"""Styles stay on their own screen: Textual applies every screen's CSS_PATH to the whole app."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import salestui
from salestui.screens import base

SCREENS = Path(salestui.__file__).parent / "screens"


def _selectors(css: str) -> list[str]:
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    out: list[str] = []
    for block in re.finditer(r"([^{}]+)\{", css):
        out.extend(part.strip() for part in block.group(1).split(",") if part.strip())
    return out


def _screen_types() -> dict[str, str]:
    """``plan.tcss`` -> ``PlanScreen``: the class whose CSS_PATH names the file."""
    import importlib

    found: dict[str, str] = {}
    for module_file in SCREENS.glob("*.py"):
        module = importlib.import_module(f"salestui.screens.{module_file.stem}")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            path = getattr(cls, "CSS_PATH", None)
            if isinstance(path, str) and cls.__module__ == module.__name__:
                found[path] = cls.__name__
    return found


def test_every_rule_of_a_screen_stylesheet_starts_with_its_screen() -> None:
    owners = _screen_types()
    sheets = sorted(SCREENS.glob("*.tcss"))
    assert sheets
    for sheet in sheets:
        owner = owners.get(sheet.name)
        assert owner is not None, f"{sheet.name} belongs to no screen"
        for selector in _selectors(sheet.read_text()):
            assert re.match(rf"{owner}\b", selector), f"{sheet.name}: {selector!r} is not scoped to {owner}"


def test_no_two_widget_or_screen_classes_share_a_name() -> None:
    import importlib
    import pkgutil

    from textual.dom import DOMNode

    seen: dict[str, str] = {}
    for info in pkgutil.walk_packages(salestui.__path__, "salestui."):
        if not info.name.startswith(("salestui.screens", "salestui.widgets", "salestui.modals")):
            continue
        module = importlib.import_module(info.name)
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module.__name__ or not issubclass(cls, DOMNode):
                continue
            assert seen.setdefault(name, info.name) == info.name, f"{name} in {seen[name]} and {info.name}"
    assert base.DataScreen.__name__ in seen
