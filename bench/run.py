"""Measure start-up, home data, review, saves and memory against the budgets.

python -m bench.run           # 1,000 / 10,000 / 100,000 calls
python -m bench.run --quick   # 1,000 calls only (CI: fails on a crash, never on timing)
python -m bench.run --data /tmp/bench --out bench/RESULTS.txt   # keep datasets, save the table
python -m bench.run --pg postgresql+psycopg://user@host/db   # PostgreSQL rows too (default:
                                # $SALESTUI_BENCH_PG_URL, else $SALESTUI_TEST_PG_URL; none: skipped)

On PostgreSQL (issue 29) the same figures that depend on the database are measured beside
SQLite's at each size: home data (start to upcoming calls on a real pty, and its ratio to
SQLite's), review open / page / search / detail and stats through the store, saves. Datasets
are generated once into ``salestui_bench_<calls>`` on the server and kept (generation at
100,000 calls takes minutes); each run measures a copy (``CREATE DATABASE … TEMPLATE``).

Every figure is the median of several runs with its min–max, its budget and pass/FAIL. The
exit code is 0 whatever the timings (the machine is shared and noisy); it is non-zero only when
something crashes or the app does not reach a screen it must reach.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from bench.generate import generate
from bench.pty import PtyApp

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
PYTHON = sys.executable
APP_ENV = {"SALESTUI_FROZEN_NOW": NOW.isoformat()}
console = Console(stderr=True)

# Budgets from issue 9.
FIRST_FRAME_RATIO = 1.15  # x the minimal Textual app, same run (issue 32)
HOME_DATA_MS = 800  # at 100,000 calls (applied at every size)
HOME_DATA_RATIO = 1.3  # x the minimal Textual app's first frame, same run (issue 32; moonshot 1.1)
HOME_GROWTH = 1.2  # x its time at 1,000 calls
REVIEW_BUDGETS = {  # ms per step of bench.review_latency.measure
    "open (first page + count)": 100,
    "page (each of 10)": 30,
    "jump to end": 30,  # a page, fetched from the other end
    "call detail": 50,
}
SEARCH_BUDGET = 50  # ms per keystroke
STATS_MS = 100  # at 100,000 calls, on both backends (issue 29)
PG_HOME_RATIO = 1.5  # home data on PostgreSQL / on SQLite, same size (issue 29)
PG_ENV = ("SALESTUI_BENCH_PG_URL", "SALESTUI_TEST_PG_URL")
REVIEW_GROWTH = 2.0  # x from 10,000 to 100,000 calls (strictly less)
SAVE_MS = 10
KEY_RATIO = 1.3  # x the minimal app's closest step (bench.keys.FLOOR_OF), same run (issue 32)
KEY_MS = 50  # at 100,000 calls
PEAK_RSS_MB = 150  # at 100,000 calls


@dataclass
class Figure:
    """One measured figure with its budget (a figure passes when its median is within it)."""

    name: str
    samples: list[float]
    unit: str
    budget: float | None
    note: str = ""
    strict: bool = False  # budget must be beaten, not just met
    span: tuple[float, float] | None = None  # min–max when samples are already medians
    ok_override: bool | None = field(default=None, repr=False)

    @property
    def median(self) -> float:
        """Median of the samples."""
        return statistics.median(self.samples)

    @property
    def low(self) -> float:
        """Smallest sample."""
        return self.span[0] if self.span else min(self.samples)

    @property
    def high(self) -> float:
        """Largest sample."""
        return self.span[1] if self.span else max(self.samples)

    @property
    def passed(self) -> bool | None:
        """Whether the median meets the budget (None when there is none)."""
        if self.ok_override is not None:
            return self.ok_override
        if self.budget is None:
            return None
        return self.median < self.budget if self.strict else self.median <= self.budget


def _ms(seconds: float) -> float:
    return seconds * 1000


def first_frame(db: Path, runs: int) -> list[Figure]:
    """Process start to home chrome, interleaved with a minimal Textual app; and to home data."""
    ours: list[float] = []
    floor: list[float] = []
    data: list[float] = []
    live: list[float] = []
    last_session(str(db))
    for _ in range(runs):
        minimal = PtyApp([PYTHON, str(Path(__file__).parent / "minimal_app.py")])
        try:
            floor.append(_ms(minimal.wait_for("Quit")))
        finally:
            minimal.close()
        app = PtyApp([PYTHON, "-m", "salestui", "--db", str(db)], env=APP_ENV)
        try:
            ours.append(_ms(app.wait_for("Upcoming calls")))
            data.append(_ms(app.wait_until(home_data_shown, "home data")))
            live.append(_ms(app.wait_until(home_live_shown, "home data read from the database")))
        finally:
            app.close()
    ratios = [mine / base for mine, base in zip(ours, floor, strict=True)]
    ratio_of_medians = statistics.median(ours) / statistics.median(floor)
    return [
        Figure("first frame (salestui)", ours, "ms", None),
        Figure("first frame (minimal Textual app)", floor, "ms", None),
        Figure(
            "first frame ratio salestui / minimal",
            ratios,
            "x",
            FIRST_FRAME_RATIO,
            f"median of per-run ratios; ratio of medians {ratio_of_medians:.2f}x",
        ),
        Figure("home data (start to upcoming calls)", data, "ms", HOME_DATA_MS),
        Figure(
            "home data / minimal first frame",
            [mine / base for mine, base in zip(data, floor, strict=True)],
            "x",
            HOME_DATA_RATIO,
            "median of per-run ratios; the last session's lists (home_cache)",
        ),
        Figure(
            "home live data / minimal first frame",
            [mine / base for mine, base in zip(live, floor, strict=True)],
            "x",
            HOME_DATA_RATIO,
            "median of per-run ratios; the lists read from the database",
        ),
    ]


def last_session(target: str) -> None:
    """Run the app once until home's lists are kept for the next start (``salestui.home_cache``).

    The store's first load writes them, ~1.5 s after start at 1,000 calls; the timed runs are
    closed as soon as home shows live rows, before that. Without this session "home data" timed
    a first start on this computer (the early read) in every run, never a returning rep's.
    """
    from salestui import home_cache
    from salestui.settings import load

    kept = home_cache.path_for(target, os.environ.get("SALESTUI_OWNER") or load().owner or None)
    app = PtyApp([PYTHON, "-m", "salestui", "--db", target], env=APP_ENV)
    try:
        app.wait_until(lambda _screen: kept.is_file(), "home's lists kept for the next start", limit=120)
    finally:
        app.close()


def home_data_shown(screen: str) -> bool:
    """Home shows its calls: the placeholder is gone and a readiness cell (``NN%``) is on screen.

    (The "Upcoming calls" heading alone is not data: it is composed before the store opens.)
    """
    return "Opening your database" not in screen and re.search(r"\b\d{1,3}%", screen) is not None


def home_live_shown(screen: str) -> bool:
    """Home shows its calls read from the database, not (only) the last session's (``home_cache``)."""
    return home_data_shown(screen) and "As at your last session" not in screen


def time_calls(job: Callable[[], object], runs: int) -> list[float]:
    """Milliseconds per call of ``job``."""
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        job()
        samples.append(_ms(time.perf_counter() - start))
    return samples


def saves(db: Path | str, runs: int) -> list[Figure]:
    """Latency of persisting one edited field and one in-call key press (the store calls the app makes)."""
    from salestui.domain.enums import AdvanceLevel
    from salestui.store.core import open_store

    store = open_store(db)
    try:
        call_id = store.calls.upcoming(limit=1)[0].id
        store.calls.set_advance(call_id, AdvanceLevel.TARGET, "Agrees to a pilot")
        counter = iter(range(10**6))
        field_ = time_calls(lambda: store.calls.update(call_id, objective=f"Objective {next(counter)}"), runs)
        key = time_calls(lambda: store.calls.secure(call_id, AdvanceLevel.TARGET), runs)
    finally:
        store.close()
    return [
        Figure("save one field", field_, "ms", SAVE_MS, "in a worker: never on the key press"),
        Figure("save one in-call key", key, "ms", SAVE_MS, "in a worker: never on the key press"),
    ]


def _review_budget(name: str, size: int) -> float | None:
    if name == "stats":
        return STATS_MS if size >= 100_000 else None
    return REVIEW_BUDGETS.get(name, SEARCH_BUDGET if name.startswith("search") else None)


def review(db: Path | str, runs: int, size: int = 0, prefix: str = "") -> list[Figure]:
    """Review list, paging, search while typing, detail and stats, through the store the screens call."""
    from bench.review_latency import measure

    figures = []
    for name, (median, low, high) in measure(str(db), runs).items():
        figures.append(Figure(f"{prefix}review: {name}", [median], "ms", _review_budget(name, size), span=(low, high)))
    return figures


def keys(db: Path, size: int, runs: int) -> list[Figure]:
    """Keystroke-to-screen latency on a real pty, beside the minimal app's table and field (bench.keys)."""
    from bench.keys import FLOOR_OF, measure

    ours, base = measure(db, runs, APP_ENV)
    figures = [Figure(f"keys: minimal app {name}", samples, "ms", None) for name, samples in base.items()]
    for name, samples in ours.items():
        floor_name = FLOOR_OF[name]
        figures.append(Figure(f"keys: {name}", samples, "ms", KEY_MS if size >= 100_000 else None))
        ratio = statistics.median(samples) / statistics.median(base[floor_name])
        figures.append(Figure(f"keys: {name} / minimal", [ratio], "x", KEY_RATIO, f"vs minimal app {floor_name}"))
    return figures


REVIEW_MARKER = "Filter:"  # the review screen's filter line
AT_END = r"call ([\d,]+) of \1\b"  # the position line once G reached the last call


def memory(db: Path) -> Figure:
    """Peak RSS after browsing review on a real pty: home, v, PageDown x10, G (each step checked)."""
    app = PtyApp([PYTHON, "-m", "salestui", "--db", str(db)], env=APP_ENV)
    try:
        app.wait_until(home_data_shown, "home data")
        app.send("v")
        app.wait_for(REVIEW_MARKER)
        app.wait_for_match(r"call 1 of [\d,]+")
        for _ in range(10):
            app.send("\x1b[6~")  # PageDown
            app.pump(0.1)
        app.send("G")
        try:
            reached = app.wait_for_match(AT_END, limit=10.0).group(0)
        except TimeoutError:
            # Once in CI (2026-12-06, 1 run of ~10 that day) G after ten page downs left review at
            # "call 351 of 992": not yet explained (see bench/RESULTS.md). The walk is for memory,
            # so G is sent once more; the key itself is the review tests' business.
            app.send("G")
            reached = app.wait_for_match(AT_END).group(0) + " (G sent twice)"
        app.pump(0.3)
        rss = app.peak_rss_mb()
    finally:
        app.close()
    return Figure("peak RSS after browsing review", [rss], "MB", PEAK_RSS_MB, f"reached review, '{reached}'")


def growth(
    name: str, by_size: dict[int, dict[str, Figure]], base: int, size: int, budget: float, strict: bool
) -> Figure:
    """The median of ``name`` at ``size`` over its median at ``base``."""
    ratio = by_size[size][name].median / by_size[base][name].median
    return Figure(f"{name} growth vs {base:,} calls", [ratio], "x", budget, strict=strict)


def cross_size(results: dict[int, list[Figure]]) -> dict[int, list[Figure]]:
    """Growth figures: home data vs 1,000 calls; review steps from 10,000 to 100,000 calls."""
    by_size = {size: {fig.name: fig for fig in figures} for size, figures in results.items()}
    extra: dict[int, list[Figure]] = {}
    home = "home data (start to upcoming calls)"
    if 1_000 in by_size:
        for size in by_size:
            if size != 1_000:
                extra.setdefault(size, []).append(growth(home, by_size, 1_000, size, HOME_GROWTH, False))
    if 10_000 in by_size and 100_000 in by_size:
        for name, fig in by_size[100_000].items():
            if name.startswith("review:") and fig.budget is not None:
                extra.setdefault(100_000, []).append(growth(name, by_size, 10_000, 100_000, REVIEW_GROWTH, True))
    return extra


FORECAST_MS = 150  # at 100,000 calls: the Forecast screen's data and ``salestui forecast --json`` (issue 34)


def forecast(db: Path | str, size: int, runs: int) -> list[Figure]:
    """The Forecast screen's worker (read and compute) and ``forecast --json`` (the same, printed),
    through the store; and the command's whole process, interpreter start included (no budget)."""
    import json
    import subprocess

    from salestui.cli.forecast import as_json
    from salestui.domain import clock
    from salestui.store.core import open_store
    from salestui.store.forecast import read

    budget = FORECAST_MS if size >= 100_000 else None
    clock.freeze(NOW)
    store = open_store(db)
    try:
        screen = time_calls(lambda: read(store).forecast(), runs)
        cli = time_calls(lambda: json.dumps(as_json(read(store, scope="mine").forecast(), store.owner)), runs)
        planned = len(read(store).planned)
    finally:
        store.close()
        clock.freeze(None)
    command = [PYTHON, "-m", "salestui", "forecast", "--json", "--db", str(db)]
    env = {**os.environ, **APP_ENV}
    process = time_calls(lambda: subprocess.run(command, env=env, check=True, capture_output=True), max(2, runs // 4))
    return [
        Figure("forecast: screen data (read + compute)", screen, "ms", budget, f"{planned:,} planned calls ahead"),
        Figure("forecast: --json (read + compute + JSON)", cli, "ms", budget, "in process"),
        Figure("forecast: --json whole process", process, "ms", None, "interpreter start and imports included"),
    ]


def daily_backups_first(db: Path) -> None:
    """Take the day's automatic backups (today's and the frozen day's) before anything is timed.

    Every ``open_store`` on a file without one starts it on a thread (``store.daily_backup``), and
    closing the store does not wait for it: at 100,000 calls it copied 580 MB beside the figures
    measured next in this process (the forecast took 162–228 ms with it, 111–132 ms without).
    A rep meets it once a day, in the first minute; the figures are for the rest of the day.
    """
    from salestui.store.autobackup import take_daily

    for day in {None, NOW.date()}:
        take_daily(db, day)


def byte_compiled() -> None:
    """Compile salestui's byte code, as ``pip install`` does for a rep, before any start is timed.

    The app runs from this tree (``python -m salestui``). With ``PYTHONDONTWRITEBYTECODE`` set (it
    is, on this machine and in CI) Python never caches the byte code of a source tree: every start
    compiled our ~20 start-up modules again (35 ms, 7% of the first frame), while Textual's and the
    minimal app's imports came compiled from site-packages. Stale byte code is never used: Python
    checks each file's source against it.
    """
    import compileall

    import salestui

    compileall.compile_dir(Path(salestui.__file__).parent, quiet=1)


def measure_size(db: Path, size: int, runs: int, with_memory: bool, key_runs: int | None = None) -> list[Figure]:
    """Every figure at one dataset size."""
    daily_backups_first(db)
    figures = first_frame(db, runs)
    figures += review(db, runs * 4, size)
    figures += saves(db, runs * 10)
    figures += forecast(db, size, runs * 2)
    figures += keys(db, size, key_runs or runs)
    if with_memory:
        figures.append(memory(db))
    figures.append(Figure("database size per call", [os.path.getsize(db) / size / 1024], "KiB", None))
    return figures


PG = "PostgreSQL "
"""Prefix of every PostgreSQL figure."""


def pg_server(explicit: str | None) -> str | None:
    """The PostgreSQL server to measure on: ``--pg``, else the first environment variable set."""
    return explicit or next((os.environ[name] for name in PG_ENV if os.environ.get(name)), None)


def _pg_admin(server: str):  # type: ignore[no-untyped-def]
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    return create_engine(server, isolation_level="AUTOCOMMIT", poolclass=NullPool)


def _pg_url(server: str, name: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(server).set(database=name).render_as_string(hide_password=False)


def pg_dataset(server: str, size: int) -> str:
    """The name of the kept dataset of ``size`` calls on the server, generated unless there and whole."""
    from salestui.store.schema import HEAD

    name = f"salestui_bench_{size}"
    admin = _pg_admin(server)
    try:
        with admin.connect() as connection:
            found = connection.exec_driver_sql("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).first()
        if found is not None:
            probe = _pg_admin(_pg_url(server, name))
            try:
                with probe.connect() as connection:
                    calls = connection.exec_driver_sql("SELECT count(*) FROM call").scalar_one()
                    revision = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar_one()
            except Exception:  # a half-made dataset (interrupted generation): made again below
                calls, revision = -1, None
            finally:
                probe.dispose()
            if calls == size and revision == HEAD:
                return name
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    finally:
        admin.dispose()
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task(f"generating {size:,} calls on PostgreSQL", total=size)
        generate(
            _pg_url(server, name), size, now=NOW, progress=lambda done, _t, t=task: progress.update(t, completed=done)
        )
    return name


def home_on(target: str, runs: int) -> list[float]:
    """Process start until home shows its calls, on ``target`` (a file or a URL), ms per run."""
    data = []
    last_session(target)
    for _ in range(runs):
        app = PtyApp([PYTHON, "-m", "salestui", "--db", target], env=APP_ENV)
        try:
            data.append(_ms(app.wait_until(home_data_shown, "home data")))
        finally:
            app.close()
    return data


def measure_pg(server: str, size: int, runs: int, sqlite_home: Figure | None) -> list[Figure]:
    """The database figures at one size on a copy of the PostgreSQL dataset."""
    import uuid

    dataset = pg_dataset(server, size)
    work = f"salestui_bench_work_{uuid.uuid4().hex[:8]}"
    admin = _pg_admin(server)
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{work}" TEMPLATE "{dataset}"')
    url = _pg_url(server, work)
    try:
        home = Figure(f"{PG}home data (start to upcoming calls)", home_on(url, runs), "ms", HOME_DATA_MS)
        figures = [home]
        if sqlite_home is not None:
            ratios = [home.median / sqlite_home.median]
            figures.append(Figure(f"{PG}home data / on SQLite", ratios, "x", PG_HOME_RATIO, "ratio of medians"))
        figures += review(url, runs * 4, size, prefix=PG)
        figures += [
            Figure(f"{PG}{fig.name}", fig.samples, fig.unit, fig.budget, fig.note)
            for fig in saves(url, runs * 10) + forecast(url, size, runs * 2)
        ]
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{work}" WITH (FORCE)')
        admin.dispose()
    return figures


def table_of(results: dict[int, Iterable[Figure]], title: str) -> Table:
    """The results as a rich table."""
    table = Table(title=title)
    for name, justify in [("calls", "right"), ("figure", "left"), ("median", "right"), ("min–max", "right")]:
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    table.add_column("budget", justify="right")
    table.add_column("ok")
    table.add_column("note")
    for size, figures in results.items():
        for fig in figures:
            verdict = {None: "", True: "pass", False: "FAIL"}[fig.passed]
            digits = 2 if fig.unit == "x" else 1
            budget = "" if fig.budget is None else f"{'<' if fig.strict else '≤'} {fig.budget:g} {fig.unit}"
            table.add_row(
                f"{size:,}",
                fig.name,
                f"{fig.median:.{digits}f} {fig.unit}",
                f"{fig.low:.{digits}f}–{fig.high:.{digits}f}",
                budget,
                verdict,
                fig.note,
            )
    return table


def dataset(folder: Path, size: int) -> Path:
    """The dataset of ``size`` calls in ``folder``, generated (with a progress bar) unless there."""
    db = folder / f"bench-{size}.db"
    if not db.exists():
        partial = db.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task(f"generating {size:,} calls", total=size)
            generate(partial, size, now=NOW, progress=lambda done, _t, t=task: progress.update(t, completed=done))
        partial.rename(db)
    return db


def main(argv: list[str] | None = None) -> int:
    """Run everything and print a table; non-zero only on a crash."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="1,000 calls only, fewer runs (CI)")
    parser.add_argument("--runs", type=int, default=5, help="runs per start-up figure (x4 review, x10 save)")
    parser.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")], help="e.g. 1000,10000")
    parser.add_argument("--data", type=Path, help="keep datasets in this folder and reuse them")
    parser.add_argument("--out", type=Path, help="also write the table as plain text here")
    parser.add_argument("--pg", help="PostgreSQL server URL (default: $SALESTUI_BENCH_PG_URL, $SALESTUI_TEST_PG_URL)")
    args = parser.parse_args(argv)
    server = pg_server(args.pg)
    if server is None:
        console.print("PostgreSQL rows skipped: no server (--pg URL, or set SALESTUI_BENCH_PG_URL)")
    sizes = args.sizes or ([1_000] if args.quick else [1_000, 10_000, 100_000])
    runs = 3 if args.quick else args.runs
    results: dict[int, list[Figure]] = {}
    began = time.perf_counter()
    byte_compiled()
    with tempfile.TemporaryDirectory() as scratch:
        # Home's cached lists (salestui.home_cache) go with the datasets, not to the user's cache.
        os.environ["SALESTUI_CACHE_DIR"] = str(Path(scratch) / "cache")
        folder = args.data or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        for size in sizes:
            db = dataset(folder, size)
            if args.data:  # measure a copy: saves must not drift the kept dataset
                work = Path(scratch) / db.name
                work.write_bytes(db.read_bytes())
                db = work
            console.print(f"measuring {size:,} calls…")
            results[size] = measure_size(
                db, size, runs, with_memory=size == max(sizes), key_runs=2 if args.quick else None
            )
            db.unlink()
            if server is not None:
                console.print(f"measuring {size:,} calls on PostgreSQL…")
                home = next((f for f in results[size] if f.name == "home data (start to upcoming calls)"), None)
                results[size] += measure_pg(server, size, runs, home)
    for size, figures in cross_size(results).items():
        results[size] += figures
    table = table_of(results, f"salestui benchmark (medians of {runs}+ runs; min–max)")
    out = Console(width=160, record=True)
    out.print(table)
    failed = [f"{size:,} {fig.name}" for size, figs in results.items() for fig in figs if fig.passed is False]
    out.print(f"{len(failed)} budget(s) not met: {', '.join(failed)}" if failed else "every budget met")
    out.print(f"total {time.perf_counter() - began:.0f} s")
    if args.out:
        args.out.write_text(out.export_text())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
