"""Issue 18 items 4 and 7 on the demo: a second `netra demo` fetches and adds nothing (no new
documents, no second WARC) even when the proxy's preferred port is taken, and the crawl stores
the registry's sources (names, regions) — no document or source named after 127.0.0.1."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.runs.demo import DEMO_PROXY_PORT


def _demo(data_dir: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NETRA_LOG_FORMAT": "text"}
    for var in ("NETRA_CONFIG", "NETRA_DATABASE_URL", "NETRA_DATA_DIR", "NETRA_SOURCES"):
        env.pop(var, None)
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "--data-dir", str(data_dir), "demo"],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc


def _state(data_dir: Path) -> dict:
    demo = data_dir / "demo"
    with sqlite3.connect(demo / "netra.db") as conn:
        one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "documents": one("SELECT count(*) FROM documents"),
            "crawl_urls": one("SELECT count(*) FROM crawl_urls"),
            "events": one("SELECT count(*) FROM events"),
            "warcs": sorted(p.name for p in (demo / "raw").rglob("*.warc*")),
            "fetched_last": json.loads(
                one("SELECT counts FROM runs WHERE kind = 'crawl' ORDER BY id DESC LIMIT 1") or "{}"
            ),
            "sources": conn.execute("SELECT name, regions FROM sources ORDER BY name").fetchall(),
            "doc_sources": {
                r[0] for r in conn.execute("SELECT s.name FROM documents d JOIN sources s ON s.id = d.source_id")
            },
        }


@pytest.mark.slow
def test_second_demo_adds_nothing_even_when_the_proxy_port_is_taken(tmp_path):
    _demo(tmp_path)
    first = _state(tmp_path)
    assert first["documents"] > 50 and first["events"] > 0 and len(first["warcs"]) == 1
    assert first["doc_sources"] == {"riau-sim", "jatim-sim", "kalbar-sim"}
    assert [(name, json.loads(regions)) for name, regions in first["sources"]] == [
        ("jatim-sim", ["35"]),
        ("kalbar-sim", ["61"]),
        ("riau-sim", ["14"]),
    ]
    blocker = socket.socket()
    try:
        blocker.bind(("127.0.0.1", DEMO_PROXY_PORT))  # the second run must fall back to another port
        blocker.listen()
    except OSError:
        pass  # taken already: both runs fell back
    try:
        _demo(tmp_path)
    finally:
        blocker.close()
    second = _state(tmp_path)
    for key in ("documents", "crawl_urls", "events", "warcs", "sources", "doc_sources"):
        assert second[key] == first[key], key
