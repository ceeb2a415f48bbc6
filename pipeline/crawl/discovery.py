"""Finding article URLs in feeds (RSS 2.0, RSS 1.0/RDF, Atom), sitemaps (urlsets,
sitemap indexes, Google News sitemaps) and section (index) pages.

Pure functions over response bodies, so they are tested without a network.
Real Indonesian feeds are sloppy (a blank line before the XML declaration on
antaranews and detik, undeclared entities), so parsing is lenient.
"""

from __future__ import annotations

import gzip
import io
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin

from lxml import etree, html

MAX_SITEMAP_BYTES = 50 * 1024 * 1024  # the sitemaps.org limit for an uncompressed sitemap


@dataclass(frozen=True)
class Link:
    url: str
    date: datetime | None = None  # pubDate / lastmod / news:publication_date


@dataclass
class Sitemap:
    kind: str  # "index" | "urlset"
    entries: list[Link] = field(default_factory=list)


def parse_date(text: str | None) -> datetime | None:
    """RFC 822 (RSS) or ISO 8601 (Atom, sitemaps) to an aware datetime; None if unparseable."""
    if not text or not text.strip():
        return None
    text = text.strip()
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            value = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _xml_root(body: bytes) -> etree._Element:
    if body[:2] == b"\x1f\x8b":
        with gzip.GzipFile(fileobj=io.BytesIO(body)) as fh:
            body = fh.read(MAX_SITEMAP_BYTES + 1)
        if len(body) > MAX_SITEMAP_BYTES:
            raise ValueError("gzipped sitemap larger than 50 MB uncompressed")
    # A BOM or blank lines before the XML declaration make strict parsers fail.
    body = body.lstrip(b"\xef\xbb\xbf").lstrip()
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, remove_comments=True)
    try:
        root = etree.fromstring(body, parser=parser) if body else None
    except etree.LxmlError as exc:  # recover=True still gives up on binary garbage
        raise ValueError(f"not XML: {exc}") from exc
    if root is None:
        raise ValueError("not XML")
    return root


def _local(tag: object) -> str:
    return etree.QName(tag).localname.lower() if isinstance(tag, str) else ""


def _child_text(element: etree._Element, *names: str) -> str | None:
    for child in element:
        if _local(child.tag) in names and child.text and child.text.strip():
            return str(child.text).strip()
    return None


def parse_feed(body: bytes) -> list[Link]:
    """Article links of an RSS or Atom feed, with their publication dates."""
    root = _xml_root(body)
    if _local(root.tag) not in ("rss", "feed", "rdf", "channel"):
        raise ValueError(f"not a feed (root element <{_local(root.tag)}>)")
    links: list[Link] = []
    for item in root.iter():
        name = _local(item.tag)
        if name == "item":  # RSS 2.0 and RSS 1.0
            url = _child_text(item, "link") or item.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about")
            if not url:
                guid = _child_text(item, "guid")
                url = guid if guid and guid.startswith("http") else None
            date = parse_date(_child_text(item, "pubdate", "date", "published", "updated"))
        elif name == "entry":  # Atom
            url = None
            for child in item:
                if _local(child.tag) == "link" and child.get("rel", "alternate") == "alternate" and child.get("href"):
                    url = child.get("href")
                    break
            date = parse_date(_child_text(item, "published", "updated"))
        else:
            continue
        if url:
            links.append(Link(url.strip(), date))
    return links


def parse_sitemap(body: bytes) -> Sitemap:
    """Entries of a sitemap index or urlset; a Google News ``publication_date`` wins over ``lastmod``."""
    root = _xml_root(body)
    kind = {"sitemapindex": "index", "urlset": "urlset"}.get(_local(root.tag))
    if kind is None:
        raise ValueError(f"not a sitemap (root element <{_local(root.tag)}>)")
    sitemap = Sitemap(kind)
    for entry in root:
        if _local(entry.tag) not in ("sitemap", "url"):
            continue
        loc = _child_text(entry, "loc")
        if not loc:
            continue
        date = parse_date(_child_text(entry, "lastmod"))
        for child in entry:
            if _local(child.tag) == "news":
                date = parse_date(_child_text(child, "publication_date")) or date
        sitemap.entries.append(Link(loc, date))
    return sitemap


def links_from_section(body: bytes, base_url: str) -> list[str]:
    """Absolute ``<a href>`` targets of an index page, in document order, without duplicates."""
    if not body.strip():
        return []
    try:
        document = html.fromstring(body)
    except (etree.LxmlError, ValueError) as exc:
        raise ValueError(f"not an HTML page: {exc}") from exc
    seen: dict[str, None] = {}
    for anchor in document.iter("a"):
        href = (anchor.get("href") or "").strip()
        if href and not href.startswith(("#", "javascript:", "mailto:", "tel:")):
            seen.setdefault(urljoin(base_url, href).split("#", 1)[0], None)
    return list(seen)
