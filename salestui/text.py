"""Show user text literally: never parsed as markup, never a terminal control sequence.

``entered`` and ``clean`` are plain Python: the store and the importers use them without
loading Textual (Rich and Textual are imported only by the functions that build their objects).
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.text import Text
    from textual.content import Content

_MAX_SHOWN = 2000


def clean(value: str, limit: int = _MAX_SHOWN) -> str:
    """Replace control characters (ANSI escapes, NUL) with visible symbols and cap the length."""
    out = []
    for char in value[:limit]:
        if char == "\n" or char == "\t":
            out.append(" ")
        elif unicodedata.category(char) == "Cc":
            out.append("\N{REPLACEMENT CHARACTER}" if char == "\x00" else "\N{WHITE SQUARE}")
        else:
            out.append(char)
    if len(value) > limit:
        out.append("…")
    return "".join(out)


#: Unicode's control characters (category Cc) other than tab and newline.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def entered(value: str, *, lines: bool = False) -> str:
    """Text as it may enter the database: control characters (ANSI escapes, NUL) removed.

    Multi-line fields keep newlines and tabs; one-line fields turn them into spaces.
    """
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    if not lines:
        value = value.replace("\n", " ").replace("\t", " ")
    return _CONTROL.sub("", value)


def literal(value: str, limit: int = _MAX_SHOWN) -> Content:
    """User text as Textual ``Content``, shown exactly as typed."""
    from textual.content import Content

    return Content(clean(value, limit))


def literal_text(value: str, style: str = "", limit: int = _MAX_SHOWN) -> Text:
    """User text as a Rich ``Text`` (for DataTable cells and Trees)."""
    from rich.text import Text

    return Text(clean(value, limit), style=style, no_wrap=True, overflow="ellipsis")


def multiline(value: str, limit: int = 20_000) -> Content:
    """Multi-line user text as ``Content``, keeping line breaks but dropping control characters."""
    from textual.content import Content

    return Content("\n".join(clean(line, limit) for line in value[:limit].splitlines()))
