"""Deleting a call never clears another rep's link to it (issue 29, migration 0018_team_links).

``call.carried_from_call_id`` and ``debrief.next_call_id`` are ``ON DELETE SET NULL``; foreign-key
actions run past row-level security, so before 0018 alice's delete quietly nulled bob's links.
Against CI's PostgreSQL with two real rep logins (``tests.test_team_rls.team_logins``): the
database refuses such a delete naming whose and how many, the app says so in one line before
asking, and links between one rep's own calls still clear as before.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from salestui import call_actions
from salestui.app import SalesApp
from salestui.domain.enums import Outcome
from salestui.modals.confirm import Confirm
from salestui.store.core import StoreError, open_store
from salestui.store.owner import call_delete_refusal, delete_refusal
from tests.helpers import settle, toasts, wait_ready
from tests.test_team_rls import Logins, run_as


def _links(url: str, call_id: int) -> tuple[object, object]:
    """A call's ``carried_from_call_id`` and its debrief's ``next_call_id``."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            row = connection.execute(
                text(
                    'SELECT c.carried_from_call_id, d.next_call_id FROM "call" c'
                    " LEFT JOIN debrief d ON d.call_id = c.id WHERE c.id = :c"
                ),
                {"c": call_id},
            ).one()
            return row[0], row[1]
    finally:
        engine.dispose()


def _team(logins: Logins, now):  # type: ignore[no-untyped-def]
    """Alice's "Initech" with a held, debriefed call; bob's call on it carried over from that call."""
    alice, bob = open_store(logins.rep_a), open_store(logins.rep_b)
    initech = alice.accounts.create("Initech")
    held = alice.calls.create(initech.id, now - timedelta(days=3), objective="Alice's first call")
    alice.calls.add_objection(held, "Too expensive", "Phase it")
    alice.calls.set_outcome(held, Outcome.CONTINUATION)
    alice.debriefs.finish(held, lessons="Ask about budget")
    bobs = bob.calls.create(initech.id, now + timedelta(days=2), objective="Bob's follow-up")
    bob.calls.pull_carry_over(bobs, "")  # p on her account, then carry-over from her debrief
    return alice, bob, initech.id, held, bobs


def test_deleting_a_call_another_rep_carried_over_from_is_refused_naming_whose(logins, frozen_now):
    alice, bob, _initech, held, bobs = _team(logins, frozen_now)
    b = logins.names["b"]
    assert _links(logins.superuser, bobs)[0] == held  # the link the delete would clear

    with pytest.raises(StoreError) as refused:
        alice.calls.delete(held)
    message = str(refused.value)
    assert "\n" not in message and "CONTEXT" not in message
    assert message.startswith("call with 'Initech' on ")
    assert f"has 1 call of {b}'s linked to it" in message and f"ask {b} to delete it first" in message
    # Raw SQL as alice (a rep with psql): refused the same way, whatever the client.
    with pytest.raises(DBAPIError, match=f"1 call of {b}'s linked to it"):
        run_as(logins.rep_a, 'DELETE FROM "call" WHERE id = :c', c=held)
    # Nothing changed: her call, its debrief, his link.
    assert alice.calls.plan(held).debrief is not None
    assert _links(logins.superuser, bobs)[0] == held
    # The app's own check says it before asking, in the same words (the date as the app shows it).
    before = call_delete_refusal(alice, held)
    assert before is not None and f"has 1 call of {b}'s linked to it" in before
    assert before.split(" on ")[0] == message.split(" on ")[0] == "call with 'Initech'"
    assert call_delete_refusal(alice, bobs) is None  # nothing links to bob's call
    alice.close()
    bob.close()


def test_a_debrief_of_another_rep_naming_the_call_next_blocks_its_delete(logins, frozen_now):
    alice, bob = open_store(logins.rep_a), open_store(logins.rep_b)
    a, b = logins.names["a"], logins.names["b"]
    acme = bob.accounts.create("Acme")
    his = bob.calls.create(acme.id, frozen_now - timedelta(days=1), objective="Bob's held call")
    bob.calls.set_outcome(his, Outcome.CONTINUATION)
    bob.debriefs.save(his, lessons="x")
    globex = alice.accounts.create("Globex")
    hers = alice.calls.create(globex.id, frozen_now + timedelta(days=1))
    other = alice.calls.create(globex.id, frozen_now + timedelta(days=2))
    # His debrief names her call as the next one (his own row: row-level security lets him).
    assert run_as(logins.rep_b, "UPDATE debrief SET next_call_id = :n WHERE call_id = :c", n=hers, c=his) == 1
    # And another call of his carries over from it: two of his calls, counted once each.
    later = bob.calls.create(acme.id, frozen_now + timedelta(days=5))
    run_as(logins.rep_b, 'UPDATE "call" SET carried_from_call_id = :n WHERE id = :c', n=hers, c=later)
    with pytest.raises(StoreError, match=f"has 2 calls of {b}'s linked to it .*ask {b} to delete them first"):
        alice.calls.delete_unheld(hers)
    assert _links(logins.superuser, his) == (None, hers)
    assert _links(logins.superuser, later)[0] == hers
    # Her own links clear as before: a call of hers carried from another of hers.
    run_as(logins.rep_a, 'UPDATE "call" SET carried_from_call_id = :n WHERE id = :c', n=other, c=hers)
    alice.calls.delete_unheld(other)
    assert _links(logins.superuser, hers)[0] is None
    # Once bob let go of it, her delete goes through.
    run_as(logins.rep_b, "UPDATE debrief SET next_call_id = NULL WHERE call_id = :c", c=his)
    bob.calls.delete(later)
    alice.calls.delete_unheld(hers)
    assert run_as(logins.superuser, 'SELECT 1 FROM "call" WHERE id = :c', c=hers) == 0
    assert run_as(logins.superuser, 'SELECT 1 FROM "call" WHERE owner = :a', a=a) == 0
    alice.close()
    bob.close()


def test_the_account_guard_still_names_whose_after_the_rebuild(logins, frozen_now):
    """0016's account and contact guards, rebuilt on the shared refusal, word it as before."""
    alice, bob = open_store(logins.rep_a), open_store(logins.rep_b)
    b = logins.names["b"]
    initech = alice.accounts.create("O'Neil & [/] Co")
    dana = alice.accounts.add_contact(initech.id, "Dana")
    bobs = bob.calls.create(initech.id)
    bob.calls.set_contacts(bobs, [dana.id])
    with pytest.raises(StoreError) as refused:
        alice.accounts.delete(initech.id)
    assert str(refused.value) == f"account 'O'Neil & [/] Co' has 1 call of {b}'s: ask {b} to move or delete it first"
    with pytest.raises(StoreError) as refused:
        alice.accounts.delete_contact(dana.id)
    assert str(refused.value) == f"contact 'Dana' attends 1 call of {b}'s: ask {b} to take the contact off it first"
    alice.close()
    bob.close()


async def test_the_app_says_whose_before_asking_and_deletes_nothing(logins, frozen_now):
    alice, bob = open_store(logins.rep_a), open_store(logins.rep_b)
    b = logins.names["b"]
    initech = alice.accounts.create("Initech")
    hers = alice.calls.create(initech.id, frozen_now + timedelta(days=1), objective="Alice's plan")
    bobs = bob.calls.create(initech.id, frozen_now + timedelta(days=4))
    run_as(logins.rep_b, 'UPDATE "call" SET carried_from_call_id = :n WHERE id = :c', n=hers, c=bobs)
    alice.close()
    bob.close()
    app = SalesApp(logins.rep_a)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        call_actions.delete_call(app, hers, app.screen)
        await settle(pilot)
        assert not isinstance(app.screen, Confirm)  # nothing to confirm: it would be refused
        said = [t for t in toasts(app) if "linked to it" in t]
        assert said and f"1 call of {b}'s" in said[-1] and "\n" not in said[-1]
        assert app.store is not None and app.store.calls.plan(hers).objective == "Alice's plan"
    assert _links(logins.superuser, bobs)[0] == hers


def test_an_account_whose_call_another_rep_links_to_is_not_deleted(logins, frozen_now):
    """Her account's calls go with it: a call of bob's elsewhere carried over from one stops the delete."""
    alice, bob = open_store(logins.rep_a), open_store(logins.rep_b)
    b = logins.names["b"]
    initech = alice.accounts.create("Initech")
    hers = alice.calls.create(initech.id, frozen_now - timedelta(days=2))
    globex = bob.accounts.create("Globex")
    his = bob.calls.create(globex.id, frozen_now + timedelta(days=2))
    run_as(logins.rep_b, 'UPDATE "call" SET carried_from_call_id = :n WHERE id = :c', n=hers, c=his)
    said = delete_refusal(alice, initech.id)  # what the app says before asking
    assert said is not None and said.startswith("call with 'Initech'") and f"1 call of {b}'s linked to it" in said
    with pytest.raises(StoreError, match=f"1 call of {b}'s linked to it"):
        alice.accounts.delete(initech.id)
    assert _links(logins.superuser, his)[0] == hers and alice.accounts.get(initech.id).name == "Initech"
    alice.close()
    bob.close()
