"""Read-only queries behind ``netra serve``: every SQL statement of the HTTP API lives here.

The API layer (``pipeline.serve``) validates parameters and shapes responses; this module opens
the store read-only and answers typed questions (an ``EventQuery``, a coverage period) with plain
dicts, in as few round trips as a page needs (one query for the page, one per child table).

Region filters use the gazetteer: a province or kabupaten/kota code stands for itself and every
code inside it (``53`` → ``53``, ``53.04``, ``53.04.01``, ...), expanded to an ``IN`` list so the
``event_regions.region_code`` index serves it on both back ends.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import (
    ColumnElement,
    Engine,
    Select,
    and_,
    case,
    create_engine,
    distinct,
    event,
    exists,
    func,
    or_,
    select,
    text,
)
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import SQLAlchemyError

from pipeline.logs import get_logger
from pipeline.regions import load_regions
from pipeline.store.db import StoreError, head_revision, normalize_url
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
    Region,
    Run,
    Source,
)
from pipeline.store.queries import date_basis

log = get_logger(__name__)

Row = dict[str, Any]
AnySelect = Select[*tuple[Any, ...]]

# ---------------------------------------------------------------------------------------------
# Opening the store read-only


def _sqlite_readonly_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA query_only=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _postgres_readonly(dbapi_connection: Any, _record: Any) -> None:
    # Belt and braces with the connect option below: every transaction of this engine is read-only.
    cursor = dbapi_connection.cursor()
    cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
    cursor.close()
    dbapi_connection.commit()


def readonly_engine(url: str) -> Engine:
    """An engine that can only read ``url``; a missing SQLite file is a ``StoreError``, never created.

    SQLite opens the file with ``mode=ro`` (the OS refuses writes, and ``query_only`` makes
    SQLite refuse them too); PostgreSQL sessions start with ``default_transaction_read_only``.
    """
    parsed = make_url(normalize_url(url))
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if not database or database == ":memory:":
            raise StoreError("netra serve needs a database file, not an in-memory SQLite database")
        path = Path(database).expanduser().resolve()
        if not path.is_file():
            raise StoreError(
                f"no database at {path}: run `netra demo` or `netra nightly` first, or `netra db upgrade` "
                "for an empty one (serve never creates one)"
            )
        ro_url = f"sqlite:///file:{path}?mode=ro&uri=true"
        engine = create_engine(ro_url, connect_args={"timeout": 30, "check_same_thread": False})
        event.listen(engine, "connect", _sqlite_readonly_pragmas)
        return engine
    connect_args: dict[str, Any] = {}
    if parsed.get_backend_name() == "postgresql":
        connect_args["options"] = "-c default_transaction_read_only=on"
    engine = create_engine(
        parsed.render_as_string(hide_password=False), pool_pre_ping=True, connect_args=connect_args, pool_size=8
    )
    if parsed.get_backend_name() == "postgresql":
        event.listen(engine, "connect", _postgres_readonly)
    return engine


def open_readonly(url: str) -> Engine:
    """A read-only engine on a reachable store whose schema is at the code's head revision."""
    engine = readonly_engine(url)
    shown = engine.url.render_as_string(hide_password=True)
    try:
        with engine.connect() as conn:
            revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except SQLAlchemyError as exc:
        engine.dispose()
        raise StoreError(f"cannot read the store at {shown}: {getattr(exc, 'orig', exc)}") from exc
    if revision != head_revision():
        engine.dispose()
        raise StoreError(
            f"the store at {shown} is at schema revision {revision}, this code wants {head_revision()}: "
            "run `netra db upgrade` (serve opens the store read-only and never migrates it)"
        )
    return engine


# ---------------------------------------------------------------------------------------------
# Gazetteer helpers (pure Python: the bundled gazetteer is the same as the store's regions table)

REGENCY_LEVELS = ("kabupaten", "kota")


def is_region(code: str) -> bool:
    return code in load_regions()


@lru_cache(maxsize=4096)
def region_and_inside(code: str) -> tuple[str, ...]:
    """``code`` and every gazetteer code inside it."""
    prefix = code + "."
    return tuple(c for c in load_regions() if c == code or c.startswith(prefix))


def region_name(code: str) -> str | None:
    row = load_regions().get(code)
    return row.name if row else None


# ---------------------------------------------------------------------------------------------
# Events


SORTS = ("-date", "date", "-id", "id")


class CursorError(ValueError):
    """The cursor is not one this API issued (or not for this sort)."""


@dataclass(frozen=True)
class EventQuery:
    region: str | None = None
    types: tuple[str, ...] = ()
    subject: str | None = None
    since: date | None = None  # events whose date range ends on or after this day
    until: date | None = None  # events whose date range starts on or before this day
    person: str | None = None  # case-insensitive substring of an official's name
    sanction_kind: str | None = None
    sanction_status: str | None = None
    election: str | None = None  # pilkada | pemilu | ...
    election_year: int | None = None
    q: str | None = None  # case-insensitive substring of an evidence sentence
    sort: str = "-date"


def encode_cursor(sort: str, row_date: date | None, row_id: int) -> str:
    payload = {"s": sort, "d": row_date.isoformat() if row_date else None, "i": row_id}
    return base64.urlsafe_b64encode(json.dumps(payload, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str) -> tuple[date | None, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        payload = json.loads(raw)
        if not isinstance(payload, dict) or payload.get("s") != sort:
            raise CursorError("the cursor belongs to another sort order")
        row_id = payload["i"]
        if not isinstance(row_id, int) or isinstance(row_id, bool):
            raise CursorError("malformed cursor")
        row_date = date.fromisoformat(payload["d"]) if payload.get("d") is not None else None
    except CursorError:
        raise
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeDecodeError) as exc:
        raise CursorError("malformed cursor") from exc
    return row_date, row_id


# The longest date range of an event (a year-precision date: 1 January to 31 December,
# ``pipeline.store.events.date_range``).
MAX_DATE_SPAN = timedelta(days=366)


def _since(since: date) -> list[ColumnElement[bool]]:
    """Dated events whose range ends on or after ``since``: ``date_to >= since``, plus the implied
    (and redundant) bound on ``date_from`` that lets an index on ``date_from`` serve the range."""
    conditions: list[ColumnElement[bool]] = [Event.date_to >= since]
    if since > date.min + MAX_DATE_SPAN:
        conditions.append(Event.date_from >= since - MAX_DATE_SPAN)
    return conditions


def _date_bounds(since: date | None, until: date | None) -> ColumnElement[bool]:
    """The since/until bound of ``EventFilter``: a dated event by its own range, an undated one by
    its document's publication day (``date_basis`` = published). Written as an OR of two branches
    on plain columns (not ``coalesce``) so the dated branch keeps its range bound on ``date_from``."""
    dated: list[ColumnElement[bool]] = []
    undated: list[ColumnElement[bool]] = [Event.date_from.is_(None)]
    if since:
        dated.extend(_since(since))
        undated.append(Event.published_on >= since)
    if until:
        dated.append(Event.date_from <= until)
        undated.append(Event.published_on <= until)
    return or_(and_(*dated), and_(*undated))


def _event_conditions(query: EventQuery) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if query.region:
        # An uncorrelated IN (subquery): both back ends read the region_code index once for the
        # whole set, where a correlated EXISTS would probe the code list once per candidate event.
        tagged = select(EventRegion.event_id).where(EventRegion.region_code.in_(region_and_inside(query.region)))
        conditions.append(Event.id.in_(tagged))
    if query.types:
        conditions.append(Event.type.in_(query.types))
    if query.subject:
        conditions.append(Event.subject == query.subject)
    if query.since or query.until:
        conditions.append(_date_bounds(query.since, query.until))
    if query.person:
        conditions.append(
            exists().where(
                EventOfficial.event_id == Event.id, EventOfficial.name.icontains(query.person, autoescape=True)
            )
        )
    if query.sanction_kind or query.sanction_status:
        sanction = [EventSanction.event_id == Event.id]
        if query.sanction_kind:
            sanction.append(EventSanction.kind == query.sanction_kind)
        if query.sanction_status:
            sanction.append(EventSanction.status == query.sanction_status)
        conditions.append(exists().where(*sanction))
    if query.election or query.election_year:
        election = [EventElection.event_id == Event.id]
        if query.election:
            election.append(EventElection.kind == query.election)
        if query.election_year:
            election.append(EventElection.year == query.election_year)
        conditions.append(exists().where(*election))
    if query.q:
        conditions.append(
            exists().where(Evidence.event_id == Event.id, Evidence.sentence.icontains(query.q, autoescape=True))
        )
    return conditions


def _order_and_seek(stmt: AnySelect, sort: str, after: tuple[date | None, int] | None) -> AnySelect:
    """Keyset pagination: ``(date_from, id)`` or ``id``, undated events last in either date order."""
    descending = sort.startswith("-")
    if sort.endswith("id"):
        if after is not None:
            stmt = stmt.where(Event.id < after[1] if descending else Event.id > after[1])
        return stmt.order_by(Event.id.desc() if descending else Event.id)
    if after is not None:
        last_date, last_id = after
        if last_date is None:
            stmt = stmt.where(Event.date_from.is_(None), Event.id < last_id if descending else Event.id > last_id)
        elif descending:
            stmt = stmt.where(
                or_(
                    Event.date_from < last_date,
                    and_(Event.date_from == last_date, Event.id < last_id),
                    Event.date_from.is_(None),
                )
            )
        else:
            stmt = stmt.where(
                or_(
                    Event.date_from > last_date,
                    and_(Event.date_from == last_date, Event.id > last_id),
                    Event.date_from.is_(None),
                )
            )
    if descending:
        return stmt.order_by(Event.date_from.desc().nulls_last(), Event.id.desc())
    return stmt.order_by(Event.date_from.asc().nulls_last(), Event.id)


_EVENT_COLUMNS = (
    Event.id,
    Event.date_from,
    Document.doc_key,
    Event.ordinal,
    Event.type,
    Event.subject,
    Event.date,
    Event.date_precision,
    Event.date_to,
    Event.scope,
    Event.organizer,
    Event.venue,
    Event.count,
    Event.confidence,
    Event.pipeline_version,
    Event.published_on,
    Document.title,
    Document.canonical_url,
    Document.url,
    Document.published_at,
    Source.name,
    IncidentMember.incident_id,
)


@dataclass
class EventPage:
    items: list[Row]
    next_cursor: str | None
    limit: int


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _event_row(r: Any) -> Row:
    return {
        "id": r.id,
        "incident_id": r.incident_id,
        "event_key": f"{r.doc_key}#{r.ordinal}",
        "doc_key": r.doc_key,
        "type": r.type,
        "subject": r.subject,
        "date": r.date,
        "date_precision": r.date_precision,
        "date_from": _iso(r.date_from),
        "date_to": _iso(r.date_to),
        "scope": r.scope,
        "organizer": r.organizer,
        "venue": r.venue,
        "count": r.count,
        "confidence": r.confidence,
        "title": r.title,
        "url": r.canonical_url or r.url,
        "source": r.name,
        "published_at": _iso(r.published_at),
        "published_on": _iso(r.published_on),
        "date_basis": date_basis(r.date_from, r.published_on),
        "pipeline_version": r.pipeline_version,
    }


def _children(conn: Connection, ids: Sequence[int]) -> dict[str, dict[int, list[Row]]]:
    """Regions, officials, sanctions, elections and the event's evidence sentence, per event id."""
    out: dict[str, dict[int, list[Row]]] = {
        k: {} for k in ("regions", "officials", "sanctions", "elections", "evidence")
    }
    if not ids:
        return out
    regions = load_regions()
    for event_id, code in conn.execute(
        select(EventRegion.event_id, EventRegion.region_code)
        .where(EventRegion.event_id.in_(ids))
        .order_by(EventRegion.event_id, EventRegion.region_code)
    ):
        known = regions.get(code)
        out["regions"].setdefault(event_id, []).append(
            {"code": code, "name": known.name if known else None, "level": known.level if known else None}
        )
    for o in conn.execute(
        select(
            EventOfficial.event_id,
            EventOfficial.name,
            EventOfficial.person_id,
            EventOfficial.office,
            EventOfficial.acting,
            EventOfficial.region_code,
            EventOfficial.role,
        )
        .where(EventOfficial.event_id.in_(ids))
        .order_by(EventOfficial.event_id, EventOfficial.id)
    ):
        out["officials"].setdefault(o.event_id, []).append(
            {
                "name": o.name,
                "person_id": o.person_id,
                "office": o.office,
                "acting": o.acting,
                "region": o.region_code,
                "role": o.role,
            }
        )
    for s in conn.execute(
        select(EventSanction.event_id, EventSanction.kind, EventSanction.status)
        .where(EventSanction.event_id.in_(ids))
        .order_by(EventSanction.event_id, EventSanction.id)
    ):
        out["sanctions"].setdefault(s.event_id, []).append({"kind": s.kind, "status": s.status})
    for e in conn.execute(
        select(EventElection.event_id, EventElection.kind, EventElection.year)
        .where(EventElection.event_id.in_(ids))
        .order_by(EventElection.event_id, EventElection.id)
    ):
        out["elections"].setdefault(e.event_id, []).append({"kind": e.kind, "year": e.year})
    for v in conn.execute(
        select(Evidence.event_id, Evidence.sentence)
        .where(Evidence.event_id.in_(ids), Evidence.field == "event")
        .order_by(Evidence.event_id, Evidence.id)
    ):
        if v.sentence:
            out["evidence"].setdefault(v.event_id, []).append({"sentence": v.sentence})
    return out


def _with_children(conn: Connection, rows: Sequence[Any]) -> list[Row]:
    ids = [r.id for r in rows]
    children = _children(conn, ids)
    items = []
    for r in rows:
        item = _event_row(r)
        item["regions"] = children["regions"].get(r.id, [])
        item["officials"] = children["officials"].get(r.id, [])
        item["sanctions"] = children["sanctions"].get(r.id, [])
        item["elections"] = children["elections"].get(r.id, [])
        item["evidence"] = [e["sentence"] for e in children["evidence"].get(r.id, [])]
        items.append(item)
    return items


def _events_select() -> AnySelect:
    stmt: AnySelect = (
        select(*_EVENT_COLUMNS)
        .join(Document, Document.id == Event.document_id)
        .outerjoin(Source, Source.id == Document.source_id)
        .outerjoin(IncidentMember, IncidentMember.event_id == Event.id)
    )
    return stmt


def events_statement(query: EventQuery, limit: int, cursor: str | None = None) -> AnySelect:
    """The page query of ``list_events`` (one row more than ``limit``: is there a next page?)."""
    after = decode_cursor(cursor, query.sort) if cursor else None
    # Undated events match a since/until bound by their publication day, so a bounded list is no
    # longer dated-only: it takes the same (date_from nulls last, id) order as an unbounded one.
    stmt = _events_select().where(*_event_conditions(query))
    return _order_and_seek(stmt, query.sort, after).limit(limit + 1)


def list_events(engine: Engine, query: EventQuery, limit: int, cursor: str | None = None) -> EventPage:
    """One page of events matching ``query``; ``next_cursor`` is None on the last page."""
    stmt = events_statement(query, limit, cursor)
    with engine.connect() as conn:
        rows = conn.execute(stmt).all()
        more = len(rows) > limit
        rows = rows[:limit]
        items = _with_children(conn, rows)
    next_cursor = encode_cursor(query.sort, rows[-1].date_from, rows[-1].id) if more and rows else None
    return EventPage(items, next_cursor, limit)


def count_events(engine: Engine, query: EventQuery) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(Event).where(*_event_conditions(query))).scalar_one())


def get_event(engine: Engine, event_id: int) -> Row | None:
    """One event with its officials, sanctions, elections, regions and every evidence row."""
    with engine.connect() as conn:
        row = conn.execute(_events_select().where(Event.id == event_id)).first()
        if row is None:
            return None
        item = _with_children(conn, [row])[0]
        item["provenance"] = [
            {
                "field": v.field,
                "char_start": v.char_start,
                "char_end": v.char_end,
                "sentence": v.sentence,
                "rule": v.rule,
                "rule_version": v.rule_version,
                "confidence": v.confidence,
            }
            for v in conn.execute(
                select(
                    Evidence.field,
                    Evidence.char_start,
                    Evidence.char_end,
                    Evidence.sentence,
                    Evidence.rule,
                    Evidence.rule_version,
                    Evidence.confidence,
                )
                .where(Evidence.event_id == event_id)
                .order_by(Evidence.id)
            )
        ]
        return item


# ---------------------------------------------------------------------------------------------
# Coverage


@dataclass(frozen=True)
class CoverageQuery:
    types: tuple[str, ...]
    since: date
    until: date
    level: str = "regency"  # regency | province
    province: str | None = None  # restrict the regions listed to one province


@dataclass
class Coverage:
    regions: list[Row]  # every region of the level (and province), with its count
    without: list[Row] = field(default_factory=list)  # those with a count of zero


def coverage_statement(query: CoverageQuery) -> AnySelect:
    """Per-region counts of ``coverage``: ``(code, n incidents, events)`` rows, regions with events only."""
    width = 5 if query.level == "regency" else 2  # "NN.NN" | "NN"
    key = func.substr(EventRegion.region_code, 1, width)
    conditions: list[ColumnElement[bool]] = [
        Event.type.in_(query.types),
        # the list's bound (EventFilter's): an undated event by its publication day, so a region's
        # count on the map is the number of events a click on it lists
        _date_bounds(query.since, query.until),
    ]
    if query.level == "regency":
        conditions.append(func.length(EventRegion.region_code) >= 5)
    if query.province:
        # Not the region_code index: the type/date index drives the query and the province is a
        # cheap filter on the joined rows (the IN list of a province's ~600 codes made both
        # planners start from event_regions, several times slower in bench/serve.py).
        conditions.append(func.substr(EventRegion.region_code, 1, 2) == query.province)
    # A happening reported by five outlets is one incident: count incidents, and an event in none
    # (stored before linking) as one of its own.
    unlinked = case((IncidentMember.incident_id.is_(None), Event.id))
    stmt: AnySelect = (
        select(
            key.label("code"),
            (func.count(distinct(IncidentMember.incident_id)) + func.count(distinct(unlinked))).label("n"),
            func.count(distinct(Event.id)).label("events"),
        )
        .select_from(EventRegion)
        .join(Event, Event.id == EventRegion.event_id)
        .outerjoin(IncidentMember, IncidentMember.event_id == Event.id)
        .where(*conditions)
        .group_by(key)
    )
    return stmt


def coverage(engine: Engine, query: CoverageQuery) -> Coverage:
    """Incidents per region of ``level`` whose events' date range meets the period (``count``; the events
    themselves in ``events``: five reports of one rakor are one incident and five events).

    An event counts for a kabupaten/kota when it is tagged with that regency or a kecamatan in it;
    for a province, when tagged with the province or anything inside it. An event tagged with a
    province only does not count for that province's regencies. An undated event counts by its
    document's publication day (``date_basis`` published), as in the event list.
    """
    with engine.connect() as conn:
        found = {code: (int(n), int(events)) for code, n, events in conn.execute(coverage_statement(query))}
    levels = REGENCY_LEVELS if query.level == "regency" else ("province",)
    rows = []
    for code, region in sorted(load_regions().items()):
        if region.level not in levels or (query.province and region.province_code != query.province):
            continue
        rows.append(
            {
                "code": code,
                "name": region.name,
                "level": region.level,
                "province_code": region.province_code,
                "province": region_name(region.province_code),
                "count": found.get(code, (0, 0))[0],
                "events": found.get(code, (0, 0))[1],
            }
        )
    return Coverage(rows, [r for r in rows if r["count"] == 0])


# ---------------------------------------------------------------------------------------------
# Officials and sanctions (one row per event and official / sanction), keyset-paginated by row id


def _id_cursor(cursor: str | None, kind: str) -> int | None:
    if cursor is None:
        return None
    _, row_id = decode_cursor(cursor, kind)
    return row_id


def list_officials(
    engine: Engine,
    query: EventQuery,
    limit: int,
    cursor: str | None = None,
    office: str | None = None,
    role: str | None = None,
) -> tuple[list[Row], str | None]:
    after = _id_cursor(cursor, "officials")
    stmt = (
        select(
            EventOfficial.id,
            EventOfficial.event_id,
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
        .where(*_event_conditions(replace(query, person=None)))  # the person filters the rows themselves
    )
    if query.person:
        stmt = stmt.where(EventOfficial.name.icontains(query.person, autoescape=True))
    if office:
        stmt = stmt.where(EventOfficial.office == office)
    if role:
        stmt = stmt.where(EventOfficial.role == role)
    if after is not None:
        stmt = stmt.where(EventOfficial.id > after)
    stmt = stmt.order_by(EventOfficial.id).limit(limit + 1)
    with engine.connect() as conn:
        rows = conn.execute(stmt).all()
    more = len(rows) > limit
    rows = rows[:limit]
    items = [
        {
            "event_id": r.event_id,
            "type": r.type,
            "date": r.date,
            "name": r.name,
            "person_id": r.person_id,
            "office": r.office,
            "acting": r.acting,
            "region": r.region_code,
            "region_name": region_name(r.region_code) if r.region_code else None,
            "role": r.role,
        }
        for r in rows
    ]
    return items, encode_cursor("officials", None, rows[-1].id) if more and rows else None


def list_sanctions(
    engine: Engine, query: EventQuery, limit: int, cursor: str | None = None
) -> tuple[list[Row], str | None]:
    after = _id_cursor(cursor, "sanctions")
    stmt = (
        select(
            EventSanction.id,
            EventSanction.event_id,
            Event.type,
            Event.date,
            Event.date_from,
            Event.count,
            EventSanction.kind,
            EventSanction.status,
        )
        .join(Event, Event.id == EventSanction.event_id)
        .where(*_event_conditions(replace(query, sanction_kind=None, sanction_status=None)))
    )
    if query.sanction_kind:
        stmt = stmt.where(EventSanction.kind == query.sanction_kind)
    if query.sanction_status:
        stmt = stmt.where(EventSanction.status == query.sanction_status)
    if after is not None:
        stmt = stmt.where(EventSanction.id > after)
    stmt = stmt.order_by(EventSanction.id).limit(limit + 1)
    with engine.connect() as conn:
        rows = conn.execute(stmt).all()
    more = len(rows) > limit
    rows = rows[:limit]
    items = [
        {
            "event_id": r.event_id,
            "type": r.type,
            "date": r.date,
            "count": r.count,
            "kind": r.kind,
            "status": r.status,
        }
        for r in rows
    ]
    return items, encode_cursor("sanctions", None, rows[-1].id) if more and rows else None


def sanctions_summary(engine: Engine, query: EventQuery) -> list[Row]:
    """Sanctions per month (of the event's start date), kind and status; undated events under month None."""
    month = func.substr(Event.date, 1, 7)
    stmt = (
        select(month.label("month"), EventSanction.kind, EventSanction.status, func.count().label("n"))
        .select_from(EventSanction)
        .join(Event, Event.id == EventSanction.event_id)
        .where(*_event_conditions(replace(query, sanction_kind=None, sanction_status=None)))
        .group_by(month, EventSanction.kind, EventSanction.status)
    )
    if query.sanction_kind:
        stmt = stmt.where(EventSanction.kind == query.sanction_kind)
    if query.sanction_status:
        stmt = stmt.where(EventSanction.status == query.sanction_status)
    with engine.connect() as conn:
        rows = [
            {"month": m if m and len(m) == 7 else None, "kind": k, "status": s, "count": int(n)}
            for m, k, s, n in conn.execute(stmt)
        ]
    return sorted(rows, key=lambda r: (r["month"] or "", r["kind"], r["status"]))


# ---------------------------------------------------------------------------------------------
# Gazetteer and health


def list_regions(engine: Engine, levels: Sequence[str], province: str | None = None) -> list[Row]:
    stmt = select(Region.code, Region.name, Region.level, Region.parent_code, Region.province_code).where(
        Region.level.in_(levels)
    )
    if province:
        stmt = stmt.where(Region.province_code == province)
    with engine.connect() as conn:
        return [
            {
                "code": r.code,
                "name": r.name,
                "level": r.level,
                "parent": r.parent_code,
                "province_code": r.province_code,
            }
            for r in conn.execute(stmt.order_by(Region.code))
        ]


def health(engine: Engine) -> Row:
    """Is the store reachable; its schema revision, event count, date range and last nightly run."""
    with engine.connect() as conn:
        revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        events = conn.execute(select(func.count()).select_from(Event)).scalar_one()
        first, last = conn.execute(select(func.min(Event.date_from), func.max(Event.date_to))).one()
        run = conn.execute(
            select(Run.id, Run.status, Run.started_at, Run.finished_at, Run.pipeline_version)
            .where(Run.kind == "nightly")
            .order_by(Run.started_at.desc(), Run.id.desc())
            .limit(1)
        ).first()
    return {
        "status": "ok",
        "store": {"backend": engine.dialect.name, "revision": revision, "events": int(events)},
        "event_dates": {"first": _iso(first), "last": _iso(last)},
        "last_nightly": None
        if run is None
        else {
            "id": run.id,
            "status": run.status,
            "started_at": _iso(run.started_at),
            "finished_at": _iso(run.finished_at),
            "pipeline_version": run.pipeline_version,
        },
    }


# ---------------------------------------------------------------------------------------------
# Incidents: one happening, many reports (docs/incidents.md)


@dataclass(frozen=True)
class IncidentQuery:
    region: str | None = None
    types: tuple[str, ...] = ()
    since: date | None = None  # incidents whose date range ends on or after this day
    until: date | None = None  # incidents whose date range starts on or before this day
    sort: str = "-date"


def _incident_conditions(query: IncidentQuery) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [Incident.status == "active"]
    if query.region:
        tagged = (
            select(IncidentMember.incident_id)
            .join(EventRegion, EventRegion.event_id == IncidentMember.event_id)
            .where(EventRegion.region_code.in_(region_and_inside(query.region)))
        )
        conditions.append(Incident.id.in_(tagged))
    if query.types:
        conditions.append(Incident.type.in_(query.types))
    if query.since:
        conditions.append(Incident.date_to >= query.since)
    if query.until:
        conditions.append(Incident.date_from <= query.until)
    return conditions


def _incident_order(stmt: AnySelect, sort: str, after: tuple[date | None, int] | None) -> AnySelect:
    """Keyset pagination on ``(date_from, id)`` (undated last) or ``id``, as for events."""
    descending = sort.startswith("-")
    if sort.endswith("id"):
        if after is not None:
            stmt = stmt.where(Incident.id < after[1] if descending else Incident.id > after[1])
        return stmt.order_by(Incident.id.desc() if descending else Incident.id)
    if after is not None:
        last_date, last_id = after
        if last_date is None:
            stmt = stmt.where(
                Incident.date_from.is_(None), Incident.id < last_id if descending else Incident.id > last_id
            )
        else:
            before = Incident.date_from < last_date if descending else Incident.date_from > last_date
            same = and_(Incident.date_from == last_date, Incident.id < last_id if descending else Incident.id > last_id)
            stmt = stmt.where(or_(before, same, Incident.date_from.is_(None)))
    if descending:
        return stmt.order_by(Incident.date_from.desc().nulls_last(), Incident.id.desc())
    return stmt.order_by(Incident.date_from.asc().nulls_last(), Incident.id)


def _incident_items(conn: Connection, rows: Sequence[Any], with_links: bool = False) -> list[Row]:
    ids = [r.id for r in rows]
    reports: dict[int, list[Row]] = {}
    if ids:
        for m in conn.execute(
            select(
                IncidentMember.incident_id,
                IncidentMember.score,
                IncidentMember.reasons,
                Event.id,
                Event.ordinal,
                Event.type,
                Event.date,
                Document.doc_key,
                Document.title,
                Document.canonical_url,
                Document.url,
                Document.published_at,
                Source.name,
            )
            .join(Event, Event.id == IncidentMember.event_id)
            .join(Document, Document.id == Event.document_id)
            .outerjoin(Source, Source.id == Document.source_id)
            .where(IncidentMember.incident_id.in_(ids))
            .order_by(Document.published_at.is_(None), Document.published_at, Event.id)
        ):
            report: Row = {
                "event_id": m.id,
                "event_key": f"{m.doc_key}#{m.ordinal}",
                "doc_key": m.doc_key,
                "type": m.type,
                "date": m.date,
                "title": m.title,
                "url": m.canonical_url or m.url,
                "source": m.name,
                "published_at": _iso(m.published_at),
            }
            if with_links:
                report["link_score"] = m.score
                report["links"] = m.reasons or []
            reports.setdefault(m.incident_id, []).append(report)
        regions, officials = incident_regions_and_officials(conn, ids)
    gazetteer = load_regions()
    items = []
    for r in rows:
        members = reports.get(r.id, [])
        outlets = {
            m["source"] or (urlsplit(m["url"]).hostname or "").removeprefix("www.") or m["doc_key"] for m in members
        }
        items.append(
            {
                "id": r.id,
                "type": r.type,
                "date": r.date,
                "date_precision": r.date_precision,
                "date_from": _iso(r.date_from),
                "date_to": _iso(r.date_to),
                "regions": [
                    {"code": c, "name": gazetteer[c].name if c in gazetteer else None}
                    for c in sorted(regions.get(r.id, ()))
                ],
                "officials": sorted(officials.get(r.id, {}).values()),
                "documents": list(dict.fromkeys(m["doc_key"] for m in members)),
                "outlets": len(outlets),
                "reports": members,
                "first_seen": _iso(r.first_seen),
                "last_seen": _iso(r.last_seen),
            }
        )
    return items


_INCIDENT_COLUMNS = (
    Incident.id,
    Incident.type,
    Incident.date,
    Incident.date_precision,
    Incident.date_from,
    Incident.date_to,
    Incident.first_seen,
    Incident.last_seen,
)


def list_incidents(engine: Engine, query: IncidentQuery, limit: int, cursor: str | None = None) -> EventPage:
    """One page of incidents matching ``query``; ``next_cursor`` is None on the last page."""
    after = decode_cursor(cursor, "incidents" + query.sort) if cursor else None
    stmt = _incident_order(select(*_INCIDENT_COLUMNS).where(*_incident_conditions(query)), query.sort, after).limit(
        limit + 1
    )
    with engine.connect() as conn:
        rows = conn.execute(stmt).all()
        more = len(rows) > limit
        rows = rows[:limit]
        items = _incident_items(conn, rows)
    next_cursor = encode_cursor("incidents" + query.sort, rows[-1].date_from, rows[-1].id) if more and rows else None
    return EventPage(items, next_cursor, limit)


def get_incident(engine: Engine, incident_id: int) -> Row | None:
    """One incident with its reports and their links (scores and reasons); a merged id resolves to the
    incident it went into (``resolved_from`` says so); ``None`` for an id never given or left empty."""
    with engine.connect() as conn:
        current, seen = incident_id, set()
        while current not in seen:
            seen.add(current)
            row = conn.execute(select(Incident.status, Incident.merged_into).where(Incident.id == current)).first()
            if row is None or row.status == "empty":
                return None
            if row.status != "merged" or row.merged_into is None:
                break
            current = row.merged_into
        found = conn.execute(select(*_INCIDENT_COLUMNS).where(Incident.id == current)).first()
        if found is None:
            return None
        item = _incident_items(conn, [found], with_links=True)[0]
    item["resolved_from"] = incident_id if current != incident_id else None
    return item
