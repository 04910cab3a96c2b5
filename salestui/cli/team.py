"""``salestui team``: set up and look after a team's PostgreSQL database.

``team init URL`` (roles, tables, grants, policies; idempotent), ``team add-rep LOGIN`` and
``team add-manager LOGIN`` (a login with a password, the role, the ``pg_hba.conf`` line and the
login's ``--db`` URL), ``team upgrade`` (the schema, as the administrator), ``team check``
(roles, schema, each table's protection, clock skew) and ``team join`` (a rep brings the local
database's records in as their own).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from salestui.cli import fail


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    """Add ``team`` and its subcommands."""
    parser = subparsers.add_parser(
        "team",
        parents=[common],
        help="set up and look after a team's PostgreSQL database (init, add-rep, add-manager, upgrade, check, join)",
        description="Administer a team database. The administrator (a superuser, or a login with CREATEROLE "
        "that owns the database) runs init, add-rep, add-manager and upgrade; anyone may run check; "
        "each rep runs join once to bring their local history in.",
    )
    commands = parser.add_subparsers(dest="team_command", metavar="COMMAND", required=True)

    init = commands.add_parser(
        "init",
        parents=[common],
        help="create the roles, tables, grants and policies (again: changes nothing)",
    )
    init.add_argument("url", nargs="?", metavar="URL", help="the team database (default: --db / $SALESTUI_DB)")
    init.set_defaults(handler=run_init)

    for name, role, who in (("add-rep", "salestui_rep", "a rep"), ("add-manager", "salestui_manager", "a manager")):
        add = commands.add_parser(
            name,
            parents=[common],
            help=f"create the login of {who} (password asked) and grant it {role}",
        )
        add.add_argument("login", metavar="LOGIN", help="the login name (lower-case letters, digits, _)")
        how = add.add_mutually_exclusive_group()
        how.add_argument(
            "--password-stdin", action="store_true", help="read the password from the first line of standard input"
        )
        how.add_argument(
            "--no-password", action="store_true", help="set no password (the server authenticates another way)"
        )
        add.set_defaults(handler=run_add, role=role)

    upgrade = commands.add_parser(
        "upgrade", parents=[common], help="bring the schema to this salestui's (administrator)"
    )
    upgrade.set_defaults(handler=run_upgrade)

    check = commands.add_parser(
        "check", parents=[common], help="roles, schema revision, each table's protection, clock skew"
    )
    check.set_defaults(handler=run_check)

    join = commands.add_parser(
        "join",
        parents=[common],
        help="copy your local database's records into the team database as yours (again: adds nothing)",
        description="Copy the records of a local salestui database into the team database given by --db, as "
        "the records of your login: new ids, links kept, a count per table. Running it again adds "
        "nothing (each copied row remembers where it came from).",
    )
    join.add_argument(
        "--from",
        dest="source",
        metavar="PATH",
        help="the local database (default: your database in the user data folder)",
    )
    join.set_defaults(handler=run_join)


def _engine(url: str) -> Any:
    from salestui.store.engine import engine_for_url

    if "://" not in url or url.startswith("sqlite"):
        from salestui.store.preflight import DatabaseProblem

        raise DatabaseProblem(
            "team commands work on a team's PostgreSQL database: give its URL "
            "(--db postgresql+psycopg://admin@db.example.com/salestui)."
        )
    return engine_for_url(url)


def _guarded(action: Any) -> int:
    """Run ``action``; database trouble becomes one line and exit 2."""
    from sqlalchemy.exc import DBAPIError

    from salestui.store.core import StoreError, plain_message
    from salestui.store.preflight import DatabaseProblem

    try:
        return int(action())
    except DatabaseProblem as problem:
        return fail(str(problem))
    except DBAPIError as error:
        return fail(plain_message(error))
    except StoreError as error:
        return fail(str(error))


def run_init(args: argparse.Namespace) -> int:
    """``team init``."""
    from salestui.cli import masked

    url = args.url or args.db

    def run() -> int:
        from salestui.store.team_admin import init

        engine = _engine(url)
        try:
            report = init(engine)
        finally:
            engine.dispose()
        for role in report.roles_created:
            print(f"Created role {role}.")
        for note in report.notes:
            print(note[0].upper() + note[1:])
        if report.before is None:
            print(f"Created the tables at schema {report.after}, with their grants and policies.")
        elif report.before != report.after:
            print(f"Upgraded the schema from {report.before} to {report.after}; grants and policies in place.")
        else:
            print(f"The team database is set up (schema {report.after}); grants and policies checked.")
        if report.schema_locked:
            print("Reps cannot add tables of their own (CREATE on schema public is the administrator's).")
        print(f"Next: salestui team add-rep LOGIN --db {masked(url)}")
        return 0

    return _guarded(run)


def run_add(args: argparse.Namespace) -> int:
    """``team add-rep`` / ``team add-manager``."""
    password: str | None = None
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            return fail("no password on standard input.")
    elif not args.no_password:
        password = _ask_password(args.login)
        if password is None:
            return fail("no password given (use --password-stdin in scripts, or --no-password).")

    def run() -> int:
        from salestui.store.team_admin import add_login

        engine = _engine(args.db)
        try:
            made = add_login(engine, args.login, args.role, password)
        finally:
            engine.dispose()
        what = "Created login" if made.created else "Login already there:"
        suffix = ", password set" if made.password_set else ""
        print(f"{what} {made.login}, granted {made.role}{suffix}.")
        where = f" ({made.hba_file})" if made.hba_file else ""
        print(f"Let {made.login} connect: add this line to pg_hba.conf{where} above any broader line,")
        print("then reload the server (SELECT pg_reload_conf();):")
        print(f"  {made.hba_line}")
        print("  (samenet: any address on the server's own networks; put the rep's address range there instead,")
        print("  e.g. 10.0.4.0/24, or 127.0.0.1/32 on the server itself)")
        if not made.tls:
            print("Warning: the server has ssl off: passwords and customer data cross the network unencrypted.")
            print("  Turn ssl on (postgresql.conf), then use hostssl above and ?sslmode=verify-full in the URL.")
        print(f"{made.login} opens salestui with:")
        print(f"  salestui --db {made.url}")
        print("and keeps the password in ~/.pgpass (chmod 600), never in the URL (a URL shows in `ps`):")
        print(f"  {made.pgpass_line}")
        return 0

    return _guarded(run)


def _ask_password(login: str) -> str | None:
    """Ask twice on the terminal; ``None`` when there is no terminal or the answers differ."""
    import getpass

    if not sys.stdin.isatty():
        return None
    try:
        first = getpass.getpass(f"Password for {login}: ")
        again = getpass.getpass(f"Password for {login} (again): ")
    except EOFError:
        return None
    if not first or first != again:
        print("salestui: the two passwords differ (or are empty).", file=sys.stderr)
        return None
    return first


def run_upgrade(args: argparse.Namespace) -> int:
    """``team upgrade``."""

    def run() -> int:
        from salestui.store.team_admin import upgrade

        engine = _engine(args.db)
        try:
            report = upgrade(engine)
        finally:
            engine.dispose()
        if report.before == report.after:
            print(f"The schema is already {report.after}; grants checked.")
        else:
            print(f"Upgraded the schema from {report.before} to {report.after}; grants in place.")
        return 0

    return _guarded(run)


def run_check(args: argparse.Namespace) -> int:
    """``team check``: one line per finding; exit 1 when any is a problem."""

    def run() -> int:
        from salestui.store.team_admin import check

        engine = _engine(args.db)
        try:
            findings = check(engine)
        finally:
            engine.dispose()
        marks = {True: "ok  ", False: "FAIL", None: "warn"}
        for finding in findings:
            print(f"{marks[finding.ok]}  {finding.text}")
        problems = sum(1 for f in findings if f.ok is False)
        print(f"{problems} problem{'s' if problems != 1 else ''}." if problems else "All good.")
        return 1 if problems else 0

    return _guarded(run)


def run_join(args: argparse.Namespace) -> int:
    """``team join``: the local database (``--from``) into the team database (``--db``)."""
    from salestui.cli import default_db_path

    source = args.source or str(default_db_path())
    return join(source, args.db)


def join(source: str, target: str) -> int:
    """Copy ``source``'s records into ``target`` as the login's own; print a count per table."""
    from salestui.cli import masked

    def run() -> int:
        from salestui.store.join import join_database

        result = join_database(source, target)
        width = max([len(c.table) for c in result.counts] + [5])
        print(f"{'table':<{width}}  {'local':>7}  {'added':>7}  {'already':>7}")
        for count in result.counts:
            print(f"{count.table:<{width}}  {count.source:>7}  {count.added:>7}  {count.already:>7}")
        added = sum(c.added for c in result.counts)
        print(
            f"Added {added} rows to {masked(target)} as {result.owner}'s"
            + (" (nothing new: joined before)." if not added else ".")
        )
        for note in result.notes:
            print(note)
        return 0

    return _guarded(run)
