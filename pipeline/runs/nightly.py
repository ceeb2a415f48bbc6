"""The nightly run: crawl → process new WARC records → extract events → store → export.

One run is one row in ``runs`` (kind ``nightly``) with per-stage counters, timings
and errors.  Each stage is idempotent on its own (the crawler skips fetched URLs,
processing skips WARC records already in ``warc_records``, event extraction skips
documents already extracted by this pipeline version, stores are upserts), so the
whole run is idempotent and a run killed at any point is completed by the next.

Stages run in order under a lock (``pipeline.store.locks``); each is a ``Stage``, a function of
the run's ``StageContext``.  A stage that raises is
recorded and the next stages still run on what is there (processing last night's
WARC files is still useful when today's crawl failed); the run then ends
``failed``.  Outcome → exit status:

* ``ok``       every stage ran, no item-level error                  → 0
* ``partial``  every stage ran, some pages/documents/sources failed  → 1
* ``failed``   a stage failed as a whole (database unreachable, WARC
               cannot be written, every source failed, …)           → 3
* the lock is held by another run (nothing done)                     → 4
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from pipeline.logs import get_logger
from pipeline.runs import ExitCode
from pipeline.settings import Settings
from pipeline.store.db import DATABASE_ERRORS, Engine, StoreConfigError, StoreError, is_unreachable, open_store
from pipeline.store.locks import LockHeld, RunLock
from pipeline.store.runs import RunRecorder

if TYPE_CHECKING:
    from pipeline.crawl import CrawlSummary
    from pipeline.extract.process import ProcessSummary
    from pipeline.runs.ingest import BatchSummary, Extractor

log = get_logger(__name__)

STAGES = ("crawl", "process", "events", "incidents", "export")


@dataclass
class NightlyReport:
    status: str  # ok | partial | failed | locked
    exit_code: ExitCode
    run_id: int | None = None
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    stage_status: dict[str, str] = field(default_factory=dict)  # ok | failed | skipped
    stage_errors: dict[str, str] = field(default_factory=dict)
    errors: int = 0
    export_dir: Path | None = None
    message: str = ""
    lock_recovered_from: str | None = None


class StageFailed(RuntimeError):
    """A stage could not do its job as a whole (as opposed to some items failing)."""


@dataclass
class StageContext:
    """What the stages of one run share: inputs, the run's recorder, and each stage's result."""

    settings: Settings
    engine: Engine
    run: RunRecorder
    day: date  # names the export directory
    extractor: Extractor | None = None  # built by the events stage when there is work (or given)
    crawl: CrawlSummary | None = None
    process: ProcessSummary | None = None
    events: BatchSummary | None = None
    export_dir: Path | None = None


class Stage(Protocol):
    """A nightly stage: does its work on ``context``, counters to ``context.run``; raises
    ``StageFailed`` (or anything) when it could not do its job as a whole."""

    def __call__(self, context: StageContext) -> None: ...


# -- stages ---------------------------------------------------------------------------------------


class _WriteFailureWatch(logging.Handler):
    """Collects OS errors (disk full, read-only file system, …) raised while the crawl archives pages."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.failures: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        exc = record.exc_info[1] if record.exc_info else None
        if isinstance(exc, OSError) and record.name.startswith(("scrapy", "netra.crawl")):
            self.failures.append(f"{type(exc).__name__}: {exc}")
        elif failure := getattr(record, "netra_write_failure", None):  # logged as one line by the WARC pipeline
            self.failures.append(failure)


def stage_crawl(context: StageContext) -> None:
    from pipeline.crawl import run_crawl

    run = context.run
    # The crawler records its own ``crawl`` run (with the per-source stats ``netra status``
    # reads), which names this run as its parent; this run keeps the crawl's id and totals.
    watch = _WriteFailureWatch()
    logging.getLogger().addHandler(watch)
    try:
        summary = run_crawl(context.settings, context.engine, parent_run_id=run.id)
    finally:
        logging.getLogger().removeHandler(watch)
    context.crawl = summary
    if summary.run_id:
        run.count("crawl", "crawl_run_id", summary.run_id)
    totals: dict[str, int] = {}
    for counts in summary.sources.values():
        for key, value in counts.items():
            totals[key] = totals.get(key, 0) + value
    for key, value in totals.items():
        run.count("crawl", key, value)
    for name, status in summary.source_status.items():
        if status != "ok":
            run.add_error("crawl", name, f"source {name}: {status} (see netra status)")
    if watch.failures:
        # Scrapy logs an item pipeline's exception and goes on; a page that cannot be archived
        # is not lost (it stays unfetched and is refetched next run), but the disk needs an operator.
        run.count("crawl", "warc_write_failures", len(watch.failures))
        raise StageFailed(
            f"{len(watch.failures)} pages could not be written to the WARC archive "
            f"(first: {watch.failures[0]}); they will be refetched by the next run"
        )
    if summary.all_failed:
        raise StageFailed(f"every source failed ({len(summary.source_status)} sources); see netra status")


def stage_process(context: StageContext) -> None:
    from pipeline.crawl import sync_registry_file
    from pipeline.extract.process import process_warcs

    if context.crawl is None:  # the crawl stored the registry already
        sync_registry_file(context.engine, context.settings.crawl.sources_file)

    context.process = process_warcs(context.engine, context.settings, run=context.run)


def stage_events(context: StageContext) -> None:
    from pipeline.events import expected_pipeline_version
    from pipeline.runs.ingest import BatchSummary, extract_pending
    from pipeline.store.documents import has_pending_documents

    run = context.run
    if context.extractor is None:
        version = expected_pipeline_version(context.settings)
        if not has_pending_documents(context.engine, version):
            # nothing new: do not spend seconds building the NLP pipeline
            run.count("events", "relevant", 0)
            context.events = BatchSummary()
            return
        context.extractor = make_extractor(context.settings)
    summary = extract_pending(context.engine, context.extractor, run, link=context.settings.incidents.link_settings())
    run.count("events", "relevant", summary.relevant)
    context.events = summary


def stage_incidents(context: StageContext) -> None:
    """Incidents: the events stage links each document it stores, in the document's own transaction; this
    stage reports what it did and links what is left unlinked (events stored before the store had
    incidents), a batch of documents per transaction."""
    from pipeline.runs.ingest import link_unlinked

    run = context.run
    if context.events is not None:
        run.count("incidents", "new", context.events.new_incidents)
        run.count("incidents", "joins", context.events.joins)
        run.count("incidents", "merges", context.events.merges)
    caught_up = link_unlinked(context.engine, link=context.settings.incidents.link_settings())
    run.count("incidents", "unlinked_documents_linked", caught_up.stored)
    run.count("incidents", "new", caught_up.new_incidents)
    run.count("incidents", "joins", caught_up.joins)
    run.count("incidents", "merges", caught_up.merges)


def stage_export(context: StageContext) -> None:
    from pipeline.query.export import write_export

    result = write_export(context.engine, context.settings.export_dir, context.day)
    for table, rows in result.rows.items():
        context.run.count("export", table, rows)
    context.export_dir = result.directory


STAGE_FUNCTIONS: Mapping[str, Stage] = {
    "crawl": stage_crawl,
    "process": stage_process,
    "events": stage_events,
    "incidents": stage_incidents,
    "export": stage_export,
}


def make_extractor(settings: Settings) -> Extractor:
    from pipeline.events import EventExtractor

    return EventExtractor(settings)


# -- the run --------------------------------------------------------------------------------------


def run_nightly(
    settings: Settings,
    sources_file: Path | None = None,
    stages: tuple[str, ...] = STAGES,
    day: date | None = None,
    on_stage: Callable[[str, str], None] | None = None,
    on_start: Callable[[RunRecorder], None] | None = None,
) -> NightlyReport:
    """Run the nightly stages once, under the lock; never raises for stage failures.

    A run that cannot start (store, lock) logs nothing: its report's ``message`` says why and
    the caller reports it once; a run that started logs each stage failure as it happens.
    """
    unknown = [s for s in stages if s not in STAGE_FUNCTIONS]
    if unknown:
        raise ValueError(f"unknown stage(s) {unknown}; stages are {', '.join(STAGES)}")
    if sources_file is not None:
        settings = settings.with_crawl(sources_file=Path(sources_file))
    try:
        engine = open_store(settings.db_url, migrate=True)
    except StoreError as exc:
        # Logged once, by the caller (the CLI prints the run's one-line outcome).
        code = ExitCode.USAGE if isinstance(exc, StoreConfigError) else ExitCode.FATAL
        return NightlyReport("failed", code, message=str(exc))
    try:
        lock = RunLock(engine, "nightly").acquire()
    except LockHeld as exc:
        return NightlyReport("locked", ExitCode.LOCKED, message=f"{exc}; not starting")
    except DATABASE_ERRORS as exc:
        return NightlyReport("failed", ExitCode.FATAL, message=f"cannot take the run lock, database unreachable: {exc}")
    try:
        return _run_locked(settings, engine, stages, day, on_stage, on_start, lock)
    except DATABASE_ERRORS as exc:  # lost between the lock and the run record
        return NightlyReport("failed", ExitCode.FATAL, message=f"database unreachable: {exc}")
    finally:
        lock.release()


def _run_locked(
    settings: Settings,
    engine: Engine,
    stages: tuple[str, ...],
    day: date | None,
    on_stage: Callable[[str, str], None] | None,
    on_start: Callable[[RunRecorder], None] | None,
    lock: RunLock,
) -> NightlyReport:
    from pipeline.store.run_history import close_abandoned_runs

    args = {"sources": settings.crawl.sources_file, "stages": ",".join(stages), "data_dir": settings.data_dir}
    abandoned = close_abandoned_runs(engine)
    if abandoned:
        log.warning(
            "nightly: runs %s were killed before finishing; this run completes their work",
            ", ".join(map(str, abandoned)),
        )
    run = RunRecorder.start(engine, "nightly", args)
    if abandoned:
        run.count("run", "resumed_after_killed_runs", len(abandoned))
    if lock.recovered_from:
        run.count("lock", "stale_recovered")
    if on_start is not None:
        on_start(run)
    report = NightlyReport("running", ExitCode.OK, run_id=run.id, lock_recovered_from=lock.recovered_from)
    # The export directory is named by the server's local date: a run at 02:15 WIB is "today" there.
    context = StageContext(settings, engine, run, day or datetime.now().astimezone().date())
    db_down = False
    for stage in STAGES:
        if stage not in stages:
            report.stage_status[stage] = "skipped"
            continue
        if db_down:
            report.stage_status[stage] = "skipped"
            log.error("nightly: stage %s skipped: the database is unreachable", stage)
            continue
        log.info("nightly: stage %s started", stage)
        if on_stage:
            on_stage(stage, "started")
        started = time.perf_counter()
        try:
            try:
                STAGE_FUNCTIONS[stage](context)
            finally:
                # Set, not added: some stage functions time themselves on the same run.
                run.timings[stage] = time.perf_counter() - started
            run.flush()
        except Exception as exc:  # a failing stage is recorded; the rest still run
            db_down = is_unreachable(exc)
            message = f"{type(exc).__name__}: {exc}"
            if db_down:
                message = f"database unreachable during {stage}: {exc}"
            report.stage_status[stage] = "failed"
            report.stage_errors[stage] = message
            log.error(
                "nightly: stage %s FAILED: %s",
                stage,
                message,
                exc_info=not db_down and not isinstance(exc, StageFailed),
            )
            try:
                run.add_error(stage, "stage", message, logged=True)  # the ERROR line above
                run.flush()
            except Exception:
                pass
            if on_stage:
                on_stage(stage, "failed")
            continue
        report.stage_status[stage] = "ok"
        log.info("nightly: stage %s done in %.1fs", stage, run.timings.get(stage, 0.0))
        if on_stage:
            on_stage(stage, "ok")
    report.export_dir = context.export_dir
    if report.stage_errors:
        status, report.exit_code = "failed", ExitCode.FATAL
    elif run.error_total:
        status, report.exit_code = "partial", ExitCode.PARTIAL
    else:
        status, report.exit_code = "ok", ExitCode.OK
    try:
        report.status = run.finish(status)
    except Exception as exc:  # e.g. the database went away at the very end
        log.error("nightly: cannot record the end of run %s: %s", run.id, exc)
        report.status, report.exit_code = "failed", ExitCode.FATAL
    report.counts = {stage: dict(c) for stage, c in run.counts.items()}
    report.timings = dict(run.timings)
    report.errors = run.error_total
    first = next(iter(report.stage_errors.items()), None)
    report.message = f"stage {first[0]} failed: {first[1]}" if first else ""
    return report
