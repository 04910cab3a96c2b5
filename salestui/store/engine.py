"""Engine factory: connection pragmas, URLs and opening a database at the current schema."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, create_engine, event, text
from sqlalchemy.pool import StaticPool

BUSY_TIMEOUT_MS = 5000
CONNECT_TIMEOUT_S = 5  # a server that does not answer is reported, not waited on for minutes
# Taken while migrating PostgreSQL, so two reps starting at once on a new database do not race.
MIGRATION_LOCK_KEY = 7_270_001


def sqlite_url(path: Path | str) -> str:
    """SQLAlchemy URL of a SQLite file; ``?``, ``%``, ``#`` and spaces in the path stay literal.

    SQLAlchemy unquotes the database part of a URL once and hands it to SQLite as a plain file
    name, so the path is percent-quoted here: ``a?b.db`` is that file, never ``a`` with options.
    """
    from urllib.parse import quote

    return f"sqlite:///{quote(str(path), safe='/')}"


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite connections get WAL, foreign keys and a busy timeout."""
    if url.startswith("sqlite"):
        memory = url in ("sqlite://", "sqlite:///:memory:")
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
            poolclass=StaticPool if memory else None,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        # Let SQLAlchemy's BEGIN reach SQLite so transactions are explicit and immediate.
        event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN IMMEDIATE"))
        return engine
    connect_args: dict[str, Any] = {}
    if url.startswith("postgresql"):
        connect_args["connect_timeout"] = CONNECT_TIMEOUT_S
    engine = create_engine(url, pool_pre_ping=True, connect_args=connect_args)
    if engine.dialect.name == "postgresql":
        # PostgreSQL text cannot hold NUL: store it as U+FFFD (what the screens show for NUL anyway).
        event.listen(engine, "before_cursor_execute", _without_nul, retval=True)
        event.listen(engine, "connect", _postgresql_session)
        event.listen(engine, "do_connect", _connect_asking_password)
    return engine


#: Passwords typed at the prompt in this process, by (host, port, user, database): never written anywhere.
_TYPED_PASSWORDS: dict[tuple[str, str, str, str], str] = {}


def _connect_asking_password(dialect: Any, _record: Any, cargs: Any, cparams: dict[str, Any]) -> Any:
    """Connect; when the server asks for a password nobody gave (none in the URL, ``PGPASSWORD`` or
    ``~/.pgpass``, which libpq reads itself), ask for it on the terminal once per process.

    Only on the main thread with a terminal on stdin (the CLI, or before the app's first frame):
    the app's workers reuse what was typed; a script without a terminal gets the plain error.
    """
    import threading

    key = (
        str(cparams.get("host", "")),
        str(cparams.get("port", "")),
        str(cparams.get("user", "")),
        str(cparams.get("dbname", "")),
    )
    if "password" not in cparams and key in _TYPED_PASSWORDS:
        cparams["password"] = _TYPED_PASSWORDS[key]
    try:
        return dialect.connect(*cargs, **cparams)
    except dialect.loaded_dbapi.OperationalError as error:
        import sys

        asks = "no password supplied" in str(error)
        if not asks or "password" in cparams or threading.current_thread() is not threading.main_thread():
            raise
        if not sys.stdin.isatty():
            raise
        import getpass

        user, host = cparams.get("user") or login_name(), cparams.get("host") or "localhost"
        try:
            password = getpass.getpass(f"Password for {user}@{host}: ")
        except (EOFError, KeyboardInterrupt):
            raise error from None
        if not password:
            raise
        cparams["password"] = password
        connection = dialect.connect(*cargs, **cparams)
        _TYPED_PASSWORDS[key] = password
        return connection


def login_name() -> str:
    """The OS user name libpq uses when the URL names no user."""
    import getpass

    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "?"


def make_read_only_engine(path: Path) -> Engine:
    """An engine that reads a SQLite file without writing it (``preflight.read_only_uri``).

    Transactions start with a plain (deferred) BEGIN: in WAL mode a reader takes a snapshot and
    never waits for a writer, where the read-write engine's BEGIN IMMEDIATE would.
    """
    import sqlite3

    from salestui.store.preflight import read_only_uri

    uri = read_only_uri(path)

    def connect() -> sqlite3.Connection:
        connection = sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000)
        connection.isolation_level = None
        return connection

    engine = create_engine("sqlite://", creator=connect)
    event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN"))
    return engine


def _without_nul(
    _conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _executemany: bool
) -> tuple[str, Any]:
    return statement, _scrub_nul(parameters)


def _scrub_nul(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd") if "\x00" in value else value
    if isinstance(value, dict):
        return {key: _scrub_nul(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_scrub_nul(item) for item in value)
    return value


def reset_sequences(connection: Connection, tables: Iterable[Table]) -> None:
    """After rows were inserted with their ids, move each id sequence past them (PostgreSQL only).

    PostgreSQL does not advance a serial sequence for explicit ids, so the next new row would
    collide; an empty table's sequence restarts at 1. SQLite needs nothing.
    """
    if connection.dialect.name != "postgresql":
        return
    preparer = connection.dialect.identifier_preparer
    for table in tables:
        primary = list(table.primary_key.columns)
        if len(primary) != 1 or not primary[0].autoincrement or primary[0].type.python_type is not int:
            continue
        column = preparer.quote(primary[0].name)
        names = {"table": preparer.format_table(table), "column": primary[0].name}
        sequence = connection.execute(text("SELECT pg_get_serial_sequence(:table, :column)"), names).scalar()
        if sequence is None:
            continue
        if connection.execute(text("SELECT has_sequence_privilege(:seq, 'UPDATE')"), {"seq": sequence}).scalar():
            connection.execute(
                text(
                    f"SELECT setval(:seq, COALESCE(MAX({column}), 1), MAX({column}) IS NOT NULL)"
                    f" FROM {preparer.format_table(table)}"
                ),
                {"seq": sequence},
            )
            continue
        # A rep may not set a sequence (only the administrator may), but may draw from it: draw
        # until it passes the highest id copied. Sequences only move forward, so this is safe.
        highest = connection.execute(text(f"SELECT MAX({column}) FROM {preparer.format_table(table)}")).scalar()
        if highest is None:
            continue
        last, called = connection.execute(text(f"SELECT last_value, is_called FROM {sequence}")).one()
        missing = int(highest) - (int(last) if called else int(last) - 1)
        if missing > 0:
            connection.execute(
                text("SELECT count(nextval(:seq)) FROM generate_series(1, :n)"), {"seq": sequence, "n": missing}
            )


def _postgresql_session(dbapi_connection: Any, _record: Any) -> None:
    # A row another session holds is waited for as long as SQLite's busy timeout, then the save
    # is kept and retried (``Unavailable``) instead of hanging the writer. A SET of the session,
    # committed (a rolled-back SET is undone), so the URL's own ``options`` stay as they are.
    with dbapi_connection.cursor() as cursor:
        cursor.execute(f"SET lock_timeout = {int(BUSY_TIMEOUT_MS)}")
    dbapi_connection.commit()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Autocommit at the driver level: SQLAlchemy's "begin" event issues BEGIN itself.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def alembic_head() -> str:
    """The newest revision known to Alembic (a test keeps ``schema.HEAD`` equal to it)."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None
    return head


def migrate(engine: Engine, revision: str = "head") -> None:
    """Upgrade the database behind ``engine`` to ``revision`` (the newest by default)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK_KEY})")
            refused = upgrade_refusal(connection, revision)
            if refused is not None:
                from salestui.store.preflight import DatabaseProblem

                raise DatabaseProblem(refused)
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


#: The team's roles (migration 0010_team_rls): their members work on the tables, never own them.
TEAM_ROLES = ("salestui_rep", "salestui_manager")


def upgrade_refusal(connection: Connection, revision: str = "head") -> str | None:
    """Why this PostgreSQL login must not bring the schema to ``revision``, in one line; ``None`` if
    it may (or nothing is to be done).

    Only the tables' owner (the administrator) can change them: a rep's client that finds the
    schema behind is told whom to ask, instead of failing half-way with "lacks the rights". An
    empty database is set up by the administrator too (``salestui team init``): tables a rep
    created would be the rep's, and their owner can switch their protection off.
    """
    from salestui.store.schema import HEAD

    target = HEAD if revision == "head" else revision
    found = connection.execute(
        text(
            "SELECT pg_catalog.pg_has_role(current_user, c.relowner, 'USAGE')"
            " FROM pg_catalog.pg_class c WHERE c.oid = to_regclass('public.alembic_version')"
        )
    ).first()
    if found is None:  # no schema yet
        if team_member(connection) and not _superuser(connection):
            return (
                "This team database has no tables yet: ask your administrator to run "
                f"`salestui team init {_shown(connection)}` first."
            )
        return None
    owner = bool(found[0])
    current = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    if current == target or owner:
        return None
    return (
        f"This team database is at schema {current or 'none'} and this salestui needs {target}: "
        "ask your administrator to run `salestui team upgrade`."
    )


def team_member(connection: Connection) -> bool:
    """Whether the current login is a member of a team role (a rep or the manager)."""
    return bool(
        connection.execute(
            text(
                "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_roles r WHERE r.rolname = ANY(:roles)"
                " AND pg_catalog.pg_has_role(current_user, r.oid, 'MEMBER'))"
            ),
            {"roles": list(TEAM_ROLES)},
        ).scalar()
    )


def _superuser(connection: Connection) -> bool:
    return bool(
        connection.execute(text("SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user")).scalar()
    )


def _shown(connection: Connection) -> str:
    return connection.engine.url.render_as_string(hide_password=True)


def backup_before_migration(path: Path, revision: str | None) -> Path:
    """Copy an existing database aside before an upgrade; return the copy's path."""
    # SQLite's backup API, not a file copy: committed rows still in the WAL (after a crash or
    # kill -9) are part of the copy. An earlier copy (a failed attempt) is kept, not overwritten.
    from salestui.store.backup import backup

    stem = f"{path.name}.before-{revision or 'unversioned'}"
    target = path.with_name(f"{stem}.bak")
    attempt = 1
    while target.exists():
        target = path.with_name(f"{stem}.{attempt}.bak")
        attempt += 1
    return backup(path, target)


def restrict_files(path: Path) -> None:
    """Make the database and its WAL/SHM files readable by the user only."""
    from salestui.io.files import PRIVATE

    for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if candidate.exists():
            os.chmod(candidate, PRIVATE)


def server_revision(engine: Engine) -> str | None:
    """The schema revision of a database server, ``None`` when empty; refuses foreign or newer ones."""
    from sqlalchemy import inspect, text

    from salestui.store.preflight import DatabaseProblem, _known_revision

    where = engine.url.render_as_string(hide_password=True)
    with engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
        if "alembic_version" not in tables:
            if tables:
                raise DatabaseProblem(f"{where} already holds other tables: it is not a salestui database.")
            return None
        revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    if revision is not None and not _known_revision(revision):
        raise DatabaseProblem(
            f"{where} was written by a newer salestui (schema {revision}); upgrade salestui to open it."
        )
    return revision


def check_url(url: str) -> None:
    """Cheap start-up check of a server URL: driver present, server answering, schema not newer."""
    from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

    from salestui.store.core import plain_message
    from salestui.store.preflight import DatabaseProblem

    engine = engine_for_url(url)
    try:
        revision = server_revision(engine)
        if engine.dialect.name == "postgresql":
            from salestui.store.schema import HEAD

            if revision != HEAD:
                with engine.connect() as connection:
                    refused = upgrade_refusal(connection)
                if refused is not None:
                    raise DatabaseProblem(refused)
    except DBAPIError as error:
        where = engine.url.render_as_string(hide_password=True)
        raise DatabaseProblem(f"Cannot open {where}: {plain_message(error)}") from None
    except (ArgumentError, NoSuchModuleError) as error:
        raise DatabaseProblem(f"Cannot open {url}: {error}") from None
    finally:
        engine.dispose()


def engine_for_url(url: str) -> Engine:
    """``make_engine`` with a missing driver or a malformed URL reported in plain words."""
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    from salestui.store.preflight import DatabaseProblem

    try:
        return make_engine(url)
    except ModuleNotFoundError as error:
        if "psycopg" in str(error) or url.startswith("postgresql"):
            raise DatabaseProblem('The PostgreSQL driver is not installed: pip install "salestui[postgres]".') from None
        raise DatabaseProblem(f"The database driver for {url.split(':', 1)[0]} is not installed ({error}).") from None
    except (ArgumentError, NoSuchModuleError):
        raise DatabaseProblem(f"{_redact(url)} is not a database URL salestui understands.") from None


def _redact(url: str) -> str:
    """A URL without its password, for messages."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url.split("@")[-1]
