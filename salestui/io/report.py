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

    def count(self, results: Iterable[tuple[int, str]]) -> None:
        """Add the store's (line, "created" | "updated" | "unchanged") results to the counts."""
        for _, result in results:
            if result == "created":
                self.created += 1
            elif result == "updated":
                self.updated += 1
            else:
                self.unchanged += 1

    def summary(self, what: str) -> str:
        """One line for the CLI, then one line per skipped row."""
        first = f"{what}: {self.created} created, {self.updated} updated, {len(self.skipped)} skipped"
        if self.unchanged:
            first += f", {self.unchanged} unchanged"
        if self.accounts_created:
            plural = "s" if self.accounts_created != 1 else ""
            first += f", {self.accounts_created} account{plural} added for their companies"
        return "\n".join([first] + [f"  line {line}: {reason}" for line, reason in self.skipped])
