"""The store's serial writer: order, coalescing, version chaining, failures, flush."""

from __future__ import annotations

import threading

import pytest

from salestui.store.core import StaleEdit


def test_jobs_run_in_the_order_submitted(store) -> None:  # type: ignore[no-untyped-def]
    ran: list[int] = []
    gate = threading.Event()
    store.writer.submit(lambda s: gate.wait(5))
    for n in range(20):
        store.writer.submit(lambda s, n=n: ran.append(n))
    gate.set()
    assert store.writer.flush(5)
    assert ran == list(range(20))


def test_a_waiting_job_with_the_same_key_is_replaced_in_place(store) -> None:  # type: ignore[no-untyped-def]
    ran: list[str] = []
    gate = threading.Event()
    store.writer.submit(lambda s: gate.wait(5))
    store.writer.submit(lambda s: ran.append("objective: a"), key="call:1.objective")
    store.writer.submit(lambda s: ran.append("goal"), key="call:1.goal")
    store.writer.submit(lambda s: ran.append("objective: abc"), key="call:1.objective")
    gate.set()
    assert store.writer.flush(5)
    assert ran == ["objective: abc", "goal"]


def test_versioned_saves_chain_instead_of_refusing_each_other(store) -> None:  # type: ignore[no-untyped-def]
    account = store.accounts.create("Initech")
    call_id = store.calls.create(account.id)
    record = f"call:{call_id}"
    store.writer.seen(record, store.calls.plan(call_id).version)
    failures: list[BaseException] = []
    for n in range(10):
        store.writer.submit(
            lambda s, v, n=n: s.calls.update(call_id, version=v, objective=f"take {n}"),
            record=record,
            failed=failures.append,
        )
    assert store.writer.flush(5)
    assert failures == []
    assert store.calls.plan(call_id).objective == "take 9"
    assert store.writer.version(record) == store.calls.plan(call_id).version


def test_a_stale_save_fails_alone_and_the_writer_goes_on(store) -> None:  # type: ignore[no-untyped-def]
    account = store.accounts.create("Initech")
    call_id = store.calls.create(account.id)
    record = f"call:{call_id}"
    store.writer.seen(record, store.calls.plan(call_id).version)
    store.calls.update(call_id, objective="from another window")  # bumps the version behind the writer
    failures: list[BaseException] = []
    done: list[object] = []
    store.writer.submit(
        lambda s, v: s.calls.update(call_id, version=v, objective="mine"), record=record, failed=failures.append
    )
    store.writer.submit(lambda s: s.calls.plan(call_id).objective, done=done.append)
    assert store.writer.flush(5)
    assert len(failures) == 1 and isinstance(failures[0], StaleEdit)
    assert done == ["from another window"]
    # After a failure the record's version is forgotten: the reload seeds it again.
    assert store.writer.version(record) is None


def test_flush_waits_for_the_running_job(store) -> None:  # type: ignore[no-untyped-def]
    gate = threading.Event()
    store.writer.submit(lambda s: gate.wait(5))
    assert store.writer.flush(0.05) is False
    gate.set()
    assert store.writer.flush(5) is True
    assert store.writer.pending() == 0


def test_a_closed_writer_refuses_work(store) -> None:  # type: ignore[no-untyped-def]
    store.writer.close()
    with pytest.raises(RuntimeError):
        store.writer.submit(lambda s: None)
