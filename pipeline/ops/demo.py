"""``netra demo`` / ``make demo``: the whole pipeline, offline, in one command.

Starts the bundled fake news network (``pipeline.demo.newsnet``) on 127.0.0.1 (free
ports), writes a sources registry for it, runs ``netra nightly`` into SQLite under
``<data dir>/demo`` (crawl → WARC → extraction → events → store → export), prints the
events found, and stops the servers.  Running it again adds nothing (idempotence
shows: the crawl finds nothing new) and prints the same events.
"""

from __future__ import annotations

import logging

from pipeline.settings import Settings

log = logging.getLogger(__name__)

# The network is local: no need for the production politeness delay between requests.
DEMO_DOWNLOAD_DELAY = 0.05


def demo_settings(settings: Settings) -> Settings:
    """The demo's own data dir and SQLite store, never the configured production database."""
    data_dir = settings.data_dir / "demo"
    return settings.model_copy(
        update={"data_dir": data_dir, "database_url": f"sqlite:///{data_dir / 'netra.db'}"}
    ).with_crawl(sources_file=data_dir / "sources.yaml", download_delay=DEMO_DOWNLOAD_DELAY)


def run_demo(settings: Settings, pages: int | None = None) -> int:
    """Run the demo; returns the exit status (0 unless the pipeline could not run)."""
    from rich.console import Console

    from pipeline.cli.query import print_events_table
    from pipeline.demo.newsnet import NewsNetwork
    from pipeline.logs import is_interactive
    from pipeline.nightly import STAGES, StageProgress, run_nightly, summary_table
    from pipeline.query import events_frame
    from pipeline.store.db import open_store

    settings = demo_settings(settings)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    console = Console()
    network = NewsNetwork(pages=pages, faults=False, bind="127.0.0.1", port=0)
    with network:
        sources = network.sources_yaml(settings.crawl.sources_file)
        console.print(
            f"fake news network: {len(network.outlets)} outlets on 127.0.0.1 "
            f"({', '.join(o.base for o in network.outlets)}); registry {sources}"
        )
        if is_interactive():
            with StageProgress(STAGES) as progress:
                report = run_nightly(settings, on_stage=progress.on_stage, on_start=progress.on_start)
        else:
            report = run_nightly(settings)
    console.print(summary_table(report))
    if report.exit_code not in (0, 1):
        console.print(f"[bold red]demo failed:[/bold red] {report.message}")
        return report.exit_code
    frame = events_frame(open_store(settings.db_url))
    print_events_table(frame, title="events found by the demo")
    console.print(
        f"database: {settings.db_url}\nexports:  {report.export_dir}\n"
        f"try: netra --data-dir {settings.data_dir} events --type rakor   |   "
        f"netra --data-dir {settings.data_dir} status"
    )
    return 0
