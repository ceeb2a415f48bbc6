"""``netra demo`` / ``make demo``: the whole pipeline, offline, in one command.

Starts the bundled fake news network (``pipeline.demo.newsnet``) under fixed host names
(``<outlet>.netra-demo.test``) behind an HTTP proxy on 127.0.0.1, writes a sources registry for it, runs the nightly into SQLite under
``<data dir>/demo`` (crawl → WARC → extraction → events → store → export) and stops
the servers.  Running it again adds nothing (idempotence shows: the crawl finds
nothing new).  The CLI prints what it found.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pipeline.runs.nightly import NightlyReport, run_nightly
from pipeline.settings import Settings
from pipeline.store.runs import RunRecorder

# The network is local: no need for the production politeness delay between requests.
DEMO_DOWNLOAD_DELAY = 0.05
# Tried first for the network's proxy; any free port when taken (the URLs do not depend on it).
DEMO_PROXY_PORT = 8719


def demo_settings(settings: Settings) -> Settings:
    """The demo's own data dir and SQLite store, never the configured production database."""
    data_dir = settings.data_dir / "demo"
    return settings.model_copy(
        update={"data_dir": data_dir, "database_url": f"sqlite:///{data_dir / 'netra.db'}"}
    ).with_crawl(sources_file=data_dir / "sources.yaml", download_delay=DEMO_DOWNLOAD_DELAY)


@dataclass
class DemoRun:
    settings: Settings  # the demo's (data dir, store)
    network: str  # what was served, for the operator
    report: NightlyReport


def run_demo(
    settings: Settings,
    pages: int | None = None,
    on_stage: Callable[[str, str], None] | None = None,
    on_start: Callable[[RunRecorder], None] | None = None,
) -> DemoRun:
    """Serve the fake network, run the nightly against it; ``on_*`` feed a progress display."""
    from pipeline.demo.newsnet import NewsNetwork

    settings = demo_settings(settings)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    # Fixed host names behind a proxy on a free port: the URLs, hence the URL and document keys,
    # are the same in every run, so a second demo fetches and adds nothing.
    with NewsNetwork(pages=pages, faults=False, bind="virtual-hosts", port=DEMO_PROXY_PORT) as network:
        sources = network.sources_yaml(settings.crawl.sources_file)
        settings = settings.with_crawl(proxy=network.proxy)
        served = (
            f"fake news network: {len(network.outlets)} outlets behind the proxy {network.proxy} "
            f"({', '.join(o.base for o in network.outlets)}); registry {sources}"
        )
        report = run_nightly(settings, on_stage=on_stage, on_start=on_start)
    return DemoRun(settings, served, report)
