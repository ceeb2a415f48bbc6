"""Downloader middlewares: the request guard (schemes, off-site articles, SSRF),
retries with backoff that honour ``Retry-After``, and error classification."""

from __future__ import annotations

import asyncio
import socket
import time
from email.utils import parsedate_to_datetime
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware as ScrapyRobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.response import response_status_message
from twisted.internet.defer import Deferred
from twisted.python.failure import Failure

from pipeline.crawl.urls import host_matches, is_ip_literal, is_private_address, netloc_of
from pipeline.logs import get_logger

log = get_logger(__name__)


class BlockedRequest(IgnoreRequest):
    """A request the guard refused to send; ``reason`` is offsite | scheme | private."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


@lru_cache(maxsize=4096)
def _resolves_private(host: str) -> bool:
    """Whether any address ``host`` resolves to is non-public (unresolvable: False, the
    download then fails with a DNS error of its own)."""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        return False
    return any(is_private_address(str(info[4][0])) for info in infos)


class RequestGuardMiddleware:
    """Runs first, on every request including redirects and robots.txt requests.

    * only http and https;
    * an article request (and every redirect of it) must stay on its source's domains;
    * no request to a loopback, private, link-local or reserved address unless the
      registry itself configures that host for the source (local test networks), so a
      redirect or a feed link cannot reach internal services.
    """

    def __init__(self, crawler: Crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RequestGuardMiddleware:
        return cls(crawler)

    def _allowed_netlocs(self, request: Request) -> frozenset[str]:
        source = request.meta.get("source")
        if source is not None:
            return frozenset(source.configured_netlocs)
        return frozenset(getattr(self.crawler.spider, "configured_netlocs", frozenset()))

    def process_request(self, request: Request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme not in ("http", "https"):
            raise BlockedRequest("scheme", f"scheme {parts.scheme!r} is not crawled: {request.url}")
        source = request.meta.get("source")
        if (
            source is not None
            and request.meta.get("kind") == "article"
            and not host_matches(request.url, source.article_domains)
        ):
            raise BlockedRequest(
                "offsite", f"{request.url} is not on {source.name}'s domains {list(source.article_domains)}"
            )
        host = (parts.hostname or "").lower()
        private = is_private_address(host) if is_ip_literal(host) else _resolves_private(host)
        if private and netloc_of(request.url) not in self._allowed_netlocs(request):
            raise BlockedRequest(
                "private", f"{request.url} resolves to a non-public address not configured for this source"
            )
        return None


class ProxyMiddleware:
    """Sends every request through ``crawl.proxy`` (Scrapy's HttpProxyMiddleware does the rest)."""

    def __init__(self, proxy: str | None):
        self.proxy = proxy

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ProxyMiddleware:
        return cls(crawler.settings.get("NETRA_PROXY"))

    def process_request(self, request: Request) -> None:
        if self.proxy and "proxy" not in request.meta:
            request.meta["proxy"] = self.proxy
        return None


class RobotsTxtMiddleware(ScrapyRobotsTxtMiddleware):
    """Scrapy's robots.txt middleware, with every waiting request given the parsed file.

    Scrapy 2.19 lets all requests that arrive while a host's robots.txt is downloading await
    the same Deferred through ``asFuture``; only the first gets the parser, the others get
    ``None``, which means "allow everything".  A resumed crawl issues many such requests at
    once, so disallowed pages were fetched.  Each waiter here chains its own Deferred.
    """

    async def robot_parser(self, request: Request) -> Any:
        parser = self._parsers.get(urlparse_cached(request).netloc)
        if isinstance(parser, Deferred):
            mine: Deferred[Any] = Deferred()

            def relay(result: object) -> object:
                mine.callback(result)
                return result  # keep the result in the shared chain for the next waiter

            parser.addBoth(relay)
            return await maybe_deferred_to_future(mine)
        return await super().robot_parser(request)


def retry_after_seconds(value: bytes | str | None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP-date)."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _downloader_clock() -> float:
    """Now, on the clock of Scrapy's download slots (``Slot.lastseen``): ``time.monotonic`` since
    Scrapy 2.13, ``time.time`` before.  Mixing the two would hold a host for decades."""
    import scrapy.core.downloader as downloader_module

    return getattr(downloader_module, "monotonic", time.time)()


class BackoffRetryMiddleware:
    """Retries 429, 5xx and network errors with exponential backoff.

    ``Retry-After`` (429 and 503) sets the wait and also holds back every other request
    to that host (the download slot's ``lastseen`` moves forward), as the server asked.
    A ``Retry-After`` above ``RETRY_AFTER_MAX`` gives the URL up for this run.
    """

    def __init__(self, crawler: Crawler):
        settings = crawler.settings
        self.crawler = crawler
        self.max_retry_times = settings.getint("RETRY_TIMES")
        self.retry_http_codes = {int(c) for c in settings.getlist("RETRY_HTTP_CODES")}
        self.backoff = settings.getfloat("NETRA_RETRY_BACKOFF", 2.0)
        self.retry_after_max = settings.getfloat("NETRA_RETRY_AFTER_MAX", 600.0)
        from scrapy.utils.misc import load_object

        self.exceptions = tuple(
            load_object(e) if isinstance(e, str) else e for e in settings.getlist("RETRY_EXCEPTIONS")
        )

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BackoffRetryMiddleware:
        return cls(crawler)

    def _hold_host(self, request: Request, seconds: float) -> None:
        downloader = self.crawler.engine.downloader if self.crawler.engine else None
        if downloader is None:
            return
        key = downloader.get_slot_key(request)
        slot = downloader.slots.get(key)
        if slot is not None:
            slot.lastseen = max(slot.lastseen, _downloader_clock() + seconds - slot.delay)

    async def _retry(self, request: Request, reason: str | Exception, wait: float) -> Request | None:
        retries = request.meta.get("retry_times", 0)
        if retries >= request.meta.get("max_retry_times", self.max_retry_times):
            return None
        spider = self.crawler.spider
        if spider is None:  # pragma: no cover - the engine is stopping
            return None
        if wait > 0:
            await asyncio.sleep(wait)
        return get_retry_request(
            request,
            reason=reason,
            spider=spider,
            max_retry_times=request.meta.get("max_retry_times", self.max_retry_times),
        )

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        if request.meta.get("dont_retry") or response.status not in self.retry_http_codes:
            return response
        retries = request.meta.get("retry_times", 0)
        wait = retry_after_seconds(response.headers.get("Retry-After"))
        if wait is not None:
            if wait > self.retry_after_max:
                log.info("giving up %s: Retry-After %.0fs is above the limit", request.url, wait)
                return response
            self._hold_host(request, wait)
        else:
            wait = self.backoff * (2**retries)
        retry = await self._retry(request, response_status_message(response.status), wait)
        return retry or response

    async def process_exception(self, request: Request, exception: Exception) -> Request | None:
        if request.meta.get("dont_retry") or not isinstance(exception, self.exceptions):
            return None
        return await self._retry(request, exception, self.backoff * (2 ** request.meta.get("retry_times", 0)))


def classify_failure(failure: Failure | BaseException) -> str:
    """The error class of a failed request, as counted in ``runs``:
    dns, timeout, 403, 404, 429, 5xx, 4xx, too_large, redirect, robots, blocked, connection, other."""
    from scrapy.spidermiddlewares.httperror import HttpError

    exc = failure.value if isinstance(failure, Failure) else failure
    if isinstance(exc, HttpError):
        status = exc.response.status
        if status in (403, 404, 429):
            return str(status)
        if status == 410:
            return "404"
        return "5xx" if status >= 500 else "4xx"
    if isinstance(exc, BlockedRequest):
        return "blocked"
    if isinstance(exc, IgnoreRequest):
        text = str(exc).lower()
        if "robots" in text:
            return "robots"
        if "redirect" in text:
            return "redirect"
        return "other"
    name = type(exc).__name__
    text = str(exc).lower()
    if "maxsize" in text or "max size" in text or "larger than" in text or "exceeds" in text:
        return "too_large"
    if "DNS" in name or "Resolve" in name or "NoAddress" in name:
        return "dns"
    if "Timeout" in name or "TimedOut" in name:
        return "timeout"
    if "Cancel" in name:
        return "too_large"  # Scrapy cancels a download only when it exceeds DOWNLOAD_MAXSIZE
    if "Connection" in name or "Connect" in name or "DataLoss" in name:
        return "connection"
    return "other"
