"""iCalendar export: parsed back with the icalendar library, stable UIDs, updates not duplicates."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta

import pytest
from icalendar import Calendar

from salestui.io.ics import calendar_ics
from salestui.store.core import Store
from tests.golden_files import GOLDEN, assert_golden

TRICKY = "Objections; commas, backslash \\ [TODO] — «Müller» and a long line " + "x" * 90


@pytest.fixture
def cal_store(demo_store: Store, frozen_now: datetime) -> Store:
    """Demo data plus a follow-up date ahead and text that needs RFC 5545 escaping and folding."""
    account = demo_store.accounts.find_by_name("Stark Logistics")
    assert account is not None
    call = demo_store.calls.history(account.id)[0].id
    demo_store.debriefs.save(call, next_step=TRICKY, follow_up=date(2026, 11, 30))
    upcoming = demo_store.calls.create(account.id, frozen_now + timedelta(days=2, hours=5), objective=TRICKY)
    demo_store.calls.add_objection(upcoming, "Too expensive", "Phase it; cost of the problem")
    demo_store.calls.create(account.id, frozen_now - timedelta(hours=1), objective="already past")
    _set_database_id(demo_store, DATABASE_ID)
    return demo_store


DATABASE_ID = "5a1e5d1b"


def _set_database_id(store: Store, value: str) -> None:
    """A fixed database id, so the golden file's UIDs are stable."""
    from salestui.store import tables as t
    from salestui.store.calendar import DATABASE_ID_SETTING

    with store.transaction() as session:
        row = session.get(t.Setting, DATABASE_ID_SETTING)
        assert row is not None  # made by migration 0009_import_origin
        row.value = value


def _events(text: str) -> dict[str, object]:
    calendar = Calendar.from_ical(text)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def _content(text: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """Every component parsed back, properties decoded and sorted: equal across library releases
    that order or fold lines differently."""
    return [
        (component.name, sorted((name, str(component.decoded(name))) for name in component))
        for component in Calendar.from_ical(text).walk()
    ]


def test_matches_the_golden_file(cal_store: Store) -> None:
    text = calendar_ics(cal_store)
    if os.environ.get("SALESTUI_UPDATE_GOLDEN") == "1":
        assert_golden("calendar.ics", text)
    golden = (GOLDEN / "calendar.ics").read_bytes().decode("utf-8")
    assert _content(text) == _content(golden)


def test_parsed_back(cal_store: Store) -> None:
    text = calendar_ics(cal_store)
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert all(len(line.encode("utf-8")) <= 75 for line in text.split("\r\n"))  # folded (RFC 5545 3.1)
    events = _events(text)
    planned = [c for c in cal_store.calls.upcoming(limit=100) if c.scheduled_at is not None]
    assert {f"call-{c.id}-{DATABASE_ID}@salestui" for c in planned} <= set(events)
    assert not any("already past" in str(e.get("SUMMARY")) for e in events.values())
    call_event = next(e for e in events.values() if TRICKY in str(e["SUMMARY"]))
    start = call_event.decoded("DTSTART")  # type: ignore[attr-defined]
    assert start == datetime(2026, 11, 25, 14, 0, tzinfo=UTC)
    assert call_event.decoded("DTEND") - start == timedelta(hours=1)  # type: ignore[attr-defined]
    assert "Too expensive → Phase it; cost of the problem" in str(call_event["DESCRIPTION"])
    follow = [e for uid, e in events.items() if uid.startswith("followup-")]
    assert len(follow) == 1
    assert follow[0].decoded("DTSTART") == date(2026, 11, 30)  # type: ignore[attr-defined]
    assert str(follow[0]["SUMMARY"]) == "Follow up: Stark Logistics"
    assert TRICKY in str(follow[0]["DESCRIPTION"])  # escaping survives the round trip


def test_uids_are_stable_and_changes_raise_the_sequence(cal_store: Store, frozen_now: datetime) -> None:
    first = _events(calendar_ics(cal_store))
    call_uid = next(uid for uid in first if uid.startswith("call-"))
    call_id = int(call_uid.split("-")[1])
    plan = cal_store.calls.plan(call_id)
    cal_store.calls.update(call_id, plan.version, scheduled_at=frozen_now + timedelta(days=20))
    second = _events(calendar_ics(cal_store))
    assert set(second) == set(first)  # same events: a re-import updates them
    assert int(second[call_uid]["SEQUENCE"]) > int(first[call_uid]["SEQUENCE"])  # type: ignore[index]
    assert second[call_uid].decoded("DTSTART") == frozen_now + timedelta(days=20)  # type: ignore[attr-defined]


def test_same_data_same_file(cal_store: Store) -> None:
    assert calendar_ics(cal_store) == calendar_ics(cal_store)


def test_one_account(cal_store: Store) -> None:
    account = cal_store.accounts.find_by_name("Initech")
    assert account is not None
    events = _events(calendar_ics(cal_store, account.id))
    assert events and all("Initech" in str(e["SUMMARY"]) for e in events.values())


def test_uids_differ_between_databases(tmp_path, frozen_now: datetime) -> None:
    """Two databases (two reps) both have a call 1: their events must not share a UID."""
    from salestui.io.ics import parse_uid
    from salestui.store.calendar import database_id
    from salestui.store.core import open_store

    uids = []
    ids = []
    for name in ("a.db", "b.db"):
        store = open_store(tmp_path / name, owner="tester")
        account = store.accounts.create("Acme")
        store.calls.create(account.id, frozen_now + timedelta(days=1))
        uids.append(next(iter(_events(calendar_ics(store)))))
        ids.append(database_id(store))
        assert database_id(store) == ids[-1]  # made once, stable
        store.close()
    assert uids[0] != uids[1]
    assert uids[0] == f"call-1-{ids[0]}@salestui" and len(ids[0]) == 8
    assert parse_uid(uids[0], ids[0]) == ("call", 1)
    assert parse_uid(uids[0], ids[1]) is None  # another database's call is a meeting like any other
    assert parse_uid("call-1@salestui", ids[1]) == ("call", 1)  # exports made before the ids
