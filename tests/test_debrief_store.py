"""Debrief store: save as typed, amend, refuse stale edits, finish + draft next call atomically."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from salestui.domain.enums import AdvanceLevel, CallStatus, Handling, Outcome
from salestui.store.accounts import InvalidInput
from salestui.store.core import NotFound, StaleEdit, open_store
from tests.pg import connect

WHEN = datetime(2026, 11, 20, 10, tzinfo=UTC)


def held_call(store, secured: AdvanceLevel | None = AdvanceLevel.FALLBACK) -> int:
    account = store.accounts.create("Acme")
    contact = store.accounts.add_contact(account.id, "Dana")
    call_id = store.calls.create(account.id, WHEN, contact_ids=[contact.id], objective="Demo")
    for level in (AdvanceLevel.STRETCH, AdvanceLevel.TARGET, AdvanceLevel.FALLBACK):
        store.calls.set_advance(call_id, level, f"{level.value} [/] action", owner="customer")
    price = store.calls.add_objection(call_id, "Too expensive", "Reframe")
    timing = store.calls.add_objection(call_id, "Not this quarter", "Small step now")
    store.calls.add_objection(call_id, "What if it fails?", "Pilot")
    store.calls.start(call_id)
    store.calls.set_raised(price, True)
    store.calls.update_objection(timing, handling=Handling.WELL)
    store.calls.secure(call_id, secured)
    store.calls.end(call_id)
    return call_id


def count(db_path, table: str) -> int:
    raw = connect(db_path)  # the file, or the PostgreSQL database standing in for it
    try:
        return raw.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        raw.close()


def test_save_creates_then_amends_with_versions(store, frozen_now):
    call_id = held_call(store)
    assert store.debriefs.get(call_id) is None
    first = store.debriefs.save(call_id, went_well="[TODO] rapport")
    assert first.version == 1 and first.updated_at == frozen_now
    second = store.debriefs.save(call_id, first.version, lessons="bring CFO", rating=4)
    assert second.version == 2
    got = store.debriefs.get(call_id)
    assert (got.went_well, got.lessons, got.rating) == ("[TODO] rapport", "bring CFO", 4)


def test_amending_later_shows_when_it_changed(store, frozen_now):
    from salestui.domain import clock

    call_id = held_call(store)
    saved = store.debriefs.save(call_id, went_well="ok")
    later = frozen_now + timedelta(days=3)
    clock.freeze(later)
    amended = store.debriefs.save(call_id, saved.version, went_well="better than I thought")
    assert amended.updated_at == later and store.debriefs.get(call_id).updated_at == later


def test_stale_edit_is_refused_and_changes_nothing(store):
    call_id = held_call(store)
    mine = store.debriefs.save(call_id, went_well="a")
    store.debriefs.save(call_id, mine.version, went_well="other window")
    with pytest.raises(StaleEdit):
        store.debriefs.save(call_id, mine.version, went_well="mine")
    assert store.debriefs.get(call_id).went_well == "other window"


def test_bad_values_are_refused(store):
    call_id = held_call(store)
    with pytest.raises(InvalidInput):
        store.debriefs.save(call_id, rating=6)
    with pytest.raises(InvalidInput):
        store.debriefs.save(call_id, follow_up="+7d")
    with pytest.raises(ValueError):
        store.debriefs.save(call_id, mood="great")
    with pytest.raises(NotFound):
        store.debriefs.save(9999, lessons="x")
    assert store.debriefs.get(call_id) is None


def test_first_save_marks_a_planned_call_done(store):
    account = store.accounts.create("Initech")
    call_id = store.calls.create(account.id, WHEN)
    store.debriefs.save(call_id, went_well="x")
    assert store.calls.plan(call_id).status is CallStatus.DONE


def test_finish_saves_and_drafts_next_call_with_carry_over(store, frozen_now):
    call_id = held_call(store)
    first = store.debriefs.save(call_id, went_well="good")
    when = datetime(2026, 11, 30, 9, tzinfo=UTC)
    finished = store.debriefs.finish(
        call_id,
        first.version,
        follow_up_at=when,
        lessons="Lumbergh decides\nBring the [TODO] pricing",
        do_differently="Ask budget early",
        next_step="Pricing review with the CFO",
        follow_up=when.date(),
    )
    assert finished.next_call_id is not None and finished.next_call_at == when
    assert finished.debrief.next_call_id == finished.next_call_id
    assert finished.debrief.version == first.version + 2  # the edit and the link
    drafted = store.calls.plan(finished.next_call_id)
    assert drafted.status is CallStatus.PLANNED and drafted.carried_from_call_id == call_id
    assert drafted.objective == "Pricing review with the CFO"
    assert drafted.strategy.splitlines() == [
        "Lesson: Lumbergh decides",
        "Lesson: Bring the [TODO] pricing",
        "Do differently: Ask budget early",
    ]
    assert [o.text for o in drafted.objections] == ["Too expensive"]
    assert drafted.objections[0].response == "Reframe" and not drafted.objections[0].raised
    assert [(a.level, a.action) for a in drafted.advances] == [
        (AdvanceLevel.STRETCH, "stretch [/] action"),
        (AdvanceLevel.TARGET, "target [/] action"),
    ]
    assert drafted.contact_ids == store.calls.plan(call_id).contact_ids
    assert [c.id for c in store.calls.upcoming()] == [finished.next_call_id]


def test_finish_without_follow_up_drafts_nothing(store, db_path):
    call_id = held_call(store)
    calls_before = count(db_path, "call")
    finished = store.debriefs.finish(call_id, None, lessons="x")
    assert finished.next_call_id is None and count(db_path, "call") == calls_before
    assert store.debriefs.get(call_id).lessons == "x"


def test_finishing_again_moves_the_draft_instead_of_duplicating(store, db_path):
    call_id = held_call(store)
    first = store.debriefs.finish(call_id, None, follow_up_at=datetime(2026, 11, 30, 9, tzinfo=UTC))
    calls = count(db_path, "call")
    again = store.debriefs.finish(call_id, first.debrief.version, follow_up_at=datetime(2026, 12, 2, 9, tzinfo=UTC))
    assert again.next_call_id == first.next_call_id and count(db_path, "call") == calls
    assert store.calls.plan(again.next_call_id).scheduled_at == datetime(2026, 12, 2, 9, tzinfo=UTC)
    # the same day again keeps a time the rep set in the plan
    store.calls.update(again.next_call_id, scheduled_at=datetime(2026, 12, 2, 15, tzinfo=UTC))
    store.debriefs.finish(call_id, None, follow_up_at=datetime(2026, 12, 2, 9, tzinfo=UTC))
    assert store.calls.plan(again.next_call_id).scheduled_at == datetime(2026, 12, 2, 15, tzinfo=UTC)


def test_a_held_draft_is_left_alone_and_a_new_date_drafts_a_new_call(store, db_path):
    call_id = held_call(store)
    first = store.debriefs.finish(call_id, None, follow_up_at=datetime(2026, 11, 30, 9, tzinfo=UTC))
    store.calls.end(first.next_call_id)  # that call took place
    same = store.debriefs.finish(call_id, None, follow_up_at=datetime(2026, 11, 30, 9, tzinfo=UTC))
    assert same.next_call_id == first.next_call_id
    assert store.calls.plan(first.next_call_id).status is CallStatus.DONE
    new = store.debriefs.finish(call_id, None, follow_up_at=datetime(2026, 12, 14, 9, tzinfo=UTC))
    assert new.next_call_id not in (None, first.next_call_id)


def test_finish_is_all_or_nothing(store, db_path, monkeypatch):
    call_id = held_call(store)
    saved = store.debriefs.save(call_id, lessons="before")
    before = {table: count(db_path, table) for table in ("call", "objection", "advance", "checklist_item")}
    real_create = store.calls.create

    def create_then_fail(*args, **kwargs):
        real_create(*args, **kwargs)  # the call row and its checklist are written...
        raise RuntimeError("disk unplugged")  # ...then the transaction fails

    monkeypatch.setattr(store.calls, "create", create_then_fail)
    with pytest.raises(RuntimeError):
        store.debriefs.finish(
            call_id, saved.version, follow_up_at=datetime(2026, 11, 30, 9, tzinfo=UTC), lessons="after"
        )
    assert {table: count(db_path, table) for table in before} == before
    debrief = store.debriefs.get(call_id)
    assert (debrief.lessons, debrief.version, debrief.next_call_id) == ("before", saved.version, None)


def test_finish_with_a_stale_version_drafts_nothing(store, db_path):
    call_id = held_call(store)
    mine = store.debriefs.save(call_id, lessons="a")
    store.debriefs.save(call_id, mine.version, lessons="other window")
    calls = count(db_path, "call")
    with pytest.raises(StaleEdit):
        store.debriefs.finish(call_id, mine.version, follow_up_at=datetime(2026, 11, 30, 9, tzinfo=UTC), lessons="b")
    assert count(db_path, "call") == calls and store.debriefs.get(call_id).next_call_id is None


def test_draft_needs_a_debrief(store):
    call_id = held_call(store)
    with pytest.raises(InvalidInput):
        store.debriefs.draft_next_call(call_id, datetime(2026, 11, 30, 9, tzinfo=UTC))


def test_uncancelling_in_the_debrief_makes_the_call_done(store):
    call_id = held_call(store)
    store.calls.set_outcome(call_id, Outcome.CANCELLED)
    assert store.calls.plan(call_id).status is CallStatus.CANCELLED
    store.calls.secure(call_id, AdvanceLevel.TARGET)
    plan = store.calls.plan(call_id)
    assert plan.status is CallStatus.DONE and plan.outcome is Outcome.ADVANCE


def test_survives_reopening_the_file(store, db_path):
    call_id = held_call(store)
    store.debriefs.finish(
        call_id, None, follow_up_at=datetime(2026, 11, 30, 9, tzinfo=UTC), lessons="kept", follow_up=date(2026, 11, 30)
    )
    store.engine.dispose()
    reopened = open_store(db_path, owner="tester")
    try:
        debrief = reopened.debriefs.get(call_id)
        assert debrief.lessons == "kept" and debrief.follow_up == date(2026, 11, 30) and debrief.next_call_id
    finally:
        reopened.engine.dispose()
