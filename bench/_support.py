"""Helpers shared by the benchmarks (not a benchmark: ``make bench`` skips files starting with ``_``)."""

from __future__ import annotations

import uuid
from collections.abc import Callable


def throwaway_pg_database(admin_url: str) -> tuple[str, Callable[[], None]]:
    """Create an empty PostgreSQL database for one benchmark run; return its URL and a function
    that drops it (``WITH (FORCE)``: connections the run left open do not block the drop)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    url = make_url(admin_url).set(drivername="postgresql+psycopg")
    name = f"netra_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url.set(database=name).render_as_string(hide_password=False), drop
