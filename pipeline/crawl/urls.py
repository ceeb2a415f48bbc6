"""URL normalization, keys and host checks for the crawler.

A URL is fetched at most once: every discovered URL is normalized (tracking
parameters, ``www.``, AMP variants, fragments, default ports) and keyed by the
SHA-256 of the normalized form without its scheme, so ``http``/``https`` and
``www``/AMP variants of one article share one ``crawl_urls`` row.
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from courlan import normalize_url as courlan_normalize

# Query parameters that only say where a click came from or which variant was shown.
_NOISE_PARAMS = {"amp", "outputtype", "pgrelated", "from", "src", "_ga", "_gl", "share", "s_cid"}
_AMP_PATH = re.compile(r"(?:^/amp(?=/)|/amp/?$|/amp(?=/\d))", re.IGNORECASE)
_AMP_SUFFIX = re.compile(r"\.amp(?=\.html?$|$)", re.IGNORECASE)


def normalize_url(url: str) -> str:
    """The canonical form of ``url`` used for de-duplication (and fetching).

    >>> normalize_url("https://www.Example.co.id/amp/berita/1/x?utm_source=fb#top")
    'https://example.co.id/berita/1/x'
    """
    try:
        url = courlan_normalize(url.strip())
    except ValueError:  # courlan rejects some malformed URLs; fall back to the raw string
        url = url.strip()
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().rstrip(".")
    if host.startswith("www.") and host.count(".") >= 2:
        host = host[4:]
    if host.startswith("amp.") and host.count(".") >= 2:
        host = host[4:]
    netloc = host if parts.port in (None, 80, 443) else f"{host}:{parts.port}"
    if ":" in host and not host.startswith("["):  # IPv6 literal
        netloc = f"[{host}]" if parts.port in (None, 80, 443) else f"[{host}]:{parts.port}"
    path = _AMP_SUFFIX.sub("", _AMP_PATH.sub("", parts.path)) or "/"
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k.lower() not in _NOISE_PARAMS]
    )
    return urlunsplit((parts.scheme.lower(), netloc, path, query, ""))


def url_key(url: str) -> str:
    """SHA-256 (hex) of the normalized URL without its scheme or a trailing slash: the ``crawl_urls.url_key``."""
    normalized = normalize_url(url).split("://", 1)[-1]
    # "/berita/x/" and "/berita/x" are one article on every news CMS we know (WordPress serves both).
    head, sep, query = normalized.partition("?")
    if head.endswith("/") and head.count("/") > 1:
        head = head.rstrip("/")
    return hashlib.sha256((head + sep + query).encode("utf-8")).hexdigest()


def host_of(url: str) -> str:
    """Lower-case host, ``www.`` removed."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    return host[4:] if host.startswith("www.") and host.count(".") >= 2 else host


def netloc_of(url: str) -> str:
    """Host and explicit port, e.g. ``127.0.0.2:8081`` (ports matter for local test hosts)."""
    parts = urlsplit(url)
    host = host_of(url)
    return host if parts.port in (None, 80, 443) else f"{host}:{parts.port}"


def is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def host_matches(url: str, domains: list[str] | tuple[str, ...]) -> bool:
    """Whether ``url`` is on one of ``domains`` (a domain covers its subdomains; an IP
    literal with a port must match exactly, host and port)."""
    host, netloc = host_of(url), netloc_of(url)
    for domain in domains:
        domain = domain.lower()
        if ":" in domain or is_ip_literal(domain):
            if netloc == domain or (host == domain and netloc == host):
                return True
        elif host == domain or host.endswith("." + domain):
            return True
    return False


def is_private_address(address: str) -> bool:
    """Loopback, private, link-local, reserved, multicast or unspecified."""
    ip = ipaddress.ip_address(address.strip("[]"))
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast
