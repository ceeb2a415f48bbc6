"""The shipped source registry and ``netra sources check`` (offline)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.crawl.sources import Source, SourcesError, check_sources, load_sources, select_sources

REGISTRY = Path(__file__).resolve().parents[1] / "sources.yaml"

# Province-code prefixes of the main island groups.
ISLANDS = {
    "Sumatra": ("11", "12", "13", "14", "15", "16", "17", "18", "19", "21"),
    "Java": ("31", "32", "33", "34", "35", "36"),
    "Bali/Nusa Tenggara": ("51", "52", "53"),
    "Kalimantan": ("61", "62", "63", "64", "65"),
    "Sulawesi": ("71", "72", "73", "74", "75", "76"),
    "Maluku": ("81", "82"),
    "Papua": ("91", "92", "93", "94", "95", "96"),
}


@pytest.fixture(scope="module")
def registry() -> list[Source]:
    return load_sources(REGISTRY)


def test_shipped_registry_is_valid_and_large_enough(registry):
    assert len(registry) >= 45
    assert all(not s.verified for s in registry), "nothing could be checked online here"
    for source in registry:
        assert source.feeds or source.sitemaps or source.sections


def test_registry_covers_every_main_island(registry):
    provinces = {code.split(".")[0] for s in registry for code in s.regions}
    for island, codes in ISLANDS.items():
        assert provinces & set(codes), f"no outlet covers {island}"


def test_registry_holds_the_seeds_outlets(registry):
    names = {s.name for s in registry}
    assert {"riaupos", "linggaupos", "betvnews", "antara-kalbar"} <= names


def test_article_patterns_accept_articles_and_reject_indexes(registry):
    by_name = {s.name: s for s in registry}
    assert by_name["antara-kalbar"].is_article("https://kalbar.antaranews.com/berita/123456/asn-diminta-netral")
    assert not by_name["antara-kalbar"].is_article("https://kalbar.antaranews.com/politik")
    assert by_name["tribun-pekanbaru"].is_article(
        "https://pekanbaru.tribunnews.com/2024/09/30/pj-wali-kota-ingatkan-asn"
    )
    assert not by_name["tribun-pekanbaru"].is_article("https://pekanbaru.tribunnews.com/tag/asn")


def test_check_reports_every_bad_entry_at_once(tmp_path):
    bad = tmp_path / "sources.yaml"
    bad.write_text(
        "sources:\n"
        "  - {name: ok-one, home: 'https://a.example/', feeds: ['https://a.example/rss'], article_pattern: '/berita/'}\n"
        "  - {name: Bad Name, home: 'https://b.example/', feeds: ['https://b.example/rss'], article_pattern: '/x/'}\n"
        "  - {name: regex, home: 'https://c.example/', feeds: ['https://c.example/rss'], article_pattern: '(unclosed'}\n"
        "  - {name: region, home: 'https://d.example/', feeds: ['https://d.example/rss'], article_pattern: '/x/', regions: ['99.99']}\n"
        "  - {name: nothing, home: 'https://e.example/', article_pattern: '/x/'}\n"
        "  - {name: scheme, home: 'ftp://f.example/', feeds: ['https://f.example/rss'], article_pattern: '/x/'}\n",
        encoding="utf-8",
    )
    checks = check_sources(bad, online=False, user_agent="test")
    assert [c.ok for c in checks] == [True, False, False, False, False, False]
    details = " ".join(c.detail for c in checks)
    for expected in ("lower-case", "does not compile", "99.99", "at least one of feeds", "http(s) URL"):
        assert expected in details
    with pytest.raises(SourcesError, match=r"entry 2 \(Bad Name\).*entry 3 \(regex\)"):
        load_sources(bad)


def test_select_sources_by_name(registry):
    assert [s.name for s in select_sources(registry, ["riaupos"])] == ["riaupos"]
    with pytest.raises(SourcesError, match="unknown source name"):
        select_sources(registry, ["no-such-outlet"])


def test_cli_sources_check_offline(tmp_path):
    env_free = {"NETRA_DATA_DIR": str(tmp_path)}
    ok = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "sources", "check"],
        capture_output=True,
        text=True,
        env={**__import__("os").environ, **env_free},
        timeout=120,
    )
    assert ok.returncode == 0, ok.stderr
    assert re.search(r"\d+ checks, 0 problems", ok.stderr)
    broken = tmp_path / "broken.yaml"
    broken.write_text("sources: [{name: x, home: 'https://x.example/', article_pattern: '('}]\n", encoding="utf-8")
    bad = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "sources", "check", "--sources", str(broken)],
        capture_output=True,
        text=True,
        env={**__import__("os").environ, **env_free},
        timeout=120,
    )
    assert bad.returncode == 2
    assert "does not compile" in bad.stderr


def test_online_check_probes_the_local_network(tmp_path):
    from pipeline.demo.newsnet import NewsNetwork

    with NewsNetwork(faults=True) as net:
        registry = net.sources_yaml(tmp_path / "sources.yaml")
        checks = {
            (c.source, c.kind, (c.url or "").rsplit("/", 1)[-1]): c
            for c in check_sources(registry, online=True, user_agent="test")
        }
        pattern_miss = net.sources_yaml(tmp_path / "miss.yaml", article_pattern=r"/artikel/\d+/")
        misses = [
            c
            for c in check_sources(pattern_miss, online=True, user_agent="test")
            if c.kind == "feed" and c.status == "200"
        ]
    riau_feed = checks[("riau-sim", "feed", "rss.xml")]
    assert riau_feed.ok and riau_feed.status == "200"
    assert re.search(r"(\d+) links, (\d+) match article_pattern", riau_feed.detail)
    links, articles = map(int, re.search(r"(\d+) links, (\d+) match", riau_feed.detail).groups())
    assert articles == links - 2  # the feed also carries a tag page and a YouTube link
    assert checks[("jatim-sim", "sitemap", "sitemap.xml")].ok
    assert "sitemap index of" in checks[("jatim-sim", "sitemap", "sitemap.xml")].detail
    assert checks[("kalbar-sim", "section", "daerah")].ok
    redirected = checks[("faults-sim", "feed", "rss-pindah.xml")]  # redirects to a page that is not a feed
    assert not redirected.ok
    assert misses and all(not c.ok and "check the pattern" in c.detail for c in misses)
