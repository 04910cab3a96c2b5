"""The calibration ladder and the practised/unpractised rates join the stats summary (SQLite).

Revision ID: 0011_stats_ladder
Revises: 0010_team_rls

Stats read their counts from ``stats_summary`` (0007_perf), but the calibration ladder and the
practised-vs-unpractised rates (added with practice, 0006) still grouped every held call, four
times, joined to its secured advance or its practice runs: about 1 s of the 1.2 s stats took at
100,000 calls. The summary now holds them too, with one more key column:

- ``level``: the level of the call's secured advance ("" when none or not a ladder row);
- ``dim`` ``ladder_kind`` / ``ladder_month`` / ``ladder_account``: held calls (advance,
  continuation, lost) per group, outcome and secured level (``calibration.rung_of`` turns those
  into rungs);
- ``dim`` ``practised``, ``key`` ``1``/``0``: calls with an outcome that were / were not
  rehearsed (a ``practice_run`` row), and the debriefed ones of them.

Every trigger now works the same way, so the facets that live in other tables (finished
debrief, secured advance, practice run) can never drift: before a change takes a call's rows
away as the database shows them, after it adds them back as they are now. ``call`` keeps its
old/new row pair (its own columns move it). ``tests/test_stats_summary.py`` compares every
dimension with the grouped queries PostgreSQL uses after each kind of edit.
"""

import importlib
from collections.abc import Sequence

from alembic import op

revision: str = "0011_stats_ladder"
down_revision: str | None = "0010_team_rls"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "stats_summary"
# Columns of ``call`` whose change moves a call between groups.
WATCHED = ("account_id", "scheduled_at", "kind", "status", "outcome", "readiness_at_start")
HELD_ON_LADDER = "('advance', 'continuation', 'lost')"
MONTH = "coalesce(strftime('%Y-%m', r.scheduled_at), '')"
# The facets of call ``r`` kept in other tables, as the database shows them now.
LIVE = {
    "debriefed": "EXISTS (SELECT 1 FROM debrief AS d WHERE d.call_id = r.id AND d.finished_at IS NOT NULL)",
    "practised": "CASE WHEN EXISTS (SELECT 1 FROM practice_run AS p WHERE p.call_id = r.id) THEN '1' ELSE '0' END",
    "level": "coalesce((SELECT a.level FROM advance AS a WHERE a.call_id = r.id AND a.secured), '')",
}
# Filling the summary reads every call once into this table with its facets, instead of once
# per dimension (9 passes, each probing three tables per call).
FILL = "stats_fill"


def _apply(source: str, sign: int, where: str = "true", facets: dict[str, str] = LIVE) -> str:
    """Add (``sign`` 1) or take away (-1) the summary rows of the call rows ``source`` (aliased ``r``)."""
    debriefed, practised, level = facets["debriefed"], facets["practised"], facets["level"]
    held = f"{where} AND r.outcome IS NOT NULL"
    on_ladder = f"{where} AND r.outcome IN {HELD_ON_LADDER}"
    pending = (
        f"{where} AND r.scheduled_at IS NOT NULL AND r.status != 'cancelled'"
        f" AND (r.outcome IS NULL OR r.outcome != 'cancelled') AND NOT ({debriefed})"
    )
    groups = {
        "kind": "r.kind",
        "month": MONTH,
        "account": "CAST(r.account_id AS TEXT)",
        "band": "coalesce(CAST(r.readiness_at_start AS TEXT), '')",
        "practised": practised,
    }
    rows = [
        f"SELECT '{dim}' AS dim, {key} AS key, r.outcome AS outcome, '' AS level, 1 AS calls,"
        f" ({debriefed}) AS debriefed FROM {source} WHERE {held}"
        for dim, key in groups.items()
    ]
    ladder = {"ladder_kind": "r.kind", "ladder_month": MONTH, "ladder_account": "CAST(r.account_id AS TEXT)"}
    rows += [
        f"SELECT '{dim}', {key}, r.outcome, {level}, 1, 0 FROM {source} WHERE {on_ladder}"
        for dim, key in ladder.items()
    ]
    rows.append(f"SELECT 'pending', substr(r.scheduled_at, 1, 10), '', '', 1, 0 FROM {source} WHERE {pending}")
    return (
        f"INSERT INTO {TABLE} (dim, key, outcome, level, calls, debriefed)"
        f" SELECT dim, key, outcome, level, {sign} * sum(calls), {sign} * sum(debriefed)"
        f" FROM ({' UNION ALL '.join(rows)}) GROUP BY dim, key, outcome, level"
        f" ON CONFLICT (dim, key, outcome, level) DO UPDATE"
        f" SET calls = calls + excluded.calls, debriefed = debriefed + excluded.debriefed;"
    )


def _row(record: str) -> str:
    """A trigger's ``old`` or ``new`` call row as a one-row table ``r``."""
    return "(SELECT " + ", ".join(f"{record}.{c} AS {c}" for c in ("id", *WATCHED)) + ") AS r"


def _around(table: str, event: str, ids: tuple[str, ...], when: str) -> dict[str, str]:
    """A BEFORE/AFTER trigger pair on ``table``: take the calls' rows away, then add them back.

    While a call is being deleted its row is gone when the cascade reaches its children:
    both halves then find no call and nothing moves (the call's own trigger took it away).
    """
    where = f"r.id IN ({', '.join(ids)})"
    short = {"INSERT": "i", "DELETE": "d"}.get(event.split()[0], "u")
    return {
        f"stats_{table}_b{short}": f"BEFORE {event} ON {table} WHEN {when} BEGIN {_apply('call AS r', -1, where)} END",
        f"stats_{table}_a{short}": f"AFTER {event} ON {table} WHEN {when} BEGIN {_apply('call AS r', 1, where)} END",
    }


TRIGGERS = {
    # BEFORE DELETE: the call's debrief, advances and runs (deleted by the cascade) still count.
    "stats_call_ai": f"AFTER INSERT ON call BEGIN {_apply(_row('new'), 1)} END",
    "stats_call_bd": f"BEFORE DELETE ON call BEGIN {_apply(_row('old'), -1)} END",
    "stats_call_au": (
        f"AFTER UPDATE OF {', '.join(WATCHED)} ON call"
        f" WHEN {' OR '.join(f'old.{c} IS NOT new.{c}' for c in WATCHED)}"
        f" BEGIN {_apply(_row('old'), -1)} {_apply(_row('new'), 1)} END"
    ),
    **_around("debrief", "INSERT", ("new.call_id",), "new.finished_at IS NOT NULL"),
    **_around("debrief", "DELETE", ("old.call_id",), "old.finished_at IS NOT NULL"),
    **_around(
        "debrief",
        "UPDATE OF finished_at, call_id",
        ("old.call_id", "new.call_id"),
        "(old.finished_at IS NULL) IS NOT (new.finished_at IS NULL) OR old.call_id IS NOT new.call_id",
    ),
    **_around("advance", "INSERT", ("new.call_id",), "new.secured"),
    **_around("advance", "DELETE", ("old.call_id",), "old.secured"),
    **_around(
        "advance",
        "UPDATE OF secured, level, call_id",
        ("old.call_id", "new.call_id"),
        "(old.secured OR new.secured) AND (old.secured IS NOT new.secured OR old.level IS NOT new.level"
        " OR old.call_id IS NOT new.call_id)",
    ),
    **_around("practice_run", "INSERT", ("new.call_id",), "true"),
    **_around("practice_run", "DELETE", ("old.call_id",), "true"),
    **_around("practice_run", "UPDATE OF call_id", ("old.call_id", "new.call_id"), "old.call_id IS NOT new.call_id"),
}


def _previous() -> object:
    return importlib.import_module("salestui.store.migrations.versions.0007_perf")


def upgrade() -> None:
    """Replace the summary (table, triggers) with the one holding the ladder, and fill it."""
    if op.get_bind().dialect.name != "sqlite":
        return
    for name in _previous().TRIGGERS:  # type: ignore[attr-defined]
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute(f"DROP TABLE IF EXISTS {TABLE}")
    op.execute(
        f"CREATE TABLE {TABLE} (dim TEXT NOT NULL, key TEXT NOT NULL, outcome TEXT NOT NULL,"
        " level TEXT NOT NULL, calls INTEGER NOT NULL, debriefed INTEGER NOT NULL,"
        " PRIMARY KEY (dim, key, outcome, level))"
    )
    for name, body in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")
    columns = ", ".join(f"r.{c}" for c in ("id", *WATCHED))
    op.execute(
        f"CREATE TEMP TABLE {FILL} AS SELECT {columns},"
        f" {', '.join(f'{sql} AS {name}' for name, sql in LIVE.items())} FROM call AS r"
    )
    op.execute(_apply(f"{FILL} AS r", 1, facets={name: f"r.{name}" for name in LIVE}))
    op.execute(f"DROP TABLE {FILL}")


def downgrade() -> None:
    """Back to 0007_perf's summary: drop this one and let that revision build its own."""
    if op.get_bind().dialect.name != "sqlite":
        return
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute(f"DROP TABLE IF EXISTS {TABLE}")
    _previous().upgrade()  # type: ignore[attr-defined]
