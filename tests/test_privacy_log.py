"""Privacy: an unexpected failure carrying customer text is logged and toasted without that text."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from salestui.errors import describe
from tests.helpers import make_app, settle_failing, wait_ready

SECRET = "Globex merger with Initech at 41 M€ (confidential)"


def test_describe_logs_only_the_kind_of_error(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    title, message = describe(KeyError(SECRET))
    assert SECRET not in title + message and "Globex" not in title + message
    assert caplog.records, "an unexpected error must be logged"
    for record in caplog.records:
        assert "Globex" not in record.getMessage()
        assert record.exc_info is None  # a traceback would print the exception text
        assert "Globex" not in repr(record.args)


async def test_worker_failure_with_customer_text_leaks_nowhere(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # every logger, every level
    app = make_app(tmp_path / "log.db")
    toasts: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        original = app.notify

        def spy(message: str, **kwargs):  # type: ignore[no-untyped-def]
            toasts.append(f"{kwargs.get('title', '')}: {message}")
            return original(message, **kwargs)

        app.notify = spy  # type: ignore[method-assign]

        def job(store):  # type: ignore[no-untyped-def]
            store.accounts.create(SECRET)
            raise RuntimeError(f"could not sync {SECRET} notes: {SECRET}")

        app.run_db(job)
        await settle_failing(pilot)
        assert app.return_code is None and app.is_running  # still running
        assert toasts == ["Something went wrong: RuntimeError: the change was not saved."]
    logged = [r for r in caplog.records if r.name.startswith("salestui")]
    assert any("RuntimeError" in r.getMessage() for r in logged)
    for record in caplog.records:  # salestui's and any library's records
        text = record.getMessage() + repr(record.args) + str(record.exc_info or "")
        assert "Globex" not in text and "Initech" not in text
    assert "Globex" not in caplog.text
