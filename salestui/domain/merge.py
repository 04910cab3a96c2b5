"""Three-way merge of one text field: what this window typed, on top of what another window saved.

A save carries the *base*: the stored text this window's edits were made on. When the stored
text is no longer the base (another window, another rep's manager, an import saved meanwhile),
both changes are kept:

- edits at different places in the base are both applied (``diff-match-patch`` finds them);
- edits at the same place keep both texts: this window's first, then the other window's,
  marked (on a line of its own in a multi-line field), so nothing typed is silently dropped;
- the same edit made twice is applied once.

Choice fields (a date, a kind, a rating, a ladder rung) cannot be merged: the later save wins
and ``replaced`` names what it replaced, so the rep can be told and take it back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

OTHER_MARK = "[from another window] "
"""Marks the other window's text where both changed the same spot."""


@dataclass(frozen=True)
class Merged:
    """The text to store, and whether it differs from what this window typed."""

    text: str
    conflicted: bool
    """Both windows changed the same spot: both texts were kept, the other's marked."""


@dataclass(frozen=True)
class _Edit:
    start: int
    end: int
    text: str
    """Replace ``base[start:end]`` with ``text``."""


def _differ() -> Any:
    from diff_match_patch import diff_match_patch

    differ = diff_match_patch()
    differ.Diff_Timeout = 0.5  # a huge field merges coarser, never slowly
    return differ


def _edits(base: str, changed: str) -> list[_Edit]:
    """The edits that turn ``base`` into ``changed``, in base coordinates, in order."""
    differ = _differ()
    diffs = differ.diff_main(base, changed)
    differ.diff_cleanupSemantic(diffs)
    edits: list[_Edit] = []
    position = 0
    start: int | None = None
    inserted: list[str] = []
    for operation, chunk in diffs:
        if operation == 0:  # equal: closes the edit in progress
            if start is not None:
                edits.append(_Edit(start, position, "".join(inserted)))
                start, inserted = None, []
            position += len(chunk)
            continue
        if start is None:
            start = position
        if operation == -1:
            position += len(chunk)
        else:
            inserted.append(chunk)
    if start is not None:
        edits.append(_Edit(start, position, "".join(inserted)))
    return edits


def _overlap(a: _Edit, b: _Edit) -> bool:
    """Two edits touch the same spot of the base (two inserts at one point do too)."""
    if a.start < b.end and b.start < a.end:
        return True
    return (
        a.start == b.start
        or (a.start == a.end and b.start < a.start < b.end)
        or (b.start == b.end and a.start < b.start < a.end)
    )


def _word_start(base: str, position: int) -> int:
    while 0 < position < len(base) and not base[position - 1].isspace() and not base[position].isspace():
        position -= 1
    return position


def _word_end(base: str, position: int) -> int:
    while 0 < position < len(base) and not base[position - 1].isspace() and not base[position].isspace():
        position += 1
    return position


def _apply(base: str, start: int, end: int, edits: list[_Edit]) -> str:
    """``base[start:end]`` with ``edits`` (all inside it) applied."""
    out, position = [], start
    for edit in edits:
        out.append(base[position : edit.start])
        out.append(edit.text)
        position = edit.end
    out.append(base[position:end])
    return "".join(out)


def merge_text(base: str, mine: str, theirs: str, *, multiline: bool = False, mark: bool = True) -> Merged:
    """``mine`` (this window's text, made on ``base``) merged with ``theirs`` (stored since).

    ``mark=False`` carries typing on across a merge this window already made (``rebase_typing``):
    at a spot both changed, this window's text goes first and the other's follows, unmarked.
    """
    if theirs in (base, mine):
        return Merged(mine, False)
    if mine == base:
        return Merged(theirs, False)
    own, other = _edits(base, mine), _edits(base, theirs)
    shared = set(own) & set(other)  # the same edit made in both windows counts once
    tagged = sorted(
        [(edit, True) for edit in own] + [(edit, False) for edit in other if edit not in shared],
        key=lambda item: (item[0].start, item[0].end),
    )
    out: list[str] = []
    position = 0
    conflicted = False
    index = 0
    while index < len(tagged):
        # A cluster: edits that overlap one another, transitively.
        cluster = [tagged[index]]
        end = tagged[index][0].end
        index += 1
        while index < len(tagged) and any(_overlap(tagged[index][0], edit) for edit, _ in cluster):
            cluster.append(tagged[index])
            end = max(end, tagged[index][0].end)
            index += 1
        if mark and len({is_mine for _, is_mine in cluster}) == 2:
            # Both changed one spot: widen it to whole words (a diff may cut a word in two), taking
            # in the edits the wider spot touches, so each side's text is kept whole.
            start = max(position, _word_start(base, cluster[0][0].start))
            while True:
                end = _word_end(base, end)
                if index < len(tagged) and tagged[index][0].start < end:
                    cluster.append(tagged[index])
                    end = max(end, tagged[index][0].end)
                    index += 1
                    continue
                break
        else:
            start = cluster[0][0].start
        out.append(base[position:start])
        mine_part = [edit for edit, is_mine in cluster if is_mine]
        theirs_part = [edit for edit, is_mine in cluster if not is_mine]
        if mine_part and theirs_part and not mark:
            out.append(_apply(base, start, end, mine_part) + "".join(edit.text for edit in theirs_part))
        elif mine_part and theirs_part:
            conflicted = True
            separator = "\n" if multiline else " "
            mine_text = _apply(base, start, end, mine_part)
            theirs_text = _apply(base, start, end, theirs_part)
            if not mine_text or not theirs_text:  # one side deleted what the other changed: keep the change
                out.append(mine_text or theirs_text)
            else:
                out.append(f"{mine_text}{separator}{OTHER_MARK}{theirs_text}")
        else:
            out.append(_apply(base, start, end, [edit for edit, _ in cluster]))
        position = end
    out.append(base[position:])
    return Merged("".join(out), conflicted)


def rebase_typing(sent: str, typed: str, stored: str, *, multiline: bool = False) -> str:
    """What the rep typed after ``sent`` (now ``typed``), carried onto ``stored``: what the
    database kept for ``sent`` once merged with another window's text."""
    return merge_text(sent, typed, stored, multiline=multiline, mark=False).text


def replaced_choice(base: Any, mine: Any, theirs: Any) -> Any | None:
    """What a later choice (``mine``) replaces: another window's choice made since ``base``, else ``None``."""
    if theirs in (base, mine):
        return None
    return theirs


def moved_cursor(before: str, after: str, cursor: int) -> int:
    """Where a cursor at ``cursor`` in ``before`` belongs in ``after``: text changed elsewhere
    keeps it between the same letters, and text inserted right at it goes after it (the rep's
    own typing stays in front of another window's, as in a merge)."""
    if before == after:
        return cursor
    cursor = max(0, min(cursor, len(before)))
    old = new = 0
    for operation, chunk in _differ().diff_main(before, after):
        size = len(chunk)
        if operation == 0:
            if old + size >= cursor:
                return new + cursor - old
            old, new = old + size, new + size
        elif operation == -1:
            if old + size >= cursor:
                return new  # the cursor was in text removed: it goes where that text was
            old += size
        else:
            if old >= cursor:
                return new
            new += size
    return new
