"""``netra extract-text``, ``netra ingest-text`` and ``netra eval``: JSON Lines in, events out."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from pipeline.runs.ingest import Extractor


def _extractor(ctx: typer.Context) -> Extractor:
    from pipeline.cli import settings_of
    from pipeline.events import EventExtractor

    return EventExtractor(settings_of(ctx))


def register(app: typer.Typer) -> None:
    from pipeline.cli import open_engine
    from pipeline.cli.progress import record_progress, report_console
    from pipeline.runs import ExitCode

    @app.command("extract-text")
    def extract_text(
        ctx: typer.Context,
        input: Path = typer.Argument(
            ..., exists=True, dir_okay=False, help="JSON Lines: {id, text, title?, url?, published?}"
        ),
        output: Path = typer.Option(None, "-o", "--output", help="Output JSON Lines (default: standard output)."),
        provenance: bool = typer.Option(
            False, "--provenance", help="Add confidence and per-field provenance to each event."
        ),
    ) -> None:
        """Extract events from article texts and write one schema record per input (no database)."""
        from pipeline.jsonl import read_articles
        from pipeline.runs.ingest import BatchSummary, extract_records

        summary = BatchSummary()
        extractor = _extractor(ctx)
        out = open(output, "w", encoding="utf-8") if output else sys.stdout  # noqa: SIM115 - or stdout
        try:
            for _article, result in extract_records(
                record_progress(read_articles(input), "extracting"), extractor, summary
            ):
                out.write(json.dumps(result.to_contract(provenance=provenance), ensure_ascii=False) + "\n")
        finally:
            if output:
                out.close()
        typer.echo(
            f"{summary.read} records: {summary.read - len(summary.rejected)} extracted "
            f"({summary.relevant} relevant, {summary.events} events), {len(summary.rejected)} rejected",
            err=True,
        )
        if summary.rejected:
            raise typer.Exit(ExitCode.PARTIAL)

    @app.command("ingest-text")
    def ingest_text(
        ctx: typer.Context,
        input: Path = typer.Argument(
            ..., exists=True, dir_okay=False, help="JSON Lines: {id, text, title?, url?, published?}"
        ),
    ) -> None:
        """Extract events from article texts and store them (re-ingesting a record replaces its events)."""
        from pipeline.runs.ingest import ingest_text as ingest
        from pipeline.store.runs import RunRecorder

        engine = open_engine(ctx)
        extractor = _extractor(ctx)
        with RunRecorder.start(engine, "ingest-text", {"input": input}) as run:
            summary = ingest(engine, input, extractor, run)
        typer.echo(
            f"{summary.read} records: {summary.stored} stored ({summary.relevant} relevant, "
            f"{summary.events} events), {len(summary.rejected)} rejected",
            err=True,
        )
        if summary.rejected:
            raise typer.Exit(ExitCode.PARTIAL)

    @app.command("eval")
    def evaluate(
        gold: Path = typer.Argument(..., exists=True, dir_okay=False),
        pred: Path = typer.Argument(..., exists=True, dir_okay=False),
        as_json: bool = typer.Option(False, "--json", help="Print the scores as JSON."),
        errors: bool = typer.Option(False, "--errors", help="Also list per-article misses and false positives."),
    ) -> None:
        """Score PRED against GOLD with the rules of the event schema (per-slot P/R/F1, micro-averaged)."""
        from rich.table import Table

        from pipeline.evaluate import score
        from pipeline.jsonl import read_jsonl

        report = score(read_jsonl(gold), read_jsonl(pred))
        if as_json:
            typer.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
            return
        console = report_console(stderr=False)
        for title, rows, macro in (
            (f"netra eval {gold.name} vs {pred.name}: slots", report.as_rows(), report.macro_f1),
            ("strict slots (events put together right)", report.strict_rows(), report.strict_macro_f1),
        ):
            table = Table(title=title, caption=f"macro F1 {macro:.3f}")
            for column in ("slot", "tp", "fp", "fn", "precision", "recall", "f1"):
                table.add_column(column, justify="left" if column == "slot" else "right")
            for row in rows:
                table.add_row(*(f"{v:.3f}" if isinstance(v, float) else str(v) for v in row.values()))
            console.print(table)
        if errors:  # JSON Lines, one per article: plain writes, never wrapped to the terminal width
            for error in report.errors_as_dicts():
                sys.stdout.write(json.dumps(error, ensure_ascii=False) + "\n")
