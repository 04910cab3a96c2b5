"""Work done per key (issue 32): the footer is rebuilt only when its keys change, a typed
character lays out nothing, the review position line lays out nothing."""

from __future__ import annotations

from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static
from textual.widgets._footer import FooterKey

from salestui.widgets.fields import TextInput
from salestui.widgets.footer import KeysFooter


def _count_layouts(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the screen layouts Textual runs (a reflow of every widget on the screen)."""
    layouts = [0]
    real = Screen._refresh_layout

    def counted(screen: Screen[Any], *args: Any, **kwargs: Any) -> Any:
        if screen._layout_required:
            layouts[0] += 1
        return real(screen, *args, **kwargs)

    monkeypatch.setattr(Screen, "_refresh_layout", counted)
    return layouts


class Toggled(App[None]):
    """A footer key that comes and goes (``check_action``), and a key that changes nothing."""

    BINDINGS = [
        Binding("s", "save", "Save"),
        Binding("t", "toggle", "Toggle"),
    ]
    saving = True

    def compose(self) -> ComposeResult:
        yield Static("[/] [TODO]", markup=False)
        yield KeysFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.saving if action == "save" else True

    def action_toggle(self) -> None:
        self.saving = not self.saving
        self.screen.refresh_bindings()


def _keys(app: App[Any]) -> list[tuple[str, bool]]:
    return [(key.description, key.disabled) for key in app.screen.query(FooterKey) if key.description]


async def test_the_footer_is_rebuilt_only_when_its_keys_change(monkeypatch: pytest.MonkeyPatch) -> None:
    built = [0]
    real = KeysFooter.compose

    def compose(footer: KeysFooter) -> Any:
        built[0] += 1
        yield from real(footer)

    monkeypatch.setattr(KeysFooter, "compose", compose)
    app = Toggled()
    async with app.run_test() as pilot:
        for _ in range(20):  # the footer is built after the first refresh
            await pilot.pause()
            if _keys(app):
                break
        assert ("Save", False) in _keys(app)
        before = built[0]
        for _ in range(5):
            app.screen.refresh_bindings()  # as a list does on every row highlighted
            await pilot.pause()
        assert built[0] == before, "the footer was rebuilt for bindings that show the same keys"
        app.action_toggle()  # Save is off now (check_action False): the footer must drop it
        await pilot.pause()
        await pilot.pause()
        assert built[0] == before + 1 and [name for name, _ in _keys(app)] == ["Toggle", "palette"]
        app.action_toggle()
        await pilot.pause()
        await pilot.pause()
        assert ("Save", False) in _keys(app)
        # Each key in the footer's own (not compact) style from the start; the palette key compact.
        keys = list(app.screen.query(FooterKey))
        assert all(not key.compact for key in keys if not key.has_class("-command-palette"))
        assert all(key.compact for key in keys if key.has_class("-command-palette"))


class Field(App[None]):
    def compose(self) -> ComposeResult:
        for n in range(20):
            yield Static(f"line {n}")
        yield TextInput(id="field")


async def test_a_typed_character_lays_out_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    layouts = _count_layouts(monkeypatch)
    app = Field()
    async with app.run_test(size=(30, 30)) as pilot:
        app.query_one("#field").focus()
        await pilot.pause()
        before = layouts[0]
        typed = "abcdefghijklmnopqrstuvwxyz[/][TODO]"
        await pilot.press(*typed)
        await pilot.pause()
        field = app.query_one("#field", TextInput)
        assert field.value == typed
        assert layouts[0] == before, f"{layouts[0] - before} screen layouts for {len(typed)} keys"
        # Longer than the field: it still scrolls to the cursor, and shows the end of the text.
        assert field.scroll_x > 0 and field.virtual_size.width == len(typed) + 1
        shown = "".join(segment.text for segment in field.render_line(0))
        assert shown.rstrip().endswith("[TODO]")


async def test_every_screens_styles_are_read_once_home_is_shown(
    db_path, demo_store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second after the store opens every screen's ``.tcss`` is read; opening review and then a
    call's detail parses no stylesheet again (each first push used to re-parse every source and
    restyle every open screen's widgets)."""
    from pathlib import Path

    from textual.css.stylesheet import Stylesheet

    import salestui.app as app_module
    from salestui.screens.call_detail import CallDetailScreen
    from salestui.screens.review import ReviewScreen
    from tests.helpers import make_app, settle, wait_ready, wait_screen

    monkeypatch.setattr(app_module, "STYLES_AFTER_OPEN", 0.05)
    screens = sorted(str(p.resolve()) for p in (Path(app_module.__file__).parent / "screens").glob("*.tcss"))
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        for _ in range(200):
            if all(app.stylesheet.has_source(path, "") for path in screens):
                break
            await pilot.pause(0.02)
        assert all(app.stylesheet.has_source(path, "") for path in screens)
        parses = [0]
        real = Stylesheet.reparse

        def counted(stylesheet: Stylesheet) -> None:
            parses[0] += 1
            real(stylesheet)

        monkeypatch.setattr(Stylesheet, "reparse", counted)
        app.action_review()
        review = await wait_screen(pilot, ReviewScreen)
        review.query_one("ReviewTable").focus()
        await pilot.press("enter")
        await wait_screen(pilot, CallDetailScreen)
        await settle(pilot)
        assert parses[0] == 0
