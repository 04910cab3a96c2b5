"""The team schema defends itself (issue 29, cases 2-4; migration 0016_team_hardening).

Against the CI PostgreSQL server with real logins: an administrator that is no superuser (it
creates and owns the tables), reps alice and bob, manager maria (``tests/test_team_rls.py``).
Each case failed before 0016: a rep could rewrite ``alembic_version``, change another rep's
``import_origin`` rows, and delete another rep's calls through a cascade.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from salestui.cli import main
from salestui.io.crm_csv import import_accounts_csv
from salestui.store.core import StoreError, open_store
from salestui.store.engine import make_engine, migrate
from salestui.store.preflight import DatabaseProblem
from salestui.store.schema import HEAD
from tests.test_team_rls import Logins, run_as, team_logins

READ_ONLY = ("alembic_version", "setting", "checklist_template_item")


def _one(url: str, sql: str, **params: object) -> object:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return connection.execute(text(sql), params).scalar()
    finally:
        engine.dispose()


# -- case 2: the schema's bookkeeping ----------------------------------------------------------------
def test_a_rep_cannot_rewrite_or_delete_the_schema_version(logins):
    for url in (logins.rep_a, logins.manager):
        for sql in (
            "UPDATE alembic_version SET version_num = '9999_future'",
            "DELETE FROM alembic_version",
            "INSERT INTO alembic_version VALUES ('9999_future')",
            "TRUNCATE alembic_version",
        ):
            with pytest.raises(DBAPIError, match="permission denied"):
                run_as(url, sql)
    assert _one(logins.rep_b, "SELECT version_num FROM alembic_version") == HEAD  # reps still read it
    # So every client still opens, the admin's too.
    for url in (logins.admin, logins.rep_a, logins.rep_b, logins.manager):
        open_store(url).close()


def test_the_teams_settings_and_template_are_the_administrators(logins):
    for table in ("setting", "checklist_template_item"):
        with pytest.raises(DBAPIError, match="permission denied"):
            run_as(logins.rep_a, f"DELETE FROM {table}")
        with pytest.raises(DBAPIError, match="permission denied"):
            run_as(logins.rep_a, f"UPDATE {table} SET updated_at = updated_at")
    alice = open_store(logins.rep_a)
    before = alice.calls.template()
    with pytest.raises(StoreError, match="only the administrator changes the team's settings"):
        alice.calls.set_template(["Bring cake"])
    assert alice.calls.template() == before
    alice.close()
    admin = open_store(logins.admin)
    admin.calls.set_template(["Agenda sent", "Bring cake"])
    admin.close()
    alice = open_store(logins.rep_a)
    assert alice.calls.template() == ["Agenda sent", "Bring cake"]
    alice.close()


# -- case 3: import_origin under row-level security ----------------------------------------------------
def test_another_rep_cannot_make_a_reimport_overwrite_my_edit(logins, tmp_path: Path):
    csv = tmp_path / "crm.csv"
    csv.write_text("Account Name,Phone,City\nInitech,555-0100,Austin\n", encoding="utf-8")
    alice = open_store(logins.rep_a)
    assert import_accounts_csv(alice, csv, {}).created == 1
    initech = alice.accounts.find_by_name("Initech", mine=True)
    assert initech is not None
    alice.accounts.update(initech.id, phone="555-0199")  # her own correction
    # Bob, with psql: make the import history say the import wrote her number (so the next
    # import would take it for the CRM's and overwrite it), plant, delete.
    b = logins.rep_b
    assert run_as(b, "UPDATE import_origin SET value = '555-0199' WHERE account_id = :a", a=initech.id) == 0
    assert run_as(b, "DELETE FROM import_origin WHERE account_id = :a", a=initech.id) == 0
    with pytest.raises(DBAPIError, match="row-level security"):
        run_as(b, "INSERT INTO import_origin (account_id, field, value) VALUES (:a, 'city', 'x')", a=initech.id)
    assert _one(b, "SELECT count(*) FROM import_origin WHERE account_id = :a", a=initech.id) >= 2  # type: ignore[operator]
    # Alice's re-import keeps her edit and still updates what the CRM changed.
    csv.write_text("Account Name,Phone,City\nInitech,555-0100,Dallas\n", encoding="utf-8")
    report = import_accounts_csv(alice, csv, {})
    assert report.updated == 1
    row = alice.accounts.get(initech.id)
    assert (row.phone, row.city) == ("555-0199", "Dallas")
    alice.close()


# -- case 4: a delete that would cascade into another rep's rows ----------------------------------------
def test_a_delete_that_would_take_another_reps_call_is_refused_naming_whose(logins, capsys):
    alice, bob = open_store(logins.rep_a), open_store(logins.rep_b)
    bob_name = logins.names["b"]
    initech = alice.accounts.create("Initech")
    dana = alice.accounts.add_contact(initech.id, "Dana")
    mine = alice.calls.create(initech.id, objective="Alice's own call")
    bobs = bob.calls.create(initech.id, objective="Bob's call on her account")  # p on her account
    bob.calls.add_objection(bobs, "Too expensive", "Phase it")
    bob.calls.set_contacts(bobs, [dana.id])

    message = f"account 'Initech' has 1 call of {bob_name}'s: ask {bob_name} to move or delete it first"
    with pytest.raises(StoreError) as refused:
        alice.accounts.delete(initech.id)
    assert str(refused.value) == message  # one line, no SQL, no CONTEXT
    with pytest.raises(DBAPIError, match=f"1 call of {bob_name}'s"):
        run_as(logins.rep_a, "DELETE FROM account WHERE id = :a", a=initech.id)
    # Her contact attends his call: deleting it alone would take his attendee row.
    with pytest.raises(StoreError, match=f"contact 'Dana' attends 1 call of {bob_name}'s"):
        alice.accounts.delete_contact(dana.id)
    # Nothing went: his call and its plan, her account, contact and call.
    plan = bob.calls.plan(bobs)
    assert plan.objective == "Bob's call on her account" and [o.text for o in plan.objections] == ["Too expensive"]
    assert alice.accounts.get(initech.id).name == "Initech"
    assert alice.calls.plan(mine).objective == "Alice's own call"
    # Bob's calls elsewhere that list her contact count too, named per rep.
    globex = bob.accounts.create("Globex")
    other = bob.calls.create(globex.id)
    bob.calls.set_contacts(other, [dana.id])
    with pytest.raises(StoreError, match=f"has 2 calls of {bob_name}'s: ask {bob_name} to move or delete them"):
        alice.accounts.delete(initech.id)
    # Once bob moved his calls away, her delete goes through (her own call goes with it).
    bob.calls.delete(bobs)
    bob.calls.set_contacts(other, [])
    alice.accounts.delete(initech.id)
    assert alice.accounts.find_by_name("Initech") is None
    assert _one(logins.superuser, 'SELECT count(*) FROM "call" WHERE id = :c', c=mine) == 0
    alice.close()
    bob.close()


def test_the_owner_deleting_only_their_own_rows_is_not_refused(logins):
    alice = open_store(logins.rep_a)
    acme = alice.accounts.create("Acme")
    dana = alice.accounts.add_contact(acme.id, "Dana")
    call_id = alice.calls.create(acme.id)
    alice.calls.set_contacts(call_id, [dana.id])
    alice.accounts.delete_contact(dana.id)
    alice.accounts.delete(acme.id)
    assert alice.accounts.count() == 0
    alice.close()


# -- every table protected -----------------------------------------------------------------------------
def test_every_table_has_policies_or_is_read_only_for_reps(logins):
    """Lists every table and view of the schema: each is under forced row-level security with
    policies, or reps and the manager cannot write it at all (tried, not only looked up)."""
    engine = create_engine(logins.superuser, poolclass=NullPool)
    with engine.connect() as connection:
        tables = connection.execute(
            text(
                "SELECT c.relname, c.relkind, c.relrowsecurity, c.relforcerowsecurity,"
                " (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid),"
                " pg_get_userbyid(c.relowner)"
                " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'f') ORDER BY 1"
            )
        ).all()
    engine.dispose()
    names = {row[0] for row in tables}
    assert {"account", "call", "import_origin", "join_origin", *READ_ONLY} <= names
    unprotected = []
    for name, _kind, rls, forced, policies, owner in tables:
        assert owner == logins.names["admin"], f"{name} is owned by {owner}, not the administrator"
        for url in (logins.rep_a, logins.manager):
            with pytest.raises(DBAPIError, match="permission denied"):
                run_as(url, f'TRUNCATE "{name}"')  # TRUNCATE would skip row-level security
        if rls and forced and policies >= 4:
            continue
        for url in (logins.rep_a, logins.manager):
            for sql in (
                f'DELETE FROM "{name}" WHERE false',
                f'UPDATE "{name}" SET {_column(logins, name)} WHERE false',
            ):
                try:
                    run_as(url, sql)
                except DBAPIError as error:
                    if "permission denied" in str(error):
                        continue
                    raise
                unprotected.append((name, sql))
    assert unprotected == []
    assert {name for name, _k, rls, *_rest in tables if not rls} >= set(READ_ONLY)


def _column(logins: Logins, table: str) -> str:
    name = _one(
        logins.superuser,
        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = :t"
        " ORDER BY ordinal_position LIMIT 1",
        t=table,
    )
    return f'"{name}" = "{name}"'


# -- who upgrades ------------------------------------------------------------------------------------------
def test_a_rep_behind_the_schema_is_told_to_ask_for_team_upgrade(pg_url, capsys):
    logins_iter = team_logins(pg_url, set_up=False)
    logins = next(logins_iter)
    try:
        # An empty team database: a rep does not create (and so own) the tables.
        with pytest.raises(DatabaseProblem, match="ask your administrator to run `salestui team init"):
            open_store(logins.rep_a)
        engine = make_engine(logins.admin)
        migrate(engine, "0015_pg_search")
        engine.dispose()
        # Behind: one line naming the command, for the app and for every subcommand.
        with pytest.raises(DatabaseProblem) as behind:
            open_store(logins.rep_a)
        assert "ask your administrator to run `salestui team upgrade`" in str(behind.value)
        assert "lacks the rights" not in str(behind.value)
        assert main(["--db", logins.rep_b]) == 2
        err = capsys.readouterr().err
        assert "salestui team upgrade" in err and len(err.strip().splitlines()) == 1
        assert main(["agenda", "--db", logins.manager]) == 2
        assert "salestui team upgrade" in capsys.readouterr().err
        assert _one(logins.superuser, "SELECT version_num FROM alembic_version") == "0015_pg_search"
        # The administrator's client upgrades it; then the reps open.
        open_store(logins.admin).close()
        open_store(logins.rep_a).close()
    finally:
        next(logins_iter, None)


async def test_the_accounts_list_says_whose_calls_stop_a_delete_before_asking(logins):
    """Alice presses d on her account with bob's call on it: one line naming bob and the count,
    no confirmation that the database would then refuse."""
    from salestui.app import SalesApp
    from salestui.modals.confirm import Confirm
    from salestui.screens.accounts import AccountsScreen
    from tests.helpers import settle, toasts, wait_ready, wait_screen

    alice, bob = open_store(logins.rep_a), open_store(logins.rep_b)
    initech = alice.accounts.create("Initech")
    bob.calls.create(initech.id, objective="Bob's call")
    alice.close()
    bob.close()
    bob_name = logins.names["b"]
    app = SalesApp(logins.rep_a)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        app.action_research()
        accounts = await wait_screen(pilot, AccountsScreen)
        accounts.query_one("DataTable").focus()
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert not isinstance(app.screen, Confirm)
        expected = f"account 'Initech' has 1 call of {bob_name}'s: ask {bob_name} to move or delete it first"
        assert expected in toasts(app)
    assert _one(logins.superuser, "SELECT count(*) FROM account WHERE name = 'Initech'") == 1
