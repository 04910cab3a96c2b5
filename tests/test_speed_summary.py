"""Migration 0019_speed's open follow-ups (``stats_summary_follow_up``): the triggers keep the table
equal to computing it from the calls after every kind of write, on SQLite and PostgreSQL, and
doctor finds and mends a table that drifted (SQLite)."""

from __future__ import annotations

import importlib
import random
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from salestui.domain.review import ReviewFilter
from salestui.store.core import Store

speed = importlib.import_module("salestui.store.migrations.versions.0019_speed")


def _stored(store: Store) -> list[tuple[int, int, str]]:
    with store.reading() as session:
        rows = session.execute(sa.text(f"SELECT call_id, account_id, follow_up FROM {speed.TABLE}")).all()
    return sorted((int(c), int(a), str(f)) for c, a, f in rows)


def _computed(store: Store) -> list[tuple[int, int, str]]:
    with store.reading() as session:
        rows = session.execute(sa.text(speed.OPEN.format(where="true"))).all()
    return sorted((int(c), int(a), str(f)) for c, a, f in rows)


def _agrees(store: Store) -> list[tuple[int, int, str]]:
    stored = _stored(store)
    assert stored == _computed(store)
    return stored


def _sql(store: Store, statement: str, **values: object) -> None:
    with store.engine.begin() as connection:
        connection.execute(sa.text(statement), values)


def _call(store: Store, account: int, when: datetime | None, status: str = "done") -> int:
    with store.engine.begin() as connection:
        return int(
            connection.execute(
                sa.text(
                    "INSERT INTO call (account_id, scheduled_at, kind, status, objective, goal, strategy,"
                    " expected_return, owner, version, created_at, updated_at)"
                    " VALUES (:a, :w, 'demo', :s, '', '', '', '', :o, 1, :n, :n) RETURNING id"
                ),
                {"a": account, "w": when, "s": status, "o": store.owner, "n": datetime(2026, 1, 1)},
            ).scalar_one()
        )


def _debrief(store: Store, call: int, follow_up: date | None, finished: bool = True) -> None:
    _sql(
        store,
        "INSERT INTO debrief (call_id, went_well, do_differently, customer_feedback, lessons, next_step,"
        " follow_up, rating, version, finished_at, created_at, updated_at)"
        " VALUES (:c, '', '', '', '', '', :f, 3, 1, :fin, :n, :n)",
        c=call,
        f=follow_up,
        fin=datetime(2026, 1, 2) if finished else None,
        n=datetime(2026, 1, 1),
    )


def test_the_triggers_keep_open_follow_ups_through_every_write(store):
    acme, globex = store.accounts.create("Acme").id, store.accounts.create("Globex").id
    base = datetime(2026, 3, 2, 10)
    first = _call(store, acme, base)
    _debrief(store, first, date(2026, 3, 9))
    assert [row[0] for row in _agrees(store)] == [first]
    # A later call follows it up; cancelled, it no longer does.
    later = _call(store, acme, base + timedelta(days=5), "planned")
    assert _agrees(store) == []
    _sql(store, "UPDATE call SET status = 'cancelled' WHERE id = :i", i=later)
    assert [row[0] for row in _agrees(store)] == [first]
    _sql(store, "UPDATE call SET status = 'planned' WHERE id = :i", i=later)
    assert _agrees(store) == []
    # Moved before the first call, or to another account: no longer later.
    _sql(store, "UPDATE call SET scheduled_at = :w WHERE id = :i", w=base - timedelta(days=1), i=later)
    assert [row[0] for row in _agrees(store)] == [first]
    _sql(
        store,
        "UPDATE call SET scheduled_at = :w, account_id = :g WHERE id = :i",
        w=base + timedelta(days=9),
        g=globex,
        i=later,
    )
    assert [row[0] for row in _agrees(store)] == [first]
    # The debrief's date, its finishing, its call.
    _sql(store, "UPDATE debrief SET follow_up = :f WHERE call_id = :c", f=date(2026, 4, 1), c=first)
    assert _agrees(store) == [(first, acme, "2026-04-01")]
    _sql(store, "UPDATE debrief SET finished_at = NULL WHERE call_id = :c", c=first)
    assert _agrees(store) == []
    _sql(store, "UPDATE debrief SET finished_at = :n WHERE call_id = :c", n=datetime(2026, 4, 2), c=first)
    assert len(_agrees(store)) == 1
    _sql(store, "UPDATE debrief SET call_id = :l WHERE call_id = :c", l=later, c=first)
    assert [row[0] for row in _agrees(store)] == [later]
    # A call with no time is never followed; a follow-up date removed.
    undated = _call(store, globex, None)
    _debrief(store, undated, date(2026, 2, 1))
    assert {row[0] for row in _agrees(store)} == {later, undated}
    _sql(store, "UPDATE debrief SET follow_up = NULL WHERE call_id = :c", c=undated)
    assert [row[0] for row in _agrees(store)] == [later]
    # Deletes: the debrief, the call (its debrief goes by the cascade), the whole account.
    _debrief(store, first, date(2026, 3, 9))
    _sql(store, "DELETE FROM debrief WHERE call_id = :c", c=later)
    _agrees(store)
    _debrief(store, later, date(2026, 5, 1))
    _sql(store, "DELETE FROM call WHERE id = :c", c=later)
    _agrees(store)
    store.accounts.delete(globex)
    assert _agrees(store) == [(first, acme, "2026-03-09")]
    store.accounts.delete(acme)
    assert _agrees(store) == []


def test_random_writes_keep_the_table_and_the_review_count_right(store, frozen_now):
    rng = random.Random(19)
    accounts = [store.accounts.create(f"Account {n}").id for n in range(8)]
    calls: list[int] = []
    debriefed: set[int] = set()
    start = frozen_now.astimezone(UTC).replace(tzinfo=None) - timedelta(days=60)
    for _step in range(120):
        action = rng.random()
        when = None if rng.random() < 0.1 else start + timedelta(days=rng.randint(0, 70), hours=rng.randint(0, 3))
        if action < 0.35 or not calls:
            calls.append(_call(store, rng.choice(accounts), when, rng.choice(("done", "planned", "cancelled"))))
        elif action < 0.65:
            call = rng.choice(calls)
            if call not in debriefed:
                _debrief(store, call, (when or start).date() + timedelta(days=rng.randint(-5, 30)), rng.random() < 0.8)
                debriefed.add(call)
        elif action < 0.75:
            _sql(store, "UPDATE call SET scheduled_at = :w WHERE id = :i", w=when, i=rng.choice(calls))
        elif action < 0.85:
            _sql(
                store,
                "UPDATE call SET status = :s WHERE id = :i",
                s=rng.choice(("done", "cancelled")),
                i=rng.choice(calls),
            )
        elif action < 0.92:
            _sql(store, "UPDATE call SET account_id = :a WHERE id = :i", a=rng.choice(accounts), i=rng.choice(calls))
        else:
            gone = calls.pop(rng.randrange(len(calls)))
            debriefed.discard(gone)
            _sql(store, "DELETE FROM call WHERE id = :i", i=gone)
        _agrees(store)
    # The count stats show and the review filter agree with the rule computed from the calls.
    review = store.review
    listed = review.count(ReviewFilter(follow_up_overdue=True))
    with store.reading() as session:
        assert review._overdue_count(session) == listed
    from salestui.store.rules import CALL

    due = {call for call, _account, follow_up in _computed(store) if follow_up < frozen_now.date().isoformat()}
    with store.reading() as session:
        rows = session.execute(
            sa.select(CALL.c.id, CALL.c.status, CALL.c.scheduled_at, CALL.c.outcome, CALL.c.started_at)
        ).all()
    in_review = {
        call
        for call, status, when, outcome, started in rows
        if outcome or status != "planned" or started or (when is not None and when <= frozen_now)
    }
    assert listed == len(due & in_review) > 0


@pytest.mark.sqlite_only("doctor checks and repairs a SQLite file")
def test_doctor_finds_and_mends_a_drifted_table(store, db_path):
    from salestui.store import doctor

    acme = store.accounts.create("Acme").id
    call = _call(store, acme, datetime(2026, 3, 2, 10))
    _debrief(store, call, date(2026, 3, 9))
    _sql(store, "UPDATE call SET outcome = 'advance' WHERE id = :i", i=call)
    store.engine.dispose()
    assert doctor.sound(doctor.diagnose(db_path))
    import sqlite3

    raw = sqlite3.connect(db_path)
    raw.execute(f"DELETE FROM {speed.TABLE}")
    raw.execute("DROP TRIGGER follow_up_call_ai")
    raw.execute(f"UPDATE {speed.HELD} SET held = held + 1")
    raw.commit()
    raw.close()
    findings = doctor.diagnose(db_path)
    [finding] = [f for f in findings if f.check == "open follow-ups"]
    assert not finding.ok and "1 call(s)" in finding.detail and "trigger" in finding.detail
    [held] = [f for f in findings if f.check == "held calls by day"]
    assert not held.ok and "differ" in held.detail
    done = doctor.repair(db_path, findings)
    assert any("follow-up" in line for line in done) and any("held call" in line for line in done)
    assert doctor.sound(doctor.diagnose(db_path))
    raw = sqlite3.connect(db_path)
    assert raw.execute(f"SELECT call_id FROM {speed.TABLE}").fetchall() == [(call,)]
    assert raw.execute("SELECT 1 FROM sqlite_master WHERE name = 'follow_up_call_ai'").fetchone() is not None
    raw.close()


# -- held calls by day (stats_summary_held) ----------------------------------------------------------
def _held_stored(store: Store) -> list[tuple[str, str, str, str, int, int, int]]:
    with store.reading() as session:
        rows = session.execute(
            sa.text(
                f"SELECT owner, day, kind, band, held, advanced, reached FROM {speed.HELD}"
                " WHERE held != 0 OR advanced != 0 OR reached != 0"
            )
        ).all()
    return sorted((str(o), str(d), str(k), str(b), int(h), int(a), int(r)) for o, d, k, b, h, a, r in rows)


def _held_computed(store: Store) -> list[tuple[str, str, str, str, int, int, int]]:
    dialect = store.engine.dialect.name
    with store.reading() as session:
        rows = session.execute(sa.text(speed.held_counts(dialect, "call AS r"))).all()
    return sorted((str(o), str(d), str(k), str(b), int(h), int(a), int(r)) for o, d, k, b, h, a, r in rows)


def _held_agrees(store: Store) -> list[tuple[str, str, str, str, int, int, int]]:
    stored = _held_stored(store)
    assert stored == _held_computed(store)
    return stored


def test_the_held_summary_bands_are_the_domains():
    from salestui.domain import forecast as fc
    from salestui.domain import readiness

    assert (speed.LOW_BELOW, speed.HIGH_FROM) == (readiness.LOW_BELOW, readiness.HIGH_FROM)
    assert speed.NOT_RECORDED == fc.NOT_RECORDED


def test_the_held_summary_follows_every_write(store, frozen_now):
    from salestui.domain.enums import AdvanceLevel, CallKind, Outcome
    from tests.test_forecast_store import _held

    acme = store.accounts.create("Acme").id
    week_ago = frozen_now - timedelta(days=7)
    first = _held(store, acme, week_ago, CallKind.DEMO, Outcome.ADVANCE, AdvanceLevel.TARGET, prepared=True)
    second = _held(store, acme, week_ago, CallKind.DEMO, Outcome.ADVANCE, AdvanceLevel.FALLBACK)
    third = _held(store, acme, frozen_now - timedelta(days=30), CallKind.DISCOVERY, Outcome.LOST, started=False)
    rows = _held_agrees(store)
    assert sum(row[4] for row in rows) == 3 and sum(row[6] for row in rows) == 1
    # The secured rung moves (advance trigger pairs), the outcome changes, the call moves in time.
    store.calls.secure(second, AdvanceLevel.STRETCH)
    assert sum(row[6] for row in _held_agrees(store)) == 2
    store.calls.set_outcome(first, Outcome.CONTINUATION)
    assert sum(row[5] for row in _held_agrees(store)) == 1
    store.calls.update(second, started_at=frozen_now - timedelta(days=40), ended_at=frozen_now - timedelta(days=40))
    _held_agrees(store)
    _sql(store, "UPDATE call SET readiness_at_start = 95, kind = 'proposal' WHERE id = :i", i=third)
    _sql(store, "UPDATE advance SET secured = false WHERE call_id = :i", i=second)
    _sql(store, "UPDATE call SET outcome = 'cancelled' WHERE id = :i", i=third)
    _held_agrees(store)
    _sql(store, "DELETE FROM advance WHERE call_id = :i", i=first)
    _sql(store, "DELETE FROM call WHERE id = :i", i=second)
    _held_agrees(store)
    store.accounts.delete(acme)
    assert _held_agrees(store) == []


@pytest.mark.parametrize("zone", ["UTC", "Asia/Kolkata", "America/St_Johns", "Pacific/Kiritimati"])
def test_held_groups_from_the_summary_equal_counting_the_calls(store, monkeypatch, zone):
    """Weeks start at local midnight: inside a UTC day in most zones (that day is counted live)."""
    from salestui.domain import clock
    from salestui.domain import forecast as fc
    from salestui.domain.enums import AdvanceLevel, CallKind, Outcome
    from salestui.store import forecast as sf
    from tests.test_forecast_store import _held

    monkeypatch.setenv("TZ", zone)
    clock.freeze(datetime(2026, 11, 25, 9, 0, tzinfo=UTC))
    try:
        acme = store.accounts.create("Acme").id
        fc_ladder = (AdvanceLevel.STRETCH, AdvanceLevel.TARGET, AdvanceLevel.FALLBACK)
        rng = random.Random(34)
        moment = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
        for _ in range(40):
            when = moment - timedelta(hours=rng.randint(1, 24 * 7 * 12))
            outcome = rng.choice((Outcome.ADVANCE, Outcome.CONTINUATION, Outcome.LOST))
            level = rng.choice(list(fc_ladder)) if outcome is Outcome.ADVANCE else None
            _held(store, acme, when, rng.choice(list(CallKind)), outcome, level, prepared=rng.random() < 0.5)
        starts = fc.week_starts(clock.today(), 10, 2)

        def tallies(groups: list[fc.HeldGroup]) -> dict[tuple[str, int, str, str], fc.Tally]:
            out: dict[tuple[str, int, str, str], fc.Tally] = {}
            for g in groups:
                key = (g.owner or store.owner, g.week, g.kind, g.band)
                out[key] = out.get(key, fc.Tally()) + g.tally
            return out

        summed, counted = tallies(sf.held_groups(store, starts, 10)), tallies(sf.held_calls(store, starts, 10))
        assert summed == counted
        assert sum(t.held for t in summed.values()) >= 30  # the calls of the last 10 weeks and more
    finally:
        clock.freeze(None)
