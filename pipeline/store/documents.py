"""The documents repository: articles and where they come from (``documents``, ``sources``,
``warc_records``), for the crawl, the extraction stage, the event stage and the backfill.

A document is keyed by ``doc_key`` (``pipeline.schema.doc_key_for``); every write is an
upsert, so a re-crawl or a re-processing updates one row.  A document's source is set
by the first writer that knows it (the crawl, from the registry) and never replaced by
a later guess (the extraction stage only knows the URL's host).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, cast
from urllib.parse import urlsplit

from sqlalchemy import Engine, Table, bindparam, delete, func, select, update
from sqlalchemy.orm import Session

from pipeline.schema import ArticleInput, DocumentRecord
from pipeline.store.crawl_state import FetchedUrl, mark_fetched
from pipeline.store.db import session_scope
from pipeline.store.models import Document, Event, Source, WarcRecord
from pipeline.store.upsert import upsert, upsert_statement
from pipeline.timezones import offset_minutes

# -- sources --------------------------------------------------------------------------------------


def source_id_of(session: Session, name: str | None) -> int | None:
    """The ``sources`` row id of an outlet name, the row created on first sight."""
    if not name:
        return None
    upsert(session, Source, {"name": name, "enabled": True}, ["name"], update=None)
    return session.scalar(select(Source.id).where(Source.name == name))


@dataclass(frozen=True)
class RegisteredSource:
    """A registry entry as the ``sources`` table keeps it: its name, home, regions and the
    hosts whose documents belong to it."""

    name: str
    home: str
    regions: tuple[str, ...] = ()
    enabled: bool = True


def sync_sources(engine: Engine, sources: Iterable[RegisteredSource]) -> None:
    """Write the registry into ``sources`` (home, regions, enabled), one row per name."""
    rows = [{"name": s.name, "home": s.home, "regions": list(s.regions), "enabled": s.enabled} for s in sources]
    if rows:
        with session_scope(engine) as session:
            upsert(session, Source, rows, ["name"])


def _host(url: str | None) -> str:
    host = (urlsplit(url or "").hostname or "").lower().rstrip(".")
    return host[4:] if host.startswith("www.") and host.count(".") >= 2 else host


class SourceDirectory:
    """Which registered source owns a URL: by the host of the sources' ``home`` (a host covers
    its subdomains; a local IP host must match with its port), as stored in ``sources``."""

    def __init__(self, homes: Iterable[tuple[str, str]]):
        self._netlocs: dict[str, str] = {}
        self._hosts: dict[str, str] = {}
        for name, home in homes:
            host, port = _host(home), urlsplit(home).port
            if port not in (None, 80, 443):
                self._netlocs.setdefault(f"{host}:{port}", name)
            else:
                self._hosts.setdefault(host, name)

    @classmethod
    def load(cls, engine: Engine) -> SourceDirectory:
        with engine.connect() as conn:
            rows = conn.execute(select(Source.name, Source.home).where(Source.home.is_not(None))).all()
        return cls((name, home) for name, home in rows if home is not None)

    def owner(self, url: str | None) -> str | None:
        """The name of the source owning ``url``, or None."""
        host = _host(url)
        if not host:
            return None
        port = urlsplit(url or "").port
        if port not in (None, 80, 443) and f"{host}:{port}" in self._netlocs:
            return self._netlocs[f"{host}:{port}"]
        labels = host.split(".")
        for start in range(len(labels) - 1):
            name = self._hosts.get(".".join(labels[start:]))
            if name is not None:
                return name
        return self._hosts.get(host)


# -- documents ------------------------------------------------------------------------------------

_DOCUMENT_FIELDS = (
    "url",
    "canonical_url",
    "title",
    "author",
    "sitename",
    "published_at",
    "fetched_at",
    "content_sha256",
    "raw_ref",
    "extractor",
    "extractor_version",
    "language",
    "dateline_city",
    "outlet_tag",
    "text",
    "status",
    "status_reason",
)


def upsert_document(session: Session, record: DocumentRecord) -> int:
    """Insert or update the document keyed by ``record.doc_key``; return its id.

    An existing ``source_id`` is kept (the crawl's registry source beats the host name the
    extraction stage derives from the URL); a new source only fills an empty one.
    """
    values: dict[str, Any] = {name: getattr(record, name) for name in _DOCUMENT_FIELDS}
    values["published_offset"] = offset_minutes(record.published_at)
    values["source_id"] = source_id_of(session, record.source_name)
    values["duplicate_of"] = (
        session.scalar(select(Document.id).where(Document.doc_key == record.duplicate_of_key))
        if record.duplicate_of_key
        else None
    )
    row = {"doc_key": record.doc_key, **values}
    stmt = upsert_statement(session, Document, row, ["doc_key"], fill_only=["source_id"]).returning(Document.id)
    return int(session.execute(stmt).scalar_one())


def source_name_of(engine: Engine, doc_key: str) -> str | None:
    """The source (outlet) name of a stored document."""
    with engine.connect() as conn:
        return conn.execute(
            select(Source.name).join(Document, Document.source_id == Source.id).where(Document.doc_key == doc_key)
        ).scalar_one_or_none()


def _pending(pipeline_version: str) -> Any:
    return (
        select(Document)
        .where(Document.text.is_not(None), Document.duplicate_of.is_(None))
        .where(Document.status.in_(("new", "extracted")))
        .where((Document.pipeline_version.is_(None)) | (Document.pipeline_version != pipeline_version))
        .order_by(Document.id)
    )


def pending_documents(session: Session, pipeline_version: str, limit: int | None = None) -> list[Document]:
    """Documents with text, not duplicates, whose events were not extracted by ``pipeline_version``."""
    stmt = _pending(pipeline_version)
    if limit:
        stmt = stmt.limit(limit)
    return list(session.scalars(stmt))


def has_pending_documents(engine: Engine, pipeline_version: str) -> bool:
    with session_scope(engine) as session:
        return bool(pending_documents(session, pipeline_version, 1))


def pending_inputs(engine: Engine, pipeline_version: str, limit: int) -> list[tuple[int, ArticleInput]]:
    """Up to ``limit`` pending documents as (id, extraction input)."""
    with session_scope(engine) as session:
        return [(d.id, d.to_input()) for d in pending_documents(session, pipeline_version, limit)]


def pending_document_ids(engine: Engine, pipeline_version: str) -> list[int]:
    with session_scope(engine) as session:
        return [d.id for d in pending_documents(session, pipeline_version)]


def document_input(engine: Engine, document_id: int, unless_version: str | None = None) -> ArticleInput | None:
    """The extraction input of a document; None when it is gone or already at ``unless_version``."""
    with session_scope(engine) as session:
        doc = session.get(Document, document_id)
        if doc is None or (unless_version is not None and doc.pipeline_version == unless_version):
            return None
        return doc.to_input()


def mark_document_failed(engine: Engine, document_id: int, message: str) -> None:
    """Event extraction failed on this document: it is not retried until re-processed."""
    with session_scope(engine) as session:
        doc = session.get(Document, document_id)
        if doc is not None:
            doc.status, doc.status_reason = "failed", message[:2000]


def recent_first_copies(engine: Engine, limit: int, up_to_id: int | None = None) -> list[tuple[str, str]]:
    """(doc_key, text) of the most recent ``limit`` documents that are not duplicates, oldest first."""
    stmt = (
        select(Document.doc_key, Document.text)
        .where(Document.text.is_not(None), Document.duplicate_of.is_(None))
        .order_by(Document.id.desc())
        .limit(limit)
    )
    if up_to_id is not None:
        stmt = stmt.where(Document.id <= up_to_id)
    with engine.connect() as conn:
        rows = conn.execute(stmt).all()
    return [(key, text or "") for key, text in reversed(rows)]


def max_document_id(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.max(Document.id))).scalar() or 0)


def document_id_of(engine: Engine, doc_key: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(Document.id).where(Document.doc_key == doc_key)).scalar_one())


# -- pages from the crawl -------------------------------------------------------------------------


@dataclass
class CrawledPage:
    """A fetched article archived at ``raw_ref``, about to point ``crawl_urls`` and ``documents`` at it."""

    fetched: FetchedUrl
    doc_key: str
    url: str  # after redirects
    canonical_url: str
    source_name: str
    content_sha256: str

    @property
    def raw_ref(self) -> str:
        return f"{self.fetched.warc_path}#{self.fetched.warc_offset}"


def store_crawled_pages(engine: Engine, pages: Sequence[CrawledPage]) -> set[str]:
    """Mark the pages' URLs fetched and create their ``documents`` rows (or re-point a known
    document at the new record), all in one transaction; return the doc_keys created."""
    table = cast(Table, Document.__table__)
    created: set[str] = set()
    with session_scope(engine) as session:
        conn = session.connection()
        mark_fetched(conn, [page.fetched for page in pages])
        keys = [page.doc_key for page in pages]
        existing = set(session.scalars(select(Document.doc_key).where(Document.doc_key.in_(keys))))
        sources: dict[str, int | None] = {}
        rows, repoint = [], []
        for page in pages:
            if page.doc_key in existing:  # known from another route (ingested text, another URL)
                repoint.append({"b_key": page.doc_key, "b_ref": page.raw_ref, "b_at": page.fetched.fetched_at})
                continue
            existing.add(page.doc_key)
            created.add(page.doc_key)
            if page.source_name not in sources:
                sources[page.source_name] = source_id_of(session, page.source_name)
            rows.append(
                {
                    "doc_key": page.doc_key,
                    "url": page.url,
                    "canonical_url": page.canonical_url,
                    "source_id": sources[page.source_name],
                    "fetched_at": page.fetched.fetched_at,
                    "content_sha256": page.content_sha256,
                    "raw_ref": page.raw_ref,
                    "status": "new",
                }
            )
        if rows:
            conn.execute(table.insert(), rows)
        if repoint:
            conn.execute(
                update(table)
                .where(table.c.doc_key == bindparam("b_key"))
                .values(raw_ref=bindparam("b_ref"), fetched_at=bindparam("b_at")),
                repoint,
            )
    return created


# -- WARC records (what the extraction stage has done) ---------------------------------------------


def processed_offsets(engine: Engine, warc_path: str) -> set[int]:
    with engine.connect() as conn:
        return set(conn.execute(select(WarcRecord.record_offset).where(WarcRecord.warc_path == warc_path)).scalars())


def _mark_record(
    session: Session,
    warc_path: str,
    offset: int,
    target_uri: str | None,
    status: str,
    reason: str | None,
    document_id: int | None,
) -> None:
    values = {
        "warc_path": warc_path,
        "record_offset": offset,
        "target_uri": target_uri,
        "status": status,
        "reason": reason,
        "document_id": document_id,
        "processed_at": datetime.now(UTC),
    }
    upsert(session, WarcRecord, values, ["warc_path", "record_offset"])


def mark_record(
    engine: Engine, warc_path: str, offset: int, target_uri: str | None, status: str, reason: str | None
) -> None:
    """A WARC record that produced no document (skipped, failed)."""
    with session_scope(engine) as session:
        _mark_record(session, warc_path, offset, target_uri, status, reason, None)


def store_processed(engine: Engine, record: DocumentRecord, warc_path: str, offset: int, target_uri: str | None) -> int:
    """The document extracted from a WARC record, and the record marked processed, in one transaction."""
    reason = record.status_reason if record.status != "extracted" else None
    with session_scope(engine) as session:
        document_id = upsert_document(session, record)
        _mark_record(session, warc_path, offset, target_uri, "processed", reason, document_id)
    return document_id


# -- Parquet partitions ---------------------------------------------------------------------------


def document_dates(engine: Engine) -> list[tuple[datetime | None, datetime | None]]:
    """(published_at, fetched_at) of every document."""
    with engine.connect() as conn:
        return [(p, f) for p, f in conn.execute(select(Document.published_at, Document.fetched_at))]


def documents_between(
    engine: Engine, first: date | None, last: date | None, columns: Iterable[str]
) -> list[dict[str, Any]]:
    """Documents (``columns`` plus ``source``) whose publication (else fetch) time falls in
    [first, last) (``None`` both: the documents with neither time), in id order."""
    if first is None or last is None:
        where = (Document.published_at.is_(None)) & (Document.fetched_at.is_(None))
    else:
        when = func.coalesce(Document.published_at, Document.fetched_at)
        where = (when >= first) & (when < last)
    stmt = (
        select(Document, Source.name)
        .outerjoin(Source, Source.id == Document.source_id)
        .where(where)
        .order_by(Document.id)
    )
    wanted = [c for c in columns if c != "source"]
    rows = []
    with session_scope(engine) as session:
        for doc, source in session.execute(stmt):
            row = {c: getattr(doc, c, None) for c in wanted}
            row["source"] = source
            rows.append(row)
    return rows


# -- near-duplicate decisions of the backfill -----------------------------------------------------


@dataclass(frozen=True)
class ProcessedDocument:
    warc_path: str
    offset: int
    id: int
    doc_key: str
    text: str | None
    status: str
    duplicate_of: int | None


def processed_documents(engine: Engine, warc_paths: Sequence[str], after_id: int) -> list[ProcessedDocument]:
    """Documents newer than ``after_id`` extracted (or found duplicate) from these WARC files."""
    stmt = (
        select(
            WarcRecord.warc_path,
            WarcRecord.record_offset,
            Document.id,
            Document.doc_key,
            Document.text,
            Document.status,
            Document.duplicate_of,
        )
        .join(Document, Document.id == WarcRecord.document_id)
        .where(
            WarcRecord.warc_path.in_(warc_paths),
            Document.id > after_id,
            Document.status.in_(("extracted", "duplicate")),
        )
    )
    with engine.connect() as conn:
        return [ProcessedDocument(*row) for row in conn.execute(stmt)]


def set_duplicate(engine: Engine, document_id: int, duplicate_of: int | None, reason: str | None) -> None:
    """Make a document a near-duplicate of ``duplicate_of`` (its events deleted, to be re-extracted
    never) or, with ``None``, a first copy again."""
    if duplicate_of is None:
        values: dict[str, Any] = {"status": "extracted", "status_reason": None, "duplicate_of": None}
    else:
        values = {"status": "duplicate", "status_reason": reason, "duplicate_of": duplicate_of}
    with session_scope(engine) as session:
        session.execute(update(Document).where(Document.id == document_id).values(**values))
        session.execute(update(WarcRecord).where(WarcRecord.document_id == document_id).values(reason=reason))
        if duplicate_of is not None:
            session.execute(delete(Event).where(Event.document_id == document_id))
            session.execute(
                update(Document)
                .where(Document.id == document_id)
                .values(pipeline_version=None, events_extracted_at=None, relevant=None, relevance=None)
            )
