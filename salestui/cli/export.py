"""``salestui export``: the database as JSON, calls as CSV, dossiers as Markdown, the calendar as iCalendar.

``salestui export --format json|csv|md|ics [--account NAME] [--out FILE]`` and
``salestui export plan CALL_ID [--format md] [--out FILE]``. Without ``--out`` the export goes to
standard output; with it, to a file only the user can read (0600), written atomically.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from salestui.cli import fail

if TYPE_CHECKING:
    from salestui.cli.progress import Progress
    from salestui.store.core import Store

FORMATS = ("json", "csv", "md", "ics")
_SUFFIXES = {".json": "json", ".csv": "csv", ".md": "md", ".markdown": "md", ".ics": "ics"}


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    """Add the ``export`` subcommand."""
    parser = subparsers.add_parser(
        "export",
        parents=[common],
        help="export the database (json), calls (csv), account dossiers (md) or the calendar (ics)",
        description=(
            "Export for a backup, a spreadsheet, a CRM, a printout or a calendar. "
            "json: the whole database (salestui import json restores it into an empty database); "
            "csv: one row per call; md: account dossiers; ics: upcoming calls and follow-up dates. "
            "'export plan CALL_ID' writes the one-page call sheet of a call."
        ),
    )
    parser.add_argument("what", nargs="?", choices=("plan",), metavar="plan", help="export one call's plan sheet")
    parser.add_argument("call_id", nargs="?", type=int, metavar="CALL_ID", help="the call (with 'plan')")
    parser.add_argument(
        "--format", choices=FORMATS, help="json | csv | md | ics (default: from the --out file's extension)"
    )
    parser.add_argument("--account", metavar="NAME", help="only this account (csv, md, ics)")
    parser.add_argument(
        "--out", type=Path, metavar="FILE", help="write to FILE (readable by you only) instead of standard output"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Check the arguments, open the database, export, write."""
    chosen = args.format or (_SUFFIXES.get(args.out.suffix.lower()) if args.out else None)
    if args.what == "plan":
        if args.call_id is None:
            return fail("export plan needs a CALL_ID (the number shown in the call list)")
        chosen = chosen or "md"
        if chosen != "md":
            return fail("the plan sheet is exported as Markdown: use --format md")
    elif args.call_id is not None:
        return fail(f"unexpected {args.call_id}: did you mean 'salestui export plan {args.call_id}'?")
    if chosen is None:
        return fail("choose a format: --format json, csv, md or ics")
    if chosen == "json" and args.account:
        return fail("--account does not apply to json: the JSON export is always the whole database")
    if args.out is not None:
        folder = args.out.expanduser().parent
        if not folder.is_dir():
            return fail(f"cannot write {args.out}: the folder {folder} does not exist")

    store = _open(args.db)
    if isinstance(store, int):
        return store
    from salestui.store.core import StoreError

    try:
        text = _export(store, args, chosen)
    except StoreError as problem:
        return fail(str(problem))
    finally:
        store.engine.dispose()
    if isinstance(text, int):
        return text
    return _write(text, args.out)


def _open(db: str) -> Store | int:
    """The store, or the exit code after one clear line (exporting never creates a database)."""
    from salestui.store.core import StoreError, open_store
    from salestui.store.preflight import DatabaseProblem

    if "://" not in db and not Path(db).exists():
        return fail(f"no database at {db} (use --db PATH or set SALESTUI_DB)")
    if "://" not in db and not Path(db).is_file():
        return fail(f"{db} is not a database file")
    try:
        return open_store(db, read_only=True)
    except (DatabaseProblem, StoreError) as problem:
        return fail(str(problem))


def _export(store: Store, args: argparse.Namespace, chosen: str) -> str | int:
    from salestui.cli.progress import progress_bar

    if args.what == "plan":
        try:
            from salestui.io.plan_sheet import plan_sheet_markdown
        except ImportError:
            return fail("the call sheet export is not available in this version of salestui")
        from salestui.store.core import NotFound

        try:
            return str(plan_sheet_markdown(store, args.call_id))
        except NotFound:
            return fail(f"there is no call {args.call_id}")
    account_id = None
    if args.account:
        found = _account(store, args.account)
        if isinstance(found, str):
            return fail(found)
        account_id = found
    with progress_bar(f"Exporting {chosen}") as progress:
        return _render(store, chosen, account_id, progress)


def _render(store: Store, chosen: str, account_id: int | None, progress: Progress | None) -> str:
    if chosen == "json":
        from salestui.io.json_io import dump_json

        return dump_json(store, progress)
    if chosen == "csv":
        from salestui.io.csv_export import calls_csv

        return calls_csv(store, account_id, progress)
    if chosen == "md":
        from salestui.io.dossier import all_dossiers_markdown, dossier_markdown

        return dossier_markdown(store, account_id) if account_id is not None else all_dossiers_markdown(store)
    from salestui.io.ics import calendar_ics

    return calendar_ics(store, account_id, progress=progress)


def _account(store: Store, name: str) -> int | str:
    """The id of the account called ``name`` (case-insensitive), else why not, naming close matches."""
    account = store.accounts.find_by_name(name)
    if account is not None:
        return account.id
    similar = [row.name for row in store.accounts.rows(name, limit=5)]
    hint = f"; did you mean {', '.join(repr(s) for s in similar)}?" if similar else ""
    return f"no account named {name!r}{hint}"


def _write(text: str, out: Path | None) -> int:
    if out is None:
        try:
            sys.stdout.write(text)
            sys.stdout.flush()
        except BrokenPipeError:
            # The reader (head, less) went away: not an error worth a traceback.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except OSError as problem:  # a full disk (> /dev/full), a closed terminal
            # Point stdout at /dev/null too: Python's flush at exit would raise the same error again.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            return fail(f"cannot write the export: {problem.strerror or problem}")
        return 0
    from salestui.io.files import write_private

    try:
        written = write_private(out, text)
    except OSError as problem:
        return fail(f"cannot write {out}: {problem.strerror or problem}")
    print(f"Exported to {written} (readable by you only)")
    return 0
