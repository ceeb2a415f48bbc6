"""A canonical, id-free dump of what a store *means*, to compare two databases.

Database ids, timestamps of processing and WARC offsets differ between a run that was
killed and resumed and one that was not; documents (by ``doc_key`` and content hash),
their status and events with every slot and provenance must not.  Used by the fault
and backfill tests, and handy for operators comparing a migrated or rebuilt store.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import aliased

from pipeline.store.models import (
    CrawlUrl,
    Document,
    Event,
    EventElection,
    EventOfficial,
    EventRegion,
    EventSanction,
    Evidence,
    Source,
)


def _iso(value) -> str | None:
    if value is None:
        return None
    if value.tzinfo is not None:  # PostgreSQL answers in the session time zone; SQLite stores UTC
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat()[:19]


def _round(value: float | None) -> float | None:
    return round(value, 6) if value is not None else None


def canonical_dump(engine: Engine, crawl: bool = True) -> dict[str, Any]:
    """``{"documents": {doc_key: ...}, "events": {"doc_key#ordinal": ...}, "crawl_urls": {url: status}}``."""
    first = aliased(Document)
    out: dict[str, Any] = {"documents": {}, "events": {}, "crawl_urls": {}}
    with engine.connect() as conn:
        docs = conn.execute(
            select(
                Document.id,
                Document.doc_key,
                Document.content_sha256,
                Document.status,
                first.doc_key,
                Document.relevant,
                Document.relevance,
                Document.pipeline_version,
                Document.title,
                Document.canonical_url,
                Document.url,
                Document.published_at,
                Document.language,
                Source.name,
                Document.dateline_city,
            )
            .outerjoin(first, first.id == Document.duplicate_of)
            .outerjoin(Source, Source.id == Document.source_id)
        ).all()
        key_of = {}
        for row in docs:
            key_of[row[0]] = row[1]
            out["documents"][row[1]] = {
                "sha256": row[2],
                "status": row[3],
                "duplicate_of": row[4],
                "relevant": row[5],
                "relevance": _round(row[6]),
                "pipeline_version": row[7],
                "title": row[8],
                "canonical_url": row[9],
                "url": row[10],
                "published_at": _iso(row[11]),
                "language": row[12],
                "source": row[13],
                "dateline_city": row[14],
            }
        events = conn.execute(
            select(
                Event.id,
                Event.document_id,
                Event.ordinal,
                Event.type,
                Event.subject,
                Event.date,
                Event.date_precision,
                Event.scope,
                Event.organizer,
                Event.venue,
                Event.count,
                Event.confidence,
                Event.pipeline_version,
            )
        ).all()
        key_of_event = {}
        for e in events:
            key = f"{key_of[e[1]]}#{e[2]}"
            key_of_event[e[0]] = key
            out["events"][key] = {
                "type": e[3],
                "subject": e[4],
                "date": e[5],
                "date_precision": e[6],
                "scope": e[7],
                "organizer": e[8],
                "venue": e[9],
                "count": e[10],
                "confidence": _round(e[11]),
                "pipeline_version": e[12],
                "regions": [],
                "officials": [],
                "sanctions": [],
                "elections": [],
                "evidence": [],
            }

        def attach(slot: str, stmt) -> None:
            for row in conn.execute(stmt):
                out["events"][key_of_event[row[0]]][slot].append(list(row[1:]))

        attach(
            "regions",
            select(EventRegion.event_id, EventRegion.region_code).order_by(
                EventRegion.event_id, EventRegion.region_code
            ),
        )
        attach(
            "officials",
            select(
                EventOfficial.event_id,
                EventOfficial.name,
                EventOfficial.office,
                EventOfficial.acting,
                EventOfficial.region_code,
                EventOfficial.role,
            ).order_by(EventOfficial.id),
        )
        attach(
            "sanctions",
            select(EventSanction.event_id, EventSanction.kind, EventSanction.status).order_by(EventSanction.id),
        )
        attach(
            "elections",
            select(EventElection.event_id, EventElection.kind, EventElection.year).order_by(EventElection.id),
        )
        attach(
            "evidence",
            select(
                Evidence.event_id,
                Evidence.field,
                Evidence.char_start,
                Evidence.char_end,
                Evidence.rule,
                Evidence.rule_version,
                Evidence.sentence,
            ).order_by(Evidence.id),
        )
        if crawl:
            for url, status in conn.execute(select(CrawlUrl.url, CrawlUrl.status)):
                out["crawl_urls"][url] = status
    return out


def diff_dumps(left: dict[str, Any], right: dict[str, Any], limit: int = 10) -> list[str]:
    """Human-readable differences (at most ``limit`` per section); empty when equal."""
    problems: list[str] = []
    for section in ("documents", "events", "crawl_urls"):
        a, b = left.get(section, {}), right.get(section, {})
        only_a, only_b = sorted(set(a) - set(b)), sorted(set(b) - set(a))
        if only_a:
            problems.append(f"{section}: {len(only_a)} only in the first, e.g. {only_a[:limit]}")
        if only_b:
            problems.append(f"{section}: {len(only_b)} only in the second, e.g. {only_b[:limit]}")
        changed = [k for k in sorted(set(a) & set(b)) if a[k] != b[k]]
        for key in changed[:limit]:
            fields = (
                sorted(f for f in set(a[key]) | set(b[key]) if a[key].get(f) != b[key].get(f))
                if isinstance(a[key], dict)
                else []
            )
            detail = (
                "; ".join(f"{f}: {a[key].get(f)!r} != {b[key].get(f)!r}" for f in fields[:4])
                if fields
                else f"{a[key]!r} != {b[key]!r}"
            )
            problems.append(f"{section}[{key}]: {detail}")
        if len(changed) > limit:
            problems.append(f"{section}: {len(changed) - limit} more differ")
    return problems
