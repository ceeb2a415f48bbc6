"""``netra status``, ``netra export``, ``netra backfill`` and ``netra demo``."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from pipeline.store.locks import LockInfo
    from pipeline.store.run_history import RunSummary, SourceHealth

from pipeline.logs import get_logger

log = get_logger("netra.ops")


def _ago(value: datetime | None) -> str:
    if value is None:
        return "never"
    seconds = (datetime.now(UTC) - value).total_seconds()
    if seconds < 120:
        return f"{seconds:.0f}s ago"
    if seconds < 7200:
        return f"{seconds / 60:.0f}m ago"
    if seconds < 172800:
        return f"{seconds / 3600:.0f}h ago"
    return f"{seconds / 86400:.0f}d ago"


def _status_json(runs: list[RunSummary], sources: list[SourceHealth], lock: LockInfo | None) -> str:
    def iso(value: datetime | None) -> str | None:
        return value.isoformat() if value else None

    return json.dumps(
        {
            "lock": {"holder": lock.holder, "since": iso(lock.acquired_at), "heartbeat": iso(lock.heartbeat_at)}
            if lock
            else None,
            "runs": [
                {
                    "id": r.id,
                    "kind": r.kind,
                    "status": r.status,
                    "started_at": iso(r.started_at),
                    "seconds": r.seconds,
                    "errors": r.errors,
                    "counts": r.counts,
                    "first_error": r.first_error,
                }
                for r in runs
            ],
            "sources": [
                {
                    "name": s.name,
                    "verdict": s.verdict(),
                    "last_status": s.last_status,
                    "last_run_at": iso(s.last_run_at),
                    "last_success_at": iso(s.last_success_at),
                    "failing_streak": s.failing_streak,
                    "runs": s.runs,
                    "failed_runs": s.failed_runs,
                    "error_rate": s.error_rate,
                    "last_counts": s.last_counts,
                }
                for s in sources
            ],
        },
        ensure_ascii=False,
        indent=2,
    )


def register(app: typer.Typer) -> None:
    from pipeline.cli import open_engine, settings_of
    from pipeline.cli.progress import report_console
    from pipeline.runs import ExitCode

    @app.command("status")
    def status(
        ctx: typer.Context,
        runs: int = typer.Option(10, "--runs", help="How many recent runs to list."),
        window: int = typer.Option(14, "--window", help="Runs per source over which error rates are computed."),
        alert: int = typer.Option(3, "--alert", help="Consecutive failing runs that flag a source FAILING."),
        as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
    ) -> None:
        """Recent runs and per-source health: last success, error rate, sources failing night after night.

        Exit 1 when a source has failed ``--alert`` runs in a row or the last nightly run failed,
        so a monitoring job can run ``netra status`` too.
        """
        from rich.table import Table

        from pipeline.store.locks import read_lock
        from pipeline.store.run_history import recent_runs, source_health

        engine = open_engine(ctx)
        run_list = recent_runs(engine, runs)
        sources = source_health(engine, window)
        lock = read_lock(engine, "nightly")
        if as_json:
            sys.stdout.write(_status_json(run_list, sources, lock) + "\n")
        else:
            console = report_console(stderr=False)
            if lock:
                console.print(
                    f"nightly lock held by {lock.holder} since {lock.acquired_at:%Y-%m-%d %H:%M} "
                    f"(heartbeat {_ago(lock.heartbeat_at)})"
                )
            table = Table(title="recent runs", title_justify="left")
            for column in ("id", "kind", "status", "started", "seconds", "errors", "first error"):
                table.add_column(column, overflow="fold")
            for r in run_list:
                style = {"ok": "green", "partial": "yellow", "failed": "bold red", "running": "cyan"}.get(r.status, "")
                table.add_row(
                    str(r.id),
                    r.kind,
                    f"[{style}]{r.status}[/{style}]" if style else r.status,
                    f"{r.started_at:%Y-%m-%d %H:%M}",
                    f"{r.seconds:.0f}" if r.seconds is not None else "-",
                    str(r.errors),
                    (r.first_error or "")[:120],
                )
            console.print(table)
            table = Table(title=f"sources (error rate over the last {window} runs)", title_justify="left")
            for column in (
                "source",
                "health",
                "last run",
                "last success",
                "failing streak",
                "failed runs",
                "error rate",
            ):
                table.add_column(column)
            for s in sources:
                verdict = s.verdict(alert)
                style = {"ok": "green", "degraded": "yellow", "FAILING": "bold red"}[verdict]
                table.add_row(
                    s.name,
                    f"[{style}]{verdict}[/{style}]",
                    f"{s.last_status} {_ago(s.last_run_at)}",
                    _ago(s.last_success_at),
                    str(s.failing_streak),
                    f"{s.failed_runs}/{s.runs}",
                    f"{s.error_rate:.1%}" if s.error_rate is not None else "-",
                )
            console.print(table)
        last_nightly = next((r for r in run_list if r.kind == "nightly"), None)
        unhealthy = any(s.verdict(alert) == "FAILING" for s in sources) or (
            last_nightly is not None and last_nightly.status == "failed"
        )
        raise typer.Exit(ExitCode.PARTIAL if unhealthy else ExitCode.OK)

    @app.command("export")
    def export(
        ctx: typer.Context,
        out: Path = typer.Option(None, "--out", help="Export root (default: <data dir>/processed/exports)."),
        day: str = typer.Option(None, "--day", help="Directory name YYYY-MM-DD (default: today, server local time)."),
    ) -> None:
        """Write the events, officials and sanctions tables (CSV + Parquet, versioned schema)."""
        from pipeline.query.export import ExportWriteError, SchemaError, write_export

        when = None
        if day:
            try:
                when = datetime.strptime(day, "%Y-%m-%d").date()
            except ValueError:
                typer.echo(f"--day wants YYYY-MM-DD, got {day!r}", err=True)
                raise typer.Exit(ExitCode.USAGE) from None
        engine = open_engine(ctx)
        try:
            result = write_export(engine, out or settings_of(ctx).export_dir, when)
        except SchemaError as exc:
            log.error("export refused: %s", exc)
            raise typer.Exit(ExitCode.FATAL) from exc
        except ExportWriteError as exc:
            log.error("export failed: %s", exc)
            raise typer.Exit(ExitCode.FATAL) from None
        typer.echo(f"{result.directory}: " + ", ".join(f"{n} {t}" for t, n in result.rows.items()))

    @app.command("backfill")
    def backfill(
        ctx: typer.Context,
        warcs: list[str] = typer.Argument(
            ..., help="WARC files or glob patterns (quote globs), e.g. 'cc-news/*.warc.gz'."
        ),
        workers: int = typer.Option(2, "--workers", min=1, help="Local Dask workers (ignored with --scheduler)."),
        scheduler: str = typer.Option(
            None, "--scheduler", help="Address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786."
        ),
        threads: int = typer.Option(1, "--threads-per-worker", min=1, help="Threads per local worker."),
    ) -> None:
        """Extract documents and events from many WARC files on a Dask cluster (needs the 'dask' extra)."""
        from pipeline.logs import quiet_third_party_logging
        from pipeline.runs.backfill import BackfillError, expand_warcs, run_backfill

        quiet_third_party_logging()
        paths = expand_warcs(warcs)
        if not paths:
            typer.echo(f"no WARC file matches {' '.join(warcs)}", err=True)
            raise typer.Exit(ExitCode.USAGE)
        settings = settings_of(ctx)
        open_engine(ctx, migrate=True)  # migrate once here, not in every worker; exit 3 if unreachable
        try:
            report = run_backfill(settings, paths, workers=workers, scheduler=scheduler, threads_per_worker=threads)
        except BackfillError as exc:
            log.error("backfill: %s", exc)
            raise typer.Exit(ExitCode.FATAL) from exc
        typer.echo(report.summary_line(), err=True)
        raise typer.Exit(report.exit_code)

    @app.command("demo")
    def demo(
        ctx: typer.Context,
        pages: int = typer.Option(None, "--pages", help="Size of the fake news network (default: its own)."),
    ) -> None:
        """Start the bundled fake news network on 127.0.0.1, run the nightly into data/demo, print the events."""
        from rich.console import Console

        from pipeline.cli.progress import StageProgress, summary_table
        from pipeline.cli.query import print_events_table
        from pipeline.logs import is_interactive, quiet_third_party_logging
        from pipeline.query import events_frame
        from pipeline.runs.demo import run_demo
        from pipeline.runs.nightly import STAGES
        from pipeline.store.db import open_store

        quiet_third_party_logging()
        console = Console()
        if is_interactive():
            with StageProgress(STAGES) as progress:
                demo = run_demo(settings_of(ctx), pages, on_stage=progress.on_stage, on_start=progress.on_start)
        else:
            demo = run_demo(settings_of(ctx), pages)
        report, settings = demo.report, demo.settings
        console.print(demo.network)
        console.print(summary_table(report))
        if report.exit_code not in (ExitCode.OK, ExitCode.PARTIAL):
            console.print(f"[bold red]demo failed:[/bold red] {report.message}")
            raise typer.Exit(report.exit_code)
        frame = events_frame(open_store(settings.db_url))
        print_events_table(frame, title="events found by the demo")
        console.print(
            f"database: {settings.db_url}\nexports:  {report.export_dir}\n"
            f"try: netra --data-dir {settings.data_dir} events --type rakor   |   "
            f"netra --data-dir {settings.data_dir} status"
        )
