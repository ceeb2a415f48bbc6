"""A local fake Indonesian news network, for the crawler tests, the demo and benchmarks.

Several outlet hosts (one ``ThreadingHTTPServer`` each, on 127.0.0.2, 127.0.0.3, ...
or on consecutive ports of one address) serve robots.txt, RSS feeds, sitemap
indexes, Google News sitemaps, section pages and article pages.  Article pages
wrap the seed texts and the dev excerpts (``site/articles.jsonl``) in realistic
outlet boilerplate (navigation, "Baca juga" blocks, footer, pubdate metadata);
one outlet also serves real pages byte-for-byte (``site/html/``, see
``site/PROVENANCE.md``).  A ``faults`` outlet serves what real sites do to
crawlers: 404, 500 then 200, 429 with Retry-After, a response slower than any
sane timeout, a redirect loop, an off-site redirect, a redirect into another
private host (SSRF), a 20 MB page and a PDF.

Every request is appended to an access log (``NewsNetwork.log``), which the
tests use to check politeness, robots.txt, conditional GETs and refetching.

Synthetic mode (``pages=N``) builds a large deterministic network instead:
N pages over ``hosts`` outlets, a ``relevant_ratio`` share of them carrying a
netralitas text, the rest generated filler; used by the benchmarks.

    with NewsNetwork() as net:
        net.sources_yaml(tmp_path / "sources.yaml")
        ...
    python -m pipeline.demo.newsnet --port 8700 --sources-out /tmp/sources.yaml
"""

from __future__ import annotations

import argparse
import email.utils
import hashlib
import html
import json
import logging
import random
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlsplit

import yaml

from pipeline.logs import get_logger

log = get_logger(__name__)

SITE = resources.files("pipeline.demo") / "site"
BIG_PAGE_BYTES = 20 * 1024 * 1024
# Host names of the outlets in "virtual-hosts" mode (.test is reserved: never a real site).
VIRTUAL_DOMAIN = "netra-demo.test"


@dataclass(frozen=True)
class Page:
    """One article page of the network (what the crawler should find)."""

    outlet: str
    path: str
    title: str
    published: date
    text: str | None = None  # None: the body is a real page served verbatim (``raw_file``)
    article_id: str | None = None
    relevant: bool | None = None
    raw_file: str | None = None
    content_type: str = "text/html; charset=utf-8"


@dataclass
class Outlet:
    name: str
    display: str
    regions: tuple[str, ...]
    pages: list[Page] = field(default_factory=list)
    feeds: tuple[str, ...] = ("/rss.xml",)
    sitemaps: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()
    robots_disallow: tuple[str, ...] = ()
    blank_line_feed: bool = False
    extra_feed_links: tuple[str, ...] = ()  # non-article / off-site links a real feed also carries
    article_pattern: str = r"/berita/\d{4}/\d{2}/\d{2}/"
    host: str = ""
    port: int = 0

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.port}" if self.port else f"http://{self.host}"


# -- content -----------------------------------------------------------------------------------


def load_articles() -> list[dict[str, Any]]:
    """The 5 seed texts and 68 dev excerpts (id, title, published, relevant, text)."""
    with (SITE / "articles.jsonl").open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _slug(text: str, limit: int = 60) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:limit].rstrip("-") or "berita"


def _pubdate(value: str | None, index: int) -> date:
    if value:
        parts = [int(p) for p in value.split("-")]
        return date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    return date(2024, 1, 1) + timedelta(days=index)


def _split_title(article: dict[str, Any]) -> tuple[str, str]:
    text = article["text"].strip()
    title = article.get("title")
    if not title:
        title, _, rest = text.partition("\n")
        return title.strip(), rest.strip() or text
    if text.startswith(title):
        text = text[len(title) :].strip()
    return title, text


_FILLER = [
    "Harga cabai merah di pasar tradisional kembali naik menjelang akhir pekan.",
    "Dinas Perhubungan memasang rambu baru di ruas jalan provinsi yang rawan kecelakaan.",
    "Tim sepak bola daerah berhasil mengamankan tiga poin dalam laga kandang semalam.",
    "Hujan deras sejak sore menyebabkan genangan di sejumlah titik di pusat kota.",
    "Pemerintah kabupaten meresmikan pasar rakyat yang baru selesai direnovasi.",
    "Ratusan warga mengikuti jalan sehat dalam rangka memperingati hari jadi kota.",
    "Badan Meteorologi memperkirakan cuaca cerah berawan hingga tiga hari ke depan.",
    "Kelompok tani setempat memulai musim tanam padi dengan bantuan benih unggul.",
    "Festival kuliner khas daerah menarik ribuan pengunjung dari berbagai kabupaten.",
    "Sekolah di wilayah pesisir menerima bantuan buku dan perlengkapan belajar.",
    "Pelabuhan penyeberangan mencatat kenaikan jumlah penumpang selama libur panjang.",
    "Kepolisian mengimbau pengendara untuk memeriksa kendaraan sebelum perjalanan jauh.",
]


def filler_text(rng: random.Random, sentences: int = 14) -> tuple[str, str]:
    """A deterministic irrelevant article (title, text) from ``rng``."""
    body = [rng.choice(_FILLER) for _ in range(sentences)]
    title = body[0].rstrip(".")
    paragraphs = [" ".join(body[i : i + 3]) for i in range(0, len(body), 3)]
    return title, "\n".join(paragraphs)


def render_article(outlet: Outlet, page: Page, related: list[Page]) -> bytes:
    """An article page with outlet boilerplate around the text."""
    paragraphs = [p.strip() for p in (page.text or "").split("\n") if p.strip()]
    iso = datetime(page.published.year, page.published.month, page.published.day, 9, 30, tzinfo=UTC).isoformat()
    baca = "".join(f'<li><a href="{r.path}">{html.escape(r.title)}</a></li>' for r in related[:3])
    body_parts = []
    for number, paragraph in enumerate(paragraphs):
        body_parts.append(f"<p>{html.escape(paragraph)}</p>")
        if number == 1 and baca:
            body_parts.append(f'<div class="baca-juga"><strong>Baca juga:</strong><ul>{baca}</ul></div>')
    popular = "".join(f'<li><a href="{r.path}">{html.escape(r.title)}</a></li>' for r in related[3:8])
    doc = f"""<!DOCTYPE html>
<html lang="id"><head><meta charset="utf-8">
<title>{html.escape(page.title)} - {html.escape(outlet.display)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta property="og:title" content="{html.escape(page.title)}">
<meta property="og:site_name" content="{html.escape(outlet.display)}">
<meta property="article:published_time" content="{iso}">
<link rel="canonical" href="{outlet.base}{page.path}">
</head><body>
<header><div class="logo"><a href="/">{html.escape(outlet.display)}</a></div>
<nav><a href="/">Beranda</a> <a href="/kanal/politik">Politik</a> <a href="/kanal/daerah">Daerah</a>
<a href="/kanal/olahraga">Olahraga</a> <a href="/indeks">Indeks</a></nav></header>
<main><article>
<div class="breadcrumb"><a href="/">Home</a> &raquo; <a href="/kanal/daerah">Daerah</a></div>
<h1>{html.escape(page.title)}</h1>
<div class="byline">Reporter: Redaksi | <time datetime="{iso}">{page.published:%d/%m/%Y} 09:30 WIB</time></div>
<div class="content">
{chr(10).join(body_parts)}
</div>
<div class="tags">Tag: <a href="/tag/pemerintahan">pemerintahan</a> <a href="/tag/daerah">daerah</a></div>
<div class="share">Bagikan: <a href="https://www.facebook.com/sharer.php">Facebook</a> <a href="https://wa.me/">WhatsApp</a></div>
</article>
<aside><h3>Terpopuler</h3><ul>{popular}</ul></aside></main>
<footer><p>&copy; {page.published.year} {html.escape(outlet.display)}. Hak cipta dilindungi undang-undang.</p>
<p><a href="/redaksi">Redaksi</a> | <a href="/pedoman-media-siber">Pedoman Media Siber</a> | <a href="/kontak">Kontak</a></p></footer>
</body></html>
"""
    return doc.encode("utf-8")


def render_feed(outlet: Outlet, pages: list[Page]) -> bytes:
    items = []
    for page in pages:
        stamp = email.utils.format_datetime(
            datetime(page.published.year, page.published.month, page.published.day, 9, 30, tzinfo=UTC)
        )
        items.append(
            f"<item><title>{html.escape(page.title)}</title><link>{outlet.base}{page.path}</link>"
            f"<guid>{outlet.base}{page.path}</guid><pubDate>{stamp}</pubDate></item>"
        )
    for link in outlet.extra_feed_links:
        url = link if link.startswith("http") else outlet.base + link
        items.append(f"<item><title>Tautan lain</title><link>{html.escape(url)}</link></item>")
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
        f"<title>{html.escape(outlet.display)}</title><link>{outlet.base}/</link>"
        f"<description>Berita terbaru {html.escape(outlet.display)}</description>{''.join(items)}</channel></rss>\n"
    )
    # Real antaranews and detik feeds start with a blank line, before the XML declaration.
    return (("\n" if outlet.blank_line_feed else "") + xml).encode("utf-8")


def render_urlset(outlet: Outlet, pages: list[Page], news: bool = False) -> bytes:
    entries = []
    for page in pages:
        day = page.published.isoformat()
        if news:
            entries.append(
                f"<url><loc>{outlet.base}{page.path}</loc><news:news><news:publication><news:name>"
                f"{html.escape(outlet.display)}</news:name><news:language>id</news:language></news:publication>"
                f"<news:publication_date>{day}T09:30:00+07:00</news:publication_date>"
                f"<news:title>{html.escape(page.title)}</news:title></news:news></url>"
            )
        else:
            entries.append(f"<url><loc>{outlet.base}{page.path}</loc><lastmod>{day}</lastmod></url>")
    ns = ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"' if news else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"{ns}>'
        + "".join(entries)
        + "</urlset>\n"
    ).encode("utf-8")


def render_sitemap_index(outlet: Outlet, children: list[tuple[str, date]]) -> bytes:
    entries = "".join(
        f"<sitemap><loc>{outlet.base}{path}</loc><lastmod>{day.isoformat()}</lastmod></sitemap>"
        for path, day in children
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        + entries
        + "</sitemapindex>\n"
    ).encode("utf-8")


def render_section(outlet: Outlet, pages: list[Page], title: str) -> bytes:
    items = "".join(
        f'<li><a href="{p.path}">{html.escape(p.title)}</a> <span>{p.published:%d/%m/%Y}</span></li>' for p in pages
    )
    return (
        f'<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><title>{html.escape(title)}</title></head><body>'
        f'<nav><a href="/">Beranda</a> <a href="/kanal/politik">Politik</a> <a href="/tag/pilkada">#Pilkada</a></nav>'
        f'<h1>{html.escape(title)}</h1><ul class="indeks">{items}</ul>'
        '<footer><a href="/kontak">Kontak</a> <a href="https://www.youtube.com/@redaksi">YouTube</a></footer></body></html>'
    ).encode()


# -- the network -------------------------------------------------------------------------------


class NewsNetwork:
    """The fake network; a context manager that starts and stops all outlet servers.

    ``bind``: "loopback-ips" puts each outlet on its own 127.0.0.x address (its own
    politeness slot, as real sites are), or an IP address to put outlets on
    consecutive ports of that address starting at ``port`` (0: any free port), or
    "virtual-hosts": outlets named ``<outlet>.netra-demo.test`` (port-less URLs that do not
    change between runs) served by one HTTP proxy on 127.0.0.1 (``port``, or any free port
    when it is 0 or taken), whose URL is ``proxy``.
    """

    def __init__(
        self,
        *,
        pages: int | None = None,
        relevant_ratio: float = 0.02,
        hosts: int = 5,
        seed: int = 7,
        faults: bool = True,
        slow_seconds: float = 3.0,
        retry_after: int = 1,
        bind: str = "loopback-ips",
        first_ip: int = 2,
        port: int = 0,
    ) -> None:
        self.slow_seconds = slow_seconds
        self.retry_after = retry_after
        self.bind = bind
        self.first_ip = first_ip
        self.first_port = port
        self.log: list[dict[str, Any]] = []
        self._log_lock = threading.Lock()
        self._hits: dict[tuple[str, str], int] = {}
        self._servers: list[ThreadingHTTPServer] = []
        self._threads: list[threading.Thread] = []
        self.proxy: str | None = None  # "virtual-hosts": the proxy URL the crawler must use
        self.outlets: list[Outlet] = (
            self._synthetic(pages, relevant_ratio, hosts, seed) if pages else self._curated(faults)
        )
        self._by_path = {(o.name, p.path): p for o in self.outlets for p in o.pages}

    # -- building ----------------------------------------------------------------------------
    def _curated(self, faults: bool) -> list[Outlet]:
        riau = Outlet(
            "riau-sim",
            "Riau Sim Pos",
            ("14",),
            blank_line_feed=True,
            robots_disallow=("/rahasia/",),
            extra_feed_links=("/tag/netralitas-asn", "https://www.youtube.com/watch?v=abc"),
            article_pattern=r"/(?:berita|rahasia)/\d{4}/\d{2}/\d{2}/",
        )
        jatim = Outlet("jatim-sim", "Jatim Sim Times", ("35",), feeds=(), sitemaps=("/sitemap.xml",))
        kalbar = Outlet("kalbar-sim", "Kalbar Sim News", ("61",), feeds=(), sections=("/kanal/daerah",))
        outlets = [riau, jatim, kalbar]
        for index, article in enumerate(load_articles()):
            outlet = outlets[index % 3]
            title, text = _split_title(article)
            day = _pubdate(article.get("published"), index)
            path = f"/berita/{day:%Y/%m/%d}/{_slug(article['id'], 50)}"
            outlet.pages.append(Page(outlet.name, path, title, day, text, article["id"], article.get("relevant")))
        for number in range(2):  # robots.txt forbids these; they are in the feed anyway
            day = date(2024, 3, 1 + number)
            riau.pages.append(
                Page(
                    riau.name,
                    f"/rahasia/{day:%Y/%m/%d}/catatan-internal-{number}",
                    f"Catatan internal {number}",
                    day,
                    "Tidak untuk crawler.",
                    relevant=False,
                )
            )
        for name in sorted((SITE / "html").iterdir(), key=lambda p: p.name):
            ctype = "text/html" if name.name.startswith("kapanlagi") else "text/html; charset=utf-8"
            kalbar.pages.append(
                Page(
                    kalbar.name,
                    f"/berita/2015/11/05/{name.name[:-5]}",
                    name.name[:-5].replace("-", " "),
                    date(2015, 11, 5),
                    None,
                    None,
                    False,
                    name.name,
                    ctype,
                )
            )
        if faults:
            outlets.append(Outlet("faults-sim", "Faults Sim", ("31",), feeds=("/rss.xml", "/rss-pindah.xml")))
        return outlets

    def _synthetic(self, pages: int, relevant_ratio: float, hosts: int, seed: int) -> list[Outlet]:
        rng = random.Random(seed)
        outlets = [
            Outlet(
                f"outlet-{n:02d}",
                f"Kabar Sim {n:02d}",
                ("31",),
                sitemaps=("/sitemap.xml",),
                sections=("/kanal/daerah",),
            )
            for n in range(hosts)
        ]
        articles = load_articles()
        relevant_pool = [a for a in articles if a.get("relevant")]
        order = list(range(pages))
        rng.shuffle(order)
        relevant = set(order[: round(pages * relevant_ratio)])
        start = date(2024, 1, 1)
        for index in range(pages):
            outlet = outlets[index % hosts]
            day = start + timedelta(days=index // (hosts * 8))
            page_rng = random.Random(f"{seed}-{index}")
            if index in relevant:
                article = relevant_pool[index % len(relevant_pool)]
                title, text = _split_title(article)
                source_id = article["id"]
            else:
                title, text = filler_text(page_rng)
                source_id = None
            path = f"/berita/{day:%Y/%m/%d}/{index:06d}-{_slug(title, 40)}"
            outlet.pages.append(Page(outlet.name, path, title, day, text, source_id, index in relevant))
        return outlets

    # -- serving -----------------------------------------------------------------------------
    def __enter__(self) -> NewsNetwork:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        if self.bind == "virtual-hosts":
            self._start_virtual()
            return
        for number, outlet in enumerate(self.outlets):
            if self.bind == "loopback-ips":
                address = (f"127.0.0.{self.first_ip + number}", 0)
            else:
                address = (self.bind, self.first_port + number if self.first_port else 0)
            server = ThreadingHTTPServer(address, self._handler(outlet))
            server.daemon_threads = True
            host, port = server.server_address[:2]
            outlet.host, outlet.port = str(host), int(port)
            thread = threading.Thread(target=server.serve_forever, name=f"newsnet-{outlet.name}", daemon=True)
            thread.start()
            self._servers.append(server)
            self._threads.append(thread)
        log.info("news network up: %s", ", ".join(f"{o.name}={o.base}" for o in self.outlets))

    def _start_virtual(self) -> None:
        """One server, an HTTP proxy for every outlet: outlets get fixed names under
        ``VIRTUAL_DOMAIN`` and port-less URLs, whatever port the proxy got."""
        for outlet in self.outlets:
            outlet.host, outlet.port = f"{outlet.name}.{VIRTUAL_DOMAIN}", 0
        address = ("127.0.0.1", self.first_port)
        try:
            server = ThreadingHTTPServer(address, self._handler(None))
        except OSError:  # the port is taken: any free one (the URLs do not change)
            server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler(None))
        server.daemon_threads = True
        port = server.server_address[1]
        self.proxy = f"http://127.0.0.1:{port}"
        thread = threading.Thread(target=server.serve_forever, name="newsnet-proxy", daemon=True)
        thread.start()
        self._servers.append(server)
        self._threads.append(thread)
        log.info("news network up behind the proxy %s: %s", self.proxy, ", ".join(o.base for o in self.outlets))

    def stop(self) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()
        self._servers.clear()

    def outlet(self, name: str) -> Outlet:
        return next(o for o in self.outlets if o.name == name)

    def requests(self, outlet: str | None = None, path: str | None = None) -> list[dict[str, Any]]:
        """Access-log entries, optionally of one outlet and/or one path."""
        with self._log_lock:
            entries = list(self.log)
        return [e for e in entries if (outlet is None or e["outlet"] == outlet) and (path is None or e["path"] == path)]

    def clear_log(self) -> None:
        with self._log_lock:
            self.log.clear()

    def manifest(self) -> list[dict[str, Any]]:
        """Every article page: url, outlet, source text id, relevance (ground truth for the nightly tests)."""
        return [
            {
                "url": o.base + p.path,
                "outlet": o.name,
                "article_id": p.article_id,
                "relevant": p.relevant,
                "published": p.published.isoformat(),
                "robots_blocked": any(p.path.startswith(d) for d in o.robots_disallow),
            }
            for o in self.outlets
            for p in o.pages
        ]

    def sources_yaml(self, path: Path | str, **overrides: Any) -> Path:
        """Write a sources registry matching the running network; returns its path."""
        entries = []
        for outlet in self.outlets:
            entry = {
                "name": outlet.name,
                "home": outlet.base + "/",
                "feeds": [outlet.base + f for f in outlet.feeds],
                "sitemaps": [outlet.base + s for s in outlet.sitemaps],
                "sections": [outlet.base + s for s in outlet.sections],
                "article_pattern": outlet.article_pattern,
                "regions": list(outlet.regions),
                "enabled": True,
                "verified": True,
                "notes": "local fake news network (pipeline.demo.newsnet)",
            }
            entry.update(overrides)
            entries.append(entry)
        path = Path(path)
        path.write_text(yaml.safe_dump({"sources": entries}, sort_keys=False, allow_unicode=True), encoding="utf-8")
        return path

    def _record(self, outlet: Outlet, handler: BaseHTTPRequestHandler, status: int, arrived: float) -> None:
        entry = {
            "t": arrived,  # when the request arrived (a slow response is logged when it ends)
            "outlet": outlet.name,
            "method": handler.command,
            "path": handler.path,
            "status": status,
            "headers": {k.lower(): v for k, v in handler.headers.items()},
        }
        with self._log_lock:
            self.log.append(entry)

    def _hit(self, outlet: Outlet, path: str) -> int:
        with self._log_lock:
            count = self._hits.get((outlet.name, path), 0) + 1
            self._hits[(outlet.name, path)] = count
            return count

    def _virtual_outlet(self, handler: BaseHTTPRequestHandler) -> Outlet | None:
        """The outlet a proxied request is for (absolute URI or Host header); the path made relative."""
        if handler.path.startswith(("http://", "https://")):
            parts = urlsplit(handler.path)
            host = parts.hostname or ""
            handler.path = parts.path + (f"?{parts.query}" if parts.query else "")
        else:
            host = (handler.headers.get("Host") or "").split(":")[0]
        return next((o for o in self.outlets if o.host == host.lower()), None)

    def _handler(self, fixed: Outlet | None) -> type[BaseHTTPRequestHandler]:
        network = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            server_version = "NewsSim/1.0"

            def log_message(self, fmt: str, *args: Any) -> None:  # quiet: the access log is in memory
                pass

            def do_GET(self) -> None:
                arrived = time.monotonic()
                outlet = fixed or network._virtual_outlet(self)
                if outlet is None:
                    body = b"no such host on this network"
                    self.send_response(502)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
                try:
                    status, headers, body = network._respond(outlet, self)
                except Exception:  # a bug in the simulator must not look like a crawler bug
                    log.exception("newsnet %s %s", outlet.name, self.path)
                    status, headers, body = 500, {"Content-Type": "text/plain"}, b"simulator error"
                network._record(outlet, self, status, arrived)
                if status < 0:  # the handler already wrote (or deliberately dropped) the response
                    return
                try:
                    self.send_response(status)
                    for key, value in headers.items():
                        self.send_header(key, value)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        return Handler

    # -- routing -----------------------------------------------------------------------------
    def _respond(self, outlet: Outlet, handler: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
        path = handler.path.split("?", 1)[0]
        html_type = {"Content-Type": "text/html; charset=utf-8"}
        if path == "/robots.txt":
            lines = ["User-agent: *"] + [f"Disallow: {d}" for d in outlet.robots_disallow] + ["Allow: /", ""]
            if outlet.sitemaps:
                lines += [f"Sitemap: {outlet.base}{s}" for s in outlet.sitemaps]
            return 200, {"Content-Type": "text/plain"}, "\n".join(lines).encode()
        if outlet.name == "faults-sim":
            fault = self._fault(outlet, path, handler)
            if fault is not None:
                return fault
        pages = sorted(outlet.pages, key=lambda p: (p.published, p.path), reverse=True)
        if path in outlet.feeds:
            return self._cacheable(handler, "application/rss+xml; charset=utf-8", render_feed(outlet, pages[:100]))
        if path == "/sitemap.xml" and outlet.sitemaps:
            children = [("/sitemap-news.xml", pages[0].published if pages else date(2024, 1, 1))]
            years = sorted({p.published.year for p in pages}, reverse=True)
            children += [
                (f"/sitemap-{year}.xml", max(p.published for p in pages if p.published.year == year)) for year in years
            ]
            return self._cacheable(handler, "application/xml", render_sitemap_index(outlet, children))
        if path == "/sitemap-news.xml":
            return self._cacheable(handler, "application/xml", render_urlset(outlet, pages[:10], news=True))
        match = re.fullmatch(r"/sitemap-(\d{4})\.xml", path)
        if match:
            year_pages = [p for p in pages if p.published.year == int(match.group(1))]
            return self._cacheable(handler, "application/xml", render_urlset(outlet, year_pages))
        if path in outlet.sections or path == "/indeks":
            return 200, html_type, render_section(outlet, pages[:200], f"Indeks {outlet.display}")
        page = self._by_path.get((outlet.name, path))
        if page is not None:
            if page.raw_file:
                return 200, {"Content-Type": page.content_type}, (SITE / "html" / page.raw_file).read_bytes()
            return 200, html_type, self._article(outlet.name, path)
        return 404, html_type, b"<html><body><h1>404 Halaman tidak ditemukan</h1></body></html>"

    @lru_cache(maxsize=8192)  # noqa: B019 - the network lives as long as its cache should
    def _article(self, outlet_name: str, path: str) -> bytes:
        outlet = self.outlet(outlet_name)
        page = self._by_path[(outlet_name, path)]
        index = outlet.pages.index(page)
        related = [p for p in outlet.pages[index + 1 : index + 9] + outlet.pages[:8] if p is not page and p.text]
        return render_article(outlet, page, related)

    def _cacheable(self, handler: BaseHTTPRequestHandler, ctype: str, body: bytes) -> tuple[int, dict[str, str], bytes]:
        """200 with ETag and Last-Modified, or 304 when the client's validators match."""
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        last_modified = "Mon, 01 Jan 2024 00:00:00 GMT"
        headers = {"Content-Type": ctype, "ETag": etag, "Last-Modified": last_modified}
        if handler.headers.get("If-None-Match") == etag or (
            "If-None-Match" not in handler.headers and handler.headers.get("If-Modified-Since") == last_modified
        ):
            return 304, {"ETag": etag, "Last-Modified": last_modified}, b""
        return 200, headers, body

    # Faults, keyed by the article slug; the feed lists them all.
    FAULTS: ClassVar[dict[str, str]] = {
        "hilang": "404",
        "sempat-gagal": "500 once, then 200",
        "sibuk": "429 with Retry-After once, then 200",
        "lambat": "slower than the download timeout",
        "putar": "redirect loop",
        "pindah": "redirect to another outlet's host",
        "raksasa": "20 MB page",
        "dokumen": "a PDF",
        "ke-dalam": "redirect to a private address nobody configured",
        "baik": "a normal article",
    }

    def fault_urls(self) -> dict[str, str]:
        outlet = self.outlet("faults-sim")
        return {slug: f"{outlet.base}/berita/2024/01/{n + 1:02d}/{slug}" for n, slug in enumerate(self.FAULTS)}

    def _fault(
        self, outlet: Outlet, path: str, handler: BaseHTTPRequestHandler
    ) -> tuple[int, dict[str, str], bytes] | None:
        html_type = {"Content-Type": "text/html; charset=utf-8"}
        urls = self.fault_urls()
        if path == "/rss.xml":
            links = "".join(f"<item><title>{slug}</title><link>{url}</link></item>" for slug, url in urls.items())
            body = f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Faults</title>{links}</channel></rss>'
            return self._cacheable(handler, "application/rss+xml", body.encode())
        if path == "/rss-pindah.xml":  # a feed that redirects into another (private) host: SSRF
            return 302, {"Location": f"{self.outlets[1].base}/ssrf-target"}, b""
        slug = path.rsplit("/", 1)[-1]
        good = render_article(
            outlet, Page(outlet.name, path, f"Artikel {slug}", date(2024, 1, 1), "Isi berita.\nParagraf kedua."), []
        )
        if slug == "hilang":
            return 404, html_type, b"<html><body>Tidak ditemukan</body></html>"
        if slug == "sempat-gagal":
            return (
                (500, html_type, b"<html><body>Server error</body></html>")
                if self._hit(outlet, path) == 1
                else (200, html_type, good)
            )
        if slug == "sibuk":
            if self._hit(outlet, path) == 1:
                return (
                    429,
                    {**html_type, "Retry-After": str(self.retry_after)},
                    b"<html><body>Terlalu banyak</body></html>",
                )
            return 200, html_type, good
        if slug == "lambat":
            time.sleep(self.slow_seconds)
            return 200, html_type, good
        if slug == "putar":
            return 302, {"Location": path + "-lagi"}, b""
        if slug == "putar-lagi":
            return 302, {"Location": path[: -len("-lagi")]}, b""
        if slug == "pindah":
            return 302, {"Location": f"{self.outlets[0].base}/berita/2024/01/06/pindah-luar"}, b""
        if slug == "ke-dalam":
            return 302, {"Location": "http://127.0.0.1:9/berita/2024/01/09/internal"}, b""
        if slug == "raksasa":
            return 200, html_type, b"<html><body>" + b"x" * BIG_PAGE_BYTES + b"</body></html>"
        if slug == "dokumen":
            return 200, {"Content-Type": "application/pdf"}, b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
        if slug == "baik":
            return 200, html_type, good
        return None


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bind", default="loopback-ips", help='"loopback-ips" (127.0.0.2, .3, ...) or one IP address')
    parser.add_argument("--port", type=int, default=0, help="first port when --bind is an address (0: any free port)")
    parser.add_argument(
        "--pages", type=int, default=None, help="synthetic network with N pages (default: the curated one)"
    )
    parser.add_argument("--relevant-ratio", type=float, default=0.02)
    parser.add_argument("--hosts", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-faults", action="store_true")
    parser.add_argument("--sources-out", type=Path, help="write a matching sources.yaml here")
    parser.add_argument("--manifest-out", type=Path, help="write the page manifest (JSON lines) here")
    args = parser.parse_args(argv)
    bind = "127.0.0.1" if args.port and args.bind == "loopback-ips" else args.bind
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    network = NewsNetwork(
        pages=args.pages,
        relevant_ratio=args.relevant_ratio,
        hosts=args.hosts,
        seed=args.seed,
        faults=not args.no_faults,
        bind=bind,
        port=args.port,
    )
    with network:
        if args.sources_out:
            network.sources_yaml(args.sources_out)
            log.info("sources written to %s", args.sources_out)
        if args.manifest_out:
            args.manifest_out.write_text("".join(json.dumps(r) + "\n" for r in network.manifest()), encoding="utf-8")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
