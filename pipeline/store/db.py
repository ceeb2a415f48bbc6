"""Engines, sessions and schema migrations for SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from pipeline.logs import get_logger

if TYPE_CHECKING:  # alembic is imported where migrations run: a CLI start that needs none skips it
    from alembic.config import Config

log = get_logger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class StoreError(RuntimeError):
    """The database cannot be reached or is not in a usable state."""


__all__ = [
    "DATABASE_ERRORS",
    "Engine",
    "Session",
    "StoreError",
    "display_url",
    "is_unreachable",
    "open_store",
    "session_scope",
]

# What a caller outside the store catches when the database fails (SQLAlchemy's DBAPIError covers
# every driver error: connection refused, server gone, disk full, ...).
DATABASE_ERRORS: tuple[type[Exception], ...] = (StoreError, DBAPIError)


def is_unreachable(exc: BaseException) -> bool:
    """Whether ``exc`` means the database itself is down (rather than one statement failing)."""
    return isinstance(exc, (StoreError, OperationalError)) or (
        isinstance(exc, DBAPIError) and bool(getattr(exc, "connection_invalidated", False))
    )


def display_url(url: str) -> str:
    """``url`` as it may be shown or logged: the password masked."""
    return make_url(url).render_as_string(hide_password=True)


def normalize_url(url: str) -> str:
    """Use psycopg 3 for plain ``postgresql://`` URLs (SQLAlchemy would pick psycopg2)."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:  # pragma: no cover - exercised via every SQLite test
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def make_engine(url: str) -> Engine:
    url = normalize_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    return engine


@lru_cache(maxsize=8)
def get_engine(url: str) -> Engine:
    return make_engine(url)


def alembic_config(engine: Engine | None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["engine"] = engine
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config(None)).get_current_head()
    if head is None:  # pragma: no cover - the package ships its migrations
        raise StoreError(f"no migrations found in {MIGRATIONS_DIR}")
    return head


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` (migrations are the only way the schema changes)."""
    from alembic import command

    try:
        command.upgrade(alembic_config(engine), revision)
    except OperationalError as exc:
        raise StoreError(f"cannot migrate database {engine.url.render_as_string()}: {exc.orig}") from exc


def downgrade(engine: Engine, revision: str) -> None:
    from alembic import command

    command.downgrade(alembic_config(engine), revision)


def ensure_schema(engine: Engine) -> None:
    """Run pending migrations if the database is behind; cheap when it is current."""
    try:
        current = current_revision(engine)
    except OperationalError as exc:
        raise StoreError(f"cannot connect to database {engine.url.render_as_string()}: {exc.orig}") from exc
    if current != head_revision():
        log.info("migrating database from %s to %s", current, head_revision())
        upgrade(engine)


def open_store(url: str, migrate: bool = True) -> Engine:
    engine = get_engine(url)
    if migrate:
        ensure_schema(engine)
    return engine


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session in one transaction: committed on success, rolled back on any error."""
    factory = sessionmaker(engine, expire_on_commit=False)
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
