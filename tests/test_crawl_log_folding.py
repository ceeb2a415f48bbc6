"""Issue 18 item 9: third-party tracebacks (Scrapy's robots.txt and download errors) are folded
into one WARNING line per failure, each failure reported once; the full trace only at -v.

A real nightly crawl in a subprocess against sources on 127.0.0.1 ports where nothing listens
(bound, then closed): connection refused, as for an unreachable outlet."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from pipeline.logs import _QuietThirdParty, fold_exception


def _dead_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _registry(path: Path, ports: list[int]) -> Path:
    entries = [
        {
            "name": f"dead{i}",
            "home": f"http://127.0.0.1:{port}/",
            "feeds": [f"http://127.0.0.1:{port}/rss"],
            "article_pattern": "/berita/",
        }
        for i, port in enumerate(ports)
    ]
    path.write_text(yaml.safe_dump({"sources": entries}), encoding="utf-8")
    return path


def _nightly_crawl(tmp_path: Path, sources: Path, *verbosity: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NETRA_")}
    env.update(
        NETRA_LOG_FORMAT="text",
        NETRA_CRAWL__RETRY_TIMES="0",  # one attempt per URL: the test is about logging, not retries
        NETRA_CRAWL__DOWNLOAD_DELAY="0",
    )
    return subprocess.run(
        [
            *(sys.executable, "-m", "pipeline.cli", *verbosity),
            *("--db", f"sqlite:///{tmp_path / 'netra.db'}", "--data-dir", str(tmp_path / "data")),
            *("nightly", "--sources", str(sources), "--stages", "crawl"),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=600,
    )


@pytest.fixture(scope="module")
def dead_sources(tmp_path_factory) -> tuple[Path, list[int]]:
    ports = [_dead_port() for _ in range(3)]
    return _registry(tmp_path_factory.mktemp("registry") / "sources.yaml", ports), ports


def test_unreachable_sources_give_one_warning_line_each_and_no_traceback(tmp_path, dead_sources):
    sources, ports = dead_sources
    proc = _nightly_crawl(tmp_path, sources)
    assert proc.returncode == 3, proc.stderr  # every source failed: the stage failed as a whole
    assert "Traceback" not in proc.stderr and "direct cause" not in proc.stderr, proc.stderr
    lines = proc.stderr.splitlines()
    assert not [line for line in lines if line.startswith((" ", "\t"))], proc.stderr  # no continuation lines
    for port in ports:
        mentions = [line for line in lines if f"127.0.0.1:{port}" in line]
        assert len(mentions) == 1, (port, mentions)  # reported once (no robots.txt duplicate)
        assert " WARNING " in mentions[0] and "Connection" in mentions[0], mentions
    assert len([line for line in lines if "every source failed" in line]) == 1, proc.stderr  # the stage failure once
    assert len(proc.stderr) < 3000, len(proc.stderr)  # was 17 KB of tracebacks for three sources


def test_verbose_shows_the_full_traceback(tmp_path, dead_sources):
    sources, _ = dead_sources
    proc = _nightly_crawl(tmp_path, sources, "-v")
    assert proc.returncode == 3, proc.stderr[-2000:]
    assert "Traceback (most recent call last)" in proc.stderr
    assert "ConnectionRefusedError" in proc.stderr


def _record(name: str, level: int) -> logging.LogRecord:
    try:
        raise ConnectionRefusedError("Connection was refused by other side: 111")
    except ConnectionRefusedError:
        return logging.getLogger(name).makeRecord(
            name, level, __file__, 1, "Error downloading %s", ("<GET http://x.test/a>",), sys.exc_info()
        )


def test_third_party_traceback_folds_to_one_warning_line():
    record = _record("scrapy.core.scraper", logging.ERROR)
    assert _QuietThirdParty().filter(record)
    assert record.levelno == logging.WARNING and record.exc_info is None
    line = logging.Formatter("%(levelname)s %(message)s").format(record)
    assert (
        line
        == "WARNING Error downloading <GET http://x.test/a> (ConnectionRefusedError: Connection was refused by other side: 111)"
    )
    # Scrapy's robots.txt error is reported again by the request that waited on it: dropped here.
    assert not _QuietThirdParty().filter(_record("scrapy.downloadermiddlewares.robotstxt", logging.ERROR))
    # Netra's own records keep their traceback (they choose when to log one).
    ours = _record("netra.crawl.spiders", logging.ERROR)
    assert _QuietThirdParty().filter(ours) and ours.exc_info is not None


def test_fold_keeps_a_message_that_already_names_the_error():
    record = _record("twisted", logging.CRITICAL)
    record.msg, record.args = "failed: Connection was refused by other side: 111\n  more", None
    fold_exception(record)
    assert record.getMessage() == "failed: Connection was refused by other side: 111 more [ConnectionRefusedError]"
