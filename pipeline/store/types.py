"""Column types shared by the models.

``UTCDateTime`` is the one timestamp type of the store: every value is converted to UTC on
the way in and comes back aware (``tzinfo=UTC``) on both back ends. Without it PostgreSQL
returns timestamps in the session's time zone and SQLite stores the wall-clock time of an
aware value without its offset (so +07:00 and UTC values were mixed in one column).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and returned aware in UTC; a naive input is taken as UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | date | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, date) and not isinstance(value, datetime):
            value = datetime.combine(value, time(), tzinfo=UTC)  # a day bound in a comparison: midnight UTC
        if not isinstance(value, datetime):
            raise TypeError(f"UTCDateTime wants a datetime, got {type(value).__name__}: {value!r}")
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        # SQLite writes the wall-clock time and drops the offset: give it the UTC wall time.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        stamp = datetime.fromisoformat(value) if isinstance(value, str) else value  # str: raw SQLite text
        if not isinstance(stamp, datetime):
            raise TypeError(f"UTCDateTime read a {type(stamp).__name__}: {stamp!r}")
        return stamp.replace(tzinfo=UTC) if stamp.tzinfo is None else stamp.astimezone(UTC)
