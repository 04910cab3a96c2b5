"""Coaching on a team database: row-level security of migration 0017_coaching with two rep logins
and a manager (none a superuser): the manager adds notes to any rep's call, the call's owner marks
them done, another rep is refused, in plain SQL and through the store; riders write what they saw."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.exc import DBAPIError

from salestui.domain.clock import now
from salestui.store import coaching
from salestui.store.core import NotYours, StoreError, open_store
from tests.test_team_rls import run_as

INSERT = (
    "INSERT INTO coaching_note (call_id, part, text, author, done, created_at, updated_at)"
    " VALUES (:call, 'plan', :text, current_user, false, now(), now())"
)


def test_manager_coaches_owner_marks_done_other_rep_refused(logins):
    open_store(logins.admin, owner="admin").close()  # the administrator sets the team database up
    alice = open_store(logins.rep_a)
    bob = open_store(logins.rep_b)
    manager = open_store(logins.manager)
    call_id = alice.calls.create(alice.accounts.create("Acme").id, now() + timedelta(days=1), objective="Pilot")
    bobs_call = bob.calls.create(bob.accounts.create("Globex").id, objective="Bob's")

    # Through the store.
    note = coaching.add_note(manager, call_id, "Lead with the cost of downtime")
    assert note.author == logins.names["m"]
    own = coaching.add_note(alice, call_id, "From Maria's ride-along: slow down")
    with pytest.raises(NotYours, match="Only a manager or the call's own rep"):
        coaching.add_note(bob, call_id, "Planted by Bob")
    with pytest.raises(NotYours, match="Only the call's own rep marks"):
        coaching.set_done(bob, note.id)
    with pytest.raises(NotYours, match="Only the call's own rep marks"):
        coaching.set_done(manager, note.id)
    done = coaching.set_done(alice, note.id)
    assert done.done and done.done_at is not None
    with pytest.raises(NotYours, match="Only whoever wrote"):
        coaching.delete_note(alice, note.id)  # the manager's words stay; Alice marks them done
    coaching.add_note(manager, bobs_call, "Bob: ask for the CFO")
    assert [n.text for n in alice.calls.plan(call_id).coaching] == [
        "Lead with the cost of downtime",
        "From Maria's ride-along: slow down",
    ]

    # In plain SQL: the policies, not the Python code, refuse.
    b, m, a = logins.rep_b, logins.manager, logins.rep_a
    with pytest.raises(DBAPIError, match="row-level security"):
        run_as(b, INSERT, call=call_id, text="Bob again")
    with pytest.raises(DBAPIError, match="row-level security"):  # nor in someone else's name
        run_as(a, INSERT.replace("current_user", f"'{logins.names['m']}'"), call=call_id, text="forged")
    assert run_as(m, INSERT, call=call_id, text="Manager in SQL") == 1
    assert run_as(b, "UPDATE coaching_note SET done = true, text = 'x' WHERE call_id = :c", c=call_id) == 0
    assert run_as(b, "DELETE FROM coaching_note WHERE call_id = :c", c=call_id) == 0
    assert run_as(a, "UPDATE coaching_note SET done = true WHERE call_id = :c", c=call_id) == 3
    assert run_as(a, "DELETE FROM coaching_note WHERE id = :n", n=own.id) == 1  # her own note
    assert run_as(m, "DELETE FROM coaching_note WHERE call_id = :c", c=bobs_call) == 1
    assert [(n.text, n.done) for n in alice.calls.plan(call_id).coaching] == [
        ("Lead with the cost of downtime", True),
        ("Manager in SQL", True),
    ]

    # Riders: Alice names Bob; only Bob (or Alice) writes what he saw; the manager writes nothing else.
    riders = coaching.set_riders(alice, call_id, [logins.names["b"]])
    with pytest.raises(NotYours, match="Only the call's own rep names"):
        coaching.set_riders(bob, call_id, [logins.names["b"], "planted"])
    saw = coaching.save_saw(bob, riders[0].id, "You let the CFO talk: good.")
    assert saw.saw == "You let the CFO talk: good."
    with pytest.raises(NotYours, match="Only the colleague who rode along"):
        coaching.save_saw(manager, riders[0].id, "not there")
    assert run_as(m, "UPDATE call_rider SET saw = 'x'") == 0
    with pytest.raises(DBAPIError, match="permission denied"):
        run_as(m, "UPDATE objection SET text = 'x'")  # still read-only everywhere else
    with pytest.raises(StoreError, match="lacks the rights"):
        manager.calls.create(manager.accounts.create("Initech").id)
    for store in (alice, bob, manager):
        store.close()


def test_coaching_tables_have_forced_row_level_security(logins):
    """Both new tables are bound for their owner too (FORCE), as every rep table of 0010 is."""
    open_store(logins.admin, owner="admin").close()
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    engine = create_engine(logins.admin, poolclass=NullPool)
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class"
                " WHERE relname IN ('coaching_note', 'call_rider') ORDER BY relname"
            )
        ).all()
    engine.dispose()
    assert [tuple(r) for r in rows] == [("call_rider", True, True), ("coaching_note", True, True)]
