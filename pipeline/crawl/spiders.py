"""The news spider: discovery from feeds, sitemaps and section pages, then article fetches.

One spider crawls every selected source; Scrapy's per-host download slots keep
each outlet polite while outlets are fetched in parallel.  Article URLs are
recorded in the crawl state as soon as they are discovered, so a killed crawl
resumes with ``CrawlState.pending``; a URL fetched once is never fetched again.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from pipeline.crawl.discovery import Link, links_from_section, parse_feed, parse_sitemap
from pipeline.crawl.middlewares import classify_failure
from pipeline.crawl.sources import Source
from pipeline.crawl.stats import CrawlStats
from pipeline.crawl.urls import host_matches, url_key
from pipeline.logs import get_logger
from pipeline.store.crawl_state import Candidate, CrawlState

log = get_logger(__name__)

MAX_SITEMAP_DEPTH = 3  # index -> index -> urlset
# Article failures not worth retrying in a later run.
PERMANENT_ERRORS = {"404", "4xx", "too_large", "blocked", "redirect", "robots", "not_html"}


@dataclass
class FetchedArticle:
    """An article response, on its way to the WARC archive and the store."""

    source_name: str
    url: str  # as discovered
    url_key: str
    final_url: str  # after redirects
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    request_headers: list[tuple[str, str]]
    protocol: str
    ip_address: str | None
    is_html: bool
    fetched_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    warc_path: str | None = None
    warc_offset: int | None = None
    is_new: bool = False  # set by the store: a new document row was created


def _request_of(response: Response) -> scrapy.Request:
    """The request a callback's response answers (Scrapy always sets it for callbacks)."""
    if response.request is None:  # pragma: no cover
        raise ValueError(f"response for {response.url} has no request")
    return response.request


def _header_pairs(headers: Any) -> list[tuple[str, str]]:
    pairs = []
    for name, values in headers.items():
        for value in values:
            pairs.append((name.decode("latin-1"), value.decode("latin-1")))
    return pairs


def looks_like_html(content_type: str, body: bytes) -> bool:
    content_type = content_type.lower()
    if content_type:
        return "html" in content_type
    head = body[:512].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<body"))


class NewsSpider(scrapy.Spider):
    name = "netra-news"

    def __init__(
        self,
        sources: list[Source],
        state: CrawlState,
        stats: CrawlStats,
        archive: Any,
        data_dir: Any,
        max_pages: int | None = None,
        since: datetime | None = None,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self.sources = sources
        self.state = state
        self.stats = stats
        self.archive = archive
        self.data_dir = data_dir
        self.max_pages = max_pages
        self.since = since
        self.configured_netlocs = (
            frozenset().union(*(s.configured_netlocs for s in sources)) if sources else frozenset()
        )
        self._scheduled: set[str] = set()
        self._budget: dict[str, int] = {s.name: (max_pages if max_pages is not None else -1) for s in sources}
        # Sitemap indexes whose validators are saved only once all their children are handled.
        self._open_indexes: dict[str, dict[str, Any]] = {}

    # -- requests ----------------------------------------------------------------------------
    async def start(self) -> AsyncIterator[scrapy.Request]:
        for source in self.sources:
            for kind, url in source.discovery_urls:
                yield self._discovery_request(source, kind, url)
        for source in self.sources:
            limit = self._budget[source.name] if self._budget[source.name] >= 0 else None
            for candidate in self.state.pending(source.name, limit=limit):
                request = self._article_request(source, candidate)
                if request is not None:
                    yield request

    def _discovery_request(
        self, source: Source, kind: str, url: str, parent: str | None = None, depth: int = 0
    ) -> scrapy.Request:
        headers = {}
        if kind in ("feed", "sitemap"):
            etag, last_modified = self.state.validators(url)
            if etag:
                headers["If-None-Match"] = etag
            if last_modified:
                headers["If-Modified-Since"] = last_modified
        return scrapy.Request(
            url,
            callback=self.parse_discovery,
            errback=self.on_error,
            headers=headers,
            priority=10,
            dont_filter=True,
            meta={
                "source": source,
                "kind": kind,
                "parent": parent,
                "sitemap_depth": depth,
                "handle_httpstatus_list": [304],
            },
        )

    def _article_request(self, source: Source, candidate: Candidate) -> scrapy.Request | None:
        if candidate.key in self._scheduled:
            return None
        budget = self._budget[source.name]
        if budget == 0:
            self.stats.inc(source.name, "skipped.limit")
            return None
        if budget > 0:
            self._budget[source.name] = budget - 1
        self._scheduled.add(candidate.key)
        return scrapy.Request(
            candidate.url.split("#", 1)[0],
            callback=self.parse_article,
            errback=self.on_error,
            dont_filter=True,
            meta={"source": source, "kind": "article", "url_key": candidate.key},
        )

    # -- discovery ---------------------------------------------------------------------------
    def _too_old(self, link: Link) -> bool:
        return self.since is not None and link.date is not None and link.date < self.since

    def _schedule(self, source: Source, links: Iterable[Link]) -> Iterator[scrapy.Request]:
        wanted: dict[str, Link] = {}
        for link in links:
            url = link.url.split("#", 1)[0]
            if not url.lower().startswith(("http://", "https://")) or not host_matches(url, source.article_domains):
                self.stats.inc(source.name, "skipped.offsite")
            elif not source.is_article(url):
                self.stats.inc(source.name, "skipped.pattern")
            elif self._too_old(link):
                self.stats.inc(source.name, "skipped.old")
            else:
                wanted.setdefault(url_key(url), Link(url, link.date))
        fresh = {k: v for k, v in wanted.items() if k not in self._scheduled}
        self.stats.inc(source.name, "discovered", len(fresh))
        todo, done = self.state.register(source.name, [(link.url, link.date) for link in fresh.values()])
        self.stats.inc(source.name, "skipped.seen", done)
        # Built eagerly: Scrapy consumes this generator a few requests at a time, and another
        # listing of the same URLs must already find them scheduled.
        requests = [self._article_request(source, candidate) for candidate in todo]
        yield from (request for request in requests if request is not None)

    def parse_discovery(self, response: Response) -> Iterator[scrapy.Request]:
        meta = response.meta
        source: Source = meta["source"]
        kind: str = meta["kind"]
        url = _request_of(response).url
        self.stats.inc(source.name, "discovery_ok")
        if response.status == 304:
            self.stats.inc(source.name, "not_modified")
            self._child_done(meta.get("parent"))
            return
        self.stats.inc(source.name, f"{kind}s_fetched")
        body = response.body
        try:
            if kind == "feed":
                links = parse_feed(body)
            elif kind == "sitemap":
                sitemap = parse_sitemap(body)
                if sitemap.kind == "index":
                    # The index reports to its own parent once all its children are done.
                    yield from self._follow_index(source, response, sitemap.entries)
                    return
                links = sitemap.entries
            else:
                links = [Link(u) for u in links_from_section(body, response.url)]
        except ValueError as exc:
            self.stats.error(source.name, "unparseable", url, f"{kind}: {exc}")
            self._child_done(meta.get("parent"))
            return
        yield from self._schedule(source, links)
        self._save_validators(response)
        self._child_done(meta.get("parent"))

    def _follow_index(self, source: Source, response: Response, entries: list[Link]) -> Iterator[scrapy.Request]:
        depth = response.meta.get("sitemap_depth", 0) + 1
        url = _request_of(response).url
        if depth > MAX_SITEMAP_DEPTH:
            self.stats.error(source.name, "other", url, "sitemap indexes nested too deep")
            return
        children = []
        for entry in entries:
            if self._too_old(entry):
                self.stats.inc(source.name, "skipped.old_sitemap")
            else:
                children.append(entry.url)
        self._open_indexes[url] = {"pending": len(children), "response": response}
        if not children:
            self._child_done(url, own=True)
        for child in children:
            yield self._discovery_request(source, "sitemap", child, parent=url, depth=depth)

    def _child_done(self, parent: str | None, own: bool = False) -> None:
        if parent is None or parent not in self._open_indexes:
            return
        entry = self._open_indexes[parent]
        if not own:
            entry["pending"] -= 1
        if entry["pending"] <= 0:
            del self._open_indexes[parent]
            self._save_validators(entry["response"])
            self._child_done(entry["response"].meta.get("parent"))

    def _save_validators(self, response: Response) -> None:
        """Remember ETag/Last-Modified, only after everything the document listed is recorded.
        A ``--since`` run saw a filtered view, so it leaves the validators alone."""
        if self.since is not None or response.meta.get("kind") not in ("feed", "sitemap"):
            return
        etag = response.headers.get("ETag")
        last_modified = response.headers.get("Last-Modified")
        if etag or last_modified:
            self.state.save_validators(
                _request_of(response).url,
                etag.decode("latin-1") if etag else None,
                last_modified.decode("latin-1") if last_modified else None,
                response.status,
            )

    # -- articles ----------------------------------------------------------------------------
    def parse_article(self, response: Response) -> Iterator[FetchedArticle]:
        meta = response.meta
        source: Source = meta["source"]
        content_type = (response.headers.get("Content-Type") or b"").decode("latin-1")
        yield FetchedArticle(
            source_name=source.name,
            url=_request_of(response).meta.get("redirect_urls", [response.url])[0],
            url_key=meta["url_key"],
            final_url=response.url,
            status=response.status,
            headers=_header_pairs(response.headers),
            body=response.body,
            request_headers=_header_pairs(_request_of(response).headers),
            protocol=response.protocol or "HTTP/1.1",
            ip_address=str(response.ip_address) if response.ip_address else None,
            is_html=looks_like_html(content_type, response.body),
        )

    # -- errors ------------------------------------------------------------------------------
    def on_error(self, failure: Failure) -> None:
        request: scrapy.Request = failure.request  # type: ignore[attr-defined]  # set by Scrapy on errback failures
        source: Source = request.meta["source"]
        kind = request.meta.get("kind")
        error_class = classify_failure(failure)
        response = getattr(failure.value, "response", None)
        status = response.status if response is not None else None
        if error_class == "robots":
            self.stats.inc(source.name, "skipped.robots")
        else:
            self.stats.error(source.name, error_class, request.url, f"{kind}: {failure.getErrorMessage()}")
        if kind == "article":
            self.state.mark_failed(
                request.meta["url_key"],
                f"{error_class}: {failure.getErrorMessage()}",
                http_status=status,
                permanent=error_class in PERMANENT_ERRORS,
            )
        else:
            self._child_done(request.meta.get("parent"))
