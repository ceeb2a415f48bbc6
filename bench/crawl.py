"""``netra crawl`` throughput next to a bare asyncio fetcher, on the same local pages.

Usage: python bench/crawl.py [--hosts 20] [--pages-per-host 200] [--concurrency 32] [--postgres URL]

The synthetic fake network (``pipeline.demo.newsnet``) runs in its own process on
127.0.0.2..N, one address per outlet, so every outlet is its own politeness slot.
Politeness delays are 0 for this run; per-host concurrency is 2 for both contenders.

* reference: plain asyncio + aiohttp GETs of the article URLs (read from the network's
  manifest, no discovery), ``limit`` = --concurrency, ``limit_per_host`` = 2, bodies read
  and dropped;
* netra: ``netra crawl`` in a subprocess on a fresh store (SQLite, or PostgreSQL with
  ``--postgres``): robots.txt, sitemap index and section discovery, URL state, WARC writing
  (one fsync per commit group), document rows.

The reference runs before and after netra and its mean is the yardstick (the machines are
noisy).  Goal (issue 3): netra >= 0.5x the reference's pages/s.  Peak RSS is the max RSS of
the crawl subprocess (``getrusage``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
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

GOAL = 0.5


def start_network(root: Path, hosts: int, pages: int) -> tuple[subprocess.Popen, Path, list[dict]]:
    sources, manifest = root / "sources.yaml", root / "manifest.jsonl"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pipeline.demo.newsnet",
            "--pages",
            str(pages),
            "--hosts",
            str(hosts),
            "--no-faults",
            "--sources-out",
            str(sources),
            "--manifest-out",
            str(manifest),
        ],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 60
    while not (manifest.exists() and manifest.stat().st_size > 0):
        if proc.poll() is not None or time.time() > deadline:
            raise SystemExit("the fake news network did not start")
        time.sleep(0.2)
    time.sleep(0.5)  # the manifest is written in one call; let it finish
    rows = [json.loads(line) for line in manifest.read_text(encoding="utf-8").splitlines() if line.strip()]
    return proc, sources, rows


async def _reference(urls: list[str], concurrency: int) -> tuple[int, int]:
    import aiohttp

    connector = aiohttp.TCPConnector(limit=concurrency, limit_per_host=2)
    ok = 0
    size = 0
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=60)) as session:

        async def get(url: str) -> None:
            nonlocal ok, size
            async with session.get(url) as response:
                body = await response.read()
                if response.status == 200:
                    ok += 1
                    size += len(body)

        await asyncio.gather(*(get(url) for url in urls))
    return ok, size


def run_reference(urls: list[str], concurrency: int) -> dict:
    started = time.perf_counter()
    ok, size = asyncio.run(_reference(urls, concurrency))
    wall = time.perf_counter() - started
    return {"pages": ok, "wall": wall, "rate": ok / wall, "mb": size / 1e6}


BARE_SCRAPY = """
import json, sys, time
import scrapy
from scrapy.crawler import CrawlerProcess
urls = [json.loads(line)["url"] for line in open(sys.argv[1])]
class Bare(scrapy.Spider):
    name = "bare"
    async def start(self):
        for url in urls:
            yield scrapy.Request(url, callback=self.parse, dont_filter=True)
    def parse(self, response):
        yield {"bytes": len(response.body)}
process = CrawlerProcess({"LOG_LEVEL": "ERROR", "CONCURRENT_REQUESTS": int(sys.argv[2]), "CONCURRENT_REQUESTS_PER_DOMAIN": 2,
                          "DOWNLOAD_DELAY": 0, "ROBOTSTXT_OBEY": False, "TELNETCONSOLE_ENABLED": False,
                          "REMOTE_CONTROL_ENABLED": False})
started = time.perf_counter()
process.crawl(Bare)
process.start()
print(json.dumps({"pages": len(urls), "wall": time.perf_counter() - started}))
"""


def run_bare_scrapy(manifest: Path, concurrency: int) -> dict:
    """Scrapy with nothing of ours (no discovery, robots, guard, retries, WARC or store): the engine's floor."""
    proc = subprocess.run(
        [sys.executable, "-c", BARE_SCRAPY, str(manifest), str(concurrency)], capture_output=True, text=True, check=True
    )
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    return {**result, "rate": result["pages"] / result["wall"]}


def run_netra(root: Path, sources: Path, db_url: str, concurrency: int) -> dict:
    config = root / "netra.toml"
    config.write_text(
        f"[crawl]\ndownload_delay = 0.0\nconcurrent_per_domain = 2\nconcurrent_requests = {concurrency}\n",
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("NETRA_")}
    env.update(
        NETRA_CONFIG=str(config), NETRA_LOG_FORMAT="json", NETRA_DATA_DIR=str(root / "data"), NETRA_DATABASE_URL=db_url
    )
    subprocess.run([sys.executable, "-m", "pipeline.cli", "db", "upgrade"], env=env, check=True, capture_output=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "crawl", "--sources", str(sources)],
        env=env,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr[-5000:])
        raise SystemExit(f"netra crawl failed with exit {proc.returncode}")
    from sqlalchemy import func, select

    from pipeline.store.db import open_store
    from pipeline.store.models import CrawlUrl, Run

    engine = open_store(db_url, migrate=True)
    with engine.connect() as conn:
        fetched = conn.scalar(select(func.count()).select_from(CrawlUrl).where(CrawlUrl.status == "fetched"))
        timings = conn.scalar(select(Run.timings).where(Run.kind == "crawl").order_by(Run.id.desc()))
    engine.dispose()
    warc_mb = sum(f.stat().st_size for f in (root / "data" / "raw").rglob("*.warc.gz")) / 1e6
    engine_seconds = (timings or {}).get("crawl", wall)
    return {
        "pages": fetched,
        "wall": wall,
        "rate": fetched / wall,
        "engine": engine_seconds,
        "peak_rss_mb": (peak_kb if peak_kb > before else before) / 1024,
        "warc_mb": warc_mb,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--pages-per-host", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--postgres", default=None, help="crawl into a fresh database on this server (default: SQLite)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="netra-bench-crawl-") as tmp:
        root = Path(tmp)
        network, sources, manifest = start_network(root, args.hosts, args.hosts * args.pages_per_host)
        drop = None
        try:
            urls = [row["url"] for row in manifest]
            ref1 = run_reference(urls, args.concurrency)
            if args.postgres:
                db_url, drop = throwaway_pg_database(args.postgres)
            else:
                db_url = f"sqlite:///{root / 'netra.db'}"
            ours = run_netra(root, sources, db_url, args.concurrency)
            bare = run_bare_scrapy(root / "manifest.jsonl", args.concurrency)
            ref2 = run_reference(urls, args.concurrency)
        finally:
            network.terminate()
            network.wait(timeout=30)
            if drop:
                drop()
    reference = (ref1["rate"] + ref2["rate"]) / 2
    ratio = ours["rate"] / reference
    store = "PostgreSQL" if args.postgres else "SQLite"
    print(
        f"crawl benchmark: {args.hosts} hosts x {args.pages_per_host} pages, politeness delay 0, 2 per host, "
        f"{args.concurrency} overall, store {store}"
    )
    print(f"{'fetcher':<32}{'pages':>8}{'wall s':>9}{'pages/s':>10}")
    print(f"{'reference aiohttp (before)':<32}{ref1['pages']:>8}{ref1['wall']:>9.1f}{ref1['rate']:>10.1f}")
    print(f"{'netra crawl (whole command)':<32}{ours['pages']:>8}{ours['wall']:>9.1f}{ours['rate']:>10.1f}")
    print(
        f"{'  of which the crawl itself':<32}{ours['pages']:>8}{ours['engine']:>9.1f}{ours['pages'] / ours['engine']:>10.1f}"
    )
    print(f"{'bare Scrapy, same URLs (floor)':<32}{bare['pages']:>8}{bare['wall']:>9.1f}{bare['rate']:>10.1f}")
    print(f"{'reference aiohttp (after)':<32}{ref2['pages']:>8}{ref2['wall']:>9.1f}{ref2['rate']:>10.1f}")
    print(
        f"ratio netra / reference: {ratio:.2f} whole command, {ours['pages'] / ours['engine'] / reference:.2f} crawl "
        f"stage without process start-up (goal >= {GOAL}); bare Scrapy {bare['rate'] / reference:.2f}; netra peak RSS {ours['peak_rss_mb']:.0f} MB; "
        f"WARC {ours['warc_mb']:.1f} MB for {ref1['mb']:.1f} MB of pages"
    )
    return 0 if ours["pages"] == len(urls) else 1


if __name__ == "__main__":
    raise SystemExit(main())
