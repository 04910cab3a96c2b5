"""Whose text a field holds when a CRM export is imported again: the CRM's or the rep's; and
which existing contact a person from a file is (the one rule of CSV, vCard and calendar import).

Each import records the value it wrote into each field. On the next import a field still holding
that value is the CRM's, and follows the file; a field that differs was changed by the rep since,
and is kept. An empty field (or one at its default, never imported) is filled.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, MutableMapping
from dataclasses import dataclass, field
from typing import TypeVar

from salestui.text import entered

R = TypeVar("R")

OTHER_ADDRESSES = "Other email addresses:"
"""The notes line under which a contact's further addresses are kept (they match too)."""
_ADDRESS = re.compile(r"[^\s,;:<>()]+@[^\s,;:<>()]+")


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


# -- which contact a person from a file is -----------------------------------------------------------
def person_key(name: str) -> str:
    """Names match case-insensitively and regardless of repeated spaces (as ``account.name_key``)."""
    return " ".join(entered(name).split()).casefold()


def known_addresses(email: str, notes: str) -> list[str]:
    """The addresses a contact is known by, lower case: its email, then those its notes list
    under "Other email addresses" (an address merely mentioned in the notes does not count)."""
    found = [email.strip().lower()] if email.strip() else []
    for line in notes.splitlines():
        if line.startswith(OTHER_ADDRESSES):
            found += [address.lower() for address in _ADDRESS.findall(line[len(OTHER_ADDRESSES) :])]
    return found


def index_contact(
    by_email: MutableMapping[str, R],
    by_name: MutableMapping[tuple[int, str], R],
    ref: R,
    account_id: int,
    name: str,
    email: str,
    notes: str = "",
) -> None:
    """Make a contact findable by ``find_contact``: by each address it is known by and by its name
    within its account (the first contact of a key keeps it)."""
    for address in known_addresses(email, notes):
        by_email.setdefault(address, ref)
    if person_key(name):
        by_name.setdefault((account_id, person_key(name)), ref)


def find_contact(
    by_email: Mapping[str, R],
    by_name: Mapping[tuple[int, str], R],
    account_id: int | None,
    name: str,
    emails: Iterable[str],
) -> R | None:
    """The one matching rule of every contact import (CSV, vCard, calendar): ANY of the person's
    addresses (case-insensitive, the contact's email or its other addresses), else the same name
    within the account. "Pepper Lin" with an address matches the Pepper Lin at Stark without one."""
    for address in emails:
        found = by_email.get(address.strip().lower())
        if found is not None:
            return found
    key = person_key(name)
    return by_name.get((account_id, key)) if account_id is not None and key else None
