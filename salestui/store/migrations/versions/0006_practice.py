"""Practice runs: rehearsals of a call (when, how long, the items marked shaky).

Revision ID: 0006_practice
Revises: 0005_questions
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_practice"
down_revision: str | None = "0005_questions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the practice_run table."""
    op.create_table(
        "practice_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("seconds", sa.Integer(), nullable=False),
        sa.Column("shaky", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["call_id"], ["call.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_practice_run_call_id", "practice_run", ["call_id"], unique=False)


def downgrade() -> None:
    """Drop the table."""
    op.drop_index("ix_practice_run_call_id", table_name="practice_run")
    op.drop_table("practice_run")
