"""Kill -9 during a call in a real terminal: every confirmed key is already in the database."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

import pexpect
import pyte
import pytest

from salestui.domain.enums import AdvanceLevel, CallStatus
from salestui.store.core import open_store
from salestui.store.demo import load_demo

ROOT = Path(__file__).resolve().parent.parent
COLUMNS, LINES = 80, 24

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")


class Terminal:
    """The app in a pty, its screen kept up to date by pyte."""

    def __init__(self, db: Path) -> None:
        env = dict(os.environ, TERM="xterm-256color", COLUMNS=str(COLUMNS), LINES=str(LINES))
        self.child = pexpect.spawn(
            sys.executable,
            ["-m", "salestui", "--db", str(db)],
            cwd=str(ROOT),
            env=env,
            dimensions=(LINES, COLUMNS),
        )
        self.screen = pyte.Screen(COLUMNS, LINES)
        self.stream = pyte.ByteStream(self.screen)

    def text(self) -> str:
        """What the terminal shows now."""
        self._drain(0.05)
        return "\n".join(self.screen.display)

    def wait_for(self, needle: str, timeout: float = 20) -> None:
        """Wait until ``needle`` is on screen."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if needle in self.text():
                return
        raise AssertionError(f"{needle!r} never appeared:\n{self.text()}")

    def type(self, text: str) -> None:
        """Type like a fast human, not like a paste."""
        for char in text:
            self.child.send(char)
            time.sleep(0.05)

    def kill(self) -> None:
        """kill -9."""
        os.kill(self.child.pid, signal.SIGKILL)
        self.child.close(force=True)

    def _drain(self, timeout: float) -> None:
        try:
            while True:
                self.stream.feed(self.child.read_nonblocking(65536, timeout=timeout))
        except (pexpect.TIMEOUT, pexpect.EOF):
            pass


def _wait_db(db: Path, check, timeout: float = 10):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while True:
        store = open_store(db, owner="tester")
        try:
            plan = store.calls.plan(CALL_ID[0])
        finally:
            store.engine.dispose()
        if check(plan) or time.monotonic() > deadline:
            return plan
        time.sleep(0.1)


CALL_ID: list[int] = [0]


def test_kill_after_confirmed_keys_loses_nothing(tmp_path: Path) -> None:
    db = tmp_path / "kill.db"
    store = open_store(db, owner="tester")
    load_demo(store)
    CALL_ID[0] = store.calls.upcoming()[0].id  # the first upcoming call is the one s starts
    store.engine.dispose()

    term = Terminal(db)
    try:
        term.wait_for("Present the phase-on")  # home shows the upcoming calls
        term.type("s")
        term.wait_for("Start which call?")
        term.wait_for("Present the phase-on")
        term.type("\r")  # the first upcoming call, preselected
        term.wait_for("Start anyway?")  # it is days ahead: asked first
        term.type("y")
        term.wait_for("elapsed")  # the call screen (its first frame may pass unseen under load)
        term.wait_for("Not this quarter")  # the plan is on screen
        term.type("n")
        term.type("Budget [TODO] in Q1")
        term.type("\r")
        term.type("a2")
        # The ladder says "✔ secured" only once the pick is stored, after the note and the
        # objection (one writer, in order): that is the event to kill on, not a sleep.
        term.wait_for("✔ secured")
        term.kill()
    finally:
        if term.child.isalive():
            term.child.close(force=True)

    plan = _wait_db(db, lambda p: True, timeout=0)
    assert plan.secured_advance is not None and plan.secured_advance.level is AdvanceLevel.TARGET
    assert [n.text for n in plan.notes] == ["Budget [TODO] in Q1"]
    assert [o.raised for o in plan.objections] == [True, False]
    assert plan.started_at is not None and plan.status is CallStatus.PLANNED  # killed before ending

    # Reopen: the call comes back as it was left, and 3 still changes the pick.
    term = Terminal(db)
    try:
        term.wait_for("Present the")  # under Needs a debrief now: it took place
        term.type("s")
        term.wait_for("resume")  # left mid-way: first in the picker
        term.type("\r")
        term.wait_for("secured")
        term.wait_for("● raised: Not this")  # the objections column may wrap the rest
        term.wait_for("[TODO] in Q1")  # the notes column may wrap the start
        term.type("3")
        plan = _wait_db(db, lambda p: p.secured_advance and p.secured_advance.level is AdvanceLevel.FALLBACK)
        term.kill()
    finally:
        if term.child.isalive():
            term.child.close(force=True)
    assert plan.secured_advance is not None and plan.secured_advance.level is AdvanceLevel.FALLBACK
