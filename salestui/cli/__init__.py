"""Command line: ``salestui`` opens the TUI; subcommands work on the same database.

Imports neither Textual nor SQLAlchemy at module level: each command pulls in what it needs.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from importlib import import_module
from pathlib import Path

from salestui import __version__

# Each module has register(subparsers, common) and sets ``handler`` on its parser.
SUBCOMMANDS: tuple[str, ...] = (
    "demo",
    "backup",
    "doctor",
    "import_",
    "export",
    "migrate_to",
    "config",
    "agenda",
    "coach",
    "team",
    "forecast",
)

Handler = Callable[[argparse.Namespace], int]

# Commands that only read: a database file that does not exist is a mistyped path, said in one
# line with a non-zero exit (never an empty agenda, never a new file). The TUI and the commands
# that write (demo, import, config, restore) create it.
READS_ONLY: frozenset[str] = frozenset(
    {"agenda", "today", "export", "stats", "backup", "doctor", "migrate-to", "forecast"}
)


def default_db_path() -> Path:
    """``<user data dir>/salestui/salestui.db``."""
    from platformdirs import user_data_path

    return user_data_path("salestui") / "salestui.db"


def resolve_db(value: str | None) -> str:
    """The database from ``--db``, else ``SALESTUI_DB``, else the default path; URLs pass through."""
    chosen = value or os.environ.get("SALESTUI_DB") or str(default_db_path())
    return chosen if "://" in chosen else str(Path(chosen).expanduser())


def build_parser(subcommands: bool = True) -> argparse.ArgumentParser:
    """The parser with every subcommand; each accepts ``--db`` after its own name.

    ``subcommands=False`` leaves them out (and unimported): opening the TUI needs none of them.
    """
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="database file or SQLAlchemy URL (default: $SALESTUI_DB, else the user data folder)",
    )
    parser = argparse.ArgumentParser(
        prog="salestui",
        description="Plan customer calls, pick the advance in the call, debrief, review — in the terminal.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"salestui {__version__}")
    parser.add_argument("--demo", action="store_true", help="load the demo dataset, then open the app")
    if not subcommands:
        return parser
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in SUBCOMMANDS:
        import_module(f"salestui.cli.{name}").register(subparsers, common)
    return parser


def fail(message: str) -> int:
    """Print one clear line and return the error exit code."""
    print(f"salestui: {message}", file=sys.stderr)
    return 2


def masked(target: str) -> str:
    """A path, or a URL with its password replaced by ``***`` (messages never show it)."""
    import re

    return re.sub(r"(://[^/@:]*:)[^@/]*@", r"\1***@", target)


def missing_database(args: argparse.Namespace) -> str | None:
    """The one line for a read-only command pointed at a database file that does not exist."""
    command = getattr(args, "command", None)
    if command not in READS_ONLY or "://" in args.db:
        return None
    path = Path(args.db)
    if path.exists() or path.is_symlink():
        return None
    return f"there is no database at {path}: check --db or $SALESTUI_DB (nothing was created)"


def opens_tui_only(argv: Sequence[str]) -> bool:
    """True when ``argv`` holds only ``--db``/``--demo``: no subcommand, help or version to parse."""
    tokens = iter(argv)
    for token in tokens:
        if token == "--db":
            next(tokens, None)
        elif not (token.startswith("--db=") or token == "--demo"):
            return False
    return True


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``salestui`` console script."""
    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser(subcommands=not opens_tui_only(argv)).parse_args(argv)
    args.db = resolve_db(getattr(args, "db", None))
    handler: Handler | None = getattr(args, "handler", None)
    try:
        if handler is not None:
            missing = missing_database(args)
            if missing is not None:
                return fail(missing)
            return handler(args)
        return run_tui(args)
    except KeyboardInterrupt:
        return 130


def opened_here_before(target: str, owner: str | None) -> bool:
    """This computer has shown home from ``target`` before (``home_cache`` keeps its lists)."""
    from salestui import home_cache

    return home_cache.path_for(target, owner).is_file()


def run_tui(args: argparse.Namespace) -> int:
    """Check the database cheaply, then open the app (which opens the store in a worker)."""
    from salestui import _start_time  # noqa: F401  (start the clock before Textual loads)
    from salestui.settings import load
    from salestui.store.preflight import DatabaseProblem, check_sqlite

    settings = load()
    owner = os.environ.get("SALESTUI_OWNER") or settings.owner or None
    try:
        if "://" not in args.db:
            # A file shown here before: its schema is read when the store opens (a newer one is
            # then reported and the app exits), not again before the first frame (~10 ms).
            check_sqlite(Path(args.db), schema=not opened_here_before(args.db, owner))
        elif not opened_here_before(args.db, owner):
            # A server: is it there, is the driver installed? Asked before Textual starts (a
            # one-line error, exit 2) only the first time: it imports SQLAlchemy and waits for
            # the server, about 0.5 s before the first frame. Afterwards the app's own opening
            # (after the last session's lists are drawn) finds the same problems and says so.
            from salestui.store.engine import check_url

            check_url(args.db)
        if args.demo:
            from salestui.cli.demo import refusal_before_opening

            refused = refusal_before_opening(args.db)
            if refused is not None:
                return fail(refused)
    except DatabaseProblem as problem:
        return fail(str(problem))
    from salestui.app import SalesApp

    app = SalesApp(args.db, load_demo=args.demo, owner=owner, settings=settings, quiet_gc=True, home_cache=True)
    try:
        app.run()
    finally:
        if app.store is not None:
            # The app waited for the last saves or journaled them: a save stuck on a server that
            # hangs is not waited for again (the journal has it).
            app.store.close(timeout=1.0)
        if app.quit_message:
            print(f"salestui: {app.quit_message}", file=sys.stderr)
    return app.return_code or 0
