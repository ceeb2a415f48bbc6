"""Item pipelines: every fetched article goes to the WARC archive first, then to the store.

The order is what makes a kill harmless: the WARC record is written, and fsynced
before the ``crawl_urls``/``documents`` rows that point at it are committed.  A
kill in between costs one refetch (and one duplicate record), never a lost page.

Group commit: the store pipeline collects articles for up to ``commit_batch_seconds`` or
``commit_batch_items`` (crawl settings), then fsyncs the archive once and writes their rows in one
transaction.  One fsync and one commit per page capped the crawl at a fifth of a
bare fetcher's rate (bench/crawl.py); batched, the invariant is the same.
"""

from __future__ import annotations

import hashlib
import time

from scrapy.crawler import Crawler
from twisted.internet.task import LoopingCall

from pipeline.crawl.spiders import FetchedArticle, NewsSpider
from pipeline.logs import get_logger
from pipeline.schema import canonical_url, doc_key_for
from pipeline.store.crawl_state import FetchedUrl
from pipeline.store.db import Engine
from pipeline.store.documents import CrawledPage, store_crawled_pages

log = get_logger(__name__)


def _news_spider(crawler: Crawler) -> NewsSpider:
    spider = crawler.spider
    if not isinstance(spider, NewsSpider):  # pragma: no cover - the pipelines are ours only
        raise TypeError(f"Netra's item pipelines run only with NewsSpider, not {spider!r}")
    return spider


class WarcPipeline:
    """Writes the response and request records (flushed; the store pipeline fsyncs per batch)."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcPipeline:
        return cls(crawler)

    def process_item(self, item: FetchedArticle) -> FetchedArticle:
        archive = _news_spider(self.crawler).archive
        try:
            ref = archive.write(
                item.final_url,
                item.status,
                item.headers,
                item.body,
                item.request_headers,
                fetched_at=item.fetched_at,
                protocol=item.protocol,
                ip_address=item.ip_address,
                sync=False,
            )
        except OSError as exc:
            # Disk full, read-only, …: one line naming the file (the nightly counts these and
            # fails loudly); the page is not stored, so it stays unfetched and the next run refetches it.
            log.error(
                "cannot archive %s: %s",
                item.final_url,
                exc,
                extra={"netra_write_failure": f"{type(exc).__name__}: {exc}"},
            )
            return item
        item.warc_path, item.warc_offset = ref.path, ref.offset
        return item


class StorePipeline:
    """Points ``crawl_urls`` and ``documents`` at the archived records, a batch at a time."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.batch_items = crawler.settings.getint("NETRA_COMMIT_BATCH_ITEMS", 100)
        self.batch_seconds = crawler.settings.getfloat("NETRA_COMMIT_BATCH_SECONDS", 1.0)
        self._pending: list[FetchedArticle] = []
        self._oldest = 0.0
        self._timer: LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        self._timer = LoopingCall(self._flush_stale)
        self._timer.start(self.batch_seconds, now=False)

    def close_spider(self) -> None:
        if self._timer is not None and self._timer.running:
            self._timer.stop()
        self.flush()
        _news_spider(self.crawler).archive.close()

    def process_item(self, item: FetchedArticle) -> FetchedArticle:
        spider = _news_spider(self.crawler)
        if item.warc_path is None:  # the WARC pipeline could not archive it (logged there)
            return item
        if not item.is_html:
            spider.stats.error(
                item.source_name, "not_html", item.final_url, "article URL answered with a non-HTML body"
            )
            spider.state.mark_failed(item.url_key, "not_html", http_status=item.status, permanent=True)
            return item
        if not self._pending:
            self._oldest = time.monotonic()
        self._pending.append(item)
        if len(self._pending) >= self.batch_items:
            self.flush()
        return item

    def _flush_stale(self) -> None:
        if self._pending and time.monotonic() - self._oldest >= self.batch_seconds:
            try:
                self.flush()
            except Exception:  # the timer must keep running; the rows are written by the next flush
                log.exception("crawl: could not store %d fetched articles yet", len(self._pending))

    def flush(self) -> None:
        """fsync the archive, then commit the batch's rows in one transaction.  On failure the batch
        stays pending (its URLs are still ``discovered``: a later run refetches them)."""
        if not self._pending:
            return
        spider = _news_spider(self.crawler)
        batch = list(self._pending)
        spider.archive.sync()
        store_batch(spider.state.engine, batch)
        del self._pending[: len(batch)]
        for item in batch:
            spider.stats.inc(item.source_name, "fetched")
            if item.is_new:
                spider.stats.inc(item.source_name, "new")


def store_batch(engine: Engine, items: list[FetchedArticle]) -> None:
    """``crawl_urls`` rows marked fetched and ``documents`` rows created (or re-pointed at the new
    record when the document is known from another route), all in one transaction; sets
    ``item.is_new``."""
    pages = []
    for item in items:
        raw_ref = f"{item.warc_path}#{item.warc_offset}"
        canonical = canonical_url(item.body, item.final_url)
        fetched = FetchedUrl(item.url_key, item.status, item.fetched_at, item.warc_path, item.warc_offset)
        pages.append(
            CrawledPage(
                fetched=fetched,
                doc_key=doc_key_for(canonical, raw_ref),
                url=item.final_url,
                canonical_url=canonical,
                source_name=item.source_name,
                content_sha256=hashlib.sha256(item.body).hexdigest(),
            )
        )
    created = store_crawled_pages(engine, pages)
    for item, page in zip(items, pages, strict=True):
        item.is_new = page.doc_key in created
