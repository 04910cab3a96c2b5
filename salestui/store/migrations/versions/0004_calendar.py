"""Calendar import: the event a call came from (UID and occurrence), unique per rep.

Revision ID: 0004_calendar
Revises: 0003_debrief_finished
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_calendar"
down_revision: str | None = "0003_debrief_finished"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the two columns and the unique index re-imports find their call by."""
    # Plain ADD COLUMN, not batch mode: on SQLite a batch rebuild of ``call`` would drop the
    # search triggers of 0002_search.
    op.add_column("call", sa.Column("calendar_uid", sa.String(), nullable=True))
    op.add_column("call", sa.Column("calendar_occurrence", sa.String(), nullable=True))
    # NULL UIDs (calls planned in salestui) never collide; an imported event is one call per rep.
    op.create_index("ux_call_calendar", "call", ["calendar_uid", "calendar_occurrence", "owner"], unique=True)


def downgrade() -> None:
    """Drop the index and the columns."""
    op.drop_index("ux_call_calendar", table_name="call")
    # In place (SQLite 3.35+ drops columns itself): a batch copy of the table would drop the
    # search triggers of 0002_search with it.
    op.drop_column("call", "calendar_occurrence")
    op.drop_column("call", "calendar_uid")
