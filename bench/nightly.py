"""A whole ``netra nightly`` over the fake news network, and ``netra backfill`` with 1 vs 2 Dask workers.

Usage: python bench/nightly.py [--pages 5000] [--relevant 0.02] [--files 8] [--postgres URL] [--no-backfill]

Nightly: a fresh SQLite store, the synthetic network (``NewsNetwork(pages=N)``, 5 outlets on
127.0.0.1) and ``netra nightly`` in a subprocess: wall time, pages/s, peak RSS (max RSS of
the child, from ``getrusage``).  Backfill: the nightly's WARC records repacked round-robin
into ``--files`` WARC files (one Dask task per file), backfilled into a fresh database with
1 and then 2 local workers; PostgreSQL when ``--postgres`` (or NETRA_TEST_POSTGRES_URL) is
given, else SQLite.  Goals (issue 7): peak RSS < 1.5 GB; 2-worker speed-up >= 1.6x.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from _support import throwaway_pg_database  # noqa: E402  (bench/ is on sys.path as the script's folder)

RSS_GOAL_MB = 1536
SPEEDUP_GOAL = 1.6


def run_nightly(root: Path, pages: int, relevant: float) -> dict:
    from pipeline.demo.newsnet import NewsNetwork

    config = root / "netra.toml"
    config.write_text("[crawl]\ndownload_delay = 0.0\nconcurrent_per_domain = 4\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("NETRA_")}
    env.update(NETRA_CONFIG=str(config), NETRA_LOG_FORMAT="json")
    db = f"sqlite:///{root / 'netra.db'}"
    with NewsNetwork(pages=pages, relevant_ratio=relevant, hosts=5, bind="127.0.0.1", port=0) as net:
        sources = net.sources_yaml(root / "sources.yaml")
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        started = time.perf_counter()
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "pipeline.cli",
                "--db",
                db,
                "--data-dir",
                str(root / "data"),
                "nightly",
                "--sources",
                str(sources),
            ],
            env=env,
            capture_output=True,
            text=True,
        )
        wall = time.perf_counter() - started
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if proc.returncode not in (0, 1):
        sys.stderr.write(proc.stderr[-5000:])
        raise SystemExit(f"nightly failed with exit {proc.returncode}")
    from sqlalchemy import select

    from pipeline.store.db import open_store
    from pipeline.store.models import Run

    engine = open_store(db, migrate=True)
    with engine.connect() as conn:
        run = conn.execute(select(Run).where(Run.kind == "nightly").order_by(Run.id.desc())).first()
    engine.dispose()
    fetched = run.counts.get("crawl", {}).get("fetched", 0)
    return {
        "wall": wall,
        "fetched": fetched,
        "peak_mb": max(peak_kb, before) / 1024,
        "exit": proc.returncode,
        "timings": run.timings,
        "events": run.counts.get("events", {}),
        "process": run.counts.get("process", {}),
    }


def repack(raw_dir: Path, out_dir: Path, files: int) -> list[Path]:
    """Response records of the crawl's WARC files, round-robin into ``files`` new files."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.warcwriter import WARCWriter

    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [out_dir / f"bench-{n:03d}.warc.gz" for n in range(files)]
    handles = [p.open("wb") for p in paths]
    writers = [WARCWriter(h, gzip=True) for h in handles]
    number = 0
    for source in sorted(raw_dir.rglob("*.warc.gz")):
        with source.open("rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type == "response":
                    writers[number % files].write_record(record)
                    number += 1
    for handle in handles:
        handle.close()
    return paths


def run_backfill(root: Path, warcs: list[Path], workers: int, postgres: str | None) -> dict:
    from pipeline.runs.backfill import run_backfill as backfill
    from pipeline.settings import load_settings
    from pipeline.store.db import get_engine

    drop = None
    if postgres:
        db, drop = throwaway_pg_database(postgres)
    else:
        db = f"sqlite:///{root / f'backfill-{workers}.db'}"
    try:
        settings = load_settings(data_dir=root / f"backfill-{workers}", database_url=db)
        started = time.perf_counter()
        report = backfill(settings, warcs, workers=workers)
        wall = time.perf_counter() - started
    finally:
        get_engine.cache_clear()
        if drop:
            drop()
    return {
        "wall": wall,
        "timings": report.timings,
        "errors": len(report.errors),
        "events": report.counts.get("events", {}),
        "db": "postgresql" if postgres else "sqlite",
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=5000)
    ap.add_argument("--relevant", type=float, default=0.02)
    ap.add_argument("--files", type=int, default=8)
    ap.add_argument("--postgres", default=os.environ.get("NETRA_TEST_POSTGRES_URL"))
    ap.add_argument("--no-backfill", action="store_true")
    args = ap.parse_args()
    ok = True
    with tempfile.TemporaryDirectory(prefix="netra-bench-") as tmp:
        root = Path(tmp)
        night = run_nightly(root, args.pages, args.relevant)
        pages_per_s = night["fetched"] / night["wall"] if night["wall"] else 0.0
        print(
            f"nightly: {args.pages} pages ({args.relevant:.0%} relevant), {night['fetched']} fetched, "
            f"exit {night['exit']}"
        )
        print(
            f"  wall time   {night['wall']:.1f} s   stages: "
            + ", ".join(f"{k} {v:.1f}s" for k, v in night["timings"].items())
        )
        print(f"  throughput  {pages_per_s:.1f} pages/s")
        print(
            f"  peak RSS    {night['peak_mb']:.0f} MB (goal < {RSS_GOAL_MB} MB): "
            f"{'OK' if night['peak_mb'] < RSS_GOAL_MB else 'MISSED'}"
        )
        print(f"  events      {night['events']}")
        ok &= night["peak_mb"] < RSS_GOAL_MB
        if not args.no_backfill:
            warcs = repack(root / "data" / "raw", root / "warcs", args.files)
            one = run_backfill(root, warcs, 1, args.postgres)
            two = run_backfill(root, warcs, 2, args.postgres)
            speedup = one["wall"] / two["wall"] if two["wall"] else 0.0
            print(f"backfill: {len(warcs)} WARC files, {night['fetched']} records, into {one['db']}")
            for label, result in (("1 worker ", one), ("2 workers", two)):
                print(
                    f"  {label}  {result['wall']:.1f} s   phases: "
                    + ", ".join(f"{k} {v:.1f}s" for k, v in result["timings"].items())
                    + f"   errors {result['errors']}"
                )
            print(
                f"  speed-up    {speedup:.2f}x (goal >= {SPEEDUP_GOAL}x): {'OK' if speedup >= SPEEDUP_GOAL else 'MISSED'}"
            )
            print(f"  CPUs        {os.cpu_count()} (load average now {os.getloadavg()[0]:.1f})")
            ok &= speedup >= SPEEDUP_GOAL
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
