"""Team mode on both backends: round trips, migrations, concurrency, owner scope, team figures, migrate-to.

The PostgreSQL cases run against a real server when SALESTUI_TEST_PG_URL is set (see
.ci/postgres.sh) and are skipped with that reason otherwise; every case gets a fresh database.
"""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlmodel import SQLModel

from salestui.cli import main
from salestui.domain.enums import AdvanceLevel, CallStatus, Handling, Outcome
from salestui.domain.team import RepCounts, percent, team_figures, total
from salestui.store import tables as t
from salestui.store.core import StaleEdit, Store, StoreError, open_store, plain_message
from salestui.store.demo import load_demo
from salestui.store.preflight import DatabaseProblem
from salestui.store.schema import HEAD
from salestui.store.team import rep_counts
from salestui.store.transfer import copied_tables
from salestui.text import entered

HOSTILE = "[/] [TODO] [@click=app.quit]x[/] \x1b[2J émoji 🚀 עברית a\u200db"


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request, tmp_path) -> str:  # type: ignore[no-untyped-def]
    """A database location several stores can open: a SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "shared.db")
    return str(request.getfixturevalue("pg_url"))


def _open(where: str, owner: str) -> Store:
    return open_store(where, owner=owner)


# -- store round trips and backend details ------------------------------------------------------
def test_round_trip_of_text_dates_and_booleans(any_store, frozen_now):
    store = any_store
    account = store.accounts.create(HOSTILE, industry="x" * 10_000, city="Dayton")
    assert store.accounts.get(account.id).name == entered(HOSTILE)  # the escape code loses its ESC
    assert store.accounts.get(account.id).industry == "x" * 10_000
    when = datetime(2026, 11, 24, 15, 30, tzinfo=UTC)
    call_id = store.calls.create(account.id, when, objective=HOSTILE)
    store.calls.set_advance(call_id, AdvanceLevel.TARGET, "Pilot in one plant", due=date(2026, 12, 1))
    objection = store.calls.add_objection(call_id, "Too expensive", "Phase it")
    store.calls.set_raised(objection, True)
    store.calls.update_objection(objection, handling=Handling.WELL.value)
    plan = store.calls.plan(call_id)
    assert plan.scheduled_at == when and plan.scheduled_at.tzinfo is not None
    # The accounts list's "next call" is an aggregate: it comes back as the same aware time.
    (row,) = store.accounts.rows()
    assert row.next_call_at == when and row.next_call_at.tzinfo is not None
    assert plan.objective == entered(HOSTILE)
    assert plan.objections[0].raised is True and plan.objections[0].handling is Handling.WELL
    assert [a.due for a in plan.advances if a.level is AdvanceLevel.TARGET] == [date(2026, 12, 1)]
    item = plan.checklist[0]
    store.calls.set_checklist_done(item.id, True)
    assert store.calls.plan(call_id).checklist[0].done is True
    store.calls.secure(call_id, AdvanceLevel.TARGET)
    store.calls.end(call_id)
    done = store.calls.plan(call_id)
    assert done.outcome is Outcome.ADVANCE and done.status is CallStatus.DONE
    assert done.ended_at is not None and done.ended_at.tzinfo is not None


def test_one_secured_advance_per_call_is_enforced_by_the_database(any_store):
    store = any_store
    account = store.accounts.create("Acme")
    call_id = store.calls.create(account.id)
    with pytest.raises(StoreError), store.transaction() as session:
        session.add(t.Advance(call_id=call_id, level="target", action="a", secured=True))
        session.add(t.Advance(call_id=call_id, level="fallback", action="b", secured=True))
    with store.reading() as session:
        assert session.exec(select(t.Advance).where(t.Advance.call_id == call_id)).all() == []


def test_nul_is_removed_on_both_backends(any_store):
    store = any_store
    account = store.accounts.create("Nul\x00name")
    assert store.accounts.get(account.id).name == "Nulname"


# -- migrations on PostgreSQL ------------------------------------------------------------------
def test_migrations_run_on_postgresql_up_and_down(pg_url):
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import inspect

    from salestui.store.engine import make_engine, migrate

    engine = make_engine(pg_url)
    migrate(engine)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == HEAD
        tables = set(inspect(connection).get_table_names())
        assert {table.name for table in copied_tables()} <= tables
        index = connection.execute(
            text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ux_advance_one_secured'")
        ).scalar()
        assert index is not None and "UNIQUE" in index and "WHERE secured" in index
        types = dict(
            connection.execute(
                text("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'advance'")
            ).all()
        )
        assert types["secured"] == "boolean" and types["created_at"] == "timestamp without time zone"
        assert connection.execute(text("SELECT count(*) FROM checklist_template_item")).scalar() > 0
    config = Config()
    config.set_main_option("script_location", str(Path("salestui/store/migrations").resolve()))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
    with engine.connect() as connection:
        assert set(inspect(connection).get_table_names()) <= {"alembic_version"}
    migrate(engine)  # and up again
    engine.dispose()
    store = open_store(pg_url, owner="tester")
    assert store.accounts.count() == 0
    store.close()


def test_newer_or_foreign_postgresql_database_is_refused(pg_url):
    store = open_store(pg_url, owner="tester")
    with store.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    store.close()
    with pytest.raises(DatabaseProblem, match="newer salestui"):
        open_store(pg_url)


def test_postgresql_database_with_other_tables_is_refused(pg_url):
    from sqlalchemy import create_engine

    engine = create_engine(pg_url)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE invoices (id int)"))
    engine.dispose()
    with pytest.raises(DatabaseProblem, match="not a salestui database"):
        open_store(pg_url)


# -- concurrency: two reps (two Store objects) at once -------------------------------------------
def test_edits_to_different_records_both_survive(target):
    alice, bob = _open(target, "alice"), _open(target, "bob")
    first = alice.accounts.create("Initech")
    second = alice.accounts.create("Acme")
    alice.accounts.update(first.id, first.version, notes="alice's note")
    bob.accounts.update(second.id, second.version, notes="bob's note")
    check = _open(target, "carol")
    assert check.accounts.get(first.id).notes == "alice's note"
    assert check.accounts.get(second.id).notes == "bob's note"
    for store in (alice, bob, check):
        store.close()


def test_same_record_later_writer_gets_stale_edit(target):
    alice, bob = _open(target, "alice"), _open(target, "bob")
    account = alice.accounts.create("Initech")
    seen_by_bob = bob.accounts.get(account.id)
    alice.accounts.update(account.id, account.version, notes="alice first")
    with pytest.raises(StaleEdit):
        bob.accounts.update(account.id, seen_by_bob.version, notes="bob overwrites")
    assert bob.accounts.get(account.id).notes == "alice first"
    # After reloading, bob's edit goes through on the new version.
    fresh = bob.accounts.get(account.id)
    bob.accounts.update(account.id, fresh.version, notes="bob after reload")
    assert alice.accounts.get(account.id).notes == "bob after reload"
    alice.close()
    bob.close()


def test_simultaneous_writers_of_one_record_exactly_one_wins(target):
    stores = [_open(target, f"rep{i}") for i in range(4)]
    account = stores[0].accounts.create("Initech")
    debrief_call = stores[0].calls.create(account.id)
    stores[0].debriefs.save(debrief_call, went_well="start")
    version = stores[0].debriefs.get(debrief_call).version
    gate = threading.Barrier(len(stores))
    results: list[str] = []

    def write(store: Store, index: int) -> None:
        gate.wait()
        try:
            store.accounts.update(account.id, account.version, notes=f"writer {index}")
            store.debriefs.save(debrief_call, version, lessons=f"writer {index}")
            results.append(f"won {index}")
        except StaleEdit:
            results.append("stale")
        except StoreError as error:  # SQLite: busy beyond the timeout would land here
            results.append(f"error {error}")

    threads = [threading.Thread(target=write, args=(s, i)) for i, s in enumerate(stores)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    winners = [r for r in results if r.startswith("won")]
    assert len(winners) == 1 and results.count("stale") == len(stores) - 1, results
    index = winners[0].split()[1]
    assert stores[1].accounts.get(account.id).notes == f"writer {index}"
    debrief = stores[1].debriefs.get(debrief_call)
    assert debrief is not None and debrief.lessons == f"writer {index}" and debrief.went_well == "start"
    for store in stores:
        store.close()


# -- owner and scope -------------------------------------------------------------------------------
def _two_reps(where: str, now: datetime) -> tuple[Store, Store]:
    alice, bob = _open(where, "alice"), _open(where, "bob")
    a = alice.accounts.create("Alice's account")
    b = bob.accounts.create("Bob's account")
    alice.calls.create(a.id, now + timedelta(days=1), objective="alice upcoming")
    alice.calls.create(a.id, now - timedelta(days=1), objective="alice past")
    bob.calls.create(b.id, now + timedelta(days=2), objective="bob upcoming")
    bob.calls.create(b.id, now - timedelta(days=2), objective="bob past")
    return alice, bob


def test_default_lists_show_my_records_and_team_view_shows_everyone(target, frozen_now):
    alice, bob = _two_reps(target, frozen_now)
    assert [r.name for r in alice.accounts.rows()] == ["Alice's account"]
    assert [c.objective for c in alice.calls.upcoming()] == ["alice upcoming"]
    assert [c.objective for c in alice.calls.needing_debrief()] == ["alice past"]
    assert [c.objective for c in bob.calls.upcoming()] == ["bob upcoming"]
    alice.team_view = True
    assert [r.name for r in alice.accounts.rows()] == ["Alice's account", "Bob's account"]
    assert [c.objective for c in alice.calls.upcoming()] == ["alice upcoming", "bob upcoming"]
    assert [c.objective for c in alice.calls.needing_debrief()] == ["alice past", "bob past"]
    # Records without an owner (older tools) count as everyone's own.
    with alice.transaction() as session:
        session.add(t.Account(name="Unowned", owner=""))
    assert "Unowned" in [r.name for r in bob.accounts.rows()]
    alice.close()
    bob.close()


def test_new_account_form_finds_only_the_reps_own_account_of_that_name(target, frozen_now):
    alice, bob = _two_reps(target, frozen_now)
    theirs = alice.accounts.find_by_name("Bob's account")
    assert theirs is not None and alice.accounts.find_by_name("Bob's account", mine=True) is None
    # So Alice gets her own account of that name rather than opening (and failing to edit) Bob's.
    own = alice.accounts.create("Bob's  ACCOUNT")
    assert alice.accounts.find_by_name("bob's account", mine=True).id == own.id != theirs.id
    assert bob.accounts.find_by_name("Bob's account", mine=True).id == theirs.id
    with alice.transaction() as session:
        session.add(t.Account(name="Unowned", owner=""))
    assert bob.accounts.find_by_name("unowned", mine=True) is not None  # everyone's own
    alice.close()
    bob.close()


def test_owner_is_recorded_once_per_login(target, monkeypatch):
    from salestui.store.owner import login, rename_owner, setting_key

    monkeypatch.delenv("SALESTUI_OWNER", raising=False)
    first = open_store(target)
    assert first.owner == login()
    key = setting_key(first)
    assert key == ("owner" if first.engine.dialect.name == "sqlite" else f"owner:{login()}")
    account = first.accounts.create("Mine")
    old, accounts, calls = rename_owner(first, "Alice Smith")
    assert (old, accounts, calls) == (login(), 1, 0)
    first.close()
    again = open_store(target)
    assert again.owner == "Alice Smith"
    assert [r.id for r in again.accounts.rows()] == [account.id]
    again.close()
    monkeypatch.setenv("SALESTUI_OWNER", "Visiting Rep")
    visiting = open_store(target)
    assert visiting.owner == "Visiting Rep" and visiting.accounts.rows() == []
    visiting.close()


def test_config_owner_command(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("SALESTUI_OWNER", raising=False)
    db = str(tmp_path / "c.db")
    assert main(["config", "owner", "--db", db]) == 0
    from salestui.store.owner import login

    assert capsys.readouterr().out.strip() == login()
    assert main(["config", "owner", "Dana Rep", "--db", db]) == 0
    assert "Dana Rep" in capsys.readouterr().out
    assert main(["config", "owner", "--db", db]) == 0
    assert capsys.readouterr().out.strip() == "Dana Rep"
    assert main(["config", "owner", "  ", "--db", db]) == 2


# -- the manager view ---------------------------------------------------------------------------------
def test_team_figures_from_a_two_rep_dataset(target, frozen_now):
    alice = _open(target, "alice")
    load_demo(alice, now=frozen_now)
    bob = _open(target, "bob")
    acme = bob.accounts.create("Bob's prospect")
    won = bob.calls.create(acme.id, frozen_now - timedelta(days=10))
    bob.calls.set_advance(won, AdvanceLevel.TARGET, "Pilot")
    bob.calls.secure(won, AdvanceLevel.TARGET)
    bob.calls.end(won)
    bob.debriefs.finish(won, lessons="ok", follow_up=(frozen_now - timedelta(days=3)).date())  # overdue
    lost = bob.calls.create(acme.id, frozen_now - timedelta(days=5))
    bob.calls.set_outcome(lost, Outcome.CONTINUATION)  # held, not debriefed
    cancelled = bob.calls.create(acme.id, frozen_now - timedelta(days=4))
    bob.calls.set_outcome(cancelled, Outcome.CANCELLED)  # not held
    bob.calls.create(acme.id, frozen_now + timedelta(days=3))  # upcoming
    counts = {c.owner: c for c in rep_counts(bob)}
    # The later call (day -5) follows the day -10 call, so its follow-up is not overdue.
    assert counts["bob"] == RepCounts("bob", calls_held=2, advances=1, debriefed=1, overdue_follow_ups=0, upcoming=1)
    assert counts["alice"] == RepCounts(
        # Held as in the rep's own stats: an outcome, not cancelled (the demo's last call has none yet).
        "alice",
        calls_held=6,
        advances=4,
        debriefed=5,
        overdue_follow_ups=1,
        upcoming=3,
    )
    lines = team_figures(counts.values())
    assert [(f.owner, f.calls_held, percent(f.advance_rate), percent(f.debrief_rate)) for f in lines] == [
        ("alice", 6, "67%", "83%"),
        ("bob", 2, "50%", "50%"),
    ]
    alice.close()
    bob.close()


def test_overdue_follow_up_without_a_later_call(any_store, frozen_now):
    store = any_store
    account = store.accounts.create("Quiet account")
    call_id = store.calls.create(account.id, frozen_now - timedelta(days=9))
    store.debriefs.finish(call_id, follow_up=(frozen_now - timedelta(days=2)).date())
    assert rep_counts(store)[0].overdue_follow_ups == 1
    store.debriefs.draft_next_call(call_id, frozen_now + timedelta(days=1))
    assert rep_counts(store)[0].overdue_follow_ups == 0


def test_team_domain_rates_and_totals():
    counts = [RepCounts("b", 4, 1, 2, 0, 1), RepCounts("A", 0, 0, 0, 3, 0), RepCounts("b", 4, 3, 2, 1, 0)]
    lines = team_figures(counts)
    assert [f.owner for f in lines] == ["A", "b"]
    assert lines[0].advance_rate is None and percent(lines[0].advance_rate) == "—"
    assert lines[1].calls_held == 8 and lines[1].advance_rate == 0.5 and lines[1].debrief_rate == 0.5
    assert total(counts) == RepCounts("Team", 8, 4, 4, 4, 1)


# -- migrate-to ------------------------------------------------------------------------------------------
def _contents(where: str) -> dict[str, list[dict[str, object]]]:
    """Every copied table's rows, ordered by primary key (values as Python sees them)."""
    from salestui.store.core import open_engine

    engine = open_engine(where)
    with engine.connect() as connection:
        contents = {
            table.name: [
                dict(row._mapping)
                for row in connection.execute(select(table).order_by(*table.primary_key.columns)).all()
            ]
            for table in copied_tables()
        }
    engine.dispose()
    return contents


def test_migrate_to_round_trip_sqlite_postgresql_sqlite(tmp_path, pg_url, frozen_now, capsys):
    source = str(tmp_path / "source.db")
    store = open_store(source, owner="alice")
    load_demo(store, now=frozen_now)
    account = store.accounts.create(HOSTILE)
    previous = store.calls.create(account.id, frozen_now - timedelta(days=3))
    store.debriefs.save(previous, lessons=HOSTILE)
    store.debriefs.draft_next_call(previous, frozen_now + timedelta(days=4))
    store.debriefs.save(store.calls.needing_debrief()[0].id, went_well=HOSTILE)  # a draft
    store.close()
    before = _contents(source)
    finished = [row["finished_at"] for row in before["debrief"]]
    assert None in finished and any(finished)  # drafts and finished debriefs both travel

    assert main(["migrate-to", pg_url, "--db", source]) == 0
    out = capsys.readouterr().out
    assert "call " in out and "MISMATCH" not in out
    assert _contents(pg_url) == before

    back = str(tmp_path / "back.db")
    assert main(["migrate-to", back, "--db", pg_url]) == 0
    assert _contents(back) == before
    assert {name: len(rows) for name, rows in before.items()}["call"] == 12

    # Sequences were moved past the copied ids: new rows on the server get fresh ids.
    server = open_store(pg_url, owner="alice")
    newest = server.accounts.create("After the move")
    assert newest.id > max(row["id"] for row in before["account"])  # type: ignore[type-var]
    assert server.calls.create(newest.id) > max(row["id"] for row in before["call"])  # type: ignore[type-var]
    assert len(server.accounts.rows()) == len(before["account"]) + 1
    server.close()


def test_migrate_to_sqlite_copy_and_refusals(tmp_path, frozen_now, capsys):
    source = str(tmp_path / "source.db")
    store = open_store(source, owner="alice")
    load_demo(store, now=frozen_now)
    store.close()
    copy = str(tmp_path / "copy.db")
    assert main(["migrate-to", copy, "--db", source]) == 0
    assert _contents(copy) == _contents(source)
    capsys.readouterr()
    assert main(["migrate-to", copy, "--db", source]) == 2  # the target already holds data
    assert "needs an empty database" in capsys.readouterr().err
    assert main(["migrate-to", source, "--db", source]) == 2
    assert "same database" in capsys.readouterr().err
    assert main(["migrate-to", "postgresql+psycopg://nobody@127.0.0.1:1/x", "--db", source]) == 2
    err = capsys.readouterr().err
    assert "cannot be reached" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_migrate_to_failure_leaves_the_target_empty(tmp_path, frozen_now, capsys, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from salestui.store import transfer

    source = str(tmp_path / "source.db")
    store = open_store(source, owner="alice")
    load_demo(store, now=frozen_now)
    store.close()
    real = transfer._copy_table

    def failing(reader, writer, table, progress):  # type: ignore[no-untyped-def]
        if table.name == "debrief":
            raise OperationalError("INSERT", {}, Exception("database or disk is full"))
        real(reader, writer, table, progress)

    monkeypatch.setattr(transfer, "_copy_table", failing)
    copy = str(tmp_path / "copy.db")
    assert main(["migrate-to", copy, "--db", source]) == 2
    assert "rolled back" in capsys.readouterr().err
    assert all(not rows for name, rows in _contents(copy).items() if name not in transfer.SEEDED)


def test_migrate_to_reports_a_count_mismatch(tmp_path, frozen_now, capsys, monkeypatch):
    from salestui.store import transfer

    source = str(tmp_path / "source.db")
    open_store(source, owner="alice").close()
    monkeypatch.setattr(transfer, "copy_database", lambda *_a, **_k: [transfer.TableCount("call", 3, 2)])
    assert main(["migrate-to", str(tmp_path / "copy.db"), "--db", source]) == 2
    captured = capsys.readouterr()
    assert "MISMATCH" in captured.out and "row counts differ in call" in captured.err


def test_copied_tables_cover_the_schema():
    names = [table.name for table in copied_tables()]
    assert set(names) == {tb.name for tb in SQLModel.metadata.sorted_tables} - {"alembic_version"}
    assert names.index("account") < names.index("call") < names.index("debrief")


# -- errors in plain words ------------------------------------------------------------------------------
class _ServerError(Exception):
    def __init__(self, message: str, sqlstate: str | None = None) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate


@pytest.mark.parametrize(
    ("message", "sqlstate", "expected"),
    [
        ("could not serialize access due to concurrent update", "40001", "at the same moment"),
        ("deadlock detected", "40P01", "at the same moment"),
        ("could not extend file: No space left on device", "53100", "disk is full"),
        ('connection to server at "127.0.0.1", port 1 failed: Connection refused', None, "cannot be reached"),
        ("connection timeout expired", None, "cannot be reached"),
        ('FATAL:  password authentication failed for user "x"', "28P01", "refused the login"),
        ('FATAL:  database "nope" does not exist', None, "does not exist"),
        ("database or disk is full", None, "full"),
        ("database is locked", None, "busy"),
    ],
)
def test_plain_messages_for_server_and_file_errors(message, sqlstate, expected):
    error = _ServerError(message, sqlstate)
    assert expected in plain_message(error)


def test_unreachable_server_is_one_line_without_traceback(capsys):
    url = "postgresql+psycopg://rep@127.0.0.1:1/team"
    assert main(["--db", url]) == 2
    err = capsys.readouterr().err
    assert err.startswith("salestui: Cannot open postgresql+psycopg://rep@127.0.0.1:1/team")
    assert "cannot be reached" in err and len(err.strip().splitlines()) == 1
    assert main(["demo", "--db", url]) == 2
    assert "cannot be reached" in capsys.readouterr().err


def test_password_is_not_shown_in_messages(capsys):
    assert main(["--db", "postgresql+psycopg://rep:s3cret@127.0.0.1:1/team"]) == 2
    err = capsys.readouterr().err
    assert "s3cret" not in err and "***" in err


def test_postgresql_tests_skip_with_a_reason(monkeypatch):
    from tests import pg

    monkeypatch.delenv(pg.ENV, raising=False)
    with pytest.raises(pytest.skip.Exception, match="set SALESTUI_TEST_PG_URL to run PostgreSQL tests"):
        next(pg.fresh_database())


def test_json_import_moves_sequences_past_the_restored_ids(any_store, tmp_path, frozen_now):
    from salestui.io.json_io import dump_json, import_json

    source = open_store(tmp_path / "source.db", owner="tester")
    load_demo(source, now=frozen_now)
    exported = tmp_path / "all.json"
    exported.write_text(dump_json(source), encoding="utf-8")
    source.close()
    import_json(any_store, exported)
    accounts, calls = len(any_store.accounts.rows()), any_store.calls.count()
    account = any_store.accounts.create("After the import")
    assert account.id == accounts + 1  # the demo's ids run from 1 without gaps
    assert any_store.calls.create(account.id) == calls + 1
