"""Home's standard-library fast path returns exactly what the full store returns."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from salestui.domain.enums import AdvanceLevel
from salestui.store.core import open_store
from salestui.store.demo import load_demo
from salestui.store.quick import home_lists


def test_fast_path_matches_the_store(db_path, store, frozen_now):
    load_demo(store, now=frozen_now)
    account = store.accounts.create("Undated [/]")
    undated = store.calls.create(account.id, objective="No time yet")
    store.calls.set_advance(undated, AdvanceLevel.TARGET, "Agrees to a pilot")
    lists = home_lists(db_path, owner="tester")
    assert lists.upcoming == store.calls.upcoming(limit=50)
    assert lists.undebriefed == store.calls.needing_debrief(limit=50)
    assert lists.accounts == store.accounts.count()
    assert any(c.id == undated and c.scheduled_at is None for c in lists.upcoming)


def test_fast_path_shows_only_my_calls(db_path, frozen_now):
    mine = open_store(db_path, owner="me")
    account = mine.accounts.create("Mine")
    mine.calls.create(account.id, frozen_now + timedelta(days=1), objective="my call")
    theirs = open_store(db_path, owner="someone else")
    other = theirs.accounts.create("Theirs")
    theirs.calls.create(other.id, frozen_now + timedelta(days=1), objective="their call")
    assert [c.objective for c in home_lists(db_path, owner="me").upcoming] == ["my call"]
    assert [c.objective for c in home_lists(db_path, owner="me").upcoming] == [
        c.objective for c in mine.calls.upcoming()
    ]


def test_fast_path_imports_no_sqlalchemy():
    code = "import salestui.store.quick, sys; print(any(m.split('.')[0] in ('sqlalchemy', 'sqlmodel') for m in sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=Path(__file__).parent.parent, check=True
    )
    assert result.stdout.strip() == "False"
