"""Full-text search (FTS5, kept in sync by triggers) and the indexes the review queries use.

Revision ID: 0002_search
Revises: 0001_initial
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002_search"
down_revision: str | None = "0001_initial"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Prefix indexes of 2 and 3 characters keep search-while-typing fast on the first letters.
# One FTS row per source row; its rowid is the source id times 8 plus the source code, so
# triggers find and replace a row by rowid instead of scanning the index.
SOURCES = {
    # table: (code, text expression, call_id expression, account_id expression, watched columns)
    "call": (1, "{r}.objective || char(10) || {r}.goal", "{r}.id", "{r}.account_id", "objective, goal, account_id"),
    "objection": (
        2,
        "{r}.text || char(10) || {r}.response",
        "{r}.call_id",
        "(SELECT account_id FROM call WHERE id = {r}.call_id)",
        "text, response",
    ),
    "call_note": (3, "{r}.text", "{r}.call_id", "(SELECT account_id FROM call WHERE id = {r}.call_id)", "text"),
    "debrief": (
        4,
        "{r}.went_well || char(10) || {r}.do_differently || char(10) || {r}.customer_feedback"
        " || char(10) || {r}.lessons || char(10) || {r}.next_step",
        "{r}.call_id",
        "(SELECT account_id FROM call WHERE id = {r}.call_id)",
        "went_well, do_differently, customer_feedback, lessons, next_step",
    ),
    "research_note": (5, "{r}.body", "NULL", "{r}.account_id", "body"),
    "account": (6, "{r}.name", "NULL", "{r}.id", "name"),
    "advance": (7, "{r}.action", "{r}.call_id", "(SELECT account_id FROM call WHERE id = {r}.call_id)", "action"),
}

REVIEW_INDEXES = {
    # Review lines filtered by kind or outcome, newest first, seek by (scheduled_at, id).
    "ix_call_kind_scheduled": ("call", ["kind", "scheduled_at", "id"]),
    "ix_call_outcome_scheduled": ("call", ["outcome", "scheduled_at", "id"]),
    # Stats group held calls by kind, readiness, account and month from the index alone.
    "ix_call_stats": ("call", ["outcome", "kind", "readiness_at_start", "account_id", "scheduled_at"]),
    # "Follow-up overdue": the latest call of each account that was not cancelled.
    "ix_call_account_latest": ("call", ["account_id", "scheduled_at", "status"]),
}


def _insert(table: str, row: str) -> str:
    code, text, call_id, account_id, _ = SOURCES[table]
    text_sql = text.format(r=row)
    return (
        f"INSERT INTO search_fts(rowid, body, call_id, account_id) "
        f"SELECT {row}.id * 8 + {code}, {text_sql}, {call_id.format(r=row)}, {account_id.format(r=row)} "
        f"WHERE trim({text_sql}) <> '';"
    )


def _delete(table: str, row: str) -> str:
    return f"DELETE FROM search_fts WHERE rowid = {row}.id * 8 + {SOURCES[table][0]};"


def upgrade() -> None:
    """Create the index, its triggers, backfill it; add the review indexes."""
    for name, (table, columns) in REVIEW_INDEXES.items():
        op.create_index(name, table, columns)
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(
        "CREATE VIRTUAL TABLE search_fts USING fts5("
        "body, call_id UNINDEXED, account_id UNINDEXED, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')"
    )
    for table, (_code, _text, _call, _account, watched) in SOURCES.items():
        quoted = f'"{table}"'
        op.execute(f"CREATE TRIGGER search_{table}_ai AFTER INSERT ON {quoted} BEGIN {_insert(table, 'new')} END")
        op.execute(f"CREATE TRIGGER search_{table}_ad AFTER DELETE ON {quoted} BEGIN {_delete(table, 'old')} END")
        op.execute(
            f"CREATE TRIGGER search_{table}_au AFTER UPDATE OF {watched} ON {quoted} "
            f"BEGIN {_delete(table, 'old')} {_insert(table, 'new')} END"
        )
        code, text, call_id, account_id, _ = SOURCES[table]
        op.execute(
            f"INSERT INTO search_fts(rowid, body, call_id, account_id) "
            f"SELECT r.id * 8 + {code}, {text.format(r='r')}, {call_id.format(r='r')}, {account_id.format(r='r')} "
            f"FROM {quoted} AS r WHERE trim({text.format(r='r')}) <> ''"
        )
    op.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")


def downgrade() -> None:
    """Drop the search index, its triggers and the review indexes."""
    if op.get_bind().dialect.name == "sqlite":
        for table in SOURCES:
            for suffix in ("ai", "ad", "au"):
                op.execute(f"DROP TRIGGER IF EXISTS search_{table}_{suffix}")
        op.execute("DROP TABLE IF EXISTS search_fts")
    for name, (table, _columns) in REVIEW_INDEXES.items():
        op.drop_index(name, table_name=table)
