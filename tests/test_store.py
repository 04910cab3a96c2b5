"""Store round trips on a real SQLite file: every table, cascades, versions, pragmas."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta

import pytest

from salestui.domain.enums import AdvanceLevel, CallKind, CallStatus, ContactRole, Handling, Outcome, ResearchCategory
from salestui.store.accounts import InvalidInput
from salestui.store.core import StaleEdit, open_store
from tests.pg import connect


@pytest.mark.sqlite_only("checks the SQLite file's WAL mode and tables")
def test_file_has_wal_foreign_keys_and_head_revision(store, db_path):
    from salestui.store.schema import HEAD

    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
    raw = sqlite3.connect(db_path)
    tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {
        "account",
        "contact",
        "research_note",
        "competitor_comparison",
        "call",
        "call_contact",
        "checklist_item",
        "checklist_template_item",
        "objection",
        "advance",
        "call_note",
        "debrief",
        "setting",
        "alembic_version",
    } <= tables
    assert raw.execute("SELECT version_num FROM alembic_version").fetchone()[0] == HEAD


def test_schema_head_constant_matches_alembic():
    from salestui.store.engine import alembic_head
    from salestui.store.schema import HEAD

    assert alembic_head() == HEAD


def test_account_contact_note_comparison_round_trip(store):
    account = store.accounts.create("Acme [/] [TODO] Ltd", industry="Manufacturing", city="Dayton")
    contact = store.accounts.add_contact(
        account.id,
        "Dana",
        title="CFO",
        role=ContactRole.DECISION_MAKER.value,
        email="dana@acme.example",
        phone="+1 555",
        notes="likes numbers",
    )
    note = store.accounts.add_note(account.id, ResearchCategory.COMPETITOR.value, "On Globex [x]", source="LinkedIn")
    comparison = store.accounts.add_comparison(
        account.id, "Globex", their_strengths="cheap", their_weaknesses="no audit", our_edge="audit trail"
    )
    assert store.accounts.get(account.id).name == "Acme [/] [TODO] Ltd"
    assert store.accounts.contacts(account.id) == [contact]
    assert store.accounts.contacts(account.id)[0].role is ContactRole.DECISION_MAKER
    assert store.accounts.notes(account.id) == [note]
    assert store.accounts.comparisons(account.id) == [comparison]
    assert store.accounts.rows("acme")[0].name == "Acme [/] [TODO] Ltd"
    assert store.accounts.rows("nomatch") == []


def test_empty_account_name_is_refused(store):
    with pytest.raises(InvalidInput):
        store.accounts.create("   ")


def test_call_plan_round_trip_with_every_child(store, frozen_now):
    account = store.accounts.create("Initech")
    contact = store.accounts.add_contact(account.id, "Bill")
    when = frozen_now + timedelta(days=1)
    call_id = store.calls.create(
        account.id, when, CallKind.DEMO, contact_ids=[contact.id], objective="Show audit trail", goal="Score 4/5"
    )
    store.calls.set_advance(call_id, AdvanceLevel.STRETCH, "Signs the order form", "Bill", date(2026, 12, 1))
    store.calls.set_advance(call_id, AdvanceLevel.TARGET, "Agrees to a pilot")
    store.calls.set_advance(call_id, AdvanceLevel.FALLBACK, "Introduces us to procurement")
    objection = store.calls.add_objection(call_id, "Too expensive", "Phase it")
    item = store.calls.add_checklist_item(call_id, "Bring the [deck]")
    store.calls.set_checklist_done(item, True)
    plan = store.calls.plan(call_id)
    assert plan.scheduled_at == when and plan.scheduled_at.tzinfo is not None
    assert plan.contact_ids == (contact.id,)
    assert [a.level for a in plan.advances] == [AdvanceLevel.STRETCH, AdvanceLevel.TARGET, AdvanceLevel.FALLBACK]
    assert plan.advance(AdvanceLevel.STRETCH).due == date(2026, 12, 1)
    assert plan.objections[0].id == objection and plan.objections[0].response == "Phase it"
    assert plan.checklist[-1].text == "Bring the [deck]" and plan.checklist[-1].done
    assert len(plan.checklist) == 11  # ten from the default template plus one

    store.calls.start(call_id)
    store.calls.set_raised(objection, True)
    store.calls.secure(call_id, AdvanceLevel.TARGET)
    store.calls.secure(call_id, AdvanceLevel.FALLBACK)  # changed their mind: the last pick wins
    store.calls.add_note(call_id, "CFO [/] joined late")
    store.calls.end(call_id)
    done = store.calls.plan(call_id)
    assert done.status is CallStatus.DONE and done.outcome is Outcome.ADVANCE
    assert done.secured_advance is not None and done.secured_advance.level is AdvanceLevel.FALLBACK
    assert sum(a.secured for a in done.advances) == 1
    assert done.objections[0].raised and done.objections[0].handling is Handling.RAISED
    assert done.notes[0].text == "CFO [/] joined late"
    assert done.readiness_at_start is not None

    debrief = store.debriefs.save(
        call_id, went_well="rapport", lessons="bring CFO", follow_up=date(2026, 11, 30), rating=4
    )
    next_id = store.debriefs.draft_next_call(call_id, datetime(2026, 11, 30, 10, tzinfo=UTC))
    drafted = store.calls.plan(next_id)
    assert drafted.carried_from_call_id == call_id
    assert "bring CFO" in drafted.strategy
    assert [o.text for o in drafted.objections] == ["Too expensive"]  # raised, not handled well
    assert [a.level for a in drafted.advances] == [AdvanceLevel.STRETCH, AdvanceLevel.TARGET]
    assert store.debriefs.get(call_id).next_call_id == next_id
    assert store.debriefs.get(call_id).version == debrief.version + 2  # finished, then linked
    assert store.debriefs.get(call_id).finished  # drafting the next call finishes the debrief


def test_unplanned_advance_and_continuation(store):
    account = store.accounts.create("Umbrella")
    call_id = store.calls.create(account.id)
    store.calls.secure_unplanned(call_id, "CMO books a clinic visit")
    assert store.calls.plan(call_id).secured_advance.level is AdvanceLevel.UNPLANNED
    store.calls.secure(call_id, None)
    plan = store.calls.plan(call_id)
    assert plan.outcome is Outcome.CONTINUATION and plan.secured_advance is None


def test_stale_edit_is_detected(store):
    account = store.accounts.create("Hooli")
    version = store.accounts.update(account.id, account.version, industry="Tech")
    with pytest.raises(StaleEdit):
        store.accounts.update(account.id, account.version, industry="Other")
    assert store.accounts.get(account.id).industry == "Tech"
    assert store.accounts.update(account.id, version, industry="Search") == version + 1


def test_deleting_an_account_cascades(store, db_path):
    account = store.accounts.create("Gone")
    store.accounts.add_contact(account.id, "X")
    store.accounts.add_note(account.id, "customer", "y")
    call_id = store.calls.create(account.id)
    store.calls.add_objection(call_id, "z")
    store.debriefs.save(call_id, lessons="l")
    store.accounts.delete(account.id)
    raw = connect(db_path)  # the file, or the PostgreSQL database standing in for it
    for table in ("contact", "research_note", "call", "objection", "checklist_item", "debrief"):
        assert raw.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0, table


@pytest.mark.sqlite_only("reads the text SQLite stores a time as")
def test_timestamps_are_aware_and_stored_as_utc(store, db_path):
    account = store.accounts.create("Zone")
    from zoneinfo import ZoneInfo

    local = datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    call_id = store.calls.create(account.id, local)
    assert store.calls.plan(call_id).scheduled_at == local
    raw = sqlite3.connect(db_path)
    assert raw.execute("SELECT scheduled_at FROM call").fetchone()[0].startswith("2026-12-01 09:00:00")


def test_checklist_reorder_and_template(store):
    store.calls.set_template(["One", " ", "Two"])
    assert store.calls.template() == ["One", "Two"]
    account = store.accounts.create("T")
    call_id = store.calls.create(account.id)
    first, second = store.calls.plan(call_id).checklist
    store.calls.move_checklist_item(second.id, -1)
    assert [i.text for i in store.calls.plan(call_id).checklist] == ["Two", "One"]
    store.calls.reset_template()
    assert len(store.calls.template()) == 10


def test_home_lists(demo_store, frozen_now):
    upcoming = demo_store.calls.upcoming()
    assert upcoming and all(c.scheduled_at >= frozen_now for c in upcoming)
    assert upcoming == sorted(upcoming, key=lambda c: c.scheduled_at)
    needing = demo_store.calls.needing_debrief()
    assert needing and all(not c.debriefed and c.scheduled_at < frozen_now for c in needing)


def test_reopening_keeps_data(db_path):
    first = open_store(db_path)
    first.accounts.create("Persist")
    first.engine.dispose()
    second = open_store(db_path)
    assert [r.name for r in second.accounts.rows()] == ["Persist"]
