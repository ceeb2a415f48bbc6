"""``netra nightly`` end to end, in subprocesses, against the fake news network on 127.0.0.1.

The reference (an uninterrupted nightly into SQLite) is computed once per session and
shared with ``test_faults.py``; PostgreSQL runs are compared with the same reference, so
the two back ends are also checked to store the same thing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select

from pipeline.store.db import open_store
from pipeline.store.locks import RunLock
from pipeline.store.models import Document, Run
from tests.support.dump import canonical_dump, diff_dumps

TIMEOUT = 600
SUPPORT = Path(__file__).parent / "support"


@dataclass
class Site:
    """A data dir + database + config for one sequence of nightly runs."""

    root: Path
    db_url: str
    sources: Path

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    def argv(self, *extra: str, command: str = "nightly") -> list[str]:
        args = [sys.executable, "-m", "pipeline.cli", "--db", self.db_url, "--data-dir", str(self.data_dir), command]
        if command == "nightly":
            args += ["--sources", str(self.sources)]
        return args + list(extra)

    def env(self, **extra: str) -> dict[str, str]:
        config = self.root / "netra.toml"
        if not config.exists():  # the network is local: no politeness delay needed (with any delay,
            # AutoThrottle's 1 s start delay makes even an empty crawl take ~3 s per nightly)
            config.write_text("[crawl]\ndownload_delay = 0\n", encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if not k.startswith("NETRA_") or k == "NETRA_TEST_POSTGRES_URL"}
        env.update({"NETRA_CONFIG": str(config), "NETRA_LOG_FORMAT": "text", **extra})
        if "NETRA_FAULT_INJECT" in extra:  # tests/support/sitecustomize.py installs the faults
            env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SUPPORT), env.get("PYTHONPATH")]))
            env["NETRA_FAULT_INJECT_DIR"] = str(self.data_dir / "raw")
        return env

    def run(self, *extra: str, command: str = "nightly", env_extra: dict | None = None) -> subprocess.CompletedProcess:
        return subprocess.run(
            self.argv(*extra, command=command),
            env=self.env(**(env_extra or {})),
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )

    def popen(self, *extra: str, env_extra: dict | None = None) -> subprocess.Popen:
        log = open(self.root / "nightly.log", "ab")  # noqa: SIM115 - closed by the caller via proc
        return subprocess.Popen(self.argv(*extra), env=self.env(**(env_extra or {})), stdout=log, stderr=log)

    def dump(self) -> dict:
        engine = open_store(self.db_url, migrate=True)
        try:
            return canonical_dump(engine)
        finally:
            engine.dispose()


def make_site(root: Path, db_url: str, network, name: str = "sources.yaml") -> Site:
    root.mkdir(parents=True, exist_ok=True)
    return Site(root, db_url, network.sources_yaml(root / name))


def assert_ok(proc: subprocess.CompletedProcess, codes=(0,)) -> None:
    assert proc.returncode in codes, (
        f"exit {proc.returncode}\nSTDOUT:\n{proc.stdout[-3000:]}\nSTDERR:\n{proc.stderr[-6000:]}"
    )


@pytest.fixture(scope="session")
def network():
    from pipeline.demo.newsnet import NewsNetwork

    # The curated network without its faults outlet: ~80 article pages over 3 outlets, no near-duplicates.
    with NewsNetwork(faults=False, bind="127.0.0.1", port=0) as net:
        yield net


@pytest.fixture(scope="session")
def reference(network, tmp_path_factory):
    """An uninterrupted nightly into SQLite, then a second one: (site, dump after the first run)."""
    root = tmp_path_factory.mktemp("reference")
    site = make_site(root, f"sqlite:///{root / 'netra.db'}", network)
    first = site.run()
    assert_ok(first)
    dump = site.dump()
    return site, dump, first


@pytest.fixture(scope="session")
def pg_reference(network, tmp_path_factory, postgres_server):
    """The same uninterrupted nightly into a throwaway PostgreSQL database."""
    from tests.conftest import _fresh_pg_database

    url, drop = _fresh_pg_database(postgres_server)
    root = tmp_path_factory.mktemp("pg-reference")
    site = make_site(root, url, network)
    first = site.run()
    assert_ok(first)
    yield site, site.dump(), first
    drop()


def reference_for(request, db_url: str):
    """The uninterrupted run on the same back end as ``db_url``.

    Same back end, because the back ends do not store exactly the same thing: SQLite keeps
    the wall-clock time of an aware ``published_at`` and drops its offset (see the report).
    """
    return request.getfixturevalue("pg_reference" if db_url.startswith("postgresql") else "reference")


def test_first_run_stores_documents_events_and_exports(reference, network):
    site, dump, _first = reference
    articles = [m for m in network.manifest() if not m["robots_blocked"]]
    # Every article page was fetched, and every one became a document.
    assert sum(1 for status in dump["crawl_urls"].values() if status == "fetched") == len(articles)
    assert len(dump["documents"]) == len(articles)
    assert sum(1 for d in dump["documents"].values() if d["status"] == "extracted") > len(articles) // 2
    assert len(dump["events"]) > 10
    engine = open_store(site.db_url, migrate=True)
    with engine.connect() as conn:
        run = conn.execute(select(Run).where(Run.kind == "nightly").order_by(Run.id)).first()
    assert run.status == "ok" and run.finished_at is not None
    assert run.counts["process"]["extracted"] > 0 and run.counts["events"]["documents"] > 0
    assert run.counts["export"]["events"] == len(dump["events"])
    assert set(run.timings) >= {"crawl", "process", "events", "export"}
    # The crawl records its own run, naming this nightly run as its parent (and vice versa).
    with engine.connect() as conn:
        crawl = conn.execute(select(Run).where(Run.id == run.counts["crawl"]["crawl_run_id"])).one()
    assert crawl.kind == "crawl" and crawl.args["parent_run"] == str(run.id)
    latest = site.data_dir / "processed" / "exports" / "latest"
    meta = json.loads((latest / "schema.json").read_text())
    assert meta["rows"]["events"] == len(dump["events"])
    for table in ("events", "officials", "sanctions"):
        assert (latest / f"{table}.csv").is_file() and (latest / f"{table}.parquet").is_file()
    warcs = list((site.data_dir / "raw").rglob("*.warc.gz"))
    assert warcs, "the crawl archived nothing"
    engine.dispose()


def test_second_run_adds_nothing(reference):
    site, dump, _ = reference
    second = site.run(env_extra={"NETRA_LOG_FORMAT": "json"})
    assert_ok(second)
    # Cron mode: a clean run says nothing (but a missing NER model is worth one warning line).
    assert second.stdout == ""
    lines = [json.loads(line) for line in second.stderr.splitlines()]
    unexpected = [line for line in lines if not ("NER model not found" in line["msg"] and line["level"] == "warning")]
    assert unexpected == []
    assert diff_dumps(dump, site.dump()) == []
    engine = open_store(site.db_url, migrate=True)
    with engine.connect() as conn:
        last = conn.execute(select(Run).where(Run.kind == "nightly").order_by(Run.id.desc())).first()
        documents = conn.execute(select(func.count()).select_from(Document)).scalar_one()
    engine.dispose()
    assert last.status == "ok"
    assert last.counts["crawl"].get("new", 0) == 0
    assert last.counts.get("process", {}).get("extracted", 0) == 0
    assert last.counts.get("events", {}).get("documents", 0) == 0
    assert documents == len(dump["documents"])


def test_status_reports_sources_and_runs(reference):
    site, _dump, _ = reference
    proc = site.run("--json", command="status")
    assert_ok(proc)
    status = json.loads(proc.stdout)
    assert {s["name"] for s in status["sources"]} == {"riau-sim", "jatim-sim", "kalbar-sim"}
    assert all(s["verdict"] == "ok" and s["last_success_at"] for s in status["sources"])
    assert any(r["kind"] == "nightly" and r["status"] == "ok" for r in status["runs"])


def test_locked_run_exits_4_and_names_holder(db_url, tmp_path, network):
    site = make_site(tmp_path, db_url, network)
    engine = open_store(db_url, migrate=True)
    with RunLock(engine, "nightly") as lock:
        proc = site.run("--stages", "export")
    engine.dispose()
    assert proc.returncode == 4, proc.stderr
    assert f"held by {lock.holder}" in proc.stderr


def test_database_unreachable_exits_3_with_clear_message(tmp_path, network):
    site = make_site(tmp_path, "postgresql://postgres@127.0.0.1:9/netra", network)  # port 9: nothing listens
    proc = site.run()
    assert proc.returncode == 3, proc.stderr
    assert "cannot connect to database" in proc.stderr and "127.0.0.1:9" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (site.data_dir / "raw").exists() or not list((site.data_dir / "raw").rglob("*.warc.gz"))


def test_json_logs_quiet_when_all_is_well_and_loud_when_not(tmp_path, network):
    site = make_site(tmp_path, f"sqlite:///{tmp_path / 'netra.db'}", network)
    ok = site.run("--stages", "export", env_extra={"NETRA_LOG_FORMAT": "json"})
    assert ok.returncode == 0 and ok.stderr == "" and ok.stdout == ""
    broken = make_site(tmp_path / "b", "postgresql://postgres@127.0.0.1:9/netra", network)
    bad = broken.run(env_extra={"NETRA_LOG_FORMAT": "json"})
    assert bad.returncode == 3
    lines = [json.loads(line) for line in bad.stderr.splitlines()]
    assert lines and all(line["level"] == "error" for line in lines)
    assert any("cannot connect to database" in line["msg"] for line in lines)


def test_usage_errors_exit_2(tmp_path, network):
    site = make_site(tmp_path, f"sqlite:///{tmp_path / 'netra.db'}", network)
    assert site.run("--stages", "crawl,bake").returncode == 2
    proc = subprocess.run(
        [*site.argv()[:-2], "--sources", str(tmp_path / "missing.yaml")],
        env=site.env(),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert proc.returncode == 2 and "does not exist" in proc.stderr
