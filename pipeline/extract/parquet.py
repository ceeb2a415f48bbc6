"""Export of ``documents`` to Parquet for researchers: ``data/processed/documents/date=YYYY-MM-DD/``.

The store is the source of truth; a partition is always rewritten whole from it
(write to a temporary file, then rename), so exports are idempotent and a killed
export leaves the previous file in place.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.logs import get_logger
from pipeline.store.db import Engine
from pipeline.store.documents import document_dates, documents_between

log = get_logger(__name__)

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


def partition_of(published_at: datetime | None, fetched_at: datetime | None) -> str:
    """The partition date (in WIB): publication date, else fetch date, else "unknown"."""
    value = published_at or fetched_at
    if value is None:
        return UNKNOWN_DATE
    if value.tzinfo is not None:
        value = value.astimezone(PARTITION_TZ)
    return str(value.date().isoformat())


def _rows(engine: Engine, day: str) -> list[dict[str, Any]]:
    if day == UNKNOWN_DATE:
        candidates = documents_between(engine, None, None, COLUMNS)
    else:
        day_ = date.fromisoformat(day)
        # A day wider on each side (time zones); the exact partition is decided in Python.
        first, last = date.fromordinal(day_.toordinal() - 1), date.fromordinal(day_.toordinal() + 2)
        candidates = documents_between(engine, first, last, COLUMNS)
    # timezone edge: the partition is decided in Python, as when written
    return [row for row in candidates if partition_of(row["published_at"], row["fetched_at"]) == day]


def all_partitions(engine: Engine) -> set[str]:
    return {partition_of(p, f) for p, f in document_dates(engine)}


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
