"""``salestui team join``: bring a local database's records into a team database as the login's own.

Unlike ``transfer.copy_database`` (an empty target, ids kept), the team database already holds
other reps' records: every row gets a new id from the team's sequences, links are translated
(an objection follows its call, a carried-over call its earlier call, an attendee its contact),
and the owner of accounts and calls (the author of coaching notes) is the login joining. Each
copied row is recorded in ``join_origin`` (0016_team_hardening) under the local database's id
and its own id there, so running the join again adds nothing; rows the rep deleted on the team
since are not brought back.

An account the rep already has on the team under the same name (case and spaces ignored) is
not duplicated: the local records under it join it. Likewise a contact with the same name and
email, a note with the same text, a comparison with the same competitor, and a call from the
same calendar event; the plan of a call that was already there is left as the team has it.
The whole join is one transaction on the team database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, Table, func, insert, select, text, update

from salestui.store.preflight import DatabaseProblem
from salestui.store.transfer import SEEDED, _snapshot, copied_tables

BATCH = 500
#: Columns that name the record's owner: the login joining.
OWNER_COLUMNS: dict[str, str] = {"account": "owner", "call": "owner", "coaching_note": "author"}
#: Tables whose rows are matched to the rep's own rows already on the team (SQL over ``:p`` params).
MATCHES: dict[str, str] = {
    "account": "SELECT id FROM account WHERE owner = :owner AND name_key = :name_key AND name_key <> ''",
    "contact": "SELECT id FROM contact WHERE account_id = :account_id AND lower(name) = lower(:name)"
    " AND lower(email) = lower(:email)",
    "research_note": "SELECT id FROM research_note WHERE account_id = :account_id AND category = :category"
    " AND body = :body",
    "competitor_comparison": "SELECT id FROM competitor_comparison WHERE account_id = :account_id"
    " AND lower(competitor) = lower(:competitor)",
    "call": 'SELECT id FROM "call" WHERE owner = :owner AND calendar_uid = :calendar_uid'
    " AND calendar_occurrence IS NOT DISTINCT FROM :calendar_occurrence",
}


@dataclass(frozen=True, slots=True)
class JoinCount:
    """One table: rows in the local database, added to the team's, and already there (or left out)."""

    table: str
    source: int
    added: int
    already: int


@dataclass(slots=True)
class JoinResult:
    """What a join did."""

    owner: str
    counts: list[JoinCount] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _State:
    """Source id -> team id per table; which of them this run created; which point at nothing now."""

    mapped: dict[str, dict[int, int]] = field(default_factory=dict)
    created: dict[str, set[int]] = field(default_factory=dict)
    gone: dict[str, set[int]] = field(default_factory=dict)

    def target(self, table: str, source_id: int) -> int | None:
        """The team's id for a source row, if it is there."""
        if source_id in self.gone.get(table, set()):
            return None
        return self.mapped.get(table, {}).get(source_id)


def join_database(source: str, target: str) -> JoinResult:
    """Join ``source`` (a salestui database, usually the local SQLite file) into ``target`` (a team URL)."""
    from salestui.store.core import open_engine
    from salestui.store.transfer import open_source

    if "://" not in target or target.startswith("sqlite"):
        raise DatabaseProblem("team join copies into a team's PostgreSQL database: --db postgresql+psycopg://…")
    if source == target:
        raise DatabaseProblem("the local database and the team database are the same.")
    if "://" not in source:
        from pathlib import Path

        if not Path(source).expanduser().is_file():
            raise DatabaseProblem(f"there is no database at {source}: give your local one with --from PATH.")
    source_engine = open_source(source)
    try:
        target_engine = open_engine(target)  # at the current schema, or refused in one line (behind)
        try:
            return _join(source_engine, target_engine)
        finally:
            target_engine.dispose()
    finally:
        source_engine.dispose()


def _join(source: Engine, target: Engine) -> JoinResult:
    tables = [t for t in copied_tables() if t.name not in SEEDED]
    source_id = _source_id(source)
    with target.connect() as probe:
        login, bound = probe.execute(
            text(
                "SELECT current_user, NOT (rolsuper OR rolbypassrls) FROM pg_catalog.pg_roles WHERE rolname = current_user"
            )
        ).one()
    with _snapshot(source) as reader, target.begin() as writer:
        owner = str(login) if bound else _local_owner(reader, str(login))
        result = JoinResult(owner=owner)
        state = _known(writer, source_id, tables)
        for table in tables:
            result.counts.append(_join_table(reader, writer, table, state, owner, source_id))
        _relink(reader, writer, tables, state)
    result.notes.append("Your local settings and checklist template stay local: the team's are the administrator's.")
    return result


def _source_id(source: Engine) -> str:
    """The local database's id (``setting.database_id``, made by 0009); made now if it is missing."""
    import secrets

    from salestui.store.calendar import DATABASE_ID_SETTING

    with source.begin() as connection:
        found = connection.execute(
            text("SELECT value FROM setting WHERE key = :k"), {"k": DATABASE_ID_SETTING}
        ).scalar()
        if found:
            return str(found)
        made = secrets.token_hex(4)
        connection.execute(
            text("INSERT INTO setting (key, value, created_at, updated_at) VALUES (:k, :v, :t, :t)"),
            {"k": DATABASE_ID_SETTING, "v": made, "t": _now()},
        )
        return made


def _now() -> Any:
    from salestui.domain.clock import now

    return now().replace(tzinfo=None)


def _local_owner(reader: Connection, login: str) -> str:
    """An administrator's join (not bound by row-level security): the rep name recorded locally."""
    found = reader.execute(text("SELECT value FROM setting WHERE key = 'owner'")).scalar()
    return str(found) if found else login


def _known(writer: Connection, source_id: str, tables: Iterable[Table]) -> _State:
    """What earlier joins of this source by this login brought in, and which of it is gone since."""
    state = _State()
    rows = writer.execute(
        text(
            "SELECT source_table, source_id, target_id FROM join_origin WHERE owner = current_user AND source = :source"
        ),
        {"source": source_id},
    ).all()
    for table, old, new in rows:
        state.mapped.setdefault(str(table), {})[int(old)] = int(new)
    for table in tables:
        known = state.mapped.get(table.name)
        if not known or "id" not in table.c:
            continue
        present = set(writer.execute(select(table.c.id).where(table.c.id.in_(list(known.values())))).scalars().all())
        state.gone[table.name] = {old for old, new in known.items() if new not in present}
    return state


def _parents(table: Table) -> dict[str, str]:
    """Foreign-key column -> parent table, links within the table left out (``_relink``)."""
    return {
        column.name: fk.column.table.name
        for column in table.columns
        for fk in column.foreign_keys
        if fk.column.table is not table
    }


def _self_links(table: Table) -> list[str]:
    return [c.name for c in table.columns if any(fk.column.table is table for fk in c.foreign_keys)]


def _join_table(
    reader: Connection, writer: Connection, table: Table, state: _State, owner: str, source_id: str
) -> JoinCount:
    primary = list(table.primary_key.columns)
    keyed = len(primary) == 1 and primary[0].name == "id"
    parents = _parents(table)
    self_links = set(_self_links(table))
    # Rows under a call the team already had keep the team's version; the records an account
    # gathers (contacts, notes, comparisons, calls) are matched one by one instead.
    gathers = table.name in MATCHES
    columns = [c for c in table.columns if c.computed is None]
    result = reader.execution_options(stream_results=True, max_row_buffer=BATCH).execute(
        select(*columns).order_by(*table.primary_key.columns)
    )
    total = added = 0
    mapped = state.mapped.setdefault(table.name, {})
    state.created.setdefault(table.name, set())
    for chunk in result.partitions(BATCH):
        pending: list[tuple[int | None, dict[str, Any]]] = []
        for raw in chunk:
            total += 1
            row = dict(raw._mapping)
            old_id = row.pop("id") if keyed else None
            if old_id is not None and old_id in mapped:
                continue  # joined before (or matched then)
            translated = _translate(table.name, row, parents, state, created_only=not gathers)
            if translated is None:
                continue
            for name in self_links:
                translated[name] = None  # set once every row of the table is in (_relink)
            if table.name in OWNER_COLUMNS:
                translated[OWNER_COLUMNS[table.name]] = owner
            if gathers:
                match = writer.execute(text(MATCHES[table.name]), {**translated, "owner": owner}).scalar()
                if match is not None:
                    assert old_id is not None
                    mapped[old_id] = int(match)
                    _remember(writer, source_id, table.name, [(old_id, int(match))])
                    continue
            if table.name == "account":
                # At once: the next local account may match this one (two local owners' accounts
                # of one name become one account of the rep's, never a unique-index failure).
                added += _insert(writer, table, [(old_id, translated)], keyed, state, source_id)
                continue
            pending.append((old_id, translated))
        added += _insert(writer, table, pending, keyed, state, source_id)
    return JoinCount(table.name, total, added, total - added)


def _translate(
    table: str, row: dict[str, Any], parents: dict[str, str], state: _State, created_only: bool
) -> dict[str, Any] | None:
    """``row`` with its links to the team's ids; ``None`` when a parent is not on the team (or, for
    rows under a call or an account's import history, was there before this run: the team's stays)."""
    for column, parent in parents.items():
        value = row.get(column)
        if value is None:
            continue
        new = state.target(parent, int(value))
        required = created_only and (
            (parent == "call" and column == "call_id") or (table == "import_origin" and column == "account_id")
        )
        if new is None or (required and int(value) not in state.created.get(parent, set())):
            if column in ("call_id", "account_id", "contact_id"):
                return None
            row[column] = None  # an optional link (a debrief's next call) to a row not brought in
            continue
        row[column] = new
    return row


def _insert(
    writer: Connection,
    table: Table,
    pending: list[tuple[int | None, dict[str, Any]]],
    keyed: bool,
    state: _State,
    source_id: str,
) -> int:
    if not pending:
        return 0
    rows = [values for _old, values in pending]
    if not keyed:
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        first = next(iter(table.primary_key.columns))
        statement = pg_insert(table).on_conflict_do_nothing().returning(first)
        return len(writer.execute(statement, rows).all())  # the rows inserted (a conflict returns none)
    returning = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    ids = [int(r[0]) for r in writer.execute(returning, rows).all()]
    pairs = [(old, new) for (old, _values), new in zip(pending, ids, strict=True) if old is not None]
    state.mapped.setdefault(table.name, {}).update(pairs)
    state.created.setdefault(table.name, set()).update(old for old, _new in pairs)
    _remember(writer, source_id, table.name, pairs)
    return len(ids)


def _remember(writer: Connection, source_id: str, table: str, pairs: list[tuple[int, int]]) -> None:
    if not pairs:
        return
    writer.execute(
        text(
            "INSERT INTO join_origin (source, source_table, source_id, target_id) VALUES (:s, :t, :o, :n)"
            " ON CONFLICT DO NOTHING"
        ),
        [{"s": source_id, "t": table, "o": old, "n": new} for old, new in pairs],
    )


def _relink(reader: Connection, writer: Connection, tables: Iterable[Table], state: _State) -> None:
    """Links within a table (a call carried over from an earlier call), for the rows this run created."""
    for table in tables:
        for name in _self_links(table):
            created = state.created.get(table.name, set())
            if not created:
                continue
            rows = reader.execute(select(table.c.id, table.c[name]).where(table.c[name].is_not(None))).all()
            values = [
                {"_id": state.mapped[table.name][old], "_value": state.target(table.name, int(link))}
                for old, link in rows
                if old in created and state.target(table.name, int(link)) is not None
            ]
            if values:
                from sqlalchemy import bindparam

                statement = update(table).where(table.c.id == bindparam("_id")).values({name: bindparam("_value")})
                writer.execute(statement, values)


def count_rows(engine: Engine, table: Table) -> int:
    """Rows of one table (tests and reports)."""
    with engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(table)).scalar_one())
