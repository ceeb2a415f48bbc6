"""Recording ingestion runs: status, per-stage counters, timings and errors in ``runs``.

Counters are flushed to the database every few seconds (and at the end), so a
run killed with SIGKILL still leaves what it had done visible to ``netra status``.
"""

from __future__ import annotations

import os
import socket
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from types import TracebackType
from typing import Any

from sqlalchemy import Engine

from pipeline import __version__
from pipeline.logs import get_logger
from pipeline.store.db import session_scope
from pipeline.store.models import Run, RunSourceStat

log = get_logger(__name__)

MAX_ERRORS = 200  # errors kept verbatim per run; all are counted


class RunRecorder:
    def __init__(self, engine: Engine, run_id: int, flush_every: float = 5.0):
        self.engine = engine
        self.id = run_id
        self.counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.timings: dict[str, float] = defaultdict(float)
        self.errors: list[dict[str, str]] = []
        self.error_total = 0
        self.sources: dict[str, tuple[dict[str, int], str]] = {}
        self._flush_every = flush_every
        self._last_flush = time.monotonic()
        self.status = "running"

    @classmethod
    def start(cls, engine: Engine, kind: str, args: dict[str, Any] | None = None) -> RunRecorder:
        with session_scope(engine) as session:
            run = Run(
                kind=kind,
                status="running",
                started_at=datetime.now(UTC),
                pipeline_version=__version__,
                host=socket.gethostname(),
                pid=os.getpid(),
                args={k: str(v) for k, v in (args or {}).items()},
                counts={},
                timings={},
                errors=[],
            )
            session.add(run)
            session.flush()
            run_id = run.id
        log.debug("run %s (%s) started", run_id, kind)
        return cls(engine, run_id)

    # -- recording ---------------------------------------------------------------------------
    def count(self, stage: str, key: str, n: int = 1) -> None:
        self.counts[stage][key] += n
        self._maybe_flush()

    def add_error(self, stage: str, where: str, error: BaseException | str, logged: bool = False) -> None:
        """Record an error of the run; ``logged``: the caller has already logged it (once is enough)."""
        message = f"{type(error).__name__}: {error}" if isinstance(error, BaseException) else str(error)
        self.error_total += 1
        self.counts[stage]["errors"] += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append({"stage": stage, "where": where, "error": message[:1000]})
        if not logged:
            log.warning("%s: %s: %s", stage, where, message)
        self._maybe_flush()

    @contextmanager
    def timed(self, stage: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.timings[stage] += time.perf_counter() - started

    def source_stat(self, name: str, counts: dict[str, int], status: str) -> None:
        self.sources[name] = (dict(counts), status)

    # -- persistence -------------------------------------------------------------------------
    def _maybe_flush(self) -> None:
        if time.monotonic() - self._last_flush >= self._flush_every:
            self.flush()

    def flush(self) -> None:
        with session_scope(self.engine) as session:
            run = session.get(Run, self.id)
            if run is None:  # pragma: no cover - runs are never deleted
                raise LookupError(f"run {self.id} is not in the store")
            run.counts = {stage: dict(c) for stage, c in self.counts.items()}
            run.timings = {stage: round(t, 3) for stage, t in self.timings.items()}
            run.errors = list(self.errors)
            run.status = self.status
            if self.status != "running":
                run.finished_at = datetime.now(UTC)
            for name, (counts, status) in self.sources.items():
                session.merge(RunSourceStat(run_id=self.id, source_name=name, status=status, counts=counts))
        self._last_flush = time.monotonic()

    def finish(self, status: str | None = None) -> str:
        self.status = status or ("partial" if self.error_total else "ok")
        self.flush()
        return self.status

    def __enter__(self) -> RunRecorder:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc is not None:
            self.add_error("run", "run", exc)
            self.finish("failed")
        elif self.status == "running":
            self.finish()
