"""Measure start-up, home data, review, saves and memory against the budgets.

python -m bench.run           # 1,000 / 10,000 / 100,000 calls
python -m bench.run --quick   # 1,000 calls only (CI: fails on a crash, never on timing)
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from bench.generate import generate
from bench.pty import PtyApp

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

PYTHON = sys.executable
console = Console(stderr=True)


@dataclass
class Figure:
    """One measured figure with its budget."""

    name: str
    samples: list[float]
    unit: str
    budget: float | None
    note: str = ""

    @property
    def median(self) -> float:
        """Median of the samples."""
        return statistics.median(self.samples)

    @property
    def passed(self) -> bool | None:
        """Whether the median meets the budget (None when there is none)."""
        return None if self.budget is None else self.median <= self.budget


def _ms(seconds: float) -> float:
    return seconds * 1000


def first_frame(db: Path, runs: int) -> tuple[Figure, Figure, Figure]:
    """Process start to home chrome, beside a minimal Textual app; and to home data."""
    ours, floor, data = [], [], []
    for _ in range(runs):
        minimal = PtyApp([PYTHON, str(Path(__file__).parent / "minimal_app.py")])
        floor.append(_ms(minimal.wait_for("Quit")))
        minimal.close()
        app = PtyApp([PYTHON, "-m", "salestui", "--db", str(db)], env={"SALESTUI_FROZEN_NOW": NOW.isoformat()})
        ours.append(_ms(app.wait_for("Plan call")))
        data.append(_ms(app.wait_for("Upcoming calls")))
        app.close()
    ratio = statistics.median(ours) / statistics.median(floor)
    return (
        Figure("first frame (salestui)", ours, "ms", None, f"{ratio:.2f}x the minimal app"),
        Figure("first frame (minimal Textual app)", floor, "ms", None),
        Figure("home data", data, "ms", 800),
    )


def time_calls(job: Callable[[], object], runs: int) -> list[float]:
    """Milliseconds per call of ``job``."""
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        job()
        samples.append(_ms(time.perf_counter() - start))
    return samples


def saves(db: Path, runs: int) -> list[Figure]:
    """Latency of persisting one edited field and one in-call key press."""
    from salestui.domain.enums import AdvanceLevel
    from salestui.store.core import open_store

    store = open_store(db)
    call_id = store.calls.upcoming(limit=1)[0].id
    store.calls.set_advance(call_id, AdvanceLevel.TARGET, "Agrees to a pilot")
    counter = iter(range(10**6))
    field = time_calls(lambda: store.calls.update(call_id, objective=f"Objective {next(counter)}"), runs)
    key = time_calls(lambda: store.calls.secure(call_id, AdvanceLevel.TARGET), runs)
    store.close()
    return [Figure("save one field", field, "ms", 10), Figure("save one in-call key", key, "ms", 10)]


# Review budgets (ms) per step of bench.review_latency.measure; search keystrokes share one.
REVIEW_BUDGETS = {"open (first page + count)": 100, "page (each of 10)": 30, "call detail": 50}
SEARCH_BUDGET = 50


def review(db: Path, runs: int) -> list[Figure]:
    """Review list, paging, search while typing and detail, through the store the screens call."""
    from bench.review_latency import measure

    figures = []
    for name, (median, low, high) in measure(str(db), runs).items():
        budget = REVIEW_BUDGETS.get(name, SEARCH_BUDGET if name.startswith("search") else None)
        figures.append(Figure(f"review: {name}", [low, median, high], "ms", budget))
    return figures


def memory(db: Path) -> Figure:
    """Peak RSS after browsing review."""
    app = PtyApp([PYTHON, "-m", "salestui", "--db", str(db)], env={"SALESTUI_FROZEN_NOW": NOW.isoformat()})
    app.wait_for("Upcoming calls")
    app.send("v")
    time.sleep(1.0)
    for _ in range(10):
        app.send("\x1b[6~")  # PageDown
        app.pump(0.1)
    app.send("G")
    time.sleep(1.0)
    app.pump(0.2)
    rss = app.peak_rss_mb()
    app.close()
    return Figure("peak RSS after browsing review", [rss], "MB", 150)


def main() -> int:
    """Run everything and print a table; non-zero only on a crash."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="1,000 calls only, fewer runs")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    sizes = (1_000,) if args.quick else (1_000, 10_000, 100_000)
    runs = 3 if args.quick else args.runs
    results: dict[int, list[Figure]] = {}
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            db = Path(folder) / f"bench-{size}.db"
            with Progress(console=console, transient=True) as progress:
                task = progress.add_task(f"generating {size:,} calls", total=size)
                generate(db, size, now=NOW, progress=lambda done, _total, t=task: progress.update(t, completed=done))
            figures = list(first_frame(db, runs))
            figures += review(db, runs * 4)
            figures += saves(db, runs * 10)
            if size == sizes[-1]:
                figures.append(memory(db))
            size_per_call = os.path.getsize(db) / size
            figures.append(Figure("database size per call", [size_per_call / 1024], "KiB", None))
            results[size] = figures
    table = Table(title="salestui benchmark (medians; min–max)")
    table.add_column("calls", justify="right")
    table.add_column("figure")
    table.add_column("median", justify="right")
    table.add_column("min–max", justify="right")
    table.add_column("budget", justify="right")
    table.add_column("ok")
    table.add_column("note")
    for size, figures in results.items():
        for fig in figures:
            verdict = {None: "", True: "pass", False: "FAIL"}[fig.passed]
            table.add_row(
                f"{size:,}",
                fig.name,
                f"{fig.median:.1f} {fig.unit}",
                f"{min(fig.samples):.1f}–{max(fig.samples):.1f}",
                f"≤ {fig.budget:g} {fig.unit}" if fig.budget is not None else "",
                verdict,
                fig.note,
            )
    Console(width=150).print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
