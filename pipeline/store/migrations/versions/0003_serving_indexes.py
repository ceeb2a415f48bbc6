"""Composite indexes for ``netra serve``: events by type and date, event ids by region.

``ix_events_type_date_from`` (type, date_from, date_to, id) answers coverage counts and
type + period lists from the index alone, in date order; ``ix_event_regions_region_code_event_id``
(region_code, event_id) turns a region filter into an index-only range. Measured in
bench/serve.py (docs/serve.md).

Revision ID: 0003
Revises: 0002
"""
from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_events_type_date_from", "events", ["type", "date_from", "date_to", "id"])
    op.create_index("ix_event_regions_region_code_event_id", "event_regions", ["region_code", "event_id"])


def downgrade() -> None:
    op.drop_index("ix_event_regions_region_code_event_id", table_name="event_regions")
    op.drop_index("ix_events_type_date_from", table_name="events")
