"""Whose records a list shows: the rep's own (default) or the whole team's (``store.team_view``),
and whose records the rep may change (``is_mine``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import or_

from salestui.settings import SCOPES

if TYPE_CHECKING:
    from salestui.store.core import Store

Q = TypeVar("Q")

MINE, EVERYONE = SCOPES
"""The values of the ``scope`` setting (``salestui.settings.SCOPES``)."""


def owner_filter(query: Q, store: Store, owner_column: Any) -> Q:
    """Restrict ``query`` to the rep's records unless the team view is on.

    Records without an owner (written by older versions or other tools) count as the rep's own.
    """
    if store.team_view:
        return query
    return query.where(mine_clause(store.owner, owner_column))  # type: ignore[attr-defined,no-any-return]


def mine_clause(owner: str, owner_column: Any) -> Any:
    """``owner_column`` is ``owner`` or empty (a record without an owner counts as everyone's own)."""
    return or_(owner_column == owner, owner_column == "")


def scope_owner(store: Store) -> str | None:
    """The owner a read is restricted to: the rep's name, or ``None`` when showing everyone's records."""
    return None if store.team_view else store.owner


def scope_name(store: Store) -> str:
    """``mine`` or ``everyone``: what the ``scope`` setting keeps."""
    return EVERYONE if store.team_view else MINE


def enforces_owners(store: Store) -> bool:
    """Whether the database refuses writes to another rep's records (a team database).

    On a single-user SQLite file every record is the rep's own, whatever name it carries.
    """
    return store.engine.dialect.name != "sqlite"


def is_mine(store: Store, owner: str) -> bool:
    """Whether the rep may change a record whose owner is ``owner`` (a record without one is everyone's)."""
    return not enforces_owners(store) or owner in ("", store.owner)
