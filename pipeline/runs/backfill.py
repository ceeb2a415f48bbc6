"""Backfill: extraction and event extraction over many WARC files on a Dask cluster.

Years of archives or Common Crawl's CC-NEWS outgrow one machine, so the heavy work
runs on Dask (``pip install 'netra[dask]'``): a ``LocalCluster`` of ``--workers``
processes, or any running cluster via ``--scheduler tcp://host:8786``.  Every worker
opens its own engine and writes through the same idempotent upserts as the nightly
run, so a backfill can be interrupted and re-run, and never duplicates a row.

Three phases, so the result equals a single-process ``netra process`` + event
extraction over the same files in the same (sorted) order:

1. *process* (parallel, one task per WARC file): ``process_warcs`` on that file
   → ``documents`` + ``warc_records``.  Records already processed are skipped.
2. *dedup* (serial, on the client, cheap): near-duplicate decisions depend on the
   order documents arrive; workers see each other's files in a racy order, so the
   decisions are recomputed here in file/offset order with the extraction stage's
   own ``DuplicateIndex``, seeded with the documents that existed before.
3. *events* (parallel, documents in chunks): event extraction of every pending
   document (one ``EventExtractor`` per worker process, loaded once).

The backfill holds the ``nightly`` lock: a cron nightly started meanwhile exits 4
instead of racing it on the same documents.
"""

from __future__ import annotations

import glob
import logging
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.logs import get_logger
from pipeline.settings import Settings
from pipeline.store.db import Engine

if TYPE_CHECKING:
    from pipeline.runs.ingest import Extractor

log = get_logger(__name__)

_WORKER_STATE: dict[str, Any] = {}  # per worker process: engines and the loaded extractor


class BackfillError(RuntimeError):
    """The backfill cannot start or its cluster failed as a whole."""


@dataclass
class BackfillReport:
    run_id: int | None = None
    files: int = 0
    files_failed: int = 0
    counts: dict[str, Counter[str]] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    workers: int = 0

    @property
    def exit_code(self) -> int:
        if self.files and self.files_failed == self.files:
            return 3
        return 1 if self.errors else 0

    def summary_line(self) -> str:
        process, events = self.counts.get("process", Counter()), self.counts.get("events", Counter())
        return (
            f"backfill run {self.run_id}: {self.files} files ({self.files_failed} failed) on {self.workers} workers; "
            f"{process.get('extracted', 0)} documents extracted, {process.get('duplicates', 0)} duplicates, "
            f"{events.get('documents', 0)} documents → {events.get('events', 0)} events; "
            f"{len(self.errors)} errors; " + ", ".join(f"{k} {v:.1f}s" for k, v in self.timings.items())
        )


def expand_warcs(patterns: Iterable[str]) -> list[Path]:
    """Files named or matched by ``patterns`` (shell globs, ``**`` allowed), sorted, without repeats."""
    found: set[Path] = set()
    for pattern in patterns:
        matches = glob.glob(pattern, recursive=True) if glob.has_magic(pattern) else [pattern]
        found.update(Path(m).resolve() for m in matches if Path(m).is_file())
    return sorted(found)


# -- worker side ----------------------------------------------------------------------------------


def _worker_engine(db_url: str) -> Engine:
    from pipeline.store.db import open_store

    key = f"engine:{db_url}"
    if key not in _WORKER_STATE:
        _WORKER_STATE[key] = open_store(db_url, migrate=False)  # the client migrated once
    engine: Engine = _WORKER_STATE[key]
    return engine


def _worker_extractor(settings: Settings) -> Extractor:
    key = f"extractor:{settings.nlp.ner_model}"
    if key not in _WORKER_STATE:
        from pipeline.events import EventExtractor

        _WORKER_STATE[key] = EventExtractor(settings)
    extractor: Extractor = _WORKER_STATE[key]
    return extractor


def process_file_task(db_url: str, settings: Settings, path: str) -> dict[str, Any]:
    """Phase 1 on a worker: extract one WARC file into ``documents``."""
    from pipeline.extract.process import process_warcs

    started = time.perf_counter()
    summary = process_warcs(_worker_engine(db_url), settings, [Path(path)], run=None, export=False)
    return {
        "path": path,
        "seconds": time.perf_counter() - started,
        "counts": {
            "records": summary.records,
            "already_done": summary.already_done,
            "extracted": summary.extracted,
            "duplicates": summary.duplicates,
            "failed": summary.failed,
            **{f"skipped.{k}": v for k, v in summary.skipped.items()},
        },
        "read_failures": dict(summary.read_failures),
        "partitions": sorted(summary.partitions),
    }


def pipeline_version_task(settings: Settings) -> str:
    return str(_worker_extractor(settings).pipeline_version)


def events_task(db_url: str, settings: Settings, document_ids: list[int]) -> dict[str, Any]:
    """Phase 3 on a worker: event extraction for these documents (same writes as ``extract_pending``)."""
    from pipeline.store.db import session_scope
    from pipeline.store.documents import document_input, mark_document_failed
    from pipeline.store.events import store_events

    engine = _worker_engine(db_url)
    extractor = _worker_extractor(settings)
    counts: Counter[str] = Counter()
    errors: list[str] = []
    for doc_id in document_ids:
        article = document_input(engine, doc_id, unless_version=extractor.pipeline_version)
        if article is None:
            continue  # gone, or done by an earlier attempt of this task
        try:
            result = extractor.extract(article)
            with session_scope(engine) as session:
                store_events(session, doc_id, result)
        except Exception as exc:  # one bad document never stops the backfill
            message = f"document {article.id!r}: {type(exc).__name__}: {exc}"
            errors.append(message)
            mark_document_failed(engine, doc_id, message)
            continue
        counts["documents"] += 1
        counts["relevant"] += int(result.relevant)
        counts["events"] += len(result.events)
    return {"counts": dict(counts), "errors": errors}


# -- client side ----------------------------------------------------------------------------------


def reconcile_duplicates(engine: Engine, settings: Settings, refs: list[str], before_id: int) -> Counter[str]:
    """Phase 2: redo near-duplicate decisions for the documents of ``refs`` in file/offset order."""
    from pipeline.extract import dedup
    from pipeline.store.documents import document_id_of, processed_documents, recent_first_copies, set_duplicate

    index = dedup.DuplicateIndex()
    for doc_key, text in recent_first_copies(engine, settings.extract.dedup_window, up_to_id=before_id):
        index.add(doc_key, text)
    order = {ref: i for i, ref in enumerate(refs)}
    rows = processed_documents(engine, refs, before_id)
    rows.sort(key=lambda r: (order[r.warc_path], r.offset))
    ids = {r.doc_key: r.id for r in rows}
    changed: Counter[str] = Counter()
    seen: set[int] = set()
    for row in rows:
        if row.id in seen:  # a URL crawled twice: its first record decides
            continue
        seen.add(row.id)
        match = index.find(row.doc_key, row.text or "")
        if match is None:
            index.add(row.doc_key, row.text or "")
            if row.status != "extracted" or row.duplicate_of is not None:
                set_duplicate(engine, row.id, None, None)
                changed["now_original"] += 1
            continue
        first_id = ids.get(match.doc_key)
        if first_id is None:
            first_id = document_id_of(engine, match.doc_key)
        if row.status == "duplicate" and row.duplicate_of == first_id:
            continue
        reason = f"near-duplicate of {match.doc_key} (jaccard {match.similarity:.2f})"
        set_duplicate(engine, row.id, first_id, reason)
        changed["now_duplicate"] += 1
    return changed


def _chunks(ids: list[int], size: int) -> list[list[int]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def run_backfill(
    settings: Settings,
    paths: list[Path],
    workers: int = 2,
    scheduler: str | None = None,
    threads_per_worker: int = 1,
    chunk: int | None = None,
) -> BackfillReport:
    """Process ``paths`` and extract their events on Dask; returns counts, timings and errors."""
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError as exc:  # pragma: no cover - the extra is part of [dev]
        raise BackfillError("backfill needs Dask: pip install 'netra[dask]'") from exc
    from pipeline.extract.process import warc_ref
    from pipeline.store.db import StoreError, open_store
    from pipeline.store.documents import max_document_id, pending_document_ids
    from pipeline.store.locks import LockHeld, RunLock
    from pipeline.store.runs import RunRecorder

    db_url = settings.db_url
    try:
        engine = open_store(db_url, migrate=True)
    except StoreError as exc:
        raise BackfillError(str(exc)) from exc
    from pipeline.crawl import sync_registry_file

    sync_registry_file(engine, settings.crawl.sources_file)  # CC-NEWS pages of registered hosts get their source
    if engine.dialect.name == "sqlite":
        log.warning("backfill into SQLite: workers serialize on the database file; use PostgreSQL to scale out")
    paths = sorted(Path(p).resolve() for p in paths)
    refs = [warc_ref(p, settings.data_dir) for p in paths]
    report = BackfillReport(files=len(paths))
    try:
        lock = RunLock(engine, "nightly").acquire()
    except LockHeld as exc:
        raise BackfillError(str(exc)) from exc
    cluster = None
    try:
        with RunRecorder.start(
            engine, "backfill", {"files": len(paths), "workers": workers, "scheduler": scheduler or "local"}
        ) as run:
            report.run_id = run.id
            if scheduler:
                client = Client(scheduler)
            else:
                cluster = LocalCluster(
                    n_workers=workers,
                    threads_per_worker=threads_per_worker,
                    processes=True,
                    dashboard_address=None,
                    silence_logs=logging.WARNING,
                )
                client = Client(cluster)
            with client:
                report.workers = len(client.scheduler_info().get("workers", {})) or workers
                before_id = max_document_id(engine)

                # 1. process: one task per file, biggest first so the tail is short
                started = time.perf_counter()
                order = sorted(paths, key=lambda p: p.stat().st_size, reverse=True)
                futures = {client.submit(process_file_task, db_url, settings, str(p), pure=False): p for p in order}
                process_counts: Counter[str] = Counter()
                for future in as_completed(futures):
                    path = futures[future]
                    try:
                        out = future.result()
                    except Exception as exc:
                        report.files_failed += 1
                        report.errors.append(f"{path}: {type(exc).__name__}: {exc}")
                        run.add_error("process", str(path), exc)
                        continue
                    process_counts.update(out["counts"])
                    for reason, n in out["read_failures"].items():
                        report.errors.append(f"{path}: unreadable ({reason})")
                        run.add_error("process", str(path), f"{reason}: {n}")
                    for key, n in out["counts"].items():
                        run.count("process", key, n)
                report.timings["process"] = time.perf_counter() - started

                # 2. dedup, serially, in file order
                started = time.perf_counter()
                changed = reconcile_duplicates(engine, settings, refs, before_id)
                for key, n in changed.items():
                    run.count("dedup", key, n)
                report.timings["dedup"] = time.perf_counter() - started

                # 3. events, documents in chunks
                started = time.perf_counter()
                # Build the extractor on every worker at once (it takes seconds), and check they agree.
                addresses = list(client.scheduler_info().get("workers", {})) or [None]
                warm = [
                    client.submit(
                        pipeline_version_task,
                        settings,
                        pure=False,
                        **({"workers": [a], "allow_other_workers": False} if a else {}),
                    )
                    for a in addresses
                ]
                versions = {f.result() for f in warm}
                if len(versions) > 1:
                    raise BackfillError(
                        f"workers run different pipeline versions {sorted(versions)}: "
                        "install the same Netra and models/ner-id on every worker"
                    )
                version = versions.pop()
                pending = pending_document_ids(engine, version)
                size = chunk or max(1, min(200, len(pending) // (max(report.workers, 1) * 4) or 1))
                event_counts: Counter[str] = Counter()
                chunk_futures = [
                    client.submit(events_task, db_url, settings, ids, pure=False) for ids in _chunks(pending, size)
                ]
                for future in as_completed(chunk_futures):
                    try:
                        out = future.result()
                    except Exception as exc:
                        report.errors.append(f"events: {type(exc).__name__}: {exc}")
                        run.add_error("events", "chunk", exc)
                        continue
                    event_counts.update(out["counts"])
                    for key, n in out["counts"].items():
                        run.count("events", key, n)
                    for message in out["errors"]:
                        report.errors.append(message)
                        run.add_error("events", "document", message)
                report.timings["events"] = time.perf_counter() - started
                for stage, seconds in report.timings.items():
                    run.timings[stage] = seconds
            report.counts = {
                "process": Counter(
                    {
                        "extracted": process_counts["extracted"] - changed["now_duplicate"] + changed["now_original"],
                        "duplicates": process_counts["duplicates"] + changed["now_duplicate"] - changed["now_original"],
                        "records": process_counts["records"],
                    }
                ),
                "events": event_counts,
            }
            if report.files and report.files_failed == report.files:
                run.finish("failed")
    finally:
        if cluster is not None:
            cluster.close()
        lock.release()
    return report
