"""``salestui import KIND FILE``: accounts or contacts from a CRM's CSV export, contacts from vCard,
JSON, or meetings from a calendar (.ics) as planned calls."""

from __future__ import annotations

import argparse
from datetime import datetime, time
from pathlib import Path
from typing import Any

from salestui.cli import fail

KINDS = ("accounts", "contacts", "json", "calendar")


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    """Add the ``import`` subcommand."""
    parser = subparsers.add_parser(
        "import",
        parents=[common],
        help="import accounts or contacts (CSV, vCard), a JSON export, or meetings from a calendar (.ics)",
        description=(
            "Import a CRM export. Usual column names of Salesforce, HubSpot, Pipedrive and Zoho are "
            "recognised; --map names the others. 'import calendar FILE.ics' makes the meetings of an "
            "Outlook, Google or Apple calendar export planned calls of the accounts they are with. "
            "Re-importing the same file does not duplicate anything."
        ),
    )
    parser.add_argument("kind", choices=KINDS, metavar="KIND", help="accounts | contacts | json | calendar")
    parser.add_argument(
        "file", type=Path, metavar="FILE", help="the CSV (or .vcf for contacts, .json for json, .ics for calendar)"
    )
    parser.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="COLUMN=FIELD",
        help="read COLUMN as FIELD (e.g. --map 'Org=name'); FIELD 'ignore' skips a column; repeatable",
    )
    calendar = parser.add_argument_group("calendar")
    calendar.add_argument(
        "--days", type=int, default=None, metavar="N", help="calendar: meetings up to N days ahead (default 90)"
    )
    calendar.add_argument(
        "--from",
        dest="start",
        default=None,
        metavar="DATE",
        help="calendar: start of the window, e.g. 2027-03-01, tomorrow, +7d (default: now)",
    )
    calendar.add_argument(
        "--add-contacts",
        action="store_true",
        help="calendar: attendees at an account's domain who are not contacts yet become contacts",
    )
    parser.set_defaults(handler=run)


def parse_map(items: list[str]) -> dict[str, str]:
    """``["Org=name", "Fax="]`` -> ``{"Org": "name", "Fax": ""}``; raises ValueError on a bad item."""
    overrides: dict[str, str] = {}
    for item in items:
        column, sep, fieldname = item.partition("=")
        if not sep or not column.strip():
            raise ValueError(f"--map {item!r}: write it as COLUMN=FIELD")
        overrides[column.strip()] = fieldname.strip()
    return overrides


def run(args: argparse.Namespace) -> int:
    """Read the file, import it in one transaction, print the summary."""
    path: Path = args.file
    if args.kind == "calendar":
        return run_calendar(args)
    if args.days is not None or args.start is not None or args.add_contacts:
        return fail("--days, --from and --add-contacts are for 'salestui import calendar'")
    if not path.is_file():
        return fail(f"cannot read {path}: no such file")
    try:
        overrides = parse_map(args.map)
    except ValueError as problem:
        return fail(str(problem))
    importer = _importer(args.kind, path)
    if importer is None:
        return fail(f"importing {args.kind} from {path.suffix or 'this file'} is not available in this version")
    from salestui.io.crm_csv import CsvError
    from salestui.store.core import StoreError, open_store
    from salestui.store.preflight import DatabaseProblem

    try:
        store = open_store(args.db)
    except (DatabaseProblem, StoreError) as problem:
        return fail(str(problem))
    try:
        report = importer(store, path, overrides)
    except OSError as problem:
        return fail(f"cannot read {path}: {problem.strerror or problem}")
    except (CsvError, StoreError, ValueError) as problem:
        return fail(f"{path}: {problem} (nothing was imported)")
    finally:
        store.engine.dispose()
    print(report.summary(args.kind))
    return 0


def _importer(kind: str, path: Path) -> Any:
    """The import function for a kind and file, or ``None`` when its module is missing."""
    if kind == "accounts":
        from salestui.io.crm_csv import import_accounts_csv

        return import_accounts_csv
    if kind == "contacts" and path.suffix.lower() in (".vcf", ".vcard"):
        try:
            from salestui.io.vcard import import_contacts_vcf
        except ImportError:
            return None
        return lambda store, file, _overrides: import_contacts_vcf(store, file)
    if kind == "contacts":
        from salestui.io.crm_csv import import_contacts_csv

        return import_contacts_csv
    try:
        from salestui.io.json_io import import_json
    except ImportError:
        return None
    return lambda store, file, _overrides: import_json(store, file)


def run_calendar(args: argparse.Namespace) -> int:
    """``salestui import calendar FILE.ics``: meetings in the window become planned calls."""
    from salestui.cli.agenda import days_problem
    from salestui.cli.progress import progress_bar
    from salestui.domain.clock import local, local_zone, now
    from salestui.domain.dates import Invalid, parse_date

    path: Path = args.file
    if path.is_dir():
        return fail(f"cannot read {path}: it is a folder, not a file")
    if not path.is_file():
        return fail(f"cannot read {path}: no such file")
    days = 90 if args.days is None else args.days
    problem = days_problem(days)
    if problem:
        return fail(problem)
    start = now()
    if args.start is not None:
        day = parse_date(args.start, local(start).date())
        if isinstance(day, Invalid):
            return fail(f"--from {args.start!r}: {day.message}")
        start = datetime.combine(day, time(0, 0), tzinfo=local_zone())
    from salestui.io.ics_import import CalendarError, import_calendar, window_of

    try:
        window_of(start, days)
    except ValueError as range_problem:
        return fail(str(range_problem))
    from salestui.store.core import StoreError, open_store
    from salestui.store.preflight import DatabaseProblem

    try:
        store = open_store(args.db)
    except (DatabaseProblem, StoreError) as problem:
        return fail(str(problem))
    try:
        with progress_bar("Importing calendar") as progress:
            report = import_calendar(store, path, start, days, args.add_contacts, progress)
    except OSError as problem:
        return fail(f"cannot read {path}: {problem.strerror or problem}")
    except (CalendarError, StoreError, ValueError) as problem:
        return fail(f"{path}: {problem} (nothing was imported)")
    finally:
        store.engine.dispose()
    print(report.summary("calendar"))
    return 0
