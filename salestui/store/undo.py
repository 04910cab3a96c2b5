"""Taking a change back: a record and everything under it, kept as plain values and put back with
its ids; a cancelled call's status put back; a plan left blank discarded.

What goes with a record is read from the tables' foreign keys (``tables.py``), never listed by
hand: a row is kept with every row its deletion cascades to (a call with its checklist, advances,
objections, questions, notes, practice runs, debrief and attendees; an account with its contacts,
notes, comparisons and calls), and with the links ``ON DELETE SET NULL`` would lose (the call a
later call carried over from, the call a debrief drafted next). Restoring inserts the rows in
dependency order in one transaction, then puts the links back where their target still exists.

Ids are restored as they were. PostgreSQL's sequences need no change for that: every restored id
was handed out by its sequence before, so the sequence is already past it (``reset_sequences`` in
``engine.py`` is for imports of ids the sequence never gave). SQLite without ``AUTOINCREMENT``
hands the highest id out again once it is deleted: a row created since may hold a restored id,
and the restore is then refused (``UndoConflict``) rather than overwrite it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import ForeignKey, Table, and_, func, insert, select, update
from sqlalchemy import delete as sa_delete
from sqlmodel import Session, SQLModel

from salestui.domain.enums import CallStatus
from salestui.store import tables as t
from salestui.store.core import StoreError

if TYPE_CHECKING:
    from salestui.store.core import Store


class UndoConflict(StoreError):
    """A row to restore has an id another row holds now."""


Key = tuple[tuple[str, Any], ...]
"""A row's primary key as (column, value) pairs."""


@dataclass(frozen=True)
class Link:
    """A ``SET NULL`` reference to put back: ``table`` row ``key``'s ``column`` held ``value``."""

    table: str
    key: Key
    column: str
    value: Any
    target: str
    """The table the value points into (its ``target_column``)."""
    target_column: str


@dataclass(frozen=True)
class Snapshot:
    """A record and every row its deletion takes with it, as plain values (parents first)."""

    root: tuple[str, int]
    """The record itself: table name and id ("call", 11)."""
    rows: tuple[tuple[str, dict[str, Any]], ...]
    links: tuple[Link, ...]

    @property
    def empty(self) -> bool:
        """The record was already gone when the snapshot was taken."""
        return not self.rows

    def count(self, table: str) -> int:
        """Rows of ``table`` kept (tests, and a toast may say how much came back)."""
        return sum(1 for name, _ in self.rows if name == table)


def _table(table: str | type[SQLModel] | Table) -> Table:
    """A table by name (``"call"``), model class or itself."""
    if isinstance(table, str):
        return SQLModel.metadata.tables[table]
    return table if isinstance(table, Table) else table.__table__  # type: ignore[attr-defined]


def _references() -> dict[str, list[tuple[Table, ForeignKey]]]:
    """For each table name, the (child table, foreign key) pairs that point at it."""
    found: dict[str, list[tuple[Table, ForeignKey]]] = defaultdict(list)
    for child in SQLModel.metadata.sorted_tables:
        for key in child.foreign_keys:
            found[key.column.table.name].append((child, key))
    return found


def _on_delete(key: ForeignKey) -> str:
    return (key.ondelete or "").upper()


def _key(table: Table, row: dict[str, Any]) -> Key:
    return tuple((column.name, row[column.name]) for column in table.primary_key.columns)


def _rows(session: Session, table: Table, where: Any) -> list[dict[str, Any]]:
    return [dict(row) for row in session.execute(select(table).where(where)).mappings()]


def snapshot(store: Store, table: str | type[SQLModel] | Table, row_id: int) -> Snapshot:
    """Row ``row_id`` of ``table`` and everything its deletion would cascade to, with the links it would cut."""
    root = _table(table)
    references = _references()
    found: dict[str, dict[Key, dict[str, Any]]] = defaultdict(dict)
    with store.reading() as session:
        todo: list[tuple[Table, list[dict[str, Any]]]] = [(root, _rows(session, root, root.c.id == row_id))]
        while todo:
            parent, rows = todo.pop()
            fresh = [row for row in rows if _key(parent, row) not in found[parent.name]]
            for row in fresh:
                found[parent.name][_key(parent, row)] = row
            for child, key in references[parent.name]:
                values = {row[key.column.name] for row in fresh} - {None}
                if values and _on_delete(key) == "CASCADE":
                    todo.append((child, _rows(session, child, key.parent.in_(values))))
        links: dict[tuple[str, Key, str], Link] = {}
        tables = SQLModel.metadata.tables
        for name, rows_by_key in found.items():
            table_ = tables[name]
            # Links the kept rows hold: restored as NULL first, put back once every row is in.
            for key in table_.foreign_keys:
                if _on_delete(key) != "SET NULL":
                    continue
                for row_key, row in rows_by_key.items():
                    if row[key.parent.name] is not None:
                        link = Link(name, row_key, key.parent.name, row[key.parent.name], *_target(key))
                        links[(name, row_key, key.parent.name)] = link
            # Links other rows hold to the kept ones: the deletion sets them NULL.
            for child, key in references[name]:
                if _on_delete(key) != "SET NULL":
                    continue
                values = {row[key.column.name] for row in rows_by_key.values()} - {None}
                if not values:
                    continue
                for row in _rows(session, child, key.parent.in_(values)):
                    row_key = _key(child, row)
                    links[(child.name, row_key, key.parent.name)] = Link(
                        child.name, row_key, key.parent.name, row[key.parent.name], *_target(key)
                    )
    order = [table_.name for table_ in SQLModel.metadata.sorted_tables]
    kept = tuple((name, row) for name in order for row in found.get(name, {}).values())
    return Snapshot((root.name, row_id), kept, tuple(links.values()))


def _target(key: ForeignKey) -> tuple[str, str]:
    return key.column.table.name, key.column.name


def remove(
    store: Store, table: str | type[SQLModel] | Table, row_id: int, delete: Callable[[Store], Any] | None = None
) -> Snapshot:
    """Delete a record (through ``delete``, the repository's own rule, else by id) and return what it took.

    The snapshot and the deletion are one transaction: nothing can change in between.
    """
    root = _table(table)
    with store.atomic() as session:
        kept = snapshot(store, root, row_id)
        if delete is not None:
            delete(store)
        else:
            session.execute(sa_delete(root).where(root.c.id == row_id))
    return kept


def restore(store: Store, kept: Snapshot) -> None:
    """Put the rows of ``kept`` back with their ids, and the links they had, in one transaction.

    Refused with ``UndoConflict`` when another row holds one of the ids now.
    """
    if kept.empty:
        return
    tables = SQLModel.metadata.tables
    nulled = {(link.table, link.key, link.column) for link in kept.links}
    with store.transaction() as session:
        by_table: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for name, row in kept.rows:
            table = tables[name]
            key = _key(table, row)
            if session.execute(select(func.count()).select_from(table).where(_match(table, key))).scalar():
                raise UndoConflict("That can no longer be undone: a record made since then has taken its place.")
            by_table[name].append(
                {column: None if (name, key, column) in nulled else value for column, value in row.items()}
            )
        for name, rows in by_table.items():  # in snapshot order: parents first
            session.execute(insert(tables[name]), rows)
        for link in kept.links:
            table, target = tables[link.table], tables[link.target]
            alive = select(target.c[link.target_column]).where(target.c[link.target_column] == link.value).exists()
            session.execute(
                update(table)
                .where(_match(table, link.key), table.c[link.column].is_(None), alive)
                .values({link.column: link.value})
            )


def _match(table: Table, key: Key) -> Any:
    return and_(*(table.c[column] == value for column, value in key))


# -- a call cancelled, and put back -------------------------------------------------------------------
@dataclass(frozen=True)
class CallState:
    """What cancelling a call changes: its status and outcome, and which advance was secured."""

    call_id: int
    status: str
    outcome: str | None
    secured: tuple[int, ...]


def cancel(store: Store, call_id: int) -> CallState:
    """Cancel a call (``CallRepo.cancel``) and return what it was before, in one transaction."""
    with store.atomic() as session:
        row = session.get(t.Call, call_id)
        if row is None:
            from salestui.store.core import NotFound

            raise NotFound("That call no longer exists.")
        advances = t.Advance.__table__  # type: ignore[attr-defined]
        secured = session.execute(select(advances.c.id).where(advances.c.call_id == call_id, advances.c.secured))
        before = CallState(call_id, row.status, row.outcome, tuple(int(i) for i in secured.scalars()))
        store.calls.cancel(call_id)
    return before


def put_back(store: Store, state: CallState) -> None:
    """The call as it was before it was cancelled: status, outcome and its secured advance."""
    with store.transaction() as session:
        row = session.get(t.Call, state.call_id)
        if row is None:
            from salestui.store.core import NotFound

            raise NotFound("That call no longer exists.")
        row.status, row.outcome = state.status, state.outcome
        session.add(row)
        advances = t.Advance.__table__  # type: ignore[attr-defined]
        session.execute(update(advances).where(advances.c.call_id == state.call_id).values(secured=False))
        if state.secured:
            session.execute(update(advances).where(advances.c.id.in_(state.secured)).values(secured=True))


# -- a plan left blank ------------------------------------------------------------------------------
def discard_if_blank(store: Store, call_id: int) -> bool:
    """Delete a call that is still exactly as ``CallRepo.create`` made it; True if it was.

    Blank: its row never saved (version 1), still planned and never started, nothing filed under
    it but the checklist as the template made it (nothing ticked), and nothing pointing at it.
    """
    with store.atomic() as session:
        row = session.get(t.Call, call_id)
        if row is None or not _blank(session, row):
            return False
        session.expunge(row)
        store.delete_row(t.Call, call_id, session)
    return True


def _blank(session: Session, row: t.Call) -> bool:
    if row.version != 1 or row.status != CallStatus.PLANNED.value or row.outcome or row.started_at:
        return False
    if any((row.objective, row.goal, row.strategy, row.expected_return, row.scheduled_at)):
        return False
    checklist = t.ChecklistItem.__table__  # type: ignore[attr-defined]
    for child, key in _references()["call"]:
        if child is checklist:
            continue
        if session.execute(select(func.count()).select_from(child).where(key.parent == row.id)).scalar():
            return False
    items = session.execute(
        select(checklist.c.text, checklist.c.done)
        .where(checklist.c.call_id == row.id)
        .order_by(checklist.c.position, checklist.c.id)
    ).all()
    template = t.ChecklistTemplateItem.__table__  # type: ignore[attr-defined]
    texts = session.execute(select(template.c.text).order_by(template.c.position, template.c.id)).scalars().all()
    return not any(done for _, done in items) and [text for text, _ in items] == list(texts)
