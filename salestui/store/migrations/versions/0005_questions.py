"""Questions to ask in a call (SPIN kind, hope to learn, asked, answer), in the search index too.

Revision ID: 0005_questions
Revises: 0004_calendar
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_questions"
down_revision: str | None = "0004_calendar"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Same shape as 0002_search.SOURCES; code 0 is the one rowid slot (id * 8 + code) still free.
SOURCES = {
    "question": (
        0,
        "{r}.text || char(10) || {r}.hope || char(10) || {r}.answer",
        "{r}.call_id",
        "(SELECT account_id FROM call WHERE id = {r}.call_id)",
        "text, hope, answer",
    ),
}


def _insert(row: str) -> str:
    code, text, call_id, account_id, _ = SOURCES["question"]
    text_sql = text.format(r=row)
    return (
        f"INSERT INTO search_fts(rowid, body, call_id, account_id) "
        f"SELECT {row}.id * 8 + {code}, {text_sql}, {call_id.format(r=row)}, {account_id.format(r=row)} "
        f"WHERE trim({text_sql}) <> '';"
    )


def _delete(row: str) -> str:
    return f"DELETE FROM search_fts WHERE rowid = {row}.id * 8 + {SOURCES['question'][0]};"


def upgrade() -> None:
    """Create the question table and, on SQLite, its search triggers."""
    op.create_table(
        "question",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("hope", sa.String(), nullable=False),
        sa.Column("asked", sa.Boolean(), nullable=False),
        sa.Column("answer", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["call_id"], ["call.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_question_call_id", "question", ["call_id"], unique=False)
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(f"CREATE TRIGGER search_question_ai AFTER INSERT ON question BEGIN {_insert('new')} END")
    op.execute(f"CREATE TRIGGER search_question_ad AFTER DELETE ON question BEGIN {_delete('old')} END")
    op.execute(
        f"CREATE TRIGGER search_question_au AFTER UPDATE OF {SOURCES['question'][4]} ON question "
        f"BEGIN {_delete('old')} {_insert('new')} END"
    )


def downgrade() -> None:
    """Drop the triggers, the index and the table."""
    if op.get_bind().dialect.name == "sqlite":
        for suffix in ("ai", "ad", "au"):
            op.execute(f"DROP TRIGGER IF EXISTS search_question_{suffix}")
        op.execute("DELETE FROM search_fts WHERE rowid IN (SELECT id * 8 FROM question)")
    op.drop_index("ix_question_call_id", table_name="question")
    op.drop_table("question")
