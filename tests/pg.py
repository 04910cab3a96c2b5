"""PostgreSQL for the tests: fresh databases on the server in ``SALESTUI_TEST_PG_URL``.

Start a throwaway server with ``eval "$(.ci/postgres.sh start)"``; without the variable the
PostgreSQL tests are skipped with the reason below.

Two kinds of database: ``fresh_database`` is empty (for tests of set-up, migrations and
copies); ``migrated_database`` is at the current schema, copied from a template that each test
process (each pytest-xdist worker) migrates once (``CREATE DATABASE … TEMPLATE``: ~0.1 s instead
of ~1.3 s of migrations per test). The template belongs to one process, so two workers never
copy a template another is still building.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ENV = "SALESTUI_TEST_PG_URL"
SKIP_REASON = "set SALESTUI_TEST_PG_URL to run PostgreSQL tests"
PREFIX = "salestui_t_"

_template: str | None = None
"""This process's migrated template database, created on first use (``drop_template`` at the end)."""
ALIASES: dict[str, str] = {}
"""A test's SQLite path (``db_path``) -> the PostgreSQL URL its ``store`` opened instead: ``tests.helpers.make_app``
opens the app on the same database as the test's store."""


def server_url() -> str | None:
    """The server URL the tests may use, if any."""
    return os.environ.get(ENV) or None


def _admin():  # type: ignore[no-untyped-def]
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    url = server_url()
    assert url is not None
    return create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)


def _url_of(name: str) -> str:
    from sqlalchemy.engine import make_url

    url = server_url()
    assert url is not None
    return make_url(url).set(database=name).render_as_string(hide_password=False)


def _created(template: str | None = None) -> Iterator[str]:
    """Create a database (a copy of ``template`` when given), yield its URL, drop it (forcefully) after."""
    if server_url() is None:
        pytest.skip(SKIP_REASON)
    name = f"{PREFIX}{uuid.uuid4().hex[:12]}"
    admin = _admin()
    try:
        with admin.connect() as connection:
            copy = f' TEMPLATE "{template}"' if template else ""
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"{copy}')
        yield _url_of(name)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def fresh_database() -> Iterator[str]:
    """Create an empty database on the test server, yield its URL, drop it (forcefully) after."""
    yield from _created()


def _template_name() -> str:
    """This process's template, migrated to the current schema the first time it is asked for."""
    global _template
    if _template is None:
        from salestui.store.engine import make_engine, migrate

        name = f"{PREFIX}tpl_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        admin = _admin()
        with admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        admin.dispose()
        engine = make_engine(_url_of(name))
        try:
            migrate(engine)
        finally:
            engine.dispose()  # CREATE DATABASE … TEMPLATE refuses a template anyone is connected to
        _template = name
    return _template


def migrated_database() -> Iterator[str]:
    """A database at the current schema (a copy of this process's template); dropped after."""
    if server_url() is None:
        pytest.skip(SKIP_REASON)
    yield from _created(_template_name())


def drop_template() -> None:
    """Drop this process's template database (end of the session)."""
    global _template
    if _template is None or server_url() is None:
        return
    admin = _admin()
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{_template}" WITH (FORCE)')
    admin.dispose()
    _template = None


def target_of(path: str | Path) -> str | Path:
    """The database a test's ``db_path`` stands for: the PostgreSQL URL its ``store`` opened, else the path."""
    return ALIASES.get(str(path), path)


@contextmanager
def standing_in() -> Iterator[None]:
    """While a PostgreSQL test runs, every store opened in this process on its ``db_path`` (the
    app, the CLI's ``--db``, a test reopening "the file") opens the PostgreSQL database instead
    (``ALIASES``). A test that reads the file itself (sqlite3, its size, its mode) is marked
    ``sqlite_only``; a real subprocess is not redirected.

    ``open_engine`` is where every store, copy and import reaches a database; a read-only open
    (exports, agenda) of the path becomes a plain open of the server, which has no read-only mode.
    """
    import salestui.cli as cli
    from salestui.store import core

    engine_of, read_only, resolve = core.open_engine, core.open_read_only, cli.resolve_db

    def resolve_db(value):  # type: ignore[no-untyped-def]
        # The CLI's --db: commands that read a file by path (agenda, exports) reach the server.
        return str(target_of(resolve(value)))

    def open_engine(target):  # type: ignore[no-untyped-def]
        return engine_of(target_of(target))

    def open_read_only(path, owner=None):  # type: ignore[no-untyped-def]
        aliased = target_of(path)
        return read_only(path, owner) if aliased == path else core.open_store(aliased, owner)

    core.open_engine, core.open_read_only = open_engine, open_read_only  # type: ignore[assignment]
    cli.resolve_db = resolve_db  # type: ignore[assignment]
    try:
        yield
    finally:
        core.open_engine, core.open_read_only = engine_of, read_only  # type: ignore[assignment]
        cli.resolve_db = resolve  # type: ignore[assignment]


def connect(path: str | Path):  # type: ignore[no-untyped-def]
    """A DB-API connection to a test's database, bypassing the store: ``sqlite3`` on the file, or
    (autocommit) ``psycopg`` on the PostgreSQL database standing in for it."""
    aliased = target_of(path)
    if aliased == path:
        import sqlite3

        return sqlite3.connect(path)
    import psycopg
    from sqlalchemy.engine import make_url

    return psycopg.connect(
        make_url(str(aliased)).set(drivername="postgresql").render_as_string(hide_password=False), autocommit=True
    )
