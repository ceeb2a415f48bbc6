"""``netra nightly``: crawl → process → events → store → export, as one recorded run."""

from __future__ import annotations

from pathlib import Path

import typer

from pipeline.logs import get_logger

log = get_logger("netra.nightly")


def register(app: typer.Typer) -> None:
    @app.command("nightly")
    def nightly(
        ctx: typer.Context,
        sources: Path = typer.Option(
            None, "--sources", dir_okay=False, help="The source registry (default: settings / NETRA_SOURCES)."
        ),
        db: str = typer.Option(None, "--db", help="Database URL (overrides the global --db / NETRA_DATABASE_URL)."),
        stages: str = typer.Option(
            ",".join(("crawl", "process", "events", "incidents", "export")),
            "--stages",
            help="Comma-separated subset of crawl,process,events,export.",
        ),
        ner_backend: str = typer.Option(
            None, "--ner-backend", help="NER backend: spacy or stanza (default: settings / NETRA_NER_BACKEND)."
        ),
        no_ner: bool = typer.Option(
            False, "--no-ner", help="Events with the rules only, without the NER model (default: settings nlp.use_ner)."
        ),
    ) -> None:
        """Run the whole ingestion once (for cron): idempotent, resumable, never two at a time.

        Exit status: 0 ok; 1 some pages, documents or sources failed; 3 a stage failed as a
        whole (database unreachable, WARC not writable, every source failed); 4 another run
        holds the lock.
        """
        from pipeline.cli import settings_of
        from pipeline.cli.progress import StageProgress, report_console, summary_table
        from pipeline.logs import is_interactive, quiet_third_party_logging
        from pipeline.runs import ExitCode
        from pipeline.runs.nightly import STAGES, run_nightly

        quiet_third_party_logging()
        settings = settings_of(ctx)
        if db:
            settings = settings.model_copy(update={"database_url": db})
        from pipeline.cli.text import with_ner_backend

        settings = with_ner_backend(settings, ner_backend, no_ner)
        chosen = tuple(s.strip() for s in stages.split(",") if s.strip())
        bad = [s for s in chosen if s not in STAGES]
        if bad or not chosen:
            typer.echo(f"--stages: unknown stage(s) {bad}; choose from {', '.join(STAGES)}", err=True)
            raise typer.Exit(ExitCode.USAGE)
        if sources is not None and not sources.is_file() and "crawl" in chosen:
            typer.echo(f"--sources: {sources} does not exist", err=True)
            raise typer.Exit(ExitCode.USAGE)
        terminal = is_interactive() and settings.log_format == "text"
        if terminal:
            with StageProgress(chosen) as progress:
                report = run_nightly(settings, sources, chosen, on_stage=progress.on_stage, on_start=progress.on_start)
            report_console().print(summary_table(report))
        else:
            report = run_nightly(settings, sources, chosen)
        if report.run_id is None:  # nothing started (store, settings, lock): one line says why
            log.error("nightly: %s (exit %d)", report.message, int(report.exit_code))
            raise typer.Exit(report.exit_code)
        line = f"nightly run {report.run_id}: {report.status} (exit {int(report.exit_code)}); " + "; ".join(
            f"{stage} {report.stage_status.get(stage, '-')} {report.timings.get(stage, 0):.1f}s"
            for stage in STAGES
            if stage in chosen
        )
        if report.exit_code == ExitCode.OK:
            log.info("%s", line)
        elif report.exit_code == ExitCode.PARTIAL:
            log.warning("%s", line)
        else:
            log.error("%s", line)  # each stage failure was logged when it happened
        raise typer.Exit(report.exit_code)
