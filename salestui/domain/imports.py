"""Whose text a field holds when a CRM export is imported again: the CRM's or the rep's.

Each import records the value it wrote into each field. On the next import a field still holding
that value is the CRM's, and follows the file; a field that differs was changed by the rep since,
and is kept. An empty field (or one at its default, never imported) is filled.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Merge:
    """What an import does to one record's fields."""

    write: dict[str, str] = field(default_factory=dict)
    """Fields to set to the file's value."""
    imported: dict[str, str] = field(default_factory=dict)
    """Fields whose value is now the file's: record it as what the import wrote."""
    kept: tuple[str, ...] = ()
    """Fields the rep changed since the last import (or typed before any), by name: left as they are."""


def merge_imported(
    current: Mapping[str, str],
    incoming: Mapping[str, str],
    last_imported: Mapping[str, str],
    defaults: Mapping[str, str] | None = None,
) -> Merge:
    """Decide, field by field, between the file's value (``incoming``) and the record's (``current``).

    ``last_imported`` holds what the last import wrote into each field; ``defaults`` the values a
    new record starts with (a field at its default that no import wrote counts as empty).
    """
    defaults = defaults or {}
    write: dict[str, str] = {}
    imported: dict[str, str] = {}
    kept: list[str] = []
    for name, new in incoming.items():
        now = current.get(name, "")
        if now == new:
            imported[name] = new
        elif _empty(now, name, last_imported, defaults) or last_imported.get(name) == now:
            write[name] = imported[name] = new
        else:
            kept.append(name)
    return Merge(write, imported, tuple(sorted(kept)))


def _empty(value: str, name: str, last_imported: Mapping[str, str], defaults: Mapping[str, str]) -> bool:
    """Blank, or still at its default with no import behind it."""
    return not value.strip() or (name not in last_imported and value == defaults.get(name))
