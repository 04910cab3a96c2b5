"""Engine factory: connection pragmas, URLs and opening a database at the current schema."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import StaticPool

BUSY_TIMEOUT_MS = 5000


def sqlite_url(path: Path | str) -> str:
    """SQLAlchemy URL of a SQLite file."""
    return f"sqlite:///{path}"


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
    return create_engine(url, pool_pre_ping=True)


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
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def backup_before_migration(path: Path, revision: str | None) -> Path:
    """Copy an existing database aside before an upgrade; return the copy's path."""
    target = path.with_name(f"{path.name}.before-{revision or 'unversioned'}.bak")
    shutil.copy2(path, target)
    os.chmod(target, 0o600)
    return target


def restrict_files(path: Path) -> None:
    """Make the database and its WAL/SHM files readable by the user only."""
    for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if candidate.exists():
            os.chmod(candidate, 0o600)
