"""Latency of ``netra serve`` on a large store: p50/p95 of the main API calls, beside the bare SQL.

    python bench/serve.py [--events 1000000] [--sqlite-events 1000000] [--repeat 200]
                          [--postgres postgresql://postgres@127.0.0.1:5432/test]

Fills a throwaway PostgreSQL database (``bench/_support.py``) with synthetic events
(``bench/_synthetic.py``: regions, types and ten years spread like the nightly's output), starts
``netra serve`` on it in a subprocess (127.0.0.1, a free port) and times, for each call:

- **http**: the API call over HTTP/1.1 keep-alive, response read (what a client sees);
- **library**: the ``pipeline.store.serving`` function in this process (no HTTP, no JSON);
- **sql**: the bare main SQL statement of the call, the same statement the library runs
  (for a list: the page query; the per-page child queries are in *library*).

and prints the indexes ``EXPLAIN`` shows for each statement. Then the same on SQLite with the
same rows (``--sqlite-events``; 0 skips it). Goal: http p95 <= 20 ms on PostgreSQL.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _support import throwaway_pg_database  # noqa: E402
from _synthetic import fill  # noqa: E402
from sqlalchemy import Engine, text  # noqa: E402

from pipeline.store import serving  # noqa: E402
from pipeline.store.db import open_store  # noqa: E402
from pipeline.store.serving import CoverageQuery, EventQuery  # noqa: E402


class _Skip(Exception):
    """--events 0: no PostgreSQL part."""


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed(fn: Callable[[], Any], repeat: int, warmup: int = 5) -> tuple[float, float]:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples), percentile(samples, 0.95)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """``netra --db URL serve`` in a subprocess, and a keep-alive HTTP client to it."""

    def __init__(self, url: str):
        self.port = _free_port()
        env = {**os.environ, "NETRA_LOG_FORMAT": "text"}
        env.pop("NETRA_CONFIG", None)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "pipeline.cli", "--db", url, "serve", "--port", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=env,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                self.get("/api/health")
                return
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"netra serve did not start: {self.proc.stderr.read() if self.proc.stderr else ''}"
                    ) from None
                time.sleep(0.3)

    def get(self, path: str) -> bytes:
        try:
            self.conn.request("GET", path)
            response = self.conn.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            # uvicorn closes a keep-alive connection idle for 5 s (while the other columns were timed)
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            self.conn.request("GET", path)
            response = self.conn.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"{path}: HTTP {response.status}: {body[:300]!r}")
        return body

    def close(self) -> None:
        self.conn.close()
        self.proc.terminate()
        self.proc.wait(30)


def cases(max_id: int, rng: random.Random) -> list[dict[str, Any]]:
    """The calls measured: path + params, the library call and its bare statement."""
    province = EventQuery(region="32", types=("rakor",), since=_d("2024-01-01"), until=_d("2024-12-31"))
    regency = EventQuery(region="35.78")
    month = CoverageQuery(("rakor", "pledge"), _d("2024-03-01"), _d("2024-03-31"))
    year = CoverageQuery(("rakor", "pledge"), _d("2024-01-01"), _d("2024-12-31"))
    month_province = CoverageQuery(("rakor", "pledge"), _d("2024-03-01"), _d("2024-03-31"), province="33")
    ids = [rng.randint(1, max_id) for _ in range(64)]
    detail_ids = iter(ids * 1000)
    from sqlalchemy import func, select

    from pipeline.store.models import Event
    from pipeline.store.serving import _events_select

    return [
        {
            "name": "events: province 32 + rakor + 2024, newest first, 50",
            "path": "/api/events?"
            + urllib.parse.urlencode(
                {"region": "32", "type": "rakor", "since": "2024-01-01", "until": "2024-12-31", "limit": 50}
            ),
            "library": lambda e: serving.list_events(e, province, 50),
            "sql": serving.events_statement(province, 50),
        },
        {
            "name": "events: regency 35.78, all types, newest first, 50",
            "path": "/api/events?region=35.78&limit=50",
            "library": lambda e: serving.list_events(e, regency, 50),
            "sql": serving.events_statement(regency, 50),
        },
        {
            "name": "event detail (random ids)",
            "path": lambda: f"/api/events/{next(detail_ids)}",
            "library": lambda e: serving.get_event(e, next(detail_ids)),
            "sql": _events_select().where(Event.id == ids[0]),
        },
        {
            "name": "coverage: rakor+pledge, one month, 514 regencies",
            "path": "/api/coverage?type=rakor&type=pledge&from=2024-03-01&to=2024-03-31",
            "library": lambda e: serving.coverage(e, month),
            "sql": serving.coverage_statement(month),
        },
        {
            "name": "coverage: rakor+pledge, one year, 514 regencies",
            "path": "/api/coverage?type=rakor&type=pledge&from=2024-01-01&to=2024-12-31",
            "library": lambda e: serving.coverage(e, year),
            "sql": serving.coverage_statement(year),
        },
        {
            "name": "coverage: one month, one province (33)",
            "path": "/api/coverage?type=rakor&type=pledge&from=2024-03-01&to=2024-03-31&province=33",
            "library": lambda e: serving.coverage(e, month_province),
            "sql": serving.coverage_statement(month_province),
        },
        {
            "name": "count: all rakor (for scale)",
            "path": "/api/events/count?type=rakor",
            "library": lambda e: serving.count_events(e, EventQuery(types=("rakor",))),
            "sql": select(func.count()).select_from(Event).where(Event.type == "rakor"),
        },
    ]


def _d(value: str) -> Any:
    from datetime import date

    return date.fromisoformat(value)


def indexes_used(engine: Engine, stmt: Any) -> tuple[list[str], float | None]:
    """Index names in the plan (and PostgreSQL's own execution time of the statement, ms)."""
    compiled = stmt.compile(engine, compile_kwargs={"literal_binds": True})
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            plan = conn.execute(text(f"EXPLAIN (ANALYZE, FORMAT JSON) {compiled}")).scalar_one()
            plan = plan if isinstance(plan, list) else json.loads(plan)
            names: list[str] = []

            def walk(node: dict[str, Any]) -> None:
                if "Index Name" in node:
                    names.append(f"{node['Index Name']} ({node['Node Type']})")
                for child in node.get("Plans", []):
                    walk(child)

            walk(plan[0]["Plan"])
            return sorted(set(names)), plan[0].get("Execution Time")
        rows = conn.execute(text(f"EXPLAIN QUERY PLAN {compiled}")).all()
        names = sorted(
            {r[-1].split(" INDEX ")[1].split(" ")[0] for r in rows if " INDEX " in r[-1]}
            | {"rowid (INTEGER PRIMARY KEY)" for r in rows if "USING INTEGER PRIMARY KEY" in r[-1]}
        )
        scans = [r[-1] for r in rows if r[-1].startswith("SCAN ") and "INDEX" not in r[-1]]
        return names + [f"[{s}]" for s in scans], None


def run_backend(label: str, url: str, repeat: int, n_events: int) -> list[dict[str, Any]]:
    engine = serving.open_readonly(url)
    server = Server(url)
    results = []
    try:
        for case in cases(n_events, random.Random(3)):
            path = case["path"]
            http_p50, http_p95 = timed((lambda p=path: server.get(p() if callable(p) else p)), repeat)
            lib_p50, lib_p95 = timed(lambda c=case: c["library"](engine), repeat)

            def bare(stmt: Any = case["sql"]) -> None:
                with engine.connect() as conn:
                    conn.execute(stmt).all()

            sql_p50, sql_p95 = timed(bare, repeat)
            used, server_ms = indexes_used(engine, case["sql"])
            results.append({
                "backend": label, "call": case["name"], "http_p50": http_p50, "http_p95": http_p95,
                "library_p50": lib_p50, "library_p95": lib_p95, "sql_p50": sql_p50, "sql_p95": sql_p95,
                "explain_ms": server_ms, "indexes": used,
            })  # fmt: skip
            r = results[-1]
            print(
                f"{label:10} {case['name']:52} http {http_p50:6.1f} / {http_p95:6.1f}   library {lib_p50:6.1f} / {lib_p95:6.1f}"
                f"   sql {sql_p50:6.1f} / {sql_p95:6.1f} ms (p50 / p95)"
                + (f"   [EXPLAIN ANALYZE {server_ms:.1f} ms]" if server_ms is not None else "")
            )
            print(f"{'':10} indexes: {', '.join(r['indexes']) or '(none: sequential scan)'}")
    finally:
        server.close()
        engine.dispose()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000, help="PostgreSQL events (0 skips PostgreSQL)")
    parser.add_argument("--sqlite-events", type=int, default=None, help="default: as --events; 0 skips SQLite")
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument(
        "--postgres", default=os.environ.get("NETRA_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
    )
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument(
        "--random-page-cost",
        type=float,
        default=1.1,
        help="PostgreSQL random_page_cost of the bench database (1.1: SSD, the usual production value; 0: server default 4)",
    )
    args = parser.parse_args()
    sqlite_events = args.events if args.sqlite_events is None else args.sqlite_events
    # Latency on a shared machine depends on what else runs: say how loaded it was.
    print("load average at start: {:.1f} {:.1f} {:.1f} on {} cores".format(*os.getloadavg(), os.cpu_count()))
    results: list[dict[str, Any]] = []

    url, drop = throwaway_pg_database(args.postgres) if args.events else ("", lambda: None)
    try:
        if not args.events:
            raise _Skip
        t0 = time.perf_counter()
        open_store(url, migrate=True).dispose()
        if args.random_page_cost:
            from sqlalchemy import create_engine

            from pipeline.store.db import normalize_url

            admin = create_engine(normalize_url(url), isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                name = conn.execute(text("SELECT current_database()")).scalar_one()
                conn.execute(text(f'ALTER DATABASE "{name}" SET random_page_cost = {float(args.random_page_cost)}'))
            admin.dispose()
            print(
                f"postgresql: random_page_cost = {args.random_page_cost} on the bench database (SSD; see docs/serve.md)"
            )
        counts = fill(url, args.events)
        print(
            f"postgresql: {counts['events']:,} events ({sum(counts.values()):,} rows) loaded in {time.perf_counter() - t0:.0f}s"
        )
        results += run_backend("postgresql", url, args.repeat, args.events)
    except _Skip:
        pass
    finally:
        from pipeline.store.db import get_engine

        get_engine.cache_clear()
        drop()

    if sqlite_events:
        with tempfile.TemporaryDirectory(prefix="netra-bench-serve-") as tmp:
            url = f"sqlite:///{Path(tmp) / 'netra.db'}"
            t0 = time.perf_counter()
            open_store(url, migrate=True).dispose()
            counts = fill(url, sqlite_events)
            print(f"sqlite: {counts['events']:,} events loaded in {time.perf_counter() - t0:.0f}s")
            results += run_backend("sqlite", url, args.repeat, sqlite_events)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print("load average at end: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
    if not any(r["backend"] == "postgresql" for r in results):
        return
    worst = max((r["http_p95"] for r in results if r["backend"] == "postgresql"), default=0.0)
    print(
        f"goal: PostgreSQL http p95 <= 20 ms for each call: {'met' if worst <= 20 else 'NOT met'} (worst {worst:.1f} ms)"
    )


if __name__ == "__main__":
    main()
