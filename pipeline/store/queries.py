"""Events, officials and sanctions as pandas DataFrames, filtered the way researchers ask."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, TypeAlias

import pandas as pd
from sqlalchemy import Engine, Select, and_, exists, func, or_, select

from pipeline.store.models import (
    Document,
    Event,
    EventElection,
    EventOfficial,
    EventRegion,
    EventSanction,
    Evidence,
    Source,
)

AnySelect: TypeAlias = "Select[*tuple[Any, ...]]"


@dataclass(frozen=True)
class EventFilter:
    region: str | None = None  # a code; a province or regency code also matches the regions inside it
    # Events whose date range ends on or after ``since`` / starts on or before ``until``; an
    # undated event is matched by its document's publication day (``date_basis`` = published).
    since: date | None = None
    until: date | None = None
    type: str | None = None
    person: str | None = None  # case-insensitive substring of an official's name

    def apply(self, stmt: AnySelect) -> AnySelect:
        if self.region:
            stmt = stmt.where(
                exists().where(
                    and_(
                        EventRegion.event_id == Event.id,
                        or_(EventRegion.region_code == self.region, EventRegion.region_code.like(f"{self.region}.%")),
                    )
                )
            )
        if self.since:
            stmt = stmt.where(func.coalesce(Event.date_to, Event.published_on) >= self.since)
        if self.until:
            stmt = stmt.where(func.coalesce(Event.date_from, Event.published_on) <= self.until)
        if self.type:
            stmt = stmt.where(Event.type == self.type)
        if self.person:
            stmt = stmt.where(
                exists().where(and_(EventOfficial.event_id == Event.id, EventOfficial.name.ilike(f"%{self.person}%")))
            )
        return stmt


EVENT_COLUMNS = [
    "event_id",
    "doc_key",
    "type",
    "subject",
    "date",
    "date_precision",
    "date_basis",
    "scope",
    "organizer",
    "venue",
    "regions",
    "officials",
    "sanctions",
    "elections",
    "count",
    "confidence",
    "title",
    "url",
    "source",
    "published_at",
    "evidence",
    "pipeline_version",
]


def date_basis(date_from: date | None, published_on: date | None) -> str | None:
    """What the date filters go by: the event's own date, else its document's publication day."""
    if date_from is not None:
        return "event"
    return "published" if published_on is not None else None


def _grouped(engine: Engine, stmt: AnySelect) -> dict[int, list[Any]]:
    out: dict[int, list[Any]] = {}
    with engine.connect() as conn:
        for row in conn.execute(stmt):
            out.setdefault(row[0], []).append(row[1:] if len(row) > 2 else row[1])
    return out


def events_frame(engine: Engine, flt: EventFilter | None = None) -> pd.DataFrame:
    """One row per event, with its regions, officials, sanctions and elections as compact text."""
    flt = flt or EventFilter()
    stmt = flt.apply(
        select(
            Event.id,
            Document.doc_key,
            Event.type,
            Event.subject,
            Event.date,
            Event.date_precision,
            Event.scope,
            Event.organizer,
            Event.venue,
            Event.count,
            Event.confidence,
            Document.title,
            Document.canonical_url,
            Document.url,
            Source.name,
            Document.published_at,
            Event.pipeline_version,
            Event.date_from,
            Event.published_on,
        )
        .join(Document, Document.id == Event.document_id)
        .outerjoin(Source, Source.id == Document.source_id)
        .order_by(Event.date_from.is_(None), Event.date_from, Event.id)
    )
    with engine.connect() as conn:
        rows = conn.execute(stmt).all()
    ids = [r[0] for r in rows]
    if not ids:
        empty = pd.DataFrame(columns=EVENT_COLUMNS)
        empty["published_at"] = pd.to_datetime(empty["published_at"], utc=True).astype("datetime64[ns, UTC]")
        return empty
    regions = _grouped(
        engine, select(EventRegion.event_id, EventRegion.region_code).where(EventRegion.event_id.in_(ids))
    )
    officials = _grouped(
        engine,
        select(
            EventOfficial.event_id,
            EventOfficial.name,
            EventOfficial.acting,
            EventOfficial.office,
            EventOfficial.region_code,
            EventOfficial.role,
        )
        .where(EventOfficial.event_id.in_(ids))
        .order_by(EventOfficial.id),
    )
    sanctions = _grouped(
        engine,
        select(EventSanction.event_id, EventSanction.kind, EventSanction.status)
        .where(EventSanction.event_id.in_(ids))
        .order_by(EventSanction.id),
    )
    elections = _grouped(
        engine,
        select(EventElection.event_id, EventElection.kind, EventElection.year)
        .where(EventElection.event_id.in_(ids))
        .order_by(EventElection.id),
    )
    evidence = _grouped(
        engine,
        select(Evidence.event_id, Evidence.sentence)
        .where(Evidence.event_id.in_(ids), Evidence.field == "event")
        .order_by(Evidence.id),
    )

    def official_text(o: Any) -> str:
        name, acting, office, region, role = o
        title = " ".join(p for p in ((acting or "").upper(), office or "") if p)
        return f"{name} ({title}{', ' + region if region else ''}; {role or '?'})"

    records = []
    for r in rows:
        eid = r[0]
        records.append(
            {
                "event_id": eid,
                "doc_key": r[1],
                "type": r[2],
                "subject": r[3],
                "date": r[4],
                "date_precision": r[5],
                "date_basis": date_basis(r[17], r[18]),
                "scope": r[6],
                "organizer": r[7],
                "venue": r[8],
                "regions": ";".join(sorted(regions.get(eid, []))),
                "officials": "; ".join(official_text(o) for o in officials.get(eid, [])),
                "sanctions": ";".join(f"{k}:{s}" for k, s in sanctions.get(eid, [])),
                "elections": ";".join(f"{k}:{y or ''}" for k, y in elections.get(eid, [])),
                "count": r[9],
                "confidence": r[10],
                "title": r[11],
                "url": r[12] or r[13],
                "source": r[14],
                "published_at": r[15],
                "evidence": " | ".join(s for s in evidence.get(eid, []) if s),
                "pipeline_version": r[16],
            }
        )
    frame = pd.DataFrame.from_records(records, columns=EVENT_COLUMNS)
    # Aware UTC on both back ends (the export schema's dtype).
    frame["published_at"] = pd.to_datetime(frame["published_at"], utc=True).astype("datetime64[ns, UTC]")
    return frame.astype({"count": "Int64"})


def officials_frame(engine: Engine, flt: EventFilter | None = None) -> pd.DataFrame:
    """One row per (event, official)."""
    flt = flt or EventFilter()
    stmt = flt.apply(
        select(
            EventOfficial.event_id,
            Document.doc_key,
            Event.type,
            Event.date,
            EventOfficial.name,
            EventOfficial.person_id,
            EventOfficial.office,
            EventOfficial.acting,
            EventOfficial.region_code,
            EventOfficial.role,
        )
        .join(Event, Event.id == EventOfficial.event_id)
        .join(Document, Document.id == Event.document_id)
        .order_by(EventOfficial.event_id, EventOfficial.id)
    )
    with engine.connect() as conn:
        return pd.DataFrame(
            conn.execute(stmt).all(),
            columns=["event_id", "doc_key", "type", "date", "name", "person_id", "office", "acting", "region", "role"],
        )


def sanctions_frame(engine: Engine, flt: EventFilter | None = None) -> pd.DataFrame:
    """One row per (event, sanction)."""
    flt = flt or EventFilter()
    stmt = flt.apply(
        select(
            EventSanction.event_id,
            Document.doc_key,
            Event.ordinal,
            Event.type,
            Event.date,
            Event.count,
            EventSanction.kind,
            EventSanction.status,
            Document.canonical_url,
            Document.url,
        )
        .join(Event, Event.id == EventSanction.event_id)
        .join(Document, Document.id == Event.document_id)
        .order_by(EventSanction.event_id, EventSanction.id)
    )
    with engine.connect() as conn:
        rows = conn.execute(stmt).all()
    ids = sorted({r[0] for r in rows})
    regions = (
        _grouped(engine, select(EventRegion.event_id, EventRegion.region_code).where(EventRegion.event_id.in_(ids)))
        if ids
        else {}
    )
    records = [(*r[:8], r[8] or r[9], ";".join(sorted(regions.get(r[0], [])))) for r in rows]
    frame = pd.DataFrame(records, columns=SANCTION_COLUMNS)
    return frame.astype({"count": "Int64", "ordinal": "int64"})


SANCTION_COLUMNS = ["event_id", "doc_key", "ordinal", "type", "date", "count", "kind", "status", "url", "regions"]


EVIDENCE_COLUMNS = [
    "event_id",
    "doc_key",
    "url",
    "field",
    "char_start",
    "char_end",
    "sentence",
    "rule",
    "rule_version",
    "confidence",
]


def evidence_frame(engine: Engine, flt: EventFilter | None = None) -> pd.DataFrame:
    """One row per stored field's provenance: which text span (character offsets into the
    document text) and which rule or model, at which version, produced it."""
    flt = flt or EventFilter()
    stmt = flt.apply(
        select(
            Evidence.event_id,
            Document.doc_key,
            Document.canonical_url,
            Document.url,
            Evidence.field,
            Evidence.char_start,
            Evidence.char_end,
            Evidence.sentence,
            Evidence.rule,
            Evidence.rule_version,
            Evidence.confidence,
        )
        .join(Event, Event.id == Evidence.event_id)
        .join(Document, Document.id == Event.document_id)
        .order_by(Evidence.event_id, Evidence.id)
    )
    with engine.connect() as conn:
        rows = [(r[0], r[1], r[2] or r[3], *r[4:]) for r in conn.execute(stmt)]
    frame = pd.DataFrame(rows, columns=EVIDENCE_COLUMNS)
    return frame.astype({"char_start": "Int64", "char_end": "Int64"})


def event_keys(engine: Engine) -> dict[int, str]:
    """Each event's stable key ``<doc_key>#<ordinal>`` (the exports' join key), by event id."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(Event.id, Document.doc_key, Event.ordinal).join(Document, Document.id == Event.document_id)
        )
        return {event_id: f"{doc_key}#{ordinal}" for event_id, doc_key, ordinal in rows}
