"""What an import did: created, updated, and the rows skipped with their reasons."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ImportReport:
    """Counts and skipped rows (line number, reason) of one import."""

    created: int = 0
    updated: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)

    def summary(self, what: str) -> str:
        """One line for the CLI, then one line per skipped row."""
        lines = [f"{what}: {self.created} created, {self.updated} updated, {len(self.skipped)} skipped"]
        lines += [f"  line {line}: {reason}" for line, reason in self.skipped]
        return "\n".join(lines)
