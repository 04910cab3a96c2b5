"""What Alembic's autogenerate compares: everything but the FTS5 search index and the stats summary."""

# The FTS5 search index (and the shadow tables SQLite keeps for it) lives outside the metadata,
# as does the stats summary kept by triggers (0007_perf): both exist on SQLite only.
SEARCH_TABLE_PREFIX = "search_fts"
MIGRATION_ONLY = (SEARCH_TABLE_PREFIX, "stats_summary")


def include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """Keep autogenerate from proposing to drop the search index or the stats summary."""
    return not (type_ == "table" and name is not None and name.startswith(MIGRATION_ONLY))
