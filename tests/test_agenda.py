"""``salestui agenda`` / ``today``: golden text, JSON parsed back, the store's own answers, no SQLAlchemy."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import unicodedata
from datetime import timedelta
from pathlib import Path

import pytest

from salestui.domain.enums import CallKind
from salestui.store.core import open_store
from salestui.store.quick import agenda, home_lists
from tests.conftest import FROZEN_NOW
from tests.golden_files import assert_golden

pytestmark = pytest.mark.sqlite_only(
    "agenda and today read the SQLite file with the standard library (store.quick), in real processes"
)

ROOT = Path(__file__).parent.parent


def salestui(*args: str, tz: str = "UTC") -> subprocess.CompletedProcess[str]:
    """The real command, at the frozen moment, output piped (so no colour)."""
    env = {**os.environ, "SALESTUI_FROZEN_NOW": FROZEN_NOW.isoformat(), "TZ": tz, "SALESTUI_OWNER": "tester"}
    env.pop("NO_COLOR", None)
    return subprocess.run(
        [sys.executable, "-m", "salestui", *args], capture_output=True, text=True, timeout=60, env=env, cwd=ROOT
    )


@pytest.fixture
def agenda_db(demo_store, db_path, frozen_now):  # type: ignore[no-untyped-def]
    """The demo data plus calls whose text is hostile or wide, at the frozen moment."""
    wide = demo_store.accounts.create("東京精密機械株式会社 Tokyo Precision Machinery")
    demo_store.calls.create(
        wide.id,
        frozen_now + timedelta(days=1, hours=2),
        CallKind.DEMO,
        objective="デモ: 新しい検査ライン 🔧 and a long tail",
    )
    hostile = demo_store.accounts.create("Evil\x1b[2J Corp [red]x[/]")
    demo_store.calls.create(hostile.id, frozen_now + timedelta(days=2), objective="Line one\nline two\x1b]0;pwned\x07")
    demo_store.calls.create(hostile.id, frozen_now + timedelta(days=9), objective="Beyond the week")
    demo_store.calls.create(wide.id, frozen_now + timedelta(hours=5), CallKind.CHECK_IN, objective="Later today")
    demo_store.engine.dispose()
    return db_path


def _cells(line: str) -> int:
    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in line
    )


def test_agenda_golden_text_fits_80_columns(agenda_db):
    result = salestui("agenda", "--db", str(agenda_db))
    assert result.returncode == 0, result.stderr
    assert_golden("agenda.txt", result.stdout)
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert max(_cells(line) for line in result.stdout.splitlines()) <= 80
    assert "Beyond the week" not in result.stdout  # day 9 is outside the 7 days


def test_today_golden_text_in_another_zone(agenda_db):
    result = salestui("today", "--db", str(agenda_db), tz="America/New_York")
    assert result.returncode == 0, result.stderr
    assert_golden("today.txt", result.stdout)


def test_json_lines_parse_back_to_the_store_answers(agenda_db):
    result = salestui("agenda", "--json", "--days", "14", "--db", str(agenda_db))
    assert result.returncode == 0, result.stderr
    items = [json.loads(line) for line in result.stdout.splitlines()]
    store = open_store(agenda_db, owner="tester")
    try:
        upcoming = [c for c in store.calls.upcoming(limit=100) if c.scheduled_at is not None]
        late = store.calls.needing_debrief(limit=10)
    finally:
        store.close()
    assert [i["id"] for i in items if i["section"] == "upcoming"] == [c.id for c in upcoming]
    assert [i["id"] for i in items if i["section"] == "needs_debrief"] == [c.id for c in late]
    first = next(i for i in items if i["id"] == upcoming[0].id)
    assert first == {
        "section": "upcoming",
        "id": upcoming[0].id,
        "start": upcoming[0].scheduled_at.isoformat(),
        "account_id": upcoming[0].account_id,
        "account": upcoming[0].account_name,
        "kind": upcoming[0].kind.value,
        "objective": upcoming[0].objective,
        "readiness": upcoming[0].readiness,
        "status": "planned",
    }
    hostile = next(i for i in items if i["account"].startswith("Evil"))
    # Stored as entered: control characters removed, the line break of a one-line field a space.
    assert hostile["objective"] == "Line one line two]0;pwned"


def test_standard_library_reader_matches_the_store(agenda_db):
    store = open_store(agenda_db, owner="tester")
    try:
        found = agenda(agenda_db, FROZEN_NOW, FROZEN_NOW + timedelta(days=400), owner="tester", debriefs=50)
        assert found.upcoming == [c for c in store.calls.upcoming(limit=100) if c.scheduled_at is not None]
        assert found.needing_debrief == store.calls.needing_debrief(limit=50)
    finally:
        store.close()


def test_home_lists_and_agenda_count_a_draft_debrief_as_still_needed(agenda_db):
    """The early home read (``home_lists``) gives the store's lists; a draft debrief still needs finishing."""
    store = open_store(agenda_db, owner="tester")
    try:
        drafted = store.calls.needing_debrief()[0].id
        store.debriefs.save(drafted, went_well="a draft")
        undated = store.calls.create(store.accounts.rows()[0].id, None, objective="No time yet")
        lists = home_lists(agenda_db, FROZEN_NOW, owner="tester", limit=50)
        assert lists.upcoming == store.calls.upcoming(limit=50)
        assert lists.needing_debrief == store.calls.needing_debrief(limit=50)
        assert drafted in [c.id for c in lists.needing_debrief]
        assert undated in [c.id for c in lists.upcoming]
        found = agenda(agenda_db, FROZEN_NOW, FROZEN_NOW + timedelta(days=7), owner="tester", debriefs=50)
        assert drafted in [c.id for c in found.needing_debrief]
    finally:
        store.close()


def test_only_my_calls(db_path, frozen_now):
    mine = open_store(db_path, owner="me")
    account = mine.accounts.create("Mine")
    mine.calls.create(account.id, frozen_now + timedelta(days=1), objective="my call")
    mine.close()
    theirs = open_store(db_path, owner="someone else")
    other = theirs.accounts.create("Theirs")
    theirs.calls.create(other.id, frozen_now + timedelta(days=1), objective="their call")
    theirs.close()
    found = agenda(db_path, frozen_now, frozen_now + timedelta(days=7), owner="me")
    assert [c.objective for c in found.upcoming] == ["my call"]


def test_colour_only_when_asked(agenda_db):
    from salestui.cli.agenda import text_lines

    found = agenda(agenda_db, FROZEN_NOW, FROZEN_NOW + timedelta(days=7), owner="tester")
    plain = text_lines(found, FROZEN_NOW.date(), 7)
    painted = text_lines(found, FROZEN_NOW.date(), 7, colour=True)
    assert not any("\x1b" in line for line in plain)
    assert any("\x1b[1m" in line for line in painted)
    assert [line.replace("\x1b", "") for line in plain] == plain


def test_agenda_imports_no_sqlalchemy_and_answers_fast(agenda_db):
    code = (
        "import sys, time; start = time.perf_counter(); from salestui.cli import main; "
        f"main(['agenda', '--db', {str(agenda_db)!r}]); "
        "print(f'ELAPSED {time.perf_counter() - start:.3f}'); "
        "print('HEAVY', sorted({m.split('.')[0] for m in sys.modules} & {'sqlalchemy', 'sqlmodel', 'alembic', 'textual'}))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert "HEAVY []" in result.stdout, result.stdout + result.stderr
    elapsed = float(result.stdout.split("ELAPSED ")[1].split()[0])
    assert elapsed < 2.0  # about 0.1 s on the 2-core CI machine; 2 s only catches an accidental SQLAlchemy import


def test_empty_missing_and_bad_databases(tmp_path):
    missing = tmp_path / "none.db"
    result = salestui("today", "--db", str(missing))  # a mistyped path is not an empty agenda (issue 30)
    assert result.returncode == 2 and result.stdout == "" and "no database at" in result.stderr
    assert not missing.exists()
    bad = tmp_path / "bad.db"
    bad.write_text("not a database")
    result = salestui("agenda", "--db", str(bad))
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "not a SQLite database" in result.stderr
    assert salestui("agenda", "--days", "0", "--db", str(missing)).returncode == 2
