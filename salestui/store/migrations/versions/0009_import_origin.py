"""What the last import wrote per account field, and an id of this database.

Revision ID: 0009_import_origin
Revises: 0008_review_time

``import_origin`` records, per account and field, the value the last CSV import wrote. A
re-import replaces a field only while it still holds that value (the CRM's); a field the rep
changed since keeps the rep's text. The ``database_id`` setting is a random id made once per
database: calendar exports put it in every UID so two databases (two reps) never share one.
"""

import secrets
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0009_import_origin"
down_revision: str | None = "0008_review_time"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create import_origin; give the database its id (unless it already has one)."""
    op.create_table(
        "import_origin",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(), nullable=False),
        sa.Column("value", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("account_id", "field"),
    )
    setting = sa.table(
        "setting",
        sa.column("key", sa.String()),
        sa.column("value", sa.String()),
        sa.column("created_at", sa.DateTime()),
        sa.column("updated_at", sa.DateTime()),
    )
    found = op.get_bind().execute(sa.select(setting.c.key).where(setting.c.key == "database_id")).first()
    if found is None:
        stamp = datetime.now(UTC).replace(tzinfo=None)
        op.bulk_insert(
            setting, [{"key": "database_id", "value": secrets.token_hex(4), "created_at": stamp, "updated_at": stamp}]
        )


def downgrade() -> None:
    """Drop the table and the id."""
    op.drop_table("import_origin")
    op.execute("DELETE FROM setting WHERE key = 'database_id'")
