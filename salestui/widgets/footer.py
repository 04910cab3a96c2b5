"""Textual's Footer, rebuilt only when the keys it shows change (issue 32).

Textual's ``Footer`` recomposes itself, every key widget new, each time the screen's bindings
are updated: a focus change, a row highlighted (``CallTable`` refreshes its bindings for ``x``),
a screen opened. Each new ``FooterKey`` also starts compact (its reactive's default) and is
then data-bound back to the footer's own non-compact style: two stylesheet updates per key.
Profiled, that was 19% of opening call detail, and home's first rows waited ~250 ms (loaded
machine) behind a footer rebuilt for the table taking focus, with the same keys as before.

``KeysFooter`` draws exactly what ``Footer`` draws; it skips the rebuild when the keys to show
(key, label, action, enabled, tooltip, group) are those already shown, and builds each key in
the footer's own style from the start.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.widgets import Footer
from textual.widgets._footer import FooterKey

if TYPE_CHECKING:
    from textual.app import ComposeResult
    from textual.screen import Screen


class KeysFooter(Footer):
    """A ``Footer`` that is rebuilt only when what it shows changes."""

    _shown: object = None
    """What the footer's keys were built from (``_keys``); ``None``: not built yet."""

    def _keys(self, screen: Screen[Any]) -> object:
        palette = (
            screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
            if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE
            else None
        )
        return (
            self.compact,
            tuple(
                (binding.key, binding.description, binding.action, enabled, tooltip, binding.group)
                for (_, binding, enabled, tooltip) in screen.active_bindings.values()
                if binding.show
            ),
            palette and (palette[1].key, palette[1].description, palette[2], palette[1].tooltip),
        )

    def compose(self) -> ComposeResult:
        """Footer's keys, each in the footer's own style from the start."""
        if self._bindings_ready:
            self._shown = self._keys(self.screen)
        for widget in super().compose():
            if isinstance(widget, FooterKey) and not widget.has_class("-command-palette"):
                # ``FooterKey.compact`` starts True and is then bound to the footer's (False):
                # set it first, so the binding changes nothing and no style is computed twice.
                # (The palette key is not bound: it stays compact, as Footer draws it.)
                widget.set_reactive(FooterKey.compact, self.compact)
            yield widget

    def bindings_changed(self, screen: Screen[Any]) -> None:
        """Rebuild only when the keys to show changed (Textual rebuilds on every update)."""
        if self._shown is not None and self.is_attached and screen is self.screen and self._keys(screen) == self._shown:
            return
        super().bindings_changed(screen)
