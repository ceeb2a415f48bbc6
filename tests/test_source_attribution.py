"""Issue 18 item 7: a document of a host that a registered source owns gets that source's name
(process / backfill / CC-NEWS path; the crawl path in tests/test_demo_idempotent.py), and the
registry's regions are stored in ``sources``."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import yaml

from pipeline.store.documents import SourceDirectory
from tests.extract_warcs import fixture_records, write_warc


def _registry(path: Path) -> Path:
    entries = [
        {
            "name": "kompas",
            "home": "https://www.kompas.com/",  # owns otomotif.kompas.com (a subdomain)
            "feeds": ["https://www.kompas.com/rss"],
            "article_pattern": r"/read/",
            "regions": ["31"],
        },
        {
            "name": "republika",
            "home": "https://republika.co.id/",
            "feeds": ["https://republika.co.id/rss"],
            "article_pattern": r"/berita/",
            "regions": ["32", "33"],
        },
    ]
    path.write_text(yaml.safe_dump({"sources": entries}), encoding="utf-8")
    return path


def test_source_directory_matches_hosts_subdomains_and_ports():
    directory = SourceDirectory(
        [("kompas", "https://www.kompas.com/"), ("local", "http://127.0.0.1:8701/"), ("b", "https://b.example.id")]
    )
    assert directory.owner("http://otomotif.kompas.com/read/1") == "kompas"
    assert directory.owner("https://kompas.com/x") == "kompas"
    assert directory.owner("https://notkompas.com/x") is None
    assert directory.owner("http://127.0.0.1:8701/berita/1") == "local"
    assert directory.owner("http://127.0.0.1:8702/berita/1") is None
    assert directory.owner("https://a.b.example.id/x") == "b"


def test_cc_news_style_warc_gets_registry_sources_and_regions(tmp_path):
    data = tmp_path / "data"
    warc = write_warc(tmp_path / "cc-news" / "CC-NEWS-1.warc.gz", fixture_records(), with_requests=False)
    env = {**os.environ, "NETRA_SOURCES": str(_registry(tmp_path / "sources.yaml")), "NETRA_LOG_FORMAT": "text"}
    env.pop("NETRA_CONFIG", None)
    env.pop("NETRA_DATABASE_URL", None)
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "--data-dir", str(data), "process", str(warc)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert proc.returncode in (0, 1), proc.stderr
    with sqlite3.connect(data / "netra.db") as conn:
        by_url = dict(
            conn.execute("SELECT d.url, s.name FROM documents d LEFT JOIN sources s ON s.id = d.source_id").fetchall()
        )
        regions = dict(conn.execute("SELECT name, regions FROM sources WHERE regions IS NOT NULL").fetchall())
    kompas = [u for u in by_url if "kompas.com" in u]
    republika = [u for u in by_url if "republika.co.id" in u]
    assert kompas and republika, by_url
    assert {by_url[u] for u in kompas} == {"kompas"}
    assert {by_url[u] for u in republika} == {"republika"}
    assert by_url[next(u for u in by_url if "detik.com" in u)] == "inet.detik.com"  # unregistered: its host
    assert yaml.safe_load(regions["kompas"]) == ["31"]
    assert yaml.safe_load(regions["republika"]) == ["32", "33"]
