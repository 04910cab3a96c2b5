"""Field changes merge with another window's save; the writer keeps saves the database cannot take.

Every test here runs on SQLite and, with SALESTUI_TEST_PG_URL set, on PostgreSQL: "two windows"
are two stores (two engines, two connection pools) on one database.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from salestui.domain.enums import AdvanceLevel
from salestui.store import journal
from salestui.store.changes import FieldChange, Op, from_journal
from salestui.store.core import Store, Unavailable, open_store
from salestui.store.writer import Writer


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request, tmp_path) -> str:  # type: ignore[no-untyped-def]
    """One database for two windows."""
    return str(tmp_path / "two.db") if request.param == "sqlite" else request.getfixturevalue("pg_url")


@pytest.fixture
def two(target):  # type: ignore[no-untyped-def]
    first = open_store(target, owner="tester")
    second = open_store(target, owner="tester")
    yield first, second
    first.close()
    second.close()


def _call(store: Store) -> int:
    account = store.accounts.create("Initech")
    return store.calls.create(account.id)


def test_the_same_empty_field_typed_in_two_windows_keeps_both(two) -> None:  # type: ignore[no-untyped-def]
    first, second = two
    call_id = _call(first)
    FieldChange("call", call_id, "expected_return", "", "signed pilot by Friday")(first)
    applied = FieldChange("call", call_id, "expected_return", "", "a date for the demo")(second)
    stored = second.calls.plan(call_id).expected_return
    assert "signed pilot by Friday" in stored and "a date for the demo" in stored
    assert applied.conflicted and applied.merged and applied.stored == stored


def test_edits_at_different_places_both_apply(two) -> None:  # type: ignore[no-untyped-def]
    first, second = two
    call_id = _call(first)
    first.calls.update(call_id, strategy="open with the audit\nclose on price")
    base = "open with the audit\nclose on price"
    FieldChange("call", call_id, "strategy", base, "open with the audit results\nclose on price")(first)
    applied = FieldChange("call", call_id, "strategy", base, "open with the audit\nclose on price and scope")(second)
    assert applied.stored == "open with the audit results\nclose on price and scope"
    assert not applied.conflicted
    assert first.calls.plan(call_id).strategy == applied.stored


def test_a_choice_takes_the_later_value_and_names_what_it_replaced(two) -> None:  # type: ignore[no-untyped-def]
    first, second = two
    call_id = _call(first)
    FieldChange("call", call_id, "kind", "discovery", "demo")(first)
    applied = FieldChange("call", call_id, "kind", "discovery", "negotiation")(second)
    assert applied.stored == "negotiation" and applied.replaced == "demo"
    assert first.calls.plan(call_id).kind.value == "negotiation"


def test_debrief_and_research_fields_merge_too(two) -> None:  # type: ignore[no-untyped-def]
    first, second = two
    call_id = _call(first)
    FieldChange("debrief", call_id, "lessons", None, "ask for the budget owner")(first)
    applied = FieldChange("debrief", call_id, "lessons", None, "bring the case study")(second)
    assert "ask for the budget owner" in applied.stored and "bring the case study" in applied.stored
    account = first.accounts.create("Wayne Retail")
    FieldChange("account", account.id, "notes", "", "[/] [TODO] east wing")(first)
    applied = FieldChange("account", account.id, "notes", "", "west wing")(second)
    assert "[/] [TODO] east wing" in applied.stored and "west wing" in applied.stored


def test_a_change_stored_twice_is_stored_once(any_store) -> None:  # type: ignore[no-untyped-def]
    call_id = _call(any_store)
    change = FieldChange("call", call_id, "objective", "", "agree the pilot scope")
    change(any_store)
    again = change(any_store)
    assert again.stored == "agree the pilot scope" and not again.merged


def test_journal_lines_round_trip() -> None:
    when = datetime(2027, 7, 1, 14, 0, tzinfo=UTC)
    changes = [
        FieldChange("call", 5, "scheduled_at", None, when),
        FieldChange("debrief", 5, "follow_up", date(2027, 1, 2), None),
        Op("calls.secure", (5, AdvanceLevel.TARGET)),
        Op("calls.add_note", (5, "[/] said yes ^[31m")),
    ]
    for change in changes:
        assert from_journal(json.loads(json.dumps(change.journal()))) == change
    with pytest.raises(ValueError):
        from_journal({"kind": "op", "method": "engine.dispose", "args": []})
    with pytest.raises(ValueError):
        from_journal({"kind": "op", "method": "calls.secure", "args": [{"$enum": "os:system", "value": "x"}]})


# -- the writer keeps what the database cannot take -----------------------------------------------
class Outage:
    """Makes the store's transactions fail as a locked or unreachable database does, until ended."""

    def __init__(self, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
        self.on = True
        self.tries = 0
        original = Store.transaction

        outage = self

        def transaction(self_: Store):  # type: ignore[no-untyped-def]
            if self_ is store and outage.on:
                outage.tries += 1
                raise Unavailable("The database is busy in another window; try again in a moment.")
            return original(self_)

        monkeypatch.setattr(Store, "transaction", transaction)


def test_a_save_the_database_cannot_take_is_retried_in_order(store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    call_id = _call(store)
    monkeypatch.setattr("salestui.store.writer.RETRY_FIRST", 0.01)
    writer = Writer(store)
    statuses = []
    writer.on_status = statuses.append
    outage = Outage(store, monkeypatch)
    writer.submit(FieldChange("call", call_id, "objective", "", "a"), key="call.objective")
    writer.submit(Op("calls.secure", (call_id, AdvanceLevel.TARGET)))
    writer.submit(FieldChange("call", call_id, "objective", "a", "ab"), key="call.objective")
    assert not writer.flush(0.3)
    assert outage.tries >= 2
    assert statuses and statuses[0].problem and statuses[0].waiting >= 1
    lines, others = writer.unsaved()
    assert others == 0 and [line["kind"] for line in lines] == ["field", "op"]
    assert lines[0]["base"] == "" and lines[0]["value"] == "ab"  # the newer text on the first one's base
    outage.on = False
    writer.retry_now()
    assert writer.flush(5)
    assert store.calls.plan(call_id).objective == "ab"
    assert statuses[-1].problem is None and statuses[-1].waiting == 0
    writer.close()


def test_a_quit_during_an_outage_journals_and_the_next_start_stores_it(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    target = str(tmp_path / "j.db")
    store = open_store(target, owner="tester")
    call_id = _call(store)
    monkeypatch.setattr("salestui.store.writer.RETRY_FIRST", 0.01)
    outage = Outage(store, monkeypatch)
    store.writer.submit(FieldChange("call", call_id, "goal", "", "verbal yes on scope"))
    store.writer.submit(Op("calls.add_note", (call_id, "they asked for SSO")))
    assert not store.writer.flush(0.2)
    lines, _ = store.writer.unsaved()
    path = journal.write(target, lines)
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    store.writer.abandon()
    store.close()
    outage.on = False
    # Meanwhile another window typed into the same goal.
    other = open_store(target, owner="tester")
    FieldChange("call", call_id, "goal", "", "price within 10%")(other)
    replayed = journal.replay(other, target)
    assert replayed is not None and replayed.stored == 2 and replayed.merged == 1
    plan = other.calls.plan(call_id)
    assert "verbal yes on scope" in plan.goal and "price within 10%" in plan.goal
    assert [note.text for note in plan.notes] == ["they asked for SSO"]
    assert not path.exists()
    assert journal.replay(other, target) is None
    other.close()


def test_a_real_sqlite_lock_past_the_busy_timeout_is_waited_out(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import sqlite3

    monkeypatch.setattr("salestui.store.engine.BUSY_TIMEOUT_MS", 100)
    monkeypatch.setattr("salestui.store.writer.RETRY_FIRST", 0.05)
    path = tmp_path / "locked.db"
    store = open_store(path, owner="tester")
    call_id = _call(store)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    seen = []
    store.writer.on_status = seen.append
    store.writer.submit(FieldChange("call", call_id, "objective", "", "kept while locked"))
    assert not store.writer.flush(0.5)
    assert seen and "busy" in (seen[0].problem or "")
    holder.execute("ROLLBACK")
    holder.close()
    assert store.writer.flush(5)
    assert store.calls.plan(call_id).objective == "kept while locked"
    store.close()


NO_SHRINK = (Phase.explicit, Phase.reuse, Phase.generate)
"""Each example opens two stores on a file: shrinking a failure would take minutes; the example shows it."""


# -- two windows, random interleavings: no saved edit is dropped ---------------------------------
@settings(max_examples=25, deadline=None, phases=NO_SHRINK, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    steps=st.lists(
        st.tuples(st.sampled_from([0, 1]), st.integers(min_value=0, max_value=1000)), min_size=1, max_size=12
    )
)
def test_two_windows_typing_never_drop_a_saved_edit(tmp_path_factory, steps) -> None:  # type: ignore[no-untyped-def]
    """Each window inserts a unique word at a random place of the text it last saw and saves it
    with that base; whatever the interleaving, every word either rep saw saved is stored."""
    path = tmp_path_factory.mktemp("w") / "h.db"
    first = open_store(path, owner="tester")
    second = open_store(path, owner="tester")
    try:
        call_id = _call(first)
        stores = (first, second)
        seen = ["", ""]  # what each window shows (its base)
        saved_words: list[str] = []
        for number, (window, place) in enumerate(steps):
            word = f"<w{number}>"
            text = seen[window]
            cut = place % (len(text) + 1)
            # Insert at a word boundary of what the window shows (a rep types between words).
            while 0 < cut < len(text) and text[cut - 1] != ">":
                cut -= 1
            typed = text[:cut] + word + text[cut:]
            applied = FieldChange("call", call_id, "strategy", text, typed)(stores[window])
            saved_words.append(word)
            seen[window] = applied.stored
        final = first.calls.plan(call_id).strategy
        for word in saved_words:
            assert word in final
    finally:
        first.close()
        second.close()


def test_concurrent_saves_on_two_threads_keep_both(two) -> None:  # type: ignore[no-untyped-def]
    """Two windows saving the same field at the same instant: the merge reads under the write."""
    first, second = two
    call_id = _call(first)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def save(store: Store, text: str) -> None:
        barrier.wait()
        try:
            for suffix in range(5):
                base = store.calls.plan(call_id).goal
                FieldChange("call", call_id, "goal", base, f"{base} {text}{suffix}".strip())(store)
        except BaseException as error:  # noqa: BLE001
            errors.append(error)

    threads = [threading.Thread(target=save, args=(s, name)) for s, name in ((first, "A"), (second, "B"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    goal = first.calls.plan(call_id).goal
    for name in ("A", "B"):
        for suffix in range(5):
            assert f"{name}{suffix}" in goal


class _Field:
    """A field widget as the binder sees it: what it shows (``show_value`` sets it)."""

    is_attached = True

    def __init__(self) -> None:
        self.shown = ""

    @property
    def value(self) -> str:
        return self.shown

    def prevent(self, *_: object) -> contextlib.AbstractContextManager[None]:
        return contextlib.nullcontext()

    def set_reactive(self, _: object, value: str) -> None:
        self.shown = value

    def refresh(self) -> None:
        pass


class _Window:
    """One window's field, as the app runs it: the real ``FieldBinder`` and a writer of its own."""

    def __init__(self, store: Store) -> None:
        from salestui.binder import FieldBinder

        self.store = store
        self.answers: list[Callable[[], None]] = []
        store.writer.deliver = self.answers.append  # answers wait for the "UI thread" (``answer``)
        self.binder = FieldBinder(self)  # type: ignore[arg-type]
        self.field = _Field()

    @property
    def shown(self) -> str:
        return self.field.shown

    @shown.setter
    def shown(self, value: str) -> None:
        self.field.shown = value

    # what FieldBinder asks of its screen
    def save(self, job, *, key, done, failed) -> None:  # type: ignore[no-untyped-def]
        self.store.writer.submit(job, key=key, done=done, failed=failed)

    def notify(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        pass

    def type(self, call_id: int, place: int, word: str) -> None:
        cut = place % (len(self.shown) + 1)
        while 0 < cut < len(self.shown) and self.shown[cut - 1] != ">":
            cut -= 1  # between words, as a rep types
        self.shown = self.shown[:cut] + word + self.shown[cut:]
        value = self.shown
        self.binder.save("goal", lambda base: FieldChange("call", call_id, "goal", base, value), widget=self.field)

    def answer(self) -> None:
        """The UI thread runs the writer's answers (a merge shows once the rep stops typing)."""
        self.store.writer.flush()
        answers, self.answers[:] = list(self.answers), []
        for callback in answers:
            callback()  # the binder shows a merged answer in the field, as in the app

    def refresh(self, call_id: int) -> None:
        """Live refresh: the stored text, unless a save of the field is in flight."""
        self.binder.fill("goal", self.field, self.store.calls.plan(call_id).goal)


@settings(max_examples=30, deadline=None, phases=NO_SHRINK, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    steps=st.lists(
        st.tuples(
            st.sampled_from([0, 1]), st.sampled_from(["type", "type", "type", "answer", "refresh"]), st.integers(0, 500)
        ),
        min_size=1,
        max_size=16,
    )
)
def test_two_windows_with_binders_and_writers_keep_every_typed_word(tmp_path_factory, steps) -> None:  # type: ignore[no-untyped-def]
    """Two windows type, see their answers and live refreshes in any interleaving (writers
    coalescing and carrying typing across merges): every word typed in either is stored."""
    path = tmp_path_factory.mktemp("b") / "b.db"
    stores = (open_store(path, owner="tester"), open_store(path, owner="tester"))
    try:
        call_id = _call(stores[0])
        windows = [_Window(store) for store in stores]
        words = []
        for number, (index, action, place) in enumerate(steps):
            window = windows[index]
            if action == "type":
                word = f"<w{number}>"
                words.append(word)
                window.type(call_id, place, word)
            elif action == "answer":
                window.answer()
            else:
                window.answer()
                window.refresh(call_id)
        for window in windows:
            window.answer()
        final = stores[0].calls.plan(call_id).goal
        for word in words:
            assert word in final
    finally:
        for store in stores:
            store.close()


def test_a_failure_is_retried_only_for_what_passes_never_for_text_in_the_message(any_store) -> None:  # type: ignore[no-untyped-def]
    """A duplicate account named "Busy Bee Full Circle" is refused at once, not retried forever."""
    from salestui.store.core import StoreError

    any_store.accounts.create("Busy Bee Full Circle")
    other = any_store.accounts.create("Locked Inc")
    with pytest.raises(StoreError) as refused:
        FieldChange("account", other.id, "name", "Locked Inc", "Busy Bee Full Circle")(any_store)
    assert not isinstance(refused.value, Unavailable)


def test_postgresql_keeps_the_urls_own_options(pg_url) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    store = open_store(pg_url + "?options=-c%20application_name%3Dmine", owner="tester")
    try:
        with store.engine.connect() as connection:
            assert connection.execute(text("SHOW application_name")).scalar() == "mine"
            assert connection.execute(text("SHOW lock_timeout")).scalar() == "5s"
    finally:
        store.close()
