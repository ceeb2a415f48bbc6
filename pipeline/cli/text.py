"""``netra extract-text``, ``netra ingest-text`` and ``netra eval``: JSON Lines in, events out."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from pipeline.evaluate import LinkingReport
    from pipeline.runs.ingest import Extractor
    from pipeline.settings import Settings

NER_BACKEND_HELP = (
    "NER backend: spacy (models/ner-id) or stanza (models/stanza-id); default: settings / NETRA_NER_BACKEND."
)


NO_NER_HELP = (
    "Extract events with the rules only, without the NER model (fewer officials); default: settings nlp.use_ner."
)


def with_ner_backend(settings: Settings, ner_backend: str | None, no_ner: bool = False) -> Settings:
    """``settings`` with ``nlp.ner_backend`` replaced by a ``--ner-backend`` value (None keeps it)
    and ``nlp.use_ner`` turned off by ``--no-ner``."""
    if no_ner:
        settings = settings.model_copy(update={"nlp": settings.nlp.model_copy(update={"use_ner": False})})
    if not ner_backend:
        return settings
    from pipeline.events.pipeline import NER_BACKENDS

    if ner_backend not in NER_BACKENDS:
        raise typer.BadParameter(f"--ner-backend must be one of {', '.join(NER_BACKENDS)}, not {ner_backend!r}")
    return settings.model_copy(update={"nlp": settings.nlp.model_copy(update={"ner_backend": ner_backend})})


def _extractor(ctx: typer.Context, ner_backend: str | None = None, no_ner: bool = False) -> Extractor:
    """The event extractor, or exit 2 with one line when the NER model is missing (see ``--no-ner``)."""
    from pipeline.cli import log, settings_of
    from pipeline.events import EventExtractor
    from pipeline.nlp.ner_model import NerModelMissing
    from pipeline.nlp.stanza_ner import StanzaModelMissing
    from pipeline.runs import ExitCode

    try:
        return EventExtractor(with_ner_backend(settings_of(ctx), ner_backend, no_ner))
    except (NerModelMissing, StanzaModelMissing) as exc:
        log.error("%s", exc)
        raise typer.Exit(ExitCode.USAGE) from None


def _linking(
    gold_path: Path, gold: list[dict[str, Any]], pred: list[dict[str, Any]], texts: Path | None
) -> LinkingReport | None:
    """The linking scores when gold has clusters and the predictions incident ids, else ``None``."""
    from pipeline.evaluate import gold_has_clusters, pred_has_incidents, score_linking
    from pipeline.incidents.records import article_text
    from pipeline.jsonl import read_jsonl

    if not (gold_has_clusters(gold) and pred_has_incidents(pred)):
        return None
    if texts is None:
        sibling = gold_path.with_name(gold_path.name.removesuffix(".jsonl") + ".input.jsonl")
        texts = sibling if sibling.exists() else None
    articles = {str(a["id"]): article_text(a) for a in read_jsonl(texts)} if texts is not None else None
    return score_linking(gold, pred, articles)


def register(app: typer.Typer) -> None:
    from pipeline.cli import open_engine
    from pipeline.cli.progress import record_progress, report_console
    from pipeline.runs import ExitCode

    @app.command("extract-text")
    def extract_text(
        ctx: typer.Context,
        input: str = typer.Argument(
            ..., help="JSON Lines: {id, text, title?, url?, published?}; - reads standard input"
        ),
        output: Path = typer.Option(None, "-o", "--output", help="Output JSON Lines (default: standard output)."),
        provenance: bool = typer.Option(
            False, "--provenance", help="Add confidence and per-field provenance to each event."
        ),
        ner_backend: str = typer.Option(None, "--ner-backend", help=NER_BACKEND_HELP),
        no_ner: bool = typer.Option(False, "--no-ner", help=NO_NER_HELP),
    ) -> None:
        """Extract events from article texts and write one schema record per input (no database)."""
        from pipeline.jsonl import read_articles
        from pipeline.runs.ingest import BatchSummary, extract_records

        if input != "-" and not Path(input).is_file():
            typer.echo(f"error: input {input} is not a file (use - for standard input)", err=True)
            raise typer.Exit(ExitCode.USAGE)
        summary = BatchSummary()
        extractor = _extractor(ctx, ner_backend, no_ner)
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
        ner_backend: str = typer.Option(None, "--ner-backend", help=NER_BACKEND_HELP),
        no_ner: bool = typer.Option(False, "--no-ner", help=NO_NER_HELP),
    ) -> None:
        """Extract events from article texts and store them (re-ingesting a record replaces its events)."""
        from pipeline.cli import settings_of
        from pipeline.runs.ingest import ingest_text as ingest
        from pipeline.store.runs import RunRecorder

        engine = open_engine(ctx, migrate=True)
        extractor = _extractor(ctx, ner_backend, no_ner)
        with RunRecorder.start(engine, "ingest-text", {"input": input}) as run:
            link = settings_of(ctx).incidents.link_settings()
            summary = ingest(engine, input, extractor, run, link=link)
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
        texts: Path = typer.Option(
            None, "--input", help="Article texts for the linking baseline (default: GOLD's sibling *.input.jsonl)."
        ),
    ) -> None:
        """Score PRED against GOLD with the rules of the event schema (per-slot P/R/F1, micro-averaged).

        When GOLD carries clusters and PRED incident ids (python -m pipeline.incidents), article linking is
        scored too, with the 3-gram Jaccard baseline beside it."""
        from rich.table import Table

        from pipeline.evaluate import score
        from pipeline.jsonl import read_jsonl

        gold_records, pred_records = read_jsonl(gold), read_jsonl(pred)
        report = score(gold_records, pred_records)
        linking = _linking(gold, gold_records, pred_records, texts)
        if as_json:
            out = report.as_dict() | ({"linking": linking.as_dict()} if linking is not None else {})
            typer.echo(json.dumps(out, indent=2, ensure_ascii=False))
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
        if linking is not None:
            table = Table(
                title="linking (pairs of gold-relevant articles sharing an incident)",
                caption=f"{linking.articles} articles, {linking.clusters} gold clusters, {linking.gold_pairs} gold pairs",
            )
            for column in ("linker", "tp", "fp", "fn", "precision", "recall", "f1"):
                table.add_column(column, justify="left" if column == "linker" else "right")
            for row in linking.as_rows():
                table.add_row(*(f"{v:.3f}" if isinstance(v, float) else str(v) for v in row.values()))
            console.print(table)
        if errors:  # JSON Lines, one per article: plain writes, never wrapped to the terminal width
            for error in report.errors_as_dicts():
                sys.stdout.write(json.dumps(error, ensure_ascii=False) + "\n")
