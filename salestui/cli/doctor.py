"""``salestui doctor [--repair]``: check the database thoroughly; exit 0 when sound."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from salestui.cli import fail

SOUND, PROBLEMS = 0, 1  # 2 (``fail``): the file could not be checked at all


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    """Add the ``doctor`` subcommand."""
    parser = subparsers.add_parser(
        "doctor",
        parents=[common],
        help="check the database (integrity, foreign keys, search index, schema); --repair fixes it",
    )
    parser.add_argument(
        "--repair",
        action="store_true",
        help="rebuild the search index, remove orphan rows; restore the newest good backup if the file is damaged",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print one line per check; with ``--repair``, fix and check again."""
    from salestui.store.doctor import diagnose, repair, sound
    from salestui.store.preflight import DatabaseProblem

    if "://" in args.db:
        return fail("doctor checks a local SQLite file; a database server has its own tools (amcheck, pg_dump).")
    path = Path(args.db)
    try:
        findings = diagnose(path)
        print(f"Checking {path}")
        _show(findings)
        if sound(findings):
            print("The database is sound.")
            return SOUND
        if not args.repair:
            print("Problems found: `salestui doctor --repair` fixes what it can (a backup is kept first).")
            return PROBLEMS
        for line in repair(path, findings):
            print(f"  repaired: {line}")
        findings = diagnose(path)
    except DatabaseProblem as problem:
        return fail(str(problem))
    print("After repair:")
    _show(findings)
    if sound(findings):
        print("The database is sound.")
        return SOUND
    print("Problems remain: restore a backup with `salestui restore` (see `salestui backup --list`).")
    return PROBLEMS


def _show(findings: list[Any]) -> None:
    for finding in findings:
        print(f"  {'ok  ' if finding.ok else 'FAIL'}  {finding.check}: {finding.detail}")
