"""Incidents in the store: link stored events into incidents, incrementally, with stable ids.

    previous = document_incidents(session, doc_id)      # before its events are replaced
    store_events(session, doc_id, result)               # membership rows go with the old events
    link_documents(session, [doc_id], previous=previous)  # same transaction

``link_documents`` builds the linker's inputs (``pipeline.incidents.EventToLink``) from the stored events
of the documents, loads only the candidate incidents (active incidents of the same kinds whose date window
meets the new events' windows: the linker's own blocking then picks pairs), links, and writes the
memberships (with the links' scores and reasons), the new incidents and the merges.

Ids: a new incident takes one above the largest id ever given (merged and emptied incidents keep their
rows, so an id is never reused); a merge keeps the older id and records ``old -> new``; an incident whose
reports were all re-extracted keeps its row (``empty``) and is taken back by the document's new events
when they form an incident of their own again, so re-extracting a document does not change its id.
How linking works: docs/incidents.md.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from sqlalchemy import ColumnElement, Connection, and_, delete, func, or_, select, update
from sqlalchemy.orm import Session

from pipeline.logs import get_logger
from pipeline.store.models import (
    Document,
    Event,
    EventOfficial,
    EventRegion,
    EventSanction,
    Incident,
    IncidentMember,
    IncidentMerge,
    Source,
)

if TYPE_CHECKING:
    from pipeline.incidents import EventToLink, ExistingIncident, LinkResult, LinkSettings

log = get_logger(__name__)

LINKER_VERSION = "netra-incidents 0.1.0"
# Precision order of a date: the finest wins when an incident's date is chosen from its members.
_FINER = {"day": 0, "month": 1, "year": 2}
_STAGES = ("imposed", "recommended")


def linker_version(settings: LinkSettings) -> str:
    """The linker's version with a fingerprint of its settings (kept with every membership)."""
    digest = hashlib.sha256(repr(sorted(asdict(settings).items())).encode()).hexdigest()[:6]
    return f"{LINKER_VERSION}+{digest}"


def event_key(doc_key: str, ordinal: int) -> str:
    return f"{doc_key}#{ordinal}"


# -- reading events as the linker sees them ---------------------------------------------------------


def _outlet(url: str | None, source: str | None) -> str | None:
    if source:
        return source
    host = urlsplit(url).hostname if url else None
    return host.removeprefix("www.") if host else None


def _text(title: str | None, body: str | None) -> str:
    title, body = title or "", body or ""
    return f"{title}\n{body}" if title and not body.startswith(title) else body


def _events_to_link(session: Session, condition: Any) -> list[tuple[int, EventToLink]]:
    """(event row id, EventToLink) for the stored events matching ``condition`` (a WHERE on Event/Document)."""
    from pipeline.incidents import EventToLink

    rows = session.execute(
        select(
            Event.id,
            Event.ordinal,
            Event.type,
            Event.date,
            Event.date_precision,
            Document.doc_key,
            Document.published_at,
            Document.title,
            Document.text,
            Document.canonical_url,
            Document.url,
            Source.name,
        )
        .join(Document, Document.id == Event.document_id)
        .outerjoin(Source, Source.id == Document.source_id)
        .where(condition)
        .order_by(Event.id)
    ).all()
    ids = [r.id for r in rows]
    regions: dict[int, list[str]] = {}
    officials: dict[int, list[str]] = {}
    statuses: dict[int, set[str]] = {}
    for chunk in _chunks(ids):
        for event_id, code in session.execute(
            select(EventRegion.event_id, EventRegion.region_code)
            .where(EventRegion.event_id.in_(chunk))
            .order_by(EventRegion.event_id, EventRegion.region_code)
        ):
            regions.setdefault(event_id, []).append(code)
        for event_id, name in session.execute(
            select(EventOfficial.event_id, EventOfficial.name)
            .where(EventOfficial.event_id.in_(chunk))
            .order_by(EventOfficial.id)
        ):
            officials.setdefault(event_id, []).append(name)
        for event_id, status in session.execute(
            select(EventSanction.event_id, EventSanction.status).where(EventSanction.event_id.in_(chunk))
        ):
            statuses.setdefault(event_id, set()).add(status)
    out = []
    for r in rows:
        stage = next((s for s in _STAGES if s in statuses.get(r.id, set())), None)
        out.append(
            (
                r.id,
                EventToLink(
                    event_id=event_key(r.doc_key, r.ordinal),
                    document_id=r.doc_key,
                    type=r.type,
                    date=r.date,
                    date_precision=r.date_precision,
                    published=r.published_at.date().isoformat() if r.published_at else None,
                    regions=tuple(regions.get(r.id, ())),
                    officials=tuple(officials.get(r.id, ())),
                    text=_text(r.title, r.text),
                    outlet=_outlet(r.canonical_url or r.url, r.name),
                    stage=stage,
                ),
            )
        )
    return out


def _chunks(ids: Sequence[int], size: int = 500) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _window(event: EventToLink, settings: LinkSettings) -> tuple[date, date] | None:
    """The days linking may compare ``event`` on (its date range and its publication window), with slack."""
    from pipeline.incidents.compare import event_range, publication_window

    spans = [
        s
        for s in (
            event_range(event.date, event.date_precision, event.published, settings),
            publication_window(event.published, settings),
        )
        if s is not None
    ]
    if not spans:
        return None
    slack = timedelta(days=settings.date_slack_days + settings.bucket_days)
    return min(s.start for s in spans) - slack, max(s.end for s in spans) + slack


# -- candidates --------------------------------------------------------------------------------------


def candidate_incidents(
    session: Session, events: Sequence[EventToLink], settings: LinkSettings
) -> tuple[list[ExistingIncident], dict[str, int]]:
    """The active incidents the new ``events`` may join: same kind, windows that meet (or no window).

    Returns the incidents (with their members as the linker sees them) and each member's event row id.
    """
    from pipeline.incidents import ExistingIncident
    from pipeline.incidents.linker import event_kind

    kinds: dict[str, list[tuple[date, date] | None]] = {}
    for e in events:
        kinds.setdefault(event_kind(e, settings)[0], []).append(_window(e, settings))
    if not kinds:
        return [], {}
    conditions = []
    for kind, windows in kinds.items():
        dated = [w for w in windows if w is not None]
        per_kind: list[ColumnElement[bool]] = [Incident.window_from.is_(None)]
        if len(dated) < len(windows):  # an event without any date may link to anything of its kind (by place)
            per_kind.append(Incident.window_from.is_not(None))
        elif dated:
            # One range per kind covering the batch's windows: a superset the linker's blocking narrows.
            start, end = min(w[0] for w in dated), max(w[1] for w in dated)
            per_kind.append(and_(Incident.window_from <= end, Incident.window_to >= start))
        conditions.append(and_(Incident.kind == kind, or_(*per_kind)))
    incident_ids = list(
        session.execute(select(Incident.id).where(Incident.status == "active", or_(*conditions))).scalars()
    )
    if not incident_ids:
        return [], {}
    members: dict[int, list[EventToLink]] = {}
    row_ids: dict[str, int] = {}
    for chunk in _chunks(incident_ids):
        membership = dict(
            session.execute(
                select(IncidentMember.event_id, IncidentMember.incident_id).where(IncidentMember.incident_id.in_(chunk))
            ).all()
        )
        for row_id, event in _events_to_link(session, Event.id.in_(list(membership))):
            members.setdefault(membership[row_id], []).append(event)
            row_ids[event.event_id] = row_id
    existing = [ExistingIncident(i, tuple(members[i])) for i in sorted(members)]
    return existing, row_ids


# -- linking -------------------------------------------------------------------------------------------


def document_incidents(session: Session, document_id: int) -> dict[str, int]:
    """Event key -> incident id of a document's stored events (call before its events are replaced)."""
    rows = session.execute(
        select(Document.doc_key, Event.ordinal, IncidentMember.incident_id)
        .join(Event, Event.document_id == Document.id)
        .join(IncidentMember, IncidentMember.event_id == Event.id)
        .where(Document.id == document_id)
    )
    return {event_key(doc_key, ordinal): incident for doc_key, ordinal, incident in rows}


def next_incident_id(session: Session) -> int:
    return int(session.execute(select(func.coalesce(func.max(Incident.id), 0))).scalar_one()) + 1


def unlink_documents(session: Session, document_ids: Sequence[int]) -> set[int]:
    """Remove the memberships of the documents' events; returns the incidents they were in."""
    event_ids = select(Event.id).where(Event.document_id.in_(document_ids))
    touched = set(
        session.execute(
            select(IncidentMember.incident_id).where(IncidentMember.event_id.in_(event_ids)).distinct()
        ).scalars()
    )
    session.execute(delete(IncidentMember).where(IncidentMember.event_id.in_(event_ids)))
    return touched


def link_documents(
    session: Session,
    document_ids: Sequence[int],
    settings: LinkSettings | None = None,
    previous: Mapping[str, int] | None = None,
) -> LinkResult:
    """Link the stored events of ``document_ids`` into the store's incidents, in the caller's transaction.

    The documents' events must not be members yet (``store_events`` removed the old ones; a caller re-linking
    without re-extracting calls ``unlink_documents`` first). ``previous`` maps event keys to the incidents
    the documents' events were in before re-extraction (``document_incidents``): an incident left empty by
    it is given back to the same events rather than a new id.
    """
    from pipeline.incidents import link_events
    from pipeline.incidents.linker import event_kind
    from pipeline.settings import configured_link_settings

    # none given (store_article, backfill): the [incidents] section of the configuration
    settings = settings or configured_link_settings()
    previous = dict(previous or {})
    document_ids = list(dict.fromkeys(document_ids))
    new = _events_to_link(session, Event.document_id.in_(document_ids)) if document_ids else []
    row_ids = {e.event_id: row_id for row_id, e in new}
    events = [e for _row, e in new]
    existing, member_rows = candidate_incidents(session, events, settings)
    row_ids.update(member_rows)
    emptied = _emptied(session, set(previous.values()))
    result = link_events(events, existing, settings, next_id=next_incident_id(session))
    renumber = _take_back(result, previous, emptied)
    now = datetime.now(UTC)
    version = linker_version(settings)

    for merge in result.merges:
        session.execute(
            update(Incident).where(Incident.id == merge.old_id).values(status="merged", merged_into=merge.new_id)
        )
        session.execute(
            update(IncidentMember).where(IncidentMember.incident_id == merge.old_id).values(incident_id=merge.new_id)
        )
        # a saved id pointing at the old one resolves through the chain; keep the chain one step deep
        session.execute(update(Incident).where(Incident.merged_into == merge.old_id).values(merged_into=merge.new_id))
        session.execute(update(IncidentMerge).where(IncidentMerge.new_id == merge.old_id).values(new_id=merge.new_id))
        session.add(
            IncidentMerge(old_id=merge.old_id, new_id=merge.new_id, bridge_event=merge.bridge_event, merged_at=now)
        )
    kinds = {e.event_id: e for e in events}
    for incident_id in result.new_incidents:
        final = renumber.get(incident_id, incident_id)
        if final != incident_id:
            continue  # an emptied incident taken back: its row exists
        first = next(e for e, i in result.assignments.items() if i == incident_id)
        kind, stage = event_kind(kinds[first], settings)
        session.add(
            Incident(id=incident_id, kind=kind, stage=stage, status="active", reports=0, created_at=now, updated_at=now)
        )
    session.flush()
    links_of: dict[str, list[dict[str, Any]]] = {}
    for link in result.links:
        for this, other in ((link.event_a, link.event_b), (link.event_b, link.event_a)):
            if this in kinds:
                links_of.setdefault(this, []).append({"with": other, "score": link.score, **asdict(link.reasons)})
    for key, incident_id in result.assignments.items():
        reasons = sorted(links_of.get(key, []), key=lambda r: -r["score"])
        session.add(
            IncidentMember(
                event_id=row_ids[key],
                incident_id=renumber.get(incident_id, incident_id),
                score=reasons[0]["score"] if reasons else None,
                reasons=reasons or None,
                linker_version=version,
                linked_at=now,
            )
        )
    session.flush()
    touched = {renumber.get(i, i) for i in result.assignments.values()} | set(previous.values())
    touched |= {m.old_id for m in result.merges}
    refresh_incidents(session, touched, settings, now)
    log.debug(
        "linked %d events of %d documents: %d candidates, %d new incidents, %d joins, %d merges",
        len(events),
        len(document_ids),
        len(existing),
        len(result.new_incidents),
        len(result.joins),
        len(result.merges),
    )
    return result


def _emptied(session: Session, incident_ids: set[int]) -> set[int]:
    """Those of ``incident_ids`` that no longer have any member."""
    if not incident_ids:
        return set()
    kept = set(
        session.execute(
            select(IncidentMember.incident_id).where(IncidentMember.incident_id.in_(incident_ids)).distinct()
        ).scalars()
    )
    return incident_ids - kept


def _take_back(result: LinkResult, previous: Mapping[str, int], emptied: set[int]) -> dict[int, int]:
    """New incident id -> the emptied incident its events were in before re-extraction (the smallest)."""
    renumber: dict[int, int] = {}
    taken: set[int] = set()
    for incident_id in result.new_incidents:
        olds = sorted(
            {previous[e] for e, i in result.assignments.items() if i == incident_id and e in previous} & emptied - taken
        )
        if olds:
            renumber[incident_id] = olds[0]
            taken.add(olds[0])
    return renumber


def refresh_incidents(
    session: Session, incident_ids: Iterable[int], settings: LinkSettings, now: datetime | None = None
) -> None:
    """Recompute what an incident row summarises of its members (type, date, windows, first/last seen)."""
    from pipeline.incidents.compare import partial_date_range

    now = now or datetime.now(UTC)
    ids = sorted(set(incident_ids))
    for chunk in _chunks(ids):
        rows = session.execute(
            select(IncidentMember.incident_id, Event.id, Event.type, Event.date, Event.date_precision)
            .join(Event, Event.id == IncidentMember.event_id)
            .where(IncidentMember.incident_id.in_(chunk))
        ).all()
        published = (
            dict(
                session.execute(
                    select(Event.id, func.coalesce(Document.published_at, Document.fetched_at))
                    .join(Document, Document.id == Event.document_id)
                    .where(Event.id.in_([r[1] for r in rows]))
                ).all()
            )
            if rows
            else {}
        )
        windows = (
            {row_id: _window(e, settings) for row_id, e in _events_to_link(session, Event.id.in_([r[1] for r in rows]))}
            if rows
            else {}
        )
        by_incident: dict[int, list[Any]] = {}
        for r in rows:
            by_incident.setdefault(r[0], []).append(r)
        for incident_id in chunk:
            members = by_incident.get(incident_id, [])
            status = session.execute(select(Incident.status).where(Incident.id == incident_id)).scalar_one_or_none()
            if status is None:
                continue
            if not members:
                values: dict[str, Any] = {"reports": 0, "updated_at": now}
                if status == "active":
                    values["status"] = "empty"
                session.execute(update(Incident).where(Incident.id == incident_id).values(**values))
                continue
            types = Counter(m.type for m in members)
            dated = [m for m in members if m.date]
            date_value, precision = None, None
            if dated:
                finest = min(_FINER.get(m.date_precision or "year", 2) for m in dated)
                candidates = Counter(m.date for m in dated if _FINER.get(m.date_precision or "year", 2) == finest)
                date_value = min(candidates, key=lambda d: (-candidates[d], d))
                precision = next(m.date_precision for m in dated if m.date == date_value)
            span = partial_date_range(date_value, precision) if date_value else None
            seen = [published[m[1]] for m in members if published.get(m[1]) is not None]
            member_windows = [w for m in members if (w := windows.get(m[1])) is not None]
            session.execute(
                update(Incident)
                .where(Incident.id == incident_id)
                .values(
                    type=min(types, key=lambda t: (-types[t], t)),
                    date=date_value,
                    date_precision=precision,
                    date_from=span[0] if span else None,
                    date_to=span[1] if span else None,
                    window_from=min(w[0] for w in member_windows) if member_windows else None,
                    window_to=max(w[1] for w in member_windows) if member_windows else None,
                    status="active" if status != "merged" else status,
                    reports=len(members),
                    first_seen=min(seen) if seen else None,
                    last_seen=max(seen) if seen else None,
                    updated_at=now,
                )
            )


# -- resolving ids ------------------------------------------------------------------------------------


def resolve_incident(session: Session, incident_id: int) -> int | None:
    """The id ``incident_id`` goes by now (following merges), or ``None`` for an id never given."""
    seen: set[int] = set()
    current = incident_id
    while current not in seen:
        seen.add(current)
        row = session.execute(select(Incident.status, Incident.merged_into).where(Incident.id == current)).first()
        if row is None:
            return None
        if row.status != "merged" or row.merged_into is None:
            return current
        current = row.merged_into
    return current


def unlinked_documents(session: Session, limit: int = 200) -> list[int]:
    """Documents with an event in no incident (stored before linking existed, or by an older release)."""
    linked = select(IncidentMember.event_id)
    return list(
        session.execute(
            select(Event.document_id).where(Event.id.not_in(linked)).distinct().order_by(Event.document_id).limit(limit)
        ).scalars()
    )


def incident_regions_and_officials(
    conn: Connection, ids: Sequence[int]
) -> tuple[dict[int, set[str]], dict[int, dict[Any, str]]]:
    """The region codes and the officials (person id -> first name seen) of the reports of ``ids``."""
    regions: dict[int, set[str]] = {}
    officials: dict[int, dict[Any, str]] = {}
    for incident_id, code in conn.execute(
        select(IncidentMember.incident_id, EventRegion.region_code)
        .join(EventRegion, EventRegion.event_id == IncidentMember.event_id)
        .where(IncidentMember.incident_id.in_(ids))
    ):
        regions.setdefault(incident_id, set()).add(code)
    for incident_id, person_id, name in conn.execute(
        select(IncidentMember.incident_id, EventOfficial.person_id, EventOfficial.name)
        .join(EventOfficial, EventOfficial.event_id == IncidentMember.event_id)
        .where(IncidentMember.incident_id.in_(ids))
        .order_by(EventOfficial.id)
    ):
        officials.setdefault(incident_id, {}).setdefault(person_id, name)
    return regions, officials
