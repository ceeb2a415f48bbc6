"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-22 11:37:55.476507
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('crawl_urls',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('url_key', sa.String(length=64), nullable=False),
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('source_name', sa.String(length=200), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('http_status', sa.Integer(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('discovered_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('fetched_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('lastmod', sa.DateTime(timezone=True), nullable=True),
    sa.Column('warc_path', sa.Text(), nullable=True),
    sa.Column('warc_offset', sa.BigInteger(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crawl_urls')),
    sa.UniqueConstraint('url_key', name=op.f('uq_crawl_urls_url_key'))
    )
    with op.batch_alter_table('crawl_urls', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crawl_urls_source_name'), ['source_name'], unique=False)

    op.create_table('http_cache',
    sa.Column('url', sa.String(length=2000), nullable=False),
    sa.Column('etag', sa.String(length=500), nullable=True),
    sa.Column('last_modified', sa.String(length=100), nullable=True),
    sa.Column('checked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('http_status', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('url', name=op.f('pk_http_cache'))
    )
    op.create_table('locks',
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('holder', sa.String(length=200), nullable=False),
    sa.Column('acquired_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_locks'))
    )
    op.create_table('people',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('name_key', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_people')),
    sa.UniqueConstraint('name_key', name=op.f('uq_people_name_key'))
    )
    op.create_table('regions',
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('parent_code', sa.String(length=16), nullable=True),
    sa.Column('province_code', sa.String(length=4), nullable=False),
    sa.Column('decree', sa.String(length=120), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_regions'))
    )
    with op.batch_alter_table('regions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_regions_parent_code'), ['parent_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_regions_province_code'), ['province_code'], unique=False)

    op.create_table('runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('pipeline_version', sa.String(length=60), nullable=False),
    sa.Column('host', sa.String(length=120), nullable=True),
    sa.Column('pid', sa.Integer(), nullable=True),
    sa.Column('counts', sa.JSON(), nullable=True),
    sa.Column('timings', sa.JSON(), nullable=True),
    sa.Column('errors', sa.JSON(), nullable=True),
    sa.Column('args', sa.JSON(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_runs'))
    )
    with op.batch_alter_table('runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_runs_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_runs_started_at'), ['started_at'], unique=False)

    op.create_table('sources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('home', sa.String(length=500), nullable=True),
    sa.Column('regions', sa.JSON(), nullable=True),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sources')),
    sa.UniqueConstraint('name', name=op.f('uq_sources_name'))
    )
    op.create_table('documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('doc_key', sa.String(length=200), nullable=False),
    sa.Column('url', sa.Text(), nullable=True),
    sa.Column('canonical_url', sa.Text(), nullable=True),
    sa.Column('source_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('author', sa.Text(), nullable=True),
    sa.Column('sitename', sa.String(length=200), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('fetched_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('content_sha256', sa.String(length=64), nullable=True),
    sa.Column('raw_ref', sa.Text(), nullable=True),
    sa.Column('extractor', sa.String(length=60), nullable=True),
    sa.Column('extractor_version', sa.String(length=60), nullable=True),
    sa.Column('language', sa.String(length=12), nullable=True),
    sa.Column('dateline_city', sa.String(length=120), nullable=True),
    sa.Column('outlet_tag', sa.String(length=120), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('relevant', sa.Boolean(), nullable=True),
    sa.Column('relevance', sa.Float(), nullable=True),
    sa.Column('duplicate_of', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('status_reason', sa.Text(), nullable=True),
    sa.Column('events_extracted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('pipeline_version', sa.String(length=60), nullable=True),
    sa.ForeignKeyConstraint(['duplicate_of'], ['documents.id'], name=op.f('fk_documents_duplicate_of_documents'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_documents_source_id_sources'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_documents')),
    sa.UniqueConstraint('doc_key', name=op.f('uq_documents_doc_key'))
    )
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_documents_canonical_url'), ['canonical_url'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_content_sha256'), ['content_sha256'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_duplicate_of'), ['duplicate_of'], unique=False)
        batch_op.create_index('ix_documents_published_at', ['published_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_relevant'), ['relevant'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_source_id'), ['source_id'], unique=False)

    op.create_table('run_source_stats',
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('source_name', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('counts', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['run_id'], ['runs.id'], name=op.f('fk_run_source_stats_run_id_runs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('run_id', 'source_name', name=op.f('pk_run_source_stats'))
    )
    op.create_table('events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('ordinal', sa.Integer(), nullable=False),
    sa.Column('type', sa.String(length=20), nullable=False),
    sa.Column('subject', sa.String(length=12), nullable=True),
    sa.Column('date', sa.String(length=10), nullable=True),
    sa.Column('date_precision', sa.String(length=8), nullable=True),
    sa.Column('date_from', sa.Date(), nullable=True),
    sa.Column('date_to', sa.Date(), nullable=True),
    sa.Column('scope', sa.String(length=12), nullable=True),
    sa.Column('organizer', sa.Text(), nullable=True),
    sa.Column('venue', sa.Text(), nullable=True),
    sa.Column('count', sa.Integer(), nullable=True),
    sa.Column('confidence', sa.Float(), nullable=True),
    sa.Column('pipeline_version', sa.String(length=60), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_events_document_id_documents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_events')),
    sa.UniqueConstraint('document_id', 'ordinal', name='uq_events_document_ordinal')
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index('ix_events_date_from', ['date_from'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_document_id'), ['document_id'], unique=False)
        batch_op.create_index('ix_events_type', ['type'], unique=False)

    op.create_table('warc_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('warc_path', sa.String(length=1000), nullable=False),
    sa.Column('record_offset', sa.BigInteger(), nullable=False),
    sa.Column('target_uri', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('document_id', sa.Integer(), nullable=True),
    sa.Column('processed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_warc_records_document_id_documents'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_warc_records')),
    sa.UniqueConstraint('warc_path', 'record_offset', name='uq_warc_records_path_offset')
    )
    op.create_table('event_elections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_elections_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_elections'))
    )
    with op.batch_alter_table('event_elections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_elections_event_id'), ['event_id'], unique=False)

    op.create_table('event_officials',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('office', sa.String(length=30), nullable=True),
    sa.Column('acting', sa.String(length=4), nullable=True),
    sa.Column('region_code', sa.String(length=16), nullable=True),
    sa.Column('role', sa.String(length=12), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_officials_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_event_officials_person_id_people')),
    sa.ForeignKeyConstraint(['region_code'], ['regions.code'], name=op.f('fk_event_officials_region_code_regions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_officials'))
    )
    with op.batch_alter_table('event_officials', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_officials_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_officials_office'), ['office'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_officials_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_officials_region_code'), ['region_code'], unique=False)

    op.create_table('event_regions',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('region_code', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_regions_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['region_code'], ['regions.code'], name=op.f('fk_event_regions_region_code_regions')),
    sa.PrimaryKeyConstraint('event_id', 'region_code', name=op.f('pk_event_regions'))
    )
    with op.batch_alter_table('event_regions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_regions_region_code'), ['region_code'], unique=False)

    op.create_table('event_sanctions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_sanctions_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_sanctions'))
    )
    with op.batch_alter_table('event_sanctions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_sanctions_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_sanctions_kind'), ['kind'], unique=False)

    op.create_table('evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('field', sa.String(length=40), nullable=False),
    sa.Column('char_start', sa.Integer(), nullable=True),
    sa.Column('char_end', sa.Integer(), nullable=True),
    sa.Column('sentence', sa.Text(), nullable=True),
    sa.Column('rule', sa.String(length=80), nullable=False),
    sa.Column('rule_version', sa.String(length=40), nullable=False),
    sa.Column('confidence', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_evidence_document_id_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_evidence_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence'))
    )
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evidence_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evidence_event_id'), ['event_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evidence_event_id'))
        batch_op.drop_index(batch_op.f('ix_evidence_document_id'))

    op.drop_table('evidence')
    with op.batch_alter_table('event_sanctions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_sanctions_kind'))
        batch_op.drop_index(batch_op.f('ix_event_sanctions_event_id'))

    op.drop_table('event_sanctions')
    with op.batch_alter_table('event_regions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_regions_region_code'))

    op.drop_table('event_regions')
    with op.batch_alter_table('event_officials', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_officials_region_code'))
        batch_op.drop_index(batch_op.f('ix_event_officials_person_id'))
        batch_op.drop_index(batch_op.f('ix_event_officials_office'))
        batch_op.drop_index(batch_op.f('ix_event_officials_event_id'))

    op.drop_table('event_officials')
    with op.batch_alter_table('event_elections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_elections_event_id'))

    op.drop_table('event_elections')
    op.drop_table('warc_records')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index('ix_events_type')
        batch_op.drop_index(batch_op.f('ix_events_document_id'))
        batch_op.drop_index('ix_events_date_from')

    op.drop_table('events')
    op.drop_table('run_source_stats')
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_documents_source_id'))
        batch_op.drop_index(batch_op.f('ix_documents_relevant'))
        batch_op.drop_index('ix_documents_published_at')
        batch_op.drop_index(batch_op.f('ix_documents_duplicate_of'))
        batch_op.drop_index(batch_op.f('ix_documents_content_sha256'))
        batch_op.drop_index(batch_op.f('ix_documents_canonical_url'))

    op.drop_table('documents')
    op.drop_table('sources')
    with op.batch_alter_table('runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_runs_started_at'))
        batch_op.drop_index(batch_op.f('ix_runs_kind'))

    op.drop_table('runs')
    with op.batch_alter_table('regions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_regions_province_code'))
        batch_op.drop_index(batch_op.f('ix_regions_parent_code'))

    op.drop_table('regions')
    op.drop_table('people')
    op.drop_table('locks')
    op.drop_table('http_cache')
    with op.batch_alter_table('crawl_urls', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crawl_urls_source_name'))

    op.drop_table('crawl_urls')
