"""Speed: (stub, filled by the speed work).

Revision ID: 0019_speed
Revises: 0018_team_links
"""

from collections.abc import Sequence

revision: str = "0019_speed"
down_revision: str | None = "0018_team_links"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
