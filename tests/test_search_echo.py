"""Review search echoes like any input: the letters are drawn first, the results follow (issue 32)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from textual import events

from salestui.screens.review import ReviewScreen
from salestui.store.demo import load_demo
from salestui.store.review import ReviewRepo
from tests.helpers import GUARD, make_app, settle, type_text, wait_ready


class SlowSearch:
    """``ReviewRepo.search`` held on a gate per text (all texts when ``hold_all``), with a log of
    every frame drawn (and the search box's text in it) and every search begun, in order."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, hold: Callable[[str], bool]) -> None:
        self.log: list[tuple[str, str]] = []
        self.gate = threading.Event()
        self.hold = hold
        real = ReviewRepo.search

        def search(repo: ReviewRepo, text: str, *args: Any, **kwargs: Any) -> Any:
            self.log.append(("search", text))
            if self.hold(text):
                assert self.gate.wait(GUARD), "the test never opened the gate"
            return real(repo, text, *args, **kwargs)

        monkeypatch.setattr(ReviewRepo, "search", search)

    def watch_frames(self, app: Any) -> None:
        """Log the search box's text each time the app writes a frame of the review screen."""
        real_display = app._display

        def display(screen: Any, renderable: Any) -> None:
            real_display(screen, renderable)
            if isinstance(screen, ReviewScreen) and renderable is not None and screen.searching:
                self.log.append(("frame", screen.search_box.value))

        app._display = display


async def _searching(pilot: Any) -> ReviewScreen:
    await wait_ready(pilot)
    await pilot.press("v")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ReviewScreen)
    await pilot.press("slash")
    await settle(pilot)
    return screen


async def test_the_letters_show_before_the_results_arrive(db_path, store, frozen_now, monkeypatch) -> None:
    load_demo(store, now=frozen_now)
    slow = SlowSearch(monkeypatch, hold=lambda _text: True)
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        slow.watch_frames(app)
        screen = await _searching(pilot)
        await type_text(pilot, "pricing")
        for _ in range(5):
            await pilot.pause()
        # Every letter is in the box and drawn while the store has not answered any search.
        assert screen.search_box.value == "pricing"
        assert ("frame", "pricing") in slow.log
        assert screen.hits.shown_for is None and screen.hits.found == []
        # Each search began only after a frame showing its text had been written.
        for index, (kind, text) in enumerate(slow.log):
            if kind == "search":
                assert ("frame", text) in slow.log[:index], f"search {text!r} began before its echo: {slow.log}"
        slow.gate.set()
        await settle(pilot)
        assert screen.hits.shown_for == "pricing"
        assert screen.hits.found and all(
            "pric" in hit.snippet.lower() or "pric" in hit.account_name.lower() for hit in screen.hits.found
        )
        assert "results, best first" in str(screen.query_one("#position").render())


async def test_an_older_result_never_replaces_a_newer_one(db_path, store, frozen_now, monkeypatch) -> None:
    load_demo(store, now=frozen_now)
    expected_pro = [(h.source, h.call_id, h.account_id) for h in store.review.search("pro")]
    assert expected_pro != [(h.source, h.call_id, h.account_id) for h in store.review.search("pr")]
    slow = SlowSearch(monkeypatch, hold=lambda text: text == "pr")
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _searching(pilot)
        await type_text(pilot, "pr")
        for _ in range(5):
            await pilot.pause()
        assert ("search", "pr") in slow.log  # "pr" is being searched, held at the gate
        await type_text(pilot, "o")
        while screen.hits.shown_for != "pro":
            await pilot.pause(0.01)
        assert [(h.source, h.call_id, h.account_id) for h in screen.hits.found] == expected_pro
        # The search for "pr" answers last: its results are dropped.
        slow.gate.set()
        await settle(pilot)
        for _ in range(5):
            await pilot.pause(0.02)
        assert screen.hits.shown_for == "pro"
        assert [(h.source, h.call_id, h.account_id) for h in screen.hits.found] == expected_pro
        assert screen.search_box.value == "pro"


async def test_keys_typed_faster_than_frames_search_only_the_newest_text(
    db_path, store, frozen_now, monkeypatch
) -> None:
    """Letters that arrive before the frame of the previous one start no search of their own."""
    load_demo(store, now=frozen_now)
    slow = SlowSearch(monkeypatch, hold=lambda _text: False)
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _searching(pilot)
        # All seven key events are queued at once (no pause in between): one frame shows them.
        for char in "pricing":
            app.post_message(events.Key(char, char))
        await settle(pilot)
        searched = [text for kind, text in slow.log if kind == "search"]
        assert searched and searched[-1] == "pricing"
        assert len(searched) < 7, f"every letter searched: {searched}"
        assert screen.hits.shown_for == "pricing"
