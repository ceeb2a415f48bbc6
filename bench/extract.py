"""Extraction speed: ``netra process`` (extraction only) against plain ``trafilatura.extract``.

Builds a WARC of ~2,000 pages under /tmp by replicating the ~80 real article pages of
``../shared/data/html`` (Indonesian + trafilatura-eval) with variations (a marker paragraph
and a changed URL per copy), then, in the same process and run:

1. plain: stream the WARC and call ``trafilatura.extract`` on every HTML payload;
2. netra: ``process_warcs`` on the same WARC into a fresh SQLite store (reading, decoding,
   extraction, cleanup, near-duplicate check and the per-record transactions), no Parquet.

Reports pages/s of both, their ratio, and peak RSS (ru_maxrss) measured after each phase.
Usage: .venv/bin/python bench/extract.py [--pages 2000] [--html-dir ../shared/data/html]
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

import trafilatura
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pipeline.extract.process import process_warcs
from pipeline.extract.warc import WarcResponse, iter_warc
from pipeline.settings import load_settings
from pipeline.store.db import open_store

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "html"


def source_pages(html_dir: Path) -> list[tuple[str, bytes]]:
    pages = []
    for line in (html_dir / "manifest.jsonl").open():
        meta = json.loads(line)
        if meta["kind"] == "article":
            pages.append((meta["url"], (html_dir / meta["file"]).read_bytes()))
    for path in sorted((html_dir / "trafilatura-eval" / "pages").glob("*.html")):
        pages.append((f"https://eval.example/{path.stem}", path.read_bytes()))
    return pages


def build_warc(path: Path, pages: list[tuple[str, bytes]], total: int) -> int:
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for n in range(total):
            url, body = pages[n % len(pages)]
            # a variation per copy: another URL and an extra paragraph, so copies differ
            marker = f"<p>Salinan nomor {n} dari halaman ini untuk uji kecepatan.</p></body>".encode()
            body = body.replace(b"</body>", marker, 1)
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                f"{url}?copy={n}", "response", payload=io.BytesIO(body), http_headers=headers
            )
            writer.write_record(record)
    return total


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--html-dir", type=Path, default=DEFAULT_DIR)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="netra-bench-"))
    warc = work / "raw" / "bench.warc.gz"
    warc.parent.mkdir(parents=True)
    build_warc(warc, source_pages(args.html_dir), args.pages)
    print(
        f"WARC: {warc} ({warc.stat().st_size / 1e6:.1f} MB, {args.pages} pages); RSS after build {peak_rss_mb():.0f} MB"
    )

    started = time.perf_counter()
    count = 0
    for item in iter_warc(warc):
        if isinstance(item, WarcResponse) and item.skip_reason is None:
            trafilatura.extract(item.payload, url=item.target_uri)
            count += 1
    plain_s = time.perf_counter() - started
    plain_rss = peak_rss_mb()

    settings = load_settings(data_dir=work)
    engine = open_store(f"sqlite:///{work / 'bench.db'}", migrate=True)
    started = time.perf_counter()
    summary = process_warcs(engine, settings, paths=[warc], export=False)
    ours_s = time.perf_counter() - started
    ours_rss = peak_rss_mb()
    done = summary.extracted + summary.duplicates + sum(summary.skipped.values())

    plain_rate, ours_rate = count / plain_s, done / ours_s
    print(
        f"plain trafilatura.extract: {count} pages in {plain_s:.1f} s = {plain_rate:.1f} pages/s (peak RSS {plain_rss:.0f} MB)"
    )
    print(
        f"netra process:             {done} pages in {ours_s:.1f} s = {ours_rate:.1f} pages/s (peak RSS {ours_rss:.0f} MB)"
        f" [{summary.extracted} extracted, {summary.duplicates} duplicates, skipped {dict(summary.skipped)}]"
    )
    print(f"ratio netra/plain: {ours_rate / plain_rate:.2f}")


if __name__ == "__main__":
    main()
