"""URL normalization and keys, host and address checks, Retry-After, error classes, settings:
the crawler's pure parts."""

from __future__ import annotations

import email.utils
import time

import pytest
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Request
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import DNSLookupError
from twisted.internet.error import TimeoutError as TwistedTimeout

from pipeline.crawl.middlewares import BlockedRequest, classify_failure, retry_after_seconds
from pipeline.crawl.settings import scrapy_settings
from pipeline.crawl.spiders import looks_like_html
from pipeline.crawl.urls import host_matches, is_private_address, netloc_of, normalize_url, url_key
from pipeline.schema import canonical_url
from pipeline.settings import CrawlSettings

ARTICLE = "https://riau.example.co.id/berita/2024/11/20/rakor-netralitas-asn"


@pytest.mark.parametrize(
    "variant",
    [
        ARTICLE,
        "http://riau.example.co.id/berita/2024/11/20/rakor-netralitas-asn",  # scheme
        "https://www.riau.example.co.id/berita/2024/11/20/rakor-netralitas-asn",  # www.
        "https://RIAU.example.co.id:443/berita/2024/11/20/rakor-netralitas-asn",  # case, default port
        "https://riau.example.co.id/berita/2024/11/20/rakor-netralitas-asn#komentar",  # fragment
        "https://riau.example.co.id/berita/2024/11/20/rakor-netralitas-asn?utm_source=facebook&utm_medium=social",
        "https://riau.example.co.id/berita/2024/11/20/rakor-netralitas-asn?fbclid=abc123",
        "https://riau.example.co.id/amp/berita/2024/11/20/rakor-netralitas-asn",  # AMP path prefix
        "https://riau.example.co.id/berita/2024/11/20/rakor-netralitas-asn/amp",  # AMP path suffix
        "https://amp.riau.example.co.id/berita/2024/11/20/rakor-netralitas-asn",  # AMP host
        "https://riau.example.co.id/berita/2024/11/20/rakor-netralitas-asn?amp=1",  # AMP parameter
        "https://riau.example.co.id/berita/2024/11/20/rakor-netralitas-asn/",  # trailing slash
    ],
)
def test_variants_of_one_article_share_a_key(variant):
    assert url_key(variant) == url_key(ARTICLE)


@pytest.mark.parametrize(
    "other",
    [
        "https://riau.example.co.id/berita/2024/11/20/rakor-netralitas-asn-2",
        "https://riau.example.co.id/berita/2024/11/20/rakor-netralitas-asn?page=2",  # a real page parameter
        "https://kepri.example.co.id/berita/2024/11/20/rakor-netralitas-asn",  # another host
        "https://riau.example.co.id/berita/2024/11/20/Rakor-Netralitas-ASN",  # paths are case-sensitive
    ],
)
def test_different_articles_keep_different_keys(other):
    assert url_key(other) != url_key(ARTICLE)


def test_normalized_form_is_fetchable():
    assert (
        normalize_url("https://www.Example.co.id/amp/berita/1/x?utm_source=fb#top")
        == "https://example.co.id/berita/1/x"
    )
    assert normalize_url("http://127.0.0.2:8081/berita/1?b=2&a=1#x").startswith("http://127.0.0.2:8081/berita/1?")


def test_host_matching_covers_subdomains_and_exact_ports():
    assert host_matches("https://pekanbaru.tribunnews.com/2024/11/20/x", ["tribunnews.com"])
    assert host_matches("https://www.riaupos.co/berita", ["riaupos.co"])
    assert not host_matches("https://riaupos.co.evil.example/berita", ["riaupos.co"])
    assert not host_matches("https://notriaupos.co/berita", ["riaupos.co"])
    assert host_matches("http://127.0.0.2:8081/berita/1", ["127.0.0.2:8081"])
    assert not host_matches("http://127.0.0.2:8082/berita/1", ["127.0.0.2:8081"])
    assert netloc_of("http://www.koran.example.id:8080/x") == "koran.example.id:8080"


@pytest.mark.parametrize(
    "address, private",
    [
        ("127.0.0.1", True),
        ("10.1.2.3", True),
        ("192.168.0.10", True),
        ("172.16.5.4", True),
        ("169.254.169.254", True),  # cloud metadata
        ("0.0.0.0", True),
        ("::1", True),
        ("::ffff:127.0.0.1", True),
        ("fd00::1", True),
        ("224.0.0.1", True),
        ("103.10.20.30", False),
        ("2001:4860:4860::8888", False),
    ],
)
def test_private_addresses(address, private):
    assert is_private_address(address) is private


def test_retry_after_seconds_and_http_dates():
    assert retry_after_seconds(b"120") == 120.0
    assert retry_after_seconds(None) is None
    assert retry_after_seconds("besok") is None
    later = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert 25 <= retry_after_seconds(later) <= 31
    assert retry_after_seconds(email.utils.formatdate(time.time() - 100, usegmt=True)) == 0.0


def _http_error(status: int) -> HttpError:
    request = Request("https://koran.example.id/berita/1")
    return HttpError(HtmlResponse(request.url, status=status, request=request))


@pytest.mark.parametrize(
    "exc, expected",
    [
        (_http_error(404), "404"),
        (_http_error(410), "404"),
        (_http_error(403), "403"),
        (_http_error(429), "429"),
        (_http_error(503), "5xx"),
        (_http_error(451), "4xx"),
        (DNSLookupError("no such host"), "dns"),
        (TwistedTimeout("took too long"), "timeout"),
        (BlockedRequest("private", "to 10.0.0.1"), "blocked"),
        (IgnoreRequest("Forbidden by robots.txt"), "robots"),
        (IgnoreRequest("max redirections reached"), "redirect"),
        (RuntimeError("Expected to receive 20971546 bytes which is larger than download max size"), "too_large"),
    ],
)
def test_error_classes(exc, expected):
    assert classify_failure(exc) == expected


def test_canonical_url_keys_documents_like_the_extractor():
    page = b'<html><head><link rel="canonical" href="/berita/2024/11/20/x"></head></html>'
    assert (
        canonical_url(page, "https://koran.example.id/amp/berita/2024/11/20/x")
        == "https://koran.example.id/berita/2024/11/20/x"
    )
    og = b'<meta property="og:url" content="https://koran.example.id/berita/7?a=1&amp;b=2">'
    assert canonical_url(og, "https://koran.example.id/x") == "https://koran.example.id/berita/7?a=1&b=2"
    assert canonical_url(b"<html></html>", "https://koran.example.id/y") == "https://koran.example.id/y"


def test_html_sniffing():
    assert looks_like_html("text/html; charset=iso-8859-1", b"")
    assert not looks_like_html("application/pdf", b"%PDF-1.4")
    assert looks_like_html("", b"\n<!DOCTYPE html><html>")
    assert not looks_like_html("", b"%PDF-1.4")


def test_politeness_settings_floor_and_limits():
    settings = scrapy_settings(CrawlSettings())
    assert settings["DOWNLOAD_DELAY"] >= 1.0 and settings["AUTOTHROTTLE_ENABLED"]
    assert settings["AUTOTHROTTLE_START_DELAY"] >= settings["DOWNLOAD_DELAY"]
    assert settings["DOWNLOAD_DELAY_JITTER"] == 0.0  # jitter would dip below the floor
    assert 1 <= settings["CONCURRENT_REQUESTS_PER_DOMAIN"] <= 2
    assert settings["ROBOTSTXT_OBEY"] is True
    assert "+http" in settings["USER_AGENT"]  # a contact URL
    assert settings["DOWNLOAD_MAXSIZE"] == 10 * 1024 * 1024 and settings["REDIRECT_MAX_TIMES"] == 5
    assert settings["DOWNLOAD_HANDLERS"]["file"] is None and settings["DOWNLOAD_HANDLERS"]["ftp"] is None
    eager = scrapy_settings(CrawlSettings(concurrent_per_domain=16))
    assert eager["CONCURRENT_REQUESTS_PER_DOMAIN"] == 2  # capped whatever the config says
