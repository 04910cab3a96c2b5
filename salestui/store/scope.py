"""Whose records a list shows: the rep's own (default) or the whole team's (``store.team_view``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import or_

if TYPE_CHECKING:
    from salestui.store.core import Store

Q = TypeVar("Q")


def owner_filter(query: Q, store: Store, owner_column: Any) -> Q:
    """Restrict ``query`` to the rep's records unless the team view is on.

    Records without an owner (written by older versions or other tools) count as the rep's own.
    """
    if store.team_view:
        return query
    return query.where(or_(owner_column == store.owner, owner_column == ""))  # type: ignore[attr-defined,no-any-return]
