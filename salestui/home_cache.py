"""Home's lists as the rep last saw them, shown the moment the app opens (issue 32).

Each time home reads its lists from the database, they are written to a small file in the
user's cache folder (``$SALESTUI_CACHE_DIR`` in tests): readable by the rep only (0600, folder
0700), one file per database and rep, named by a hash (the file name says nothing about either).
At the next start the CLI reads it before Textual is imported, and home shows those rows right
after its first frame, marked as the last session's, until the live read replaces them (the
early read, or the store's first load): a call deleted since is never shown once that lands.

Standard library only, and no domain models: the rows are ``CachedCall`` objects with the
attributes ``CallTable`` reads from a ``CallSummary`` (the models import ~20 ms; the first
frame does not need them).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from salestui.domain.enums import CallKind, CallStatus, DebriefState, Outcome

ENV = "SALESTUI_CACHE_DIR"
VERSION = 1
"""Bumped when the fields change: a file of another version is ignored."""

FIELDS = (
    "id",
    "account_id",
    "account_name",
    "scheduled_at",
    "kind",
    "status",
    "objective",
    "outcome",
    "readiness",
    "debrief_state",
    "follow_up",
    "happened_at",
    "owner",
)
"""``CallSummary``'s fields (a test keeps the two the same)."""


class CachedCall:
    """One cached line of a home list: the attributes of a ``CallSummary``."""

    __slots__ = FIELDS

    id: int
    account_id: int
    account_name: str
    scheduled_at: datetime | None
    kind: CallKind
    status: CallStatus
    objective: str
    outcome: Outcome | None
    readiness: int | None
    debrief_state: DebriefState
    follow_up: date | None
    happened_at: datetime | None
    owner: str

    def __init__(self, **values: Any) -> None:
        for name in FIELDS:
            setattr(self, name, values[name])

    @property
    def debriefed(self) -> bool:
        """As ``CallSummary.debriefed``."""
        return self.debrief_state is DebriefState.DONE


@dataclass(frozen=True)
class CachedHome:
    """Home's two lists from the last session, and whether they were everyone's calls."""

    upcoming: list[CachedCall]
    undebriefed: list[CachedCall]
    everyone: bool = False


def folder() -> Path:
    """``$SALESTUI_CACHE_DIR``, else ``<user cache dir>/salestui``."""
    chosen = os.environ.get(ENV)
    if chosen:
        return Path(chosen)
    from platformdirs import user_cache_path

    return user_cache_path("salestui")


def path_for(target: str, owner: str | None) -> Path:
    """The cache file of one database (a file path or a URL, its password left out) and rep."""
    if "://" in target:
        where = re.sub(r"(://[^/@:]*:)[^@/]*@", r"\1@", target)
    else:
        where = str(Path(target).expanduser().resolve())
    digest = hashlib.sha256(f"{where}\0{owner or ''}".encode()).hexdigest()[:24]
    return folder() / f"home-{digest}.json"


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return getattr(value, "value", value)  # an enum: its value


def _row(call: Any) -> dict[str, Any]:
    return {name: _plain(getattr(call, name)) for name in FIELDS}


def save(target: str, owner: str | None, upcoming: Iterable[Any], undebriefed: Iterable[Any], everyone: bool) -> None:
    """Write home's lists (``CallSummary`` lines) for the next start: 0600, replaced atomically.

    Called on a worker thread after home's read; a failure (full disk, read-only folder) only
    means the next start shows no cached rows, so it is not an error.
    """
    path = path_for(target, owner)
    body = json.dumps(
        {
            "version": VERSION,
            "everyone": everyone,
            "upcoming": [_row(c) for c in upcoming],
            "undebriefed": [_row(c) for c in undebriefed],
        }
    ).encode()
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        descriptor = os.open(partial, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        try:
            os.fchmod(descriptor, 0o600)  # an old partial file of another mode is made private too
            os.write(descriptor, body)
        finally:
            os.close(descriptor)
        os.replace(partial, path)
    except OSError:
        partial.unlink(missing_ok=True)


def forget(target: str, owner: str | None) -> None:
    """Remove the cache of one database and rep (nothing to show next time)."""
    path_for(target, owner).unlink(missing_ok=True)


def _call(row: dict[str, Any]) -> CachedCall:
    def when(value: str | None) -> datetime | None:
        return datetime.fromisoformat(value) if value else None

    return CachedCall(
        id=int(row["id"]),
        account_id=int(row["account_id"]),
        account_name=str(row["account_name"]),
        scheduled_at=when(row["scheduled_at"]),
        kind=CallKind(row["kind"]),
        status=CallStatus(row["status"]),
        objective=str(row["objective"]),
        outcome=Outcome(row["outcome"]) if row["outcome"] is not None else None,
        readiness=int(row["readiness"]) if row["readiness"] is not None else None,
        debrief_state=DebriefState(row["debrief_state"]),
        follow_up=date.fromisoformat(row["follow_up"]) if row["follow_up"] else None,
        happened_at=when(row["happened_at"]),
        owner=str(row["owner"]),
    )


def load(target: str, owner: str | None) -> CachedHome | None:
    """The lists written by ``save`` for this database and rep, or ``None`` (none, unreadable,
    another version, or not the rep's own file)."""
    path = path_for(target, owner)
    try:
        with path.open("rb") as handle:
            info = os.fstat(handle.fileno())
            if info.st_uid != os.getuid() or info.st_mode & 0o077:
                return None  # not written by us for the rep alone: not trusted
            data = json.loads(handle.read())
        if data.get("version") != VERSION:
            return None
        return CachedHome(
            [_call(row) for row in data["upcoming"]],
            [_call(row) for row in data["undebriefed"]],
            bool(data.get("everyone", False)),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
