"""The same data gives the same search hits and the same stats on SQLite and PostgreSQL (issue 29).

Each test fills a SQLite file and a PostgreSQL database alike and compares what the store
returns; the PostgreSQL half is skipped without ``SALESTUI_TEST_PG_URL``. The store tests
themselves run on both backends through the ``store`` fixture (tests/conftest.py).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from salestui.domain.enums import AdvanceLevel, CallKind, Outcome
from salestui.domain.review import HitSource
from salestui.store.core import ReadFailed, open_store

# Words that FTS5's unicode61 tokenizer and PostgreSQL's parser cut differently unless the
# migration (0015_pg_search) cuts them alike: e-mails, hosts, underscores, decimals, accents.
TEXTS = [
    "Pricing review with the CFO of Café Müller [/] [TODO]",
    "Send ann@acme.com the pilot_plan v2.5 before Zürich",
    "Pilot pilot pilot: procurement wants a pilot",
    "Œuvre Łódź Škoda société générale",
    "procurement pricing pricing",
    "Q1 budget approved 2026-11-23",
]
QUERIES = [
    "pi",
    "pilot",
    "pric",
    "cafe",
    "CAFÉ müll",
    "acme",
    "com",
    "plan",
    "pilot_plan",
    "v2",
    "zurich",
    "lodz",
    "skoda",
    "societe gen",
    "q1",
    "2026",
    "[/]",
    "todo",
    "procurement pricing",
    "zz",
]


def _fill(store, now) -> None:  # type: ignore[no-untyped-def]
    """Accounts, calls with objections, notes, questions, advances and debriefs from ``TEXTS``."""
    for number, text in enumerate(TEXTS):
        account = store.accounts.create(f"Account {number} {text.split()[0]}")
        store.accounts.add_note(account.id, "customer", body=text)
        call = store.calls.create(account.id, scheduled_at=now - timedelta(days=number + 1), kind=CallKind.DISCOVERY)
        store.calls.update(call, objective=text, goal="pilot agreed")
        store.calls.add_objection(call, text=f"objection {text}", response="phase it")
        store.calls.add_question(call, f"question {number} {text}")
        store.calls.set_advance(call, AdvanceLevel.TARGET, f"agrees {text[:20]}")
        if number % 2:
            store.calls.secure(call, AdvanceLevel.TARGET)
        else:
            store.calls.set_outcome(call, Outcome.LOST)
        store.calls.end(call)
        if number % 3 == 0:  # a finished debrief whose follow-up date has passed: overdue
            store.debriefs.finish(call, went_well=f"went well {text}", follow_up=(now - timedelta(days=1)).date())
        elif number % 3 == 1:
            store.debriefs.save(call, lessons=f"draft {text}")


@pytest.fixture
def both(tmp_path, pg_url, frozen_now):  # type: ignore[no-untyped-def]
    """A SQLite store and a PostgreSQL store holding the same records."""
    stores = [open_store(tmp_path / "parity.db", owner="tester"), open_store(pg_url, owner="tester")]
    try:
        for store in stores:
            _fill(store, frozen_now)
        yield stores
    finally:
        for store in stores:
            store.close()


def test_search_gives_the_same_hits_on_both_backends(both):  # type: ignore[no-untyped-def]
    sqlite, postgresql = both
    found_any = 0
    for query in QUERIES:
        expected = sqlite.review.search(query)
        assert postgresql.review.search(query) == expected, query
        found_any += bool(expected)
    assert found_any == len(QUERIES) - 3  # "zz", "lodz" (FTS5 keeps "ł") and "[/]" find nothing
    # Highlights: the same spans of the same snippet; a short text saying "pilot" three times ranks first.
    top = postgresql.review.search("pilot")[0]
    assert top.snippet == "agrees Pilot pilot pilot: p" and top.spans == ((7, 12), (13, 18), (19, 24))


def test_search_follows_edits_and_deletes_on_both_backends(both, frozen_now):  # type: ignore[no-untyped-def]
    for store in both:
        hit = next(h for h in store.review.search("zurich") if h.source is HitSource.CALL)
        store.calls.update(hit.call_id, objective="Visit Geneva instead")
        assert not [h for h in store.review.search("zurich") if h.source is HitSource.CALL]
        assert [h.call_id for h in store.review.search("geneva")] == [hit.call_id]
        store.calls.delete(hit.call_id)
        assert store.review.search("geneva") == []
    assert both[0].review.search("zurich") == both[1].review.search("zurich")


def test_stats_are_the_same_on_both_backends(both):  # type: ignore[no-untyped-def]
    sqlite, postgresql = both
    expected = sqlite.review.stats()
    assert expected.overall.held == len(TEXTS)
    assert postgresql.review.stats() == expected
    assert expected.overdue_follow_ups == 2 and expected.without_debrief > 0
    # Scoped to the rep: every call is theirs, so the same numbers again.
    assert postgresql.review.scoped("tester").stats() == expected
    # PostgreSQL counts overdue follow-ups per account by index seeks: the rule's own count.
    from salestui.domain.review import ReviewFilter

    with postgresql.reading() as session:
        overdue = postgresql.review._overdue_count(session)
        assert overdue == postgresql.review._count(session, ReviewFilter(follow_up_overdue=True)) == 2


def test_search_index_is_read_only_for_reps_and_kept_by_their_writes(pg_url, frozen_now):  # type: ignore[no-untyped-def]
    """Reps read ``search_fts`` and their writes keep it (SECURITY DEFINER triggers) but cannot write it."""
    from tests.test_team_rls import team_logins

    for logins in team_logins(pg_url):
        rep = open_store(logins.rep_a)
        try:
            account = rep.accounts.create("Zebra Logistics")
            assert [h.account_id for h in rep.review.search("zebra")] == [account.id]
            with pytest.raises(Exception, match="permission denied"), rep.engine.begin() as connection:
                connection.execute(sa.text("DELETE FROM search_fts"))
        finally:
            rep.close()


def test_a_failed_read_says_read_not_save(store):  # type: ignore[no-untyped-def]
    from salestui.errors import describe

    with pytest.raises(ReadFailed) as raised, store.reading() as session:
        session.execute(sa.text("SELECT * FROM no_such_table"))
    title, message = describe(raised.value)
    assert title == "Could not read"
    assert "save" not in message.lower() and "read" in message.lower()
