"""``salestui demo``: fill a database with the demo dataset."""

from __future__ import annotations

import argparse
from typing import Any

from salestui.cli import fail


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    """Add the ``demo`` subcommand."""
    parser = subparsers.add_parser("demo", parents=[common], help="load realistic demo accounts and calls")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Load the demo dataset and say what was added."""
    from salestui.store.core import StoreError, open_store
    from salestui.store.demo import load_demo
    from salestui.store.preflight import DatabaseProblem

    try:
        store = open_store(args.db)
        counts = load_demo(store)
        store.close()
    except (DatabaseProblem, StoreError) as problem:
        return fail(str(problem))
    print(f"Loaded {counts['accounts']} demo accounts and {counts['calls']} calls into {args.db}")
    return 0
