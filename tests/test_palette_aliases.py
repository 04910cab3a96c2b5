"""The palette answers to the words the app shows: the footer's "Research" and "Review"."""

from __future__ import annotations

import pytest

from tests.helpers import make_app, palette, wait_ready


@pytest.mark.parametrize(
    ("query", "screen"),
    [
        ("Research", "AccountsScreen"),
        ("Review calls", "ReviewScreen"),
        ("Stats", "StatsScreen"),
    ],
)
async def test_palette_finds_commands_by_the_words_on_screen(db_path, demo_store, query, screen):
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await palette(pilot, query)
        assert type(app.screen).__name__ == screen, [type(s).__name__ for s in app.screen_stack]
