"""The nightly run lock: exclusive, informative when held, recovered after a SIGKILL or a stale heartbeat."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert, select

from pipeline.store.locks import LockHeld, LockInfo, RunLock, is_stale, pid_alive, read_lock
from pipeline.store.models import Lock

HOLD = """
import sys, time
from pipeline.store.db import open_store
from pipeline.store.locks import RunLock
lock = RunLock(open_store(sys.argv[1], migrate=True), "nightly", heartbeat_every=0.2).acquire()
print("locked", flush=True)
time.sleep(120)
"""


def _holder_process(db_url: str) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLD, db_url], stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    assert line.strip() == "locked", f"holder did not take the lock (got {line!r}, exit {proc.poll()})"
    return proc


def test_exclusive_within_and_across_processes_then_recovered_after_sigkill(db_url, engine):
    proc = _holder_process(db_url)
    try:
        with pytest.raises(LockHeld, match=rf"held by .*:{proc.pid}") as info:
            RunLock(engine, "nightly").acquire()
        assert info.value.holder.endswith(f":{proc.pid}")
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    # The killed holder never released it: SQLite sees a dead pid, PostgreSQL a closed session.
    deadline = time.monotonic() + 10
    while True:
        try:
            lock = RunLock(engine, "nightly").acquire()
            break
        except LockHeld:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
    try:
        assert lock.recovered_from is not None and lock.recovered_from.endswith(f":{proc.pid}")
        assert read_lock(engine, "nightly").holder == lock.holder
        with pytest.raises(LockHeld):
            RunLock(engine, "nightly").acquire()
    finally:
        lock.release()
    assert read_lock(engine, "nightly") is None
    with RunLock(engine, "nightly") as again:  # released cleanly: free again, nothing to recover
        assert again.recovered_from is None


def test_locks_with_different_names_do_not_conflict(engine):
    with RunLock(engine, "nightly"), RunLock(engine, "backfill"), pytest.raises(LockHeld):
        RunLock(engine, "backfill").acquire()


def test_heartbeat_advances(engine):
    with RunLock(engine, "nightly", heartbeat_every=0.1):
        first = read_lock(engine, "nightly").heartbeat_at
        time.sleep(0.5)
        assert read_lock(engine, "nightly").heartbeat_at > first


def _sqlite_engine(tmp_path):
    from pipeline.store.db import open_store

    return open_store(f"sqlite:///{tmp_path / 'lock.db'}", migrate=True)


def _plant(engine, holder: str, heartbeat_age: timedelta) -> None:
    now = datetime.now(UTC)
    with engine.begin() as conn:
        conn.execute(
            insert(Lock).values(
                name="nightly", holder=holder, acquired_at=now - heartbeat_age, heartbeat_at=now - heartbeat_age
            )
        )


def test_sqlite_row_of_other_host_kept_while_heartbeat_fresh_then_taken_over(tmp_path):
    engine = _sqlite_engine(tmp_path)
    _plant(engine, "other-host:4242", timedelta(minutes=1))
    with pytest.raises(LockHeld, match="other-host:4242"):
        RunLock(engine, "nightly", stale_after=timedelta(minutes=10)).acquire()
    with engine.begin() as conn:
        conn.execute(Lock.__table__.update().values(heartbeat_at=datetime.now(UTC) - timedelta(minutes=11)))
    with RunLock(engine, "nightly", stale_after=timedelta(minutes=10)) as lock:
        assert lock.recovered_from == "other-host:4242"
        with engine.connect() as conn:
            assert conn.execute(select(Lock.holder)).scalars().all() == [lock.holder]


def test_sqlite_live_pid_on_this_host_is_respected(tmp_path):
    import socket

    engine = _sqlite_engine(tmp_path)
    _plant(engine, f"{socket.gethostname()}:{os.getppid()}", timedelta(seconds=5))  # our parent: alive
    with pytest.raises(LockHeld):
        RunLock(engine, "nightly").acquire()


def test_is_stale_rules():
    now = datetime.now(UTC)
    fresh = LockInfo("n", "h:1", now, now)
    assert not is_stale(LockInfo("n", f"h:{os.getpid()}", now, now), now, timedelta(minutes=5), hostname="h")
    assert is_stale(LockInfo("n", "h:999999999", now, now), now, timedelta(minutes=5), hostname="h")
    assert not is_stale(fresh, now, timedelta(minutes=5), hostname="elsewhere")
    assert is_stale(fresh, now + timedelta(minutes=6), timedelta(minutes=5), hostname="elsewhere")
    assert pid_alive(os.getpid()) and not pid_alive(999999999)
