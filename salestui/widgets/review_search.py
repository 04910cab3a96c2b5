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


class SearchHits(OptionList):
    """One option per hit: where it was found, the account and when, then the snippet."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.found: list[SearchHit] = []
        """The hits shown, best first."""

    def show(self, text: str, hits: list[SearchHit]) -> None:
        """Show the hits for ``text`` (or why there are none)."""
        self.found = hits
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
            words = re.findall(r"\w+", text)
            message = "Nothing found." if any(len(w) > 1 for w in words) else "Type at least two letters to search."
            options.append(Option(Content.styled(message, "dim"), disabled=True))
        # One call: adding the options one by one re-measured the list after each of them.
        self.set_options(options)

    @property
    def current(self) -> SearchHit | None:
        """The highlighted hit."""
        index = self.highlighted
        if index is None or not 0 <= index < len(self.found):
            return None
        return self.found[index]
