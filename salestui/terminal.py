"""Last line of defence: no control character in widget text ever reaches the terminal.

Screens pass user text through ``salestui.text`` (``literal`` etc.), but editable widgets
(Input, TextArea, Select, Tabs, Header) show their values as they are: an ANSI escape typed or
imported into a field would be written to the terminal verbatim (``\\x1b[2J`` clears it, OSC
sequences retitle it). ``install()`` makes ``Strip.render`` replace C0/C1 control characters in
text segments with the same visible symbols ``salestui.text.clean`` uses; the styling sequences
Textual itself adds are untouched (they are produced from styles, not from segment text).
"""

from __future__ import annotations

from typing import Any

from rich.color import ColorSystem
from textual.strip import Strip

_CONTROLS = {code: "\N{WHITE SQUARE}" for code in (*range(0x20), 0x7F, *range(0x80, 0xA0))}
_CONTROLS[0] = "\N{REPLACEMENT CHARACTER}"


def visible(text: str) -> str:
    """``text`` with every control character replaced by a visible symbol."""
    return text if text.isascii() and text.isprintable() else text.translate(_CONTROLS)


def _render(self: Strip, console: Any) -> str:
    if self._render_cache is None:
        color_system = console._color_system or ColorSystem.TRUECOLOR
        render = self.render_style
        self._render_cache = "".join(
            [
                visible(text) if style is None else render(style, visible(text), color_system=color_system)
                for text, style, _ in self._segments
            ]
        )
    return self._render_cache


def install() -> None:
    """Guard every strip the app renders (idempotent)."""
    Strip.render = _render  # type: ignore[method-assign]
