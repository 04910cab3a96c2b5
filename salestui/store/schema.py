"""The schema revision this code expects, readable without importing SQLAlchemy or Alembic.

A test keeps ``HEAD`` equal to the Alembic head, so start-up can skip Alembic when the
database is already current.
"""

HEAD = "0019_speed"

SEARCH_INDEX = (
    "CREATE VIRTUAL TABLE search_fts USING fts5(body, call_id UNINDEXED, account_id UNINDEXED, "
    "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4 5 6 7 8')"
)
"""The search index as the head revision has it (``salestui doctor`` recreates it from this)."""
