"""Discovery on real feeds and index pages (tests/fixtures/crawl, see PROVENANCE.md) and on
sitemaps written here: pure functions over bodies, no network."""

from __future__ import annotations

import contextlib
import gzip
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pipeline.crawl.discovery import links_from_section, parse_date, parse_feed, parse_sitemap

FIXTURES = Path(__file__).parent / "fixtures" / "crawl"
GOLD = json.loads((FIXTURES / "gold.json").read_text(encoding="utf-8"))
FEEDS = sorted(name for name, g in GOLD.items() if g["kind"] == "feed")
INDEXES = sorted(name for name, g in GOLD.items() if g["kind"] == "index")

# Article URL patterns as a sources.yaml entry would give them (outlet URL schemes of 2015-16).
INDEX_PATTERNS = {
    "kompas": r"/read/(?:xml/)?\d{4}/\d{2}/\d{2}/\d+/",
    "liputan6": r"/read/\d+/",
    "okezone": r"/read/\d{4}/\d{2}/\d{2}/\d+/\d+/",
    "tempo-en": r"/read/news/\d{4}/\d{2}/\d{2}/\d+",
    "tempo": r"/read/news/\d{4}/\d{2}/\d{2}/\d+",
    "viva": r"/read/\d+-",
}


@pytest.mark.parametrize("name", FEEDS)
def test_real_feeds_parse_with_dates(name):
    body = (FIXTURES / name).read_bytes()
    links = parse_feed(body)
    assert links, name
    assert all(link.url.startswith("http") for link in links)
    assert all(link.date is not None and link.date.tzinfo is not None for link in links)
    expected = GOLD[name]["first_article_links"]
    if expected:
        assert [link.url for link in links[:3]] == expected


def test_blank_line_before_xml_declaration_is_tolerated():
    body = (FIXTURES / "antaranews-rss-2015-11-05.xml").read_bytes()
    assert body.startswith(b"\n<?xml")  # the real feed, as served
    assert len(parse_feed(body)) == 20


@pytest.mark.parametrize("name", INDEXES)
def test_index_pages_yield_the_articles_the_reference_scraper_finds(name):
    outlet = name.removesuffix("-index-page.html")
    links = links_from_section((FIXTURES / name).read_bytes(), GOLD[name]["url"])
    articles = [link for link in links if re.search(INDEX_PATTERNS[outlet], link)]
    assert set(GOLD[name]["first_article_links"]) <= set(articles)
    assert len(articles) == len(set(articles))  # no duplicates, document order kept
    assert not any("#" in link for link in links)


def test_atom_and_rdf_feeds():
    atom = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>x</title>
    <entry><title>a</title><link rel="alternate" href="https://koran.example.id/berita/1"/>
    <link rel="enclosure" href="https://koran.example.id/foto.jpg"/><published>2024-11-20T08:00:00+07:00</published></entry>
    </feed>"""
    links = parse_feed(atom)
    assert [link.url for link in links] == ["https://koran.example.id/berita/1"]
    assert links[0].date == datetime(2024, 11, 20, 1, 0, tzinfo=UTC)
    rdf = b"""<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
    xmlns:dc="http://purl.org/dc/elements/1.1/"><item rdf:about="https://koran.example.id/berita/2"><title>b</title>
    <dc:date>2024-11-21</dc:date></item></rdf:RDF>"""
    assert [(link.url, link.date.day) for link in parse_feed(rdf)] == [("https://koran.example.id/berita/2", 21)]


def test_feed_item_without_link_falls_back_to_a_permalink_guid():
    body = b"""<rss><channel><item><guid>https://koran.example.id/berita/3</guid></item>
    <item><guid isPermaLink="false">12345</guid></item></channel></rss>"""
    assert [link.url for link in parse_feed(body)] == ["https://koran.example.id/berita/3"]


@pytest.mark.parametrize("body", [b"", b"<html><body>bukan feed</body></html>", b"\x00\x01binary"])
def test_not_a_feed_is_a_clear_error(body):
    with pytest.raises(ValueError):
        parse_feed(body)


def test_sitemap_index_and_google_news_urlset():
    index = b"""<?xml version="1.0" encoding="UTF-8"?>
    <sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
    <sitemap><loc>https://koran.example.id/sitemap-news.xml</loc><lastmod>2024-11-21</lastmod></sitemap>
    <sitemap><loc>https://koran.example.id/sitemap-2023.xml</loc></sitemap></sitemapindex>"""
    parsed = parse_sitemap(index)
    assert parsed.kind == "index"
    assert [e.url for e in parsed.entries] == [
        "https://koran.example.id/sitemap-news.xml",
        "https://koran.example.id/sitemap-2023.xml",
    ]
    assert parsed.entries[1].date is None
    news = b"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
    <url><loc>https://koran.example.id/berita/9</loc><lastmod>2024-01-01</lastmod><news:news>
    <news:publication_date>2024-11-21T10:00:00+07:00</news:publication_date></news:news></url></urlset>"""
    entries = parse_sitemap(gzip.compress(news)).entries  # served gzipped, as sitemap.xml.gz files are
    assert entries[0].url == "https://koran.example.id/berita/9"
    assert entries[0].date == datetime(2024, 11, 21, 3, 0, tzinfo=UTC)  # publication_date wins over lastmod


def test_feed_is_not_a_sitemap():
    with pytest.raises(ValueError, match="not a sitemap"):
        parse_sitemap((FIXTURES / "kapanlagi-rss-2015-11-05.xml").read_bytes())


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Thu, 05 Nov 2015 14:56:43 +0700", datetime(2015, 11, 5, 7, 56, 43, tzinfo=UTC)),
        ("2024-11-21", datetime(2024, 11, 21, tzinfo=UTC)),
        ("2024-11-21T10:00:00Z", datetime(2024, 11, 21, 10, tzinfo=UTC)),
        ("kemarin", None),
        ("", None),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("body", [b"\x00\x01binary", b"\xff\xfe\x00<\x00", b"<?xml version='1.0'?>"])
def test_garbage_is_a_value_error_for_every_parser(body):
    """The spider counts a ValueError as an unparseable feed/sitemap/section; anything else would
    escape as a callback error."""
    for parse in (parse_feed, parse_sitemap):
        with pytest.raises(ValueError):
            parse(body)
    with contextlib.suppress(ValueError):
        links_from_section(body, "https://koran.example.id/")
