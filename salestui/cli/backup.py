"""``salestui backup [PATH]`` and ``salestui restore PATH``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from salestui.cli import fail


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    """Add the ``backup`` and ``restore`` subcommands."""
    parser = subparsers.add_parser("backup", parents=[common], help="copy the database safely, even while the app runs")
    parser.add_argument("path", nargs="?", help="where to write the copy (default: a dated file in backups/)")
    parser.add_argument("--list", action="store_true", help="show the backups in backups/ beside the database")
    parser.set_defaults(handler=run_backup)
    restore = subparsers.add_parser("restore", parents=[common], help="replace the database with a backup")
    restore.add_argument("path", help="the backup file to restore")
    restore.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    restore.set_defaults(handler=run_restore)


def run_backup(args: argparse.Namespace) -> int:
    """Write a backup and say where."""
    from salestui.store.backup import backup, default_backup_path
    from salestui.store.preflight import DatabaseProblem

    if "://" in args.db:
        return fail("backup works on a local SQLite file; use your server's tools for a shared database.")
    database = Path(args.db)
    if args.list:
        return list_backups(database)
    target = Path(args.path).expanduser() if args.path else default_backup_path(database)
    try:
        written = backup(database, target)
    except DatabaseProblem as problem:
        return fail(str(problem))
    print(f"Backed up {database} to {written} (checked: the copy passes SQLite's integrity_check)")
    return 0


def list_backups(database: Path) -> int:
    """Print the backups beside ``database``, newest first, with what keeps each one."""
    from salestui.store.autobackup import folder, listing

    found = listing(database)
    if not found:
        print(f"No backups yet in {folder(database)}")
        return 0
    print(f"Backups in {folder(database)} (automatic: one a day, 7 daily and 4 weekly kept):")
    for item in found:
        size = f"{item.size / 1_048_576:.1f} MB" if item.size >= 1_048_576 else f"{item.size / 1024:.0f} KB"
        note = "  (no database id: matched by its file name)" if item.matched == "name" else ""
        print(f"  {item.taken:%Y-%m-%d %H:%M}  {item.kind:<7} {size:>9}  {item.path.name}{note}")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    """Ask, then restore; the replaced database is kept as a safety copy."""
    from salestui.store.backup import restore
    from salestui.store.preflight import DatabaseProblem

    if "://" in args.db:
        return fail("restore works on a local SQLite file.")
    database, source = Path(args.db), Path(args.path).expanduser()
    if not args.yes:
        if not sys.stdin.isatty():
            return fail("restore replaces your database: run it in a terminal, or add --yes.")
        answer = input(f"Replace {database} with {source}? The current one is kept as a copy. [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            print("Nothing restored.")
            return 1
    try:
        safety = restore(source, database)
    except DatabaseProblem as problem:
        return fail(str(problem))
    print(f"Restored {source} into {database}" + (f" (previous database kept as {safety})" if safety else ""))
    return 0
