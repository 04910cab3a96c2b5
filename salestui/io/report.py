"""What an import did: created, updated, unchanged, and the rows skipped with their reasons."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass
class ImportReport:
    """Counts and skipped rows (line number, reason) of one import."""

    created: int = 0
    updated: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)
    unchanged: int = 0
    accounts_created: int = 0
    kept: list[tuple[int, str]] = field(default_factory=list)
    """Records where the rep's own edits were kept over the file's values: (line, what was kept)."""
    kept_fields: int = 0
    """How many fields those are."""
    notes: list[str] = field(default_factory=list)
    """Notes on how the file was read (its encoding, a last record cut short)."""

    def count(self, results: Iterable[tuple[int, str]]) -> None:
        """Add the store's (line, "created" | "updated" | "unchanged") results to the counts."""
        for _, result in results:
            if result == "created":
                self.created += 1
            elif result == "updated":
                self.updated += 1
            else:
                self.unchanged += 1

    def keep(self, kept: Iterable[tuple[int, str, int]]) -> None:
        """Record (line, "Acme: kept your notes", number of fields) for each record whose edits were kept."""
        for line, text, fields in kept:
            self.kept.append((line, text))
            self.kept_fields += fields

    def summary(self, what: str) -> str:
        """One line for the CLI, then one line per skipped row and per record whose edits were kept."""
        first = f"{what}: {self.created} created, {self.updated} updated, {len(self.skipped)} skipped"
        if self.unchanged:
            first += f", {self.unchanged} unchanged"
        if self.accounts_created:
            plural = "s" if self.accounts_created != 1 else ""
            first += f", {self.accounts_created} account{plural} added for their companies"
        if self.kept_fields:
            first += f", kept your edits in {self.kept_fields} field{'s' if self.kept_fields != 1 else ''}"
        lines = [f"  line {line}: {reason}" for line, reason in self.skipped]
        lines += [f"  line {line}: {text}" for line, text in self.kept]
        lines += [f"  note: {note}" for note in self.notes]
        return "\n".join([first, *lines])
