"""The nightly run: crawl → process new WARC records → extract events → store → export.

One run is one row in ``runs`` (kind ``nightly``) with per-stage counters, timings
and errors.  Each stage is idempotent on its own (the crawler skips fetched URLs,
processing skips WARC records already in ``warc_records``, event extraction skips
documents already extracted by this pipeline version, stores are upserts), so the
whole run is idempotent and a run killed at any point is completed by the next.

Stages run in order under a lock (``pipeline.ops.lock``).  A stage that raises is
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

import inspect
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, OperationalError

from pipeline.ops.lock import LockHeld, RunLock
from pipeline.settings import Settings
from pipeline.store.db import StoreError, open_store
from pipeline.store.runs import RunRecorder

log = logging.getLogger(__name__)

STAGES = ("crawl", "process", "events", "export")
EXIT_OK, EXIT_PARTIAL, EXIT_FATAL, EXIT_LOCKED = 0, 1, 3, 4


@dataclass
class NightlyReport:
    status: str  # ok | partial | failed | locked
    exit_code: int
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


def _call(fn: Callable, *args: Any, **kwargs: Any) -> Any:
    """Call ``fn`` with the keyword arguments it accepts (the stage modules evolve independently)."""
    params = inspect.signature(fn).parameters
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
        return fn(*args, **kwargs)
    return fn(*args, **{k: v for k, v in kwargs.items() if k in params})


def _is_db_down(exc: BaseException) -> bool:
    return isinstance(exc, (StoreError, OperationalError)) or (
        isinstance(exc, DBAPIError) and bool(getattr(exc, "connection_invalidated", False))
    )


# -- stages ---------------------------------------------------------------------------------------
# Each takes (settings, engine, run, context) and returns nothing; counters go to ``run``.


class _WriteFailureWatch(logging.Handler):
    """Collects OS errors (disk full, read-only file system, …) raised while the crawl archives pages."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.failures: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        exc = record.exc_info[1] if record.exc_info else None
        if isinstance(exc, OSError) and record.name.startswith(("scrapy", "pipeline.crawl")):
            self.failures.append(f"{type(exc).__name__}: {exc}")


def stage_crawl(settings: Settings, engine: Engine, run: RunRecorder, context: dict) -> None:
    from pipeline.crawl import run_crawl

    # The crawler records its own ``crawl`` run (with the per-source stats ``netra status``
    # reads); the nightly run keeps its id and the totals.
    watch = _WriteFailureWatch()
    logging.getLogger().addHandler(watch)
    try:
        summary = _call(run_crawl, settings, engine, run=run)
    finally:
        logging.getLogger().removeHandler(watch)
    context["crawl"] = summary
    if getattr(summary, "run_id", None):
        run.count("crawl", "crawl_run_id", summary.run_id)
    totals: dict[str, int] = {}
    for counts in (getattr(summary, "sources", None) or {}).values():
        for key, value in counts.items():
            if isinstance(value, int):
                totals[key] = totals.get(key, 0) + value
    for key, value in totals.items():
        run.count("crawl", key, value)
    failing = [name for name, status in (getattr(summary, "source_status", None) or {}).items() if status != "ok"]
    for name in failing:
        run.add_error("crawl", name, f"source {name}: {summary.source_status[name]} (see netra status)")
    if watch.failures:
        # Scrapy logs an item pipeline's exception and goes on; a page that cannot be archived
        # is not lost (it stays unfetched and is refetched next run), but the disk needs an operator.
        run.count("crawl", "warc_write_failures", len(watch.failures))
        raise StageFailed(
            f"{len(watch.failures)} pages could not be written to the WARC archive "
            f"(first: {watch.failures[0]}); they will be refetched by the next run"
        )
    if getattr(summary, "all_failed", False):
        raise StageFailed(f"every source failed ({len(summary.source_status)} sources); see netra status")


def stage_process(settings: Settings, engine: Engine, run: RunRecorder, context: dict) -> None:
    from pipeline.extract.process import process_warcs

    context["process"] = _call(process_warcs, engine, settings, run=run)


def stage_events(settings: Settings, engine: Engine, run: RunRecorder, context: dict) -> None:
    from pipeline.events import expected_pipeline_version
    from pipeline.ingest import BatchSummary, extract_pending
    from pipeline.store.db import session_scope
    from pipeline.store.repository import pending_documents

    extractor = context.get("extractor")
    if extractor is None:
        with session_scope(engine) as session:
            idle = not pending_documents(session, expected_pipeline_version(settings), 1)
        if idle:  # nothing new: do not spend seconds building the NLP pipeline
            run.count("events", "relevant", 0)
            context["events"] = BatchSummary()
            return
        extractor = make_extractor(settings)
    summary = extract_pending(engine, extractor, run)
    run.count("events", "relevant", summary.relevant)
    context["events"] = summary


def stage_export(settings: Settings, engine: Engine, run: RunRecorder, context: dict) -> None:
    from pipeline.query.export import write_export

    result = write_export(engine, export_root(settings), context.get("day"))
    for table, rows in result.rows.items():
        run.count("export", table, rows)
    context["export_dir"] = result.directory


STAGE_FUNCTIONS: dict[str, Callable[[Settings, Engine, RunRecorder, dict], None]] = {
    "crawl": stage_crawl,
    "process": stage_process,
    "events": stage_events,
    "export": stage_export,
}


def make_extractor(settings: Settings):
    from pipeline.events import EventExtractor

    return EventExtractor(settings)


def export_root(settings: Settings) -> Path:
    return settings.processed_dir / "exports"


# -- the run --------------------------------------------------------------------------------------


def run_nightly(
    settings: Settings,
    sources_file: Path | None = None,
    stages: tuple[str, ...] = STAGES,
    day: date | None = None,
    on_stage: Callable[[str, str], None] | None = None,
    on_start: Callable[[RunRecorder], None] | None = None,
) -> NightlyReport:
    """Run the nightly stages once, under the lock; never raises for stage failures."""
    from pipeline.ops.faults import install_fault_injection

    install_fault_injection(settings)
    unknown = [s for s in stages if s not in STAGE_FUNCTIONS]
    if unknown:
        raise ValueError(f"unknown stage(s) {unknown}; stages are {', '.join(STAGES)}")
    if sources_file is not None:
        settings = settings.with_crawl(sources_file=Path(sources_file))
    try:
        engine = open_store(settings.db_url)
    except StoreError as exc:
        log.error("nightly: %s", exc)
        return NightlyReport("failed", EXIT_FATAL, message=str(exc))
    try:
        lock = RunLock(engine, "nightly").acquire()
    except LockHeld as exc:
        log.error("nightly: %s; not starting (exit %d)", exc, EXIT_LOCKED)
        return NightlyReport("locked", EXIT_LOCKED, message=str(exc))
    except (OperationalError, DBAPIError) as exc:
        log.error("nightly: cannot take the run lock, database unreachable: %s", exc)
        return NightlyReport("failed", EXIT_FATAL, message=str(exc))
    try:
        return _run_locked(settings, engine, stages, day, on_stage, on_start, lock)
    except (OperationalError, DBAPIError, StoreError) as exc:  # lost between the lock and the run record
        log.error("nightly: database unreachable: %s", exc)
        return NightlyReport("failed", EXIT_FATAL, message=f"database unreachable: {exc}")
    finally:
        lock.release()


def _run_locked(settings, engine, stages, day, on_stage, on_start, lock: RunLock) -> NightlyReport:
    from pipeline.ops.status import close_abandoned_runs

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
    report = NightlyReport("running", EXIT_OK, run_id=run.id, lock_recovered_from=lock.recovered_from)
    # The export directory is named by the server's local date: a run at 02:15 WIB is "today" there.
    context: dict[str, Any] = {"day": day or datetime.now().astimezone().date()}
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
                STAGE_FUNCTIONS[stage](settings, engine, run, context)
            finally:
                # Set, not added: some stage functions time themselves on the same run.
                run.timings[stage] = time.perf_counter() - started
            run.flush()
        except Exception as exc:
            db_down = _is_db_down(exc)
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
                run.add_error(stage, "stage", message)
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
    report.export_dir = context.get("export_dir")
    if report.stage_errors:
        status, report.exit_code = "failed", EXIT_FATAL
    elif run.error_total:
        status, report.exit_code = "partial", EXIT_PARTIAL
    else:
        status, report.exit_code = "ok", EXIT_OK
    try:
        report.status = run.finish(status)
    except Exception as exc:
        log.error("nightly: cannot record the end of run %s: %s", run.id, exc)
        report.status, report.exit_code = "failed", EXIT_FATAL
    report.counts = {stage: dict(c) for stage, c in run.counts.items()}
    report.timings = dict(run.timings)
    report.errors = run.error_total
    first = next(iter(report.stage_errors.items()), None)
    report.message = f"stage {first[0]} failed: {first[1]}" if first else ""
    return report


# -- logging discipline ---------------------------------------------------------------------------

NOISY_LOGGERS = ("scrapy", "twisted", "py.warnings", "distributed", "trafilatura", "htmldate", "filelock")


class _QuietThirdParty(logging.Filter):
    """Drop third-party records below WARNING (and their deprecation warnings).

    Scrapy resets the levels of its loggers when a crawl starts, so the levels set by
    ``configure_logging`` do not hold; a filter on the root handlers does.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith(NOISY_LOGGERS):
            if record.levelno < logging.WARNING:
                return False
            if record.name == "py.warnings" and "Deprecat" in record.getMessage():
                return False
        return True


def quiet_third_party_logging() -> None:
    """Keep cron output to what matters: our warnings/errors and third-party ones (not their chatter)."""
    import warnings

    root = logging.getLogger()
    if root.isEnabledFor(logging.DEBUG):
        return  # -vv: everything
    logging.captureWarnings(True)  # warnings become log records: JSON lines in json mode
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    for handler in root.handlers:
        handler.setLevel(max(handler.level, root.level))  # records propagated from reset loggers too
        if not any(isinstance(f, _QuietThirdParty) for f in handler.filters):
            handler.addFilter(_QuietThirdParty())


# -- terminal progress ----------------------------------------------------------------------------


class StageProgress:
    """Rich progress rows (one per stage) fed from the run's live counters; terminals only."""

    def __init__(self, stages: tuple[str, ...]):
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("[bold]{task.description:<8}"),
            TextColumn("{task.fields[status]:<8}"),
            TextColumn("{task.fields[counts]}"),
            TimeElapsedColumn(),
        )
        self.tasks = {s: self.progress.add_task(s, start=False, status="waiting", counts="", total=1) for s in stages}
        self.run: RunRecorder | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def on_start(self, run: RunRecorder) -> None:
        self.run = run

    def on_stage(self, stage: str, event: str) -> None:
        task = self.tasks.get(stage)
        if task is None:
            return
        if event == "started":
            self.progress.start_task(task)
            self.progress.update(task, status="running")
        else:
            self.progress.update(task, status=event, completed=1)
            self.progress.stop_task(task)
            self._refresh()

    def _refresh(self) -> None:
        if self.run is None:
            return
        for stage, task in self.tasks.items():
            counts = dict(self.run.counts.get(stage, {}))
            text = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()) if "." not in k)
            self.progress.update(task, counts=text[:100])

    def _poll(self) -> None:
        while not self._stop.wait(0.5):
            self._refresh()

    def __enter__(self) -> StageProgress:
        self.progress.start()
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._refresh()
        self.progress.stop()


def summary_table(report: NightlyReport):
    """A rich table: one row per stage with its status, counters and time."""
    from rich.table import Table

    title = f"nightly run {report.run_id or '-'}: {report.status}"
    table = Table(title=title, title_justify="left")
    table.add_column("stage")
    table.add_column("status")
    table.add_column("counts", overflow="fold")
    table.add_column("seconds", justify="right")
    for stage in STAGES:
        status = report.stage_status.get(stage, "-")
        counts = report.counts.get(stage, {})
        text = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
        if stage in report.stage_errors:
            text = (text + "\n" if text else "") + f"[red]{report.stage_errors[stage]}[/red]"
        style = {"ok": "green", "failed": "bold red", "skipped": "dim"}.get(status, "")
        table.add_row(
            stage, f"[{style}]{status}[/{style}]" if style else status, text, f"{report.timings.get(stage, 0.0):.1f}"
        )
    return table
