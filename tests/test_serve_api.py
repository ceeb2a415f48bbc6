"""The read-only API of ``netra serve`` on SQLite and PostgreSQL, over a store filled by the real
ingest path (the 68 dev articles through the rule extractor, recorded as a nightly run).

Every filter is checked against the same filter applied in Python to the full event list, so a
wrong SQL condition (or a missing one) shows as a difference in ids."""

from __future__ import annotations

import csv
import io
import shutil
from datetime import date
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from pipeline.regions import load_regions
from pipeline.schema import EVENT_TYPES, SANCTION_KINDS
from pipeline.serve import create_app
from pipeline.store import serving
from pipeline.store.db import StoreError
from pipeline.store.queries import EventFilter, events_frame
from tests.conftest import _fresh_pg_database
from tests.serve_support import fill_store


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request, tmp_path_factory):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('serve') / 'netra.db'}"
        fill_store(url)
        yield url
        return
    url, drop = _fresh_pg_database(request.getfixturevalue("postgres_server"))
    fill_store(url)
    yield url
    drop()


@pytest.fixture(scope="module")
def engine(store_url):
    engine = serving.open_readonly(store_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def client(engine):
    with TestClient(create_app(engine), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture(scope="module")
def everything(client) -> list[dict[str, Any]]:
    """Every event, through the API itself (one page)."""
    body = client.get("/api/events", params={"limit": 500}).json()
    assert body["next_cursor"] is None
    assert len(body["items"]) > 40
    return body["items"]


def ids(response) -> list[int]:
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


def overlaps(item: dict[str, Any], since: str | None, until: str | None) -> bool:
    if since and not (item["date_to"] and item["date_to"] >= since):
        return False
    return not (until and not (item["date_from"] and item["date_from"] <= until))


def event_overlaps(item: dict[str, Any], since: str | None, until: str | None) -> bool:
    """``EventFilter``'s bound: an undated event goes by its document's publication day."""
    if item["date_from"] is None:
        day = item["published_on"]
        return day is not None and (not since or day >= since) and (not until or day <= until)
    return overlaps(item, since, until)


def in_region(item: dict[str, Any], code: str) -> bool:
    return any(r["code"] == code or r["code"].startswith(code + ".") for r in item["regions"])


# ---- opening the store read-only --------------------------------------------------------------


def test_store_is_opened_read_only(store_url):
    engine = serving.open_readonly(store_url)
    try:
        with engine.connect() as conn:
            before = conn.execute(text("SELECT count(*) FROM events")).scalar_one()
        with pytest.raises(DBAPIError) as caught, engine.begin() as conn:
            conn.execute(text("DELETE FROM events"))
        assert "read-only" in str(caught.value).replace("readonly", "read-only")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM events")).scalar_one() == before > 0
    finally:
        engine.dispose()


def test_missing_sqlite_database_is_an_error_and_never_created(tmp_path):
    path = tmp_path / "absent" / "netra.db"
    with pytest.raises(StoreError, match="no database at"):
        serving.open_readonly(f"sqlite:///{path}")
    assert not path.exists() and not path.parent.exists()


def test_unmigrated_database_is_an_error(tmp_path):
    import sqlite3

    path = tmp_path / "empty.db"
    sqlite3.connect(path).close()
    with pytest.raises(StoreError, match="cannot read the store"):
        serving.open_readonly(f"sqlite:///{path}")


@pytest.mark.postgres
def test_unreachable_postgres_is_an_error(postgres_server):
    with pytest.raises(StoreError, match="cannot read the store"):
        serving.open_readonly("postgresql://postgres@127.0.0.1:1/none")


# ---- health, regions ------------------------------------------------------------------------


def test_health(client, everything):
    body = client.get("/api/health").json()
    assert body["status"] == "ok"
    assert body["store"]["events"] == len(everything)
    assert body["store"]["revision"]
    assert body["last_nightly"]["status"] == "ok" and body["last_nightly"]["finished_at"]
    dated = sorted(e["date_from"] for e in everything if e["date_from"])
    assert body["event_dates"]["first"] == dated[0]


def test_regions_gazetteer(client):
    body = client.get("/api/regions").json()
    levels = [r["level"] for r in body["items"]]
    assert levels.count("province") == 38 and levels.count("kabupaten") + levels.count("kota") == 514
    ntt = client.get("/api/regions", params={"province": "53", "level": "regency"}).json()["items"]
    assert ntt and all(r["province_code"] == "53" and r["level"] in ("kabupaten", "kota") for r in ntt)
    assert len(client.get("/api/regions", params={"level": "kecamatan"}).json()["items"]) == 7285
    rows = list(csv.DictReader(io.StringIO(client.get("/api/regions", params={"format": "csv"}).text)))
    assert [r["code"] for r in rows] == [r["code"] for r in body["items"]]


# ---- events -----------------------------------------------------------------------------------


@pytest.mark.parametrize("since", [None, "2023-01-01"])
@pytest.mark.parametrize("sort", ["-date", "date", "-id", "id"])
def test_cursor_pagination_walks_every_event_once_in_order(client, everything, sort, since):
    if since:  # undated events match by their publication day and still come last
        everything = [e for e in everything if event_overlaps(e, since, None)]
    seen: list[dict[str, Any]] = []
    cursor = None
    pages = 0
    while True:
        params = {
            "limit": 7,
            "sort": sort,
            **({"since": since} if since else {}),
            **({"cursor": cursor} if cursor else {}),
        }
        body = client.get("/api/events", params=params).json()
        seen.extend(body["items"])
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert pages == -(-len(everything) // 7)
    assert sorted(e["id"] for e in seen) == sorted(e["id"] for e in everything)
    if sort.endswith("id"):
        expected = sorted(seen, key=lambda e: e["id"], reverse=sort.startswith("-"))
    else:
        dated = [e for e in seen if e["date_from"]]
        expected = sorted(dated, key=lambda e: (e["date_from"], e["id"]), reverse=sort.startswith("-"))
        expected += sorted((e for e in seen if not e["date_from"]), key=lambda e: e["id"], reverse=sort.startswith("-"))
    assert [e["id"] for e in seen] == [e["id"] for e in expected]


def test_a_cursor_of_another_sort_is_refused(client):
    cursor = client.get("/api/events", params={"limit": 2}).json()["next_cursor"]
    response = client.get("/api/events", params={"limit": 2, "cursor": cursor, "sort": "id"})
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["query", "cursor"]


def _a_province_with_regency_only_events(everything) -> str:
    for item in everything:
        for region in item["regions"]:
            if region["level"] in ("kabupaten", "kota"):
                province = region["code"][:2]
                return province
    raise AssertionError("no regency-level event in the fixture")


def test_region_filter_includes_the_regions_inside(client, everything):
    province = _a_province_with_regency_only_events(everything)
    got = ids(client.get("/api/events", params={"region": province, "limit": 500}))
    expected = [e["id"] for e in everything if in_region(e, province)]
    assert got == expected and got
    regency_events = [e for e in everything if any(r["code"].startswith(province + ".") for r in e["regions"])]
    assert {e["id"] for e in regency_events} <= set(got)
    regency = next(r["code"] for e in regency_events for r in e["regions"] if r["code"].startswith(province + "."))[:5]
    assert ids(client.get("/api/events", params={"region": regency, "limit": 500})) == [
        e["id"] for e in everything if in_region(e, regency)
    ]


def _first(everything, key):
    return next(v for e in everything for v in key(e))


FILTERS = {
    "type": (lambda ev: ["rakor"], lambda e, v: e["type"] == v),
    "subject": (lambda ev: ["village"], lambda e, v: e["subject"] == v),
    "person": (
        lambda ev: [_first(ev, lambda e: [o["name"][1:5].lower() for o in e["officials"]])],
        lambda e, v: any(v.lower() in o["name"].lower() for o in e["officials"]),
    ),
    "sanction_kind": (lambda ev: ["sanksi"], lambda e, v: any(s["kind"] == v for s in e["sanctions"])),
    "sanction_status": (lambda ev: ["imposed"], lambda e, v: any(s["status"] == v for s in e["sanctions"])),
    "election": (lambda ev: ["pilkada"], lambda e, v: any(x["kind"] == v for x in e["elections"])),
    "election_year": (lambda ev: [2020], lambda e, v: any(x["year"] == v for x in e["elections"])),
    "q": (lambda ev: ["netralitas"], lambda e, v: any(v in s.lower() for s in e["evidence"])),
    "since": (lambda ev: ["2024-01-01"], lambda e, v: event_overlaps(e, v, None)),
    "until": (lambda ev: ["2023-12-31"], lambda e, v: event_overlaps(e, None, v)),
}


@pytest.mark.parametrize("name", sorted(FILTERS))
def test_each_filter_matches_the_same_filter_in_python(client, everything, name):
    values, keep = FILTERS[name]
    for value in values(everything):
        got = ids(client.get("/api/events", params={name: value, "limit": 500}))
        expected = [e["id"] for e in everything if keep(e, value)]
        assert got == expected, (name, value)
        assert 0 < len(got) < len(everything), (name, value, len(got))


def test_free_text_searches_every_evidence_sentence_case_insensitively(client, engine, everything):
    # q also matches evidence of other fields than the event sentence: check against the store directly.
    with engine.connect() as conn:
        expected = sorted(
            r[0]
            for r in conn.execute(text("SELECT DISTINCT event_id FROM evidence WHERE lower(sentence) LIKE '%bawaslu%'"))
        )
    got = sorted(ids(client.get("/api/events", params={"q": "BAWASLU", "limit": 500})))
    assert got == expected and got
    assert ids(client.get("/api/events", params={"q": "%_%"})) == []  # LIKE wildcards are literal


def test_filters_combine(client, everything):
    params = {"type": ["rakor", "pledge"], "since": "2023-01-01", "until": "2024-12-31", "limit": 500}
    got = ids(client.get("/api/events", params=params))
    expected = [
        e["id"]
        for e in everything
        if e["type"] in ("rakor", "pledge") and event_overlaps(e, "2023-01-01", "2024-12-31")
    ]
    assert got == expected and got
    count = client.get("/api/events/count", params={k: v for k, v in params.items() if k != "limit"}).json()
    assert count == {"count": len(expected)}


def test_event_detail_has_officials_sanctions_and_provenance(client, everything):
    item = next(e for e in everything if e["officials"] and e["sanctions"])
    detail = client.get(f"/api/events/{item['id']}").json()
    assert detail["officials"] == item["officials"] and detail["sanctions"] == item["sanctions"]
    assert detail["url"] and detail["url"].startswith("http")
    fields = {p["field"] for p in detail["provenance"]}
    assert {"type", "event", "officials[0]", "sanctions[0]"} <= fields
    for p in detail["provenance"]:
        assert p["rule"] and p["rule_version"]
        assert p["char_start"] is None or 0 <= p["char_start"] <= p["char_end"]
    assert detail["evidence"] == [
        p["sentence"] for p in detail["provenance"] if p["field"] == "event" and p["sentence"]
    ]
    assert client.get("/api/events/999999").status_code == 404
    assert client.get("/api/events/abc").status_code == 422


def test_events_csv_matches_json(client, everything):
    response = client.get("/api/events", params={"format": "csv", "limit": 500})
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [int(r["id"]) for r in rows] == [e["id"] for e in everything]
    for row, item in zip(rows, everything, strict=True):
        assert row["regions"] == ";".join(r["code"] for r in item["regions"])
        assert row["evidence"] == " | ".join(item["evidence"])
        assert row["url"] == (item["url"] or "")
    paged = client.get("/api/events", params={"format": "csv", "limit": 5})
    assert paged.headers["x-next-cursor"]


@pytest.mark.parametrize(("since", "until"), [("2024-01-01", None), (None, "2023-12-31"), ("2023-01-01", "2024-12-31")])
def test_date_bounds_keep_undated_events_by_publication_day_like_event_filter(
    client, store_url, everything, since, until
):
    params = {"limit": 500, **({"since": since} if since else {}), **({"until": until} if until else {})}
    body = client.get("/api/events", params=params).json()
    undated = [e for e in body["items"] if e["date_from"] is None]
    assert undated and all(e["date_basis"] == "published" and e["published_on"] for e in undated)
    assert all(e["date_basis"] == "event" for e in body["items"] if e["date_from"])
    # The same bound as the researchers' frames (EventFilter) on the same store.
    flt = EventFilter(
        since=date.fromisoformat(since) if since else None, until=date.fromisoformat(until) if until else None
    )
    store_engine = create_engine(store_url)
    try:
        frame = events_frame(store_engine, flt)
    finally:
        store_engine.dispose()
    assert sorted(e["id"] for e in body["items"]) == sorted(int(i) for i in frame["event_id"])
    by_id = dict(zip(frame["event_id"], frame["date_basis"], strict=True))
    assert all(by_id[e["id"]] == e["date_basis"] for e in body["items"])
    assert client.get("/api/events/count", params={k: v for k, v in params.items() if k != "limit"}).json() == {
        "count": len(body["items"])
    }
    rows = list(csv.DictReader(io.StringIO(client.get("/api/events", params={**params, "format": "csv"}).text)))
    assert [r["date_basis"] for r in rows] == [e["date_basis"] for e in body["items"]]
    detail = client.get(f"/api/events/{undated[0]['id']}").json()
    assert detail["date_basis"] == "published" and detail["published_on"] == undated[0]["published_on"]


# ---- officials and sanctions ------------------------------------------------------------------


def _walk(client, path, params):
    out, cursor = [], None
    while True:
        body = client.get(path, params={**params, "limit": 9, **({"cursor": cursor} if cursor else {})}).json()
        out.extend(body["items"])
        cursor = body["next_cursor"]
        if not cursor:
            return out


def test_officials_rows_and_filters(client, everything):
    rows = _walk(client, "/api/officials", {})
    assert len(rows) == sum(len(e["officials"]) for e in everything)
    bupati = _walk(client, "/api/officials", {"office": "bupati", "type": "rakor"})
    expected = [
        (e["id"], o["name"])
        for e in everything
        if e["type"] == "rakor"
        for o in e["officials"]
        if o["office"] == "bupati"
    ]
    assert sorted((r["event_id"], r["name"]) for r in bupati) == sorted(expected) and expected
    as_csv = list(
        csv.DictReader(io.StringIO(client.get("/api/officials", params={"format": "csv", "limit": 1000}).text))
    )
    assert [(int(r["event_id"]), r["name"]) for r in as_csv] == [(r["event_id"], r["name"]) for r in rows]


def test_sanctions_rows_summary_and_filters(client, everything):
    rows = _walk(client, "/api/sanctions", {})
    assert len(rows) == sum(len(e["sanctions"]) for e in everything)
    imposed = _walk(client, "/api/sanctions", {"sanction_status": "imposed"})
    assert imposed and all(r["status"] == "imposed" for r in imposed)
    assert len(imposed) == sum(1 for e in everything for s in e["sanctions"] if s["status"] == "imposed")
    summary = client.get("/api/sanctions/summary").json()["items"]
    assert sum(i["count"] for i in summary) == len(rows)
    by_month: dict[Any, int] = {}
    for e in everything:
        month = e["date"][:7] if e["date"] and len(e["date"]) >= 7 else None
        by_month[month] = by_month.get(month, 0) + len(e["sanctions"])
    got: dict[Any, int] = {}
    for i in summary:
        got[i["month"]] = got.get(i["month"], 0) + i["count"]
    assert got == {k: v for k, v in by_month.items() if v}


# ---- coverage ---------------------------------------------------------------------------------


def expected_coverage(everything, types, since, until, width, what="incidents"):
    """Incidents (an event in none counts as its own) or events per region, from the event list."""
    found: dict[str, set[str]] = {}
    for e in everything:
        if e["type"] not in types or not event_overlaps(e, since, until):
            continue
        key = f"e{e['id']}" if what == "events" or e["incident_id"] is None else f"i{e['incident_id']}"
        for code in {r["code"][:width] for r in e["regions"] if len(r["code"]) >= width}:
            found.setdefault(code, set()).add(key)
    return {code: len(keys) for code, keys in found.items()}


@pytest.mark.parametrize("level,width", [("regency", 5), ("province", 2)])
def test_coverage_counts_and_regions_without(client, everything, level, width):
    params = {"type": ["rakor", "pledge"], "from": "2022-01-01", "to": "2025-12-31", "level": level}
    body = client.get("/api/coverage", params=params).json()
    want = 514 if level == "regency" else 38
    assert len(body["regions"]) == body["totals"]["regions"] == want
    expected = expected_coverage(everything, ("rakor", "pledge"), "2022-01-01", "2025-12-31", width)
    got = {r["code"]: r["count"] for r in body["regions"] if r["count"]}
    assert got == expected and got
    events = expected_coverage(everything, ("rakor", "pledge"), "2022-01-01", "2025-12-31", width, "events")
    assert {r["code"]: r["events"] for r in body["regions"] if r["events"]} == events
    assert {r["code"] for r in body["without"]} == {r["code"] for r in body["regions"]} - set(expected)
    assert body["totals"]["without_events"] == want - len(expected)


def test_coverage_of_one_province_and_one_month(client, everything):
    counts = expected_coverage(everything, ("rakor",), "2000-01-01", "2100-01-01", 5)
    regency = max(counts, key=counts.__getitem__)
    event = next(e for e in everything if e["type"] == "rakor" and e["date_from"] and in_region(e, regency))
    month = event["date_from"][:7]
    last = date.fromisoformat(month + "-01").replace(day=28).isoformat()  # inside the month: enough here
    params = {"type": "rakor", "from": month + "-01", "to": last, "province": regency[:2]}
    body = client.get("/api/coverage", params=params).json()
    regions = load_regions()
    assert {r["code"] for r in body["regions"]} == {
        c for c, r in regions.items() if r.level in ("kabupaten", "kota") and r.province_code == regency[:2]
    }
    assert next(r for r in body["regions"] if r["code"] == regency)["count"] >= 1
    without = list(
        csv.DictReader(
            io.StringIO(client.get("/api/coverage", params={**params, "only": "without", "format": "csv"}).text)
        )
    )
    assert [r["code"] for r in without] == [r["code"] for r in body["without"]]
    assert all(r["count"] == "0" for r in without)


def test_coverage_csv_matches_json(client):
    params = {"from": "2023-01-01", "to": "2024-12-31"}
    body = client.get("/api/coverage", params=params).json()
    rows = list(csv.DictReader(io.StringIO(client.get("/api/coverage", params={**params, "format": "csv"}).text)))
    assert [(r["code"], int(r["count"])) for r in rows] == [(r["code"], r["count"]) for r in body["regions"]]


# ---- bad parameters, the page cap, errors -----------------------------------------------------


@pytest.mark.parametrize(
    "path,params,name",
    [
        ("/api/events", {"type": "rakorr"}, "type"),
        ("/api/events", {"region": "99.99"}, "region"),
        ("/api/events", {"since": "2024-13-01"}, "since"),
        ("/api/events", {"since": "2024-02-01", "until": "2024-01-01"}, "until"),
        ("/api/events", {"limit": 0}, "limit"),
        ("/api/events", {"limit": 501}, "limit"),
        ("/api/events", {"limit": 10_001, "format": "csv"}, "limit"),
        ("/api/events", {"cursor": "not-a-cursor"}, "cursor"),
        ("/api/events", {"sort": "date desc"}, "sort"),
        ("/api/events", {"format": "xml"}, "format"),
        ("/api/events", {"person": "x" * 101}, "person"),
        ("/api/events", {"q": "\x00x"}, "q"),
        ("/api/events", {"election_year": "20x4"}, "election_year"),
        ("/api/officials", {"office": "raja"}, "office"),
        ("/api/sanctions", {"sanction_kind": "denda"}, "sanction_kind"),
        ("/api/coverage", {"to": "2024-01-31"}, "from"),
        ("/api/coverage", {"from": "2024-01-01"}, "to"),
        ("/api/coverage", {"from": "2024-01-01", "to": "2024-01-31", "level": "kecamatan"}, "level"),
        ("/api/coverage", {"from": "2024-01-01", "to": "2024-01-31", "province": "53.04"}, "province"),
        ("/api/coverage", {"from": "2024-02-01", "to": "2024-01-31"}, "to"),
        ("/api/regions", {"province": "77"}, "province"),
    ],
)
def test_bad_parameters_get_a_422_naming_them(client, path, params, name):
    response = client.get(path, params=params)
    assert response.status_code == 422, response.text
    assert name in [d["loc"][1] for d in response.json()["detail"]]


def test_page_size_cap(client):
    assert len(client.get("/api/events", params={"limit": 500}).json()["items"]) <= 500
    assert client.get("/api/events", params={"limit": 10_000, "format": "csv"}).status_code == 200


def test_an_unexpected_error_never_shows_a_stack_trace(client, monkeypatch):
    def explode(*_args, **_kwargs):
        raise RuntimeError("secret internals /srv/netra/password=hunter2")

    monkeypatch.setattr(serving, "list_events", explode)
    response = client.get("/api/events")
    assert response.status_code == 500
    body = response.json()
    assert body["detail"] == "internal error" and body["error_id"]
    assert "secret" not in response.text and "Traceback" not in response.text and "hunter2" not in response.text


def test_a_broken_store_is_an_error_without_a_stack_trace(tmp_path, store_url):
    from sqlalchemy.engine import make_url

    if store_url.startswith("sqlite"):
        # A store file that went bad under a running server.
        copy = tmp_path / "broken.db"
        shutil.copy(store_url.removeprefix("sqlite:///"), copy)
        engine = serving.readonly_engine(f"sqlite:///{copy}")
        copy.write_bytes(b"this is not a database" * 100)
    else:
        # A server whose database went away.
        gone = make_url(store_url).set(database="netra_no_such_database")
        engine = serving.readonly_engine(gone.render_as_string(hide_password=False))
    with TestClient(create_app(engine), raise_server_exceptions=False) as broken:
        for path in ("/api/events", "/api/coverage?from=2024-01-01&to=2024-01-31", "/api/events/1"):
            response = broken.get(path)
            assert response.status_code in (500, 503), (path, response.status_code)
            assert response.json()["error_id"]
            for leak in ("Traceback", "sqlite", "psycopg", "SELECT", "netra_no_such_database"):
                assert leak.lower() not in response.text.lower(), (path, leak)
        assert broken.get("/api/health").status_code == 503
    engine.dispose()


def test_openapi_documents_every_endpoint(client):
    schema = client.get("/openapi.json").json()
    assert {
        "/api/events",
        "/api/events/{event_id}",
        "/api/coverage",
        "/api/officials",
        "/api/sanctions",
        "/api/sanctions/summary",
        "/api/regions",
        "/api/health",
    } <= set(schema["paths"])
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/static/vendor/swagger-ui/swagger-ui-bundle.js" in docs.text
    assert "cdn" not in docs.text.lower()
    assert client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200


# ---- property-based fuzz ----------------------------------------------------------------------

_text = st.text(st.characters(codec="utf-8"), max_size=30)
_maybe = lambda values: st.one_of(st.sampled_from(values), _text)  # noqa: E731
_dates = st.one_of(st.dates(date(1900, 1, 1), date(2100, 12, 31)).map(date.isoformat), _text)
_codes = [*[c for c in load_regions() if c.count(".") < 2][:40], "53", "53.04", "31.72"]

EVENT_PARAMS = {
    "region": _maybe(_codes),
    "type": st.lists(_maybe(list(EVENT_TYPES)), max_size=3),
    "subject": _maybe(["asn", "village", "tni", "polri", "other"]),
    "since": _dates,
    "until": _dates,
    "person": _text,
    "sanction_kind": _maybe(list(SANCTION_KINDS)),
    "sanction_status": _maybe(["mentioned", "imposed"]),
    "election": _maybe(["pilkada", "pemilu"]),
    "election_year": st.one_of(st.integers(-(10**20), 10**20), _text),
    "q": _text,
    "sort": _maybe(["-date", "date", "id", "-id"]),
    "limit": st.one_of(st.integers(-5, 20_000), _text),
    "cursor": _text,
    "format": _maybe(["json", "csv"]),
    "from": _dates,
    "to": _dates,
    "level": _maybe(["regency", "province"]),
    "province": _maybe(["53", "11", "31"]),
    "office": _maybe(["bupati", "sekda"]),
    "only": _maybe(["all", "with", "without"]),
}
PATHS = [
    "/api/events",
    "/api/events/count",
    "/api/coverage",
    "/api/officials",
    "/api/sanctions",
    "/api/sanctions/summary",
    "/api/regions",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    path=st.sampled_from(PATHS),
    params=st.fixed_dictionaries({}, optional=EVENT_PARAMS),
    event_id=st.one_of(st.integers(-(10**20), 10**20), _text),
)
def test_fuzzed_parameters_never_cause_a_server_error(client, path, params, event_id):
    response = client.get(path, params=params)
    assert response.status_code in (200, 422), (path, params, response.status_code, response.text[:300])
    detail = client.get("/api/events/" + quote(str(event_id), safe=""))
    assert detail.status_code in (200, 404, 422), (event_id, detail.status_code)


# ---- incidents --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def all_incidents(client) -> list[dict[str, Any]]:
    body = client.get("/api/incidents", params={"limit": 500}).json()
    assert body["next_cursor"] is None and body["items"]
    return body["items"]


def test_incidents_hold_exactly_the_events_linked_to_them(all_incidents, everything):
    by_incident: dict[int, set[str]] = {}
    for e in everything:
        assert e["incident_id"] is not None  # the ingest path links every event
        by_incident.setdefault(e["incident_id"], set()).add(e["doc_key"])
    assert {i["id"]: set(i["documents"]) for i in all_incidents} == by_incident
    assert any(len(i["documents"]) > 1 for i in all_incidents)  # dev has syndicated stories: some linked
    for item in all_incidents:
        assert 1 <= item["outlets"] <= len(item["documents"])
        assert [r["doc_key"] for r in item["reports"]]  # the reports are listed with their sources


def test_incident_pages_follow_the_cursor(client, all_incidents):
    seen, cursor = [], None
    while True:
        params: dict[str, Any] = {"limit": 7, **({"cursor": cursor} if cursor else {})}
        body = client.get("/api/incidents", params=params).json()
        seen += [i["id"] for i in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == [i["id"] for i in all_incidents]
    assert client.get("/api/incidents", params={"cursor": "bm9wZQ"}).status_code == 422
    events_cursor = client.get("/api/events", params={"limit": 1}).json()["next_cursor"]
    assert client.get("/api/incidents", params={"cursor": events_cursor}).status_code == 422


def test_incident_filters_match_a_python_filter(client, all_incidents):
    def got(params):
        response = client.get("/api/incidents", params={"limit": 500, **params})
        assert response.status_code == 200, response.text
        return [i["id"] for i in response.json()["items"]]

    region = next(r["code"] for i in all_incidents for r in i["regions"] if "." in r["code"])[:2]
    assert got({"region": region}) == [i["id"] for i in all_incidents if in_region(i, region)]
    assert got({"type": ["violation", "sanction"]}) == [
        i["id"] for i in all_incidents if i["type"] in ("violation", "sanction")
    ]
    assert got({"since": "2024-01-01", "until": "2024-12-31"}) == [
        i["id"] for i in all_incidents if overlaps(i, "2024-01-01", "2024-12-31")
    ]
    assert client.get("/api/incidents", params={"region": "99.99"}).status_code == 422


def test_incidents_csv_matches_json(client, all_incidents):
    rows = list(csv.DictReader(io.StringIO(client.get("/api/incidents", params={"limit": 500, "format": "csv"}).text)))
    assert [int(r["id"]) for r in rows] == [i["id"] for i in all_incidents]
    assert [r["documents"].split(";") for r in rows] == [i["documents"] for i in all_incidents]


def test_incident_detail_resolves_merged_ids(client, engine, all_incidents):
    some = next(i for i in all_incidents if len(i["documents"]) > 1)
    body = client.get(f"/api/incidents/{some['id']}").json()
    assert body["documents"] == some["documents"] and body["resolved_from"] is None
    linked = [r for r in body["reports"] if r["links"]]
    assert linked and all(
        {"with", "score", "text_similarity", "date"} <= set(link) for r in linked for link in r["links"]
    )
    with engine.connect() as conn:
        merges = conn.execute(text("SELECT old_id, new_id FROM incident_merges")).all()
    for old_id, new_id in merges:
        merged = client.get(f"/api/incidents/{old_id}").json()
        assert merged["id"] == new_id and merged["resolved_from"] == old_id
    assert client.get("/api/incidents/999999").status_code == 404
