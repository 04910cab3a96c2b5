"""Coaching notes and riders in the store (SQLite and PostgreSQL), and the pure coaching rules."""

from __future__ import annotations

from datetime import timedelta

import pytest

from salestui.domain.coaching import (
    BadPart,
    HeldCall,
    Part,
    Pin,
    coaching_pays,
    not_addressed,
    parse_part,
    part_label,
    sorted_by_part,
)
from salestui.domain.enums import AdvanceLevel, Outcome
from salestui.domain.readiness import readiness
from salestui.store import coaching
from salestui.store.accounts import InvalidInput
from salestui.store.core import NotFound

HOSTILE = "[TODO] call [/] back [b]now"


def _planned(store, now):  # type: ignore[no-untyped-def]
    account = store.accounts.create("Acme")
    call_id = store.calls.create(account.id, now + timedelta(days=1), objective="Agree the pilot")
    store.calls.add_objection(call_id, "Too expensive", "Phase it")
    store.calls.add_objection(call_id, "Not this quarter", "Small step now")
    store.calls.set_advance(call_id, AdvanceLevel.TARGET, "Agrees to a 30-day pilot", "CFO", None)
    return call_id


def test_notes_pin_to_parts_show_on_the_plan_and_in_readiness(any_store, frozen_now):
    store = any_store
    call_id = _planned(store, frozen_now)
    plan = store.calls.plan(call_id)
    second = plan.objections[1]

    whole = coaching.add_note(store, call_id, HOSTILE)
    rung = coaching.add_note(store, call_id, "Name the date", parse_part("target", plan))
    objection = coaching.add_note(store, call_id, "Ask what forces the timing", parse_part("objection:2", plan))
    assert (whole.part, whole.author, whole.text) == ("plan", "tester", HOSTILE)
    assert (objection.part, objection.part_id) == ("objection", second.id)

    plan = store.calls.plan(call_id)
    assert [n.id for n in plan.coaching] == [whole.id, rung.id, objection.id]
    assert [part_label(n, plan) for n in plan.coaching] == [
        "Whole plan",
        "Target rung",
        "Objection: Not this quarter",
    ]
    assert not_addressed(plan) == "3 coaching notes not addressed"
    assert "3 coaching notes not addressed" in readiness(plan).missing

    coaching.set_done(store, rung.id)
    coaching.set_done(store, objection.id)
    plan = store.calls.plan(call_id)
    assert [n.done for n in plan.coaching] == [False, True, True]
    assert plan.coaching[1].done_at == frozen_now
    assert "1 coaching note not addressed" in readiness(plan).missing
    assert [n.id for n in sorted_by_part(plan.coaching, plan)] == [whole.id, rung.id, objection.id]
    coaching.set_done(store, whole.id)
    assert not any("coaching" in m for m in readiness(store.calls.plan(call_id)).missing)

    coaching.set_done(store, whole.id, done=False)  # open again
    listed = coaching.notes(store, call_id)
    assert [(n.id, n.done) for n, _ in listed] == [(whole.id, False), (rung.id, True), (objection.id, True)]
    assert listed[0][1].account_name == "Acme"
    assert [n.id for n, _ in coaching.notes(store)][0] == whole.id  # every planned call's, open first

    coaching.delete_note(store, rung.id)
    assert len(store.calls.plan(call_id).coaching) == 2


def test_bad_notes_are_refused_in_plain_words(any_store, frozen_now):
    store = any_store
    call_id = _planned(store, frozen_now)
    plan = store.calls.plan(call_id)
    with pytest.raises(InvalidInput, match="needs some text"):
        coaching.add_note(store, call_id, "   ")
    with pytest.raises(NotFound, match="no call #999"):
        coaching.add_note(store, 999, "x")
    with pytest.raises(BadPart, match="it has 2"):
        parse_part("objection:3", plan)
    with pytest.raises(BadPart, match="it has none"):
        parse_part("question:1", plan)
    with pytest.raises(BadPart, match="not a part"):
        parse_part("price", plan)
    with pytest.raises(BadPart, match="takes no number"):
        parse_part("target:1", plan)
    assert parse_part(" Objection 1 ", plan) == Pin(Part.OBJECTION, plan.objections[0].id)
    other = store.calls.create(plan.account_id, objective="another")
    foreign = store.calls.add_objection(other, "Elsewhere", "")
    with pytest.raises(InvalidInput, match="not on this call"):
        coaching.add_note(store, call_id, "x", Pin(Part.OBJECTION, foreign))
    assert store.calls.plan(call_id).coaching == ()


def test_riders_and_what_they_saw(any_store, frozen_now):
    store = any_store
    call_id = _planned(store, frozen_now)
    riders = coaching.set_riders(store, call_id, ["Maria", " maria ", "Tom  Lee", ""])
    assert [r.name for r in riders] == ["Maria", "Tom Lee"]
    saw = coaching.save_saw(store, riders[0].id, "You talked 70% of the time.\n[/] pause more")
    assert saw.saw_at == frozen_now
    riders = coaching.set_riders(store, call_id, ["Maria"])  # Tom no longer rides; Maria's words stay
    plan = store.calls.plan(call_id)
    assert [(r.name, r.saw) for r in plan.riders] == [("Maria", "You talked 70% of the time.\n[/] pause more")]


def test_team_upcoming_and_held_comparison(any_store, frozen_now):
    store = any_store
    call_id = _planned(store, frozen_now)
    coaching.add_note(store, call_id, "one")
    coaching.set_riders(store, call_id, ["Maria"])
    upcoming = coaching.upcoming_by_rep(store)
    assert [(c.id, c.owner, c.coached, c.open_notes, c.riders) for c in upcoming] == [
        (call_id, "tester", 1, 1, ("Maria",))
    ]
    account = store.calls.plan(call_id).account_id
    for number in range(7):
        held = store.calls.create(account, frozen_now - timedelta(days=number + 1), objective=f"held {number}")
        store.calls.set_outcome(held, Outcome.ADVANCE if number < 4 else Outcome.CONTINUATION)
        if number < 2:
            coaching.add_note(store, held, "coached")
        if number == 0:
            coaching.set_riders(store, held, ["Maria"])
    facts = coaching.held_calls(store)
    expected = [HeldCall(True, True, True), HeldCall(True, True, False)]  # advanced, coached, ridden
    expected += [HeldCall(True, False, False)] * 2 + [HeldCall(False, False, False)] * 3
    assert sorted(facts, key=repr) == sorted(expected, key=repr)
    coached, ridden = coaching_pays(facts)
    assert (coached.helped.calls, coached.helped.advances, coached.helped.rate) == (2, 2, None)
    assert (coached.alone.calls, coached.alone.advances) == (5, 2)
    assert coached.alone.rate == pytest.approx(0.4)
    assert coached.line() == "coached 2/2 advanced, too few for a rate (5 needed) · uncoached 40% of 5 calls"
    assert not coached.comparable
    assert ridden.helped.describe().startswith("with a rider 1/1 advanced, too few")
    assert coaching_pays([])[0].line() == "coached: no calls yet · uncoached: no calls yet"
    assert coaching.held_calls(store, owner="nobody") == []


def _coached_store(tmp_path, now):  # type: ignore[no-untyped-def]
    from salestui.store.core import open_store

    store = open_store(tmp_path / "coached.db", owner="rep")
    call_id = _planned(store, now)
    plan = store.calls.plan(call_id)
    note = coaching.add_note(store, call_id, HOSTILE, parse_part("objection:2", plan))
    coaching.add_note(store, call_id, "Say the number")
    coaching.set_done(store, note.id)
    rider = coaching.set_riders(store, call_id, ["Maria"])[0]
    coaching.save_saw(store, rider.id, "Good [b]pace[/b]")
    return store, call_id


def test_json_export_and_import_carry_coaching_and_riders(tmp_path, frozen_now):
    from salestui.io.json_io import dump_json, export_json, import_json
    from salestui.store.core import open_store

    store, call_id = _coached_store(tmp_path, frozen_now)
    document = export_json(store)
    call = next(c for c in document["calls"] if c["id"] == call_id)
    assert [n["text"] for n in call["coaching_notes"]] == [HOSTILE, "Say the number"]
    assert call["coaching_notes"][0]["done"] is True and call["coaching_notes"][0]["part"] == "objection"
    assert [(r["name"], r["saw"]) for r in call["riders"]] == [("Maria", "Good [b]pace[/b]")]
    path = tmp_path / "export.json"
    path.write_text(dump_json(store), encoding="utf-8")
    target = open_store(tmp_path / "restored.db", owner="rep")
    import_json(target, path)
    assert target.calls.plan(call_id) == store.calls.plan(call_id)
    assert dump_json(target) == dump_json(store)
    # A version 3 file (before coaching) still imports, with none.
    import json

    old = json.loads(path.read_text(encoding="utf-8"))
    old["version"] = 3
    for item in old["calls"]:
        del item["coaching_notes"], item["riders"]
    path.write_text(json.dumps(old), encoding="utf-8")
    again = open_store(tmp_path / "from-v3.db", owner="rep")
    import_json(again, path)
    assert again.calls.plan(call_id).coaching == () and again.calls.plan(call_id).riders == ()
    for opened in (store, target, again):
        opened.close()


def test_migrate_to_postgresql_carries_coaching_and_riders(tmp_path, frozen_now, pg_url):
    from salestui.store.core import open_store
    from salestui.store.transfer import copy_database, open_source, prepare_target

    store, call_id = _coached_store(tmp_path, frozen_now)
    expected = store.calls.plan(call_id)
    store.close()
    source, target = open_source(str(tmp_path / "coached.db")), prepare_target(pg_url)
    counts = {c.table: (c.source, c.target) for c in copy_database(source, target)}
    source.dispose()
    target.dispose()
    assert counts["coaching_note"] == (2, 2) and counts["call_rider"] == (1, 1)
    copied = open_store(pg_url, owner="rep")
    assert copied.calls.plan(call_id) == expected
    assert coaching.add_note(copied, call_id, "after the move").id == 3  # the sequence moved on
    copied.close()
