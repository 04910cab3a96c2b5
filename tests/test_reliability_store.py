"""Reliability at the store level: two instances, full disk, private files, any text round-trips."""

from __future__ import annotations

import itertools
import threading
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event

from salestui.domain.dates import Invalid, Parsed, parse_date, parse_when
from salestui.store.core import StaleEdit, StoreError, open_store
from salestui.text import entered


def test_two_instances_edit_different_records(db_path):
    first, second = open_store(db_path), open_store(db_path)
    a = first.accounts.create("Alpha")
    b = first.accounts.create("Beta")
    first.accounts.update(a.id, a.version, industry="from window one")
    second.accounts.update(b.id, b.version, industry="from window two")
    fresh = open_store(db_path)
    assert fresh.accounts.get(a.id).industry == "from window one"
    assert fresh.accounts.get(b.id).industry == "from window two"


def test_two_instances_same_record_later_writer_is_told(db_path):
    first, second = open_store(db_path), open_store(db_path)
    account = first.accounts.create("Shared")
    loaded_by_two = second.accounts.get(account.id)
    first.accounts.update(account.id, account.version, notes="written first")
    with pytest.raises(StaleEdit, match="another window"):
        second.accounts.update(loaded_by_two.id, loaded_by_two.version, notes="written second")
    assert open_store(db_path).accounts.get(account.id).notes == "written first"


def test_concurrent_writers_never_see_database_locked(db_path):
    stores = [open_store(db_path) for _ in range(4)]
    account = stores[0].accounts.create("Busy")
    call_id = stores[0].calls.create(account.id)
    errors: list[BaseException] = []

    def write(store, n):  # type: ignore[no-untyped-def]
        try:
            for i in range(25):
                store.calls.add_note(call_id, f"note {n}-{i}")
        except BaseException as error:  # noqa: BLE001 - collected for the assertion
            errors.append(error)

    threads = [threading.Thread(target=write, args=(s, n)) for n, s in enumerate(stores)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(stores[0].calls.plan(call_id).notes) == 100


def test_full_disk_gives_a_plain_message_and_keeps_earlier_data(db_path):
    store = open_store(db_path)
    account = store.accounts.create("Before the disk filled")
    store.close()

    @event.listens_for(store.engine, "connect")
    def _cap(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages + 2}")

    with pytest.raises(StoreError, match="full"):
        store.accounts.update(account.id, None, notes="x" * 200_000)
    store.close()
    assert open_store(db_path).accounts.get(account.id).notes == ""


def test_database_and_wal_files_are_private(db_path):
    store = open_store(db_path)
    store.accounts.create("Private")
    for suffix in ("", "-wal", "-shm"):
        path = db_path.parent / (db_path.name + suffix)
        if path.exists():
            assert (path.stat().st_mode & 0o777) == 0o600, suffix


text_strategy = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=300)


_EXAMPLES = itertools.count()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=text_strategy)
def test_any_unicode_text_round_trips(store, text):
    name = text if entered(text).strip() else "x" + text
    # Each example a name of its own: one store holds them all, one account per rep and name (0010).
    name = f"#{next(_EXAMPLES)} {name}"
    account = store.accounts.create(name, notes=text)
    call_id = store.calls.create(account.id, objective=text, goal=text)
    store.calls.add_objection(call_id, text, text)
    plan = store.calls.plan(call_id)
    # Stored as entered: control characters removed; the multi-line notes keep newlines and tabs.
    assert store.accounts.get(account.id).notes == entered(text, lines=True)
    assert store.accounts.get(account.id).name == entered(name).strip()
    line = entered(text)
    assert (plan.objective, plan.goal, plan.objections[0].text) == (line, line, line)


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=60))
def test_date_parsers_never_raise(text):
    now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    assert isinstance(parse_when(text, now), Parsed | Invalid)
    result = parse_date(text, now.date())
    assert isinstance(result, Invalid) or hasattr(result, "isoformat")
