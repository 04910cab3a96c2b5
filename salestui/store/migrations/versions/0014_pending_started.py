"""The summary's "needs a debrief" rows count a call from when it was started, too (SQLite).

Revision ID: 0014_pending_started
Revises: 0013_change_notify

``rules.needs_debrief`` says a call needs its debrief once its planned time has passed *or* it
was started (a call held early, or one with no time set). The ``pending`` rows of
``stats_summary`` (0007_perf, 0011_stats_ladder) only held calls with a planned time, keyed by
its day: a call started with no time never counted, and one started days before its planned
time counted only once that time came. Review's "needs a debrief" count and stats read those
rows, so both showed fewer calls than review's own list.

Now a ``pending`` row is keyed by the UTC day the call first needed its debrief: the earlier of
its planned time and its start. ``started_at`` joins the columns whose change moves a call, and
the summary is rebuilt from the calls (the stored counts were wrong for such calls). Everything
else is as 0011_stats_ladder left it. ``tests/test_needs_debrief_agree.py`` checks the count
against the rule on calls of every shape.
"""

import importlib
from collections.abc import Sequence
from types import ModuleType

from alembic import op

revision: str = "0014_pending_started"
down_revision: str | None = "0013_change_notify"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _previous() -> ModuleType:
    return importlib.import_module("salestui.store.migrations.versions.0011_stats_ladder")


_0011 = _previous()
TABLE: str = _0011.TABLE
FILL: str = _0011.FILL
LIVE: dict[str, str] = _0011.LIVE
HELD_ON_LADDER: str = _0011.HELD_ON_LADDER
MONTH: str = _0011.MONTH
# Columns of ``call`` whose change moves a call between groups (``started_at`` moves it in ``pending``).
WATCHED = ("account_id", "scheduled_at", "started_at", "kind", "status", "outcome", "readiness_at_start")
# The UTC day from which a call needs its debrief: the earlier of its planned time and its start
# (SQLite's two-argument ``min`` is NULL when either is).
PENDING_DAY = "substr(coalesce(min(r.scheduled_at, r.started_at), r.scheduled_at, r.started_at), 1, 10)"


def _apply(source: str, sign: int, where: str = "true", facets: dict[str, str] = LIVE) -> str:
    """Add (``sign`` 1) or take away (-1) the summary rows of the call rows ``source`` (aliased ``r``)."""
    debriefed, practised, level = facets["debriefed"], facets["practised"], facets["level"]
    held = f"{where} AND r.outcome IS NOT NULL"
    on_ladder = f"{where} AND r.outcome IN {HELD_ON_LADDER}"
    pending = (
        f"{where} AND (r.scheduled_at IS NOT NULL OR r.started_at IS NOT NULL) AND r.status != 'cancelled'"
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
    rows.append(f"SELECT 'pending', {PENDING_DAY}, '', '', 1, 0 FROM {source} WHERE {pending}")
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
    """A BEFORE/AFTER trigger pair on ``table``: take the calls' rows away, then add them back."""
    where = f"r.id IN ({', '.join(ids)})"
    short = {"INSERT": "i", "DELETE": "d"}.get(event.split()[0], "u")
    return {
        f"stats_{table}_b{short}": f"BEFORE {event} ON {table} WHEN {when} BEGIN {_apply('call AS r', -1, where)} END",
        f"stats_{table}_a{short}": f"AFTER {event} ON {table} WHEN {when} BEGIN {_apply('call AS r', 1, where)} END",
    }


TRIGGERS = {
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


def upgrade() -> None:
    """Replace 0011's triggers with these and rebuild the summary from the calls."""
    if op.get_bind().dialect.name != "sqlite":
        return
    for name in _0011.TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute(f"DELETE FROM {TABLE}")
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
    """Back to 0011's summary: drop these triggers and let that revision rebuild its own."""
    if op.get_bind().dialect.name != "sqlite":
        return
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    _previous().upgrade()
