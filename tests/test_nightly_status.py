"""``netra status``'s health computations and the closing of killed runs."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from pipeline.store.db import session_scope
from pipeline.store.models import Run, RunSourceStat
from pipeline.store.run_history import close_abandoned_runs, recent_runs, source_health

START = datetime(2026, 11, 1, 2, 15, tzinfo=UTC)


def _crawl_run(
    engine,
    night: int,
    sources: dict[str, tuple[str, dict]],
    status: str = "ok",
    pid: int | None = None,
    host: str | None = None,
) -> int:
    with session_scope(engine) as session:
        run = Run(
            kind="crawl",
            status=status,
            started_at=START + timedelta(days=night),
            finished_at=START + timedelta(days=night, minutes=20),
            pipeline_version="t",
            host=host,
            pid=pid,
            counts={},
            timings={},
            errors=[],
        )
        session.add(run)
        session.flush()
        for name, (source_status, counts) in sources.items():
            session.add(RunSourceStat(run_id=run.id, source_name=name, status=source_status, counts=counts))
        return run.id


def test_failing_streak_last_success_and_error_rate(engine):
    healthy = ("ok", {"fetched": 10, "errors": 0})
    _crawl_run(engine, 0, {"a": healthy, "b": healthy, "c": healthy})
    _crawl_run(
        engine,
        1,
        {"a": ("failed", {"fetched": 0, "errors": 4}), "b": healthy, "c": ("partial", {"fetched": 8, "errors": 2})},
    )
    _crawl_run(engine, 2, {"a": ("failed", {"fetched": 0, "errors": 4}), "b": healthy, "c": healthy})
    _crawl_run(
        engine,
        3,
        {"a": ("failed", {"fetched": 0, "errors": 4}), "b": healthy, "c": ("partial", {"fetched": 9, "errors": 1})},
    )
    health = {h.name: h for h in source_health(engine)}
    a, b, c = health["a"], health["b"], health["c"]
    assert (a.failing_streak, a.verdict(), a.failed_runs, a.runs) == (3, "FAILING", 3, 4)
    assert a.last_success_at == START and a.last_status == "failed"
    assert a.error_rate == 12 / 22  # 12 errors over 10 fetched + 12 failed attempts
    assert (b.failing_streak, b.verdict(), b.error_rate) == (0, "ok", 0.0)
    assert b.last_success_at == START + timedelta(days=3)
    assert (c.failing_streak, c.verdict()) == (1, "degraded")
    assert c.last_success_at == START + timedelta(days=2)
    assert next(h.name for h in source_health(engine)) == "a"  # worst first
    assert source_health(engine, window=1)[0].runs == 1


def test_killed_runs_on_this_host_are_closed_live_ones_are_not(engine):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    killed = _crawl_run(engine, 0, {}, status="running", pid=dead.pid, host=socket.gethostname())
    alive = _crawl_run(engine, 1, {}, status="running", pid=os.getpid(), host=socket.gethostname())
    elsewhere = _crawl_run(engine, 2, {}, status="running", pid=dead.pid, host="another-host")
    assert close_abandoned_runs(engine) == [killed]
    with engine.connect() as conn:
        status = dict(conn.execute(select(Run.id, Run.status)).all())
    assert status == {killed: "failed", alive: "running", elsewhere: "running"}
    (run,) = [r for r in recent_runs(engine) if r.id == killed]
    assert "ended without finishing" in run.first_error
