"""Writing events (and the documents they come from) to the store.

Idempotence is the rule: a document is keyed by ``doc_key`` and re-ingesting it
replaces its events in one transaction, so nothing is ever counted twice.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import UTC, date, datetime

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from pipeline.logs import get_logger
from pipeline.regions import is_known_code
from pipeline.schema import ArticleResult, DocumentRecord
from pipeline.schema import Event as EventRecord
from pipeline.store.db import session_scope
from pipeline.store.documents import upsert_document
from pipeline.store.models import (
    Document,
    Event,
    EventElection,
    EventOfficial,
    EventRegion,
    EventSanction,
    Evidence,
    Person,
)
from pipeline.store.upsert import upsert

log = get_logger(__name__)


class InvalidRecord(ValueError):
    """A record that cannot be stored; the message names the record and what is wrong."""


# Academic and religious degrees, removed when building a person's key.
_DEGREE = re.compile(
    r"\b(?:drs?|dra|hj?|ir|prof|kh|s\.?\s?(?:stp|sos|ip|h|e|pd|kom|t|ag|hut|ked|si|psi)|se|sh|sstp|sip|"
    r"m\.?\s?(?:si|sc|m|h|ap|pd|ag|kes|kom|t|e|hum|ba|pa)|map|mm|mh|msi|mba|phd|ak|ca|cpa)\b\.?",
    re.IGNORECASE,
)


def person_key(name: str) -> str:
    """A person's identity key: accents and degrees removed, case-folded, single-spaced."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _DEGREE.sub(" ", text)
    text = re.sub(r"[^\w\s]", " ", text.casefold())
    return " ".join(text.split())


def date_range(value: str | None, precision: str | None) -> tuple[date | None, date | None]:
    """The first and last day a contract date (``YYYY-MM-DD`` / ``YYYY-MM`` / ``YYYY``) covers."""
    if not value:
        return None, None
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        day = date(*parts)
        return day, day
    if len(parts) == 2:
        year, month = parts
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    return date(parts[0], 1, 1), date(parts[0], 12, 31)


def _person_id(session: Session, name: str) -> int:
    key = person_key(name) or name.casefold()
    upsert(session, Person, {"name": name, "name_key": key}, ["name_key"], update=None)
    return int(session.execute(select(Person.id).where(Person.name_key == key)).scalar_one())


def validate_result(result: ArticleResult) -> None:
    for number, event in enumerate(result.events):
        codes = list(event.regions) + [o.region for o in event.officials if o.region]
        for code in codes:
            if not is_known_code(code):
                raise InvalidRecord(f"record {result.id!r}: event {number}: unknown region code {code!r}")


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


def sentence_around(text: str | None, start: int | None, end: int | None) -> str | None:
    """The sentence of ``text`` that holds the span ``start:end`` (for evidence given as offsets only)."""
    if not text or start is None or end is None or not 0 <= start <= end <= len(text):
        return None
    left = 0
    for match in _SENTENCE_END.finditer(text, 0, start):
        left = match.end()
    after = _SENTENCE_END.search(text, max(end, left))
    right = after.start() if after else len(text)
    return text[left:right].strip() or None


def _evidence_rows(document_id: int, text: str | None, event: EventRecord, now_version: str) -> list[Evidence]:
    rows = [
        Evidence(
            document_id=document_id,
            field=p.field,
            char_start=p.start,
            char_end=p.end,
            sentence=p.sentence or sentence_around(text, p.start, p.end),
            rule=p.rule,
            rule_version=p.version,
            confidence=p.confidence,
        )
        for p in event.provenance
    ]
    # The event's own evidence sentences, located in the text.
    for sentence in event.evidence:
        start = text.find(sentence) if text else -1
        rows.append(
            Evidence(
                document_id=document_id,
                field="event",
                char_start=start if start >= 0 else None,
                char_end=start + len(sentence) if start >= 0 else None,
                sentence=sentence,
                rule="events.assemble",
                rule_version=now_version,
                confidence=event.confidence,
            )
        )
    return rows


def store_events(session: Session, document_id: int, result: ArticleResult) -> int:
    """Replace the events of ``document_id`` by those of ``result`` (in the caller's transaction)."""
    validate_result(result)
    document = session.get(Document, document_id)
    if document is None:
        raise InvalidRecord(f"record {result.id!r}: no document with id {document_id}")
    session.execute(delete(Event).where(Event.document_id == document_id))
    now = datetime.now(UTC)
    document.relevant = result.relevant
    document.relevance = result.relevance_score
    document.events_extracted_at = now
    document.pipeline_version = result.pipeline_version
    published_on = document.published_day()
    for ordinal, item in enumerate(result.events):
        date_from, date_to = date_range(item.date, item.date_precision)
        event = Event(
            document_id=document_id,
            ordinal=ordinal,
            type=item.type,
            subject=item.subject,
            date=item.date,
            date_precision=item.date_precision,
            date_from=date_from,
            date_to=date_to,
            published_on=published_on,
            scope=item.scope,
            organizer=item.organizer,
            venue=item.venue,
            count=item.count,
            confidence=item.confidence,
            pipeline_version=result.pipeline_version,
            created_at=now,
        )
        event.regions = [EventRegion(region_code=code) for code in dict.fromkeys(item.regions)]
        event.officials = [
            EventOfficial(
                person_id=_person_id(session, o.name),
                name=o.name,
                office=o.office,
                acting=o.acting,
                region_code=o.region,
                role=o.role,
            )
            for o in item.officials
        ]
        event.sanctions = [EventSanction(kind=s.kind, status=s.status) for s in item.sanctions]
        event.elections = [EventElection(kind=e.kind, year=e.year) for e in item.elections]
        event.evidence = _evidence_rows(document_id, document.text, item, result.pipeline_version)
        session.add(event)
    session.flush()
    return len(result.events)


def store_article(engine: Engine, record: DocumentRecord, result: ArticleResult | None) -> int:
    """Upsert the document, replace its events and re-link them into incidents, all in one transaction;
    return the document id."""
    from pipeline.store.incidents import document_incidents, link_documents

    if result is not None:
        validate_result(result)  # reject before touching anything
    with session_scope(engine) as session:
        document_id = upsert_document(session, record)
        if result is not None:
            previous = document_incidents(session, document_id)
            store_events(session, document_id, result)
            link_documents(session, [document_id], previous=previous)
        return document_id
