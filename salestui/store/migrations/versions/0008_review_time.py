"""Review pages by when a call took place: an index on ``rules.happened_at``.

Revision ID: 0008_review_time
Revises: 0007_perf

Review used to list only calls whose planned time had passed, ordered by that time, so a call
held before its planned time (or with no time set) was missing. It now lists every call held,
cancelled or overdue by ``coalesce(started_at, ended_at, scheduled_at, created_at)``; this index
keeps its keyset pages a seek rather than a scan.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_review_time"
down_revision: str | None = "0007_perf"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the expression index (no data changes)."""
    op.create_index(
        "ix_call_happened_id", "call", [sa.text("coalesce(started_at, ended_at, scheduled_at, created_at)"), "id"]
    )


def downgrade() -> None:
    """Drop the index."""
    op.drop_index("ix_call_happened_id", table_name="call")
