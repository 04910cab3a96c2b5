"""``salestui demo``: fill a database with the demo dataset."""

from __future__ import annotations

import argparse
from typing import Any

from salestui.cli import fail


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    """Add the ``demo`` subcommand."""
    parser = subparsers.add_parser("demo", parents=[common], help="load realistic demo accounts and calls")
    parser.add_argument(
        "--history", action="store_true", help="also 16 weeks of held calls, so `salestui forecast` has a track record"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Load the demo dataset and say what was added."""
    from salestui.cli import masked
    from salestui.store.core import StoreError, open_store
    from salestui.store.demo import load_demo
    from salestui.store.preflight import DatabaseProblem

    try:
        store = open_store(args.db)
    except DatabaseProblem as problem:
        return fail(str(problem))
    try:
        # One transaction: a refusal or a failure leaves nothing behind.
        counts = load_demo(store, history=getattr(args, "history", False))
    except StoreError as problem:
        return fail(str(problem))
    finally:
        store.close()
    print(f"Loaded {counts['accounts']} demo accounts and {counts['calls']} calls into {masked(args.db)}")
    return 0


def refusal_before_opening(target: str) -> str | None:
    """For ``salestui --demo``: why the database may not take demo data, checked before the app starts."""
    from salestui.store.demo import refusal

    if "://" in target:
        from sqlalchemy import text
        from sqlalchemy.exc import DBAPIError

        from salestui.store.engine import engine_for_url

        engine = engine_for_url(target)
        try:
            with engine.connect() as connection:
                counts = [
                    connection.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in ("account", "call")
                ]
        except DBAPIError:
            return None  # no tables yet: an empty database
        finally:
            engine.dispose()
        return refusal(*counts)
    import sqlite3
    from pathlib import Path

    path = Path(target)
    if not path.is_file() or path.stat().st_size == 0:
        return None
    reader = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    try:
        counts = [reader.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("account", "call")]
    except sqlite3.Error:
        return None  # not a salestui database yet: opening it says what is wrong
    finally:
        reader.close()
    return refusal(*counts)
