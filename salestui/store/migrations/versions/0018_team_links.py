"""Team links: (stub, filled by the team-links work).

Revision ID: 0018_team_links
Revises: 0017_coaching
"""

from collections.abc import Sequence

revision: str = "0018_team_links"
down_revision: str | None = "0017_coaching"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
