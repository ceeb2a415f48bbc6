"""Every timestamp in UTC on both back ends; ``documents.published_offset``, ``events.published_on``.

The models now use ``pipeline.store.types.UTCDateTime``. PostgreSQL's ``timestamptz`` always
held the right instant, so nothing changes there but the new column. SQLite stored the
wall-clock time of an aware value and dropped its offset: the run-bookkeeping columns were
written from ``datetime.now(UTC)`` and are UTC already, but ``documents.published_at`` of a
crawled page (one with a ``raw_ref``) holds the page's local time. Those rows are converted
from the local time of the article's zone (of its source's regions, else WIB) to UTC, so
the calendar day of the article is unchanged. Ingested JSON Lines documents (no
``raw_ref``) were written as midnight UTC and are left as they are.

``events.published_on`` is the document's publication day in the article's zone, filled
here for existing events: the date filters match an undated event by it.

``published_offset`` (minutes east of UTC) keeps the page's own offset from now on; it is
NULL for existing rows, whose day then comes from the source's regions (else WIB).

Revision ID: 0005_utc_timestamps
Revises: 0004
"""

import json
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from pipeline.timezones import article_zone, local_date

revision: str = "0005_utc_timestamps"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SQLITE_FORMAT = "%Y-%m-%d %H:%M:%S.%f"  # how SQLAlchemy writes DateTime on SQLite


def _crawled_published(bind: sa.Connection) -> list[tuple[int, str, list[str]]]:
    rows = bind.execute(
        sa.text(
            "SELECT d.id, d.published_at, s.regions FROM documents d LEFT JOIN sources s ON s.id = d.source_id "
            "WHERE d.published_at IS NOT NULL AND d.raw_ref IS NOT NULL"
        )
    ).all()
    out = []
    for doc_id, published, regions in rows:
        codes = json.loads(regions) if isinstance(regions, str) else (regions or [])
        out.append((doc_id, str(published), [str(c) for c in codes]))
    return out


def _shift(bind: sa.Connection, to_utc: bool) -> None:
    for doc_id, published, regions in _crawled_published(bind):
        value = datetime.fromisoformat(published)
        zone = article_zone(None, regions)
        if to_utc:  # local wall time -> UTC wall time
            shifted = value.replace(tzinfo=zone).astimezone(UTC)
        else:  # UTC wall time -> local wall time
            shifted = value.replace(tzinfo=UTC).astimezone(zone)
        bind.execute(
            sa.text("UPDATE documents SET published_at = :value WHERE id = :id"),
            {"value": shifted.replace(tzinfo=None).strftime(_SQLITE_FORMAT), "id": doc_id},
        )


def _fill_published_on(bind: sa.Connection) -> None:
    rows = bind.execute(
        sa.text(
            "SELECT e.id, d.published_at, s.regions FROM events e JOIN documents d ON d.id = e.document_id "
            "LEFT JOIN sources s ON s.id = d.source_id WHERE d.published_at IS NOT NULL"
        )
    ).all()
    for event_id, published, regions in rows:
        codes = json.loads(regions) if isinstance(regions, str) else (regions or [])
        value = published if isinstance(published, datetime) else datetime.fromisoformat(str(published))
        day = local_date(value, None, [str(c) for c in codes])
        bind.execute(sa.text("UPDATE events SET published_on = :day WHERE id = :id"), {"day": day, "id": event_id})


def upgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("published_offset", sa.Integer(), nullable=True))
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("published_on", sa.Date(), nullable=True))
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        _shift(bind, to_utc=True)
    _fill_published_on(bind)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        _shift(bind, to_utc=False)
    with op.batch_alter_table("events") as batch:
        batch.drop_column("published_on")
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("published_offset")
