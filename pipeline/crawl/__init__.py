"""The crawler: polite, incremental, resumable and lossless (Scrapy + warcio).

``run_crawl`` runs one crawl of the selected sources and returns its summary;
``check_sources`` validates (and optionally probes) the source registry.
Scrapy's Twisted reactor cannot be restarted, so ``run_crawl`` runs once per process.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from pipeline.crawl.sources import Source, SourceCheck, SourcesError, check_sources, load_sources, select_sources
from pipeline.logs import get_logger
from pipeline.settings import Settings
from pipeline.store.db import Engine

log = get_logger(__name__)

__all__ = [
    "CrawlSummary",
    "Source",
    "SourceCheck",
    "SourcesError",
    "check_sources",
    "load_sources",
    "run_crawl",
    "sync_registry",
    "sync_registry_file",
]


@dataclass
class CrawlSummary:
    run_id: int | None
    status: str  # ok | partial | failed
    sources: dict[str, dict[str, int]] = field(default_factory=dict)
    source_status: dict[str, str] = field(default_factory=dict)

    @property
    def all_failed(self) -> bool:
        return bool(self.source_status) and all(s == "failed" for s in self.source_status.values())

    def total(self, key: str) -> int:
        return sum(c.get(key, 0) for c in self.sources.values())


def sync_registry(engine: Engine, sources: list[Source]) -> None:
    """Store the registry's sources (home, regions, enabled) in ``sources``: the extraction stage
    attributes a document to the source owning its host from there."""
    from pipeline.store.documents import RegisteredSource, sync_sources

    sync_sources(engine, [RegisteredSource(s.name, s.home, s.regions, s.enabled) for s in sources])


def sync_registry_file(engine: Engine, path: Path) -> bool:
    """``sync_registry`` from a registry file, for runs without a crawl (process, backfill);
    a missing or invalid file is a warning (documents then keep their host as source)."""
    if not Path(path).is_file():
        log.info("no source registry at %s: documents are attributed to their host", path)
        return False
    try:
        sync_registry(engine, load_sources(path))
    except SourcesError as exc:
        log.warning("source registry not stored, documents are attributed to their host: %s", exc)
        return False
    return True


def _as_datetime(since: date | datetime | None) -> datetime | None:
    if since is None:
        return None
    if not isinstance(since, datetime):
        since = datetime(since.year, since.month, since.day)
    return since if since.tzinfo else since.replace(tzinfo=UTC)


def run_crawl(
    settings: Settings,
    engine: Engine,
    sources: Path | str | list[Source] | None = None,
    names: list[str] | None = None,
    max_pages: int | None = None,
    since: date | datetime | None = None,
    parent_run_id: int | None = None,
) -> CrawlSummary:
    """Crawl the selected sources once (``max_pages``: article fetches per source, this run).

    The crawl records its own ``crawl`` run; ``parent_run_id`` (the nightly run that started
    it) is kept in that run's arguments, so ``netra status`` can tell the two apart."""
    from scrapy.crawler import CrawlerProcess

    from pipeline.crawl.settings import scrapy_settings
    from pipeline.crawl.spiders import NewsSpider
    from pipeline.crawl.stats import CrawlStats
    from pipeline.crawl.urls import url_key
    from pipeline.crawl.warc import WarcArchive
    from pipeline.store.crawl_state import CrawlState
    from pipeline.store.runs import RunRecorder

    if sources is None or isinstance(sources, (str, Path)):
        sources = load_sources(sources or settings.crawl.sources_file)
    selected = select_sources(list(sources), names)
    sync_registry(engine, list(sources))
    if not selected:
        raise SourcesError("no enabled source selected")
    since_dt = _as_datetime(since)
    args: dict[str, object] = {"sources": ",".join(s.name for s in selected), "max_pages": max_pages, "since": since_dt}
    if parent_run_id is not None:
        args["parent_run"] = parent_run_id
    with RunRecorder.start(engine, kind="crawl", args=args) as run:
        stats = CrawlStats(run, [s.name for s in selected])
        state = CrawlState(engine, url_key, max_attempts=settings.crawl.max_attempts)
        archive = WarcArchive(settings.data_dir, max_bytes=settings.crawl.warc_max_bytes)
        level = "DEBUG" if logging.getLogger().isEnabledFor(logging.DEBUG) else "WARNING"
        process = CrawlerProcess(scrapy_settings(settings.crawl, log_level=level), install_root_handler=False)
        with run.timed("crawl"):
            process.crawl(
                NewsSpider,
                sources=selected,
                state=state,
                stats=stats,
                archive=archive,
                data_dir=settings.data_dir,
                max_pages=max_pages,
                since=since_dt,
            )
            process.start()
        archive.close()
        stats.finalize()
        source_status = {name: s.status for name, s in stats.sources.items()}
        if all(v == "failed" for v in source_status.values()):
            status = "failed"
        elif any(v != "ok" for v in source_status.values()):
            status = "partial"
        else:
            status = "ok"
        run.finish(status)
        return CrawlSummary(run.id, status, {n: s.row() for n, s in stats.sources.items()}, source_status)
