"""``salestui config``: the settings file's path and values; ``config owner|domain [VALUE]``: show or set
the rep's name or e-mail domain in this database."""

from __future__ import annotations

import argparse
from typing import Any

from salestui.cli import fail


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    """Add the ``config`` subcommand."""
    parser = subparsers.add_parser(
        "config",
        parents=[common],
        help="show the settings file (path and values), or show or change the rep's name or e-mail domain",
    )
    parser.add_argument(
        "key",
        nargs="?",
        default=None,
        choices=["owner", "domain"],
        help="owner: the rep's name on accounts and calls; domain: the rep's own e-mail domain, "
        "which never matches an account in 'import calendar' (guessed from the calendar when not set)",
    )
    parser.add_argument("value", nargs="?", help="the new value (leave out to show the current one)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print the owner, or record a new one and move the old name's records to it (or the same for the domain)."""
    from salestui.store.accounts import InvalidInput
    from salestui.store.core import StoreError, open_store
    from salestui.store.owner import rename_owner
    from salestui.store.preflight import DatabaseProblem

    if args.key is None:
        return show_settings()
    try:
        store = open_store(args.db)
    except DatabaseProblem as problem:
        return fail(str(problem))
    try:
        if args.key == "domain":
            return _domain(store, args.value)
        if args.value is None:
            print(store.owner)
            return 0
        old, accounts, calls = rename_owner(store, args.value)
    except (InvalidInput, StoreError) as error:
        return fail(str(error))
    finally:
        store.close()
    if old == store.owner:
        print(f"The owner is already {store.owner}.")
    else:
        print(f"Owner is now {store.owner} (was {old}): {accounts} accounts and {calls} calls moved to the new name.")
    return 0


def _domain(store: Any, value: str | None) -> int:
    from salestui.store.calendar import own_domain, set_own_domain

    if value is None:
        print(own_domain(store) or "(not set: guessed from each calendar file)")
    else:
        domain = set_own_domain(store, value)
        print(f"Your own domain is now {domain}." if domain else "Your own domain is no longer set.")
    return 0


def show_settings() -> int:
    """Print where the settings file is, whether it exists, and every value in effect."""
    from salestui.settings import DATE_FORMATS, WEEKDAYS, load, settings_path

    path = settings_path()
    settings = load(path)
    print(f"Settings file: {path}" + ("" if path.exists() else " (not created yet: defaults apply)"))
    print(f"  theme        = {settings.theme or '(Textual default)'}")
    print(f"  owner        = {settings.owner or '(not set: --owner, $SALESTUI_OWNER or the database decide)'}")
    print(f"  date_format  = {settings.date_format}  (one of {', '.join(DATE_FORMATS)})")
    print(f"  week_start   = {settings.week_start}  (one of {', '.join(WEEKDAYS)})")
    print(f"  call_minutes = {settings.call_minutes}")
    if settings.keys:
        print("  keys:")
        for binding, keys in sorted(settings.keys.items()):
            print(f"    {binding} = {keys}")
    else:
        print("  keys         = (none remapped: binding ids are listed in the README)")
    for problem in settings.problems:
        print(f"  ! {problem}")
    return 0
