"""The dashboard in a real browser: Playwright driving Debian's chromium (headless) against a real
uvicorn server on 127.0.0.1 over a store filled by the ingest path (the 68 dev articles).

Never skipped: without /usr/bin/chromium (``.ci/run`` installs the Debian package) these fail.
"""

from __future__ import annotations

import csv
import io
import json
import os
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from pipeline.serve import create_app
from pipeline.store import serving
from tests.serve_support import fill_store, live_server

CHROMIUM = Path(os.environ.get("NETRA_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
PERIOD = {"from": "2022-01-01", "to": "2025-12-31"}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'netra.db'}"
    fill_store(url)
    engine = serving.open_readonly(url)
    with live_server(create_app(engine)) as base:
        yield base
    engine.dispose()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.is_file():
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's chromium package (.ci/run does: apt-get install chromium)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 800}, accept_downloads=True, locale="id-ID")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
    page.on("console", lambda msg: errors.append(f"console: {msg.text}") if msg.type == "error" else None)
    yield page
    context.close()
    assert errors == [], errors


def api(base: str, path: str, params: dict[str, Any] | list[tuple[str, str]]) -> Any:
    query = urllib.parse.urlencode(params, doseq=True)
    with urllib.request.urlopen(f"{base}{path}?{query}", timeout=30) as response:
        body = response.read().decode("utf-8")
        return json.loads(body) if response.headers.get_content_type() == "application/json" else body


def open_dashboard(page, base: str, query: str = "") -> None:
    page.goto(f"{base}/{query}")
    page.wait_for_selector("body[data-ready]", timeout=30_000)


def wait_refreshed(page, before: str | None) -> None:
    page.wait_for_function(
        "(before) => document.body.dataset.ready && document.body.dataset.ready !== before"
        " && !document.body.classList.contains('loading')",
        arg=before,
        timeout=30_000,
    )


def url_params(page) -> dict[str, list[str]]:
    return urllib.parse.parse_qs(urllib.parse.urlparse(page.url).query)


def busiest_regency(base: str, types: tuple[str, ...] = ("rakor", "pledge")) -> dict[str, Any]:
    coverage = api(base, "/api/coverage", {"type": list(types), **PERIOD})
    return max(coverage["regions"], key=lambda r: r["count"])


def test_the_map_draws_every_region_coloured_by_the_api(server, page):
    open_dashboard(page, server, "?type=rakor&type=pledge&from=2022-01-01&to=2025-12-31")
    regions = page.locator("#map path.region")
    assert regions.count() == 514
    assert (
        page.eval_on_selector_all(
            "#map path.region", "ps => ps.filter(p => (p.getAttribute('d') || '').length > 10).length"
        )
        == 514
    )
    codes = set(page.eval_on_selector_all("#map path.region", "ps => ps.map(p => p.dataset.code)"))
    coverage = api(server, "/api/coverage", {"type": ["rakor", "pledge"], **PERIOD})
    assert codes == {r["code"] for r in coverage["regions"]}
    shown = dict(
        page.eval_on_selector_all("#map path.region", "ps => ps.map(p => [p.dataset.code, Number(p.dataset.count)])")
    )
    assert shown == {r["code"]: r["count"] for r in coverage["regions"]}
    coloured = page.locator("#map path.region:not(.q0):not(.outside)").count()
    assert coloured == coverage["totals"]["with_events"] > 0
    assert page.locator("#without tbody tr").count() == coverage["totals"]["without_events"]
    assert f"{coverage['totals']['with_events']} dari 514" in page.inner_text("#summary")
    # Every region is drawn with a real size on screen.
    sizes = page.eval_on_selector_all("#map path.region", "ps => ps.map(p => p.getBBox().width * p.getBBox().height)")
    assert min(sizes) > 0


def test_three_clicks_province_month_and_region(server, page):
    """The NGO question: which regencies of one province held a rakor in a month, and which did not."""
    regency = busiest_regency(server, ("rakor",))
    province = regency["province_code"]
    events = api(server, "/api/events", {"region": regency["code"], "type": "rakor", "limit": 500, "sort": "-date"})[
        "items"
    ]
    month = next(e["date_from"][:7] for e in events if e["date_from"])
    open_dashboard(page, server)
    # 1. event type: rakor only
    before = page.get_attribute("body", "data-ready")
    page.uncheck('#types input[value="pledge"]')
    wait_refreshed(page, before)
    # 2. province
    before = page.get_attribute("body", "data-ready")
    page.select_option("#province", province)
    wait_refreshed(page, before)
    # 3. month
    before = page.get_attribute("body", "data-ready")
    page.fill("#month", month)
    page.dispatch_event("#month", "change")
    wait_refreshed(page, before)
    params = url_params(page)
    assert params["type"] == ["rakor"] and params["province"] == [province]
    assert params["from"] == [f"{month}-01"] and params["to"][0].startswith(month)
    coverage = api(
        server,
        "/api/coverage",
        {"type": "rakor", "from": params["from"][0], "to": params["to"][0], "province": province},
    )
    assert coverage["totals"]["with_events"] >= 1
    shown_without = page.eval_on_selector_all("#without tbody tr", "rs => rs.map(r => r.dataset.code)")
    assert shown_without == [r["code"] for r in coverage["without"]]
    assert page.locator("#map path.region.outside").count() == 514 - coverage["totals"]["regions"]
    # the map zoomed to the province: the regency is now large enough to click like a user does
    page.click(f'#map path.region[data-code="{regency["code"]}"]')
    page.wait_for_function(f"() => new URLSearchParams(location.search).get('region') === '{regency['code']}'")
    page.wait_for_function(
        "() => !document.body.classList.contains('loading') && document.querySelectorAll('#region-events li').length > 0"
    )
    in_month = api(
        server,
        "/api/events",
        {
            "region": regency["code"],
            "type": "rakor",
            "since": params["from"][0],
            "until": params["to"][0],
            "limit": 500,
        },
    )["items"]
    items = page.locator("#region-events li.event")
    assert items.count() == len(in_month) > 0
    assert page.inner_text("#region-title") == regency["name"]
    first, expected = items.nth(0), in_month[0]
    assert first.get_attribute("data-id") == str(expected["id"])
    assert expected["date"] in first.inner_text()
    if expected["url"]:
        assert first.locator("a", has_text="Baca artikel").get_attribute("href") == expected["url"]
    if expected["evidence"]:
        assert first.locator("blockquote.evidence").inner_text() == expected["evidence"][0]
    for official in expected["officials"]:
        assert official["name"] in first.locator(".officials").inner_text()


def test_a_click_lists_the_regions_events(server, page):
    regency = busiest_regency(server)
    open_dashboard(page, server, "?type=rakor&type=pledge&from=2022-01-01&to=2025-12-31")
    before = page.get_attribute("body", "data-ready")
    page.locator(f'#map path.region[data-code="{regency["code"]}"]').dispatch_event("click")
    wait_refreshed(page, before)
    expected = api(
        server,
        "/api/events",
        {
            "region": regency["code"],
            "type": ["rakor", "pledge"],
            "since": PERIOD["from"],
            "until": PERIOD["to"],
            "limit": 500,
        },
    )["items"]
    shown = page.eval_on_selector_all("#region-events li.event", "ls => ls.map(l => Number(l.dataset.id))")
    assert shown == [e["id"] for e in expected] and len(shown) == regency["events"]
    assert url_params(page)["region"] == [regency["code"]]
    assert page.locator(f'#map path.region.selected[data-code="{regency["code"]}"]').count() == 1


def test_a_filter_change_updates_the_url_and_the_results(server, page):
    open_dashboard(page, server, "?type=rakor&type=pledge&from=2022-01-01&to=2025-12-31")
    both = api(server, "/api/coverage", {"type": ["rakor", "pledge"], **PERIOD})["totals"]
    assert page.locator("#without tbody tr").count() == both["without_events"]
    before = page.get_attribute("body", "data-ready")
    page.uncheck('#types input[value="rakor"]')
    wait_refreshed(page, before)
    assert url_params(page)["type"] == ["pledge"]
    pledge = api(server, "/api/coverage", {"type": "pledge", **PERIOD})["totals"]
    assert pledge["without_events"] != both["without_events"]
    assert page.locator("#without tbody tr").count() == pledge["without_events"]
    assert page.locator("#map path.region:not(.q0):not(.outside)").count() == pledge["with_events"]
    before = page.get_attribute("body", "data-ready")
    page.fill("#to", "2023-06-30")
    page.dispatch_event("#to", "change")
    wait_refreshed(page, before)
    assert url_params(page)["to"] == ["2023-06-30"]
    short = api(server, "/api/coverage", {"type": "pledge", "from": PERIOD["from"], "to": "2023-06-30"})["totals"]
    assert page.locator("#without tbody tr").count() == short["without_events"]
    # the shared URL restores the same view in a new page
    shared = page.url
    other = page.context.new_page()
    other.goto(shared)
    other.wait_for_selector("body[data-ready]")
    assert other.is_checked('#types input[value="pledge"]') and not other.is_checked('#types input[value="rakor"]')
    assert other.input_value("#to") == "2023-06-30"
    assert other.locator("#without tbody tr").count() == short["without_events"]
    # back goes to the previous view
    page.go_back()
    page.wait_for_function("() => new URLSearchParams(location.search).get('to') === '2025-12-31'")
    page.wait_for_function(
        f"() => document.querySelectorAll('#without tbody tr').length === {pledge['without_events']}"
    )


def _download(page, selector: str) -> str:
    with page.expect_download() as info:
        page.click(selector)
    return Path(info.value.path()).read_text(encoding="utf-8")


def test_csv_downloads_match_the_api(server, page):
    regency = busiest_regency(server)
    open_dashboard(
        page, server, f"?type=rakor&type=pledge&from=2022-01-01&to=2025-12-31&province={regency['province_code']}"
    )
    coverage = api(
        server, "/api/coverage", {"type": ["rakor", "pledge"], **PERIOD, "province": regency["province_code"]}
    )
    rows = list(csv.DictReader(io.StringIO(_download(page, "#download-coverage"))))
    assert [(r["code"], int(r["count"])) for r in rows] == [(r["code"], r["count"]) for r in coverage["regions"]]
    rows = list(csv.DictReader(io.StringIO(_download(page, "#download-without"))))
    assert [r["code"] for r in rows] == [r["code"] for r in coverage["without"]]
    assert [r["code"] for r in rows] == page.eval_on_selector_all(
        "#without tbody tr", "rs => rs.map(r => r.dataset.code)"
    )
    # the selected region's events
    before = page.get_attribute("body", "data-ready")
    page.click(f'#map path.region[data-code="{regency["code"]}"]')
    wait_refreshed(page, before)
    events = api(
        server,
        "/api/events",
        {
            "region": regency["code"],
            "type": ["rakor", "pledge"],
            "since": PERIOD["from"],
            "until": PERIOD["to"],
            "limit": 500,
        },
    )["items"]
    rows = list(csv.DictReader(io.StringIO(_download(page, "#download-events"))))
    assert (
        [int(r["id"]) for r in rows]
        == [e["id"] for e in events]
        == page.eval_on_selector_all("#region-events li.event", "ls => ls.map(l => Number(l.dataset.id))")
    )
    assert [r["url"] for r in rows] == [e["url"] or "" for e in events]
    # the sanctions panel
    summary = api(
        server,
        "/api/sanctions/summary",
        {"since": PERIOD["from"], "until": PERIOD["to"], "region": regency["province_code"]},
    )
    rows = list(csv.DictReader(io.StringIO(_download(page, "#download-sanctions"))))
    assert [(r["kind"], r["status"], int(r["count"])) for r in rows] == [
        (i["kind"], i["status"], i["count"]) for i in summary["items"]
    ]


def test_sanctions_panel_shows_kinds_and_statuses(server, page):
    open_dashboard(page, server, "?type=rakor&from=2022-01-01&to=2025-12-31")
    summary = api(server, "/api/sanctions/summary", {"since": PERIOD["from"], "until": PERIOD["to"]})["items"]
    kinds = sorted({i["kind"] for i in summary})
    assert kinds, "the fixture should report sanctions in the period"
    rows = page.locator("#sanctions tbody tr")
    assert rows.count() == len(kinds)
    totals = {k: sum(i["count"] for i in summary if i["kind"] == k) for k in kinds}
    for k in range(rows.count()):
        cells = rows.nth(k).locator("td").all_inner_texts()
        assert int(cells[-1]) == totals[kinds[k]]
    assert page.locator("#sanctions-chart rect").count() == len(
        {(i["month"], i["status"]) for i in summary if i["month"]}
    )


def test_api_errors_show_in_the_page_not_a_trace(server, page):
    page.goto(f"{server}/?type=rakor&from=2024-02-01&to=2024-01-01")
    page.wait_for_function("() => document.getElementById('status').textContent.length > 0")
    assert "Periode tidak valid" in page.inner_text("#status")
    response = page.request.get(f"{server}/api/events?region=zz")
    assert response.status == 422 and "Traceback" not in response.text()


def test_api_docs_render_offline_from_the_package(server, page):
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{server}/docs")
    page.wait_for_selector(".opblock", timeout=30_000)
    assert page.locator(".opblock-summary-path", has_text="/api/coverage").count() == 1
    assert all(url.startswith(server) or url.startswith("data:") for url in requests), requests
