"""SQLAlchemy 2.0 ORM models of the Netra store.

The schema is created and changed only by Alembic migrations
(``pipeline/store/migrations``); these classes must match the head revision,
which ``tests/test_store_migrations.py`` checks with Alembic's autogenerate diff.
"""

from __future__ import annotations

from datetime import date as Day
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from pipeline.schema import ArticleInput
from pipeline.store.types import UTCDateTime
from pipeline.timezones import local_date

# Deterministic constraint names, so migrations can refer to them on both back ends.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Region(Base):
    """The Kemendagri gazetteer: provinces, kabupaten/kota and kecamatan."""

    __tablename__ = "regions"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(16))  # province | kabupaten | kota | kecamatan
    parent_code: Mapped[str | None] = mapped_column(String(16), index=True)
    province_code: Mapped[str] = mapped_column(String(4), index=True)
    decree: Mapped[str] = mapped_column(String(120))


class Source(Base):
    """A news outlet."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    home: Mapped[str | None] = mapped_column(String(500))
    regions: Mapped[list[str] | None] = mapped_column(JSON)  # Kemendagri codes it covers
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)


class Document(Base):
    """One article: where it came from, how its text was extracted, and the text itself."""

    __tablename__ = "documents"
    __table_args__ = (Index("ix_documents_published_at", "published_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    doc_key: Mapped[str] = mapped_column(String(200), unique=True)  # input id, or a hash of the canonical URL
    url: Mapped[str | None] = mapped_column(Text)
    canonical_url: Mapped[str | None] = mapped_column(Text, index=True)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id", ondelete="SET NULL"), index=True)
    title: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(Text)
    sitename: Mapped[str | None] = mapped_column(String(200))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The page's own UTC offset in minutes (420 = WIB): the article's calendar day is taken in it.
    published_offset: Mapped[int | None] = mapped_column(Integer)
    fetched_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    content_sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    raw_ref: Mapped[str | None] = mapped_column(Text)  # "<warc path>#<record offset>"
    extractor: Mapped[str | None] = mapped_column(String(60))
    extractor_version: Mapped[str | None] = mapped_column(String(60))
    language: Mapped[str | None] = mapped_column(String(12))
    dateline_city: Mapped[str | None] = mapped_column(String(120))
    outlet_tag: Mapped[str | None] = mapped_column(String(120))
    text: Mapped[str | None] = mapped_column(Text)
    relevant: Mapped[bool | None] = mapped_column(Boolean, index=True)
    relevance: Mapped[float | None] = mapped_column(Float)
    duplicate_of: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="new")  # new | extracted | skipped | failed
    status_reason: Mapped[str | None] = mapped_column(Text)
    events_extracted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    pipeline_version: Mapped[str | None] = mapped_column(String(80))

    source: Mapped[Source | None] = relationship()

    def to_input(self) -> ArticleInput:
        """The document as input to event extraction."""
        return ArticleInput(
            id=self.doc_key,
            text=self.text or " ",
            title=self.title,
            url=self.canonical_url or self.url,
            published=self.published_day(),
            dateline_city=self.dateline_city,
            source_regions=self.source_regions(),
        )

    def source_regions(self) -> list[str]:
        return list(self.source.regions or []) if self.source else []

    def published_day(self) -> Day | None:
        """The publication day in the article's own time zone (WIB/WITA/WIT), not in UTC."""
        return local_date(self.published_at, self.published_offset, self.source_regions())

    events: Mapped[list[Event]] = relationship(
        back_populates="document", cascade="all, delete-orphan", passive_deletes=True, order_by="Event.ordinal"
    )


class Event(Base):
    __tablename__ = "events"
    __table_args__ = (
        UniqueConstraint("document_id", "ordinal", name="uq_events_document_ordinal"),
        Index("ix_events_date_from", "date_from"),
        Index("ix_events_type", "type"),
        Index("ix_events_type_date_from", "type", "date_from", "date_to", "id"),  # netra serve (0003)
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    ordinal: Mapped[int] = mapped_column(Integer)  # position of the event within its document
    type: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str | None] = mapped_column(String(12))
    date: Mapped[str | None] = mapped_column(String(10))  # as in the contract: YYYY-MM-DD | YYYY-MM | YYYY
    date_precision: Mapped[str | None] = mapped_column(String(8))
    # The date as a range, so month- and year-precision dates can be filtered.
    date_from: Mapped[Day | None] = mapped_column(Date)
    date_to: Mapped[Day | None] = mapped_column(Date)
    # The document's publication day in the article's own zone: the date filters' fallback for an
    # undated event (``date_basis`` = published).
    published_on: Mapped[Day | None] = mapped_column(Date)
    scope: Mapped[str | None] = mapped_column(String(12))
    organizer: Mapped[str | None] = mapped_column(Text)
    venue: Mapped[str | None] = mapped_column(Text)
    count: Mapped[int | None] = mapped_column(Integer)
    confidence: Mapped[float | None] = mapped_column(Float)
    pipeline_version: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    document: Mapped[Document] = relationship(back_populates="events")
    officials: Mapped[list[EventOfficial]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="EventOfficial.id"
    )
    regions: Mapped[list[EventRegion]] = relationship(cascade="all, delete-orphan", passive_deletes=True)
    sanctions: Mapped[list[EventSanction]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="EventSanction.id"
    )
    elections: Mapped[list[EventElection]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="EventElection.id"
    )
    evidence: Mapped[list[Evidence]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="Evidence.id"
    )


class Person(Base):
    """A person, keyed by the normalized name (case-folded, degrees removed)."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200), unique=True)


class EventOfficial(Base):
    __tablename__ = "event_officials"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))  # as written in the article, degrees removed
    office: Mapped[str | None] = mapped_column(String(30), index=True)
    acting: Mapped[str | None] = mapped_column(String(4))
    region_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"), index=True)
    role: Mapped[str | None] = mapped_column(String(12))

    person: Mapped[Person] = relationship()


class EventRegion(Base):
    __tablename__ = "event_regions"
    __table_args__ = (Index("ix_event_regions_region_code_event_id", "region_code", "event_id"),)  # netra serve (0003)

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), primary_key=True, index=True)


class EventSanction(Base):
    __tablename__ = "event_sanctions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    status: Mapped[str] = mapped_column(String(12))


class EventElection(Base):
    __tablename__ = "event_elections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    year: Mapped[int | None] = mapped_column(Integer)


class Evidence(Base):
    """Provenance of one extracted field: the text span, and the rule or model (with version)."""

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    field: Mapped[str] = mapped_column(String(40))
    char_start: Mapped[int | None] = mapped_column(Integer)
    char_end: Mapped[int | None] = mapped_column(Integer)
    sentence: Mapped[str | None] = mapped_column(Text)
    rule: Mapped[str] = mapped_column(String(80))
    rule_version: Mapped[str] = mapped_column(String(80))
    confidence: Mapped[float | None] = mapped_column(Float)


class Run(Base):
    """One ingestion run (crawl, process, ingest-text, nightly, backfill)."""

    __tablename__ = "runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    status: Mapped[str] = mapped_column(String(12))  # running | ok | partial | failed
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    pipeline_version: Mapped[str] = mapped_column(String(80))
    host: Mapped[str | None] = mapped_column(String(120))
    pid: Mapped[int | None] = mapped_column(Integer)
    counts: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # {"stage": {"counter": n}}
    timings: Mapped[dict[str, float] | None] = mapped_column(JSON)  # {"stage": seconds}
    errors: Mapped[list[dict[str, str]] | None] = mapped_column(JSON)  # [{"stage", "where", "error"}], capped
    args: Mapped[dict[str, str] | None] = mapped_column(JSON)


class RunSourceStat(Base):
    """Per-source counters of a run (crawl health over nights)."""

    __tablename__ = "run_source_stats"

    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True)
    source_name: Mapped[str] = mapped_column(String(200), primary_key=True)
    status: Mapped[str] = mapped_column(String(12))  # ok | failed | partial
    counts: Mapped[dict[str, int] | None] = mapped_column(JSON)


class CrawlUrl(Base):
    """Crawl state: every normalized article URL seen, and what happened to it."""

    __tablename__ = "crawl_urls"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    url_key: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 of the normalized URL
    url: Mapped[str] = mapped_column(Text)
    source_name: Mapped[str | None] = mapped_column(String(200), index=True)
    status: Mapped[str] = mapped_column(String(16))  # discovered | fetched | failed | skipped
    http_status: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    discovered_at: Mapped[datetime] = mapped_column(UTCDateTime())
    fetched_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    lastmod: Mapped[datetime | None] = mapped_column(UTCDateTime())
    warc_path: Mapped[str | None] = mapped_column(Text)
    warc_offset: Mapped[int | None] = mapped_column(BigInteger)
    attempts: Mapped[int] = mapped_column(Integer, default=0)


class HttpCache(Base):
    """Validators for conditional GET of feeds and sitemaps."""

    __tablename__ = "http_cache"

    url: Mapped[str] = mapped_column(String(2000), primary_key=True)
    etag: Mapped[str | None] = mapped_column(String(500))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    http_status: Mapped[int | None] = mapped_column(Integer)


class WarcRecord(Base):
    """Processing state of each WARC response record (so ``netra process`` only does new work)."""

    __tablename__ = "warc_records"
    __table_args__ = (UniqueConstraint("warc_path", "record_offset", name="uq_warc_records_path_offset"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    warc_path: Mapped[str] = mapped_column(String(1000))
    record_offset: Mapped[int] = mapped_column(BigInteger)
    target_uri: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))  # processed | skipped | failed
    reason: Mapped[str | None] = mapped_column(Text)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"))
    processed_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Lock(Base):
    """A named lock row (SQLite; PostgreSQL uses advisory locks)."""

    __tablename__ = "locks"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    holder: Mapped[str] = mapped_column(String(200))  # host:pid
    acquired_at: Mapped[datetime] = mapped_column(UTCDateTime())
    heartbeat_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Incident(Base):
    """One real-world happening reported by one or more articles (issue 15; docs/incidents.md).

    The id is stable: it is never renumbered nor reused. An incident merged into another keeps its row
    (``status`` ``merged``, ``merged_into``) so a saved id still resolves; one whose reports were all
    re-extracted away keeps its row too (``status`` ``empty``) until a report joins it again.
    """

    __tablename__ = "incidents"
    __table_args__ = (Index("ix_incidents_status_window", "status", "window_from", "window_to"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(20))  # the type family linking compares (rakor | violation | ...)
    type: Mapped[str | None] = mapped_column(String(20), index=True)  # the members' most common type
    stage: Mapped[str | None] = mapped_column(String(12))  # a sanction's case step (recommended | imposed)
    date: Mapped[str | None] = mapped_column(String(10))  # the members' most precise date
    date_precision: Mapped[str | None] = mapped_column(String(8))
    date_from: Mapped[Day | None] = mapped_column(Date, index=True)
    date_to: Mapped[Day | None] = mapped_column(Date)
    # The days linking compares the incident on (its members' date ranges and publication windows):
    # the candidate filter of an incremental run.
    window_from: Mapped[Day | None] = mapped_column(Date)
    window_to: Mapped[Day | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(8))  # active | merged | empty
    merged_into: Mapped[int | None] = mapped_column(ForeignKey("incidents.id"))
    reports: Mapped[int] = mapped_column(Integer, default=0)  # member events
    first_seen: Mapped[datetime | None] = mapped_column(UTCDateTime())  # earliest report's publication
    last_seen: Mapped[datetime | None] = mapped_column(UTCDateTime())  # latest report's publication
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class IncidentMember(Base):
    """An event's incident, with the links that put it there (score and reasons) as provenance."""

    __tablename__ = "incident_members"

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    score: Mapped[float | None] = mapped_column(Float)  # the best link score (None: the incident's first report)
    # [{"with": "<doc_key>#<ordinal>", "score", "shared_officials", "shared_regions", "date", "text_similarity"}]
    reasons: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    linker_version: Mapped[str] = mapped_column(String(80))
    linked_at: Mapped[datetime] = mapped_column(UTCDateTime())


class IncidentMerge(Base):
    """Two incidents became one: ``old_id`` now resolves to ``new_id`` (the older id survives)."""

    __tablename__ = "incident_merges"

    old_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), primary_key=True)
    new_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    bridge_event: Mapped[str | None] = mapped_column(String(220))  # "<doc_key>#<ordinal>" of the joining report
    merged_at: Mapped[datetime] = mapped_column(UTCDateTime())
