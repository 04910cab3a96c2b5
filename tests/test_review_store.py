"""Review store on real SQLite files: keyset pages, combined filters, FTS5 search and its sync."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from salestui.domain.enums import AdvanceLevel, CallKind, Outcome
from salestui.domain.review import HitSource, Period, ReviewFilter
from salestui.store.core import Store, open_store
from salestui.store.schema import HEAD

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def _calls(store: Store, count: int, same_time_every: int = 3) -> list[int]:
    """``count`` past calls over two accounts; every few share a time (the id breaks ties)."""
    a = store.accounts.create("Initech").id
    b = store.accounts.create("Acme").id
    ids = []
    for n in range(count):
        when = NOW - timedelta(days=1 + n // same_time_every)
        ids.append(store.calls.create(a if n % 2 else b, when, CallKind.DEMO, objective=f"call {n}"))
    return ids


def _walk(store: Store, flt: ReviewFilter, size: int) -> list[int]:
    page = store.review.first_page(flt, limit=size)
    seen = [c.id for c in page.lines]
    while page.has_older:
        assert page.last is not None
        page = store.review.older(flt, page.last, limit=size)
        seen += [c.id for c in page.lines]
    return seen


def test_keyset_pages_cover_every_call_once_newest_first(store, frozen_now):
    _calls(store, 23)
    expected = [
        row[0]
        for row in sorted(
            ((c.id, c.scheduled_at) for c in store.review.first_page(limit=1000).lines),
            key=lambda r: (r[1], r[0]),
            reverse=True,
        )
    ]
    assert len(expected) == 23
    assert _walk(store, ReviewFilter(), 5) == expected
    first = store.review.first_page(limit=5)
    assert not first.has_newer and first.has_older
    # Back from the second page gives the first page again.
    second = store.review.older(ReviewFilter(), first.last, limit=5)
    back = store.review.newer(ReviewFilter(), second.first, limit=5)
    assert [c.id for c in back.lines] == [c.id for c in first.lines] and not back.has_newer
    last = store.review.last_page(limit=5)
    assert [c.id for c in last.lines] == expected[-5:] and last.has_newer and not last.has_older
    assert store.review.count() == 23


def test_future_and_undated_calls_are_not_reviewed(store, frozen_now):
    account = store.accounts.create("Initech").id
    store.calls.create(account, NOW + timedelta(days=1))
    store.calls.create(account, None)
    past = store.calls.create(account, NOW - timedelta(hours=1))
    assert [c.id for c in store.review.first_page().lines] == [past]


def test_filters_combine(store, frozen_now):
    init = store.accounts.create("Initech").id
    acme = store.accounts.create("Acme").id
    recent_demo = store.calls.create(init, NOW - timedelta(days=2), CallKind.DEMO, objective="demo")
    store.calls.set_advance(recent_demo, AdvanceLevel.TARGET, "Agrees to a pilot")
    store.calls.secure(recent_demo, AdvanceLevel.TARGET)
    old_demo = store.calls.create(init, NOW - timedelta(days=60), CallKind.DEMO)
    store.calls.set_outcome(old_demo, Outcome.CONTINUATION)
    acme_call = store.calls.create(acme, NOW - timedelta(days=3), CallKind.DISCOVERY)
    store.calls.set_outcome(acme_call, Outcome.LOST)
    cancelled = store.calls.create(acme, NOW - timedelta(days=4), CallKind.DISCOVERY)
    store.calls.set_outcome(cancelled, Outcome.CANCELLED)
    store.debriefs.finish(acme_call, lessons="No budget", follow_up=(NOW - timedelta(days=1)).date())

    def ids(**changes) -> list[int]:
        flt = ReviewFilter(**changes)
        found = [c.id for c in store.review.first_page(flt).lines]
        assert store.review.count(flt) == len(found)
        return found

    assert ids(account_id=init) == [recent_demo, old_demo]
    assert ids(account_id=init, period=Period.LAST_30_DAYS) == [recent_demo]
    assert ids(kind=CallKind.DEMO, outcome=Outcome.CONTINUATION) == [old_demo]
    assert ids(outcome=Outcome.CANCELLED) == [cancelled]
    assert ids(period=Period.CUSTOM, start=(NOW - timedelta(days=5)).date(), end=(NOW - timedelta(days=3)).date()) == [
        acme_call,
        cancelled,
    ]
    # Needs debrief: past, not cancelled, no finished debrief.
    assert ids(needs_debrief=True) == [recent_demo, old_demo]
    assert ids(needs_debrief=True, account_id=acme) == []
    # Follow-up overdue: the date passed and nothing later with Acme.
    assert ids(follow_up_overdue=True) == [acme_call]
    store.calls.create(acme, NOW + timedelta(days=2))
    assert ids(follow_up_overdue=True) == []
    # Lines come with readiness frozen at start (None for calls never started).
    store.calls.start(old_demo)
    lines = {c.id: c for c in store.review.first_page().lines}
    assert lines[old_demo].readiness is not None and lines[recent_demo].readiness is None
    assert lines[acme_call].debriefed and not lines[old_demo].debriefed


def test_search_accent_insensitive_prefix_and_ranked(store, frozen_now):
    cafe = store.accounts.create("Café Olé").id
    other = store.accounts.create("Initech").id
    call = store.calls.create(other, NOW - timedelta(days=1), objective="Pricing review with the CFO")
    store.calls.add_note(call, "They met at the café [TODO] to discuss pricing")
    store.accounts.add_note(other, "customer", "Prices are approved per quarter")

    names = [h.account_name for h in store.review.search("cafe") if h.source is HitSource.ACCOUNT]
    assert names == ["Café Olé"]
    assert {h.source for h in store.review.search("CAFÉ")} == {HitSource.ACCOUNT, HitSource.NOTE}
    # Prefix while typing: "pric" finds pricing (objective, note) and prices (research).
    hits = store.review.search("pric")
    assert {h.source for h in hits} == {HitSource.CALL, HitSource.NOTE, HitSource.RESEARCH}
    # Two words: only texts with both; the highlight covers the matched words literally.
    both = store.review.search("pricing caf")
    assert [h.source for h in both] == [HitSource.NOTE]
    snippet, spans = both[0].snippet, both[0].spans
    assert "[TODO]" in snippet
    assert sorted(snippet[s:e].lower() for s, e in spans) == ["café", "pricing"]
    # Ranked: the shorter text with the word twice beats the long one with it once.
    store.calls.add_note(call, "pilot pilot")
    store.calls.add_note(call, "a long note about many things and one pilot somewhere in the middle of it all")
    ranked = store.review.search("pilot")
    assert ranked[0].snippet == "pilot pilot"
    assert ranked[0].rank <= ranked[1].rank
    assert store.review.search("") == [] and store.review.search('"*') == []
    assert cafe


def test_search_stays_in_sync_after_edits_and_deletes(store, frozen_now):
    account = store.accounts.create("Initech").id
    call = store.calls.create(account, NOW - timedelta(days=1), objective="Quantify downtime")
    objection = store.calls.add_objection(call, "Too expensive", "Phase the rollout")
    store.debriefs.save(call, lessons="Bring the zebra deck")
    assert store.review.search("zebra")
    assert store.review.search("downtime")
    store.calls.update(call, objective="Agree the pilot scope")
    assert not store.review.search("downtime") and store.review.search("scope")
    store.calls.update_objection(objection, response="Reframe on cost")
    assert not store.review.search("rollout") and store.review.search("reframe")
    store.calls.delete_objection(objection)
    assert not store.review.search("reframe")
    store.calls.delete(call)  # cascades to notes, debrief, advances
    assert store.review.search("zebra") == [] and store.review.search("scope") == []
    with store.engine.connect() as conn:
        left = conn.execute(sa.text("SELECT count(*) FROM search_fts WHERE call_id = :c"), {"c": call}).scalar()
    assert left == 0


def test_detail_has_neighbours_of_the_same_account(store, frozen_now):
    ids = _calls(store, 9, same_time_every=1)
    acme = [i for n, i in enumerate(ids) if n % 2 == 0]  # account "Acme", newest = smallest n
    middle = store.review.detail(acme[2])
    assert (middle.previous_id, middle.next_id) == (acme[3], acme[1])
    assert store.review.detail(acme[0]).next_id is None
    assert store.review.detail(acme[-1]).previous_id is None


def test_stats_group_in_sql(store, frozen_now):
    account = store.accounts.create("Initech").id
    for n, outcome in enumerate([Outcome.CONTINUATION, Outcome.LOST, Outcome.CANCELLED, None]):
        call = store.calls.create(account, NOW - timedelta(days=n + 1), CallKind.DEMO)
        store.calls.start(call)
        if outcome:
            store.calls.set_outcome(call, outcome)
    won = store.calls.create(account, NOW - timedelta(days=9), CallKind.PROPOSAL)
    store.calls.set_advance(won, AdvanceLevel.TARGET, "Signs the order form")
    store.calls.start(won)
    store.calls.secure(won, AdvanceLevel.TARGET)
    store.debriefs.finish(won, lessons="ok")
    stats = store.review.stats()
    assert (stats.overall.held, stats.overall.advances, stats.overall.cancelled) == (3, 1, 1)
    assert {r.key: r.held for r in stats.by_kind} == {"demo": 2, "proposal": 1}
    assert [r.key for r in stats.by_account] == ["Initech"]
    assert stats.overall.debrief_rate == 1 / 3
    # Readiness at start is low for these bare plans.
    assert next(b for b in stats.by_band if b.key == "low").held == 3
    assert stats.without_debrief == 3  # continuation, lost and the call with no outcome


def _compare_metadata(path: Path) -> list:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    from salestui.store import tables  # noqa: F401
    from salestui.store.migrations.autogen import include_object

    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": include_object})
        return compare_metadata(context, SQLModel.metadata)


def test_migration_from_0001_backfills_the_index(tmp_path, frozen_now):
    from alembic import command
    from alembic.config import Config

    from salestui.store.engine import make_engine, sqlite_url

    path = tmp_path / "old.db"
    engine = make_engine(sqlite_url(path))
    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent.parent / "salestui" / "store" / "migrations"))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001_initial")
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO account (id, name, industry, status, website, phone, city, notes, owner, created_at,"
            " updated_at, version) VALUES (1, 'Société Générale', '', 'prospect', '', '', '', '', 'me',"
            " '2026-01-01 00:00:00', '2026-01-01 00:00:00', 1)"
        )
        conn.exec_driver_sql(
            "INSERT INTO call (id, account_id, scheduled_at, kind, status, objective, goal, strategy,"
            " expected_return, owner, created_at, updated_at, version) VALUES (1, 1, '2026-11-01 10:00:00',"
            " 'demo', 'done', 'Négocier le pilote', '', '', '', 'me', '2026-01-01 00:00:00',"
            " '2026-01-01 00:00:00', 1)"
        )
    engine.dispose()
    store = open_store(path, owner="me")
    try:
        assert {h.source for h in store.review.search("societe")} == {HitSource.ACCOUNT}
        assert [h.call_id for h in store.review.search("negoc")] == [1]
    finally:
        store.engine.dispose()
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT version_num FROM alembic_version").fetchone()[0] == HEAD
    # An autogenerate compare sees no difference (and leaves the FTS tables alone).
    assert _compare_metadata(path) == []


@pytest.mark.sqlite_only("reads SQLite's EXPLAIN QUERY PLAN")
def test_review_queries_use_indexes(store, frozen_now):
    _calls(store, 5)
    with store.engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
        plan = " ".join(
            str(row[-1])
            for row in conn.exec_driver_sql(
                "EXPLAIN QUERY PLAN SELECT c.id FROM call c JOIN account a ON a.id = c.account_id"
                " LEFT JOIN debrief d ON d.call_id = c.id WHERE c.scheduled_at IS NOT NULL"
                " AND c.scheduled_at <= '2026-11-23' AND (c.scheduled_at, c.id) < ('2026-11-20', 3)"
                " ORDER BY c.scheduled_at DESC, c.id DESC LIMIT 101"
            )
        )
    assert "USING INDEX ix_call_scheduled_id" in plan or "USING COVERING INDEX ix_call_scheduled_id" in plan
    assert "TEMP B-TREE" not in plan


def test_rank_texts_is_bm25_among_the_texts_given():
    from salestui.store.review import RANK_CHARS, rank_texts, search_words

    def rank(texts: list[str], words: list[str]) -> list[float]:
        return rank_texts([text[:RANK_CHARS] for text in texts], words)  # as the search cuts them

    texts = ["pilot pilot", "one pilot in a much longer text about other things", "no match here", "Pilotage"]
    scores = rank(texts, ["pilot"])
    assert scores[0] < scores[1] < scores[2] == 0.0  # more often and shorter ranks first; lower is better
    assert scores[3] < 0  # a prefix counts, case folded
    # A word counts where a token starts, as the FTS5 tokenizer cuts them: "_" separates, letters do not.
    inside, after_separator = rank(["copilot", "co_pilot"], ["pilot"])
    assert inside == 0.0 and after_separator < 0
    assert search_words("co_pilot") == ["co", "pilot"]  # the search's words are cut the same way
    # Accents are ignored on both sides (the search words arrive folded).
    assert rank(["Café crème"], ["cafe"])[0] < 0
    # Two words: occurrences of either count.
    more, fewer = rank(["pricing pilot pilot", "pricing pilot once"], ["pricing", "pilot"])
    assert more < fewer
    # A long text is judged by its beginning: where the word is dense there, it ranks first.
    dense, sparse, short = rank(["pilot " * 20_000, "pilot " + "filler " * 20_000, "pilot"], ["pilot"])
    assert dense < short < sparse < 0
    assert rank_texts([], ["pilot"]) == []


def test_search_ranks_only_the_newest_candidates(store, frozen_now, monkeypatch):
    """Ranking reads the newest ``SEARCH_CANDIDATES`` matches, never every match (that grew with
    the database): an older, better match is not weighed once there are newer ones enough."""
    from salestui.store import review

    monkeypatch.setattr(review, "SEARCH_CANDIDATES", 3)
    account = store.accounts.create("Initech").id
    call = store.calls.create(account, NOW - timedelta(days=1), objective="Kickoff")
    store.calls.add_note(call, "pilot pilot pilot")  # the best text, but the oldest
    for n in range(3):
        store.calls.add_note(call, f"note {n} with one pilot and more words around it")
    hits = store.review.search("pilot")
    assert len(hits) == 3 and all("pilot pilot" not in h.snippet for h in hits)
    monkeypatch.setattr(review, "SEARCH_CANDIDATES", 10)
    assert store.review.search("pilot")[0].snippet == "pilot pilot pilot"
