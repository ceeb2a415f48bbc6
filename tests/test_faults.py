"""Fault tests of ``netra nightly``: SIGKILL at random points, database down, WARC write failure.

Each ends with the database compared, through ``canonical_dump`` (documents by doc_key and
content hash, their status, events with every slot and provenance, crawl state), to the
uninterrupted reference run of ``test_nightly.py``: nothing lost, nothing counted twice.
"""

from __future__ import annotations

import hashlib
import random
import signal
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from pipeline.store.db import open_store
from pipeline.store.models import CrawlUrl, Document, Run, WarcRecord
from tests.support.dump import diff_dumps
from tests.test_nightly import assert_ok, make_site, network, pg_reference, reference, reference_for  # noqa: F401

pytestmark = pytest.mark.slow

KILLS = {"crawl": 4, "process": 4, "events": 2}  # at least 10 SIGKILLs per back end
SEED = 20240917


def _counter(stage: str):
    if stage == "crawl":
        return select(func.count()).select_from(CrawlUrl).where(CrawlUrl.status == "fetched")
    if stage == "process":
        return select(func.count()).select_from(WarcRecord)
    return select(func.count()).select_from(Document).where(Document.pipeline_version.is_not(None))


def _count(engine, stage: str) -> int:
    with engine.connect() as conn:
        return conn.execute(_counter(stage)).scalar_one()


def _kill_when(site, engine, stage: str, threshold: int, timeout: float = 300) -> str:
    """Start a nightly and SIGKILL it once ``stage``'s counter reaches ``threshold``."""
    proc = site.popen()
    deadline = time.monotonic() + timeout
    try:
        while proc.poll() is None:
            if _count(engine, stage) >= threshold:
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                return "killed"
            if time.monotonic() > deadline:
                raise AssertionError(f"nightly did not reach {stage} >= {threshold} in {timeout}s")
            time.sleep(0.02)
        return f"finished (exit {proc.returncode})"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def _reference_totals(reference_site) -> dict[str, int]:
    engine = open_store(reference_site.db_url, migrate=True)
    try:
        return {stage: _count(engine, stage) for stage in KILLS}
    finally:
        engine.dispose()


@pytest.mark.parametrize("db", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_sigkill_at_random_points_then_resume_equals_uninterrupted(db, network, tmp_path, request):
    db_url = f"sqlite:///{tmp_path / 'netra.db'}" if db == "sqlite" else request.getfixturevalue("db_url_pg")
    ref_site, ref_dump, _ = reference_for(request, db_url)
    site = make_site(tmp_path, db_url, network)
    # Commit every fetched article on its own, so the crawl has a commit point per page to be
    # killed around (the default groups them per second: the whole demo crawl is one batch).
    config = tmp_path / "netra.toml"
    config.write_text("[crawl]\ndownload_delay = 0.02\ncommit_batch_items = 1\n", encoding="utf-8")
    engine = open_store(db_url, migrate=True)
    totals = _reference_totals(ref_site)
    rng = random.Random(f"{SEED}-{db}")
    outcomes = []
    for stage, kills in KILLS.items():
        if stage != "crawl":
            # Past the crawl kills every page is fetched: the crawl stage of a later run only re-reads
            # robots.txt, feeds and sitemaps, which AutoThrottle's 1 s start delay (any delay > 0)
            # stretches to ~3 s a run. Without the delay it takes a fraction of that.
            config.write_text("[crawl]\ndownload_delay = 0\ncommit_batch_items = 1\n", encoding="utf-8")
        # Cut points spread over the stage's work, increasing: each run resumes and gets further.
        cuts = sorted(rng.sample(range(1, max(totals[stage] - 2, kills + 1)), kills))
        for cut in cuts:
            threshold = max(cut, _count(engine, stage) + 1)
            outcomes.append((stage, threshold, _kill_when(site, engine, stage, threshold)))
    killed = [o for o in outcomes if o[2] == "killed"]
    assert len(killed) >= 10, f"only {len(killed)} runs were killed: {outcomes}"
    assert {o[0] for o in killed} == set(KILLS), outcomes

    final = site.run()
    assert_ok(final, codes=(0, 1))  # 1 when a killed crawl left a truncated WARC tail (reported, skipped)
    problems = diff_dumps(ref_dump, site.dump())
    assert problems == [], "\n".join([*problems, f"kills: {outcomes}"])
    with engine.connect() as conn:
        statuses = conn.execute(select(Run.kind, Run.status)).all()
    # The killed runs are marked as such, not left "running" forever.
    assert not [s for s in statuses if s[1] == "running"], statuses
    assert sum(1 for kind, status in statuses if kind == "nightly" and status == "failed") == len(killed)
    engine.dispose()


@pytest.fixture
def db_url_pg(request):
    """A throwaway PostgreSQL database (conftest's ``db_url`` for the postgres parameter)."""
    from tests.conftest import _fresh_pg_database

    admin_url = request.getfixturevalue("postgres_server")
    url, drop = _fresh_pg_database(admin_url)
    yield url
    drop()


def _warc_digests(data_dir: Path) -> dict[Path, str]:
    return {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((data_dir / "raw").rglob("*.warc.gz"))}


def _readable_members(path: Path) -> int:
    """Count the records of a WARC file, failing on any damaged gzip member."""
    from warcio.archiveiterator import ArchiveIterator

    with path.open("rb") as fh:
        return sum(1 for _ in ArchiveIterator(fh))


def test_database_down_keeps_warc_and_next_run_catches_up(reference, network, tmp_path):
    # The "down" database is a PostgreSQL URL nobody listens on; the store that comes back is
    # SQLite here (catching up on PostgreSQL is what the SIGKILL test does ten times).
    db_url = f"sqlite:///{tmp_path / 'netra.db'}"
    _ref_site, ref_dump, _ = reference
    site = make_site(tmp_path, db_url, network)
    crawl_only = site.run("--stages", "crawl")
    assert_ok(crawl_only)
    before = _warc_digests(site.data_dir)
    assert before

    down = make_site(tmp_path, "postgresql://postgres@127.0.0.1:9/netra", network, name="sources-down.yaml")
    down.root = tmp_path  # same data dir, unreachable database
    proc = down.run()
    assert proc.returncode == 3
    assert "cannot connect to database" in proc.stderr and "Traceback" not in proc.stderr
    assert _warc_digests(site.data_dir) == before  # the raw archive is untouched

    catch_up = site.run()
    assert_ok(catch_up)
    assert _warc_digests(site.data_dir) == before  # nothing new to crawl: the archive did not grow
    assert diff_dumps(ref_dump, site.dump()) == []


def test_warc_write_failure_fails_loudly_without_damaging_earlier_files(reference, network, tmp_path):
    _ref_site, ref_dump, _ = reference
    site = make_site(tmp_path, f"sqlite:///{tmp_path / 'netra.db'}", network)
    # Night 1 crawls one outlet; night 2 (the rest) hits a full disk mid-record.
    import yaml

    registry = yaml.safe_load(site.sources.read_text())
    first = tmp_path / "first.yaml"
    first.write_text(yaml.safe_dump({"sources": registry["sources"][:1]}), encoding="utf-8")
    night1 = site.run("--stages", "crawl,process", "--sources", str(first))
    assert_ok(night1)
    earlier = _warc_digests(site.data_dir)
    assert earlier
    records = {p: _readable_members(p) for p in earlier}

    night2 = site.run(
        "--stages",
        "crawl,process",
        env_extra={"NETRA_FAULT_INJECT": "warc_write", "NETRA_FAULT_INJECT_AFTER_BYTES": "700"},
    )
    assert night2.returncode == 3, night2.stderr[-4000:]
    assert "could not be written to the WARC archive" in night2.stderr
    assert "No space left on device" in night2.stderr
    for path, digest in earlier.items():  # earlier files: byte for byte, every member readable
        assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
        assert _readable_members(path) == records[path]
    engine = open_store(site.db_url, migrate=True)
    with engine.connect() as conn:
        last = conn.execute(select(Run).where(Run.kind == "nightly").order_by(Run.id.desc())).first()
    engine.dispose()
    assert last.status == "failed"
    assert any(e["stage"] == "crawl" and "WARC" in e["error"] for e in last.errors)

    night3 = site.run()
    assert_ok(night3, codes=(0, 1))  # 1 if a half-written file of night 2 is reported (then skipped)
    assert diff_dumps(ref_dump, site.dump()) == []
