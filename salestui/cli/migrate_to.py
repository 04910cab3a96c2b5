"""``salestui migrate-to TARGET``: copy the database into an empty one (SQLite <-> PostgreSQL)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from salestui.cli import fail


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    """Add the ``migrate-to`` subcommand."""
    parser = subparsers.add_parser(
        "migrate-to",
        parents=[common],
        help="copy every record into an empty database (e.g. a team's PostgreSQL server)",
        description="Copy the database given by --db (the source) into an empty TARGET at the same "
        "schema: a SQLAlchemy URL such as postgresql+psycopg://user@host/db, or a SQLite file path.",
    )
    parser.add_argument("target", metavar="TARGET", help="database URL or SQLite file to copy into (must be empty)")
    parser.add_argument(
        "--append",
        action="store_true",
        help="copy into a team database that already holds records, as your own (new ids): "
        "the same as `salestui team join --from SOURCE --db TARGET`",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Copy, show progress on stderr, print the per-table counts; non-zero on any mismatch."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
    from sqlalchemy.exc import DBAPIError

    from salestui.store.core import StoreError, plain_message
    from salestui.store.preflight import DatabaseProblem
    from salestui.store.transfer import check_owners, copy_database, open_source, prepare_target, source_counts

    target_text = args.target if "://" in args.target else str(_expand(args.target))
    if _same(args.db, target_text):
        return fail("the source and the target are the same database.")
    if args.append:
        from salestui.cli.team import join

        return join(args.db, target_text)
    try:
        source = open_source(args.db)
    except DatabaseProblem as problem:
        return fail(f"source: {problem}")
    try:
        target = prepare_target(target_text)
    except DatabaseProblem as problem:
        source.dispose()
        return fail(f"target: {problem}")
    errors = Console(stderr=True)
    try:
        check_owners(source, target)
        total = sum(source_counts(source).values())
        with Progress(
            TextColumn("{task.description:<24}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=errors,
            transient=False,
        ) as bar:
            task = bar.add_task("copying", total=total)

            def advance(table: str, rows: int) -> None:
                bar.update(task, advance=rows, description=table)

            counts = copy_database(source, target, advance)
            bar.update(task, description="done")
    except DatabaseProblem as problem:
        return fail(str(problem))
    except DBAPIError as error:
        return fail(f"the copy failed and was rolled back: {plain_message(error)}")
    except StoreError as error:
        return fail(f"the copy failed and was rolled back: {error}")
    finally:
        source.dispose()
        target.dispose()
    width = max(len(c.table) for c in counts)
    print(f"{'table':<{width}}  {'source':>8}  {'target':>8}")
    for count in counts:
        mark = "  kept the team's (yours stay local)" if count.kept else "" if count.matches else "  MISMATCH"
        print(f"{count.table:<{width}}  {count.source:>8}  {count.target:>8}{mark}")
    wrong = [c.table for c in counts if not c.matches]
    if wrong:
        return fail(f"row counts differ in {', '.join(wrong)}: check the target before using it.")
    print(f"Copied {sum(c.source for c in counts if not c.kept)} rows into {_shown(target_text)}.", file=sys.stdout)
    return 0


def _expand(path: str) -> Any:
    from pathlib import Path

    return Path(path).expanduser().resolve()


def _same(source: str, target: str) -> bool:
    if "://" in source or "://" in target:
        return source == target
    return str(_expand(source)) == str(_expand(target))


def _shown(target: str) -> str:
    from salestui.store.transfer import _describe

    return _describe(target)
