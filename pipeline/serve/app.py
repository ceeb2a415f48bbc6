"""The FastAPI application: a read-only JSON/CSV API (``/api``, OpenAPI at ``/docs``) and the dashboard (``/``).

Parameters are validated here (a bad one is a 422 naming it); the queries are in
``pipeline.store.serving``. No exception ever reaches a client as a stack trace: the
catch-all handler logs it with an id and answers 500 (or 503 when the store is unreachable).
"""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Awaitable, Callable, Iterable, Sequence
from datetime import date
from importlib import resources
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Path, Query, Request
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from pipeline.logs import get_logger
from pipeline.schema import ElectionKind, EventType, SanctionKind, SanctionStatus, Subject
from pipeline.store import serving
from pipeline.store.db import DATABASE_ERRORS, Engine, is_unreachable
from pipeline.store.serving import CoverageQuery, CursorError, EventQuery, IncidentQuery

log = get_logger(__name__)

MAX_PAGE = 500  # JSON pages
MAX_CSV_PAGE = 10_000  # a CSV download may ask for more rows at once
DEFAULT_PAGE = 50
COVERAGE_TYPES: tuple[EventType, ...] = ("rakor", "pledge")
STATIC_DIR = resources.files("pipeline.serve") / "static"

Format = Literal["json", "csv"]
Sort = Literal["-date", "date", "-id", "id"]
Office = Literal[
    "presiden", "menteri", "mendagri", "menpan_rb", "dirjen", "dirjen_otda", "ketua_bawaslu",
    "anggota_bawaslu", "ketua_kasn", "kepala_bkn", "gubernur", "wakil_gubernur", "bupati",
    "wakil_bupati", "wali_kota", "wakil_wali_kota", "sekda", "asisten_sekda", "kepala_opd",
    "camat", "lurah", "kepala_desa", "other",
]  # fmt: skip
Role = Literal["leader", "speaker", "attendee", "organizer", "subject"]
RegionLevel = Literal["province", "regency", "kabupaten", "kota", "kecamatan"]


class ParameterError(Exception):
    """A query parameter that passed type validation but is still wrong (unknown region, bad cursor...)."""

    def __init__(self, name: str, message: str, value: object = None):
        super().__init__(f"{name}: {message}")
        self.name, self.message, self.value = name, message, value


def _problem(name: str, message: str, value: object = None) -> JSONResponse:
    # The same shape FastAPI gives its own validation errors, so clients handle one format.
    return JSONResponse(
        status_code=422,
        content={"detail": [{"loc": ["query", name], "msg": message, "type": "value_error", "input": value}]},
    )


# ---------------------------------------------------------------------------------------------
# Parameters shared by the event lists

RegionParam = Annotated[
    str | None,
    Query(
        max_length=20,
        description="Kemendagri code; a province or kabupaten/kota includes every region inside it.",
        examples=["53", "53.04"],
    ),
]


def _check_region(value: str | None, name: str = "region") -> str | None:
    if value is not None and not serving.is_region(value):
        raise ParameterError(name, f"unknown Kemendagri region code {value!r} (see /api/regions)", value)
    return value


def _check_province(value: str | None) -> str | None:
    _check_region(value, "province")
    if value is not None and "." in value:
        raise ParameterError("province", f"{value!r} is not a province code (two digits, e.g. 53)", value)
    return value


def _check_period(since: date | None, until: date | None, names: tuple[str, str] = ("since", "until")) -> None:
    if since and until and since > until:
        raise ParameterError(names[1], f"{names[1]} ({until}) is before {names[0]} ({since})", str(until))


def event_query(
    region: RegionParam = None,
    type: Annotated[list[EventType] | None, Query(description="Event type; repeat for several.")] = None,
    subject: Subject | None = None,
    since: Annotated[date | None, Query(description="Events whose date range ends on or after this day.")] = None,
    until: Annotated[date | None, Query(description="Events whose date range starts on or before this day.")] = None,
    person: Annotated[
        str | None, Query(min_length=1, max_length=100, description="Part of an official's name.")
    ] = None,
    sanction_kind: SanctionKind | None = None,
    sanction_status: SanctionStatus | None = None,
    election: ElectionKind | None = None,
    election_year: Annotated[int | None, Query(ge=1945, le=2100)] = None,
    q: Annotated[str | None, Query(min_length=2, max_length=200, description="Words in an evidence sentence.")] = None,
    sort: Sort = "-date",
) -> EventQuery:
    _check_region(region)
    _check_period(since, until)
    return EventQuery(
        region=region,
        types=tuple(dict.fromkeys(type or ())),
        subject=subject,
        since=since,
        until=until,
        person=person,
        sanction_kind=sanction_kind,
        sanction_status=sanction_status,
        election=election,
        election_year=election_year,
        q=q,
        sort=sort,
    )


EventQueryDep = Annotated[EventQuery, Depends(event_query)]


def incident_query(
    region: RegionParam = None,
    type: Annotated[list[EventType] | None, Query(description="Incident type; repeat for several.")] = None,
    since: Annotated[date | None, Query(description="Incidents whose date range ends on or after this day.")] = None,
    until: Annotated[date | None, Query(description="Incidents whose date range starts on or before this day.")] = None,
    sort: Sort = "-date",
) -> IncidentQuery:
    _check_region(region)
    _check_period(since, until)
    return IncidentQuery(region=region, types=tuple(dict.fromkeys(type or ())), since=since, until=until, sort=sort)


IncidentQueryDep = Annotated[IncidentQuery, Depends(incident_query)]
LimitParam = Annotated[
    int, Query(ge=1, le=MAX_CSV_PAGE, description=f"Page size (at most {MAX_PAGE}; {MAX_CSV_PAGE} with format=csv).")
]
CursorParam = Annotated[str | None, Query(max_length=400, description="next_cursor of the previous page.")]


def _check_limit(limit: int, fmt: str) -> None:
    if fmt == "json" and limit > MAX_PAGE:
        raise ParameterError("limit", f"at most {MAX_PAGE} rows per JSON page ({MAX_CSV_PAGE} with format=csv)", limit)


# ---------------------------------------------------------------------------------------------
# CSV


def _official_text(o: dict[str, Any]) -> str:
    title = " ".join(p for p in ((o.get("acting") or "").upper(), o.get("office") or "") if p)
    region = f", {o['region']}" if o.get("region") else ""
    return f"{o['name']} ({title}{region}; {o.get('role') or '?'})"


EVENT_CSV_COLUMNS = (
    "id", "incident_id", "event_key", "type", "subject", "date", "date_from", "date_to", "date_basis", "scope", "organizer", "venue",
    "regions", "region_names", "officials", "sanctions", "elections", "count", "confidence", "title", "url",
    "source", "published_at", "evidence", "pipeline_version",
)  # fmt: skip


def event_csv_row(item: dict[str, Any]) -> dict[str, Any]:
    """An event of the JSON API flattened the way the exports flatten it (``;``-separated lists)."""
    row = {k: item.get(k) for k in EVENT_CSV_COLUMNS}
    row["regions"] = ";".join(r["code"] for r in item["regions"])
    row["region_names"] = ";".join(r["name"] or "" for r in item["regions"])
    row["officials"] = "; ".join(_official_text(o) for o in item["officials"])
    row["sanctions"] = ";".join(f"{s['kind']}:{s['status']}" for s in item["sanctions"])
    row["elections"] = ";".join(f"{e['kind']}:{e['year'] or ''}" for e in item["elections"])
    row["evidence"] = " | ".join(item["evidence"])
    return row


INCIDENT_CSV_COLUMNS = (
    "id", "type", "date", "date_precision", "date_from", "date_to", "regions", "region_names", "officials",
    "documents", "outlets", "first_seen", "last_seen",
)  # fmt: skip


def incident_csv_row(item: dict[str, Any]) -> dict[str, Any]:
    row = {k: item.get(k) for k in INCIDENT_CSV_COLUMNS}
    row["regions"] = ";".join(r["code"] for r in item["regions"])
    row["region_names"] = ";".join(r["name"] or "" for r in item["regions"])
    row["officials"] = ";".join(item["officials"])
    row["documents"] = ";".join(item["documents"])
    return row


def csv_response(
    rows: Iterable[dict[str, Any]], columns: Sequence[str], filename: str, next_cursor: str | None = None
) -> Response:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if next_cursor:
        headers["X-Next-Cursor"] = next_cursor
    return Response(buffer.getvalue(), media_type="text/csv; charset=utf-8", headers=headers)


# ---------------------------------------------------------------------------------------------
# The application


def create_app(engine: Engine, title: str = "Netra") -> FastAPI:
    """The API and dashboard over ``engine`` (open it with ``pipeline.store.serving.open_readonly``)."""
    app = FastAPI(
        title=f"{title} API",
        version="1",
        description=(
            "Read-only access to the events Netra extracted from Indonesian regional news about the "
            "political neutrality of ASN, village heads, TNI and Polri. Every list also answers "
            "`?format=csv`. Dates are the events' own dates (a month- or year-precision date is a range). "
            "Lists are paginated by cursor: pass `next_cursor` back as `cursor`."
        ),
        docs_url=None,  # served below with the vendored Swagger UI (no CDN)
        redoc_url=None,
    )
    app.add_middleware(GZipMiddleware, minimum_size=1024)
    _install_error_handlers(app)
    _install_guards(app)

    @app.get("/api/events", tags=["events"], summary="Events matching the filters, one page")
    def events(
        query: EventQueryDep,
        limit: LimitParam = DEFAULT_PAGE,
        cursor: CursorParam = None,
        format: Format = "json",
    ) -> Any:
        _check_limit(limit, format)
        page = serving.list_events(engine, query, limit, cursor)
        if format == "csv":
            return csv_response(map(event_csv_row, page.items), EVENT_CSV_COLUMNS, "netra-events.csv", page.next_cursor)
        return {"items": page.items, "next_cursor": page.next_cursor, "limit": limit}

    @app.get("/api/events/count", tags=["events"], summary="How many events match the filters")
    def events_count(query: EventQueryDep) -> dict[str, int]:
        return {"count": serving.count_events(engine, query)}

    @app.get("/api/events/{event_id}", tags=["events"], summary="One event with its provenance")
    def event_detail(
        event_id: Annotated[int, Path(ge=1, le=2**31 - 1, description="The event's id (as in the lists).")],
    ) -> Any:
        item = serving.get_event(engine, event_id)
        if item is None:
            return JSONResponse(status_code=404, content={"detail": f"no event {event_id}"})
        return item

    @app.get("/api/incidents", tags=["incidents"], summary="Incidents (one happening, its reports), one page")
    def incidents(
        query: IncidentQueryDep,
        limit: LimitParam = DEFAULT_PAGE,
        cursor: CursorParam = None,
        format: Format = "json",
    ) -> Any:
        _check_limit(limit, format)
        page = serving.list_incidents(engine, query, limit, cursor)
        if format == "csv":
            return csv_response(
                map(incident_csv_row, page.items), INCIDENT_CSV_COLUMNS, "netra-incidents.csv", page.next_cursor
            )
        return {"items": page.items, "next_cursor": page.next_cursor, "limit": limit}

    @app.get("/api/incidents/{incident_id}", tags=["incidents"], summary="One incident with its reports and links")
    def incident_detail(
        incident_id: Annotated[int, Path(ge=1, le=2**31 - 1, description="An incident id; a merged id resolves.")],
    ) -> Any:
        item = serving.get_incident(engine, incident_id)
        if item is None:
            return JSONResponse(status_code=404, content={"detail": f"no incident {incident_id}"})
        return item

    @app.get("/api/coverage", tags=["coverage"], summary="Incidents per region in a period, and the regions with none")
    def coverage_view(
        date_from: Annotated[date, Query(alias="from", description="First day of the period.")],
        date_to: Annotated[date, Query(alias="to", description="Last day of the period.")],
        type: Annotated[
            list[EventType] | None, Query(description="Event types counted (default rakor and pledge).")
        ] = None,
        level: Literal["regency", "province"] = "regency",
        province: Annotated[str | None, Query(max_length=20, description="Only the regions of this province.")] = None,
        only: Literal["all", "with", "without"] = "all",
        format: Format = "json",
    ) -> Any:
        _check_period(date_from, date_to, ("from", "to"))
        _check_province(province)
        types = tuple(dict.fromkeys(type or COVERAGE_TYPES))
        result = serving.coverage(engine, CoverageQuery(types, date_from, date_to, level, province))
        if only == "all":
            rows = result.regions
        elif only == "without":
            rows = result.without
        else:
            rows = [r for r in result.regions if r["count"] > 0]
        if format == "csv":
            return csv_response(
                rows, ("code", "name", "level", "province_code", "province", "count", "events"), "netra-coverage.csv"
            )
        return {
            "level": level,
            "from": date_from.isoformat(),
            "to": date_to.isoformat(),
            "types": list(types),
            "province": province,
            "regions": rows,
            "without": [{"code": r["code"], "name": r["name"]} for r in result.without],
            "totals": {
                "regions": len(result.regions),
                "with_events": len(result.regions) - len(result.without),
                "without_events": len(result.without),
            },
        }

    @app.get("/api/officials", tags=["officials"], summary="Officials named in events (one row per event and official)")
    def officials(
        query: EventQueryDep,
        office: Office | None = None,
        role: Role | None = None,
        limit: LimitParam = DEFAULT_PAGE,
        cursor: CursorParam = None,
        format: Format = "json",
    ) -> Any:
        _check_limit(limit, format)
        items, next_cursor = serving.list_officials(engine, query, limit, cursor, office, role)
        if format == "csv":
            columns = (
                "event_id",
                "type",
                "date",
                "name",
                "person_id",
                "office",
                "acting",
                "region",
                "region_name",
                "role",
            )
            return csv_response(items, columns, "netra-officials.csv", next_cursor)
        return {"items": items, "next_cursor": next_cursor, "limit": limit}

    @app.get("/api/sanctions", tags=["sanctions"], summary="Sanctions reported in events (one row per sanction)")
    def sanctions(
        query: EventQueryDep,
        limit: LimitParam = DEFAULT_PAGE,
        cursor: CursorParam = None,
        format: Format = "json",
    ) -> Any:
        _check_limit(limit, format)
        items, next_cursor = serving.list_sanctions(engine, query, limit, cursor)
        if format == "csv":
            columns = ("event_id", "type", "date", "count", "kind", "status")
            return csv_response(items, columns, "netra-sanctions.csv", next_cursor)
        return {"items": items, "next_cursor": next_cursor, "limit": limit}

    @app.get("/api/sanctions/summary", tags=["sanctions"], summary="Sanctions by month, kind and status")
    def sanctions_summary(query: EventQueryDep, format: Format = "json") -> Any:
        items = serving.sanctions_summary(engine, query)
        if format == "csv":
            return csv_response(items, ("month", "kind", "status", "count"), "netra-sanctions-summary.csv")
        return {"items": items}

    @app.get("/api/regions", tags=["regions"], summary="The Kemendagri gazetteer")
    def regions(
        level: Annotated[
            list[RegionLevel] | None, Query(description="Levels listed (default province and regency).")
        ] = None,
        province: Annotated[str | None, Query(max_length=20)] = None,
        format: Format = "json",
    ) -> Any:
        _check_province(province)
        wanted: set[str] = set()
        for lvl in level or ["province", "regency"]:
            wanted.update(serving.REGENCY_LEVELS if lvl == "regency" else (lvl,))
        items = serving.list_regions(engine, sorted(wanted), province)
        if format == "csv":
            return csv_response(items, ("code", "name", "level", "parent", "province_code"), "netra-regions.csv")
        return {"items": items}

    @app.get("/api/health", tags=["health"], summary="Store reachable, last nightly run")
    def health() -> Any:
        try:
            return serving.health(engine)
        except DATABASE_ERRORS as exc:
            log.error("health: store unreachable: %s", exc)
            return JSONResponse(status_code=503, content={"status": "unavailable", "detail": "store unreachable"})

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title=f"{title} API",
            swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
            swagger_favicon_url="data:,",
        )

    @app.get("/", include_in_schema=False)
    def dashboard() -> FileResponse:
        return FileResponse(str(STATIC_DIR / "index.html"), media_type="text/html; charset=utf-8")

    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")
    return app


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ParameterError)
    async def parameter_error(_request: Request, exc: ParameterError) -> JSONResponse:
        return _problem(exc.name, exc.message, exc.value)

    @app.exception_handler(CursorError)
    async def cursor_error(_request: Request, exc: CursorError) -> JSONResponse:
        return _problem("cursor", str(exc))

    async def store_error(request: Request, exc: Exception) -> JSONResponse:
        error_id = uuid.uuid4().hex[:12]
        log.error("error %s on %s %s: %s", error_id, request.method, request.url.path, exc, exc_info=exc)
        if is_unreachable(exc):
            return JSONResponse(status_code=503, content={"detail": "store unavailable", "error_id": error_id})
        return JSONResponse(status_code=500, content={"detail": "internal error", "error_id": error_id})

    for error_class in DATABASE_ERRORS:
        app.add_exception_handler(error_class, store_error)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        # The trace goes to the server log with an id the client can quote; never to the client.
        error_id = uuid.uuid4().hex[:12]
        log.error("error %s on %s %s", error_id, request.method, request.url.path, exc_info=exc)
        return JSONResponse(status_code=500, content={"detail": "internal error", "error_id": error_id})


def _install_guards(app: FastAPI) -> None:
    @app.middleware("http")
    async def guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        # NUL characters cannot reach PostgreSQL text parameters: refuse them up front, by name.
        for name, value in request.query_params.multi_items():
            if "\x00" in value or "\x00" in name:
                return _problem(name.replace("\x00", ""), "NUL characters are not allowed", None)
        response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        if not request.url.path.startswith("/docs"):
            response.headers.setdefault(
                "Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'"
            )
        return response
