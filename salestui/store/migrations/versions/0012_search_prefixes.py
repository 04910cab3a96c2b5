"""Search keeps prefix indexes for 2 to 8 letters, so a word being typed never merges every match.

Revision ID: 0012_search_prefixes
Revises: 0011_stats_ladder

FTS5 serves a prefix query ("proc"*) from a prefix index only when one of exactly that length
exists; otherwise it reads and merges the lists of every indexed word with that prefix before
returning the first row, which grows with the database (about 20 ms at 100,000 calls for
"pilot", against 2 ms with the index). Indexes for 2 to 8 letters cover what a rep types
before the newest matches settle; they cost about 9% more file (``bench/RESULTS.md``).

FTS5 cannot change ``prefix`` in place: the table is rebuilt under the same name from its own
rows. The triggers that fill it (0002_search, 0005_questions) name it, so they keep working.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0012_search_prefixes"
down_revision: str | None = "0011_stats_ladder"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PREFIXES = "2 3 4 5 6 7 8"
PREVIOUS_PREFIXES = "2 3"


def _rebuild(prefixes: str) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return  # PostgreSQL has no search index of this kind
    if bind.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'search_fts'").first() is None:
        return  # a damaged file lost it: the app still opens, and `salestui doctor` rebuilds it
    # The rows wait in a temporary table (not in the database file) while the index is dropped,
    # so the new index reuses the old one's pages instead of growing the file by a whole copy.
    op.execute("CREATE TEMP TABLE search_rows AS SELECT rowid AS id, body, call_id, account_id FROM search_fts")
    op.execute("DROP TABLE search_fts")
    op.execute(
        "CREATE VIRTUAL TABLE search_fts USING fts5(body, call_id UNINDEXED, account_id UNINDEXED, "
        f"tokenize = 'unicode61 remove_diacritics 2', prefix = '{prefixes}')"
    )
    op.execute(
        "INSERT INTO search_fts(rowid, body, call_id, account_id) "
        "SELECT id, body, call_id, account_id FROM temp.search_rows ORDER BY id"
    )
    op.execute("DROP TABLE temp.search_rows")
    op.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")


def upgrade() -> None:
    """Rebuild the search index with prefix indexes for 2 to 8 letters."""
    _rebuild(PREFIXES)


def downgrade() -> None:
    """Back to 0002_search's prefix indexes (2 and 3 letters)."""
    _rebuild(PREVIOUS_PREFIXES)
