"""Full-text search and stats on PostgreSQL: the same index and summary as SQLite's, with their own machinery.

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

Stats (``ReviewRepo.stats``) grouped every call on PostgreSQL, with SQLite's ``strftime``: they
failed, and grouped they would cost far more than 100 ms at 100,000 calls. ``stats_summary`` now
exists on PostgreSQL too, with 0014_pending_started's rows, triggers and BEFORE/AFTER pairs in
PL/pgSQL, and one more key: the call's ``owner``, so a rep's stats sum their own rows and a
manager's everyone's.

The trigger functions run as the migration's login (``SECURITY DEFINER``): reps and managers
may only read ``search_fts`` and ``stats_summary``; a rep's write to a source table still keeps
them current. SQLite: nothing changes.
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


# -- stats summary -----------------------------------------------------------------------------
SUMMARY = "stats_summary"
# Columns of ``call`` whose change moves a call between groups (0014_pending_started, and owner).
WATCHED = ("owner", "account_id", "scheduled_at", "started_at", "kind", "status", "outcome", "readiness_at_start")
HELD_ON_LADDER = "('advance', 'continuation', 'lost')"
MONTH = "coalesce(to_char(r.scheduled_at, 'YYYY-MM'), '')"
# The UTC day from which a call needs its debrief: the earlier of its planned time and its start
# (``least`` ignores a NULL, as SQLite's coalesce(min(a, b), a, b) does).
PENDING_DAY = "to_char(least(r.scheduled_at, r.started_at), 'YYYY-MM-DD')"
# The facets of call ``r`` kept in other tables, as the database shows them now.
LIVE = {
    "debriefed": "EXISTS (SELECT 1 FROM debrief AS d WHERE d.call_id = r.id AND d.finished_at IS NOT NULL)",
    "practised": "CASE WHEN EXISTS (SELECT 1 FROM practice_run AS p WHERE p.call_id = r.id) THEN '1' ELSE '0' END",
    "level": "coalesce((SELECT a.level FROM advance AS a WHERE a.call_id = r.id AND a.secured LIMIT 1), '')",
}


def _apply(source: str, sign: int, where: str = "true", facets: dict[str, str] = LIVE) -> str:
    """Add (``sign`` 1) or take away (-1) the summary rows of the call rows ``source`` (aliased ``r``).

    0014_pending_started's rows, in PostgreSQL's SQL, with the call's owner as one more key: a
    rep's stats read their own rows, a manager's everyone's.
    """
    debriefed = f"CASE WHEN {facets['debriefed']} THEN 1 ELSE 0 END"
    practised, level = facets["practised"], facets["level"]
    held = f"{where} AND r.outcome IS NOT NULL"
    on_ladder = f"{where} AND r.outcome IN {HELD_ON_LADDER}"
    pending = (
        f"{where} AND (r.scheduled_at IS NOT NULL OR r.started_at IS NOT NULL) AND r.status != 'cancelled'"
        f" AND (r.outcome IS NULL OR r.outcome != 'cancelled') AND NOT ({facets['debriefed']})"
    )
    groups = {
        "kind": "r.kind",
        "month": MONTH,
        "account": "CAST(r.account_id AS text)",
        "band": "coalesce(CAST(r.readiness_at_start AS text), '')",
        "practised": practised,
    }
    rows = [
        f"SELECT r.owner AS owner, '{dim}' AS dim, {key} AS key, r.outcome AS outcome, '' AS level, 1 AS calls,"
        f" {debriefed} AS debriefed FROM {source} WHERE {held}"
        for dim, key in groups.items()
    ]
    ladder = {"ladder_kind": "r.kind", "ladder_month": MONTH, "ladder_account": "CAST(r.account_id AS text)"}
    rows += [
        f"SELECT r.owner, '{dim}', {key}, r.outcome, {level}, 1, 0 FROM {source} WHERE {on_ladder}"
        for dim, key in ladder.items()
    ]
    rows.append(f"SELECT r.owner, 'pending', {PENDING_DAY}, '', '', 1, 0 FROM {source} WHERE {pending}")
    return (
        f"INSERT INTO {SUMMARY} AS s (owner, dim, key, outcome, level, calls, debriefed)"
        f" SELECT owner, dim, key, outcome, level, {sign} * sum(calls), {sign} * sum(debriefed)"
        f" FROM ({' UNION ALL '.join(rows)}) AS u GROUP BY owner, dim, key, outcome, level"
        " ON CONFLICT (owner, dim, key, outcome, level) DO UPDATE"
        " SET calls = s.calls + excluded.calls, debriefed = s.debriefed + excluded.debriefed;"
    )


def _row(record: str) -> str:
    """A trigger's ``OLD`` or ``NEW`` call row as a one-row table ``r``."""
    return "(SELECT " + ", ".join(f"{record}.{c} AS {c}" for c in ("id", *WATCHED)) + ") AS r"


def _stats_function(schema: str, name: str, body: str, returns: str = "NULL") -> str:
    return (
        f'CREATE OR REPLACE FUNCTION "{schema}".{name}() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER'
        f' SET search_path = "{schema}", pg_temp AS $$ BEGIN {body} RETURN {returns}; END $$'
    )


# (table, event, the calls moved, WHEN) of the BEFORE/AFTER pairs: take the calls' rows away
# before the change, add them back after it (0011_stats_ladder).
AROUND = (
    ("debrief", "INSERT", ("NEW.call_id",), "NEW.finished_at IS NOT NULL"),
    ("debrief", "DELETE", ("OLD.call_id",), "OLD.finished_at IS NOT NULL"),
    (
        "debrief",
        "UPDATE OF finished_at, call_id",
        ("OLD.call_id", "NEW.call_id"),
        "(OLD.finished_at IS NULL) IS DISTINCT FROM (NEW.finished_at IS NULL) OR OLD.call_id IS DISTINCT FROM NEW.call_id",
    ),
    ("advance", "INSERT", ("NEW.call_id",), "NEW.secured"),
    ("advance", "DELETE", ("OLD.call_id",), "OLD.secured"),
    (
        "advance",
        "UPDATE OF secured, level, call_id",
        ("OLD.call_id", "NEW.call_id"),
        "(OLD.secured OR NEW.secured) AND (OLD.secured IS DISTINCT FROM NEW.secured"
        " OR OLD.level IS DISTINCT FROM NEW.level OR OLD.call_id IS DISTINCT FROM NEW.call_id)",
    ),
    ("practice_run", "INSERT", ("NEW.call_id",), "true"),
    ("practice_run", "DELETE", ("OLD.call_id",), "true"),
    ("practice_run", "UPDATE OF call_id", ("OLD.call_id", "NEW.call_id"), "OLD.call_id IS DISTINCT FROM NEW.call_id"),
)


def _stats_triggers(schema: str) -> list[tuple[str, str]]:
    """Create the summary's trigger functions and triggers; (trigger, table) of each."""
    made: list[tuple[str, str]] = []
    same = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in WATCHED)
    # BEFORE DELETE: the call's debrief, advances and runs (deleted by the cascade) still count.
    calls = {
        "stats_call_ai": ("AFTER INSERT", _apply(_row("NEW"), 1), "NULL", ""),
        "stats_call_bd": ("BEFORE DELETE", _apply(_row("OLD"), -1), "OLD", ""),
        "stats_call_au": (
            f"AFTER UPDATE OF {', '.join(WATCHED)}",
            f"{_apply(_row('OLD'), -1)} {_apply(_row('NEW'), 1)}",
            "NULL",
            f" WHEN ({same})",
        ),
    }
    for name, (event, body, returns, when) in calls.items():
        op.execute(_stats_function(schema, f"salestui_{name}", body, returns))
        op.execute(
            f'CREATE TRIGGER {name} {event} ON "call" FOR EACH ROW{when} EXECUTE FUNCTION "{schema}".salestui_{name}()'
        )
        made.append((name, "call"))
    for table, event, ids, when in AROUND:
        where = f"r.id IN ({', '.join(ids)})"
        short = {"INSERT": "i", "DELETE": "d"}.get(event.split()[0], "u")
        # A BEFORE trigger hands the row on (NULL would skip the change itself).
        returned = "OLD" if event == "DELETE" else "NEW"
        for phase, sign, returns in (("BEFORE", -1, returned), ("AFTER", 1, "NULL")):
            name = f"stats_{table}_{phase[0].lower()}{short}"
            op.execute(_stats_function(schema, f"salestui_{name}", _apply("call AS r", sign, where), returns))
            op.execute(
                f'CREATE TRIGGER {name} {phase} {event} ON "{table}" FOR EACH ROW WHEN ({when})'
                f' EXECUTE FUNCTION "{schema}".salestui_{name}()'
            )
            made.append((name, table))
    return made


def _names_of_stats_triggers() -> list[tuple[str, str]]:
    names = [(name, "call") for name in ("stats_call_ai", "stats_call_bd", "stats_call_au")]
    for table, event, _ids, _when in AROUND:
        short = {"INSERT": "i", "DELETE": "d"}.get(event.split()[0], "u")
        names += [(f"stats_{table}_{phase}{short}", table) for phase in ("b", "a")]
    return names


def _stats_summary(schema: str) -> None:
    """The summary table, its triggers, filled from the calls; read-only for the team's roles."""
    op.execute(
        f"CREATE TABLE {SUMMARY} (owner text NOT NULL, dim text NOT NULL, key text NOT NULL,"
        " outcome text NOT NULL, level text NOT NULL, calls integer NOT NULL, debriefed integer NOT NULL,"
        " PRIMARY KEY (owner, dim, key, outcome, level))"
    )
    # Stats read a dimension at a time (the busiest accounts: the account rows alone).
    op.execute(f"CREATE INDEX ix_stats_summary_dim_key ON {SUMMARY} (dim, key)")
    _stats_triggers(schema)
    op.execute(_apply('"call" AS r', 1))
    op.execute(f"ANALYZE {SUMMARY}")


def _read_only(table: str) -> None:
    grants = " ".join(
        f"IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = '{role}') THEN"
        f" GRANT SELECT ON {table} TO {role}; END IF;"
        for role in READERS
    )
    op.execute(f"DO $$ BEGIN {grants} END $$")


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
    _stats_summary(schema)
    # Read-only for the team's roles (0010_team_rls grants the tables that existed then).
    _read_only(TABLE)
    _read_only(SUMMARY)


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
    for name, table in _names_of_stats_triggers():
        op.execute(f'DROP TRIGGER IF EXISTS {name} ON "{table}"')
        op.execute(f'DROP FUNCTION IF EXISTS "{schema}".salestui_{name}()')
    op.execute(f"DROP TABLE IF EXISTS {SUMMARY}")
    op.execute(f'DROP FUNCTION IF EXISTS "{schema}".salestui_search_doc(text)')
    op.execute(f'DROP FUNCTION IF EXISTS "{schema}".salestui_fold(text)')
