"""Export of ``documents`` to Parquet for researchers: ``data/processed/documents/date=YYYY-MM-DD/``.

The store is the source of truth; a partition is always rewritten whole from it
(write to a temporary file, then rename), so exports are idempotent and a killed
export leaves the previous file in place.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import Engine, func, select

from pipeline.store.db import session_scope
from pipeline.store.models import Document, Source

log = logging.getLogger(__name__)

UNKNOWN_DATE = "unknown"
_TS = pa.timestamp("us", tz="UTC")
# One explicit schema: every partition has the same column types, even when a column is all null.
SCHEMA = pa.schema(
    [
        ("id", pa.int64()),
        ("doc_key", pa.string()),
        ("url", pa.string()),
        ("canonical_url", pa.string()),
        ("source", pa.string()),
        ("title", pa.string()),
        ("author", pa.string()),
        ("sitename", pa.string()),
        ("published_at", _TS),
        ("fetched_at", _TS),
        ("language", pa.string()),
        ("dateline_city", pa.string()),
        ("outlet_tag", pa.string()),
        ("text", pa.string()),
        ("status", pa.string()),
        ("status_reason", pa.string()),
        ("duplicate_of", pa.int64()),
        ("content_sha256", pa.string()),
        ("raw_ref", pa.string()),
        ("extractor", pa.string()),
        ("extractor_version", pa.string()),
    ]
)
COLUMNS = SCHEMA.names


PARTITION_TZ = ZoneInfo("Asia/Jakarta")


def partition_of(published_at, fetched_at) -> str:
    """The partition date (in WIB): publication date, else fetch date, else "unknown"."""
    value = published_at or fetched_at
    if value is None:
        return UNKNOWN_DATE
    if value.tzinfo is not None:
        value = value.astimezone(PARTITION_TZ)
    return value.date().isoformat()


def _partition_filter(day: str):
    if day == UNKNOWN_DATE:
        return (Document.published_at.is_(None)) & (Document.fetched_at.is_(None))
    when = func.coalesce(Document.published_at, Document.fetched_at)
    day_ = date.fromisoformat(day)
    # A day wider on each side (time zones); the exact partition is decided in Python.
    return (when >= date.fromordinal(day_.toordinal() - 1)) & (when < date.fromordinal(day_.toordinal() + 2))


def _rows(engine: Engine, day: str) -> list[dict]:
    with session_scope(engine) as session:
        stmt = (
            select(Document, Source.name)
            .outerjoin(Source, Source.id == Document.source_id)
            .where(_partition_filter(day))
            .order_by(Document.id)
        )
        rows = []
        for doc, source in session.execute(stmt):
            if partition_of(doc.published_at, doc.fetched_at) != day:
                continue  # timezone edge: the partition is decided in Python, as when written
            row = {c: getattr(doc, c, None) for c in COLUMNS if c != "source"}
            row["source"] = source
            rows.append(row)
    return rows


def all_partitions(engine: Engine) -> set[str]:
    with session_scope(engine) as session:
        pairs = session.execute(select(Document.published_at, Document.fetched_at)).all()
    return {partition_of(p, f) for p, f in pairs}


def write_partition(engine: Engine, out_dir: Path, day: str) -> int:
    """Rewrite the partition of ``day`` from the store; return its number of rows."""
    rows = _rows(engine, day)
    target_dir = out_dir / f"date={day}"
    target = target_dir / "part-0.parquet"
    if not rows:
        if target.exists():
            target.unlink()
        return 0
    target_dir.mkdir(parents=True, exist_ok=True)
    frame = pd.DataFrame(rows, columns=COLUMNS)
    for column in ("published_at", "fetched_at"):
        frame[column] = pd.to_datetime(frame[column], utc=True)
    tmp = target.with_suffix(f".tmp{os.getpid()}")
    frame["duplicate_of"] = frame["duplicate_of"].astype("Int64")
    pq.write_table(pa.Table.from_pandas(frame, schema=SCHEMA, preserve_index=False), tmp)
    os.replace(tmp, target)
    return len(rows)


def export_documents(engine: Engine, out_dir: Path, days: Iterable[str] | None = None) -> int:
    """Export the partitions ``days`` (default: all) to ``out_dir``; return the rows written."""
    days = sorted(set(days) if days is not None else all_partitions(engine))
    total = 0
    for day in days:
        total += write_partition(engine, out_dir, day)
    log.info("parquet: %d documents in %d partitions under %s", total, len(days), out_dir)
    return total
