"""The spider's scheduling of discovered article URLs, on a real SQLite crawl state.

Scrapy consumes a callback's output a few requests at a time (``CONCURRENT_ITEMS``), so
a second listing of the same URLs (feed, then sitemap, then section page) can be parsed
before the first listing's requests are all taken: it must still find them scheduled.
"""

from __future__ import annotations

from pipeline.crawl.discovery import Link
from pipeline.crawl.sources import Source
from pipeline.crawl.spiders import NewsSpider
from pipeline.crawl.stats import CrawlStats
from pipeline.crawl.urls import url_key
from pipeline.store.crawl_state import CrawlState
from pipeline.store.db import open_store

SOURCE = Source(
    name="contoh", home="https://contoh.example/", feeds=("https://contoh.example/rss",), article_pattern=r"/berita/\d+"
)


def _spider(tmp_path) -> NewsSpider:
    engine = open_store(f"sqlite:///{tmp_path / 'netra.db'}", migrate=True)
    return NewsSpider(
        [SOURCE], CrawlState(engine, url_key), CrawlStats(None, [SOURCE.name]), archive=None, data_dir=tmp_path
    )


def test_a_url_listed_twice_is_discovered_and_requested_once(tmp_path):
    spider = _spider(tmp_path)
    links = [Link(f"https://contoh.example/berita/{i}") for i in range(10)]
    feed = spider._schedule(SOURCE, links)
    first = [next(feed)]  # the engine took one request of the feed's output so far
    sitemap = list(
        spider._schedule(SOURCE, [Link(f"https://www.contoh.example/berita/{i}?utm_source=x") for i in range(10)])
    )
    first += list(feed)
    assert sitemap == []
    assert sorted(r.url for r in first) == sorted(link.url for link in links)
    assert spider.stats.sources["contoh"].counts["discovered"] == 10


def test_offsite_and_non_article_links_are_counted_not_requested(tmp_path):
    spider = _spider(tmp_path)
    requests = list(
        spider._schedule(
            SOURCE,
            [
                Link("https://contoh.example/berita/1"),
                Link("https://contoh.example/tentang-kami"),
                Link("https://lain.example/berita/2"),
                Link("ftp://contoh.example/berita/3"),
            ],
        )
    )
    counts = spider.stats.sources["contoh"].counts
    assert [r.url for r in requests] == ["https://contoh.example/berita/1"]
    assert (counts["skipped.pattern"], counts["skipped.offsite"]) == (1, 2)
