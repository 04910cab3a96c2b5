"""Persistence: engine factory, tables, migrations and the store that owns transactions.

Importing this package pulls in SQLAlchemy; the TUI does so only inside workers.
"""
