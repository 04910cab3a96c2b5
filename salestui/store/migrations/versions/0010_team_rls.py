"""Team mode: one account per rep and name; on PostgreSQL, row-level security by login.

Revision ID: 0010_team_rls
Revises: 0009_import_origin

Both backends:

- ``account.name_key``: the name casefolded with its whitespace collapsed (``tables.name_key``),
  and a unique index on ``(owner, name_key)`` (rows another tool inserts without a key, "",
  are left out), so an import is an upsert (``INSERT ... ON
  CONFLICT``) and three concurrent imports of one file create its accounts once.
- Accounts that already share an owner and a name key are kept, not merged: the oldest (lowest
  id) keeps its name, every later one is renamed ``<name> (duplicate #<id>)`` (deterministic,
  nothing is lost, the rep sees them in the list and can merge or delete them).

PostgreSQL only:

- Roles ``salestui_rep`` and ``salestui_manager`` (NOLOGIN, created when missing; grant them
  to logins). Reps may read every table and write the data tables; the manager may only read.
- Row-level security on every table of a rep's records, FORCEd so that the tables' owner (the
  login that created them) is bound too. Everyone reads every row; a login inserts, updates and
  deletes only rows it owns: ``account`` and ``call`` by their ``owner = current_user``, the
  tables under an account (contacts, research notes, comparisons) by their account's owner,
  the tables under a call (checklist, objections, questions, advances, notes, practice runs,
  attendees, debrief) by their call's owner. Superusers and BYPASSRLS roles are not bound.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_team_rls"
down_revision: str | None = "0009_import_origin"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REP = "salestui_rep"
MANAGER = "salestui_manager"

MINE = "owner = current_user"
UNDER_ACCOUNT = "EXISTS (SELECT 1 FROM account WHERE account.id = account_id AND account.owner = current_user)"
UNDER_CALL = 'EXISTS (SELECT 1 FROM "call" WHERE "call".id = call_id AND "call".owner = current_user)'

#: Table -> who owns its rows (SQL true for the rows the current login may write).
OWNED: dict[str, str] = {
    "account": MINE,
    "contact": UNDER_ACCOUNT,
    "research_note": UNDER_ACCOUNT,
    "competitor_comparison": UNDER_ACCOUNT,
    "call": MINE,
    "call_contact": UNDER_CALL,
    "checklist_item": UNDER_CALL,
    "objection": UNDER_CALL,
    "question": UNDER_CALL,
    "practice_run": UNDER_CALL,
    "advance": UNDER_CALL,
    "call_note": UNDER_CALL,
    "debrief": UNDER_CALL,
}


def _key(name: str) -> str:
    # tables.name_key as of this revision (kept here: a migration must not change with the code).
    return " ".join(name.split()).casefold()


def upgrade() -> None:
    """Add and fill ``name_key`` (renaming duplicates), index it; on PostgreSQL, roles and policies."""
    # Plain ADD/DROP COLUMN, no batch copy: the search triggers on ``account`` (0002) stay.
    op.add_column("account", sa.Column("name_key", sa.String(), nullable=False, server_default=""))
    _fill_name_keys()
    # Rows other tools insert without a key get "" (the server default): left out of the index.
    keyed = sa.text("name_key != ''")
    op.create_index(
        "ux_account_owner_name",
        "account",
        ["owner", "name_key"],
        unique=True,
        sqlite_where=keyed,
        postgresql_where=keyed,
    )
    if op.get_bind().dialect.name == "postgresql":
        _secure()


def _fill_name_keys() -> None:
    bind = op.get_bind()
    account = sa.table("account", sa.column("id"), sa.column("name"), sa.column("owner"), sa.column("name_key"))
    rows = bind.execute(sa.select(account.c.id, account.c.name, account.c.owner).order_by(account.c.id)).all()
    taken = {(owner, _key(name)) for _id, name, owner in rows}
    seen: set[tuple[str, str]] = set()
    for row_id, name, owner in rows:
        key = _key(name)
        values = {"name_key": key}
        if (owner, key) in seen:
            # A later duplicate: a new name no account of this owner holds (ids are unique).
            renamed = f"{name.strip()} (duplicate #{row_id})"
            while (owner, _key(renamed)) in taken:
                renamed += "'"
            values = {"name": renamed, "name_key": _key(renamed)}
            key = values["name_key"]
            taken.add((owner, key))
        seen.add((owner, key))
        bind.execute(sa.update(account).where(account.c.id == row_id).values(**values))


def _secure() -> None:
    for role in (REP, MANAGER):
        # Roles belong to the whole server: another database may have created them, or be
        # creating them at this moment; a login without CREATEROLE leaves it to an administrator.
        op.execute(
            f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = '{role}') THEN "
            f"CREATE ROLE {role} NOLOGIN; END IF; "
            "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; "
            f"WHEN insufficient_privilege THEN RAISE WARNING 'salestui: cannot create role {role}: %', SQLERRM; "
            "END $$"
        )
    op.execute(
        "DO $$ BEGIN "
        f"IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = '{REP}') THEN "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {REP}; "
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {REP}; END IF; "
        f"IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = '{MANAGER}') THEN "
        f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {MANAGER}; END IF; "
        "END $$"
    )
    for table, owned in OWNED.items():
        quoted = f'"{table}"'
        op.execute(f"ALTER TABLE {quoted} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {quoted} FORCE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY {table}_read ON {quoted} FOR SELECT USING (true)")
        op.execute(f"CREATE POLICY {table}_insert ON {quoted} FOR INSERT WITH CHECK ({owned})")
        op.execute(f"CREATE POLICY {table}_update ON {quoted} FOR UPDATE USING ({owned}) WITH CHECK ({owned})")
        op.execute(f"CREATE POLICY {table}_delete ON {quoted} FOR DELETE USING ({owned})")


def downgrade() -> None:
    """Drop the policies (the roles stay: other databases may use them), the index and the column."""
    if op.get_bind().dialect.name == "postgresql":
        for table in OWNED:
            quoted = f'"{table}"'
            for action in ("read", "insert", "update", "delete"):
                op.execute(f"DROP POLICY IF EXISTS {table}_{action} ON {quoted}")
            op.execute(f"ALTER TABLE {quoted} NO FORCE ROW LEVEL SECURITY")
            op.execute(f"ALTER TABLE {quoted} DISABLE ROW LEVEL SECURITY")
    op.drop_index("ux_account_owner_name", table_name="account")
    op.execute("ALTER TABLE account DROP COLUMN name_key")
