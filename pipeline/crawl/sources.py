"""The source registry (``sources.yaml``): one entry per outlet, validated with pydantic.

``load_sources`` is strict (a broken registry stops the crawl before any request);
``check_sources`` validates entry by entry and, online, probes every feed and
sitemap, so an operator sees every problem in one pass.
"""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from pipeline.crawl.urls import host_of, is_ip_literal, netloc_of
from pipeline.logs import get_logger
from pipeline.regions import is_known_code

log = get_logger(__name__)

_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")


class SourcesError(ValueError):
    """The registry file is unreadable or invalid; the message names the file and entry."""


def _http_url(value: str, what: str) -> str:
    value = value.strip()
    if not re.match(r"^https?://[^/\s]+", value, re.IGNORECASE):
        raise ValueError(f"{what} must be an http(s) URL, got {value!r}")
    return value


class Source(BaseModel):
    """One outlet: where to discover its articles and which URLs are articles."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    home: str
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()  # urlsets, sitemap indexes and Google News sitemaps
    sections: tuple[str, ...] = ()  # index pages whose links are candidate articles
    article_pattern: str = Field(description="regex (re.search) an article URL must match")
    regions: tuple[str, ...] = ()  # Kemendagri codes the outlet covers
    domains: tuple[str, ...] = ()  # article domains; default: the home host (subdomains included)
    enabled: bool = True
    verified: bool = False  # true once someone has checked the feeds/sitemaps online
    notes: str | None = None

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not _NAME.match(value):
            raise ValueError(f"name {value!r} must be lower-case letters, digits, '.', '-' or '_'")
        return value

    @field_validator("home")
    @classmethod
    def _home(cls, value: str) -> str:
        return _http_url(value, "home")

    @field_validator("feeds", "sitemaps", "sections")
    @classmethod
    def _urls(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(_http_url(v, "feed/sitemap/section") for v in values)

    @field_validator("article_pattern")
    @classmethod
    def _pattern(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"article_pattern {value!r} does not compile: {exc}") from exc
        return value

    @field_validator("regions")
    @classmethod
    def _regions(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        values = tuple(str(v) for v in values)
        unknown = [code for code in values if not is_known_code(code)]
        if unknown:
            raise ValueError(f"unknown Kemendagri region code(s) {unknown}")
        return values

    @model_validator(mode="after")
    def _has_discovery(self) -> Source:
        if not (self.feeds or self.sitemaps or self.sections):
            raise ValueError("needs at least one of feeds, sitemaps or sections")
        return self

    # -- derived ---------------------------------------------------------------------------
    @property
    def article_domains(self) -> tuple[str, ...]:
        """Domains whose URLs may be articles of this source."""
        if self.domains:
            return self.domains
        home = host_of(self.home)
        return (netloc_of(self.home),) if is_ip_literal(home) or home == "localhost" else (home,)

    @property
    def configured_netlocs(self) -> frozenset[str]:
        """Every host:port the registry itself names for this source (the SSRF allow-list)."""
        urls = (self.home, *self.feeds, *self.sitemaps, *self.sections)
        return frozenset(netloc_of(u) for u in urls) | frozenset(self.domains)

    def is_article(self, url: str) -> bool:
        return re.search(self.article_pattern, url) is not None

    @property
    def discovery_urls(self) -> list[tuple[str, str]]:
        return (
            [("feed", u) for u in self.feeds]
            + [("sitemap", u) for u in self.sitemaps]
            + [("section", u) for u in self.sections]
        )


def _read_entries(path: Path) -> list[Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise SourcesError(f"{path}: sources file not found") from exc
    except UnicodeDecodeError as exc:
        raise SourcesError(f"{path}: not UTF-8 at byte {exc.start}") from None
    except yaml.YAMLError as exc:
        raise SourcesError(f"{path}: not valid YAML: {exc}") from exc
    entries = data.get("sources") if isinstance(data, dict) else data
    if not isinstance(entries, list):
        raise SourcesError(f"{path}: expected a list of sources (or a mapping with a 'sources' list)")
    return entries


def _describe(error: ValidationError) -> str:
    return "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'entry'}: {e['msg']}" for e in error.errors())


def _entry_label(index: int, entry: Any) -> str:
    name = entry.get("name") if isinstance(entry, dict) else None
    return f"entry {index + 1}" + (f" ({name})" if name else "")


def load_sources(path: Path | str) -> list[Source]:
    """All sources in ``path``; raises ``SourcesError`` naming every invalid entry."""
    path = Path(path)
    sources, problems, seen = [], [], set()
    for index, entry in enumerate(_read_entries(path)):
        try:
            source = Source.model_validate(entry)
        except ValidationError as exc:
            problems.append(f"{_entry_label(index, entry)}: {_describe(exc)}")
            continue
        if source.name in seen:
            problems.append(f"{_entry_label(index, entry)}: duplicate name {source.name!r}")
            continue
        seen.add(source.name)
        sources.append(source)
    if problems:
        raise SourcesError(f"{path}: " + " | ".join(problems))
    return sources


def select_sources(sources: list[Source], names: list[str] | None = None) -> list[Source]:
    """Enabled sources, or exactly the named ones (enabled or not); unknown names are an error."""
    if not names:
        return [s for s in sources if s.enabled]
    by_name = {s.name: s for s in sources}
    unknown = [n for n in names if n not in by_name]
    if unknown:
        raise SourcesError(f"unknown source name(s): {', '.join(unknown)}")
    return [by_name[n] for n in names]


@dataclass
class SourceCheck:
    """One finding of ``netra sources check``."""

    source: str
    kind: str  # schema | feed | sitemap | section
    url: str | None
    ok: bool
    status: str  # "valid", "invalid", an HTTP status, or an error class
    detail: str = ""


def probe(
    url: str, kind: str, user_agent: str, timeout: float = 20.0, source: Source | None = None
) -> tuple[bool, str, str]:
    """GET ``url`` once; return (ok, status, detail) with the number of links found and, given
    the ``source``, how many of them are article URLs by its ``article_pattern``."""
    from pipeline.crawl.discovery import links_from_section, parse_feed, parse_sitemap

    request = urllib.request.Request(url, headers={"User-Agent": user_agent, "Accept-Encoding": "identity"})
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read(20 * 1024 * 1024)
            status = str(response.status)
            ctype = response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as exc:
        return False, str(exc.code), exc.reason or ""
    except urllib.error.URLError as exc:
        return False, "error", str(exc.reason)
    except (TimeoutError, OSError) as exc:
        return False, "error", f"{type(exc).__name__}: {exc}"
    elapsed = time.monotonic() - started
    try:
        if kind == "feed":
            links = [link.url for link in parse_feed(body)]
        elif kind == "sitemap":
            sitemap = parse_sitemap(body)
            links = [link.url for link in sitemap.entries]
            if sitemap.kind == "index":  # children are sitemaps, not articles
                return bool(links), status, f"sitemap index of {len(links)} sitemaps, {elapsed:.1f}s"
        else:
            links = links_from_section(body, url)
    except ValueError as exc:
        return False, status, f"unparseable {kind}: {exc}"
    detail = f"{len(links)} links"
    if source is not None:
        articles = sum(1 for link in links if source.is_article(link))
        detail += f", {articles} match article_pattern"
        if links and not articles:
            return False, status, detail + f" (check the pattern), {ctype or 'no content-type'}"
    return bool(links), status, f"{detail}, {ctype or 'no content-type'}, {elapsed:.1f}s"


def check_sources(path: Path | str, online: bool = False, user_agent: str | None = None) -> list[SourceCheck]:
    """Validate the registry entry by entry; with ``online``, probe each feed/sitemap/section."""
    path = Path(path)
    try:
        entries = _read_entries(path)
    except SourcesError as exc:
        return [SourceCheck(str(path), "schema", None, False, "invalid", str(exc))]
    if user_agent is None:
        from pipeline.settings import get_settings

        user_agent = get_settings().crawl.user_agent
    checks: list[SourceCheck] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        label = _entry_label(index, entry)
        try:
            source = Source.model_validate(entry)
        except ValidationError as exc:
            checks.append(SourceCheck(label, "schema", None, False, "invalid", _describe(exc)))
            continue
        if source.name in seen:
            checks.append(SourceCheck(label, "schema", None, False, "invalid", f"duplicate name {source.name!r}"))
            continue
        seen.add(source.name)
        flags = ("" if source.enabled else "disabled, ") + ("verified" if source.verified else "not verified")
        checks.append(SourceCheck(source.name, "schema", None, True, "valid", flags))
        if online:
            for kind, url in source.discovery_urls:
                ok, status, detail = probe(url, kind, user_agent, source=source)
                checks.append(SourceCheck(source.name, kind, url, ok, status, detail))
    return checks
