"""What Alembic's autogenerate compares: everything but the FTS5 search index."""

# The FTS5 search index (and the shadow tables SQLite keeps for it) lives outside the metadata.
SEARCH_TABLE_PREFIX = "search_fts"


def include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """Keep autogenerate from proposing to drop the search index."""
    return not (type_ == "table" and name is not None and name.startswith(SEARCH_TABLE_PREFIX))
