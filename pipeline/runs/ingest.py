"""Text → events → store, for JSON Lines input (``extract-text``, ``ingest-text``) and stored documents."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from pipeline.jsonl import RecordError, read_articles
from pipeline.logs import get_logger
from pipeline.schema import ArticleInput, ArticleResult, DocumentRecord
from pipeline.store.db import Engine, Session, session_scope
from pipeline.store.documents import mark_document_failed, pending_inputs, upsert_document
from pipeline.store.events import InvalidRecord, store_events, validate_result
from pipeline.store.incidents import document_incidents, link_documents, unlink_documents, unlinked_documents
from pipeline.store.runs import RunRecorder

if TYPE_CHECKING:
    from pipeline.incidents import LinkSettings

log = get_logger(__name__)


class Extractor(Protocol):
    pipeline_version: str

    def extract(self, article: ArticleInput) -> ArticleResult: ...


@dataclass
class BatchSummary:
    read: int = 0
    stored: int = 0
    relevant: int = 0
    events: int = 0
    rejected: list[str] = field(default_factory=list)
    new_incidents: int = 0
    joins: int = 0
    merges: int = 0

    @property
    def ok(self) -> bool:
        return not self.rejected


def extract_records(
    records: Iterable[ArticleInput | RecordError], extractor: Extractor, summary: BatchSummary
) -> Iterator[tuple[ArticleInput, ArticleResult]]:
    """Extract events per record; bad records and failed extractions are logged, counted and skipped."""
    for item in records:
        summary.read += 1
        if isinstance(item, RecordError):
            summary.rejected.append(str(item))
            log.error("rejected %s", item)
            continue
        try:
            result = extractor.extract(item)
        except Exception as exc:  # one bad article must not stop the batch
            message = f"record {item.id!r}: extraction failed: {type(exc).__name__}: {exc}"
            summary.rejected.append(message)
            log.error("rejected %s", message)
            continue
        summary.relevant += result.relevant
        summary.events += len(result.events)
        yield item, result


def article_document(article: ArticleInput) -> DocumentRecord:
    from datetime import UTC, datetime, time

    return DocumentRecord(
        doc_key=article.id,
        url=article.url,
        canonical_url=article.url,
        title=article.title,
        published_at=datetime.combine(article.published, time(), tzinfo=UTC) if article.published else None,
        text=article.text,
        dateline_city=article.dateline_city,
        extractor="jsonl-input",
        extractor_version="1",
        status="extracted",
    )


def store_and_link(
    session: Session,
    document_id: int,
    result: ArticleResult,
    summary: BatchSummary,
    link: LinkSettings | None = None,
) -> None:
    """Replace the document's events and re-link them into incidents, in the caller's transaction."""
    previous = document_incidents(session, document_id)
    store_events(session, document_id, result)
    linked = link_documents(session, [document_id], settings=link, previous=previous)
    summary.new_incidents += len(linked.new_incidents)
    summary.joins += len(linked.joins)
    summary.merges += len(linked.merges)


def ingest_text(
    engine: Engine,
    path: Path,
    extractor: Extractor,
    run: RunRecorder | None = None,
    link: LinkSettings | None = None,
) -> BatchSummary:
    """Extract and store every record of ``path``; each record in its own transaction, linked with ``link``
    (default: the configured ``[incidents]`` settings)."""
    summary = BatchSummary()
    for article, result in extract_records(read_articles(path), extractor, summary):
        try:
            validate_result(result)  # reject before touching anything
            with session_scope(engine) as session:
                document_id = upsert_document(session, article_document(article))
                store_and_link(session, document_id, result, summary, link)
        except InvalidRecord as exc:
            summary.rejected.append(str(exc))
            log.error("rejected %s", exc)
            continue
        summary.stored += 1
    if run is not None:
        run.count("ingest", "read", summary.read)
        run.count("ingest", "stored", summary.stored)
        run.count("ingest", "events", summary.events)
        _count_incidents(run, "ingest", summary)
        for message in summary.rejected:
            run.add_error("ingest", str(path), message)
    return summary


def extract_pending(
    engine: Engine,
    extractor: Extractor,
    run: RunRecorder | None = None,
    batch: int = 200,
    link: LinkSettings | None = None,
) -> BatchSummary:
    """Run event extraction on stored documents not yet processed by this pipeline version."""
    summary = BatchSummary()
    while True:
        docs = pending_inputs(engine, extractor.pipeline_version, batch)
        if not docs:
            return summary
        progressed = False
        for doc_id, article in docs:
            summary.read += 1
            try:
                result = extractor.extract(article)
                with session_scope(engine) as session:
                    store_and_link(session, doc_id, result, summary, link)
            except Exception as exc:
                message = f"document {article.id!r}: {type(exc).__name__}: {exc}"
                summary.rejected.append(message)
                if run is not None:
                    run.add_error("events", article.id, message)
                mark_document_failed(engine, doc_id, message)
                continue
            progressed = True
            summary.stored += 1
            summary.relevant += result.relevant
            summary.events += len(result.events)
            if run is not None:
                run.count("events", "documents")
                run.count("events", "events", len(result.events))
        if not progressed and len(docs) < batch:
            return summary


def _count_incidents(run: RunRecorder, stage: str, summary: BatchSummary) -> None:
    run.count(stage, "new_incidents", summary.new_incidents)
    run.count(stage, "incident_joins", summary.joins)
    run.count(stage, "incident_merges", summary.merges)


def link_unlinked(engine: Engine, batch: int = 200, link: LinkSettings | None = None) -> BatchSummary:
    """Link the documents whose events are in no incident, ``batch`` documents per transaction."""
    summary = BatchSummary()
    while True:
        with session_scope(engine) as session:
            documents = unlinked_documents(session, batch)
            if not documents:
                return summary
            # a document half linked (never, but cheap to rule out) is re-linked whole
            previous = {k: v for d in documents for k, v in document_incidents(session, d).items()}
            unlink_documents(session, documents)
            linked = link_documents(session, documents, settings=link, previous=previous)
        summary.stored += len(documents)
        summary.new_incidents += len(linked.new_incidents)
        summary.joins += len(linked.joins)
        summary.merges += len(linked.merges)
