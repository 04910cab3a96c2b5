"""The schema revision this code expects, readable without importing SQLAlchemy or Alembic.

A test keeps ``HEAD`` equal to the Alembic head, so start-up can skip Alembic when the
database is already current.
"""

HEAD = "0011_stats_ladder"
