"""Room for longer version strings: ``evidence.rule_version`` holds a whole pipeline version.

The events pipeline version now carries a content hash of the lexicon and the NER backend's
model (``netra-events 0.2.0+1a2b3c / ner-id 0.4.0``, 40 characters); 40 was the old limit of
``evidence.rule_version``, which PostgreSQL enforces (SQLite does not). Both it and the
``pipeline_version`` columns (documents, events, runs) get 80.

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, column, old length, nullable)
COLUMNS = (
    ("evidence", "rule_version", 40, False),
    ("documents", "pipeline_version", 60, True),
    ("events", "pipeline_version", 60, False),
    ("runs", "pipeline_version", 60, False),
)
WIDTH = 80


def upgrade() -> None:
    for table, column, old, nullable in COLUMNS:
        with op.batch_alter_table(table) as batch:
            batch.alter_column(
                column, type_=sa.String(WIDTH), existing_type=sa.String(old), existing_nullable=nullable
            )


def downgrade() -> None:
    for table, column, old, nullable in COLUMNS:
        with op.batch_alter_table(table) as batch:
            batch.alter_column(
                column, type_=sa.String(old), existing_type=sa.String(WIDTH), existing_nullable=nullable
            )
