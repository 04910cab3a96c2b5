"""Control characters never enter the database: every write of user text is cleaned.

The rule lives in one place, the ``UserText`` column type (``store/tables.py``): ESC, BEL, NUL
and the other C0/C1 controls are removed from whatever is bound to a user-text column; one-line
columns turn newlines and tabs into spaces, multi-line columns keep them. These tests read the
database file with ``sqlite3`` (not through the store) so nothing on the way back can hide a
dirty value.
"""

from __future__ import annotations

import sqlite3
import unicodedata
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlmodel.sql.sqltypes import AutoString

from salestui.domain.enums import AdvanceLevel
from salestui.store import tables as t
from salestui.store.accounts import InvalidInput
from salestui.store.core import Store

WHEN = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
DIRTY = "a\x1b[31mred\x1b[0m\x07b\x00c\x9b"  # ESC sequences, BEL, NUL, a C1 control
CLEAN = "a[31mred[0mbc"
PASTED = "first line\x1b[1m\n\tindented\x07\r\nlast\x00"  # a paste from a terminal, CRLF included


def user_text_columns() -> dict[str, dict[str, bool]]:
    """Table name -> user-text column -> multi-line?"""
    found: dict[str, dict[str, bool]] = {}
    for table in t.SQLModel.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, t.UserText):
                found.setdefault(table.name, {})[column.name] = column.type.lines
    return found


def dirty_values(path: Path) -> list[tuple[str, str, str]]:
    """Every stored user-text value with a control character it may not hold: (table, column, value)."""
    found = []
    connection = sqlite3.connect(path)
    try:
        for table, columns in user_text_columns().items():
            for column, lines in columns.items():
                allowed = "\n\t" if lines else ""
                for (value,) in connection.execute(f'SELECT "{column}" FROM "{table}"'):
                    if any(unicodedata.category(c) == "Cc" and c not in allowed for c in value or ""):
                        found.append((table, column, value))
    finally:
        connection.close()
    return found


def stored(path: Path, table: str, column: str) -> list[str]:
    connection = sqlite3.connect(path)
    try:
        return [row[0] for row in connection.execute(f'SELECT "{column}" FROM "{table}" ORDER BY rowid')]
    finally:
        connection.close()


def test_every_free_text_column_is_user_text() -> None:
    """A new text column cannot silently skip the rule: every str column is UserText or a known key/enum."""
    not_user_text = {
        (table.name, column.name)
        for table in t.SQLModel.metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, AutoString)  # how SQLModel types a plain str column
    }
    assert not_user_text == {
        ("account", "status"),
        ("contact", "role"),
        ("research_note", "category"),
        ("call", "kind"),
        ("call", "status"),
        ("call", "outcome"),
        ("call", "achieved"),
        ("objection", "handling"),
        ("advance", "level"),
        ("setting", "key"),
    }


def fill_everything(store: Store, text: str) -> tuple[int, int]:
    """Write ``text`` into every user-text field through the store's create and add functions."""
    account = store.accounts.create("Acme " + text, industry=text, website=text, phone=text, city=text, notes=text)
    contact = store.accounts.add_contact(account.id, "Bo " + text, title=text, email=text, phone=text, notes=text)
    store.accounts.add_note(account.id, "customer", text, source=text)
    store.accounts.add_comparison(
        account.id, "Rival " + text, their_strengths=text, their_weaknesses=text, our_edge=text
    )
    call = store.calls.create(
        account.id, WHEN, contact_ids=[contact.id], objective=text, goal=text, strategy=text, expected_return=text
    )
    store.calls.add_checklist_item(call, "item " + text)
    store.calls.add_objection(call, "price " + text, response=text)
    store.calls.set_advance(call, AdvanceLevel.TARGET, "trial " + text, owner=text)
    store.calls.set_template(["template " + text])
    store.calls.start(call)
    store.calls.add_note(call, "note " + text)
    store.calls.secure_unplanned(call, "intro " + text)
    store.calls.end(call)
    store.debriefs.save(
        call,
        went_well=text,
        do_differently=text,
        customer_feedback=text,
        lessons=text,
        next_step=text,
        follow_up=date(2026, 12, 1),
    )
    return account.id, call


def test_creates_and_adds_store_no_control_character(store: Store, db_path: Path) -> None:
    account_id, _ = fill_everything(store, DIRTY)
    assert dirty_values(db_path) == []
    assert stored(db_path, "account", "name") == [f"Acme {CLEAN}"]
    assert stored(db_path, "debrief", "lessons") == [CLEAN]
    # What a create returns is what was stored.
    assert store.accounts.create("Initech\x1b[2J", city="Ly\x00on").name == "Initech[2J"
    assert store.accounts.get(account_id).city == CLEAN


def test_updates_store_no_control_character(store: Store, db_path: Path) -> None:
    account_id, call = fill_everything(store, "plain")
    contact = store.accounts.contacts(account_id)[0]
    note = store.accounts.notes(account_id)[0]
    comparison = store.accounts.comparisons(account_id)[0]
    plan = store.calls.plan(call)
    store.accounts.update(account_id, name="Acme " + DIRTY, notes=DIRTY, city=DIRTY)
    store.accounts.update_contact(contact.id, email=DIRTY, notes=DIRTY)
    store.accounts.update_note(note.id, body=DIRTY, source=DIRTY)
    store.accounts.update_comparison(comparison.id, our_edge=DIRTY)
    store.calls.update(call, objective=DIRTY, strategy=DIRTY)
    store.calls.rename_checklist_item(plan.checklist[0].id, DIRTY)
    store.calls.update_objection(plan.objections[0].id, text=DIRTY, response=DIRTY)
    store.debriefs.save(call, went_well=DIRTY, next_step=DIRTY)
    assert dirty_values(db_path) == []
    assert stored(db_path, "call", "objective") == [CLEAN]
    assert stored(db_path, "research_note", "body") == [CLEAN]


def test_update_fields_cleans_whatever_the_caller(store: Store, db_path: Path) -> None:
    """``Store.update_fields`` is the write path of the serial writer and every editor."""
    account = store.accounts.create("Acme")
    store.update_fields(t.Account, account.id, {"industry": DIRTY, "notes": PASTED})
    assert stored(db_path, "account", "industry") == [CLEAN]
    assert stored(db_path, "account", "notes") == ["first line[1m\n\tindented\nlast"]


def test_pasted_lines_keep_newlines_only_in_multi_line_columns(store: Store, db_path: Path) -> None:
    account_id, call = fill_everything(store, PASTED)
    assert dirty_values(db_path) == []
    kept = "first line[1m\n\tindented\nlast"
    flat = "first line[1m  indented last"
    plan = store.calls.plan(call)
    assert plan.strategy == kept and plan.objective == flat and plan.goal == flat
    assert store.accounts.get(account_id).notes == kept
    assert store.accounts.get(account_id).city == flat
    assert store.accounts.notes(account_id)[0].body == kept
    debrief = store.debriefs.get(call)
    assert debrief is not None
    assert (debrief.went_well, debrief.lessons, debrief.next_step) == (kept, kept, flat)
    assert stored(db_path, "call_note", "text") == ["note " + flat]


def test_a_name_of_control_characters_only_is_refused(store: Store) -> None:
    with pytest.raises(InvalidInput):
        store.accounts.create("\x1b\x07\x00")
    account = store.accounts.create("Acme")
    call = store.calls.create(account.id, WHEN)
    with pytest.raises(InvalidInput):
        store.calls.add_note(call, "\x07\x1b")
