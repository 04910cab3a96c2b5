"""Stats and the "needs a debrief" count from summary rows kept by triggers (SQLite).

Revision ID: 0007_perf
Revises: 0006_practice

Stats grouped every held call four times (by kind, month, account and readiness), each time
joining its debrief: about 0.8 s at 100,000 calls. ``stats_summary`` holds those counts, kept
in the same transaction as every write by triggers on ``call`` and ``debrief`` (so imports,
restores and the demo data keep it too):

- ``dim`` ``kind`` / ``month`` / ``account`` / ``band``, ``key`` the group, ``outcome`` the
  call's outcome: ``calls`` with that outcome (only calls with an outcome) and ``debriefed``
  of them (a finished debrief, ``rules.debriefed``);
- ``dim`` ``pending``, ``key`` the UTC day of ``scheduled_at``: calls with a time that were not
  cancelled (status or outcome) and whose debrief is not finished: ``rules.needs_debrief``
  without its "time has passed" part, which the query adds (whole days from here, the current
  day from the calls themselves).

``tests/test_stats_summary.py`` checks the rows against the grouped queries after inserts,
edits, finishing, deleting a debrief and deleting a call (cascade included). PostgreSQL keeps
computing stats with the grouped queries (no table, no triggers there).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007_perf"
down_revision: str | None = "0006_practice"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "stats_summary"
# Columns of ``call`` whose change moves a call between groups.
WATCHED = ("account_id", "scheduled_at", "kind", "status", "outcome", "readiness_at_start")


def _apply(source: str, debriefed: str, sign: int, where: str = "true") -> str:
    """Add (``sign`` 1) or take away (-1) the summary rows of the call rows ``source`` (aliased ``r``).

    ``debriefed`` is SQL for "this call's debrief is finished" (1 or 0).
    """
    held = f"{where} AND r.outcome IS NOT NULL"
    pending = (
        f"{where} AND r.scheduled_at IS NOT NULL AND r.status != 'cancelled'"
        f" AND (r.outcome IS NULL OR r.outcome != 'cancelled') AND NOT ({debriefed})"
    )
    groups = {
        "kind": "r.kind",
        "month": "coalesce(strftime('%Y-%m', r.scheduled_at), '')",
        "account": "CAST(r.account_id AS TEXT)",
        "band": "coalesce(CAST(r.readiness_at_start AS TEXT), '')",
    }
    rows = [
        f"SELECT '{dim}' AS dim, {key} AS key, r.outcome AS outcome, 1 AS calls, ({debriefed}) AS debriefed"
        f" FROM {source} WHERE {held}"
        for dim, key in groups.items()
    ]
    rows.append(f"SELECT 'pending', substr(r.scheduled_at, 1, 10), '', 1, 0 FROM {source} WHERE {pending}")
    return (
        f"INSERT INTO {TABLE} (dim, key, outcome, calls, debriefed)"
        f" SELECT dim, key, outcome, {sign} * sum(calls), {sign} * sum(debriefed)"
        f" FROM ({' UNION ALL '.join(rows)}) GROUP BY dim, key, outcome"
        f" ON CONFLICT (dim, key, outcome) DO UPDATE"
        f" SET calls = calls + excluded.calls, debriefed = debriefed + excluded.debriefed;"
    )


def _row(record: str) -> str:
    """A trigger's ``old`` or ``new`` call row as a one-row table ``r``."""
    return "(SELECT " + ", ".join(f"{record}.{c} AS {c}" for c in ("id", *WATCHED)) + ") AS r"


def _finished(call_id: str) -> str:
    return f"EXISTS (SELECT 1 FROM debrief WHERE debrief.call_id = {call_id} AND debrief.finished_at IS NOT NULL)"


def _moved(call_id: str, before: str, after: str) -> str:
    """Statements moving call ``call_id`` from "debriefed = ``before``" to "debriefed = ``after``"."""
    return (
        f"{_apply('call AS r', before, -1, f'r.id = {call_id}')} {_apply('call AS r', after, 1, f'r.id = {call_id}')}"
    )


TRIGGERS = {
    # BEFORE DELETE: the call's debrief (deleted by the cascade) is still there to be counted.
    "stats_call_ai": f"AFTER INSERT ON call BEGIN {_apply(_row('new'), _finished('new.id'), 1)} END",
    "stats_call_bd": f"BEFORE DELETE ON call BEGIN {_apply(_row('old'), _finished('old.id'), -1)} END",
    "stats_call_au": (
        f"AFTER UPDATE OF {', '.join(WATCHED)} ON call"
        f" WHEN {' OR '.join(f'old.{c} IS NOT new.{c}' for c in WATCHED)}"
        f" BEGIN {_apply(_row('old'), _finished('old.id'), -1)} {_apply(_row('new'), _finished('new.id'), 1)} END"
    ),
    # A finished debrief moves its call from "not debriefed" to "debriefed" and back. While a
    # call is being deleted its row is gone when the cascade deletes the debrief: nothing moves.
    "stats_debrief_ai": f"AFTER INSERT ON debrief WHEN new.finished_at IS NOT NULL BEGIN {_moved('new.call_id', '0', '1')} END",
    "stats_debrief_ad": f"AFTER DELETE ON debrief WHEN old.finished_at IS NOT NULL BEGIN {_moved('old.call_id', '1', '0')} END",
    "stats_debrief_au": (
        "AFTER UPDATE OF finished_at, call_id ON debrief"
        " WHEN (old.finished_at IS NULL) IS NOT (new.finished_at IS NULL) OR old.call_id IS NOT new.call_id"
        f" BEGIN {_moved('old.call_id', 'old.finished_at IS NOT NULL', '0')}"
        f" {_moved('new.call_id', '0', 'new.finished_at IS NOT NULL')} END"
    ),
}


def upgrade() -> None:
    """Create the summary table and its triggers and fill it from the calls (SQLite only)."""
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(
        f"CREATE TABLE {TABLE} (dim TEXT NOT NULL, key TEXT NOT NULL, outcome TEXT NOT NULL,"
        " calls INTEGER NOT NULL, debriefed INTEGER NOT NULL, PRIMARY KEY (dim, key, outcome))"
    )
    for name, body in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")
    op.execute(_apply("call AS r", _finished("r.id"), 1))


def downgrade() -> None:
    """Drop the triggers and the table."""
    if op.get_bind().dialect.name != "sqlite":
        return
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute(f"DROP TABLE IF EXISTS {TABLE}")
