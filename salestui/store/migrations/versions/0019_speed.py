"""Speed at 100,000 calls: open follow-ups and held calls by day kept by triggers; a quicker fold (PostgreSQL).

Revision ID: 0019_speed
Revises: 0018_team_links

**Open follow-ups.** Stats count the calls whose follow-up is overdue (``rules.follow_up_overdue``:
a finished debrief's follow-up date passed and no later call of the account that was not
cancelled followed), and review filters by it. Found from the calls, that is a walk over every
account's calls: 73 ms of stats' 105 ms on PostgreSQL at 100,000 calls. Whether a call is still
waiting for its follow-up does not depend on the day, only on its account's calls and debriefs,
so ``stats_summary_follow_up`` keeps those calls (a few per account: each account's latest call
and what came after it), each with its follow-up date; the overdue ones are the rows dated before
today (an index range). Triggers on ``call`` (insert, delete, a change of account, time or status)
and ``debrief`` (insert, delete, a change of call, follow-up or finished) recompute the rows of the
account concerned, in the writer's transaction. ``doctor`` recomputes and compares them (SQLite).

On PostgreSQL the recompute takes a per-account advisory lock first, so two reps writing calls of
one account at once cannot leave a row computed from a snapshot that missed the other's change;
the trigger functions run as the migration's login (``SECURITY DEFINER``) and the table is
read-only for reps and the manager (``protect``).

**Held calls by day.** The forecast counts held calls (``rules.held``) by rep, week, kind,
readiness band and how far they got, over the 34 weeks its backtest reads: 15,000 calls at 100,000,
90 ms of its 150. ``stats_summary_held`` keeps those counts per UTC day of ``rules.happened_at``
(owner, day, kind, band: held, advanced, reached the target or better), kept by triggers like
``stats_summary``'s (0014_pending_started, 0015_pg_search): a call's row taken away and added
back on every change of what it is counted by, and of its secured advance. A local week that
starts inside a UTC day reads that day's calls live (``store.forecast.held_groups``). The bands
are the domain's (``readiness.LOW_BELOW``, ``HIGH_FROM``), frozen here; a test holds them equal.

**Fold.** ``salestui_fold`` (0015_pg_search) ``translate``s every body over its 600 folded letters
(a loop over them per character: about 1 ms per search row, 13 minutes of loading 100,000 calls).
A body with no character beyond ASCII folds to its lower case alone, which is what ``translate``
gave it (every folded letter is beyond ASCII): the same result, 20x faster on such text.
"""

import importlib
from collections.abc import Sequence

from alembic import op

revision: str = "0019_speed"
down_revision: str | None = "0018_team_links"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "stats_summary_follow_up"
# Calls of account {a} whose finished debrief has a follow-up date and that no later call of the
# account that was not cancelled followed (``rules.follows``): a call with no time, never.
OPEN = (
    "SELECT c.id, c.account_id, d.follow_up FROM call AS c JOIN debrief AS d ON d.call_id = c.id"
    " WHERE {where} AND d.finished_at IS NOT NULL AND d.follow_up IS NOT NULL AND NOT EXISTS"
    " (SELECT 1 FROM call AS k WHERE k.account_id = c.account_id AND k.scheduled_at > c.scheduled_at"
    " AND k.status != 'cancelled')"
)
FILL = f"INSERT INTO {TABLE} (call_id, account_id, follow_up) {OPEN.format(where='true')}"
"""Fill the (empty) table from every call: the migration, ``doctor`` and ``bench.generate``."""
# The columns whose change can start or end a call's wait for its follow-up.
CALL_WATCHED = ("account_id", "scheduled_at", "status")
DEBRIEF_WATCHED = ("call_id", "follow_up", "finished_at")
ACCOUNT_OF = "(SELECT account_id FROM call WHERE id = {})"


def _refresh(account: str) -> str:
    """SQLite: recompute the rows of the account ``account`` (an SQL expression)."""
    return (
        f"DELETE FROM {TABLE} WHERE account_id = {account};"
        f" INSERT INTO {TABLE} (call_id, account_id, follow_up) {OPEN.format(where=f'c.account_id = {account}')};"
    )


def _changed(record_a: str, record_b: str, columns: Sequence[str], distinct: str) -> str:
    return " OR ".join(f"{record_a}.{c} {distinct} {record_b}.{c}" for c in columns)


def sqlite_triggers() -> dict[str, str]:
    """The SQLite triggers keeping the table (name: everything after ``CREATE TRIGGER name``)."""
    moved = _changed("old", "new", CALL_WATCHED, "IS NOT")
    return {
        "follow_up_call_ai": f"AFTER INSERT ON call BEGIN {_refresh('new.account_id')} END",
        "follow_up_call_ad": f"AFTER DELETE ON call BEGIN {_refresh('old.account_id')} END",
        "follow_up_call_au": (
            f"AFTER UPDATE OF {', '.join(CALL_WATCHED)} ON call WHEN {moved}"
            f" BEGIN {_refresh('old.account_id')} {_refresh('new.account_id')} END"
        ),
        "follow_up_debrief_ai": (f"AFTER INSERT ON debrief BEGIN {_refresh(ACCOUNT_OF.format('new.call_id'))} END"),
        "follow_up_debrief_ad": (
            f"AFTER DELETE ON debrief BEGIN DELETE FROM {TABLE} WHERE call_id = old.call_id;"
            f" {_refresh(ACCOUNT_OF.format('old.call_id'))} END"
        ),
        "follow_up_debrief_au": (
            f"AFTER UPDATE OF {', '.join(DEBRIEF_WATCHED)} ON debrief"
            f" WHEN {_changed('old', 'new', DEBRIEF_WATCHED, 'IS NOT')}"
            f" BEGIN DELETE FROM {TABLE} WHERE call_id = old.call_id;"
            f" {_refresh(ACCOUNT_OF.format('old.call_id'))} {_refresh(ACCOUNT_OF.format('new.call_id'))} END"
        ),
    }


CREATE_SQLITE = (
    f"CREATE TABLE {TABLE} (call_id INTEGER NOT NULL PRIMARY KEY, account_id INTEGER NOT NULL, follow_up DATE NOT NULL)"
)
INDEXES = (
    f"CREATE INDEX ix_{TABLE}_account ON {TABLE} (account_id)",
    f"CREATE INDEX ix_{TABLE}_due ON {TABLE} (follow_up, call_id)",
)


# -- held calls by day ---------------------------------------------------------------------------------
HELD = "stats_summary_held"
LOW_BELOW, HIGH_FROM = 50, 80
"""``salestui.domain.readiness``'s bands when this summary was made (a test holds them equal)."""
NOT_RECORDED = "not recorded"
HAPPENED = "coalesce(r.started_at, r.ended_at, r.scheduled_at, r.created_at)"
HELD_WATCHED = (
    "owner",
    "started_at",
    "ended_at",
    "scheduled_at",
    "created_at",
    "kind",
    "readiness_at_start",
    "outcome",
)
REACHED = (
    "CASE WHEN r.outcome = 'advance' AND EXISTS (SELECT 1 FROM advance AS a WHERE a.call_id = r.id"
    " AND a.secured AND a.level IN ('stretch', 'target')) THEN 1 ELSE 0 END"
)
BAND = (
    f"CASE WHEN r.readiness_at_start IS NULL THEN '{NOT_RECORDED}' WHEN r.readiness_at_start < {LOW_BELOW}"
    f" THEN 'low' WHEN r.readiness_at_start >= {HIGH_FROM} THEN 'high' ELSE 'medium' END"
)
DAY = {"sqlite": f"substr({HAPPENED}, 1, 10)", "postgresql": f"to_char({HAPPENED}, 'YYYY-MM-DD')"}
SAME = {"sqlite": "IS NOT", "postgresql": "IS DISTINCT FROM"}


def held_counts(dialect: str, source: str, where: str = "true") -> str:
    """The held-call counts of the call rows ``source`` (aliased ``r``): owner, day, kind, band, held,
    advanced, reached (the rows ``stats_summary_held`` holds for them)."""
    return (
        "SELECT owner, day, kind, band, count(*) AS held, sum(advanced) AS advanced, sum(reached) AS reached FROM"
        f" (SELECT r.owner AS owner, {DAY[dialect]} AS day, r.kind AS kind, {BAND} AS band,"
        f" CASE WHEN r.outcome = 'advance' THEN 1 ELSE 0 END AS advanced, {REACHED} AS reached"
        f" FROM {source} WHERE ({where}) AND r.outcome IS NOT NULL AND r.outcome != 'cancelled') AS u"
        " WHERE true GROUP BY owner, day, kind, band"
    )


def held_apply(dialect: str, source: str, sign: int, where: str = "true") -> str:
    """Add (``sign`` 1) or take away (-1) the held-call counts of the call rows ``source`` (``r``)."""
    target = HELD if dialect == "sqlite" else f"{HELD} AS s"
    prefix = "" if dialect == "sqlite" else "s."
    return (
        f"INSERT INTO {target} (owner, day, kind, band, held, advanced, reached)"
        f" SELECT owner, day, kind, band, {sign} * held, {sign} * advanced, {sign} * reached"
        f" FROM ({held_counts(dialect, source, where)}) AS c WHERE true"
        " ON CONFLICT (owner, day, kind, band) DO UPDATE SET"
        f" held = {prefix}held + excluded.held, advanced = {prefix}advanced + excluded.advanced,"
        f" reached = {prefix}reached + excluded.reached;"
    )


HELD_FILL = {dialect: held_apply(dialect, "call AS r", 1) for dialect in DAY}
"""Fill the (empty) summary from every call: the migration, ``doctor`` and ``bench.generate``."""


def _held_row(record: str) -> str:
    return "(SELECT " + ", ".join(f"{record}.{c} AS {c}" for c in ("id", *HELD_WATCHED)) + ") AS r"


# (name, table, event, WHEN (old/new as each backend spells them), the call ids concerned);
# a change to an advance is taken away BEFORE and added back AFTER (0011_stats_ladder's pairs).
HELD_AROUND = (
    ("advance", "INSERT", ("new.call_id",), "new.secured"),
    ("advance", "DELETE", ("old.call_id",), "old.secured"),
    (
        "advance",
        "UPDATE OF secured, level, call_id",
        ("old.call_id", "new.call_id"),
        "(old.secured OR new.secured) AND (old.secured {same} new.secured OR old.level {same} new.level"
        " OR old.call_id {same} new.call_id)",
    ),
)


def held_sqlite_triggers() -> dict[str, str]:
    """The SQLite triggers keeping ``stats_summary_held``."""
    moved = _changed("old", "new", HELD_WATCHED, "IS NOT")
    triggers = {
        "held_call_ai": f"AFTER INSERT ON call BEGIN {held_apply('sqlite', _held_row('new'), 1)} END",
        "held_call_bd": f"BEFORE DELETE ON call BEGIN {held_apply('sqlite', _held_row('old'), -1)} END",
        "held_call_au": (
            f"AFTER UPDATE OF {', '.join(HELD_WATCHED)} ON call WHEN {moved} BEGIN"
            f" {held_apply('sqlite', _held_row('old'), -1)} {held_apply('sqlite', _held_row('new'), 1)} END"
        ),
    }
    for table, event, ids, when in HELD_AROUND:
        short = {"INSERT": "i", "DELETE": "d"}.get(event.split()[0], "u")
        where = f"r.id IN ({', '.join(ids)})"
        condition = when.format(same="IS NOT")
        for phase, sign in (("BEFORE", -1), ("AFTER", 1)):
            triggers[f"held_{table}_{phase[0].lower()}{short}"] = (
                f"{phase} {event} ON {table} WHEN {condition} BEGIN {held_apply('sqlite', 'call AS r', sign, where)} END"
            )
    return triggers


HELD_CREATE = (
    f"CREATE TABLE {HELD} (owner TEXT NOT NULL, day TEXT NOT NULL, kind TEXT NOT NULL, band TEXT NOT NULL,"
    " held INTEGER NOT NULL, advanced INTEGER NOT NULL, reached INTEGER NOT NULL, PRIMARY KEY (day, kind, band, owner))"
)


def _pg_held(schema: str) -> list[tuple[str, str]]:
    """PostgreSQL: the held summary's trigger functions and triggers; (trigger, table) of each."""
    made = []
    upper = {"old": "OLD", "new": "NEW"}

    def pg(text: str) -> str:
        for lower, capital in upper.items():
            text = text.replace(f"{lower}.", f"{capital}.")
        return text

    def function(name: str, body: str, returns: str) -> str:
        return (
            f'CREATE OR REPLACE FUNCTION "{schema}".salestui_{name}() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER'
            f' SET search_path = "{schema}", pg_temp AS $$ BEGIN {body} RETURN {returns}; END $$'
        )

    moved = _changed("OLD", "NEW", HELD_WATCHED, "IS DISTINCT FROM")
    calls = {
        "held_call_ai": ("AFTER INSERT", held_apply("postgresql", _held_row("NEW"), 1), "NULL", ""),
        "held_call_bd": ("BEFORE DELETE", held_apply("postgresql", _held_row("OLD"), -1), "OLD", ""),
        "held_call_au": (
            f"AFTER UPDATE OF {', '.join(HELD_WATCHED)}",
            f"{held_apply('postgresql', _held_row('OLD'), -1)} {held_apply('postgresql', _held_row('NEW'), 1)}",
            "NULL",
            f" WHEN ({moved})",
        ),
    }
    for name, (event, body, returns, when) in calls.items():
        op.execute(function(name, body, returns))
        op.execute(f'DROP TRIGGER IF EXISTS {name} ON "call"')
        op.execute(
            f'CREATE TRIGGER {name} {event} ON "call" FOR EACH ROW{when} EXECUTE FUNCTION "{schema}".salestui_{name}()'
        )
        made.append((name, "call"))
    for table, event, ids, when in HELD_AROUND:
        short = {"INSERT": "i", "DELETE": "d"}.get(event.split()[0], "u")
        where = pg(f"r.id IN ({', '.join(ids)})")
        returned = "OLD" if event == "DELETE" else "NEW"
        for phase, sign, returns in (("BEFORE", -1, returned), ("AFTER", 1, "NULL")):
            name = f"held_{table}_{phase[0].lower()}{short}"
            op.execute(function(name, held_apply("postgresql", "call AS r", sign, where), returns))
            op.execute(f'DROP TRIGGER IF EXISTS {name} ON "{table}"')
            op.execute(
                f'CREATE TRIGGER {name} {phase} {event} ON "{table}" FOR EACH ROW'
                f' WHEN ({pg(when.format(same="IS DISTINCT FROM"))}) EXECUTE FUNCTION "{schema}".salestui_{name}()'
            )
            made.append((name, table))
    return made


def _pg_held_names() -> list[tuple[str, str]]:
    names = [(name, "call") for name in ("held_call_ai", "held_call_bd", "held_call_au")]
    for table, event, _ids, _when in HELD_AROUND:
        short = {"INSERT": "i", "DELETE": "d"}.get(event.split()[0], "u")
        names += [(f"held_{table}_{phase}{short}", table) for phase in ("b", "a")]
    return names


# -- PostgreSQL ---------------------------------------------------------------------------------------
PG_REFRESH = "salestui_follow_up_refresh"
# (trigger, table, event, WHEN, the accounts to recompute)
PG_TRIGGERS = (
    ("follow_up_call_ai", "call", "AFTER INSERT", "", ("NEW.account_id",)),
    ("follow_up_call_ad", "call", "AFTER DELETE", "", ("OLD.account_id",)),
    (
        "follow_up_call_au",
        "call",
        f"AFTER UPDATE OF {', '.join(CALL_WATCHED)}",
        _changed("OLD", "NEW", CALL_WATCHED, "IS DISTINCT FROM"),
        ("OLD.account_id", "NEW.account_id"),
    ),
    ("follow_up_debrief_ai", "debrief", "AFTER INSERT", "", (ACCOUNT_OF.format("NEW.call_id"),)),
    ("follow_up_debrief_ad", "debrief", "AFTER DELETE", "", (ACCOUNT_OF.format("OLD.call_id"),)),
    (
        "follow_up_debrief_au",
        "debrief",
        f"AFTER UPDATE OF {', '.join(DEBRIEF_WATCHED)}",
        _changed("OLD", "NEW", DEBRIEF_WATCHED, "IS DISTINCT FROM"),
        (ACCOUNT_OF.format("OLD.call_id"), ACCOUNT_OF.format("NEW.call_id")),
    ),
)
# The advisory lock class of the recompute (any constant; the account id is the second key).
LOCK_CLASS = 19019


def _pg_functions(schema: str) -> None:
    refresh = f'"{schema}".{PG_REFRESH}'
    op.execute(
        f"CREATE OR REPLACE FUNCTION {refresh}(account integer) RETURNS void LANGUAGE plpgsql SECURITY DEFINER"
        f' SET search_path = "{schema}", pg_temp AS $$ BEGIN'
        " IF account IS NULL THEN RETURN; END IF;"
        # One recompute of an account at a time; each statement after the lock sees what the
        # other writer committed (READ COMMITTED takes a new snapshot per statement).
        f" PERFORM pg_advisory_xact_lock({LOCK_CLASS}, account);"
        f" DELETE FROM {TABLE} WHERE account_id = account;"
        f" INSERT INTO {TABLE} (call_id, account_id, follow_up) {OPEN.format(where='c.account_id = account')}"
        " ON CONFLICT (call_id) DO UPDATE SET account_id = excluded.account_id, follow_up = excluded.follow_up;"
        " END $$"
    )
    for name, table, event, when, accounts in PG_TRIGGERS:
        function = f'"{schema}".salestui_{name}'
        calls = " ".join(f"PERFORM {refresh}({account});" for account in accounts)
        if table == "debrief" and "INSERT" not in event:
            calls = f"DELETE FROM {TABLE} WHERE call_id = OLD.call_id; {calls}"
        op.execute(
            f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER"
            f' SET search_path = "{schema}", pg_temp AS $$ BEGIN {calls} RETURN NULL; END $$'
        )
        condition = f" WHEN ({when})" if when else ""
        op.execute(f'DROP TRIGGER IF EXISTS {name} ON "{table}"')
        op.execute(f'CREATE TRIGGER {name} {event} ON "{table}" FOR EACH ROW{condition} EXECUTE FUNCTION {function}()')


def _search() -> object:
    return importlib.import_module("salestui.store.migrations.versions.0015_pg_search")


def fold_sql(schema: str) -> str:
    """``salestui_fold`` with ASCII text lower-cased alone (the same result as 0015's, faster)."""
    letters, folded = _search()._fold_map()  # type: ignore[attr-defined]
    return (
        f'CREATE OR REPLACE FUNCTION "{schema}".salestui_fold(value text) RETURNS text'
        " LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT CASE WHEN value ~ '[^\\x01-\\x7f]'"
        f" THEN lower(translate(value, '{letters}', '{folded}')) ELSE lower(value) END $$"
    )


def upgrade() -> None:
    """Create the open follow-ups, their triggers and fill them; on PostgreSQL the quicker fold too."""
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute(CREATE_SQLITE)
        for index in INDEXES:
            op.execute(index)
        for name, body in sqlite_triggers().items():
            op.execute(f"CREATE TRIGGER {name} {body}")
        op.execute(FILL)
        op.execute(HELD_CREATE)
        for name, body in held_sqlite_triggers().items():
            op.execute(f"CREATE TRIGGER {name} {body}")
        op.execute(HELD_FILL["sqlite"])
        return
    schema = str(bind.exec_driver_sql("SELECT current_schema()").scalar_one())
    op.execute(fold_sql(schema))
    op.execute(
        f"CREATE TABLE {TABLE} (call_id integer NOT NULL PRIMARY KEY, account_id integer NOT NULL,"
        " follow_up date NOT NULL)"
    )
    for index in INDEXES:
        op.execute(index)
    _pg_functions(schema)
    op.execute(FILL)
    op.execute(f"ANALYZE {TABLE}")
    op.execute(HELD_CREATE.replace("INTEGER", "integer").replace("TEXT", "text"))
    _pg_held(schema)
    op.execute(HELD_FILL["postgresql"])
    op.execute(f"ANALYZE {HELD}")
    protect = importlib.import_module("salestui.store.migrations.versions.0016_team_hardening").protect
    protect(TABLE)
    protect(HELD)


def downgrade() -> None:
    """Drop the table and its triggers; PostgreSQL: 0015's fold again."""
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for name in (*sqlite_triggers(), *held_sqlite_triggers()):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute(f"DROP TABLE IF EXISTS {TABLE}")
        op.execute(f"DROP TABLE IF EXISTS {HELD}")
        return
    schema = str(bind.exec_driver_sql("SELECT current_schema()").scalar_one())
    for name, table, *_rest in PG_TRIGGERS:
        op.execute(f'DROP TRIGGER IF EXISTS {name} ON "{table}"')
        op.execute(f'DROP FUNCTION IF EXISTS "{schema}".salestui_{name}()')
    op.execute(f'DROP FUNCTION IF EXISTS "{schema}".{PG_REFRESH}(integer)')
    for name, table in _pg_held_names():
        op.execute(f'DROP TRIGGER IF EXISTS {name} ON "{table}"')
        op.execute(f'DROP FUNCTION IF EXISTS "{schema}".salestui_{name}()')
    op.execute(f"DROP TABLE IF EXISTS {HELD}")
    op.execute(f"DROP TABLE IF EXISTS {TABLE}")
    _search()._functions(schema)  # type: ignore[attr-defined]
