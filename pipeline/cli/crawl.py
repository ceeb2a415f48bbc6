"""``netra crawl`` and ``netra sources check``: thin wrappers over ``pipeline.crawl``."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    from pipeline.cli import open_engine, settings_of
    from pipeline.cli.progress import report_console
    from pipeline.runs import ExitCode

    @app.command("crawl")
    def crawl(
        ctx: typer.Context,
        sources_file: Path = typer.Option(
            None, "--sources", help="Source registry (default: settings crawl.sources_file)."
        ),
        source: list[str] = typer.Option(None, "--source", help="Crawl only this source (repeatable)."),
        max_pages: int = typer.Option(
            None, "--max-pages", min=0, help="At most N article fetches per source in this run."
        ),
        since: datetime = typer.Option(
            None, "--since", formats=["%Y-%m-%d"], help="Ignore feed items and sitemap entries older than DATE."
        ),
    ) -> None:
        """Fetch new articles from the registry's feeds, sitemaps and sections into WARC files."""
        from rich.table import Table

        from pipeline.crawl import SourcesError, run_crawl
        from pipeline.logs import quiet_third_party_logging

        quiet_third_party_logging()  # Scrapy's stats dump and INFO chatter stay out of cron mail
        settings = settings_of(ctx)
        engine = open_engine(ctx, migrate=True)
        try:
            summary = run_crawl(
                settings,
                engine,
                sources=sources_file or settings.crawl.sources_file,
                names=source or None,
                max_pages=max_pages,
                since=since.date() if since else None,
            )
        except SourcesError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(ExitCode.USAGE) from exc
        table = Table(title=f"crawl run {summary.run_id}: {summary.status}")
        columns = ("discovered", "fetched", "new", "not_modified", "skipped", "errors")
        table.add_column("source")
        for column in columns:
            table.add_column(column.replace("_", " "), justify="right")
        table.add_column("status")
        table.add_column("errors by class")
        for name, counts in summary.sources.items():
            by_class = ", ".join(f"{k[6:]} {v}" for k, v in sorted(counts.items()) if k.startswith("error."))
            table.add_row(name, *(str(counts.get(c, 0)) for c in columns), summary.source_status[name], by_class)
        table.add_row("total", *(str(summary.total(c)) for c in columns), summary.status, "")
        report_console().print(table)
        if summary.all_failed:
            raise typer.Exit(ExitCode.FATAL)

    sources_app = typer.Typer(help="The source registry (sources.yaml).", no_args_is_help=True)
    app.add_typer(sources_app, name="sources")

    @sources_app.command("check")
    def check(
        ctx: typer.Context,
        sources_file: Path = typer.Option(
            None, "--sources", help="Source registry (default: settings crawl.sources_file)."
        ),
        online: bool = typer.Option(False, "--online", help="Also fetch every feed, sitemap and section once."),
    ) -> None:
        """Validate the registry (schema, regexes, region codes); --online probes feeds and sitemaps."""
        from rich.table import Table

        from pipeline.crawl import check_sources

        settings = settings_of(ctx)
        checks = check_sources(
            sources_file or settings.crawl.sources_file, online=online, user_agent=settings.crawl.user_agent
        )
        table = Table(title="sources check")
        for column in ("source", "kind", "url", "ok", "status", "detail"):
            table.add_column(column)
        for c in checks:
            table.add_row(c.source, c.kind, c.url or "", "yes" if c.ok else "NO", c.status, c.detail)
        report_console().print(table)
        bad = [c for c in checks if not c.ok]
        for c in bad:  # one unwrapped line per problem, for logs and grep
            typer.echo(f"problem: {c.source} {c.kind}{' ' + c.url if c.url else ''}: {c.status}: {c.detail}", err=True)
        typer.echo(f"{len(checks)} checks, {len(bad)} problems", err=True)
        if any(c.kind == "schema" for c in bad):
            raise typer.Exit(ExitCode.USAGE)
        if bad:
            raise typer.Exit(ExitCode.PARTIAL)
