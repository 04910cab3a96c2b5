"""Team links: deleting a call never clears another rep's link to it behind their back.

Revision ID: 0018_team_links
Revises: 0017_coaching

PostgreSQL only. Two links point at a call with ``ON DELETE SET NULL``: a call's
``carried_from_call_id`` (the call its carry-over came from) and a debrief's ``next_call_id`` (the
call it drafted next). Foreign-key actions are not bound by row-level security, so when alice
deleted her call the database quietly nulled those links on bob's rows. A ``BEFORE DELETE``
trigger on ``call`` now counts the other owners' calls linked to the deleted one (carried over
from it, or whose debrief drafted it as the next call) and refuses the delete with SQLSTATE
``SLT01``, as 0016_team_hardening's account guard does, naming whose and how many ("call with
'Initech' on 3 Dec has 1 call of bob's linked to it …: ask bob …"). It fires on a call deleted
through an account's cascade too.

Both links get a partial index (PostgreSQL only, where set), so the guard, like the foreign keys'
own ``SET NULL``, finds what points at a deleted call without reading the whole table: a bulk
delete stays linear.

The message is built by ``salestui_refuse_cross_owner`` (owners and counts in, one SLT01 out),
and 0016's account and contact guards are rebuilt on it, so the three guards share one way of
naming whose rows and how many.

SQLite: nothing. A SQLite file has one user: every row is the rep's own, and clearing a link
to a call the rep deleted is what the rep asked for.
"""

import importlib
from collections.abc import Sequence
from types import ModuleType

from alembic import op

revision: str = "0018_team_links"
down_revision: str | None = "0017_coaching"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _hardening() -> ModuleType:
    """0016_team_hardening: its SQLSTATE and the guards it created (restored on downgrade)."""
    return importlib.import_module("salestui.store.migrations.versions.0016_team_hardening")


def _refuse(code: str) -> str:
    """``salestui_refuse_cross_owner(template, owners, counts, noun, VARIADIC args)``.

    Raises ``code`` when ``owners`` is not empty, with ``format(template, found, who, it, args…)``:
    ``found`` is "1 call of bob's and 2 calls of carol's", ``who`` "bob and carol", ``it`` "it"
    or "them". User text (a name) goes in ``args``, never in the template.
    """
    return f"""
CREATE OR REPLACE FUNCTION salestui_refuse_cross_owner(
    template text, owners text[], counts bigint[], noun text, VARIADIC args text[]
) RETURNS void AS $$
DECLARE
    found text;
    who text;
    total bigint;
BEGIN
    SELECT string_agg(n || ' ' || noun || CASE WHEN n = 1 THEN '' ELSE 's' END || ' of ' || o || '''s', ' and '
                      ORDER BY o),
           string_agg(o, ' and ' ORDER BY o), sum(n)
      INTO found, who, total
      FROM unnest(owners, counts) AS others(o, n);
    IF found IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = '{code}',
            MESSAGE = format(template, VARIADIC ARRAY[found, who, CASE WHEN total = 1 THEN 'it' ELSE 'them' END]
                                                || args);
    END IF;
END $$ LANGUAGE plpgsql
"""


# Per guard: the other owners' rows (owner, count) the delete of OLD would reach, and the message.
_OTHERS = "array_agg(owner ORDER BY owner), array_agg(n ORDER BY owner)"

#: The two links to a call, indexed where set: the guard (and the foreign keys' own SET NULL) find
#: the rows pointing at a deleted call without reading the whole table.
_LINK_INDEXES = (
    ("ix_call_carried_from", "call", "carried_from_call_id"),
    ("ix_debrief_next_call", "debrief", "next_call_id"),
)

_CALL_GUARD = f"""
CREATE OR REPLACE FUNCTION salestui_guard_call_delete() RETURNS trigger AS $$
DECLARE
    owners text[];
    counts bigint[];
BEGIN
    SELECT {_OTHERS} INTO owners, counts
      FROM (SELECT owner, count(*) AS n
              FROM (SELECT c.id, c.owner FROM "call" c WHERE c.carried_from_call_id = OLD.id
                    UNION
                    SELECT c.id, c.owner FROM debrief d JOIN "call" c ON c.id = d.call_id
                     WHERE d.next_call_id = OLD.id) AS links
             WHERE owner <> OLD.owner AND id <> OLD.id
             GROUP BY owner) AS linked;
    PERFORM salestui_refuse_cross_owner(
        'call %4$s has %1$s linked to it (carried over from it, or drafted as its next call): '
        || 'ask %2$s to delete %3$s first, or cancel this call instead',
        owners, counts, 'call',
        concat_ws(' ', 'with ''' || (SELECT a.name FROM account a WHERE a.id = OLD.account_id) || '''',
                  CASE WHEN OLD.scheduled_at IS NULL THEN 'with no time set'
                       ELSE 'on ' || to_char(OLD.scheduled_at, 'FMDD Mon YYYY') END));
    RETURN OLD;
END $$ LANGUAGE plpgsql
"""

_ACCOUNT_GUARD = f"""
CREATE OR REPLACE FUNCTION salestui_guard_account_delete() RETURNS trigger AS $$
DECLARE
    owners text[];
    counts bigint[];
BEGIN
    SELECT {_OTHERS} INTO owners, counts
      FROM (SELECT c.owner, count(*) AS n
              FROM "call" c
             WHERE c.owner <> OLD.owner
               AND (c.account_id = OLD.id
                    OR EXISTS (SELECT 1 FROM call_contact cc JOIN contact k ON k.id = cc.contact_id
                                WHERE cc.call_id = c.id AND k.account_id = OLD.id))
             GROUP BY c.owner) AS others;
    PERFORM salestui_refuse_cross_owner(
        'account %4$s has %1$s: ask %2$s to move or delete %3$s first', owners, counts, 'call',
        '''' || OLD.name || '''');
    RETURN OLD;
END $$ LANGUAGE plpgsql
"""

_CONTACT_GUARD = f"""
CREATE OR REPLACE FUNCTION salestui_guard_contact_delete() RETURNS trigger AS $$
DECLARE
    holder text;
    owners text[];
    counts bigint[];
BEGIN
    SELECT owner INTO holder FROM account WHERE id = OLD.account_id;
    IF holder IS NULL THEN
        RETURN OLD;  -- its account is being deleted: that delete's guard counted these calls
    END IF;
    SELECT {_OTHERS} INTO owners, counts
      FROM (SELECT c.owner, count(*) AS n
              FROM call_contact cc JOIN "call" c ON c.id = cc.call_id
             WHERE cc.contact_id = OLD.id AND c.owner <> holder
             GROUP BY c.owner) AS others;
    PERFORM salestui_refuse_cross_owner(
        'contact %4$s attends %1$s: ask %2$s to take the contact off %3$s first', owners, counts, 'call',
        '''' || OLD.name || '''');
    RETURN OLD;
END $$ LANGUAGE plpgsql
"""


def upgrade() -> None:
    """On PostgreSQL: the shared refusal, the call guard, and 0016's guards rebuilt on it."""
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(_refuse(_hardening().CROSS_OWNER_DELETE))
    for guard in (_CALL_GUARD, _ACCOUNT_GUARD, _CONTACT_GUARD):
        op.execute(guard)
    for index, table, column in _LINK_INDEXES:
        op.execute(f'CREATE INDEX IF NOT EXISTS {index} ON "{table}" ({column}) WHERE {column} IS NOT NULL')
    op.execute('DROP TRIGGER IF EXISTS salestui_guard_delete ON "call"')
    op.execute(
        'CREATE TRIGGER salestui_guard_delete BEFORE DELETE ON "call" '
        "FOR EACH ROW EXECUTE FUNCTION salestui_guard_call_delete()"
    )


def downgrade() -> None:
    """Back to 0016's guards; links to a deleted call are cleared again whoever's they are."""
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute('DROP TRIGGER IF EXISTS salestui_guard_delete ON "call"')
    op.execute("DROP FUNCTION IF EXISTS salestui_guard_call_delete()")
    for index, _table, _column in _LINK_INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {index}")
    hardening = _hardening()
    op.execute(hardening._ACCOUNT_GUARD)
    op.execute(hardening._CONTACT_GUARD)
    op.execute("DROP FUNCTION IF EXISTS salestui_refuse_cross_owner(text, text[], bigint[], text, text[])")
