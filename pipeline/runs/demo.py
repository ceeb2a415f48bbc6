"""``netra demo`` / ``make demo``: the whole pipeline, offline, in one command.

Starts the bundled fake news network (``pipeline.demo.newsnet``) on 127.0.0.1 (free
ports), writes a sources registry for it, runs the nightly into SQLite under
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
    with NewsNetwork(pages=pages, faults=False, bind="127.0.0.1", port=0) as network:
        sources = network.sources_yaml(settings.crawl.sources_file)
        served = (
            f"fake news network: {len(network.outlets)} outlets on 127.0.0.1 "
            f"({', '.join(o.base for o in network.outlets)}); registry {sources}"
        )
        report = run_nightly(settings, on_stage=on_stage, on_start=on_start)
    return DemoRun(settings, served, report)
