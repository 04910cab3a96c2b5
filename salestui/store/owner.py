"""Who the rep is.

On a single-user SQLite file: one name, recorded once in the database's ``setting`` table
(key ``owner``), changed with ``salestui config owner NAME``.

On PostgreSQL the owner is the database login (``current_user``): the row-level security
policies of migration 0010_team_rls let a login write only rows whose owner is itself, so a
rep's name cannot be chosen, changed, or taken by another rep. Only a login that bypasses
row-level security (a superuser or a BYPASSRLS role: an administrator, or the test suite)
keeps the older rule, a name per login recorded under ``owner:<login>``.
"""

from __future__ import annotations

import getpass
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import text, update
from sqlmodel import select

from salestui.domain.clock import now
from salestui.store import tables as t

if TYPE_CHECKING:
    from salestui.store.core import Store


def login() -> str:
    """The OS user name (``me`` when the system cannot tell)."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "me"


def setting_key(store: Store) -> str:
    """The ``setting`` key holding this login's rep name in this database."""
    return "owner" if store.engine.dialect.name == "sqlite" else f"owner:{login()}"


def server_login(store: Store) -> tuple[str, bool] | None:
    """On PostgreSQL: the login (``current_user``) and whether row-level security binds it
    (not a superuser, not BYPASSRLS). ``None`` on SQLite."""
    if store.engine.dialect.name != "postgresql":
        return None
    with store.reading() as session:
        row = session.execute(
            text(
                "SELECT current_user, NOT (rolsuper OR rolbypassrls) FROM pg_catalog.pg_roles"
                " WHERE rolname = current_user"
            )
        ).one()
    return str(row[0]), bool(row[1])


def bound_login(store: Store) -> str | None:
    """The PostgreSQL login when it is the owner of everything it writes (row-level security binds it)."""
    found = server_login(store)
    return found[0] if found is not None and found[1] else None


def recorded_owner(store: Store) -> str | None:
    """The rep name recorded for this login, if any."""
    with store.reading() as session:
        row = session.get(t.Setting, setting_key(store))
        return row.value if row is not None and row.value.strip() else None


def settle_owner(store: Store, explicit: str | None = None) -> str:
    """The rep's name: on PostgreSQL the login (row-level security binds it); else ``explicit`` if
    given, else the recorded one, else the OS user (recorded now)."""
    login_name = bound_login(store)
    if login_name is not None:
        return login_name  # the database enforces it: no other name could write a row
    if explicit is not None and explicit.strip():
        name = explicit.strip()
        if recorded_owner(store) is None:
            _record(store, name)
        return name
    recorded = recorded_owner(store)
    if recorded is not None:
        return recorded
    name = login()
    _record(store, name)
    return name


def rename_owner(store: Store, name: str) -> tuple[str, int, int]:
    """Record a new rep name for this login and move the old name's accounts and calls to it.

    Returns ``(old name, accounts moved, calls moved)``; one transaction.
    """
    from salestui.store.accounts import InvalidInput

    cleaned = name.strip()
    if not cleaned:
        raise InvalidInput("The owner name cannot be empty.")
    login_name = bound_login(store)
    if login_name is not None:
        raise InvalidInput(
            f"On a team database your owner name is your database login ({login_name}): it cannot be changed, "
            "and nobody else can take it or your records."
        )
    old = recorded_owner(store) or store.owner
    with store.transaction() as session:
        accounts = calls = 0
        if old != cleaned:
            accounts = _changed(
                session.execute(
                    update(t.Account).where(t.Account.owner == old).values(owner=cleaned)  # type: ignore[arg-type]
                )
            )
            calls = _changed(
                session.execute(
                    update(t.Call).where(t.Call.owner == old).values(owner=cleaned)  # type: ignore[arg-type]
                )
            )
        _write(session, setting_key(store), cleaned)
    store.owner = cleaned
    return old, int(accounts), int(calls)


def _changed(result: object) -> int:
    """Rows an UPDATE changed (``CursorResult.rowcount``)."""
    return int(getattr(result, "rowcount", 0))


def _record(store: Store, name: str) -> None:
    from salestui.store.core import StoreError

    try:
        with store.transaction() as session:
            if session.get(t.Setting, setting_key(store)) is None:
                _write(session, setting_key(store), name)
    except StoreError:
        # Another window of the same login recorded it at the same moment: that is fine.
        if recorded_owner(store) is None:
            raise


def _write(session: object, key: str, value: str) -> None:
    from sqlmodel import Session

    assert isinstance(session, Session)
    row = session.exec(select(t.Setting).where(t.Setting.key == key)).first()
    if row is None:
        session.add(t.Setting(key=key, value=value))
    else:
        row.value, row.updated_at = value, now()
        session.add(row)


def writes_records(store: Store) -> bool:
    """Whether this login may add accounts and calls of its own: on a team database a rep or the
    administrator; the manager (``salestui_manager``) reads every record and writes only coaching."""
    if store.engine.dialect.name != "postgresql":
        return True
    with store.reading() as session:
        return bool(
            session.execute(
                text(
                    "SELECT has_table_privilege('public.account', 'INSERT')"
                    " AND has_table_privilege('public.\"call\"', 'INSERT')"
                )
            ).scalar()
        )


def delete_refusal(store: Store, account_id: int) -> str | None:
    """On a team database: why deleting this account would be refused (other reps' calls on it or
    with one of its contacts attending), in the words of the database's own guard
    (0016_team_hardening), so the app can say it before asking; ``None`` when nothing stands in the way."""
    if store.engine.dialect.name != "postgresql":
        return None
    with store.reading() as session:
        name = session.execute(text("SELECT name FROM account WHERE id = :a"), {"a": account_id}).scalar()
        rows = session.execute(
            text(
                'SELECT c.owner, count(*) FROM "call" c JOIN account a ON a.id = :a'
                " WHERE c.owner <> a.owner AND (c.account_id = a.id OR EXISTS ("
                "  SELECT 1 FROM call_contact cc JOIN contact k ON k.id = cc.contact_id"
                "  WHERE cc.call_id = c.id AND k.account_id = a.id))"
                " GROUP BY c.owner ORDER BY c.owner"
            ),
            {"a": account_id},
        ).all()
        if name is None:
            return None
        if rows:
            found, who, it = _others(rows)
            return f"account '{name}' has {found}: ask {who} to move or delete {it} first"
        # Its calls go with it: one that another rep's call links to stops it (0018_team_links).
        linked = session.execute(
            text(
                'SELECT gone.id FROM "call" gone WHERE gone.account_id = :a AND (EXISTS ('
                ' SELECT 1 FROM "call" c WHERE c.carried_from_call_id = gone.id AND c.owner <> gone.owner'
                ' AND c.id <> gone.id) OR EXISTS (SELECT 1 FROM debrief d JOIN "call" c ON c.id = d.call_id'
                " WHERE d.next_call_id = gone.id AND c.owner <> gone.owner AND c.id <> gone.id))"
                " ORDER BY gone.id LIMIT 1"
            ),
            {"a": account_id},
        ).scalar()
    return call_delete_refusal(store, int(linked)) if linked is not None else None


def call_delete_refusal(store: Store, call_id: int) -> str | None:
    """On a team database: why deleting this call would be refused (other reps' calls carried over
    from it, or whose debrief drafted it as the next call), in the words of the database's own
    guard (0018_team_links); ``None`` when nothing stands in the way."""
    if store.engine.dialect.name != "postgresql":
        return None
    from salestui import format as fmt

    with store.reading() as session:
        found = session.execute(
            text('SELECT a.name, c.scheduled_at FROM "call" c JOIN account a ON a.id = c.account_id WHERE c.id = :c'),
            {"c": call_id},
        ).first()
        rows = session.execute(
            text(
                'SELECT links.owner, count(*) FROM (SELECT c.id, c.owner FROM "call" c WHERE c.carried_from_call_id = :c'
                ' UNION SELECT c.id, c.owner FROM debrief d JOIN "call" c ON c.id = d.call_id WHERE d.next_call_id = :c)'
                ' AS links JOIN "call" gone ON gone.id = :c WHERE links.owner <> gone.owner AND links.id <> gone.id'
                " GROUP BY links.owner ORDER BY links.owner"
            ),
            {"c": call_id},
        ).all()
    if found is None or not rows:
        return None
    others, who, it = _others(rows)
    when = f"on {fmt.when(found[1])}" if found[1] is not None else "with no time set"
    return (
        f"call with '{found[0]}' {when} has {others} linked to it (carried over from it, or drafted as its "
        f"next call): ask {who} to delete {it} first, or cancel this call instead"
    )


def _others(rows: Sequence[Any]) -> tuple[str, str, str]:
    """``(owner, count)`` rows as the database's guards word them: "1 call of bob's and 2 calls of
    carol's", "bob and carol", "it" or "them"."""
    found = " and ".join(f"{n} {'call' if n == 1 else 'calls'} of {owner}'s" for owner, n in rows)
    who = " and ".join(str(owner) for owner, _n in rows)
    it = "it" if sum(int(n) for _o, n in rows) == 1 else "them"
    return found, who, it
