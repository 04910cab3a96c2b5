"""Changes as data: what a save does, in a form that can be merged, retried and written to a journal.

Two kinds, both callable with the store (the serial writer runs them) and both turned into one
JSON object by ``journal()``:

- ``FieldChange``: one field of one record, with the *base* the rep's edit was made on. Applying
  it reads the stored value in the same transaction: when another window changed it since the
  base, a text field is merged three-way (``domain.merge``) and a choice field takes the later
  value and reports what it replaced. Nothing typed is dropped, and no "stale" error reaches the
  rep for a field.
- ``Op``: one call of a whitelisted store method with plain arguments (a key pressed in a call,
  a note added): kept, retried and journaled the same way.

``from_journal`` turns a journal line back into a change (the next start replays what a quit
could not store).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import TYPE_CHECKING, Any

from salestui.domain.merge import merge_text, rebase_typing, replaced_choice

if TYPE_CHECKING:
    from sqlmodel import Session

    from salestui.store.core import Store

ATTEMPTS = 5
"""A merge is retried when another writer committed between its read and its write (PostgreSQL)."""


# -- plain values <-> JSON -------------------------------------------------------------------------
def encode(value: Any) -> Any:
    """A value as JSON can hold it (dates, times and enums tagged)."""
    if isinstance(value, Enum):
        return {"$enum": f"{type(value).__module__}:{type(value).__qualname__}", "value": value.value}
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, list | tuple):
        return [encode(item) for item in value]
    if isinstance(value, dict):
        return {str(key): encode(item) for key, item in value.items()}
    return value


def decode(value: Any) -> Any:
    """The value ``encode`` wrote."""
    if isinstance(value, list):
        return [decode(item) for item in value]
    if not isinstance(value, dict):
        return value
    if "$datetime" in value:
        return datetime.fromisoformat(value["$datetime"])
    if "$date" in value:
        return date.fromisoformat(value["$date"])
    if "$enum" in value:
        module, name = str(value["$enum"]).split(":")
        if not module.startswith("salestui."):
            raise ValueError(f"not one of salestui's enums: {module}")
        return getattr(importlib.import_module(module), name)(value["value"])
    return {key: decode(item) for key, item in value.items()}


# -- the records a field change can target ---------------------------------------------------------
@dataclass(frozen=True)
class _Target:
    table: str
    """The table's class name in ``store.tables``."""
    update: str
    """The repository method that saves fields: ``update(row_id, version, **fields)``."""
    choices: frozenset[str] = frozenset()
    """Fields that are picked, not typed: the later save wins."""
    multiline: frozenset[str] = frozenset()
    """Text fields with line breaks (a conflict's other text goes on a line of its own)."""
    by_call: bool = False
    """The record is found by its call's id (the debrief)."""


TARGETS: dict[str, _Target] = {
    "call": _Target(
        "Call",
        "calls.update",
        choices=frozenset({"scheduled_at", "kind", "achieved"}),
        multiline=frozenset({"strategy"}),
    ),
    "account": _Target("Account", "accounts.update", choices=frozenset({"status"})),
    "contact": _Target("Contact", "accounts.update_contact"),
    "note": _Target("ResearchNote", "accounts.update_note", multiline=frozenset({"body"})),
    "comparison": _Target("CompetitorComparison", "accounts.update_comparison"),
    "debrief": _Target(
        "Debrief",
        "debriefs.save",
        choices=frozenset({"follow_up", "rating"}),
        multiline=frozenset({"went_well", "do_differently", "lessons", "customer_feedback"}),
        by_call=True,
    ),
}


def _method(store: Store, path: str) -> Callable[..., Any]:
    repo, name = path.split(".")
    return getattr(getattr(store, repo), name)  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Applied:
    """What a field change left in the database."""

    change: FieldChange
    stored: Any
    """The field's value now (the rep's, or the merge of theirs and another window's)."""
    version: int | None
    """The record's version after the save (``None``: no row yet, e.g. a debrief not written)."""
    conflicted: bool = False
    """Text: both windows changed the same spot; both texts were kept."""
    replaced: Any = None
    """Choice: the other window's value this save replaced (``None``: nothing was replaced)."""

    @property
    def merged(self) -> bool:
        """The stored value is not what this window typed (trimming aside): it should show it."""
        stored, typed = self.stored, self.change.value
        if isinstance(stored, str) and isinstance(typed, str):
            return stored.strip() != typed.strip()
        return bool(stored != typed)


@dataclass(frozen=True)
class FieldChange:
    """Set ``table:row_id``'s ``field`` to ``value``; ``base`` is the value the edit was made on."""

    table: str
    row_id: int
    field: str
    base: Any
    value: Any

    @property
    def record(self) -> str:
        """The writer's name for the record (``call:5``)."""
        return f"{self.table}:{self.row_id}"

    @property
    def key(self) -> str:
        """One field of one record: a newer save of it replaces one still waiting."""
        return f"{self.record}.{self.field}"

    def rebased(self, earlier: FieldChange) -> FieldChange:
        """This change replacing ``earlier`` before it ran: the edit was made on ``earlier``'s base."""
        return FieldChange(self.table, self.row_id, self.field, earlier.base, self.value)

    def after(self, sent: Any, stored: Any) -> FieldChange:
        """This change, made on ``sent`` (this window's previous save of the field), carried onto
        ``stored`` (what that save left once merged): the rep typed on before seeing the merge."""
        if self.base != sent or stored == sent or not isinstance(self.value, str) or not isinstance(stored, str):
            return self
        multiline = self.field in TARGETS[self.table].multiline
        value = rebase_typing(str(sent), self.value, stored, multiline=multiline)
        return FieldChange(self.table, self.row_id, self.field, stored, value)

    def journal(self) -> dict[str, Any]:
        """One JSON object for the journal."""
        return {
            "kind": "field",
            "table": self.table,
            "row_id": self.row_id,
            "field": self.field,
            "base": encode(self.base),
            "value": encode(self.value),
        }

    def __call__(self, store: Store) -> Applied:
        from salestui.store.core import StaleEdit

        target = TARGETS[self.table]
        for _ in range(ATTEMPTS):
            try:
                return self._apply(store, target)
            except StaleEdit:
                continue  # another writer committed between the read and the write: read again
        raise StaleEdit("This field kept changing in another window: try again in a moment.")

    def _apply(self, store: Store, target: _Target) -> Applied:
        with store.atomic() as session:
            current, version = self._read(session, target)
            conflicted, replaced = False, None
            if self.field in target.choices or not isinstance(self.value, str):
                value = self.value
                replaced = replaced_choice(self.base, self.value, current)
            else:
                base, theirs = "" if self.base is None else str(self.base), "" if current is None else str(current)
                if theirs.strip() == base.strip():  # unchanged but for the trimming the store does on save
                    theirs = base
                merged = merge_text(base, self.value, theirs, multiline=self.field in target.multiline)
                value, conflicted = merged.text, merged.conflicted
            if value != current:
                _method(store, target.update)(self.row_id, version, **{self.field: value})
                # What the repository kept (it trims names, normalises kinds): the next edit's base.
                value, version = self._read(session, target)
            return Applied(self, value, version, conflicted, replaced)

    def _read(self, session: Session, target: _Target) -> tuple[Any, int | None]:
        """The field's stored value and the row's version: one indexed Core select (no ORM object,
        so nothing cached by the session is read and the writer thread does little per key)."""
        from sqlalchemy import select

        from salestui.store import tables as t
        from salestui.store.core import NotFound

        columns = getattr(t, target.table).__table__.columns
        by = columns["call_id"] if target.by_call else columns["id"]
        row = session.execute(select(columns[self.field], columns["version"]).where(by == self.row_id)).first()
        if row is not None:
            return row[0], int(row[1])
        if not target.by_call:
            raise NotFound(f"That {self.table} was deleted in another window.")
        if session.get(t.Call, self.row_id) is None:
            raise NotFound("That call was deleted in another window.")
        return None, None  # no debrief written yet: the save creates it


OPS: frozenset[str] = frozenset(
    {
        "calls.secure",
        "calls.secure_unplanned",
        "calls.record_choice",
        "calls.add_note",
        "calls.set_raised",
        "calls.set_asked",
        "calls.set_contacts",
        "calls.set_advance",
        "calls.set_checklist_done",
        "calls.update_objection",
        "calls.end",
    }
)
"""Store methods a journaled ``Op`` may call (a journal line names one of these, nothing else)."""


_BY_CALL = frozenset(
    {
        "calls.secure",
        "calls.secure_unplanned",
        "calls.record_choice",
        "calls.add_note",
        "calls.set_contacts",
        "calls.set_advance",
        "calls.end",
    }
)
"""Ops whose first argument is the call's id."""


@dataclass(frozen=True)
class Op:
    """One call of a store method with plain arguments: ``Op("calls.add_note", (5, "text"))``."""

    method: str
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)
    key: str | None = None
    """Ops with the same key replace one still waiting (the last pick of a rung wins anyway)."""

    def __post_init__(self) -> None:
        if self.method not in OPS:
            raise ValueError(f"not a journaled store method: {self.method}")

    @property
    def record(self) -> str | None:
        """The record it changes, when its first argument names it (``call:5``), for live refresh."""
        return f"call:{self.args[0]}" if self.method in _BY_CALL and self.args else None

    def rebased(self, earlier: Op) -> Op:
        """An op replacing one still waiting needs nothing from it."""
        return self

    def journal(self) -> dict[str, Any]:
        """One JSON object for the journal."""
        return {
            "kind": "op",
            "method": self.method,
            "args": encode(list(self.args)),
            "kwargs": encode(self.kwargs),
            "key": self.key,
        }

    def __call__(self, store: Store) -> Any:
        return _method(store, self.method)(*self.args, **self.kwargs)


Change = FieldChange | Op


def from_journal(line: dict[str, Any]) -> Change:
    """The change a journal line describes (``ValueError`` for anything else)."""
    if line.get("kind") == "field":
        table = str(line["table"])
        if table not in TARGETS:
            raise ValueError(f"unknown table in journal: {table}")
        return FieldChange(table, int(line["row_id"]), str(line["field"]), decode(line["base"]), decode(line["value"]))
    if line.get("kind") == "op":
        return Op(
            str(line["method"]),
            tuple(decode(line.get("args") or [])),
            decode(line.get("kwargs") or {}),
            line.get("key"),
        )
    raise ValueError("not a journal line")
