"""Live refresh on PostgreSQL: every change to a rep's records notifies the clients listening.

Revision ID: 0013_change_notify
Revises: 0012_search_prefixes

PostgreSQL only (SQLite clients watch ``PRAGMA data_version``, ``store/watch.py``). An AFTER
trigger on each table of a rep's records sends ``NOTIFY salestui_changes`` with the records the
row belongs to (``call:5``, ``contact:3,account:1``) and the server process that made the change,
so a client drops its own changes. The payload names ids only, never customer text; PostgreSQL
delivers a notification when the transaction commits and not at all when it rolls back.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0013_change_notify"
down_revision: str | None = "0012_search_prefixes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHANNEL = "salestui_changes"

UNDER_CALL = "'call:' || r.call_id"

#: Table -> the record keys a row stands for (SQL over the row ``r``).
KEYS: dict[str, str] = {
    "account": "'account:' || r.id",
    "contact": "'contact:' || r.id || ',account:' || r.account_id",
    "research_note": "'note:' || r.id || ',account:' || r.account_id",
    "competitor_comparison": "'comparison:' || r.id || ',account:' || r.account_id",
    "call": "'call:' || r.id || ',account:' || r.account_id",
    "call_contact": UNDER_CALL,
    "checklist_item": UNDER_CALL,
    "objection": UNDER_CALL,
    "question": UNDER_CALL,
    "practice_run": UNDER_CALL,
    "advance": UNDER_CALL,
    "call_note": UNDER_CALL,
    "debrief": "'debrief:' || r.call_id || ',call:' || r.call_id",
}


def upgrade() -> None:
    """Create one notifying function and trigger per table (PostgreSQL)."""
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, keys in KEYS.items():
        op.execute(
            f"""
            CREATE OR REPLACE FUNCTION salestui_notify_{table}() RETURNS trigger AS $$
            DECLARE r "{table}"%ROWTYPE;
            BEGIN
                IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
                PERFORM pg_notify('{CHANNEL}', {keys} || '|' || pg_backend_pid());
                RETURN NULL;
            END $$ LANGUAGE plpgsql
            """
        )
        op.execute(
            f'CREATE TRIGGER salestui_notify AFTER INSERT OR UPDATE OR DELETE ON "{table}" '
            f"FOR EACH ROW EXECUTE FUNCTION salestui_notify_{table}()"
        )


def downgrade() -> None:
    """Drop the triggers and their functions."""
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in KEYS:
        op.execute(f'DROP TRIGGER IF EXISTS salestui_notify ON "{table}"')
        op.execute(f"DROP FUNCTION IF EXISTS salestui_notify_{table}()")
