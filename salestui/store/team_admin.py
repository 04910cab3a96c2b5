"""Administering a team database (PostgreSQL): set-up, logins, upgrade and a check of its protection.

``salestui team`` (``cli/team.py``) prints what these return; nothing here prints or prompts.
The administrator is a superuser or a login with CREATEROLE that owns the database: the login
that creates the tables owns them, and only the owner may change them (migrations) or write the
team's bookkeeping tables (0016_team_hardening). Reps and the manager are members of the NOLOGIN
roles ``salestui_rep`` and ``salestui_manager`` (0010_team_rls).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError

from salestui.store.engine import TEAM_ROLES, migrate, server_revision, team_member
from salestui.store.preflight import DatabaseProblem

REP, MANAGER = TEAM_ROLES
#: Clock skew between a client and the server above which ``check`` warns (times of calls are
#: written by each client; "upcoming" and "overdue" compare them with each client's clock).
SKEW_WARN_S = 30.0
#: A login name salestui creates: a plain PostgreSQL identifier, never quoted into surprises.
LOGIN_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


@dataclass(frozen=True, slots=True)
class Who:
    """The current login on the server and what it may do."""

    login: str
    superuser: bool
    createrole: bool
    bypassrls: bool
    member: bool
    """A member of ``salestui_rep`` or ``salestui_manager``."""


@dataclass(slots=True)
class InitReport:
    """What ``init`` or ``upgrade`` found and did."""

    before: str | None
    after: str
    roles_created: list[str] = field(default_factory=list)
    schema_locked: bool = False
    """Whether ``CREATE`` on schema ``public`` was taken from everyone (reps cannot add tables)."""
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Finding:
    """One line of ``team check``: ``ok`` True (fine), False (a problem), None (a warning)."""

    ok: bool | None
    text: str


def who(connection: Connection) -> Who:
    """The current login's attributes and team membership."""
    row = connection.execute(
        text(
            "SELECT current_user, rolsuper, rolcreaterole, rolbypassrls FROM pg_catalog.pg_roles"
            " WHERE rolname = current_user"
        )
    ).one()
    return Who(str(row[0]), bool(row[1]), bool(row[2]), bool(row[3]), team_member(connection))


def _require_postgresql(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        raise DatabaseProblem("team commands work on a team's PostgreSQL database (--db postgresql+psycopg://…).")


def _require_admin(connection: Connection, doing: str) -> Who:
    me = who(connection)
    if me.member and not me.superuser:
        raise DatabaseProblem(
            f"{me.login} is a rep or the manager: {doing} is the administrator's job "
            "(a superuser, or a login with CREATEROLE that owns the database)."
        )
    return me


def init(engine: Engine) -> InitReport:
    """Set up (or bring up to date) a team database: roles, tables, grants and policies. Idempotent."""
    _require_postgresql(engine)
    report = InitReport(before=None, after="")
    with engine.begin() as connection:
        me = _require_admin(connection, "setting up the team database")
        for role in TEAM_ROLES:
            exists = connection.execute(
                text("SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = :r"), {"r": role}
            ).first()
            if exists is not None:
                continue
            if not (me.superuser or me.createrole):
                raise DatabaseProblem(
                    f"the role {role} does not exist and {me.login} cannot create it: run team init as a "
                    "superuser or a login with CREATEROLE."
                )
            connection.exec_driver_sql(f"CREATE ROLE {role} NOLOGIN")
            report.roles_created.append(role)
        if me.superuser:
            report.notes.extend(_take_over(connection))
        elif _rep_owned(connection):
            owners = ", ".join(sorted({str(r[2]) for r in _rep_owned(connection)}))
            raise DatabaseProblem(
                f"the tables were created by {owners}, a rep or the manager: run team init once as a superuser "
                "to take them over."
            )
    report.before = server_revision(engine)  # refuses a foreign or newer schema
    migrate(engine)
    with engine.begin() as connection:
        grant_all(connection)
        report.schema_locked = _lock_schema(connection, report)
        report.after = str(connection.execute(text("SELECT version_num FROM alembic_version")).scalar())
    return report


def upgrade(engine: Engine) -> InitReport:
    """Bring the schema to this salestui's revision (as the administrator), then refresh the grants."""
    _require_postgresql(engine)
    before = server_revision(engine)
    if before is None:
        raise DatabaseProblem("this database has no salestui tables yet: run `salestui team init URL` first.")
    with engine.connect() as connection:
        _require_admin(connection, "upgrading the team database")
    migrate(engine)
    report = InitReport(before=before, after=before)
    with engine.begin() as connection:
        grant_all(connection)
        report.after = str(connection.execute(text("SELECT version_num FROM alembic_version")).scalar())
    return report


def grant_all(connection: Connection) -> None:
    """Give the team's roles what each table's protection implies (idempotent).

    The migrations grant as they create; this covers roles made after the tables (a login without
    CREATEROLE ran them). A table under row-level security: reps read and write (the policies
    decide which rows), the manager reads (and writes where a policy names the manager's role);
    nothing a migration granted on it is taken away, but TRUNCATE and TRIGGER (which skip the
    policies) are. Any other table: everyone reads, only the owner writes.
    """
    roles = {
        r
        for (r,) in connection.execute(
            text("SELECT rolname FROM pg_catalog.pg_roles WHERE rolname = ANY(:r)"), {"r": list(TEAM_ROLES)}
        )
    }
    rows = connection.execute(
        text(
            "SELECT c.oid::regclass::text, c.relrowsecurity,"
            " EXISTS (SELECT 1 FROM pg_catalog.pg_policy p WHERE p.polrelid = c.oid"
            f"  AND (pg_get_expr(p.polqual, p.polrelid) LIKE '%{MANAGER}%'"
            f"   OR pg_get_expr(p.polwithcheck, p.polrelid) LIKE '%{MANAGER}%'))"
            " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm')"
        )
    ).all()
    writes = "INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER"
    for table, secured, manager_writes in rows:
        connection.exec_driver_sql(f"REVOKE {writes} ON {table} FROM PUBLIC")
        for role in roles:
            may_write = secured and (role == REP or manager_writes)
            connection.exec_driver_sql(f"GRANT SELECT ON {table} TO {role}")
            if may_write:
                connection.exec_driver_sql(f"GRANT INSERT, UPDATE, DELETE ON {table} TO {role}")
                connection.exec_driver_sql(f"REVOKE TRUNCATE, REFERENCES, TRIGGER ON {table} FROM {role}")
                for (sequence,) in connection.execute(
                    text(
                        "SELECT s.oid::regclass::text FROM pg_catalog.pg_class s JOIN pg_catalog.pg_depend d"
                        " ON d.objid = s.oid AND d.deptype IN ('a', 'i') WHERE s.relkind = 'S'"
                        " AND d.refobjid = CAST(:t AS regclass)"
                    ),
                    {"t": table},
                ):
                    connection.exec_driver_sql(f"GRANT USAGE, SELECT ON SEQUENCE {sequence} TO {role}")
            elif secured:
                # Row-level security decides which rows: what a migration granted stays (0017 lets
                # the manager write what she saw riding along); only what skips the policies goes.
                connection.exec_driver_sql(f"REVOKE TRUNCATE, REFERENCES, TRIGGER ON {table} FROM {role}")
            else:
                connection.exec_driver_sql(f"REVOKE {writes} ON {table} FROM {role}")


def _take_over(connection: Connection) -> list[str]:
    """Tables and functions a rep or the manager created (an older set-up) become the administrator's."""
    rows = _rep_owned(connection)
    for kind, name, _owner in rows:
        connection.exec_driver_sql(f"ALTER {kind} {name} OWNER TO CURRENT_USER")
    owners = sorted({str(r[2]) for r in rows})
    return [f"took over {len(rows)} tables and functions created by {', '.join(owners)}"] if rows else []


def _rep_owned(connection: Connection) -> list[Any]:
    """(kind, name, owner) of the tables and functions in schema public owned by a rep or the manager."""
    return list(
        connection.execute(
            text(
                "SELECT 'TABLE', c.oid::regclass::text, pg_catalog.pg_get_userbyid(c.relowner)"
                " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                " WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm') AND EXISTS ("
                "  SELECT 1 FROM pg_catalog.pg_roles r WHERE r.rolname = ANY(:roles)"
                "  AND pg_catalog.pg_has_role(c.relowner, r.oid, 'MEMBER')) AND NOT (SELECT o.rolsuper FROM pg_catalog.pg_roles o WHERE o.oid = c.relowner)"
                " UNION ALL SELECT 'FUNCTION', p.oid::regprocedure::text, pg_catalog.pg_get_userbyid(p.proowner)"
                " FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace"
                " WHERE n.nspname = 'public' AND EXISTS ("
                "  SELECT 1 FROM pg_catalog.pg_roles r WHERE r.rolname = ANY(:roles)"
                "  AND pg_catalog.pg_has_role(p.proowner, r.oid, 'MEMBER')) AND NOT (SELECT o.rolsuper FROM pg_catalog.pg_roles o WHERE o.oid = p.proowner)"
            ),
            {"roles": list(TEAM_ROLES)},
        ).all()
    )


def _lock_schema(connection: Connection, report: InitReport) -> bool:
    """Take ``CREATE`` on schema ``public`` from everyone (PostgreSQL before 15 gives it to all)."""
    owner = connection.execute(
        text(
            "SELECT pg_catalog.pg_has_role(current_user, nspowner, 'USAGE') FROM pg_catalog.pg_namespace WHERE nspname = 'public'"
        )
    ).scalar()
    if not owner:
        report.notes.append(
            "schema public is not yours: could not take CREATE on it from PUBLIC (reps may add tables)."
        )
        return False
    connection.exec_driver_sql("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
    return True


# -- logins ---------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class NewLogin:
    """What ``add_login`` did, and what the new login's user needs to connect."""

    login: str
    role: str
    created: bool
    password_set: bool
    url: str
    """The ``--db`` URL for the login, without a password."""
    hba_line: str
    hba_file: str | None
    pgpass_line: str
    tls: bool


def add_login(engine: Engine, login: str, role: str, password: str | None) -> NewLogin:
    """Create ``login`` (or keep the existing one) and grant it ``role``; set its password when given.

    The password travels as a SCRAM verifier computed here (as psql's ``\\password`` does), so it
    never appears in the server's statement log.
    """
    _require_postgresql(engine)
    if role not in TEAM_ROLES:
        raise ValueError(role)
    if not LOGIN_NAME.match(login):
        raise DatabaseProblem(
            f"{login!r} is not a login name salestui creates: lower-case letters, digits and _, "
            "starting with a letter or _ (at most 63)."
        )
    if server_revision(engine) is None:
        raise DatabaseProblem("this database has no salestui tables yet: run `salestui team init URL` first.")
    with engine.begin() as connection:
        me = _require_admin(connection, "adding logins")
        if login == me.login:
            raise DatabaseProblem(f"{login} is you, the administrator: give each rep a login of their own.")
        found = connection.execute(
            text("SELECT rolsuper OR rolbypassrls, rolcanlogin FROM pg_catalog.pg_roles WHERE rolname = :l"),
            {"l": login},
        ).first()
        if found is not None and found[0]:
            raise DatabaseProblem(
                f"{login} is a superuser or bypasses row-level security: the team's protection would not bind it."
            )
        verifier = None
        if password is not None:
            raw = connection.connection.dbapi_connection
            verifier = raw.pgconn.encrypt_password(password.encode(), login.encode(), b"scram-sha-256").decode()  # type: ignore[union-attr]
        quoted_password = "'" + verifier.replace("'", "''") + "'" if verifier else None
        if found is None:
            connection.exec_driver_sql(
                f"CREATE ROLE {login} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE INHERIT"
                + (f" PASSWORD {quoted_password}" if quoted_password else "")
            )
        else:
            connection.exec_driver_sql(f"ALTER ROLE {login} LOGIN")
            if quoted_password:
                connection.exec_driver_sql(f"ALTER ROLE {login} PASSWORD {quoted_password}")
        try:
            with connection.begin_nested():
                connection.exec_driver_sql(f"GRANT {role} TO {login}")
        except DBAPIError as error:
            if getattr(error.orig, "sqlstate", None) != "42501":
                raise
            raise DatabaseProblem(
                f"{me.login} may not grant {role} (since PostgreSQL 16 only a login with ADMIN OPTION on it may): "
                f"as a superuser, run once: GRANT {role} TO {me.login} WITH ADMIN OPTION"
            ) from None
        tls = connection.exec_driver_sql("SHOW ssl").scalar() == "on"
        try:
            with connection.begin_nested():
                hba_file: str | None = str(connection.exec_driver_sql("SHOW hba_file").scalar())
        except Exception:  # noqa: BLE001 - only superusers and pg_read_all_settings may see it
            hba_file = None
    url = engine.url.set(username=login, password=None)
    database = url.database or "salestui"
    host = url.host or "localhost"
    kind = "hostssl" if tls else "host"
    return NewLogin(
        login=login,
        role=role,
        created=found is None,
        password_set=verifier is not None,
        url=url.render_as_string(hide_password=True),
        hba_line=f"{kind:<8} {database:<16} {login:<16} samenet          scram-sha-256",
        hba_file=hba_file,
        pgpass_line=f"{host}:{url.port or 5432}:{database}:{login}:PASSWORD",
        tls=tls,
    )


# -- check ----------------------------------------------------------------------------------------------
def check(engine: Engine) -> list[Finding]:
    """Roles, schema revision, each table's protection, who owns the tables, clock skew (read-only)."""
    from salestui.store.schema import HEAD

    _require_postgresql(engine)
    findings: list[Finding] = []
    revision = server_revision(engine)
    with engine.connect() as connection:
        me = who(connection)
        kind = "superuser" if me.superuser else "rep or manager" if me.member else "administrator"
        findings.append(Finding(True, f"connected as {me.login} ({kind}), {_server_version(connection)}"))
        findings.extend(_roles(connection))
        if revision is None:
            findings.append(Finding(False, "no salestui tables: run `salestui team init URL`"))
            return findings
        if revision == HEAD:
            findings.append(Finding(True, f"schema {revision} (this salestui's)"))
        else:
            findings.append(
                Finding(False, f"schema {revision}, this salestui needs {HEAD}: run `salestui team upgrade`")
            )
        findings.extend(_tables(connection))
        findings.extend(_guards(connection))
        findings.append(_schema_create(connection))
        findings.append(_skew(connection))
    return findings


def _server_version(connection: Connection) -> str:
    return "PostgreSQL " + str(connection.exec_driver_sql("SHOW server_version").scalar()).split()[0]


def _roles(connection: Connection) -> list[Finding]:
    findings = []
    for role in TEAM_ROLES:
        row = connection.execute(
            text("SELECT oid, rolcanlogin FROM pg_catalog.pg_roles WHERE rolname = :r"), {"r": role}
        ).first()
        if row is None:
            findings.append(Finding(False, f"role {role} missing: run `salestui team init`"))
            continue
        members = connection.execute(
            text(
                "SELECT m.rolname, m.rolsuper OR m.rolbypassrls FROM pg_catalog.pg_auth_members a"
                " JOIN pg_catalog.pg_roles m ON m.oid = a.member WHERE a.roleid = :oid ORDER BY 1"
            ),
            {"oid": row[0]},
        ).all()
        names = ", ".join(str(m[0]) for m in members) or "nobody yet"
        findings.append(Finding(not row[1], f"role {role}: {names}" + (" (it can log in itself!)" if row[1] else "")))
        for name, unbound in members:
            if unbound:
                findings.append(
                    Finding(False, f"{name} ({role}) is a superuser or BYPASSRLS: row-level security does not bind it")
                )
    return findings


def _tables(connection: Connection) -> list[Finding]:
    rows = connection.execute(
        text(
            "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,"
            " (SELECT count(*) FROM pg_catalog.pg_policy p WHERE p.polrelid = c.oid),"
            " pg_catalog.pg_get_userbyid(c.relowner),"
            " EXISTS (SELECT 1 FROM pg_catalog.pg_roles r WHERE r.rolname = ANY(:roles)"
            "   AND pg_catalog.pg_has_role(c.relowner, r.oid, 'MEMBER')) AND NOT (SELECT o.rolsuper FROM pg_catalog.pg_roles o WHERE o.oid = c.relowner),"
            " EXISTS (SELECT 1 FROM pg_catalog.pg_roles r WHERE r.rolname = ANY(:roles)"
            "   AND (has_table_privilege(r.oid, c.oid, 'INSERT') OR has_table_privilege(r.oid, c.oid, 'UPDATE')"
            "     OR has_table_privilege(r.oid, c.oid, 'DELETE'))),"
            " EXISTS (SELECT 1 FROM pg_catalog.pg_roles r WHERE r.rolname = ANY(:roles)"
            "   AND (has_table_privilege(r.oid, c.oid, 'TRUNCATE') OR has_table_privilege(r.oid, c.oid, 'TRIGGER')))"
            " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm') ORDER BY 1"
        ),
        {"roles": list(TEAM_ROLES)},
    ).all()
    findings = []
    for name, rls, forced, policies, owner, owner_in_team, writable, truncate in rows:
        if owner_in_team:
            findings.append(
                Finding(
                    False,
                    f"table {name}: owned by {owner}, a rep or the manager (who could switch its protection off); run `salestui team init` as a superuser to take it over",
                )
            )
            continue
        if truncate:
            findings.append(
                Finding(
                    False, f"table {name}: a team role may TRUNCATE it or add triggers (that skips row-level security)"
                )
            )
        elif rls and forced and policies:
            findings.append(Finding(True, f"table {name}: row-level security ({policies} policies, forced)"))
        elif rls:
            findings.append(Finding(False, f"table {name}: row-level security not forced or without policies"))
        elif writable:
            findings.append(Finding(False, f"table {name}: reps can write it and it has no row-level security"))
        else:
            findings.append(Finding(True, f"table {name}: read-only for reps and the manager"))
    return findings


def _guards(connection: Connection) -> list[Finding]:
    """The delete guards of 0016_team_hardening (account, contact) and 0018_team_links (call)."""
    found = {
        str(r[0]).strip('"')
        for r in connection.execute(
            text("SELECT tgrelid::regclass::text FROM pg_catalog.pg_trigger WHERE tgname = 'salestui_guard_delete'")
        )
    }
    guarded = ("account", "contact", "call")
    missing = [t for t in guarded if t not in found]
    if missing:
        return [
            Finding(
                False,
                f"no delete guard on {', '.join(missing)}: a delete could take another rep's calls or their links",
            )
        ]
    return [Finding(True, f"deletes that would take another rep's rows are refused ({', '.join(guarded)})")]


def _schema_create(connection: Connection) -> Finding:
    open_to = connection.execute(
        text(
            "SELECT string_agg(r.rolname, ', ') FROM pg_catalog.pg_roles r WHERE r.rolname = ANY(:roles)"
            " AND has_schema_privilege(r.oid, 'public', 'CREATE')"
        ),
        {"roles": list(TEAM_ROLES)},
    ).scalar()
    if open_to:
        return Finding(
            None, f"{open_to} may create tables in schema public: run `salestui team init` to take CREATE away"
        )
    return Finding(True, "reps cannot add tables to schema public")


def _skew(connection: Connection) -> Finding:
    sent = datetime.now(UTC)
    server = connection.execute(text("SELECT clock_timestamp()")).scalar()
    received = datetime.now(UTC)
    assert isinstance(server, datetime)
    middle = sent + (received - sent) / 2
    skew = (server - middle).total_seconds()
    words = f"clock skew {skew:+.1f} s between this computer and the server"
    if abs(skew) > SKEW_WARN_S:
        return Finding(None, words + ": set both clocks by NTP (call times are written by each client)")
    return Finding(True, words)
