"""Item pipelines: every fetched article goes to the WARC archive first, then to the store.

The order is what makes a kill harmless: the WARC record is flushed and fsynced
before the ``crawl_urls``/``documents`` rows that point at it are committed.  A
kill in between costs one refetch (and one duplicate record), never a lost page.
Database writes are short synchronous transactions.
"""

from __future__ import annotations

import hashlib
import logging
import re
from urllib.parse import urljoin

from scrapy.crawler import Crawler
from sqlalchemy import select, update

from pipeline.crawl.spiders import FetchedArticle
from pipeline.extract.process import doc_key_for
from pipeline.schema import DocumentRecord
from pipeline.store.db import session_scope
from pipeline.store.models import CrawlUrl, Document
from pipeline.store.repository import upsert_document

log = logging.getLogger(__name__)

_CANONICAL = [
    re.compile(rb"""<link\b[^>]*\brel=["']?canonical["']?[^>]*\bhref=["']([^"'>\s]+)""", re.IGNORECASE),
    re.compile(rb"""<link\b[^>]*\bhref=["']([^"'>\s]+)["'][^>]*\brel=["']?canonical\b""", re.IGNORECASE),
    re.compile(rb"""<meta\b[^>]*\bproperty=["']og:url["'][^>]*\bcontent=["']([^"'>\s]+)""", re.IGNORECASE),
]


def canonical_url(body: bytes, url: str) -> str:
    """The page's declared canonical URL (``<link rel=canonical>``, else ``og:url``), else ``url``.

    It keys the document the same way the extraction stage does (sha256 of the canonical
    URL, ``pipeline.extract.process.doc_key_for``), so processing the WARC record later
    fills in this row instead of creating a second one.
    """
    head = body[:262144]
    for pattern in _CANONICAL:
        match = pattern.search(head)
        if match:
            found = match.group(1).decode("utf-8", "replace").replace("&amp;", "&")
            if found.startswith(("http://", "https://", "/")):
                return urljoin(url, found)
    return url


class WarcPipeline:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcPipeline:
        return cls(crawler)

    def process_item(self, item: FetchedArticle) -> FetchedArticle:
        archive = self.crawler.spider.archive
        ref = archive.write(
            item.final_url, item.status, item.headers, item.body, item.request_headers,
            fetched_at=item.fetched_at, protocol=item.protocol, ip_address=item.ip_address,
        )
        item.warc_path, item.warc_offset = ref.path, ref.offset
        return item

    def close_spider(self) -> None:
        self.crawler.spider.archive.close()


class StorePipeline:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler)

    def process_item(self, item: FetchedArticle) -> FetchedArticle:
        spider = self.crawler.spider
        stats = spider.stats
        engine = spider.state.engine
        if not item.is_html:
            stats.error(item.source_name, "not_html", item.final_url, "article URL answered with a non-HTML body")
            spider.state.mark_failed(item.url_key, "not_html", http_status=item.status, permanent=True)
            return item
        raw_ref = f"{item.warc_path}#{item.warc_offset}"
        canonical = canonical_url(item.body, item.final_url)
        key = doc_key_for(canonical, raw_ref)
        with session_scope(engine) as session:
            session.execute(update(CrawlUrl).where(CrawlUrl.url_key == item.url_key).values(
                status="fetched", http_status=item.status, error=None, fetched_at=item.fetched_at,
                warc_path=item.warc_path, warc_offset=item.warc_offset, attempts=CrawlUrl.attempts + 1))
            existing = session.scalar(select(Document.id).where(Document.doc_key == key))
            if existing is None:
                upsert_document(session, DocumentRecord(
                    doc_key=key, url=item.final_url, canonical_url=canonical,
                    source_name=item.source_name, fetched_at=item.fetched_at,
                    content_sha256=hashlib.sha256(item.body).hexdigest(), raw_ref=raw_ref, status="new",
                ))
            else:  # known from another route (e.g. ingested text): only point it at the raw page
                session.execute(update(Document).where(Document.id == existing).values(raw_ref=raw_ref, fetched_at=item.fetched_at))
        stats.inc(item.source_name, "fetched")
        if existing is None:
            stats.inc(item.source_name, "new")
        return item
