"""Engines, sessions and schema migrations for SQLite and PostgreSQL."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import URL, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from pipeline.logs import get_logger

if TYPE_CHECKING:  # alembic is imported where migrations run: a CLI start that needs none skips it
    from alembic.config import Config

log = get_logger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class StoreError(RuntimeError):
    """The database cannot be reached or is not in a usable state."""


class StoreConfigError(StoreError):
    """The database URL, its driver or a requested schema revision is wrong: a configuration
    (usage) error, exit 2, where a ``StoreError`` is fatal (exit 3)."""


__all__ = [
    "DATABASE_ERRORS",
    "Engine",
    "Session",
    "StoreConfigError",
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


def _masked(url: str) -> str:
    """A URL SQLAlchemy cannot parse, shown with anything that looks like a password masked."""
    return re.sub(r"(//[^/:@]*:)[^@/]*@", r"\1***@", url)


def parse_url(url: str) -> URL:
    """``url`` parsed, or a ``StoreConfigError`` naming it (password masked)."""
    try:
        return make_url(url)
    except (ArgumentError, ValueError) as exc:
        raise StoreConfigError(
            f"malformed database URL {_masked(url)!r} (want e.g. sqlite:///data/netra.db or "
            f"postgresql://user@host/db): {exc}"
        ) from None


def display_url(url: str) -> str:
    """``url`` as it may be shown or logged: the password masked."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return _masked(url)


def normalize_url(url: str) -> str:
    """Use psycopg 3 for plain ``postgresql://`` URLs (SQLAlchemy would pick psycopg2)."""
    parsed = parse_url(url)
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


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL (None for other back ends and in-memory databases)."""
    parsed = parse_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database).expanduser()


def make_engine(url: str, create: bool = True) -> Engine:
    """An engine on ``url``.  ``create``: a missing SQLite file (and its directory) may be
    created; otherwise a missing file is a ``StoreError`` naming it, and nothing is created."""
    shown = display_url(url)
    url = normalize_url(url)
    parsed = make_url(url)
    path = sqlite_path(url)
    if path is not None:
        if create:
            path.parent.mkdir(parents=True, exist_ok=True)
        elif not path.is_file():
            raise StoreError(
                f"no database at {path.resolve()}: create it with `netra db upgrade`, or fill it with "
                "`netra nightly` / `netra demo` (reading never creates a database; check --data-dir / "
                "NETRA_DATABASE_URL, a relative path is relative to the current directory)"
            )
    try:
        if parsed.get_backend_name() == "sqlite":
            engine = create_engine(url, connect_args={"timeout": 30})
            event.listen(engine, "connect", _sqlite_pragmas)
        else:
            engine = create_engine(url, pool_pre_ping=True)
    except NoSuchModuleError as exc:
        raise StoreConfigError(f"database URL {shown}: unknown database dialect or driver ({exc})") from None
    except ImportError as exc:
        raise StoreConfigError(
            f"database URL {shown} needs the driver {exc.name or exc}, which is not installed "
            "(PostgreSQL: pip install 'netra[postgres]')"
        ) from None
    return engine


@lru_cache(maxsize=8)
def get_engine(url: str, create: bool = True) -> Engine:
    return make_engine(url, create)


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

    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    except OperationalError as exc:
        raise StoreError(f"cannot connect to database {_shown(engine)}: {exc.orig}") from exc


def _shown(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def known_revisions() -> set[str]:
    """Every revision id this code's migrations know."""
    from alembic.script import ScriptDirectory

    return {script.revision for script in ScriptDirectory.from_config(alembic_config(None)).walk_revisions()}


def _migrate(engine: Engine, direction: str, revision: str) -> None:
    from alembic import command
    from alembic.util import CommandError

    current = current_revision(engine)
    if current is not None and current not in known_revisions():
        raise StoreError(_too_new(engine, current))
    try:
        getattr(command, direction)(alembic_config(engine), revision)
    except CommandError as exc:
        raise StoreConfigError(
            f"cannot {direction} database {_shown(engine)} to {revision!r}: {exc} "
            f"(revisions: a revision id, 'head', 'base', or relative like -1 / +1; code head {head_revision()})"
        ) from None
    except OperationalError as exc:
        raise StoreError(f"cannot migrate database {_shown(engine)}: {exc.orig}") from exc


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` (migrations are the only way the schema changes)."""
    _migrate(engine, "upgrade", revision)


def downgrade(engine: Engine, revision: str) -> None:
    _migrate(engine, "downgrade", revision)


def _too_new(engine: Engine, current: str) -> str:
    return (
        f"the database {_shown(engine)} is at schema revision {current}, which this version of Netra does "
        f"not know (its newest is {head_revision()}): the database was migrated by a newer Netra; upgrade Netra"
    )


def check_schema(engine: Engine) -> None:
    """A ``StoreError`` unless the schema is exactly at the code's head (never changes anything)."""
    current, head = current_revision(engine), head_revision()
    if current == head:
        return
    if current is None:
        raise StoreError(
            f"the database {_shown(engine)} has no Netra schema: run `netra db upgrade` (or a nightly) first"
        )
    if current not in known_revisions():
        raise StoreError(_too_new(engine, current))
    raise StoreError(
        f"the database {_shown(engine)} is at schema revision {current}, older than this code's {head}: "
        "run `netra db upgrade` (reading never migrates)"
    )


def ensure_schema(engine: Engine) -> None:
    """Run pending migrations if the database is behind; cheap when it is current."""
    current = current_revision(engine)
    if current != head_revision():
        if current is not None and current not in known_revisions():
            raise StoreError(_too_new(engine, current))
        log.info("migrating database from %s to %s", current, head_revision())
        upgrade(engine)


def open_store(url: str, migrate: bool = False) -> Engine:
    """The engine of the store at ``url``.

    Reading (the default): the database must exist and be at the code's schema revision;
    nothing is created or migrated, else a ``StoreError`` says what to run.  ``migrate=True``
    (the writing commands: nightly, ingest, process, crawl, backfill, demo) creates the
    database if needed and runs pending migrations.
    """
    engine = get_engine(url, create=migrate)
    if migrate:
        ensure_schema(engine)
    else:
        check_schema(engine)
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
