"""kill -9 one second after typing into a plan field and a debrief field: both texts are in the database."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from bench.pty import PtyApp
from salestui.store.core import open_store
from salestui.store.demo import load_demo

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")

PLAN_TEXT = "Signed [TODO] pilot scope"
DEBRIEF_TEXT = "Numbers [/] landed well"


def _start(db: Path) -> PtyApp:
    return PtyApp([sys.executable, "-m", "salestui", "--db", str(db)], cols=120, rows=40)


def _settle(app: PtyApp, seconds: float) -> None:
    """Keep reading the screen for ``seconds`` (the app must not block on a full pty)."""
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        app.pump(0.05)


def _type(app: PtyApp, text: str) -> None:
    """Type like a fast human (one key every 50 ms), not like a paste."""
    for char in text:
        app.send(char)
        _settle(app, 0.05)


def _line_with(app: PtyApp, label: str) -> str:
    return next((line for line in app.text().split("\n") if line.lstrip().startswith(label)), "")


@pytest.fixture
def demo_db(tmp_path: Path) -> tuple[Path, int, int]:
    """A demo database; the first upcoming call and the first call needing a debrief."""
    db = tmp_path / "typing.db"
    store = open_store(db, owner="tester")
    load_demo(store)
    planned = store.calls.upcoming()[0]  # first row of "Upcoming calls" (the cursor starts there)
    to_debrief = store.calls.needing_debrief()[0]  # first row of "Needs a debrief"
    assert store.calls.plan(planned.id).expected_return == ""
    assert store.debriefs.get(to_debrief.id) is None
    store.engine.dispose()
    return db, planned.id, to_debrief.id


def _objective(db: Path, call_id: int) -> str:
    store = open_store(db, owner="tester")
    try:
        return store.calls.plan(call_id).objective
    finally:
        store.engine.dispose()


def test_kill_after_typing_in_a_plan_field_loses_nothing(demo_db: tuple[Path, int, int]) -> None:
    db, planned, _ = demo_db
    objective = _objective(db, planned)
    # home -> enter on the first upcoming call -> the plan opens on its first empty field: Return.
    app = _start(db)
    try:
        app.wait_for("Needs a debrief")
        app.wait_for(objective[:30])
        app.send("\r")
        app.wait_for("Strategy (how you will reach the objective)")
        _settle(app, 0.5)  # the plan has loaded into the fields
        _type(app, PLAN_TEXT)
        app.wait_for(PLAN_TEXT, limit=5)
        assert PLAN_TEXT in _line_with(app, "Return"), app.text()
        _settle(app, 1.0)
        app.close()  # SIGKILL
    finally:
        app.close()

    check = open_store(db, owner="tester")
    try:
        assert check.calls.plan(planned).expected_return == PLAN_TEXT
    finally:
        check.engine.dispose()


def test_kill_after_typing_in_a_debrief_field_loses_nothing(demo_db: tuple[Path, int, int]) -> None:
    db, _, to_debrief = demo_db
    objective = _objective(db, to_debrief)
    # home -> tab to "Needs a debrief" -> enter -> enter confirms the outcome -> went well.
    app = _start(db)
    try:
        app.wait_for("Needs a debrief")
        app.wait_for(objective[:30])
        _settle(app, 0.3)
        app.send("\t")
        _settle(app, 0.3)
        app.send("\r")
        app.wait_for("Achieved?")  # the outcome panel has loaded
        _settle(app, 0.3)
        app.send("\r")
        _settle(app, 0.3)
        _type(app, DEBRIEF_TEXT)
        app.wait_for(DEBRIEF_TEXT, limit=5)
        assert DEBRIEF_TEXT in _line_with(app, "Went well"), app.text()
        _settle(app, 1.0)
        app.close()  # SIGKILL
    finally:
        app.close()

    check = open_store(db, owner="tester")
    try:
        debrief = check.debriefs.get(to_debrief)
    finally:
        check.engine.dispose()
    assert debrief is not None and debrief.went_well == DEBRIEF_TEXT
