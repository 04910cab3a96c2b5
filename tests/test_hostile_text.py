"""Hostile text in every field of every screen: no crash, shown literally, no control sequence reaches the terminal."""

from __future__ import annotations

import contextlib
import io
from datetime import timedelta
from pathlib import Path

import pytest
from rich.console import Console
from textual.pilot import Pilot
from textual.worker import WorkerFailed

from salestui.app import SalesApp
from salestui.domain.clock import now
from salestui.domain.enums import AdvanceLevel, CallKind
from salestui.store.core import Store, open_store
from tests.helpers import make_app, type_text, wait_ready

RTL = "שלום עולם مرحبا"
ZWJ = "👩\u200d👩\u200d👧 a\u200db\u200c"
HOSTILE = (
    "[/] [TODO] [@click=app.quit]x[/] [link='file:///etc/passwd']x[/link] \x1b[2J\x1b]0;pwned\x07 "
    f"😀 {RTL} {ZWJ} nul\x00end"
)
LONG = ("[TODO] " + "y" * 93) * 1000  # one 100,000-character line
assert len(LONG) == 100_000 and "\n" not in LONG


def h(field: str) -> str:
    """A hostile value that also says which field it came from (the field tag is plain ASCII)."""
    return f"{field} {HOSTILE}"


class Ids:
    account = 0
    upcoming = 0  # planned, hostile everywhere
    done = 0  # held, debriefed
    pending = 0  # held, needs a debrief


def _fill(store: Store) -> None:
    moment = now()
    account = store.accounts.create(
        h("acct"), industry=h("industry"), city=h("city"), website=h("web"), phone=h("phone"), notes=LONG + h("notes")
    )
    Ids.account = account.id
    contact = store.accounts.add_contact(
        account.id, h("person"), title=h("title"), email=h("email"), phone=h("tel"), notes=h("cnotes") + LONG
    )
    store.accounts.add_note(account.id, "customer", h("body") + "\n" + LONG, source=h("source"))
    store.accounts.add_note(account.id, "competitor", LONG, source=LONG)
    store.accounts.add_comparison(
        account.id, h("rival"), their_strengths=h("strong"), their_weaknesses=LONG, our_edge=h("edge")
    )

    def plan(when, objective: str) -> int:  # type: ignore[no-untyped-def]
        call = store.calls.create(
            account.id,
            when,
            kind=CallKind.PROPOSAL,
            contact_ids=[contact.id],
            objective=objective,
            goal=h("goal"),
            strategy=h("strategy") + "\n" + LONG + "\n" + HOSTILE,
            expected_return=h("return") + LONG,
        )
        store.calls.add_checklist_item(call, h("check"))
        store.calls.add_checklist_item(call, LONG)
        store.calls.add_objection(call, h("objection"), response=h("response"))
        store.calls.add_objection(call, LONG, response=LONG)
        store.calls.set_advance(call, AdvanceLevel.STRETCH, h("stretch"), owner=h("owner"))
        store.calls.set_advance(call, AdvanceLevel.TARGET, h("target") + LONG, owner=LONG)
        store.calls.set_advance(call, AdvanceLevel.FALLBACK, h("fallback"), owner=h("fowner"))
        return call

    Ids.done = plan(moment - timedelta(days=3), h("obj-done"))
    store.calls.start(Ids.done)
    store.calls.add_note(Ids.done, h("note"))
    store.calls.add_note(Ids.done, LONG)
    store.calls.secure_unplanned(Ids.done, h("unplanned"))
    store.calls.end(Ids.done)
    store.debriefs.save(
        Ids.done,
        went_well=h("well") + "\n" + LONG,
        do_differently=h("differently"),
        lessons=h("lessons"),
        customer_feedback=h("feedback"),
        next_step=h("next") + LONG,
        follow_up=(moment + timedelta(days=2)).date(),
        rating=3,
    )

    Ids.pending = plan(moment - timedelta(days=1), h("obj-pending"))
    store.calls.start(Ids.pending)
    store.calls.add_note(Ids.pending, h("pnote"))
    store.calls.end(Ids.pending)

    Ids.upcoming = plan(moment + timedelta(days=1), h("obj-up"))


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "hostile.db"
    store = open_store(path, owner="tester")
    try:
        _fill(store)
    finally:
        store.engine.dispose()
    return path


def screen_text(app: SalesApp) -> str:
    """What the terminal would show: the rendered strips of the top screen (toasts included)."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


def terminal_output(app: SalesApp) -> str:
    """The bytes the app would write to the terminal for the top screen (styles included)."""
    console = Console(file=io.StringIO(), force_terminal=True, color_system="truecolor", width=120)
    return "\n".join(strip.render(console) for strip in app.screen._compositor.render_strips())


async def settle(pilot: Pilot[int]) -> None:
    """Let workers finish; a failed worker is checked through the toasts, not re-raised here."""
    for _ in range(2):
        await pilot.pause()
        with contextlib.suppress(WorkerFailed):
            await pilot.app.workers.wait_for_complete()
    await pilot.pause()


class Checker:
    """Asserts on one running app; remembers error toasts."""

    def __init__(self, app: SalesApp) -> None:
        self.app = app
        self.errors: list[str] = []
        original = app.notify

        def spy(message: str, **kwargs):  # type: ignore[no-untyped-def]
            if kwargs.get("severity") == "error":
                self.errors.append(f"{kwargs.get('title', '')}: {message}")
            return original(message, **kwargs)

        app.notify = spy  # type: ignore[method-assign]

    def check(self, where: str, depth: int, *shown: str, literal: bool = True) -> str:
        app = self.app
        assert app.return_code is None and app.is_running, f"{where}: the app stopped"
        assert len(app.screen_stack) == depth, f"{where}: screen stack {app.screen_stack}"
        assert not self.errors, f"{where}: error toasts {self.errors}"
        text = screen_text(app)
        output = terminal_output(app)
        for sequence in ("\x1b[2J", "\x1b]0;", "\x00", "\x07"):
            assert sequence not in output, f"{where}: {sequence!r} reaches the terminal"
        for needle in (("[TODO]", "[/]") if literal else ()) + shown:
            assert needle in text, f"{where}: {needle!r} not shown literally:\n{text}"
        return text


@pytest.fixture
async def running(hostile_db: Path):  # type: ignore[no-untyped-def]
    app = make_app(hostile_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        yield app, pilot, Checker(app)


async def test_home_help_and_palette(running) -> None:  # type: ignore[no-untyped-def]
    app, pilot, checker = running
    text = checker.check("home", 2, "obj-up", "obj-pending")
    assert "[@click=app.quit]x[/]" in text
    await pilot.press("f1")
    await settle(pilot)
    checker.check("help", 3, literal=False)  # the key list has no user text; it must still render
    await pilot.press("escape")
    await settle(pilot)
    await pilot.press("ctrl+p")
    await settle(pilot)
    await pilot.press(*"plan")
    await settle(pilot)
    assert "Plan" in screen_text(app)
    await pilot.press("escape")
    await settle(pilot)
    checker.check("home again", 2, "obj-up")


async def test_accounts_and_every_account_tab(running) -> None:  # type: ignore[no-untyped-def]
    app, pilot, checker = running
    app.action_research()
    await settle(pilot)
    checker.check("accounts", 3, "acct [/] [TODO]", "industry")
    app.open_account(Ids.account)
    await settle(pilot)
    checker.check("account details", 4, "acct")
    for key, expected in (("2", "person"), ("3", "body"), ("4", "rival"), ("5", "obj-done")):
        # The tab keys work while a field has focus only as alt+N: leave any field first.
        await pilot.press(f"alt+{key}")
        await settle(pilot)
        checker.check(f"account tab {key}", 4, expected)


async def test_plan_incall_debrief(running) -> None:  # type: ignore[no-untyped-def]
    app, pilot, checker = running
    app.open_plan(Ids.upcoming)
    await settle(pilot)
    checker.check("plan", 3, "obj-up", "goal", "return")
    await pilot.press("escape", "escape")
    await settle(pilot)
    app.start_call(Ids.upcoming)
    await settle(pilot)
    checker.check("in-call", 3, "stretch", "objection")
    await pilot.press("n")
    await settle(pilot)
    await pilot.press(*"live [TODO]", "enter")
    await settle(pilot)
    checker.check("in-call note", 3, "live [TODO]")
    await pilot.press("escape")
    await settle(pilot)
    app.action_home()
    await settle(pilot)
    app.open_debrief(Ids.done)
    await settle(pilot)
    checker.check("debrief (written)", 3, "well", "note", "unplanned")
    app.action_home()
    await settle(pilot)
    app.open_debrief(Ids.pending)
    await settle(pilot)
    checker.check("debrief (new)", 3, "pnote", "stretch")


async def test_review_search_detail_stats_team(running) -> None:  # type: ignore[no-untyped-def]
    app, pilot, checker = running
    app.action_review()
    await settle(pilot)
    checker.check("review", 3, "obj-done", "acct")
    await pilot.press("slash")
    await settle(pilot)
    await type_text(pilot, "[TODO]")  # FTS syntax characters in the query
    await settle(pilot)
    checker.check("review search", 3, "results, best first", "well [/] [TODO]")
    app.open_call(Ids.done)
    await settle(pilot)
    checker.check("call detail", 4, "obj-done", "goal", "strategy", "unplanned")
    app.action_home()
    await settle(pilot)
    app.action_stats()
    await settle(pilot)
    checker.check("stats", 3, literal=False)
    app.action_home()
    await settle(pilot)
    app.action_team()
    await settle(pilot)
    checker.check("team", 3, literal=False)


def test_control_characters_never_reach_the_database(hostile_db: Path) -> None:
    """The screens above render no control sequence with no render guard at all: the store keeps
    only the visible characters of hostile text (escape codes lose their ESC, NUL and BEL go)."""
    store = open_store(hostile_db, owner="tester")
    try:
        account = store.accounts.get(Ids.account)
        note = next(n for n in store.accounts.notes(Ids.account) if n.category == "customer")
        plan = store.calls.plan(Ids.upcoming)
    finally:
        store.engine.dispose()
    visible = "[/] [TODO] [@click=app.quit]x[/] [link='file:///etc/passwd']x[/link] [2J]0;pwned "
    assert account.name == f"acct {visible}😀 {RTL} {ZWJ} nulend"
    assert note.body.startswith(f"body {visible}😀 {RTL} {ZWJ} nulend\n[TODO] ")  # the line break stays
    assert plan.objective == f"obj-up {visible}😀 {RTL} {ZWJ} nulend"


async def test_result_arriving_after_the_screen_closed_is_dropped(tmp_path: Path) -> None:
    import threading

    from salestui.screens.stats import StatsScreen

    app = make_app(tmp_path / "late.db")
    shown: list[object] = []
    release = threading.Event()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        checker = Checker(app)
        screen = StatsScreen()
        await app.push_screen(screen)
        await settle(pilot)

        def slow_save(store: Store) -> int:
            release.wait(5)
            return store.accounts.create("Saved after leaving").id

        screen.run_db(slow_save, shown.append)
        await pilot.press("escape")  # leave while the save runs
        await pilot.pause()
        release.set()
        await settle(pilot)
        assert shown == [] and not checker.errors and len(app.screen_stack) == 2
    check = open_store(tmp_path / "late.db", owner="tester")
    try:
        assert [row.name for row in check.accounts.rows()] == ["Saved after leaving"]  # the save completed
    finally:
        check.engine.dispose()
