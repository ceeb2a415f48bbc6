"""The one insert-or-update helper: ``INSERT … ON CONFLICT`` for SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, func
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def _insert(bind: Session | Connection, table: Any) -> Any:
    """The dialect's ``insert`` (the generic one has no ``on_conflict_*``)."""
    engine_bind = bind.get_bind() if isinstance(bind, Session) else bind
    module = postgresql if engine_bind.dialect.name == "postgresql" else sqlite
    return module.insert(table)


def upsert_statement(
    bind: Session | Connection,
    table: Any,
    values: Mapping[str, Any] | Sequence[Mapping[str, Any]],
    keys: Sequence[str],
    update: Sequence[str] | None = (),
    fill_only: Sequence[str] = (),
) -> Any:
    """``INSERT`` rows of ``table`` (a model or a Table); on a conflict on ``keys``:

    * ``update=()`` (default): update every inserted column but the keys;
    * ``update=[names]``: update those columns only;
    * ``update=None``: do nothing (insert-or-ignore);

    and columns in ``fill_only`` keep a stored non-NULL value (set only when empty).
    """
    stmt = _insert(bind, table).values(values if isinstance(values, Sequence) else dict(values))
    if update is None:
        return stmt.on_conflict_do_nothing(index_elements=list(keys))
    first = values[0] if isinstance(values, Sequence) else values
    columns = list(update) or [name for name in first if name not in keys]
    target = stmt.table
    set_ = {
        name: func.coalesce(target.c[name], stmt.excluded[name]) if name in fill_only else stmt.excluded[name]
        for name in columns
    }
    return stmt.on_conflict_do_update(index_elements=list(keys), set_=set_)


def upsert(
    bind: Session | Connection,
    table: Any,
    values: Mapping[str, Any] | Sequence[Mapping[str, Any]],
    keys: Sequence[str],
    update: Sequence[str] | None = (),
) -> None:
    """Execute :func:`upsert_statement` in the caller's transaction."""
    bind.execute(upsert_statement(bind, table, values, keys, update))
