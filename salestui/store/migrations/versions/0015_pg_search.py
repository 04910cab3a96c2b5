"""PostgreSQL full-text search and stats parity.

Revision ID: 0015_pg_search
Revises: 0014_pending_started

Being written in this session; until then it changes nothing.
"""

from collections.abc import Sequence

revision: str = "0015_pg_search"
down_revision: str | None = "0014_pending_started"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
