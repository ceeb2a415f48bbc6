"""Scrapy settings derived from ``pipeline.settings.CrawlSettings`` (the user-facing knobs)."""

from __future__ import annotations

from typing import Any

from pipeline.settings import CrawlSettings

_MW = "pipeline.crawl.middlewares"


def scrapy_settings(crawl: CrawlSettings, log_level: str = "WARNING") -> dict[str, Any]:
    delay = max(0.0, crawl.download_delay)
    return {
        "BOT_NAME": "netra",
        "USER_AGENT": crawl.user_agent,
        "ROBOTSTXT_OBEY": True,
        "ROBOTSTXT_USER_AGENT": crawl.user_agent,
        # Politeness: a fixed floor between two requests to one host, AutoThrottle above it.
        "DOWNLOAD_DELAY": delay,
        "DOWNLOAD_DELAY_JITTER": 0.0,  # jitter would go below the floor
        "AUTOTHROTTLE_ENABLED": delay > 0,
        "AUTOTHROTTLE_START_DELAY": max(delay, 1.0) if delay > 0 else 0.0,
        "AUTOTHROTTLE_MAX_DELAY": max(60.0, delay),
        "AUTOTHROTTLE_TARGET_CONCURRENCY": 1.0,
        "CONCURRENT_REQUESTS_PER_DOMAIN": max(1, min(2, crawl.concurrent_per_domain)),
        "CONCURRENT_REQUESTS": crawl.concurrent_requests,
        "DOWNLOAD_TIMEOUT": crawl.download_timeout,
        "DNS_TIMEOUT": min(30.0, crawl.download_timeout),
        "DOWNLOAD_MAXSIZE": crawl.max_response_bytes,
        "DOWNLOAD_WARNSIZE": 0,
        "REDIRECT_MAX_TIMES": crawl.max_redirects,
        "RETRY_ENABLED": True,
        "RETRY_TIMES": crawl.retry_times,
        "RETRY_HTTP_CODES": [429, 500, 502, 503, 504, 522, 524, 408],
        "NETRA_RETRY_BACKOFF": crawl.retry_backoff,
        "NETRA_RETRY_AFTER_MAX": crawl.retry_after_max,
        "NETRA_COMMIT_BATCH_ITEMS": max(1, crawl.commit_batch_items),
        "NETRA_COMMIT_BATCH_SECONDS": max(0.01, crawl.commit_batch_seconds),
        "NETRA_PROXY": crawl.proxy,
        # http and https only: no file://, ftp://, s3:// or data: handlers at all.
        "DOWNLOAD_HANDLERS": {"file": None, "ftp": None, "s3": None, "data": None},
        "DOWNLOADER_MIDDLEWARES": {
            f"{_MW}.RequestGuardMiddleware": 50,  # before robots.txt, so robots of a blocked host is never fetched
            "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
            f"{_MW}.RobotsTxtMiddleware": 100,  # the same, fixed for concurrent first requests
            "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
            f"{_MW}.BackoffRetryMiddleware": 550,
            "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,  # per-source checks in the guard
            "scrapy.downloadermiddlewares.httpcache.HttpCacheMiddleware": None,
            # Not used by a news crawl; each costs a coroutine hop per request.
            "scrapy.downloadermiddlewares.httpauth.HttpAuthMiddleware": None,
            # Only with crawl.proxy: ours sets the proxy of every request, Scrapy's sends it there.
            f"{_MW}.ProxyMiddleware": 700 if crawl.proxy else None,
            "scrapy.downloadermiddlewares.httpproxy.HttpProxyMiddleware": 750 if crawl.proxy else None,
            "scrapy.downloadermiddlewares.stats.DownloaderStats": None,
        },
        "SPIDER_MIDDLEWARES": {
            "scrapy.spidermiddlewares.depth.DepthMiddleware": None,
            "scrapy.spidermiddlewares.urllength.UrlLengthMiddleware": None,
            "scrapy.spidermiddlewares.metacopy.MetaCopyDetectionMiddleware": None,
        },
        "EXTENSIONS": {
            "scrapy.extensions.memusage.MemoryUsage": None,
            "scrapy.extensions.memdebug.MemoryDebugger": None,
            "scrapy.extensions.feedexport.FeedExporter": None,
            "scrapy.extensions.logstats.LogStats": None,
            "scrapy.extensions.spiderstate.SpiderState": None,
            "scrapy.extensions.closespider.CloseSpider": None,
        },
        "ITEM_PIPELINES": {
            "pipeline.crawl.pipelines.WarcPipeline": 100,
            "pipeline.crawl.pipelines.StorePipeline": 200,
        },
        # De-duplication is the crawl state's job (it survives restarts); a redirect loop must
        # reach the redirect limit and be counted, not vanish in the dupefilter.
        "DUPEFILTER_CLASS": "scrapy.dupefilters.BaseDupeFilter",
        # Scrapy starts CONCURRENT_ITEMS (default 100) asyncio tasks for every response's output;
        # an article yields one item and our item pipelines are synchronous, so 100 tasks per page
        # were most of the crawl's CPU time (bench/crawl.py, cProfile).
        "CONCURRENT_ITEMS": 4,
        # A broad crawl: hand the downloader requests for the least busy hosts, so one outlet's
        # sitemap of 200 URLs does not fill the global concurrency while other hosts sit idle.
        "SCHEDULER_PRIORITY_QUEUE": "scrapy.pqueues.DownloaderAwarePriorityQueue",
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,  # no listening ports on an operator's machine
        "REMOTE_CONTROL_ENABLED": False,
        "LOG_LEVEL": log_level,
        "LOGSTATS_INTERVAL": 0,
        "METAREFRESH_ENABLED": False,
        "REQUEST_FINGERPRINTER_IMPLEMENTATION": "2.7",
        "DEFAULT_REQUEST_HEADERS": {
            "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            "Accept-Language": "id,en;q=0.5",
        },
    }
