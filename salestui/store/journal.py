"""The journal: changes a quit could not store, kept in a file and stored at the next start.

When the rep quits (or leaves) while the database cannot take a save (a lock held, a full disk,
a server that is down), the writer's waiting changes are written here, one JSON line each, in a
file only the rep can read (0600) in the user data folder, named after the database. The next
start against the same database stores them again through ``store.changes``: a field change is
merged with whatever the database holds by then, as any save is, so replaying never overwrites
what another window saved meanwhile.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from salestui.store.core import Store

ENV = "SALESTUI_JOURNAL_DIR"
"""Where journals are kept instead of ``<user data dir>/salestui/journal`` (tests)."""


def folder() -> Path:
    """The folder of journals."""
    chosen = os.environ.get(ENV)
    if chosen:
        return Path(chosen)
    from platformdirs import user_data_path

    return user_data_path("salestui") / "journal"


def path_for(target: str) -> Path:
    """The journal of one database (a file path or a server URL, its password left out)."""
    identity = target
    if "://" in target:
        from sqlalchemy.engine import make_url

        identity = make_url(target).render_as_string(hide_password=True)
    else:
        identity = str(Path(target).expanduser().resolve())
    return folder() / f"{hashlib.sha256(identity.encode()).hexdigest()[:20]}.jsonl"


def write(target: str, lines: list[dict[str, Any]]) -> Path:
    """Append changes to the database's journal (created 0600 in a 0700 folder); returns its path."""
    path = path_for(target)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    at = datetime.now(UTC).isoformat(timespec="seconds")
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(descriptor, "a", encoding="utf-8") as out:
        for line in lines:
            out.write(json.dumps({"at": at, "change": line}, ensure_ascii=False) + "\n")
        out.flush()
        os.fsync(out.fileno())
    return path


@dataclass(frozen=True)
class Replayed:
    """What the start stored from the journal."""

    stored: int
    merged: int
    """Field changes that met another window's edit and were merged with it."""
    kept: int
    """Changes that still could not be stored (left in the journal for the next start)."""
    dropped: int
    """Lines that could not be read or whose record is gone."""

    def summary(self) -> str:
        """One sentence for the rep."""
        parts = [f"Stored {self.stored} change{'s' if self.stored != 1 else ''} typed before the last quit"]
        if self.merged:
            parts.append(f"{self.merged} merged with edits made meanwhile")
        if self.kept:
            parts.append(f"{self.kept} still waiting for the database")
        if self.dropped:
            parts.append(f"{self.dropped} could not be stored (the record is gone)")
        return "; ".join(parts) + "."


def _already_stored(store: Store, change: Any) -> bool:
    """A note the quit journaled while its save was running may have been stored after all."""
    from salestui.store.changes import Op

    if not isinstance(change, Op) or change.method != "calls.add_note":
        return False  # field changes merge to the same text when replayed twice; the rest set a state
    call_id, text = change.args[0], change.args[1]
    return any(note.text == text for note in store.calls.plan(call_id).notes)


def replay(store: Store, target: str) -> Replayed | None:
    """Store the changes journaled for ``target``; ``None`` when there were none."""
    from salestui.store.changes import Applied, from_journal
    from salestui.store.core import StoreError, Unavailable

    path = path_for(target)
    # Claim the file first: a second window starting at once finds none, and a window quitting
    # meanwhile appends to a new file (stored at the next start) instead of one being read.
    claimed = path.with_name(f"{path.stem}.replaying-{os.getpid()}{path.suffix}")
    try:
        os.rename(path, claimed)
    except FileNotFoundError:
        return None
    raw = claimed.read_text(encoding="utf-8").splitlines()
    stored = merged = dropped = 0
    kept: list[str] = []
    for index, text in enumerate(raw):
        if not text.strip():
            continue
        try:
            change = from_journal(json.loads(text)["change"])
        except (ValueError, KeyError, TypeError):
            dropped += 1
            continue
        try:
            if _already_stored(store, change):
                stored += 1
                continue
            result = change(store)
        except Unavailable:
            kept.extend(raw[index:])  # keep the order: this one and everything after it wait
            break
        except (StoreError, ValueError):
            dropped += 1
            continue
        stored += 1
        if isinstance(result, Applied) and (result.merged or result.replaced is not None):
            merged += 1
    if kept:  # in front of anything appended meanwhile, in the order typed
        later = path.read_text(encoding="utf-8") if path.exists() else ""
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as out:
            out.write("\n".join(kept) + "\n" + later)
    claimed.unlink(missing_ok=True)
    return Replayed(stored, merged, len([line for line in kept if line.strip()]), dropped)
