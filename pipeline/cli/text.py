"""``netra extract-text``, ``netra ingest-text`` and ``netra eval``: JSON Lines in, events out."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from pipeline.settings import Settings


def with_ner_backend(settings: Settings, ner_backend: str | None) -> Settings:
    """``settings`` with ``nlp.ner_backend`` replaced by a ``--ner-backend`` value (None keeps it)."""
    if not ner_backend:
        return settings
    from dataclasses import replace

    from pipeline.events.pipeline import NER_BACKENDS

    if ner_backend not in NER_BACKENDS:
        raise typer.BadParameter(f"--ner-backend must be one of {', '.join(NER_BACKENDS)}, not {ner_backend!r}")
    return replace(settings, nlp=replace(settings.nlp, ner_backend=ner_backend))


NER_BACKEND_HELP = "NER backend: spacy (models/ner-id) or stanza (models/stanza-id); default: settings / NETRA_NER_BACKEND."


def _extractor(ctx: typer.Context, ner_backend: str | None = None):
    from pipeline.cli import settings_of
    from pipeline.events import EventExtractor

    return EventExtractor(with_ner_backend(settings_of(ctx), ner_backend))


def _progress(items, total_hint: str):
    """A progress bar in a terminal, nothing in cron."""
    from pipeline.logs import is_interactive

    if not is_interactive():
        yield from items
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TextColumn("{task.completed} records"),
                  TimeElapsedColumn(), transient=True) as progress:
        task = progress.add_task(total_hint)
        for item in items:
            yield item
            progress.advance(task)


def register(app: typer.Typer) -> None:
    from pipeline.cli import EXIT_PARTIAL, open_engine

    @app.command("extract-text")
    def extract_text(
        ctx: typer.Context,
        input: Path = typer.Argument(..., exists=True, dir_okay=False, help="JSON Lines: {id, text, title?, url?, published?}"),
        output: Path = typer.Option(None, "-o", "--output", help="Output JSON Lines (default: standard output)."),
        provenance: bool = typer.Option(False, "--provenance", help="Add confidence and per-field provenance to each event."),
        ner_backend: str = typer.Option(None, "--ner-backend", help=NER_BACKEND_HELP),
    ) -> None:
        """Extract events from article texts and write one schema record per input (no database)."""
        from pipeline.ingest import BatchSummary, extract_records
        from pipeline.jsonl import read_articles

        summary = BatchSummary()
        extractor = _extractor(ctx, ner_backend)
        out = open(output, "w", encoding="utf-8") if output else sys.stdout
        try:
            for _article, result in extract_records(_progress(read_articles(input), "extracting"), extractor, summary):
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
            raise typer.Exit(EXIT_PARTIAL)

    @app.command("ingest-text")
    def ingest_text(
        ctx: typer.Context,
        input: Path = typer.Argument(..., exists=True, dir_okay=False, help="JSON Lines: {id, text, title?, url?, published?}"),
        ner_backend: str = typer.Option(None, "--ner-backend", help=NER_BACKEND_HELP),
    ) -> None:
        """Extract events from article texts and store them (re-ingesting a record replaces its events)."""
        from pipeline.ingest import ingest_text as ingest
        from pipeline.store.runs import RunRecorder

        engine = open_engine(ctx)
        extractor = _extractor(ctx, ner_backend)
        with RunRecorder.start(engine, "ingest-text", {"input": input}) as run:
            summary = ingest(engine, input, extractor, run)
        typer.echo(
            f"{summary.read} records: {summary.stored} stored ({summary.relevant} relevant, "
            f"{summary.events} events), {len(summary.rejected)} rejected",
            err=True,
        )
        if summary.rejected:
            raise typer.Exit(EXIT_PARTIAL)

    @app.command("eval")
    def evaluate(
        gold: Path = typer.Argument(..., exists=True, dir_okay=False),
        pred: Path = typer.Argument(..., exists=True, dir_okay=False),
        as_json: bool = typer.Option(False, "--json", help="Print the scores as JSON."),
        errors: bool = typer.Option(False, "--errors", help="Also list per-article misses and false positives."),
    ) -> None:
        """Score PRED against GOLD with the rules of the event schema (per-slot P/R/F1, micro-averaged)."""
        from pipeline.cli import report_console
        from rich.table import Table

        from pipeline.evaluate import score
        from pipeline.jsonl import read_jsonl

        report = score(read_jsonl(gold), read_jsonl(pred))
        if as_json:
            typer.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
            return
        table = Table(title=f"netra eval {gold.name} vs {pred.name}")
        for column in ("slot", "tp", "fp", "fn", "precision", "recall", "f1"):
            table.add_column(column, justify="left" if column == "slot" else "right")
        for row in report.as_rows():
            table.add_row(*(f"{v:.3f}" if isinstance(v, float) else str(v) for v in row.values()))
        report_console(stderr=False).print(table)
        if errors:  # JSON Lines, one per article: plain writes, never wrapped to the terminal width
            for error in report.errors_as_dicts():
                sys.stdout.write(json.dumps(error, ensure_ascii=False) + "\n")
