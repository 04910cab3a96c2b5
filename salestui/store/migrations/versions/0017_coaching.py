"""Coaching: notes a manager (or the rep) pins to parts of a call plan; colleagues riding along.

Revision ID: 0017_coaching
Revises: 0016_team_hardening

Both backends:

- ``coaching_note``: one note on a call, pinned to a part of its plan (``part``: ``plan``,
  ``objective``, ``stretch``, ``target``, ``fallback``, ``objection`` or ``question``, the last two
  with ``part_id``, the objection's or question's id), its ``author`` and whether the call's owner
  marked it ``done`` (and when).
- ``call_rider``: a colleague riding along on a call (an internal attendee, apart from the
  customer's contacts), and after the call what that colleague saw (``saw``, its own text, never
  mixed into the rep's debrief).

PostgreSQL only: grants and row-level security like 0010_team_rls, with one difference: a
manager (member of ``salestui_manager``) may write these two tables. On ``coaching_note`` everyone
reads every row; a login inserts a note as its own author on its own call or, as a manager, on any
rep's call; the call's owner (marking it done) and the note's author update it; the author deletes
it. On ``call_rider`` the call's owner names and removes riders; the rider named (``name`` is the
login) or the call's owner writes what the rider saw. Each change notifies live refresh
(0013_change_notify) with the call it belongs to.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017_coaching"
down_revision: str | None = "0016_team_hardening"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REP = "salestui_rep"
MANAGER = "salestui_manager"
CHANNEL = "salestui_changes"

UNDER_CALL = 'EXISTS (SELECT 1 FROM "call" WHERE "call".id = call_id AND "call".owner = current_user)'
# pg_has_role by the role's oid: no error when the role does not exist (then nobody is a manager).
IS_MANAGER = (
    f"EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = '{MANAGER}' "
    "AND pg_catalog.pg_has_role(current_user, oid, 'MEMBER'))"
)

#: Table -> (insert check, update rule, delete rule).
POLICIES: dict[str, tuple[str, str, str]] = {
    "coaching_note": (
        f"author = current_user AND ({UNDER_CALL} OR {IS_MANAGER})",
        f"{UNDER_CALL} OR author = current_user",
        "author = current_user",
    ),
    "call_rider": (UNDER_CALL, f"{UNDER_CALL} OR name = current_user", UNDER_CALL),
}

#: Table -> the record keys a row stands for (live refresh, as 0013_change_notify).
KEYS: dict[str, str] = {
    "coaching_note": "'coaching:' || r.id || ',call:' || r.call_id",
    "call_rider": "'rider:' || r.id || ',call:' || r.call_id",
}


def _stamps() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    ]


def upgrade() -> None:
    """Create the two tables; on PostgreSQL, grants, policies and change notifications."""
    op.create_table(
        "coaching_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("part", sa.String(), nullable=False, server_default="plan"),
        sa.Column("part_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.String(), nullable=False, server_default=""),
        sa.Column("author", sa.String(), nullable=False, server_default=""),
        sa.Column("done", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("done_at", sa.DateTime(), nullable=True),
        *_stamps(),
        sa.ForeignKeyConstraint(["call_id"], ["call.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_coaching_note_call_id", "coaching_note", ["call_id"], unique=False)
    op.create_table(
        "call_rider",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("saw", sa.String(), nullable=False, server_default=""),
        sa.Column("saw_at", sa.DateTime(), nullable=True),
        *_stamps(),
        sa.ForeignKeyConstraint(["call_id"], ["call.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("call_id", "name", name="ux_call_rider_name"),
    )
    op.create_index("ix_call_rider_call_id", "call_rider", ["call_id"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        _secure()
        _notify()


def _secure() -> None:
    tables = ", ".join(POLICIES)
    sequences = ", ".join(f"{table}_id_seq" for table in POLICIES)
    # The roles exist when 0010 could create them; an administrator creates them otherwise.
    op.execute(
        "DO $$ BEGIN "
        f"IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = '{REP}') THEN "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON {tables} TO {REP}; "
        f"GRANT USAGE, SELECT ON {sequences} TO {REP}; END IF; "
        f"IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = '{MANAGER}') THEN "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON {tables} TO {MANAGER}; "
        f"GRANT USAGE, SELECT ON {sequences} TO {MANAGER}; END IF; "
        "END $$"
    )
    for table, (insert, change, remove) in POLICIES.items():
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY {table}_read ON {table} FOR SELECT USING (true)")
        op.execute(f"CREATE POLICY {table}_insert ON {table} FOR INSERT WITH CHECK ({insert})")
        op.execute(f"CREATE POLICY {table}_update ON {table} FOR UPDATE USING ({change}) WITH CHECK ({change})")
        op.execute(f"CREATE POLICY {table}_delete ON {table} FOR DELETE USING ({remove})")


def _notify() -> None:
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
    """Drop the two tables (their policies, grants and triggers go with them) and the functions."""
    op.drop_index("ix_call_rider_call_id", table_name="call_rider")
    op.drop_table("call_rider")
    op.drop_index("ix_coaching_note_call_id", table_name="coaching_note")
    op.drop_table("coaching_note")
    if op.get_bind().dialect.name == "postgresql":
        for table in KEYS:
            op.execute(f"DROP FUNCTION IF EXISTS salestui_notify_{table}()")
