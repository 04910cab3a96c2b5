"""A debrief is a draft until the rep finishes it: ``debrief.finished_at``.

Revision ID: 0003_debrief_finished
Revises: 0002_search

The debrief screen saves every field as it is typed, so a debrief row alone no longer means
"debriefed": only a finished one (``store.debriefs.finish``, ctrl+s) counts in stats, team
figures, review and carry-over, and a draft keeps its call in "Needs a debrief".

Existing debriefs were written before the flag existed, so the upgrade decides from what they
hold, and stamps the finished ones with their ``updated_at`` (the rep's last edit):

- with a drafted next call (``next_call_id`` set): finished. Only finishing drafts a next call.
- with an outcome recorded on their call (advance, continuation, lost or cancelled): finished.
  Such a debrief was the rep's best effort at the time and has counted as debriefed ever since;
  turning it into a draft would silently lower the rep's debrief rate and bring months of old
  calls back into "Needs a debrief".
- neither: a draft. With no outcome the call never counted as held, so no figure changes; the
  call (if its time has passed and it was not cancelled) reappears in "Needs a debrief", where
  the rep confirms the outcome and finishes it. Nothing typed is lost.

Downgrading drops the column (every debrief counts as debriefed again, as before).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_debrief_finished"
down_revision: str | None = "0002_search"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_debrief = sa.table(
    "debrief",
    sa.column("call_id", sa.Integer()),
    sa.column("next_call_id", sa.Integer()),
    sa.column("updated_at", sa.DateTime()),
    sa.column("finished_at", sa.DateTime()),
)
_call = sa.table("call", sa.column("id", sa.Integer()), sa.column("outcome", sa.String()))


def upgrade() -> None:
    """Add the column and its index; mark as finished the debriefs with a drafted next call or an outcome."""
    # A plain ADD COLUMN (no batch table copy): on SQLite a copy would drop the search triggers.
    op.add_column("debrief", sa.Column("finished_at", sa.DateTime(), nullable=True))
    # Stats, team figures and review join every call to its debrief and ask "finished?":
    # with this index the answer comes from the index alone (as count(debrief.id) did before).
    op.create_index("ix_debrief_call_finished", "debrief", ["call_id", "finished_at"])
    with_outcome = sa.select(_call.c.id).where(_call.c.outcome.is_not(None))
    op.execute(
        _debrief.update()
        .where(sa.or_(_debrief.c.next_call_id.is_not(None), _debrief.c.call_id.in_(with_outcome)))
        .values(finished_at=_debrief.c.updated_at)
    )


def downgrade() -> None:
    """Drop the index and the column (SQLite 3.35+ drops a column in place, keeping the search triggers)."""
    op.drop_index("ix_debrief_call_finished", table_name="debrief")
    op.drop_column("debrief", "finished_at")
