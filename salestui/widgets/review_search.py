"""Full-text search results in review: ranked hits with the matched words highlighted."""

from __future__ import annotations

import re
from collections.abc import Sequence

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from salestui import format as fmt
from salestui.domain.review import HIT_LABELS, HitSource, SearchHit
from salestui.text import clean


def highlighted(text: str, spans: Sequence[tuple[int, int]]) -> Content:
    """User text shown literally, with the matched words in the accent colour."""
    content = Content(clean(text))
    for start, end in spans:
        content = content.stylize("bold reverse $accent", start, end)
    return content


def hit_options(text: str, hits: Sequence[SearchHit]) -> list[Option]:
    """The options for ``hits`` (or the line saying why there are none).

    Plain objects only, no widget: the search worker builds them on its thread, so the UI thread
    only swaps the list (``SearchHits.show_options``).
    """
    options = []
    for number, hit in enumerate(hits):
        where = HIT_LABELS[hit.source]
        when = fmt.when(hit.happened_at or hit.scheduled_at) if hit.call_id is not None else ""
        if hit.source is HitSource.ACCOUNT:
            # The account's name is the match itself: one line, highlighted.
            prompt = Content.styled(f"{where:<10}", "bold") + highlighted(hit.snippet, hit.spans)
        else:
            head = Content.assemble((f"{where:<10}", "bold"), clean(hit.account_name), (f"  {when}", "dim"))
            prompt = head + Content("\n  ") + highlighted(hit.snippet, hit.spans)
        options.append(Option(prompt, id=str(number)))
    if not hits:
        options.append(Option(Content.styled(none_found(text), "dim"), disabled=True))
    return options


def none_found(text: str) -> str:
    """Why a search shows no results: nothing matched, or it is too short to search."""
    words = re.findall(r"\w+", text)
    return "Nothing found." if any(len(w) > 1 for w in words) else "Type at least two letters to search."


class SearchHits(OptionList):
    """One option per hit: where it was found, the account and when, then the snippet."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.found: list[SearchHit] = []
        """The hits shown, best first."""
        self.shown_for: str | None = None
        """The search text the list shows the results of (``None`` before the first search)."""

    def show(self, text: str, hits: list[SearchHit]) -> None:
        """Show the hits for ``text`` (or why there are none)."""
        self.show_options(text, hits, hit_options(text, hits))

    def show_options(self, text: str, hits: list[SearchHit], options: list[Option]) -> None:
        """Show ``options`` built by ``hit_options(text, hits)``: one update of the list."""
        self.found = hits
        self.shown_for = text
        # One call: adding the options one by one re-measured the list after each of them.
        self.set_options(options)

    @property
    def current(self) -> SearchHit | None:
        """The highlighted hit."""
        index = self.highlighted
        if index is None or not 0 <= index < len(self.found):
            return None
        return self.found[index]
