"""Full-text search on PostgreSQL: the same index as SQLite's ``search_fts``, with its own machinery.

Revision ID: 0015_pg_search
Revises: 0014_pending_started

SQLite searches an FTS5 table kept by triggers (0002_search, 0005_questions, 0012_search_prefixes).
PostgreSQL had no search at all (review search sent FTS5 SQL and failed). It now keeps a table of
the same name and shape, filled by triggers on the same eight source tables with the same rows:

- ``rowid`` the source id times 8 plus the source code, ``body`` the same text (the same
  columns joined by a newline), ``call_id``, ``account_id``: ``ReviewRepo.search`` reads the
  newest matches by ``rowid`` and ranks and highlights them in Python on both backends, so the
  same data gives the same hits in the same order.
- ``doc``: a generated ``tsvector`` of the body with a GIN index. The body is folded by
  ``salestui_fold`` (accented letters to their base letter, then lower case) and every run of
  characters that are not letters or digits becomes a space before ``to_tsvector('simple', …)``,
  so a word is cut as FTS5's ``unicode61`` tokenizer cuts it ("acme.com" is "acme" and "com",
  "_" separates) rather than by PostgreSQL's parser (which keeps e-mails, hosts and decimals
  whole). A search is every word as a prefix (``'word':*``), folded by the same function.
- Accents are folded with ``translate`` over the letters ``review.fold`` folds (the fold the
  ranking and the highlights use, and what ``remove_diacritics`` does on SQLite), not with the
  ``unaccent`` extension: unaccent also turns "Ł" into "L", "æ" into "ae" and "ß" into "ss",
  which FTS5 does not, so a search would find records on one backend and not the other (and
  highlight nothing). ``translate`` needs no extension and no right to create one, and is
  IMMUTABLE, as a generated column and its index require.

The trigger functions run as the migration's login (``SECURITY DEFINER``): reps and managers
may only read ``search_fts``; a rep's write to a source table still keeps it current.
SQLite: nothing changes.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0015_pg_search"
down_revision: str | None = "0014_pending_started"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "search_fts"
READERS = ("salestui_rep", "salestui_manager")
NL = "chr(10)"
UNDER_CALL = "(SELECT account_id FROM call WHERE id = {r}.call_id)"
# table: (code, text expression, call_id, account_id, watched columns), as 0002_search and 0005_questions.
SOURCES = {
    "question": (
        0,
        f"{{r}}.text || {NL} || {{r}}.hope || {NL} || {{r}}.answer",
        "{r}.call_id",
        UNDER_CALL,
        "text, hope, answer",
    ),
    "call": (1, f"{{r}}.objective || {NL} || {{r}}.goal", "{r}.id", "{r}.account_id", "objective, goal, account_id"),
    "objection": (2, f"{{r}}.text || {NL} || {{r}}.response", "{r}.call_id", UNDER_CALL, "text, response"),
    "call_note": (3, "{r}.text", "{r}.call_id", UNDER_CALL, "text"),
    "debrief": (
        4,
        f"{{r}}.went_well || {NL} || {{r}}.do_differently || {NL} || {{r}}.customer_feedback"
        f" || {NL} || {{r}}.lessons || {NL} || {{r}}.next_step",
        "{r}.call_id",
        UNDER_CALL,
        "went_well, do_differently, customer_feedback, lessons, next_step",
    ),
    "research_note": (5, "{r}.body", "NULL", "{r}.account_id", "body"),
    "account": (6, "{r}.name", "NULL", "{r}.id", "name"),
    "advance": (7, "{r}.action", "{r}.call_id", UNDER_CALL, "action"),
}
# The letters folded, as ``review.fold`` folds them (NFKD without combining marks, casefolded)
# when that is one letter: Latin, Greek and Cyrillic, and the Latin and Greek extended blocks.
FOLDED_BLOCKS = ((0x00C0, 0x0250), (0x0370, 0x0530), (0x1E00, 0x2000))


def _fold_map() -> tuple[str, str]:
    """The letters that fold to another single letter, and what each folds to."""
    import unicodedata

    letters, folded = [], []
    for start, end in FOLDED_BLOCKS:
        for code in range(start, end):
            letter = chr(code)
            if not letter.isalnum():
                continue
            decomposed = unicodedata.normalize("NFKD", letter)
            base = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
            if len(base) == 1 and base != letter:
                letters.append(letter)
                folded.append(base)
    return "".join(letters), "".join(folded)


def _schema() -> str:
    return str(op.get_bind().exec_driver_sql("SELECT current_schema()").scalar_one())


def _functions(schema: str) -> None:
    letters, folded = _fold_map()
    op.execute(
        f'CREATE OR REPLACE FUNCTION "{schema}".salestui_fold(value text) RETURNS text'
        f" LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT lower(translate(value, '{letters}', '{folded}')) $$"
    )
    op.execute(
        f'CREATE OR REPLACE FUNCTION "{schema}".salestui_search_doc(body text) RETURNS tsvector'
        " LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT to_tsvector('pg_catalog.simple',"
        f" regexp_replace(\"{schema}\".salestui_fold(body), '[^[:alnum:]]+', ' ', 'g')) $$"
    )


def _values(table: str, row: str) -> tuple[str, str]:
    """The ``SELECT`` list of one source row's search row, and its text."""
    code, text, call_id, account_id, _ = SOURCES[table]
    body = text.format(r=row)
    return f"{row}.id * 8 + {code}, {body}, {call_id.format(r=row)}, {account_id.format(r=row)}", body


def _triggers(schema: str) -> None:
    for table, (code, _text, _call, _account, watched) in SOURCES.items():
        values, body = _values(table, "NEW")
        function = f'"{schema}".salestui_search_{table}'
        op.execute(
            f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER"
            f' SET search_path = "{schema}", pg_temp AS $$ BEGIN'
            f" IF TG_OP <> 'INSERT' THEN DELETE FROM {TABLE} WHERE rowid = OLD.id * 8 + {code}; END IF;"
            f" IF TG_OP <> 'DELETE' THEN INSERT INTO {TABLE} (rowid, body, call_id, account_id)"
            f" SELECT {values} WHERE trim({body}) <> ''; END IF;"
            " RETURN NULL; END $$"
        )
        changed = " OR ".join(f"OLD.{c.strip()} IS DISTINCT FROM NEW.{c.strip()}" for c in watched.split(","))
        quoted = f'"{table}"'
        op.execute(
            f"CREATE TRIGGER search_{table}_ai AFTER INSERT ON {quoted} FOR EACH ROW EXECUTE FUNCTION {function}()"
        )
        op.execute(
            f"CREATE TRIGGER search_{table}_ad AFTER DELETE ON {quoted} FOR EACH ROW EXECUTE FUNCTION {function}()"
        )
        op.execute(
            f"CREATE TRIGGER search_{table}_au AFTER UPDATE OF {watched} ON {quoted} FOR EACH ROW"
            f" WHEN ({changed}) EXECUTE FUNCTION {function}()"
        )


def upgrade() -> None:
    """PostgreSQL: the fold functions, ``search_fts`` with its GIN index, its triggers, filled; grants."""
    if op.get_bind().dialect.name != "postgresql":
        return
    schema = _schema()
    _functions(schema)
    op.execute(
        f"CREATE TABLE {TABLE} (rowid bigint PRIMARY KEY, body text NOT NULL, call_id integer, account_id integer,"
        f' doc tsvector GENERATED ALWAYS AS ("{schema}".salestui_search_doc(body)) STORED)'
    )
    for table in SOURCES:
        values, body = _values(table, "r")
        op.execute(
            f"INSERT INTO {TABLE} (rowid, body, call_id, account_id)"
            f" SELECT {values} FROM \"{table}\" AS r WHERE trim({body}) <> ''"
        )
    op.execute(f"CREATE INDEX ix_search_fts_doc ON {TABLE} USING gin (doc)")
    _triggers(schema)
    op.execute(f"ANALYZE {TABLE}")
    # Read-only for the team's roles (0010_team_rls grants the tables that existed then).
    grants = " ".join(
        f"IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = '{role}') THEN"
        f" GRANT SELECT ON {TABLE} TO {role}; END IF;"
        for role in READERS
    )
    op.execute(f"DO $$ BEGIN {grants} END $$")


def downgrade() -> None:
    """Drop the triggers, their functions, the table and the fold functions (the extension stays)."""
    if op.get_bind().dialect.name != "postgresql":
        return
    schema = _schema()
    for table in SOURCES:
        for suffix in ("ai", "ad", "au"):
            op.execute(f'DROP TRIGGER IF EXISTS search_{table}_{suffix} ON "{table}"')
        op.execute(f'DROP FUNCTION IF EXISTS "{schema}".salestui_search_{table}()')
    op.execute(f"DROP TABLE IF EXISTS {TABLE}")
    op.execute(f'DROP FUNCTION IF EXISTS "{schema}".salestui_search_doc(text)')
    op.execute(f'DROP FUNCTION IF EXISTS "{schema}".salestui_fold(text)')
