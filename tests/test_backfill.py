"""``netra backfill`` on a Dask ``LocalCluster`` with 2 workers gives the rows of the single-process run."""

from __future__ import annotations

import io
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pipeline.settings import load_settings
from pipeline.store.db import open_store
from tests.support.dump import canonical_dump, diff_dumps

pytest.importorskip("dask.distributed", reason="backfill needs the 'dask' extra (part of [dev])")
pytestmark = pytest.mark.slow

FILES = 4


def _write_sample_warcs(directory: Path) -> list[Path]:
    """The fake network's article pages as CC-NEWS-like WARC files (response records only)."""
    from pipeline.demo.newsnet import NewsNetwork

    directory.mkdir(parents=True, exist_ok=True)
    paths = [directory / f"sample-{n:02d}.warc.gz" for n in range(FILES)]
    handles = [p.open("wb") for p in paths]
    writers = [WARCWriter(h, gzip=True) for h in handles]
    with NewsNetwork(faults=False, bind="127.0.0.1", port=0) as net:
        pages = [m for m in net.manifest() if not m["robots_blocked"]]
        for number, page in enumerate(pages):
            with urllib.request.urlopen(page["url"], timeout=30) as response:
                body = response.read()
                headers = [
                    (k, v)
                    for k, v in response.getheaders()
                    if k.lower() not in ("content-length", "transfer-encoding", "content-encoding")
                ]
            http = StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1")
            writers[number % FILES].write_record(
                writers[number % FILES].create_warc_record(
                    page["url"], "response", payload=io.BytesIO(body), length=len(body), http_headers=http
                )
            )
    for handle in handles:
        handle.close()
    return paths


@pytest.fixture(scope="module")
def sample_warcs(tmp_path_factory) -> list[Path]:
    return _write_sample_warcs(tmp_path_factory.mktemp("warcs"))


_SINGLE: dict[str, dict] = {}


def single_process_dump(db_url: str, sample_warcs: list[Path], root: Path, request) -> dict:
    """The reference on the same back end: ``process_warcs`` + ``extract_pending`` here, files sorted."""
    from pipeline.events import EventExtractor
    from pipeline.extract.process import process_warcs
    from pipeline.runs.ingest import extract_pending

    backend = "postgres" if db_url.startswith("postgresql") else "sqlite"
    if backend in _SINGLE:
        return _SINGLE[backend]
    drop = None
    if backend == "postgres":
        from tests.conftest import _fresh_pg_database

        url, drop = _fresh_pg_database(request.getfixturevalue("postgres_server"))
    else:
        url = f"sqlite:///{root / 'single.db'}"
    settings = load_settings(data_dir=root / "single", database_url=url)
    engine = open_store(url, migrate=True)
    try:
        process_warcs(engine, settings, sorted(sample_warcs), export=False)
        extract_pending(engine, EventExtractor(settings))
        dump = canonical_dump(engine, crawl=False)
    finally:
        engine.dispose()
        if drop:
            drop()
    assert len(dump["documents"]) > 50 and len(dump["events"]) > 10
    _SINGLE[backend] = dump
    return dump


@pytest.fixture
def backfill_db_url(request, tmp_path):
    """PostgreSQL — what backfills write to — when the suite has it, else SQLite (one back end: it is slow)."""
    from tests.conftest import POSTGRES_URL, _fresh_pg_database

    if not POSTGRES_URL:
        yield f"sqlite:///{tmp_path / 'netra.db'}"
        return
    url, drop = _fresh_pg_database(request.getfixturevalue("postgres_server"))
    yield url
    drop()


def test_two_dask_workers_give_the_single_process_rows(backfill_db_url, tmp_path, sample_warcs, request):
    from pipeline.runs.backfill import run_backfill

    db_url = backfill_db_url

    reference = single_process_dump(db_url, sample_warcs, tmp_path, request)

    settings = load_settings(data_dir=tmp_path, database_url=db_url)
    report = run_backfill(settings, sample_warcs, workers=2)
    assert report.exit_code == 0, report.errors
    assert report.workers == 2 and report.files == FILES and report.files_failed == 0
    engine = open_store(db_url, migrate=True)
    assert diff_dumps(reference, canonical_dump(engine, crawl=False)) == []

    # Again, through the command line, with a glob: nothing new, nothing counted twice.
    pattern = str(sample_warcs[0].parent / "*.warc.gz")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pipeline.cli",
            "--db",
            db_url,
            "--data-dir",
            str(tmp_path),
            "backfill",
            pattern,
            str(sample_warcs[0]),
            "--workers",
            "1",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert f"{FILES} files (0 failed) on 1 workers; 0 documents extracted" in proc.stderr
    assert "0 documents → 0 events" in proc.stderr
    assert diff_dumps(reference, canonical_dump(engine, crawl=False)) == []
    engine.dispose()


def test_backfill_command_without_files_is_a_usage_error(tmp_path):
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pipeline.cli",
            "--db",
            f"sqlite:///{tmp_path / 'x.db'}",
            "backfill",
            str(tmp_path / "nothing*.warc.gz"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2 and "no WARC file matches" in proc.stderr
