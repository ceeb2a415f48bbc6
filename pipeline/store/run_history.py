"""Health of the nightly ingestion: recent runs, and per-source health over the last nights.

A source is *failing* in a run when its ``run_source_stats`` status is not ``ok``.
``failing_streak`` counts the most recent consecutive runs in which it failed;
``status`` flags it ``FAILING`` at ``streak_alert`` nights or more (default 3), so an
operator sees a broken source without reading logs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, select

from pipeline.store.models import Run, RunSourceStat

STREAK_ALERT = 3
WINDOW = 14  # runs considered for error rates


@dataclass
class SourceHealth:
    name: str
    runs: int = 0  # runs in the window that crawled this source
    failed_runs: int = 0
    last_status: str | None = None
    last_run_at: datetime | None = None
    last_success_at: datetime | None = None
    failing_streak: int = 0
    errors: int = 0
    attempts: int = 0
    last_counts: dict[str, Any] = field(default_factory=dict)

    @property
    def error_rate(self) -> float | None:
        """Errors per attempted fetch over the window (None when nothing was attempted)."""
        return self.errors / self.attempts if self.attempts else None

    def verdict(self, streak_alert: int = STREAK_ALERT) -> str:
        if self.failing_streak >= streak_alert:
            return "FAILING"
        if self.failing_streak:
            return "degraded"
        return "ok"


@dataclass
class RunSummary:
    id: int
    kind: str
    status: str
    started_at: datetime
    finished_at: datetime | None
    counts: dict[str, Any]
    timings: dict[str, float]
    errors: int
    first_error: str | None

    @property
    def seconds(self) -> float | None:
        if self.finished_at is None:
            return None
        return (_aware(self.finished_at) - _aware(self.started_at)).total_seconds()


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _errors_and_attempts(counts: dict[str, Any]) -> tuple[int, int]:
    """Read the crawler's per-source counters without depending on their exact names."""
    errors = sum(int(v) for k, v in counts.items() if k == "errors" or k.startswith(("error", "failed")))
    attempts = int(counts["requests"]) if "requests" in counts else int(counts.get("fetched", 0)) + errors
    return errors, max(attempts, errors)


def recent_runs(engine: Engine, limit: int = 10, kinds: tuple[str, ...] | None = None) -> list[RunSummary]:
    stmt = select(Run).order_by(Run.started_at.desc(), Run.id.desc()).limit(limit)
    if kinds:
        stmt = stmt.where(Run.kind.in_(kinds))
    with engine.connect() as conn:
        rows = conn.execute(stmt).all()
    out = []
    for r in rows:
        errors = list(r.errors or [])
        total_errors = sum(int(c.get("errors", 0)) for c in (r.counts or {}).values() if isinstance(c, dict))
        first = errors[0] if errors else None
        out.append(
            RunSummary(
                id=r.id,
                kind=r.kind,
                status=r.status,
                started_at=_aware(r.started_at),
                finished_at=_utc(r.finished_at),
                counts=dict(r.counts or {}),
                timings=dict(r.timings or {}),
                errors=max(total_errors, len(errors)),
                first_error=f"{first.get('stage')}: {first.get('where')}: {first.get('error')}" if first else None,
            )
        )
    return out


def source_health(engine: Engine, window: int = WINDOW, kinds: tuple[str, ...] = ("crawl",)) -> list[SourceHealth]:
    """Per-source health over the last ``window`` runs of ``kinds`` that recorded that source.

    The crawler records each crawl (its own or one started by ``netra nightly``) as a
    ``crawl`` run with one ``run_source_stats`` row per source.
    """
    stmt = (
        select(RunSourceStat.source_name, RunSourceStat.status, RunSourceStat.counts, Run.started_at, Run.id)
        .join(Run, Run.id == RunSourceStat.run_id)
        .where(Run.kind.in_(kinds))
        .order_by(RunSourceStat.source_name, Run.started_at.desc(), Run.id.desc())
    )
    with engine.connect() as conn:
        rows = conn.execute(stmt).all()
    health: dict[str, SourceHealth] = {}
    streak_open: dict[str, bool] = {}
    for name, status, counts, started_at, _run_id in rows:
        h = health.setdefault(name, SourceHealth(name))
        started_at = _aware(started_at)
        ok = status == "ok"
        if h.last_status is None:
            h.last_status, h.last_run_at, h.last_counts = status, started_at, dict(counts or {})
            streak_open[name] = True
        if ok and h.last_success_at is None:
            h.last_success_at = started_at
        if streak_open[name]:
            if ok:
                streak_open[name] = False
            else:
                h.failing_streak += 1
        if h.runs < window:
            h.runs += 1
            h.failed_runs += not ok
            errors, attempts = _errors_and_attempts(dict(counts or {}))
            h.errors += errors
            h.attempts += attempts
    return sorted(health.values(), key=lambda h: (-h.failing_streak, h.name))


def close_abandoned_runs(engine: Engine) -> list[int]:
    """Mark ``running`` runs of dead processes on this host as ``failed`` (killed); return their ids.

    Call it only while holding the nightly lock: then no live nightly exists, and a
    ``running`` row whose pid is gone was killed (SIGKILL, OOM, power loss) mid-run.
    """
    import socket

    from sqlalchemy import update

    from pipeline.store.locks import pid_alive

    host = socket.gethostname()
    with engine.connect() as conn:
        rows = conn.execute(select(Run.id, Run.pid, Run.errors).where(Run.status == "running", Run.host == host)).all()
    closed = []
    with engine.begin() as conn:
        for run_id, pid, errors in rows:
            if pid is None or pid_alive(pid):
                continue
            note = {"stage": "run", "where": "run", "error": f"process {pid} ended without finishing the run (killed?)"}
            conn.execute(
                update(Run)
                .where(Run.id == run_id, Run.status == "running")
                .values(status="failed", errors=[*list(errors or []), note])
            )
            closed.append(run_id)
    return closed
