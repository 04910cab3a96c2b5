"""Team mode guarantees (issue 17, items 9 and 10).

9. On PostgreSQL the owner is the login, and the database itself (row-level security of
   migration 0010_team_rls) keeps a rep from changing another rep's rows: tested with real,
   non-superuser logins created in the throwaway cluster (the CI URL logs in as a superuser,
   which row-level security never binds). An administrator login that is no superuser creates
   the tables (it owns them), so FORCE ROW LEVEL SECURITY is tested too.
10. Three concurrent imports of one CSV file create each account once, on both backends.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from salestui.cli import main
from salestui.io.crm_csv import import_accounts_csv, import_contacts_csv
from salestui.store import tables as t
from salestui.store.accounts import InvalidInput
from salestui.store.core import NotYours, StoreError, open_store
from salestui.store.engine import make_engine, migrate, sqlite_url
from salestui.store.owner import rename_owner

ROLES = ("salestui_rep", "salestui_manager")


@dataclass(frozen=True)
class Logins:
    """URLs of a team's logins on one fresh database, and their role names (unique per test)."""

    admin: str
    """The administrator: not a superuser, CREATEROLE, owns the database and (after set-up) the tables."""
    rep_a: str
    rep_b: str
    manager: str
    names: dict[str, str]
    superuser: str
    """The test server's superuser (row-level security never binds it)."""


def _as(url: str, user: str) -> str:
    return make_url(url).set(username=user).render_as_string(hide_password=False)


def team_logins(pg_url: str, set_up: bool = True) -> Iterator[Logins]:
    """An administrator, two reps and a manager (none a superuser) for a fresh database.

    With ``set_up``, the administrator creates the tables (as ``salestui team init`` does): the
    tables' owner is then a login FORCE ROW LEVEL SECURITY binds, so the policies are tested
    against it too.
    """
    suffix = uuid.uuid4().hex[:8]
    names = {"a": f"alice_{suffix}", "b": f"bob_{suffix}", "m": f"maria_{suffix}", "admin": f"admin_{suffix}"}
    superuser = create_engine(pg_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    database = make_url(pg_url).database
    with superuser.connect() as connection:
        for role in ROLES:  # as the migration does: the roles may exist already (server-wide)
            connection.exec_driver_sql(
                f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}') THEN "
                f"CREATE ROLE {role} NOLOGIN; END IF; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$"
            )
        connection.exec_driver_sql(f"CREATE ROLE {names['admin']} LOGIN CREATEROLE NOSUPERUSER NOBYPASSRLS")
        connection.exec_driver_sql(f'ALTER DATABASE "{database}" OWNER TO {names["admin"]}')
        for key in ("a", "b", "m"):
            connection.exec_driver_sql(f"CREATE ROLE {names[key]} LOGIN NOSUPERUSER NOBYPASSRLS")
            connection.exec_driver_sql(f"GRANT {'salestui_manager' if key == 'm' else 'salestui_rep'} TO {names[key]}")
    logins = Logins(
        admin=_as(pg_url, names["admin"]),
        rep_a=_as(pg_url, names["a"]),
        rep_b=_as(pg_url, names["b"]),
        manager=_as(pg_url, names["m"]),
        names=names,
        superuser=pg_url,
    )
    try:
        if set_up:
            engine = make_engine(logins.admin)
            try:
                migrate(engine)
            finally:
                engine.dispose()
        yield logins
    finally:
        with superuser.connect() as connection:
            quoted = ", ".join(repr(n) for n in names.values())
            connection.exec_driver_sql(
                f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename IN ({quoted})"
            )
            connection.exec_driver_sql(f'ALTER DATABASE "{database}" OWNER TO CURRENT_USER')
            listed = ", ".join(names.values())
            connection.exec_driver_sql(f"DROP OWNED BY {listed} CASCADE")
            connection.exec_driver_sql(f"DROP ROLE IF EXISTS {listed}")
        superuser.dispose()


def run_as(url: str, sql: str, **params: object) -> int:
    """Run one statement as the URL's login in its own transaction; the number of rows it touched."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.begin() as connection:
            return int(connection.execute(text(sql), params).rowcount)
    finally:
        engine.dispose()


def _write(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


def test_a_rep_cannot_change_another_reps_rows_or_owner(logins, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("SALESTUI_OWNER", "somebody else")  # a chosen name is no longer the owner
    alice = open_store(logins.rep_a, owner="Bob")
    bob = open_store(logins.rep_b, owner="Alice")
    a_login, b_login = logins.names["a"], logins.names["b"]
    assert (alice.owner, bob.owner) == (a_login, b_login)

    acme = alice.accounts.create("Acme", industry="Manufacturing", notes="Alice's notes")
    contact = alice.accounts.add_contact(acme.id, "Dana", email="dana@acme.example")
    call_id = alice.calls.create(acme.id, objective="Alice's call")
    objection = alice.calls.add_objection(call_id, "Too expensive", "Phase it")

    # Reps read everyone's records.
    bob.team_view = True
    assert "Acme" in [row.name for row in bob.accounts.rows()]
    assert bob.accounts.get(acme.id).notes == "Alice's notes"
    assert bob.calls.plan(call_id).objective == "Alice's call"

    # Through the store: refused with a plain message, nothing changed.
    with pytest.raises(NotYours):
        bob.accounts.update(acme.id, industry="Retail")
    with pytest.raises(NotYours):
        bob.accounts.update(acme.id, owner=b_login)
    with pytest.raises(NotYours):
        bob.accounts.update_contact(contact.id, email="bob@evil.example")
    with pytest.raises(NotYours):
        bob.update_fields(t.Call, call_id, {"objective": "Bob's now", "owner": b_login})
    with pytest.raises(NotYours):
        bob.update_fields(t.Objection, objection, {"text": "Bob's text"})
    with pytest.raises(StoreError, match="another rep"):
        bob.accounts.add_contact(acme.id, "Planted")
    with pytest.raises(NotYours):
        bob.calls.cancel(call_id)  # an ORM update
    for remove, row_id in (
        (bob.calls.delete_objection, objection),
        (bob.calls.delete_unheld, call_id),
        (bob.calls.delete, call_id),
        (bob.accounts.delete_contact, contact.id),
        (bob.accounts.delete, acme.id),
    ):
        with pytest.raises(NotYours):
            remove(row_id)

    # In plain SQL as Bob's login: the policies, not the Python code, refuse.
    b = logins.rep_b
    assert run_as(b, "UPDATE account SET owner = current_user") == 0
    assert run_as(b, "UPDATE account SET industry = 'x', notes = 'x'") == 0
    assert run_as(b, "UPDATE contact SET email = 'bob@evil.example'") == 0
    assert run_as(b, "UPDATE \"call\" SET owner = current_user, objective = 'x'") == 0
    assert run_as(b, "UPDATE objection SET text = 'x'") == 0
    assert run_as(b, "DELETE FROM objection") == 0
    assert run_as(b, "DELETE FROM contact") == 0
    assert run_as(b, 'DELETE FROM "call"') == 0
    assert run_as(b, "DELETE FROM account") == 0
    for planted in (
        "INSERT INTO account (name, name_key, owner, industry, status, website, phone, city, notes,"
        " created_at, updated_at, version) VALUES ('Planted', 'planted', :owner, '', 'prospect', '', '', '', '',"
        " now(), now(), 1)",
        "INSERT INTO contact (account_id, name, title, role, email, phone, notes, created_at, updated_at, version)"
        " VALUES (:account, 'Planted', '', 'other', '', '', '', now(), now(), 1)",
    ):
        with pytest.raises(DBAPIError, match="row-level security"):
            run_as(b, planted, owner=a_login, account=acme.id)
    # Nor may Alice push her own rows onto Bob (only an administrator reassigns).
    with pytest.raises(DBAPIError, match="row-level security"):
        run_as(logins.rep_a, "UPDATE account SET owner = :other", other=b_login)

    # Bob cannot rename owners, by the store or by `salestui config owner`.
    with pytest.raises(InvalidInput, match="database login"):
        rename_owner(bob, "Alice")
    capsys.readouterr()
    assert main(["config", "owner", a_login, "--db", logins.rep_b]) == 2
    assert "database login" in capsys.readouterr().err
    assert main(["config", "owner", "--db", logins.rep_b]) == 0
    assert capsys.readouterr().out.strip() == b_login

    # Bob's imports do not touch Alice's account or contact: he gets an "Acme" of his own.
    accounts = _write(tmp_path, "a.csv", "Account Name,Industry,Description\nAcme,Retail,Bob's notes\n")
    report = import_accounts_csv(bob, accounts, {})
    assert (report.created, report.updated) == (1, 0)
    contacts = _write(
        tmp_path,
        "c.csv",
        "First Name,Last Name,Email,Company Name,Job Title\n"
        "Dana,,bob@evil.example,Acme,Buyer\n"  # matches Alice's Dana by name before the fix
        "Dana,,dana@acme.example,Acme,Buyer\n",  # and by her email
    )
    import_contacts_csv(bob, contacts, {})

    alice.team_view = True
    mine = alice.accounts.get(acme.id)
    assert (mine.name, mine.industry, mine.notes) == ("Acme", "Manufacturing", "Alice's notes")
    kept = alice.accounts.contacts(acme.id)
    assert [(c.name, c.email, c.title, c.notes) for c in kept] == [("Dana", "dana@acme.example", "", "")]
    plan = alice.calls.plan(call_id)
    assert plan.objective == "Alice's call" and [o.text for o in plan.objections] == ["Too expensive"]
    owners = _owners(logins.superuser)
    assert owners == [("Acme", a_login), ("Acme", b_login)]

    # Alice still writes her own rows.
    alice.accounts.update(acme.id, industry="Steel")
    assert alice.accounts.get(acme.id).industry == "Steel"
    alice.close()
    bob.close()


def _owners(url: str) -> list[tuple[str, str]]:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return [tuple(r) for r in connection.execute(text("SELECT name, owner FROM account ORDER BY owner"))]  # type: ignore[misc]
    finally:
        engine.dispose()


def test_the_manager_role_reads_everything_and_writes_nothing(logins):
    alice = open_store(logins.rep_a)
    bob = open_store(logins.rep_b)
    alice.accounts.create("Acme")
    bob.calls.create(bob.accounts.create("Globex").id, objective="Bob's call")
    alice.close()
    bob.close()
    engine = create_engine(logins.manager, poolclass=NullPool)
    with engine.connect() as connection:
        names = connection.execute(text("SELECT name FROM account ORDER BY name")).scalars().all()
        assert names == ["Acme", "Globex"]
        assert connection.execute(text('SELECT count(*) FROM "call"')).scalar() == 1
    engine.dispose()
    with pytest.raises(DBAPIError, match="permission denied"):
        run_as(logins.manager, "UPDATE account SET industry = 'x'")
    with pytest.raises(DBAPIError, match="permission denied"):
        run_as(logins.manager, "DELETE FROM account")
    # salestui itself opens for the manager: everyone's records, read-only.
    manager = open_store(logins.manager)
    assert manager.owner == logins.names["m"]
    manager.team_view = True
    assert [row.name for row in manager.accounts.rows()] == ["Acme", "Globex"]
    with pytest.raises(StoreError, match="lacks the rights"):
        manager.accounts.create("Initech")
    manager.close()


# -- item 10: concurrent imports ------------------------------------------------------------------
ROWS = 1000


@pytest.fixture(params=["sqlite", "postgresql"])
def shared(request, tmp_path) -> str:  # type: ignore[no-untyped-def]
    if request.param == "sqlite":
        return str(tmp_path / "shared.db")
    return str(request.getfixturevalue("pg_url"))


def test_three_concurrent_imports_of_one_file_create_each_account_once(shared, tmp_path):
    lines = ["Account Name,Industry,City"] + [f"Account {i:04d},Industry {i % 7},City {i % 13}" for i in range(ROWS)]
    path = _write(tmp_path, "accounts.csv", "\n".join(lines) + "\n")
    open_store(shared, owner="tester").close()  # created and migrated once, before the race
    stores = [open_store(shared, owner="tester") for _ in range(3)]
    start = threading.Barrier(len(stores))
    reports: list[object] = []
    errors: list[BaseException] = []

    def run(store) -> None:  # type: ignore[no-untyped-def]
        try:
            start.wait(10)
            reports.append(import_accounts_csv(store, path, {}))
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(store,)) for store in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    # On SQLite one writer at a time: on a loaded machine an import may wait longer than the busy
    # timeout and is refused in plain words (nothing half-written). Duplicates are never allowed.
    busy = [e for e in errors if isinstance(e, StoreError) and "busy" in str(e)]
    assert errors == busy, errors
    assert len(reports) >= 1 and (not busy or "://" not in str(shared))
    rows = stores[0].accounts.rows(limit=10 * ROWS)
    assert len(rows) == ROWS
    assert sorted(r.name for r in rows) == [f"Account {i:04d}" for i in range(ROWS)]
    assert sum(r.created for r in reports) == ROWS  # type: ignore[attr-defined]
    for store in stores:
        store.close()


def test_a_name_differing_only_in_case_and_spaces_is_the_same_account(shared, tmp_path):
    store = open_store(shared, owner="tester")
    store.accounts.create("Acme Corp")
    with pytest.raises(StoreError, match="already have an account with that name"):
        store.accounts.create("  ACME   corp ")
    other = store.accounts.create("Acme Works")
    with pytest.raises(StoreError, match="already have an account with that name"):
        store.accounts.update(other.id, name="acme corp")
    report = import_accounts_csv(store, _write(tmp_path, "a.csv", "Account Name,City\nacme  CORP,Dayton\n"), {})
    assert (report.created, report.updated) == (0, 1)
    assert len(store.accounts.rows()) == 2
    store.close()


def test_migration_renames_duplicate_names_of_one_owner(tmp_path):
    path = tmp_path / "dups.db"
    engine = make_engine(sqlite_url(path))
    migrate(engine, "0009_import_origin")
    stamp = "2026-11-01 10:00:00.000000"
    with engine.begin() as connection:
        for row_id, name, owner in (
            (1, "Acme", "me"),
            (2, "ACME ", "me"),
            (3, "acme", "other"),
            (4, "Globex", "me"),
            (5, "acme", "me"),
        ):
            connection.execute(
                text(
                    "INSERT INTO account (id, name, industry, status, website, phone, city, notes, owner,"
                    " created_at, updated_at, version) VALUES (:id, :name, '', 'prospect', '', '', '', '', :owner,"
                    " :stamp, :stamp, 1)"
                ),
                {"id": row_id, "name": name, "owner": owner, "stamp": stamp},
            )
    migrate(engine)
    with engine.connect() as connection:
        found = connection.execute(text("SELECT id, name, name_key, owner FROM account ORDER BY id")).all()
    engine.dispose()
    assert [tuple(r) for r in found] == [
        (1, "Acme", "acme", "me"),
        (2, "ACME (duplicate #2)", "acme (duplicate #2)", "me"),
        (3, "acme", "acme", "other"),
        (4, "Globex", "globex", "me"),
        (5, "acme (duplicate #5)", "acme (duplicate #5)", "me"),
    ]
