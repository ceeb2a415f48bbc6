"""Incidents: one happening, many reports (issue 15; docs/incidents.md).

``incidents`` (stable ids, never renumbered nor reused; merged and emptied incidents keep their row),
``incident_members`` (event -> incident, with the best link score and the links' reasons as provenance)
and ``incident_merges`` (old id -> new id, so a saved id still resolves).

Revision ID: 0006_incidents
Revises: 0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_incidents"
down_revision: str | None = "0005_utc_timestamps"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "incidents",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("type", sa.String(length=20), nullable=True),
        sa.Column("stage", sa.String(length=12), nullable=True),
        sa.Column("date", sa.String(length=10), nullable=True),
        sa.Column("date_precision", sa.String(length=8), nullable=True),
        sa.Column("date_from", sa.Date(), nullable=True),
        sa.Column("date_to", sa.Date(), nullable=True),
        sa.Column("window_from", sa.Date(), nullable=True),
        sa.Column("window_to", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("merged_into", sa.Integer(), nullable=True),
        sa.Column("reports", sa.Integer(), nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["merged_into"], ["incidents.id"], name=op.f("fk_incidents_merged_into_incidents")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incidents")),
    )
    op.create_index(op.f("ix_incidents_date_from"), "incidents", ["date_from"], unique=False)
    op.create_index("ix_incidents_status_window", "incidents", ["status", "window_from", "window_to"], unique=False)
    op.create_index(op.f("ix_incidents_type"), "incidents", ["type"], unique=False)
    op.create_table(
        "incident_merges",
        sa.Column("old_id", sa.Integer(), nullable=False),
        sa.Column("new_id", sa.Integer(), nullable=False),
        sa.Column("bridge_event", sa.String(length=220), nullable=True),
        sa.Column("merged_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["new_id"], ["incidents.id"], name=op.f("fk_incident_merges_new_id_incidents")),
        sa.ForeignKeyConstraint(["old_id"], ["incidents.id"], name=op.f("fk_incident_merges_old_id_incidents")),
        sa.PrimaryKeyConstraint("old_id", name=op.f("pk_incident_merges")),
    )
    op.create_index(op.f("ix_incident_merges_new_id"), "incident_merges", ["new_id"], unique=False)
    op.create_table(
        "incident_members",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("reasons", sa.JSON(), nullable=True),
        sa.Column("linker_version", sa.String(length=80), nullable=False),
        sa.Column("linked_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_incident_members_event_id_events"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incidents.id"], name=op.f("fk_incident_members_incident_id_incidents")
        ),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_incident_members")),
    )
    op.create_index(op.f("ix_incident_members_incident_id"), "incident_members", ["incident_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_incident_members_incident_id"), table_name="incident_members")
    op.drop_table("incident_members")
    op.drop_index(op.f("ix_incident_merges_new_id"), table_name="incident_merges")
    op.drop_table("incident_merges")
    op.drop_index(op.f("ix_incidents_type"), table_name="incidents")
    op.drop_index("ix_incidents_status_window", table_name="incidents")
    op.drop_index(op.f("ix_incidents_date_from"), table_name="incidents")
    op.drop_table("incidents")
