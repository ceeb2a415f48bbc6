"""Load the Kemendagri gazetteer into ``regions``.

Revision ID: 0002
Revises: 0001
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    from pipeline.regions import DECREE, load_regions

    regions = sa.table(
        "regions",
        sa.column("code", sa.String),
        sa.column("name", sa.String),
        sa.column("level", sa.String),
        sa.column("parent_code", sa.String),
        sa.column("province_code", sa.String),
        sa.column("decree", sa.String),
    )
    rows = [
        {
            "code": r.code,
            "name": r.name,
            "level": r.level,
            "parent_code": r.parent_code,
            "province_code": r.province_code,
            "decree": DECREE,
        }
        for r in load_regions().values()
    ]
    op.bulk_insert(regions, rows)


def downgrade() -> None:
    op.execute("DELETE FROM regions")
