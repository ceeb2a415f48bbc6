"""One run at a time: a named lock around ``netra nightly`` (and ``backfill``).

PostgreSQL: ``pg_try_advisory_lock`` held on a dedicated connection for the whole
run.  The server releases it when that connection ends, so a run killed with
SIGKILL can never leave a stale lock behind.  A row in ``locks`` is written too,
only so that a refused run can say who holds the lock.

SQLite: the ``locks`` row *is* the lock.  It names its holder (``host:pid``) and
carries a heartbeat refreshed by a background thread.  A row is stale, and taken
over, when its pid is no longer alive on this host or its heartbeat is older than
``stale_after`` (a holder on another host, or a frozen one).  The take-over is a
compare-and-swap on the old holder and heartbeat, so two runs recovering the same
stale lock cannot both win.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import socket
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, Engine, delete, insert, select, text, update
from sqlalchemy.exc import IntegrityError

from pipeline.logs import get_logger
from pipeline.store.models import Lock

log = get_logger(__name__)

DEFAULT_STALE_AFTER = timedelta(minutes=10)
HEARTBEAT_EVERY = 30.0  # seconds; well under any sensible stale_after


class LockHeld(RuntimeError):
    """Another run holds the lock; the message says who and since when."""

    def __init__(self, name: str, holder: str | None, since: datetime | None):
        self.name, self.holder, self.since = name, holder, since
        who = f" by {holder}" if holder else ""
        when = f" since {since:%Y-%m-%d %H:%M:%S %Z}" if since else ""
        super().__init__(f"lock {name!r} is held{who}{when}; another run is in progress")


@dataclass(frozen=True)
class LockInfo:
    name: str
    holder: str
    acquired_at: datetime
    heartbeat_at: datetime


def this_holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def advisory_key(name: str) -> int:
    """A stable signed 64-bit key for ``pg_try_advisory_lock`` derived from the lock name."""
    return int.from_bytes(hashlib.sha256(f"netra:{name}".encode()).digest()[:8], "big", signed=True)


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    # A zombie (killed, not yet reaped by its parent) is dead for our purpose.
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            return fh.read().rsplit(")", 1)[-1].split()[0] != "Z"
    except OSError:
        return True


def _aware(value: datetime) -> datetime:
    # SQLite returns naive datetimes for timezone-aware columns; they were written in UTC.
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def is_stale(info: LockInfo, now: datetime, stale_after: timedelta, hostname: str | None = None) -> bool:
    """Dead pid on this host, or no heartbeat for ``stale_after``."""
    hostname = hostname or socket.gethostname()
    host, _, pid = info.holder.rpartition(":")
    if host == hostname and pid.isdigit() and not pid_alive(int(pid)):
        return True
    return now - _aware(info.heartbeat_at) > stale_after


def read_lock(engine: Engine, name: str) -> LockInfo | None:
    with engine.connect() as conn:
        row = conn.execute(select(Lock).where(Lock.name == name)).first()
    if row is None:
        return None
    return LockInfo(row.name, row.holder, _aware(row.acquired_at), _aware(row.heartbeat_at))


class RunLock:
    """``with RunLock(engine, "nightly"):`` — raises ``LockHeld`` when another run holds it."""

    def __init__(
        self,
        engine: Engine,
        name: str = "nightly",
        stale_after: timedelta = DEFAULT_STALE_AFTER,
        heartbeat_every: float = HEARTBEAT_EVERY,
    ):
        self.engine = engine
        self.name = name
        self.stale_after = stale_after
        self.heartbeat_every = heartbeat_every
        self.holder = this_holder()
        self.recovered_from: str | None = None  # holder of a stale lock taken over
        self._conn: Connection | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    # -- acquire / release ---------------------------------------------------------------------
    def acquire(self) -> RunLock:
        if self.is_postgres:
            self._acquire_advisory()
        else:
            self._acquire_row()
        self._thread = threading.Thread(target=self._beat, name=f"lock-heartbeat-{self.name}", daemon=True)
        self._thread.start()
        log.debug("lock %r acquired by %s", self.name, self.holder)
        return self

    def _acquire_advisory(self) -> None:
        conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        got = conn.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": advisory_key(self.name)}).scalar()
        if not got:
            conn.close()
            info = read_lock(self.engine, self.name)
            raise LockHeld(self.name, info.holder if info else None, info.acquired_at if info else None)
        self._conn = conn
        # The advisory lock is the lock; the row only tells others who holds it.  A row left by a
        # killed holder is simply overwritten: holding the advisory lock proves it is stale.
        now = datetime.now(UTC)
        previous = read_lock(self.engine, self.name)
        if previous is not None:
            self.recovered_from = previous.holder
            log.warning(
                "lock %r: replacing the record of %s, which ended without releasing it", self.name, previous.holder
            )
        conn.execute(delete(Lock).where(Lock.name == self.name))
        conn.execute(insert(Lock).values(name=self.name, holder=self.holder, acquired_at=now, heartbeat_at=now))

    def _acquire_row(self) -> None:
        now = datetime.now(UTC)
        with self.engine.begin() as conn:
            try:
                conn.execute(insert(Lock).values(name=self.name, holder=self.holder, acquired_at=now, heartbeat_at=now))
                return
            except IntegrityError:
                pass
        info = read_lock(self.engine, self.name)
        if info is None:  # released between our insert and our read: try once more
            return self._acquire_row()
        if not is_stale(info, now, self.stale_after):
            raise LockHeld(self.name, info.holder, info.acquired_at)
        with self.engine.begin() as conn:
            taken = conn.execute(
                update(Lock)
                .where(Lock.name == self.name, Lock.holder == info.holder, Lock.heartbeat_at == info.heartbeat_at)
                .values(holder=self.holder, acquired_at=now, heartbeat_at=now)
            ).rowcount
        if taken != 1:  # another run recovered it first
            latest = read_lock(self.engine, self.name)
            raise LockHeld(self.name, latest.holder if latest else None, latest.acquired_at if latest else None)
        self.recovered_from = info.holder
        log.warning(
            "lock %r: recovered a stale lock of %s (last heartbeat %s)",
            self.name,
            info.holder,
            f"{info.heartbeat_at:%Y-%m-%d %H:%M:%S}",
        )

    def release(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        try:
            with self.engine.begin() as conn:
                conn.execute(delete(Lock).where(Lock.name == self.name, Lock.holder == self.holder))
        except Exception as exc:
            log.warning("lock %r: could not remove the lock record: %s", self.name, exc)
        if self._conn is not None:
            with contextlib.suppress(Exception):
                self._conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": advisory_key(self.name)})
            self._conn.close()
            self._conn = None
        log.debug("lock %r released by %s", self.name, self.holder)

    def _beat(self) -> None:
        while not self._stop.wait(self.heartbeat_every):
            try:
                with self.engine.begin() as conn:
                    conn.execute(
                        update(Lock)
                        .where(Lock.name == self.name, Lock.holder == self.holder)
                        .values(heartbeat_at=datetime.now(UTC))
                    )
            except Exception as exc:
                log.debug("lock %r heartbeat failed: %s", self.name, exc)

    def __enter__(self) -> RunLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()
