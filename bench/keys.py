"""Keystroke-to-screen latency on a real pty: salestui beside a minimal Textual app.

    python -m bench.keys --db /tmp/bench-100k.db [--runs 5]

Each step sends one key to the program on a pty and times until the terminal output that
reflects it has been written (read back and fed to a pyte screen). A step's ``done`` test
names what the screen must show; when ``settle`` is set the step ends at the last change of
the screen's text before it stayed the same for ``QUIET`` seconds (search results replace the
list in several writes). The cursor blinking changes no text, so it never counts.

The floor is ``bench/minimal_keys_app.py`` (a DataTable with a position line and an Input) in
the same run: page down in its table, and a character typed into its field.

"search keystroke" types the rest of a word and times the echo: the letter in the search box
(the query runs after that frame, in a worker; the next key waits until its results are drawn).
"search results appear" is the key that turns the prompt into a list of results (a new list is
drawn, so it is compared with page down).
"""

from __future__ import annotations

import argparse
import re
import select
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pexpect

from bench.pty import PtyApp

PYTHON = sys.executable
QUIET = 0.15  # s without a change of the screen's text: the step's output is complete
PAGE_DOWN = "\x1b[6~"
POSITION = r"call ([\d,]+) of [\d,]+"
FLOOR_POSITION = r"row ([\d,]+) of 1,000"
SEED = "qzx"  # typed first (not timed) so each timed character lands in a unique run of text


def _read_all(app: PtyApp) -> tuple[bytes, float | None]:
    """Everything the program has written so far, and when its last piece was read (before parsing any)."""
    chunks: list[bytes] = []
    last: float | None = None
    while True:
        try:
            chunks.append(app.child.read_nonblocking(65536, timeout=0))
        except pexpect.TIMEOUT:
            return b"".join(chunks), last
        last = time.perf_counter()


def timed(app: PtyApp, keys: str, done: Callable[[str], bool], settle: bool = False, limit: float = 15.0) -> float:
    """Milliseconds from sending ``keys`` until the screen satisfies ``done`` (and settled, if asked).

    The time is when the output that made it so was read from the pty, taken before pyte parses
    it: parsing a full repaint in Python takes longer than the app takes to write it.
    """
    idle(app, 0.05)  # drain what was written before the key
    text = app.text()
    began = time.perf_counter()
    app.send(keys)
    changed_at: float | None = None
    while True:
        data, read_at = _read_all(app)
        if not data:
            select.select([app.child.child_fd], [], [], 0.005)
        else:
            app.stream.feed(data)
            current = app.text()
            if current != text:
                text, changed_at = current, read_at
        now = time.perf_counter()
        if done(text) and changed_at is not None and (not settle or now - changed_at >= QUIET):
            return (changed_at - began) * 1000
        if now - began > limit:
            raise TimeoutError(f"{keys!r}: the screen did not show it within {limit} s; screen:\n{text}")


def idle(app: PtyApp, seconds: float) -> None:
    """Keep reading the program's output for ``seconds`` (``pump`` returns as soon as anything arrives)."""
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        app.pump(0.01)


def _position(pattern: str, text: str) -> int | None:
    found = re.search(pattern, text)
    return int(found.group(1).replace(",", "")) if found else None


def _moved(pattern: str, before: int | None) -> Callable[[str], bool]:
    return lambda text: (_position(pattern, text) or 0) > (before or 0)


def _typed(typed: str) -> Callable[[str], bool]:
    return lambda text: typed in text


def _in_search_box(typed: str) -> Callable[[str], bool]:
    """The search box's text line shows ``typed`` (and no more): the line under its top border.

    Only that line counts: the results' snippets already hold the longer word being typed.
    """

    def shown(text: str) -> bool:
        lines = text.splitlines()
        for number, line in enumerate(lines[:-1]):
            if "▊▔▔" in line:
                return re.search(re.escape(typed) + r"(?!\w)", lines[number + 1]) is not None
        return False

    return shown


def floor(runs: int) -> dict[str, list[float]]:
    """The minimal app: page down in a DataTable, a character typed into an Input."""
    app = PtyApp([PYTHON, str(Path(__file__).parent / "minimal_keys_app.py")])
    out: dict[str, list[float]] = {"page down": [], "type a character": []}
    try:
        app.wait_for("row 1 of 1,000")
        for _ in range(runs):
            before = _position(FLOOR_POSITION, app.text())
            out["page down"].append(timed(app, PAGE_DOWN, _moved(FLOOR_POSITION, before)))
        app.send("\t")
        idle(app, 0.3)
        out["type a character"] = _type_into(app, runs)
    finally:
        app.close()
    return out


def _type_into(app: PtyApp, runs: int) -> list[float]:
    for char in SEED:
        app.send(char)
        idle(app, 0.05)
    app.wait_for(SEED)
    typed, samples = SEED, []
    for n in range(runs):
        char = "abcdefghijklmnopqrstuvw"[n % 23]
        typed += char
        samples.append(timed(app, char, _typed(typed)))
    return samples


def salestui(db: Path, runs: int, env: dict[str, str]) -> dict[str, list[float]]:
    """Review page down, a search keystroke, call detail open, in-call key 2, a character in the plan's objective."""
    out: dict[str, list[float]] = {}
    app = PtyApp([PYTHON, "-m", "salestui", "--db", str(db)], env=env)
    try:
        app.wait_until(lambda text: "Opening your database" not in text and "%" in text, "home data")
        idle(app, 0.5)
        app.send("v")
        app.wait_for_match(r"call 1 of [\d,]+")
        idle(app, 0.3)
        out["review page down"] = []
        for _ in range(runs):
            before = _position(POSITION, app.text())
            out["review page down"].append(timed(app, PAGE_DOWN, _moved(POSITION, before)))
        out["review call detail open"] = []
        for _ in range(runs):
            out["review call detail open"].append(timed(app, "\r", lambda text: "Objective achieved" in text))
            app.send("\x1b")
            app.wait_for_match(POSITION)
            idle(app, 0.2)
        app.send("/")
        app.wait_for("▊▔▔")  # the search field is open (and focused)
        idle(app, 0.3)
        out["review search keystroke"] = []
        typed = "p"
        app.send(typed)
        app.wait_for("Type at least two letters")
        for char in "rocurement"[:runs]:
            typed += char
            # The echo: the letter in the search box (the results follow, timed below).
            out["review search keystroke"].append(timed(app, char, _in_search_box(typed)))
            app.wait_until(lambda text: "results, best first" in text, "search results")
            idle(app, 0.3)  # the results are drawn: the next key is timed on a quiet screen
        # Most of those keys leave the results as they were (the echo is the change); the first
        # two letters always bring a new list: from the prompt to the results, once per run.
        out["review search results appear"] = []
        for _ in range(runs):
            app.send("\x15")  # ctrl+u: clear the field
            app.wait_for("Type at least two letters")
            app.send("p")
            idle(app, 0.2)
            out["review search results appear"].append(
                timed(app, "r", lambda text: "results, best first" in text, settle=True)
            )
        app.send("\x1b")
        idle(app, 0.2)
        app.send("\x1b")
        idle(app, 0.2)
        app.send("\x1b")  # back to home
        app.wait_for("Upcoming calls")
        idle(app, 0.3)
        app.send("\r")  # the first upcoming call's plan; the objective has the focus
        app.wait_for("Strategy (how")  # the plan itself: home's table has an Objective column too
        idle(app, 1.0)
        out["plan objective character"] = _type_into(app, runs)
        app.send("\x1b")  # leave the field
        # The footer offers Start only once no field has focus: an "s" sent while the lone escape
        # byte is still unread would arrive as alt+s, and then be typed into the field.
        app.wait_for("s Start")
        idle(app, 0.2)
        app.send("s")  # start the call
        # A call days ahead asks first ("Start anyway?"): the benchmark's calls are, so say yes.
        # In-call is known by its clock: " 2 " (its advance keys) was also in a plan's goal
        # ("Scope signed off for 2 depots"), matched before the question came, and "y" was never sent.
        if app.wait_for_match(r"Start anyway\?|elapsed \d+:\d\d").group(0).startswith("Start"):
            app.send("y")
        app.wait_for("elapsed ")
        app.wait_for(" 2 ")
        idle(app, 0.5)
        out["in-call key 2"] = []
        for _ in range(runs):
            app.send("c")  # continuation first, so that 2 changes the screen
            app.wait_for("✔ continuation")
            idle(app, 0.1)
            out["in-call key 2"].append(
                timed(app, "2", lambda text: "✔ secured" in text and "✔ continuation" not in text)
            )
    finally:
        app.close()
    return out


FLOOR_OF = {  # which minimal-app step each salestui step is compared with
    "review page down": "page down",
    "review search keystroke": "type a character",
    "review search results appear": "page down",
    "review call detail open": "page down",
    "in-call key 2": "page down",
    "plan objective character": "type a character",
}


def measure(db: Path, runs: int, env: dict[str, str]) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """(salestui steps, minimal-app steps), each a list of milliseconds; the floor is measured first."""
    daily_backup_first(db, env)
    return salestui(db, runs, env), floor(runs)


def daily_backup_first(db: Path, env: dict[str, str]) -> None:
    """Take the day's backup before the keys are timed.

    The app takes it on a thread when it opens a file that has none for the day (1.8 s, mostly
    CPU, at 100,000 calls: a check of every page, then the copy): without this, the first
    minute of every run at 100k shared the two cores with it. Keys are timed as a rep types
    after that first minute of the day.
    """
    from datetime import datetime

    from salestui.store.autobackup import take_daily

    frozen = env.get("SALESTUI_FROZEN_NOW")
    day = datetime.fromisoformat(frozen).astimezone().date() if frozen else None
    take_daily(db, day)


def main(argv: list[str] | None = None) -> int:
    """Print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    ours, base = measure(args.db, args.runs, {"SALESTUI_FROZEN_NOW": "2026-11-23T09:00:00+00:00"})
    for name, samples in base.items():
        print(f"minimal {name:<28} {statistics.median(samples):7.1f} ms  ({min(samples):.1f}–{max(samples):.1f})")
    for name, samples in ours.items():
        ratio = statistics.median(samples) / statistics.median(base[FLOOR_OF[name]])
        print(f"{name:<36} {statistics.median(samples):7.1f} ms  ({min(samples):.1f}–{max(samples):.1f})  {ratio:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
