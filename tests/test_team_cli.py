"""``salestui team`` end to end against the CI PostgreSQL server (issue 29, items 6 and 7).

An administrator that is no superuser (CREATEROLE, owns the database) runs ``team init``,
``add-rep``, ``add-manager``, ``upgrade`` and ``check``; reps bring their laptops' history in
with ``team join`` (or ``migrate-to --append``), and ``migrate-to`` works for a rep too.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from salestui.cli import main
from salestui.store.core import open_store
from salestui.store.demo import load_demo
from salestui.store.engine import make_engine, migrate
from salestui.store.schema import HEAD
from tests.test_team_rls import Logins, team_logins


@pytest.fixture
def bare(pg_url: str) -> Iterator[Logins]:
    """Logins on a database nobody has set up yet."""
    yield from team_logins(pg_url, set_up=False)


@pytest.fixture
def logins(pg_url: str) -> Iterator[Logins]:
    """A team database set up by its administrator."""
    yield from team_logins(pg_url)


def _rows(url: str, sql: str, **params: object) -> list[tuple[object, ...]]:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return [tuple(r) for r in connection.execute(text(sql), params).all()]
    finally:
        engine.dispose()


@pytest.fixture
def new_names(pg_url: str) -> Iterator[list[str]]:
    """Login names a test creates through the CLI: dropped afterwards."""
    created: list[str] = []
    yield created
    engine = create_engine(pg_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with engine.connect() as connection:
        for name in created:
            connection.exec_driver_sql(f"DROP ROLE IF EXISTS {name}")
    engine.dispose()


def test_init_add_logins_check_and_upgrade(bare, new_names, capsys, monkeypatch):
    admin = bare.admin
    # A rep cannot set the team database up (the tables would be theirs).
    assert main(["team", "init", bare.rep_a]) == 2
    assert "is a rep or the manager" in capsys.readouterr().err
    assert main(["team", "init", admin]) == 0
    out = capsys.readouterr().out
    assert f"Created the tables at schema {HEAD}" in out
    assert "Reps cannot add tables" in out
    owners = _rows(bare.superuser, "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'")
    assert owners == [(bare.names["admin"],)]
    privileges = (
        "SELECT has_table_privilege('salestui_manager', 'call_rider', 'UPDATE'),"
        " has_table_privilege('salestui_manager', 'account', 'UPDATE'),"
        " has_table_privilege('salestui_rep', 'setting', 'UPDATE'), has_table_privilege('salestui_rep', 'call', 'DELETE')"
    )
    granted = _rows(bare.superuser, privileges)
    # Idempotent: a second run changes nothing and says so (the manager still writes what she saw riding along).
    assert main(["team", "init", "--db", admin]) == 0
    assert f"is set up (schema {HEAD})" in capsys.readouterr().out
    assert _rows(bare.superuser, privileges) == granted == [(True, False, False, True)]

    suffix = uuid.uuid4().hex[:6]
    dana, mia = f"dana_{suffix}", f"mia_{suffix}"
    new_names.extend([dana, mia])
    monkeypatch.setattr("sys.stdin", io.StringIO("s3cret pass\n"))
    assert main(["team", "add-rep", dana, "--password-stdin", "--db", admin]) == 0
    out = capsys.readouterr().out
    database, port = make_url(admin).database, make_url(admin).port
    assert f"Created login {dana}, granted salestui_rep, password set." in out
    assert f"host     {database}" in out and dana in out and "scram-sha-256" in out  # the pg_hba.conf line
    assert "ssl off" in out  # the CI server has no TLS: said, with what to do
    assert f"salestui --db postgresql+psycopg://{dana}@127.0.0.1:{port}/{database}" in out
    assert f"127.0.0.1:{port}:{database}:{dana}:PASSWORD" in out and "s3cret" not in out
    verifier = _rows(bare.superuser, "SELECT rolpassword FROM pg_authid WHERE rolname = :n", n=dana)[0][0]
    assert str(verifier).startswith("SCRAM-SHA-256$")
    monkeypatch.setattr("sys.stdin", io.StringIO("other pass\n"))
    assert main(["team", "add-manager", mia, "--password-stdin", "--db", admin]) == 0
    assert f"Created login {mia}, granted salestui_manager" in capsys.readouterr().out
    memberships = _rows(
        bare.superuser,
        "SELECT m.rolname, r.rolname FROM pg_auth_members a JOIN pg_roles r ON r.oid = a.roleid"
        " JOIN pg_roles m ON m.oid = a.member WHERE m.rolname IN (:d, :m) ORDER BY 1",
        d=dana,
        m=mia,
    )
    assert memberships == [(dana, "salestui_rep"), (mia, "salestui_manager")]
    # Again: kept, no password asked (none on stdin, no terminal), the role granted once more.
    assert main(["team", "add-rep", dana, "--no-password", "--db", admin]) == 0
    assert f"Login already there: {dana}, granted salestui_rep." in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["team", "add-rep", f"eve_{suffix}", "--db", admin]) == 2  # no terminal: no silent empty password
    assert "--password-stdin" in capsys.readouterr().err
    assert main(["team", "add-rep", "Robert'); DROP", "--no-password", "--db", admin]) == 2
    assert "not a login name" in capsys.readouterr().err
    # A rep cannot add logins.
    assert main(["team", "add-rep", f"zed_{suffix}", "--no-password", "--db", bare.rep_a]) == 2
    assert "is a rep or the manager" in capsys.readouterr().err

    # The new login works as a rep with no password in the URL (the CI server trusts loopback).
    rep_url = make_url(admin).set(username=dana).render_as_string(hide_password=False)
    store = open_store(rep_url)
    assert store.owner == dana
    store.accounts.create("Dana's account")
    store.close()

    # check: as the administrator and as a rep; every table listed with its protection.
    for url in (admin, rep_url):
        assert main(["team", "check", "--db", url]) == 0
        out = capsys.readouterr().out
        assert "ok    table account: row-level security (4 policies, forced)" in out
        assert "ok    table alembic_version: read-only for reps and the manager" in out
        assert "ok    table import_origin: row-level security" in out
        assert f"ok    schema {HEAD}" in out and "clock skew" in out and "All good." in out
        assert "role salestui_rep: " in out and dana in out
    # A table someone added without protection is a problem.
    engine = create_engine(bare.superuser, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with engine.connect() as connection:
        connection.exec_driver_sql("CREATE TABLE scratch (id int)")
        connection.exec_driver_sql("GRANT ALL ON scratch TO salestui_rep")
    assert main(["team", "check", "--db", admin]) == 1
    out = capsys.readouterr().out
    assert "FAIL  table scratch: a team role may TRUNCATE it" in out and "problem" in out
    with engine.connect() as connection:
        connection.exec_driver_sql("DROP TABLE scratch")
    engine.dispose()


def test_upgrade_as_the_administrator_lets_the_reps_in(bare, capsys):
    engine = make_engine(bare.admin)
    migrate(engine, "0015_pg_search")
    engine.dispose()
    assert main(["agenda", "--db", bare.rep_a]) == 2
    err = capsys.readouterr().err
    assert "ask your administrator to run `salestui team upgrade`" in err and len(err.strip().splitlines()) == 1
    assert main(["team", "check", "--db", bare.rep_a]) == 1
    assert f"FAIL  schema 0015_pg_search, this salestui needs {HEAD}" in capsys.readouterr().out
    assert main(["team", "upgrade", "--db", bare.rep_a]) == 2
    assert main(["team", "upgrade", "--db", bare.admin]) == 0
    assert f"Upgraded the schema from 0015_pg_search to {HEAD}" in capsys.readouterr().out
    assert main(["agenda", "--db", bare.rep_a]) == 0
    assert main(["team", "upgrade", "--db", bare.admin]) == 0
    assert f"already {HEAD}" in capsys.readouterr().out


def test_init_takes_over_tables_a_rep_created_before(bare, capsys):
    """The README once let the first rep's client create the tables: init (as a superuser) takes them over."""
    engine = create_engine(bare.superuser, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    database = make_url(bare.superuser).database
    with engine.connect() as connection:
        connection.exec_driver_sql(f"GRANT CREATE ON SCHEMA public TO {bare.names['a']}")
        connection.exec_driver_sql(f'GRANT CREATE ON DATABASE "{database}" TO {bare.names["a"]}')
    engine.dispose()
    # As an older salestui did: the rep's own client migrated the empty database.
    rep_engine = make_engine(bare.rep_a)
    with pytest.MonkeyPatch.context() as monkey:
        monkey.setattr("salestui.store.engine.upgrade_refusal", lambda *_a, **_k: None)
        migrate(rep_engine)
    rep_engine.dispose()
    assert main(["team", "check", "--db", bare.superuser]) == 1
    assert f"owned by {bare.names['a']}, a rep or the manager" in capsys.readouterr().out
    assert main(["team", "init", bare.admin]) == 2  # an administrator that is no superuser cannot take them
    assert f"created by {bare.names['a']}, a rep or the manager: run team init once as a superuser" in (
        capsys.readouterr().err
    )
    assert main(["team", "init", bare.superuser]) == 0
    assert "Took over" in capsys.readouterr().out
    assert main(["team", "check", "--db", bare.superuser]) == 0


# -- join ---------------------------------------------------------------------------------------------------
def _local(tmp_path: Path, name: str, owner: str, frozen_now) -> str:  # type: ignore[no-untyped-def]
    path = str(tmp_path / f"{name}.db")
    store = open_store(path, owner=owner)
    load_demo(store, now=frozen_now)
    acme = store.accounts.find_by_name("Initech") or store.accounts.create("Initech")
    previous = store.calls.create(acme.id, frozen_now - timedelta(days=3), objective="Before")
    store.debriefs.finish(previous, lessons="Bring the CFO")
    store.debriefs.draft_next_call(previous, frozen_now + timedelta(days=4))
    store.close()
    return path


def _counts(url: str, owner: str) -> dict[str, int]:
    return {
        "accounts": int(_rows(url, "SELECT count(*) FROM account WHERE owner = :o", o=owner)[0][0]),  # type: ignore[arg-type]
        "calls": int(_rows(url, 'SELECT count(*) FROM "call" WHERE owner = :o', o=owner)[0][0]),  # type: ignore[arg-type]
        "objections": int(
            _rows(  # type: ignore[arg-type]
                url, 'SELECT count(*) FROM objection o JOIN "call" c ON c.id = o.call_id WHERE c.owner = :o', o=owner
            )[0][0]
        ),
        "attendees": int(
            _rows(  # type: ignore[arg-type]
                url, 'SELECT count(*) FROM call_contact a JOIN "call" c ON c.id = a.call_id WHERE c.owner = :o', o=owner
            )[0][0]
        ),
    }


def test_two_reps_join_their_local_history_into_a_team_database(logins, tmp_path, frozen_now, capsys):
    alice_login, bob_login = logins.names["a"], logins.names["b"]
    # The team database is not empty: bob already works there, and alice has one account.
    bob = open_store(logins.rep_b)
    bob_acme = bob.accounts.create("Initech")
    bob.calls.create(bob_acme.id, objective="Bob's own")
    bob.close()
    alice = open_store(logins.rep_a)
    hers = alice.accounts.create("  INITECH ")  # the same account as her local one
    alice.close()

    local = _local(tmp_path, "alice", "Alice Laptop", frozen_now)
    before = open_store(local)
    local_accounts = len(before.accounts.rows(limit=1000))
    local_calls = before.calls.count()
    before.close()
    local_objections = int(_rows(f"sqlite:///{local}", "SELECT count(*) FROM objection")[0][0])  # type: ignore[arg-type]
    local_attendees = int(_rows(f"sqlite:///{local}", "SELECT count(*) FROM call_contact")[0][0])  # type: ignore[arg-type]

    assert main(["team", "join", "--from", local, "--db", logins.rep_a]) == 0
    out = capsys.readouterr().out
    assert "table" in out and "added" in out and f"as {alice_login}'s" in out
    counts = _counts(logins.superuser, alice_login)
    # Initech met her own account on the team: no second one.
    assert counts == {
        "accounts": local_accounts,
        "calls": local_calls,
        "objections": local_objections,
        "attendees": local_attendees,
    }
    initech = _rows(logins.superuser, "SELECT id FROM account WHERE owner = :o AND name_key = 'initech'", o=alice_login)
    assert initech == [(hers.id,)]
    # Links kept: the drafted call points back at the call it came from, the debrief at its next call.
    linked = _rows(
        logins.superuser,
        'SELECT c.objective, p.objective, p.owner FROM "call" c JOIN "call" p ON p.id = c.carried_from_call_id'
        " WHERE c.owner = :o AND p.objective = 'Before'",
        o=alice_login,
    )
    assert [r[1:] for r in linked] == [("Before", alice_login)]
    nexts = _rows(
        logins.superuser,
        'SELECT n.owner FROM debrief d JOIN "call" c ON c.id = d.call_id JOIN "call" n ON n.id = d.next_call_id'
        " WHERE c.objective = 'Before' AND c.owner = :o",
        o=alice_login,
    )
    assert nexts == [(alice_login,)]
    # Nothing of bob's changed, and he reads her records.
    assert _counts(logins.superuser, bob_login)["calls"] == 1

    # Idempotent: a second run (also as migrate-to --append) adds nothing.
    assert main(["team", "join", "--from", local, "--db", logins.rep_a]) == 0
    assert "Added 0 rows" in capsys.readouterr().out
    assert main(["migrate-to", "--append", logins.rep_a, "--db", local]) == 0
    assert "Added 0 rows" in capsys.readouterr().out
    assert _counts(logins.superuser, alice_login) == counts

    # A call she deletes on the team stays deleted; what she typed locally since comes along.
    (before_call,) = _rows(
        logins.superuser, "SELECT id FROM \"call\" WHERE owner = :o AND objective = 'Before'", o=alice_login
    )
    alice = open_store(logins.rep_a)
    alice.calls.delete(int(before_call[0]))  # type: ignore[call-overload]
    alice.close()
    later = open_store(local)
    globex = later.accounts.create("Globex Local")
    later.calls.create(globex.id, objective="New since")
    later.close()
    assert main(["migrate-to", "--append", logins.rep_a, "--db", local]) == 0
    assert "Added 0 rows" not in capsys.readouterr().out
    now_counts = _counts(logins.superuser, alice_login)
    assert (now_counts["accounts"], now_counts["calls"]) == (counts["accounts"] + 1, counts["calls"])
    assert _rows(logins.superuser, "SELECT count(*) FROM \"call\" WHERE objective = 'Before'") == [(0,)]

    # Bob joins his own laptop's history: his rows, his Initech, hers untouched.
    bob_local = _local(tmp_path, "bob", "bob", frozen_now)
    assert main(["team", "join", "--from", bob_local, "--db", logins.rep_b]) == 0
    capsys.readouterr()
    assert _counts(logins.superuser, bob_login)["calls"] == local_calls + 1  # his local ones + his team call
    assert _counts(logins.superuser, alice_login) == now_counts


def test_join_refuses_a_sqlite_target_a_missing_file_and_a_schema_behind(logins, tmp_path, frozen_now, capsys):
    local = _local(tmp_path, "alice", "alice", frozen_now)
    assert main(["team", "join", "--from", local, "--db", str(tmp_path / "other.db")]) == 2
    assert "PostgreSQL" in capsys.readouterr().err
    missing = tmp_path / "typo.db"
    assert main(["team", "join", "--from", str(missing), "--db", logins.rep_a]) == 2
    assert "there is no database at" in capsys.readouterr().err and not missing.exists()
    # Behind: the rep is sent to the administrator, nothing is copied.
    engine = create_engine(logins.superuser, poolclass=NullPool)
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '0015_pg_search'")
    engine.dispose()
    assert main(["team", "join", "--from", local, "--db", logins.rep_a]) == 2
    assert "salestui team upgrade" in capsys.readouterr().err
    assert _rows(logins.superuser, "SELECT count(*) FROM account") == [(0,)]


def test_migrate_to_as_a_rep_keeps_ids_and_the_sequences_move(logins, tmp_path, frozen_now, capsys):
    """A rep copies into an empty (set-up) team database: no right to set sequences, yet new rows
    get fresh ids; the team's settings and template stay the administrator's."""
    alice_login = logins.names["a"]
    # Another rep's names in the file: told to join instead, before anything is copied.
    other = str(tmp_path / "theirs.db")
    store = open_store(other, owner="Somebody Else")
    store.accounts.create("X")
    store.close()
    assert main(["migrate-to", logins.rep_b, "--db", other]) == 2
    err = capsys.readouterr().err
    assert "belong to Somebody Else" in err and "salestui team join" in err and len(err.strip().splitlines()) == 1
    assert _rows(logins.superuser, "SELECT count(*) FROM account") == [(0,)]

    local = str(tmp_path / "mine.db")
    store = open_store(local, owner=alice_login)
    for name in ("Initech", "Globex", "Acme"):
        account = store.accounts.create(name)
        for days in (-3, 2):
            call_id = store.calls.create(account.id, frozen_now + timedelta(days=days), objective=f"{name} {days}")
            store.calls.add_objection(call_id, "Too expensive", "Phase it")
    store.close()
    top_account = int(_rows(f"sqlite:///{local}", "SELECT max(id) FROM account")[0][0])  # type: ignore[arg-type]
    top_call = int(_rows(f"sqlite:///{local}", 'SELECT max(id) FROM "call"')[0][0])  # type: ignore[arg-type]
    assert main(["migrate-to", logins.rep_a, "--db", local]) == 0
    out = capsys.readouterr().out
    assert "MISMATCH" not in out and "kept the team's" in out
    alice = open_store(logins.rep_a)
    new = alice.accounts.create("After the move")
    assert new.id > top_account
    assert alice.calls.create(new.id) > top_call
    alice.close()


# -- messages: TLS, sslmode, passwords ---------------------------------------------------------------------
@pytest.mark.parametrize("command", [[], ["agenda"], ["team", "check"]])
def test_a_tls_failure_and_a_bad_sslmode_say_what_they_are(pg_url, capsys, command):
    # The CI server has no TLS: a URL that requires it fails in the TLS handshake, not "unreachable".
    assert main([*command, "--db", f"{pg_url}?sslmode=require"]) == 2
    err = capsys.readouterr().err
    assert "TLS (SSL) connection to the database server failed: server does not support SSL" in err
    assert "sslmode" in err and "cannot be reached" not in err and len(err.strip().splitlines()) == 1
    assert main([*command, "--db", f"{pg_url}?sslmode=bogus"]) == 2
    err = capsys.readouterr().err
    assert "sslmode is not valid: use disable, allow, prefer, require, verify-ca or verify-full" in err
    assert "save" not in err and len(err.strip().splitlines()) == 1


def test_a_url_without_password_takes_it_from_pgpass_or_pgpassword(pg_url, tmp_path, monkeypatch):
    import getpass

    monkeypatch.setattr(getpass, "getpass", lambda *_a, **_k: pytest.fail("asked although libpq had it"))
    monkeypatch.delenv("PGPASSWORD", raising=False)
    url = make_url(pg_url)
    assert url.password is None
    pgpass = tmp_path / "pgpass"
    pgpass.write_text(f"{url.host}:{url.port}:*:{url.username}:from-pgpass\n", encoding="utf-8")
    pgpass.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    engine = make_engine(pg_url)
    with engine.connect() as connection:  # libpq looked the password up for this host and login
        assert connection.connection.dbapi_connection.info.password == "from-pgpass"  # type: ignore[union-attr]
    engine.dispose()
    monkeypatch.setenv("PGPASSWORD", "from-environment")
    engine = make_engine(pg_url)
    with engine.connect() as connection:
        assert connection.connection.dbapi_connection.info.password == "from-environment"  # type: ignore[union-attr]
    engine.dispose()


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_password_is_asked_on_a_terminal_when_the_server_asks(pg_url, monkeypatch, capsys):
    """The CI server trusts loopback, so the server's question is simulated: libpq's own error
    when the server asks for a password and none was given."""
    import getpass

    import psycopg

    from salestui.store import engine as engine_module

    monkeypatch.setattr(engine_module, "_TYPED_PASSWORDS", {})
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", "/nonexistent")
    asked: list[str] = []
    seen: list[object] = []

    def typed(prompt: str = "") -> str:
        asked.append(prompt)
        return "typed secret"

    def engine_asking() -> object:
        made = make_engine(pg_url)
        real = made.dialect.connect

        def connect(*cargs: object, **cparams: object) -> object:
            seen.append(cparams.get("password"))
            if "password" not in cparams:
                raise psycopg.OperationalError("connection failed: fe_sendauth: no password supplied")
            return real(*cargs, **cparams)

        monkeypatch.setattr(made.dialect, "connect", connect)
        return made

    monkeypatch.setattr(getpass, "getpass", typed)
    monkeypatch.setattr("sys.stdin", _Terminal())
    first = engine_asking()
    with first.connect() as connection:  # type: ignore[attr-defined]
        assert connection.execute(text("SELECT 1")).scalar() == 1
    user = make_url(pg_url).username
    assert asked == [f"Password for {user}@127.0.0.1: "] and seen == [None, "typed secret"]
    # Asked once per process: the next connection (the app's workers) reuses it.
    second = engine_asking()
    with second.connect():  # type: ignore[attr-defined]
        pass
    assert len(asked) == 1 and seen[-1] == "typed secret"
    first.dispose()  # type: ignore[attr-defined]
    second.dispose()  # type: ignore[attr-defined]
    # No terminal (a script): never asked; one line saying where a password goes.
    monkeypatch.setattr(engine_module, "_TYPED_PASSWORDS", {})
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    from salestui.store.core import plain_message

    third = engine_asking()
    with pytest.raises(Exception) as failed, third.connect():  # type: ignore[attr-defined]
        pass
    assert len(asked) == 1
    assert "asks for a password: put it in ~/.pgpass (or PGPASSWORD)" in plain_message(failed.value)
    third.dispose()  # type: ignore[attr-defined]
