"""``netra process``: extract documents from WARC files (default: every record not yet processed)."""

from __future__ import annotations

from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    from pipeline.cli import open_engine, settings_of
    from pipeline.runs import ExitCode

    @app.command("process")
    def process(
        ctx: typer.Context,
        warcs: list[Path] = typer.Argument(
            None, exists=True, dir_okay=False, help="WARC files (default: every WARC under data/raw)."
        ),
        parquet: bool = typer.Option(
            True,
            "--parquet/--no-parquet",
            help="Rewrite the Parquet partitions under data/processed/documents/ that changed.",
        ),
        export_all: bool = typer.Option(False, "--export-all", help="Rewrite every Parquet partition from the store."),
    ) -> None:
        """Extract article text and metadata from WARC response records into `documents`."""
        from pipeline.extract.parquet import export_documents
        from pipeline.extract.process import process_warcs
        from pipeline.store.runs import RunRecorder

        settings = settings_of(ctx)
        engine = open_engine(ctx, migrate=True)
        from pipeline.crawl import sync_registry_file

        sync_registry_file(engine, settings.crawl.sources_file)
        with RunRecorder.start(engine, "process", {"warcs": [str(w) for w in warcs or []] or "all"}) as run:
            summary = process_warcs(engine, settings, paths=warcs or None, run=run, export=parquet and not export_all)
        if export_all:
            export_documents(engine, settings.processed_dir / "documents")
        skipped = ", ".join(f"{n} {reason}" for reason, n in summary.skipped.most_common()) or "none"
        typer.echo(
            f"{summary.files} WARC files, {summary.records} response records: {summary.extracted} extracted, "
            f"{summary.duplicates} duplicates, skipped: {skipped}; {summary.already_done} already done, "
            f"{summary.failed} failed, {sum(summary.read_failures.values())} damaged files",
            err=True,
        )
        if not summary.ok:
            raise typer.Exit(ExitCode.PARTIAL)
