"""Crawl state in the SQL store: which URLs were seen and fetched (``crawl_urls``)
and the cache validators of feeds and sitemaps (``http_cache``).

Every write commits at once, so a crawl killed at any moment resumes from here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import cast

from sqlalchemy import ColumnElement, Connection, Engine, Table, bindparam, func, or_, select, update

from pipeline.store.db import session_scope
from pipeline.store.models import CrawlUrl, HttpCache
from pipeline.store.upsert import upsert

_CHUNK = 500


@dataclass(frozen=True)
class Candidate:
    url: str
    key: str
    lastmod: datetime | None = None


@dataclass(frozen=True)
class FetchedUrl:
    """A URL fetched and archived: its ``crawl_urls`` key, HTTP status and WARC record."""

    key: str
    http_status: int
    fetched_at: datetime
    warc_path: str | None
    warc_offset: int | None


def mark_fetched(conn: Connection, fetched: Sequence[FetchedUrl]) -> None:
    """Mark URLs fetched, inside the caller's transaction (the one that also writes their
    ``documents`` rows)."""
    table = cast(Table, CrawlUrl.__table__)
    conn.execute(
        update(table)
        .where(table.c.url_key == bindparam("b_key"))
        .values(
            status="fetched",
            http_status=bindparam("b_status"),
            error=None,
            fetched_at=bindparam("b_at"),
            warc_path=bindparam("b_path"),
            warc_offset=bindparam("b_offset"),
            attempts=table.c.attempts + 1,
        ),
        [
            {
                "b_key": f.key,
                "b_status": f.http_status,
                "b_at": f.fetched_at,
                "b_path": f.warc_path,
                "b_offset": f.warc_offset,
            }
            for f in fetched
        ],
    )


class CrawlState:
    """``key_of`` turns a URL into its ``crawl_urls.url_key`` (the crawler's normalization)."""

    def __init__(self, engine: Engine, key_of: Callable[[str], str], max_attempts: int = 3):
        self.engine = engine
        self.key_of = key_of
        self.max_attempts = max_attempts

    # -- URLs --------------------------------------------------------------------------------
    def _fetchable(self) -> ColumnElement[bool]:
        return or_(
            CrawlUrl.status == "discovered", (CrawlUrl.status == "failed") & (CrawlUrl.attempts < self.max_attempts)
        )

    def register(self, source: str, links: Iterable[tuple[str, datetime | None]]) -> tuple[list[Candidate], int]:
        """Record discovered article URLs; return those still to fetch, and how many were already done."""
        wanted: dict[str, Candidate] = {}
        for url, lastmod in links:
            key = self.key_of(url)
            wanted.setdefault(key, Candidate(url, key, lastmod))
        if not wanted:
            return [], 0
        now = datetime.now(UTC)
        todo: list[Candidate] = []
        keys = list(wanted)
        with session_scope(self.engine) as session:
            for start in range(0, len(keys), _CHUNK):
                chunk = keys[start : start + _CHUNK]
                rows = [
                    {
                        "url_key": k,
                        "url": wanted[k].url,
                        "source_name": source,
                        "status": "discovered",
                        "discovered_at": now,
                        "lastmod": wanted[k].lastmod,
                        "attempts": 0,
                    }
                    for k in chunk
                ]
                upsert(session, CrawlUrl, rows, ["url_key"], update=None)
                fetchable = set(
                    session.scalars(select(CrawlUrl.url_key).where(CrawlUrl.url_key.in_(chunk), self._fetchable()))
                )
                todo.extend(wanted[k] for k in chunk if k in fetchable)
        return todo, len(wanted) - len(todo)

    def pending(self, source: str, limit: int | None = None) -> list[Candidate]:
        """URLs discovered by earlier (possibly killed) runs and not fetched yet."""
        with session_scope(self.engine) as session:
            stmt = (
                select(CrawlUrl.url, CrawlUrl.url_key, CrawlUrl.lastmod)
                .where(CrawlUrl.source_name == source, self._fetchable())
                .order_by(CrawlUrl.id)
            )
            if limit is not None:
                stmt = stmt.limit(limit)
            return [Candidate(url, key, lastmod) for url, key, lastmod in session.execute(stmt)]

    def mark_failed(self, key: str, error: str, http_status: int | None = None, permanent: bool = False) -> None:
        """A failed fetch; transient failures are retried by later runs, up to ``max_attempts``."""
        with session_scope(self.engine) as session:
            session.execute(
                update(CrawlUrl)
                .where(CrawlUrl.url_key == key)
                .values(
                    status="skipped" if permanent else "failed",
                    http_status=http_status,
                    error=error[:2000],
                    fetched_at=datetime.now(UTC),
                    attempts=CrawlUrl.attempts + 1,
                )
            )

    def status_counts(self, source: str | None = None) -> dict[str, int]:
        with session_scope(self.engine) as session:
            stmt = select(CrawlUrl.status, func.count()).group_by(CrawlUrl.status)
            if source:
                stmt = stmt.where(CrawlUrl.source_name == source)
            return dict(session.execute(stmt).all())

    # -- conditional GET ---------------------------------------------------------------------
    def validators(self, url: str) -> tuple[str | None, str | None]:
        with session_scope(self.engine) as session:
            row = session.get(HttpCache, url[:2000])
            return (row.etag, row.last_modified) if row else (None, None)

    def save_validators(self, url: str, etag: str | None, last_modified: str | None, http_status: int) -> None:
        values = {
            "etag": etag,
            "last_modified": last_modified,
            "checked_at": datetime.now(UTC),
            "http_status": http_status,
        }
        with session_scope(self.engine) as session:
            upsert(session, HttpCache, {"url": url[:2000], **values}, ["url"])
