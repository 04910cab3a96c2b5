"""Markdown escaping of user text, shared by every Markdown export (dossier, call sheet).

User text reads literally in any Markdown viewer: ``[TODO]`` stays ``[TODO]``, ``<b>`` is not
HTML, and a line starting with ``#`` does not become a heading.
"""

from __future__ import annotations

import re

_INLINE = re.compile(r"([\\`*_\[\]<>|~])")
_LINE_START = re.compile(r"^(\s*)([#>+\-=])")
_ORDERED = re.compile(r"^(\s*\d+)([.)])")


def md(text: str) -> str:
    """User text on one line, with Markdown's active characters escaped."""
    return _INLINE.sub(r"\\\1", " ".join(text.split()))


def md_line(text: str) -> str:
    """User text alone on its line: folded to one line, escaped, and unable to start a heading or list."""
    return _line_start(md(text))


def md_block(text: str, indent: str = "") -> str:
    """Multi-line user text: each line escaped, continuation lines indented under their list item."""
    lines = [line.strip() for line in text.strip().splitlines()]
    escaped = [_line_start(_INLINE.sub(r"\\\1", line)) for line in lines if line]
    return ("\n" + indent).join(escaped)


def md_cell(text: str) -> str:
    """User text in a table cell (``|`` escaped with the rest); a dash when empty."""
    return md(text) or "—"


def _line_start(line: str) -> str:
    """Escape what would make a line a heading, quote, list item or setext underline."""
    return _ORDERED.sub(r"\1\\\2", _LINE_START.sub(r"\1\\\2", line))
