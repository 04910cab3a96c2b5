"""Who the rep is: one name per login, recorded once in the database's ``setting`` table.

On a single-user SQLite file the key is ``owner``; on a shared server every login gets its
own key (``owner:<login>``), so reps sharing a database never take each other's name.
"""

from __future__ import annotations

import getpass
from typing import TYPE_CHECKING

from sqlalchemy import update
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


def recorded_owner(store: Store) -> str | None:
    """The rep name recorded for this login, if any."""
    with store.reading() as session:
        row = session.get(t.Setting, setting_key(store))
        return row.value if row is not None and row.value.strip() else None


def settle_owner(store: Store, explicit: str | None = None) -> str:
    """The rep's name: ``explicit`` if given, else the recorded one, else the OS user (recorded now)."""
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
    old = recorded_owner(store) or store.owner
    with store.transaction() as session:
        accounts = calls = 0
        if old != cleaned:
            accounts = session.execute(
                update(t.Account).where(t.Account.owner == old).values(owner=cleaned)  # type: ignore[arg-type]
            ).rowcount
            calls = session.execute(
                update(t.Call).where(t.Call.owner == old).values(owner=cleaned)  # type: ignore[arg-type]
            ).rowcount
        _write(session, setting_key(store), cleaned)
    store.owner = cleaned
    return old, int(accounts), int(calls)


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
