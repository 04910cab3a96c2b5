"""Team schema hardening (alembic_version, import_origin RLS, cascade guard).

Revision ID: 0016_team_hardening
Revises: 0015_pg_search

Being written in this session; until then it changes nothing.
"""

from collections.abc import Sequence

revision: str = "0016_team_hardening"
down_revision: str | None = "0015_pg_search"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
