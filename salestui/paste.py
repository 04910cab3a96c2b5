"""A bracketed paste reaches the app whole and in order, even when it holds an ESC.

**The cause, in Textual 8.2.8** (``textual/_xterm_parser.py``, ``XTermParser.parse``). Inside a
bracketed paste (``ESC [200~`` … ``ESC [201~``) the parser appends each character to its paste
buffer, but an ESC still starts its escape-sequence loop. That loop reads the characters after
the ESC into ``sequence`` without adding them to the paste buffer and, while ``bracketed_paste``
is set, matches nothing but the end marker, so it reads on to the next ESC (or 32 characters).
Then ``reissue_sequence_as_keys`` sends what it read as *key* events at once (the ESC as ``^``,
a tab as the ``tab`` key, which moves the focus), while the text before the ESC waits in the
buffer for the ``Paste`` event sent at the end marker. ``AAA ESC [31mBBB`` therefore arrives as
the keys ``^ [ 3 1 m B B B`` and then ``Paste("AAA")``: stored as ``^[31mBBBAAA``.

**The workaround.** :class:`PasteSafeParser` removes every ESC inside a bracketed paste except
the one that ends it, before Textual's parser sees the text. The paste then reaches the parser
as plain text and comes out as one ``Paste`` event, in order: ``AAA[31mBBB``. Dropping the ESC
is what the fields do with control characters anyway (``salestui.text.entered``); the visible
rest of an escape code stays, so nothing pasted is lost and nothing pasted acts as a key.

**The hook.** Textual offers no public way to choose the input parser: ``LinuxDriver``'s input
thread builds it as ``XTermParser(...)``, a name looked up in ``textual.drivers.linux_driver``
when the thread starts. :func:`install` points that name at :class:`PasteSafeParser`; the app
calls it from ``SalesApp.get_driver_class`` (Textual's public hook for choosing the driver), so
it is in place before the driver starts. (Pilot tests run Textual's headless driver, which
parses no input: there the patch is inert.) ``tests/test_paste_focus.py`` pins the cause and
the hook, so a Textual upgrade that changes either fails there, and pastes into the app on a pty.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from itertools import chain
from time import monotonic
from typing import TYPE_CHECKING

from textual import constants
from textual._xterm_parser import BRACKETED_PASTE_END, BRACKETED_PASTE_START, XTermParser
from textual.message import Message

if TYPE_CHECKING:
    from textual.driver import Driver

ESC = "\x1b"


class PasteFilter:
    """Removes the ESCs inside bracketed pastes from a stream of text that arrives in pieces.

    Outside a paste the text passes unchanged. A marker cut in two by the end of a read is
    still found: the start by remembering the last characters passed (a start completed later
    than Textual's escape delay is not one: the parser has given up on it by then), the end by
    holding back a possible beginning of it until the next piece.
    """

    def __init__(self) -> None:
        self.pasting = False
        """Inside a bracketed paste."""
        self._held = ""
        """Inside a paste: a piece ended with what may be the start of the end marker."""
        self._tail = ""
        """Outside a paste: the last characters passed, which may begin the start marker."""
        self._tail_at = 0.0
        """When ``_tail`` was passed (``monotonic``)."""

    def __call__(self, data: str) -> str:
        """The text to hand to the parser now (may be empty: all of it held back)."""
        now = monotonic()
        if now - self._tail_at > constants.ESCAPE_DELAY:
            self._tail = ""
        self._tail_at = now
        data, self._held = self._held + data, ""
        out: list[str] = []
        at = 0
        while at < len(data):
            if not self.pasting:
                window = self._tail + data[at:]
                found = window.find(BRACKETED_PASTE_START)
                if found < 0:
                    out.append(data[at:])
                    self._tail = window[-(len(BRACKETED_PASTE_START) - 1) :]
                    break
                after = at + found + len(BRACKETED_PASTE_START) - len(self._tail)
                out.append(data[at:after])
                at, self._tail, self.pasting = after, "", True
                continue
            esc = data.find(ESC, at)
            if esc < 0:
                out.append(data[at:])
                break
            out.append(data[at:esc])
            rest = data[esc:]
            if rest.startswith(BRACKETED_PASTE_END):
                out.append(BRACKETED_PASTE_END)
                at, self.pasting = esc + len(BRACKETED_PASTE_END), False
            elif BRACKETED_PASTE_END.startswith(rest):
                self._held = rest  # the marker may be cut: decide with the next piece
                break
            else:
                at = esc + 1  # an ESC in the pasted text: dropped
        return "".join(out)

    def flush(self) -> str:
        """What is held back (at the end of input)."""
        held, self._held = self._held, ""
        return held


class PasteSafeParser(XTermParser):
    """Textual's input parser, fed through a :class:`PasteFilter`."""

    def __init__(self, debug: bool = False) -> None:
        self.paste_filter = PasteFilter()
        super().__init__(debug)

    def feed(self, data: str) -> Iterable[Message]:
        """Parse ``data`` with the ESCs inside bracketed pastes removed (``""`` ends the input)."""
        if not data:
            held = self.paste_filter.flush()
            return chain(super().feed(held) if held else (), super().feed(""))
        kept = self.paste_filter(data)
        # An empty feed means end of input to Textual: a piece held back whole feeds nothing.
        return super().feed(kept) if kept else ()


def install(driver_class: type[Driver]) -> type[Driver]:
    """Have ``driver_class`` parse input with :class:`PasteSafeParser` (see the module docstring).

    Only a driver whose module builds Textual's ``XTermParser`` by name is changed (the Linux
    and macOS terminal driver); any other comes back as it was.
    """
    module = sys.modules[driver_class.__module__]
    if getattr(module, "XTermParser", None) is XTermParser:
        module.XTermParser = PasteSafeParser  # type: ignore[attr-defined]
    return driver_class
