"""Alembic environment: runs on the connection the store hands over (never builds its own)."""

from alembic import context
from sqlmodel import SQLModel

from salestui.store import tables  # noqa: F401  (registers the tables on the metadata)
from salestui.store.migrations.autogen import include_object

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    include_object=include_object,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
