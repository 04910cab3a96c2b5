"""Copy a whole salestui database to an empty one on another backend (SQLite <-> PostgreSQL).

The target is brought to the current schema by the same Alembic migrations first; then every
table is copied in foreign-key order, ids preserved, in ONE transaction on the target (a failure
leaves it as empty as it was). PostgreSQL sequences are moved past the copied ids, and the rows
of every table are counted on both sides at the end.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, func, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlmodel import SQLModel

from salestui.store import tables as _tables  # noqa: F401  (registers the tables on the metadata)
from salestui.store.engine import reset_sequences
from salestui.store.preflight import DatabaseProblem

BATCH = 1000
# Rows the migrations themselves write (the default checklist template): replaced by the source's.
SEEDED = frozenset({"checklist_template_item", "setting"})

Progress = Callable[[str, int], None]  # (table name, rows just copied)


@dataclass(frozen=True, slots=True)
class TableCount:
    """Rows of one table in the source and, after the copy, in the target."""

    table: str
    source: int
    target: int
    kept: bool = False
    """Not copied: the team's own rows stay (a rep may not write the team's settings or template)."""

    @property
    def matches(self) -> bool:
        """True when nothing was lost or added (or the table was left as the target had it)."""
        return self.kept or self.source == self.target


def copied_tables() -> list[Table]:
    """The tables to copy, parents first; Alembic's bookkeeping and search indexes are left out."""
    return [
        table
        for table in SQLModel.metadata.sorted_tables
        if table.name != "alembic_version" and "fts" not in table.name and not table.name.startswith("search")
    ]


def _describe(target: str) -> str:
    if "://" not in target:
        return target
    from sqlalchemy.engine import make_url

    return make_url(target).render_as_string(hide_password=True)


def open_source(source: str) -> Engine:
    """The source database, opened (and upgraded if older) the usual way; nothing is written to it."""
    from salestui.store.core import open_engine

    return open_engine(source)


def prepare_target(target: str) -> Engine:
    """An engine on the target at the current schema; refuses a target that already holds data."""
    from salestui.store.core import plain_message
    from salestui.store.engine import engine_for_url, make_engine, migrate, restrict_files, server_revision, sqlite_url
    from salestui.store.preflight import check_sqlite

    where = _describe(target)
    if "://" in target and not target.startswith("sqlite"):
        engine = engine_for_url(target)
    else:
        path = Path(target.removeprefix("sqlite:///")).expanduser() if "://" in target else Path(target).expanduser()
        if path.exists() and path.stat().st_size > 0:
            check_sqlite(path)  # a clear message for directories, foreign or newer files
        engine = make_engine(sqlite_url(path))
    try:
        server_revision(engine)
        migrate(engine)
        with engine.connect() as connection:
            for table in copied_tables():
                if table.name in SEEDED:
                    continue
                if connection.execute(select(func.count()).select_from(table)).scalar_one():
                    raise DatabaseProblem(f"{where} already holds salestui data: migrate-to needs an empty database.")
    except DBAPIError as error:
        engine.dispose()
        raise DatabaseProblem(f"Cannot open {where}: {plain_message(error)}") from None
    except DatabaseProblem:
        engine.dispose()
        raise
    if engine.dialect.name == "sqlite" and engine.url.database:
        restrict_files(Path(engine.url.database))
    return engine


def copy_database(source: Engine, target: Engine, progress: Progress | None = None) -> list[TableCount]:
    """Copy every table from ``source`` into the (empty, migrated) ``target``; return the counts.

    The source is read in one snapshot (its counts are taken in it); the target is written in one
    transaction and counted afresh after the commit.
    """
    tables = copied_tables()
    with _snapshot(source) as reader, target.begin() as writer:
        kept = _kept(writer, tables)
        _check_owners(reader, writer)
        before = {table.name: _count(reader, table) for table in tables}
        for table in reversed(tables):  # only rows the migrations seeded can be there
            if table.name not in kept:
                writer.execute(table.delete())
        for table in tables:
            if table.name not in kept:
                _copy_table(reader, writer, table, progress)
            elif progress is not None:
                progress(table.name, before[table.name])
        reset_sequences(writer, tables)
    with target.connect() as connection:
        after = {table.name: _count(connection, table) for table in tables}
    return [TableCount(table.name, before[table.name], after[table.name], kept=table.name in kept) for table in tables]


def _kept(writer: Connection, tables: list[Table]) -> set[str]:
    """The seeded tables this login may not replace (a rep on a team database: the team's stay)."""
    if writer.dialect.name != "postgresql":
        return set()
    return {
        table.name
        for table in tables
        if table.name in SEEDED
        and not writer.execute(text("SELECT has_table_privilege(:t, 'DELETE')"), {"t": table.name}).scalar()
    }


def check_owners(source: Engine, target: Engine) -> None:
    """Before a copy starts: refuse (``DatabaseProblem``) when a rep's login could not write the source's rows."""
    with source.connect() as reader, target.connect() as writer:
        _check_owners(reader, writer)


def _check_owners(reader: Connection, writer: Connection) -> None:
    """A rep's login may only write its own rows: say so before copying, not with a rollback at the end."""
    if writer.dialect.name != "postgresql":
        return
    login, bound = writer.execute(
        text(
            "SELECT current_user, NOT (rolsuper OR rolbypassrls) FROM pg_catalog.pg_roles WHERE rolname = current_user"
        )
    ).one()
    if not bound:
        return
    present = {table.name for table in copied_tables()}
    others = sorted(
        {
            str(owner)
            for table, column in (("account", "owner"), ("call", "owner"), ("coaching_note", "author"))
            if table in present
            for (owner,) in reader.execute(
                text(f'SELECT DISTINCT {column} FROM "{table}" WHERE {column} <> :me'), {"me": login}
            )
        }
    )
    if others:
        raise DatabaseProblem(
            f"the local records belong to {', '.join(others)}, not to your login {login}: bring them in as yours "
            "with `salestui team join` (or `migrate-to --append`)."
        )


def source_counts(source: Engine) -> dict[str, int]:
    """Rows per table in the source (for the progress bar's total)."""
    with source.connect() as connection:
        return {table.name: _count(connection, table) for table in copied_tables()}


def _count(connection: Connection, table: Table) -> int:
    return int(connection.execute(select(func.count()).select_from(table)).scalar_one())


@contextmanager
def _snapshot(engine: Engine) -> Iterator[Connection]:
    """A read transaction that sees one consistent state of the source."""
    if engine.dialect.name == "postgresql":
        connection = engine.connect().execution_options(isolation_level="REPEATABLE READ")
        with connection, connection.begin():
            yield connection
        return
    # SQLite: the store's BEGIN IMMEDIATE keeps other windows from writing during the copy.
    with engine.begin() as connection:
        yield connection


def _copy_table(reader: Connection, writer: Connection, table: Table, progress: Progress | None) -> None:
    columns = [c for c in table.columns if c.computed is None]
    # Links to rows of the same table (call.carried_from_call_id) are filled in afterwards,
    # so their order never matters.
    self_links = [c.name for c in columns if any(fk.column.table is table for fk in c.foreign_keys)]
    primary = list(table.primary_key.columns)
    result = reader.execution_options(stream_results=True, max_row_buffer=BATCH).execute(
        select(*columns).order_by(*primary)
    )
    links: list[dict[str, Any]] = []
    for chunk in result.partitions(BATCH):
        rows = [dict(row._mapping) for row in chunk]
        if self_links:
            for row in rows:
                pending = {name: row[name] for name in self_links if row[name] is not None}
                if pending:
                    links.append({"_id": row[primary[0].name], **pending})
                    for name in pending:
                        row[name] = None
        writer.execute(table.insert(), rows)
        if progress is not None:
            progress(table.name, len(rows))
    for name in self_links:
        from sqlalchemy import bindparam

        values = [{"_id": link["_id"], "_value": link[name]} for link in links if name in link]
        if values:
            statement = update(table).where(primary[0] == bindparam("_id")).values({name: bindparam("_value")})
            writer.execute(statement, values)
