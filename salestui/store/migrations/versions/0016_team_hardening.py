"""Team schema hardening: reps cannot touch the schema's bookkeeping, another rep's import history,
or another rep's rows through a cascade.

Revision ID: 0016_team_hardening
Revises: 0015_pg_search

PostgreSQL only (a SQLite file has one user; nothing changes there):

- ``alembic_version``, ``setting`` and ``checklist_template_item`` (the team's schema revision,
  settings and checklist template) are read-only for reps and the manager: only the
  administrator, who owns the tables, writes them. Before, any rep could ``UPDATE`` or ``DELETE``
  ``alembic_version`` and lock every client out.
- ``import_origin`` (0009) gets row-level security like its account: everyone reads it, a rep
  writes only the rows of accounts they own, so another rep cannot make a re-import overwrite a
  field the account's owner edited.
- A delete that would cascade into another owner's rows is refused by the database: a
  ``BEFORE DELETE`` trigger on ``account`` counts the calls of other owners on it (or with one of
  its contacts as an attendee), one on ``contact`` the other owners' calls it attends, and
  raises SQLSTATE ``SLT01`` with a message naming whose and how many ("account 'Initech' has 1
  call of bob's: ask bob to move or delete them"). Foreign-key cascades are not bound by
  row-level security, so without it alice's delete took bob's call and everything under it.
- ``join_origin``: which local row (source database id, table, id) became which row on the team
  database when a rep brought a laptop's history in (``salestui team join``), so a second run
  adds nothing. Each rep reads and writes only their own.

For later migrations: ``protect(table, owned)`` grants a new table to the roles and gives it
row-level security (``owned``: SQL true for the rows the current login may write), or makes it
read-only for reps (``owned=None``). ``tests/test_team_hardening.py`` lists every table of the
schema and fails for one that is neither.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016_team_hardening"
down_revision: str | None = "0015_pg_search"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REP = "salestui_rep"
MANAGER = "salestui_manager"

#: SQLSTATE of a delete refused because it would cascade into another owner's rows.
CROSS_OWNER_DELETE = "SLT01"

MINE = "owner = current_user"
UNDER_ACCOUNT = "EXISTS (SELECT 1 FROM account WHERE account.id = account_id AND account.owner = current_user)"

#: Tables of no rep's records: everyone reads them, only the administrator (their owner) writes.
READ_ONLY = ("alembic_version", "setting", "checklist_template_item")
#: Tables of records this revision protects (0010_team_rls protected the others).
OWNED: dict[str, str] = {"import_origin": UNDER_ACCOUNT, "join_origin": MINE}

WRITES = "INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER"


def _if_role(role: str, statement: str) -> str:
    """``statement`` run only when ``role`` exists (roles are server-wide; an administrator may add them later)."""
    return f"DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = '{role}') THEN {statement}; END IF; END $$"


def protect(
    table: str,
    owned: str | None = None,
    *,
    insert: str | None = None,
    update: str | None = None,
    delete: str | None = None,
    writers: Sequence[str] = (REP,),
) -> None:
    """Grant ``table`` to the team's roles and protect it (idempotent; PostgreSQL only).

    ``owned=None``: read-only for reps and the manager (only the owner, the administrator, writes).
    Otherwise row-level security, forced so the table's owner is bound too: everyone reads every
    row, ``writers`` insert, update and delete the rows for which ``owned`` (or the action's own
    rule) is true. A later migration that adds a table calls this for it.
    """
    quoted = f'"{table}"'
    op.execute(f"REVOKE {WRITES} ON {quoted} FROM PUBLIC")
    for role in (REP, MANAGER):
        op.execute(_if_role(role, f"REVOKE {WRITES} ON {quoted} FROM {role}; GRANT SELECT ON {quoted} TO {role}"))
    if owned is None:
        return
    for role in writers:
        op.execute(_if_role(role, f"GRANT SELECT, INSERT, UPDATE, DELETE ON {quoted} TO {role}"))
        for sequence in _sequences(table):
            op.execute(_if_role(role, f"GRANT USAGE, SELECT ON SEQUENCE {sequence} TO {role}"))
    op.execute(f"ALTER TABLE {quoted} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {quoted} FORCE ROW LEVEL SECURITY")
    rules = {
        "read": "FOR SELECT USING (true)",
        "insert": f"FOR INSERT WITH CHECK ({insert or owned})",
        "update": f"FOR UPDATE USING ({update or owned}) WITH CHECK ({update or owned})",
        "delete": f"FOR DELETE USING ({delete or owned})",
    }
    for action, rule in rules.items():
        op.execute(f"DROP POLICY IF EXISTS {table}_{action} ON {quoted}")
        op.execute(f"CREATE POLICY {table}_{action} ON {quoted} {rule}")


def _sequences(table: str) -> list[str]:
    """The sequences owned by ``table``'s columns (its serial id), as regclass text."""
    rows = op.get_bind().execute(
        sa.text(
            "SELECT s.oid::regclass::text FROM pg_catalog.pg_class s"
            " JOIN pg_catalog.pg_depend d ON d.objid = s.oid AND d.deptype IN ('a', 'i')"
            " WHERE s.relkind = 'S' AND d.refobjid = to_regclass(:table)"
        ),
        {"table": f'public."{table}"'},
    )
    return [str(row[0]) for row in rows]


# Per deleted account: the other owners' calls on it or attended by one of its contacts.
_ACCOUNT_GUARD = f"""
CREATE OR REPLACE FUNCTION salestui_guard_account_delete() RETURNS trigger AS $$
DECLARE
    found text;
    who text;
    total bigint;
BEGIN
    SELECT string_agg(n || CASE WHEN n = 1 THEN ' call' ELSE ' calls' END || ' of ' || owner || '''s', ' and '
                      ORDER BY owner),
           string_agg(owner, ' and ' ORDER BY owner), sum(n)
      INTO found, who, total
      FROM (SELECT c.owner, count(*) AS n
              FROM "call" c
             WHERE c.owner <> OLD.owner
               AND (c.account_id = OLD.id
                    OR EXISTS (SELECT 1 FROM call_contact cc JOIN contact k ON k.id = cc.contact_id
                                WHERE cc.call_id = c.id AND k.account_id = OLD.id))
             GROUP BY c.owner) AS others;
    IF found IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = '{CROSS_OWNER_DELETE}',
            MESSAGE = 'account ''' || OLD.name || ''' has ' || found || ': ask ' || who
                      || ' to move or delete ' || CASE WHEN total = 1 THEN 'it' ELSE 'them' END || ' first';
    END IF;
    RETURN OLD;
END $$ LANGUAGE plpgsql
"""

# Per deleted contact (on its own; an account's delete checked its contacts already): the other
# owners' calls it attends.
_CONTACT_GUARD = f"""
CREATE OR REPLACE FUNCTION salestui_guard_contact_delete() RETURNS trigger AS $$
DECLARE
    holder text;
    found text;
    who text;
    total bigint;
BEGIN
    SELECT owner INTO holder FROM account WHERE id = OLD.account_id;
    IF holder IS NULL THEN
        RETURN OLD;  -- its account is being deleted: that delete's guard counted these calls
    END IF;
    SELECT string_agg(n || CASE WHEN n = 1 THEN ' call' ELSE ' calls' END || ' of ' || owner || '''s', ' and '
                      ORDER BY owner),
           string_agg(owner, ' and ' ORDER BY owner), sum(n)
      INTO found, who, total
      FROM (SELECT c.owner, count(*) AS n
              FROM call_contact cc JOIN "call" c ON c.id = cc.call_id
             WHERE cc.contact_id = OLD.id AND c.owner <> holder
             GROUP BY c.owner) AS others;
    IF found IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = '{CROSS_OWNER_DELETE}',
            MESSAGE = 'contact ''' || OLD.name || ''' attends ' || found || ': ask ' || who
                      || ' to take the contact off ' || CASE WHEN total = 1 THEN 'it' ELSE 'them' END || ' first';
    END IF;
    RETURN OLD;
END $$ LANGUAGE plpgsql
"""


def upgrade() -> None:
    """On PostgreSQL: read-only bookkeeping, row-level security on import_origin, the delete guard."""
    if op.get_bind().dialect.name != "postgresql":
        return
    op.create_table(
        "join_origin",
        sa.Column("owner", sa.String(), nullable=False, server_default=sa.text("current_user")),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("source_table", sa.String(), nullable=False),
        sa.Column("source_id", sa.BigInteger(), nullable=False),
        sa.Column("target_id", sa.BigInteger(), nullable=False),
        sa.Column("joined_at", sa.DateTime(), nullable=False, server_default=sa.text("(now() at time zone 'utc')")),
        sa.PrimaryKeyConstraint("owner", "source", "source_table", "source_id"),
    )
    for table in READ_ONLY:
        protect(table)
    for table, owned in OWNED.items():
        protect(table, owned)
    op.execute(_ACCOUNT_GUARD)
    op.execute(_CONTACT_GUARD)
    for table in ("account", "contact"):
        op.execute(f'DROP TRIGGER IF EXISTS salestui_guard_delete ON "{table}"')
        op.execute(
            f'CREATE TRIGGER salestui_guard_delete BEFORE DELETE ON "{table}" '
            f"FOR EACH ROW EXECUTE FUNCTION salestui_guard_{table}_delete()"
        )


def downgrade() -> None:
    """Back to 0010's grants: reps write the bookkeeping tables again; no guard, no join_origin."""
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in ("account", "contact"):
        op.execute(f'DROP TRIGGER IF EXISTS salestui_guard_delete ON "{table}"')
        op.execute(f"DROP FUNCTION IF EXISTS salestui_guard_{table}_delete()")
    for action in ("read", "insert", "update", "delete"):
        op.execute(f"DROP POLICY IF EXISTS import_origin_{action} ON import_origin")
    op.execute("ALTER TABLE import_origin NO FORCE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE import_origin DISABLE ROW LEVEL SECURITY")
    for table in (*READ_ONLY, "import_origin"):
        op.execute(_if_role(REP, f'GRANT SELECT, INSERT, UPDATE, DELETE ON "{table}" TO {REP}'))
    op.drop_table("join_origin")
