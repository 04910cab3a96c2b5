"""Alembic environment: runs on the connection the store hands over (never builds its own)."""

from alembic import context
from sqlmodel import SQLModel

from salestui.store import tables  # noqa: F401  (registers the tables on the metadata)

# The FTS5 search index (and the shadow tables SQLite keeps for it) lives outside the metadata.
SEARCH_TABLE_PREFIX = "search_fts"


def include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """Keep autogenerate from proposing to drop the search index."""
    return not (type_ == "table" and name is not None and name.startswith(SEARCH_TABLE_PREFIX))


connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    include_object=include_object,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
