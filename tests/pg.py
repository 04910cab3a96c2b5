"""PostgreSQL for the tests: a fresh database per test on the server in ``SALESTUI_TEST_PG_URL``.

Start a throwaway server with ``eval "$(.ci/postgres.sh start)"``; without the variable the
PostgreSQL tests are skipped with the reason below.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

ENV = "SALESTUI_TEST_PG_URL"
SKIP_REASON = "set SALESTUI_TEST_PG_URL to run PostgreSQL tests"


def server_url() -> str | None:
    """The server URL the tests may use, if any."""
    return os.environ.get(ENV) or None


def fresh_database() -> Iterator[str]:
    """Create an empty database on the test server, yield its URL, drop it (forcefully) after."""
    url = server_url()
    if url is None:
        pytest.skip(SKIP_REASON)
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url
    from sqlalchemy.pool import NullPool

    base = make_url(url)
    name = f"salestui_t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()
