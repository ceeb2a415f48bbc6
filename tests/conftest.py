"""Shared fixtures: a fresh database per test on SQLite and, when configured, on PostgreSQL.

PostgreSQL tests run when ``NETRA_TEST_POSTGRES_URL`` is set (``.ci/run`` sets it); each
test gets its own throwaway database, so concurrent runs never see each other.  If the
variable is set and the server is unreachable the tests fail: they never skip silently.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

FIXTURES = Path(__file__).parent / "fixtures"
POSTGRES_URL = os.environ.get("NETRA_TEST_POSTGRES_URL")


def _pg_admin_url() -> str:
    url = make_url(POSTGRES_URL).set(drivername="postgresql+psycopg")
    return url.render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def postgres_server() -> str:
    if not POSTGRES_URL:
        pytest.skip("PostgreSQL tests need NETRA_TEST_POSTGRES_URL (e.g. postgresql://postgres@127.0.0.1:5432/test)")
    engine = create_engine(_pg_admin_url())
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # the variable says a server is there: unreachable is a failure
        pytest.fail(f"NETRA_TEST_POSTGRES_URL={POSTGRES_URL} is set but the server is unreachable: {exc}")
    finally:
        engine.dispose()
    return _pg_admin_url()


def _fresh_pg_database(admin_url: str):
    name = f"netra_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)

    def drop() -> None:
        from pipeline.store.db import get_engine

        get_engine.cache_clear()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url, drop


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request, tmp_path) -> str:
    """A URL to an empty database (no schema yet), on each back end."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'netra.db'}"
        from pipeline.store.db import get_engine

        get_engine.cache_clear()
        return
    admin_url = request.getfixturevalue("postgres_server")
    url, drop = _fresh_pg_database(admin_url)
    yield url
    drop()


@pytest.fixture
def engine(db_url):
    """An engine on a migrated, empty store."""
    from pipeline.store.db import open_store

    engine = open_store(db_url, migrate=True)
    yield engine
    engine.dispose()
