"""Events, officials and sanctions as pandas DataFrames, filtered the way researchers ask."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, TypeAlias

import pandas as pd
from sqlalchemy import Engine, Select, and_, exists, func, or_, select

from pipeline.store.incidents import incident_regions_and_officials
from pipeline.store.models import (
    Document,
    Event,
    EventElection,
    EventOfficial,
    EventRegion,
    EventSanction,
    Evidence,
    Incident,
    IncidentMember,
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
    "incident_id",
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
            IncidentMember.incident_id,
            Event.date_from,
            Event.published_on,
        )
        .join(Document, Document.id == Event.document_id)
        .outerjoin(Source, Source.id == Document.source_id)
        .outerjoin(IncidentMember, IncidentMember.event_id == Event.id)
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
                "incident_id": r[17],
                "doc_key": r[1],
                "type": r[2],
                "subject": r[3],
                "date": r[4],
                "date_precision": r[5],
                "date_basis": date_basis(r[18], r[19]),
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
    return frame.astype({"count": "Int64", "incident_id": "Int64"})


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


# -- incidents ---------------------------------------------------------------------------------------

INCIDENT_COLUMNS = [
    "incident_id",
    "type",
    "date",
    "date_precision",
    "regions",
    "officials",
    "documents",
    "outlets",
    "reports",
    "first_seen",
    "last_seen",
]


@dataclass(frozen=True)
class IncidentFilter:
    region: str | None = None  # a code; a province or regency code also matches the regions inside it
    since: date | None = None  # incidents whose date range ends on or after this day
    until: date | None = None  # incidents whose date range starts on or before this day
    type: str | None = None


def _outlet_of(source: str | None, url: str | None) -> str | None:
    from urllib.parse import urlsplit

    if source:
        return source
    host = urlsplit(url).hostname if url else None
    return host.removeprefix("www.") if host else None


def incident_records(engine: Engine, flt: IncidentFilter | None = None) -> list[dict[str, Any]]:
    """The active incidents matching ``flt``, as the ``netra incidents --format jsonl`` records.

    ``regions`` and ``officials`` are the union over the reports (officials by first spelling, sorted);
    ``documents`` the reports' document ids (the input id for ingested JSON Lines) by publication;
    ``outlets`` the number of distinct outlets (source, or the URL's site) among them.
    """
    flt = flt or IncidentFilter()
    stmt = select(
        Incident.id,
        Incident.type,
        Incident.date,
        Incident.date_precision,
        Incident.first_seen,
        Incident.last_seen,
        Incident.reports,
    ).where(Incident.status == "active")
    if flt.region:
        tagged = (
            select(IncidentMember.incident_id)
            .join(EventRegion, EventRegion.event_id == IncidentMember.event_id)
            .where(or_(EventRegion.region_code == flt.region, EventRegion.region_code.like(f"{flt.region}.%")))
        )
        stmt = stmt.where(Incident.id.in_(tagged))
    if flt.since:
        stmt = stmt.where(Incident.date_to >= flt.since)
    if flt.until:
        stmt = stmt.where(Incident.date_from <= flt.until)
    if flt.type:
        stmt = stmt.where(Incident.type == flt.type)
    stmt = stmt.order_by(Incident.date_from.is_(None), Incident.date_from, Incident.id)
    with engine.connect() as conn:
        incidents = conn.execute(stmt).all()
        ids = [r.id for r in incidents]
        members: dict[int, list[Any]] = {}
        regions: dict[int, set[str]] = {}
        officials: dict[int, dict[Any, str]] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            for m in conn.execute(
                select(
                    IncidentMember.incident_id,
                    Document.doc_key,
                    Document.published_at,
                    Document.canonical_url,
                    Document.url,
                    Source.name,
                )
                .join(Event, Event.id == IncidentMember.event_id)
                .join(Document, Document.id == Event.document_id)
                .outerjoin(Source, Source.id == Document.source_id)
                .where(IncidentMember.incident_id.in_(chunk))
                .order_by(Document.published_at.is_(None), Document.published_at, Document.doc_key)
            ):
                members.setdefault(m.incident_id, []).append(m)
            chunk_regions, chunk_officials = incident_regions_and_officials(conn, chunk)
            regions.update(chunk_regions)
            officials.update(chunk_officials)
    out = []
    for r in incidents:
        reports = members.get(r.id, [])
        documents = list(dict.fromkeys(m.doc_key for m in reports))
        outlets = {_outlet_of(m.name, m.canonical_url or m.url) or m.doc_key for m in reports}
        out.append(
            {
                "incident_id": r.id,
                "type": r.type,
                "date": r.date,
                "date_precision": r.date_precision,
                "regions": sorted(regions.get(r.id, ())),
                "officials": sorted(officials.get(r.id, {}).values()),
                "documents": documents,
                "outlets": len(outlets),
                "reports": r.reports,
                "first_seen": _utc(r.first_seen),
                "last_seen": _utc(r.last_seen),
            }
        )
    return out


def _utc(value: Any) -> Any:
    """SQLite hands timestamps back without their zone; they were written in UTC."""
    from datetime import UTC

    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def incidents_frame(engine: Engine, flt: IncidentFilter | None = None) -> pd.DataFrame:
    """One row per incident: regions, officials and documents ``;``-separated (see ``incident_records``)."""
    records = incident_records(engine, flt)
    rows = [
        {
            **r,
            "regions": ";".join(r["regions"]),
            "officials": ";".join(r["officials"]),
            "documents": ";".join(r["documents"]),
        }
        for r in records
    ]
    frame = pd.DataFrame.from_records(rows, columns=INCIDENT_COLUMNS)
    for column in ("first_seen", "last_seen"):
        frame[column] = pd.to_datetime(frame[column], utc=True)
    return frame.astype({"incident_id": "int64", "outlets": "int64", "reports": "int64"})


def resolve_incident_id(engine: Engine, incident_id: int) -> int | None:
    """The id a saved incident id goes by now (merges followed), ``None`` for an id never given."""
    from pipeline.store.db import session_scope
    from pipeline.store.incidents import resolve_incident

    with session_scope(engine) as session:
        return resolve_incident(session, incident_id)


def coverage_frame(engine: Engine, level: str = "regency", flt: IncidentFilter | None = None) -> pd.DataFrame:
    """Incidents (and events) per region and month: one row per (region, month) with any.

    A happening reported by five outlets counts once. The month is the incident's (for an event in no
    incident, its own) start date; undated ones count nowhere. ``level``: ``regency`` (kabupaten/kota,
    from codes of a regency or a kecamatan in it) or ``province``.
    """
    flt = flt or IncidentFilter()
    width = 5 if level == "regency" else 2
    month_from = func.coalesce(Incident.date_from, Event.date_from)
    stmt = (
        select(
            func.substr(EventRegion.region_code, 1, width).label("region"),
            Event.id,
            IncidentMember.incident_id,
            month_from.label("day"),
        )
        .select_from(EventRegion)
        .join(Event, Event.id == EventRegion.event_id)
        .outerjoin(IncidentMember, IncidentMember.event_id == Event.id)
        .outerjoin(Incident, Incident.id == IncidentMember.incident_id)
        .where(month_from.is_not(None))
    )
    if level == "regency":
        stmt = stmt.where(func.length(EventRegion.region_code) >= 5)
    if flt.region:
        stmt = stmt.where(or_(EventRegion.region_code == flt.region, EventRegion.region_code.like(f"{flt.region}.%")))
    if flt.type:
        stmt = stmt.where(func.coalesce(Incident.type, Event.type) == flt.type)
    if flt.since:
        stmt = stmt.where(month_from >= flt.since)
    if flt.until:
        stmt = stmt.where(month_from <= flt.until)
    incidents: dict[tuple[str, str], set[str]] = {}
    events: dict[tuple[str, str], set[int]] = {}
    with engine.connect() as conn:
        for region, event_id, incident_id, day in conn.execute(stmt):
            key = (region, day.isoformat()[:7])
            incidents.setdefault(key, set()).add(f"i{incident_id}" if incident_id is not None else f"e{event_id}")
            events.setdefault(key, set()).add(event_id)
    rows = [
        {
            "region": region,
            "month": month,
            "incidents": len(incidents[(region, month)]),
            "events": len(events[(region, month)]),
        }
        for region, month in sorted(incidents)
    ]
    return pd.DataFrame(rows, columns=["region", "month", "incidents", "events"]).astype(
        {"incidents": "int64", "events": "int64"}
    )
