"""Daily exports: the ``events``, ``officials``, ``sanctions`` and ``incidents`` tables as CSV and Parquet.

Layout (under ``<data dir>/processed/exports``)::

    2026-11-22/events.csv  events.parquet  officials.csv ...  schema.json
    latest -> 2026-11-22          (a relative symlink)
    LATEST                        (the same, as a one-line pointer file, for tools that don't follow links)

Every table is checked against ``SCHEMA`` (columns, order, dtypes, nullability, allowed
values) before anything is written, and ``schema.json`` records ``SCHEMA_VERSION`` next to
the files.  The day's directory is written to a temporary sibling and renamed into place,
so a reader never sees a half-written export and a failed export leaves the previous one.

Bump ``SCHEMA_VERSION`` whenever a column is added, removed, renamed or changes type.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from pandas.api.types import pandas_dtype

from pipeline.logs import get_logger
from pipeline.schema import EVENT_TYPES, OFFICES, SANCTION_KINDS
from pipeline.store.db import Engine
from pipeline.store.queries import event_keys, events_frame, incidents_frame, officials_frame, sanctions_frame

log = get_logger(__name__)

SCHEMA_VERSION = "1.1.0"  # 1.1: events.date_basis, incident_id; sanctions.ordinal, url, regions; incidents; quoted CSV
TABLES = ("events", "officials", "sanctions", "incidents")
FORMATS = ("csv", "parquet")


@dataclass(frozen=True)
class Column:
    name: str
    dtype: str  # a pandas dtype name
    nullable: bool = True
    allowed: tuple[str, ...] | None = None
    description: str = ""


_EVENT_KEY = Column("event_key", "string", False, description="<doc_key>#<ordinal>: stable across re-extraction")

SCHEMA: dict[str, tuple[Column, ...]] = {
    "events": (
        _EVENT_KEY,
        Column("event_id", "int64", False, description="database id; changes when a document is re-extracted"),
        Column("incident_id", "Int64", description="the incident (happening) the event reports; stable across runs"),
        Column("doc_key", "string", False),
        Column("type", "string", False, EVENT_TYPES),
        Column("subject", "string", True, ("asn", "village", "tni", "polri", "other")),
        Column("date", "string", description="YYYY-MM-DD | YYYY-MM | YYYY"),
        Column("date_precision", "string", True, ("day", "month", "year")),
        Column(
            "date_basis",
            "string",
            True,
            ("event", "published"),
            "what the date filters go by: the event's date, else its document's publication day",
        ),
        Column("scope", "string", True, ("national", "provincial", "regency", "district", "village")),
        Column("organizer", "string"),
        Column("venue", "string"),
        Column("regions", "string", description="Kemendagri codes, ';'-separated"),
        Column("officials", "string", description="'name (title, region; role)', '; '-separated"),
        Column("sanctions", "string", description="'kind:status', ';'-separated"),
        Column("elections", "string", description="'kind:year', ';'-separated"),
        Column("count", "Int64"),
        Column("confidence", "float64"),
        Column("title", "string"),
        Column("url", "string"),
        Column("source", "string"),
        Column("published_at", "datetime64[ns, UTC]"),
        Column("evidence", "string", description="evidence sentences, ' | '-separated"),
        Column("pipeline_version", "string", False),
    ),
    "officials": (
        _EVENT_KEY,
        Column("event_id", "int64", False),
        Column("doc_key", "string", False),
        Column("type", "string", False, EVENT_TYPES),
        Column("date", "string"),
        Column("name", "string", False),
        Column("person_id", "int64", False),
        Column("office", "string", True, OFFICES),
        Column("acting", "string", True, ("pj", "pjs", "plt", "plh")),
        Column("region", "string"),
        Column("role", "string", True, ("leader", "speaker", "attendee", "organizer", "subject")),
    ),
    "sanctions": (
        _EVENT_KEY,
        Column("event_id", "int64", False),
        Column("doc_key", "string", False),
        Column("ordinal", "int64", False, description="the event's position in its document (event_key's suffix)"),
        Column("type", "string", False, EVENT_TYPES),
        Column("date", "string"),
        Column("count", "Int64"),
        Column("kind", "string", False, SANCTION_KINDS),
        Column("status", "string", False, ("mentioned", "threatened", "recommended", "imposed")),
        Column("url", "string"),
        Column("regions", "string", description="the event's Kemendagri codes, ';'-separated"),
    ),
    "incidents": (
        Column("incident_id", "int64", False, description="stable id, never renumbered; merged ids resolve"),
        Column("type", "string", False, EVENT_TYPES),
        Column("date", "string", description="YYYY-MM-DD | YYYY-MM | YYYY: the reports' most precise date"),
        Column("date_precision", "string", True, ("day", "month", "year")),
        Column("regions", "string", description="Kemendagri codes of the reports, ';'-separated"),
        Column("officials", "string", description="officials named by the reports, ';'-separated"),
        Column("documents", "string", False, description="doc_keys of the reports, ';'-separated"),
        Column("outlets", "int64", False, description="distinct outlets reporting it"),
        Column("reports", "int64", False, description="events linked into it"),
        Column("first_seen", "datetime64[ns, UTC]", description="earliest report's publication"),
        Column("last_seen", "datetime64[ns, UTC]", description="latest report's publication"),
    ),
}


class SchemaError(ValueError):
    """A table does not match the export schema; the message names the table and column."""


@dataclass(frozen=True)
class ExportResult:
    directory: Path
    rows: dict[str, int]


def conform(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` with the schema's column order and dtypes, or raise ``SchemaError``."""
    columns = SCHEMA[table]
    expected = [c.name for c in columns]
    if sorted(frame.columns) != sorted(expected):
        missing = sorted(set(expected) - set(frame.columns))
        extra = sorted(set(frame.columns) - set(expected))
        raise SchemaError(
            f"{table}: columns differ from schema {SCHEMA_VERSION} (missing {missing}, unexpected {extra})"
        )
    out = frame[expected].copy()
    for col in columns:
        try:
            if col.dtype.startswith("datetime64"):
                out[col.name] = pd.to_datetime(out[col.name], utc=True).astype(pandas_dtype(col.dtype))
            elif col.dtype == "string":
                # An empty list ("" from the joins) and a missing value are the same thing: null.
                # CSV cannot tell them apart, so both formats store null.
                out[col.name] = out[col.name].astype(pandas_dtype(col.dtype)).replace("", pd.NA)
            else:
                out[col.name] = out[col.name].astype(pandas_dtype(col.dtype))
        except (TypeError, ValueError) as exc:
            raise SchemaError(f"{table}.{col.name}: cannot be read as {col.dtype}: {exc}") from exc
    validate(table, out)
    return out


def validate(table: str, frame: pd.DataFrame) -> None:
    """Check columns, dtypes, nulls and allowed values against ``SCHEMA[table]``."""
    columns = SCHEMA[table]
    if list(frame.columns) != [c.name for c in columns]:
        raise SchemaError(f"{table}: columns {list(frame.columns)} are not those of schema {SCHEMA_VERSION}")
    for col in columns:
        series = frame[col.name]
        if str(series.dtype) != col.dtype:
            raise SchemaError(f"{table}.{col.name}: dtype {series.dtype}, schema wants {col.dtype}")
        if not col.nullable and series.isna().any():
            rows = list(series[series.isna()].index[:5])
            raise SchemaError(f"{table}.{col.name}: null values (rows {rows}) in a non-nullable column")
        if col.allowed is not None:
            bad = sorted(set(series.dropna()) - set(col.allowed))
            if bad:
                raise SchemaError(f"{table}.{col.name}: values {bad[:5]} are not among the allowed {list(col.allowed)}")


def schema_document() -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "tables": {
            table: [
                {
                    "name": c.name,
                    "dtype": c.dtype,
                    "nullable": c.nullable,
                    **({"allowed": list(c.allowed)} if c.allowed else {}),
                    **({"description": c.description} if c.description else {}),
                }
                for c in columns
            ]
            for table, columns in SCHEMA.items()
        },
    }


def export_frames(engine: Engine) -> dict[str, pd.DataFrame]:
    """The tables, conformed to the schema (the whole store, not one day's delta)."""
    keys = event_keys(engine)
    frames = {
        "events": events_frame(engine),
        "officials": officials_frame(engine),
        "sanctions": sanctions_frame(engine),
    }
    out = {}
    for table, frame in frames.items():
        frame = frame.copy()
        frame.insert(0, "event_key", [keys.get(int(i)) for i in frame["event_id"]] if len(frame) else [])
        out[table] = conform(table, frame)
    out["incidents"] = conform("incidents", incidents_frame(engine))
    return out


def _point_latest(root: Path, name: str) -> None:
    """Atomically re-point ``latest`` (symlink) and ``LATEST`` (pointer file) at ``name``."""
    pointer_tmp = root / f".LATEST.{os.getpid()}"
    pointer_tmp.write_text(name + "\n", encoding="utf-8")
    os.replace(pointer_tmp, root / "LATEST")
    link_tmp = root / f".latest.{os.getpid()}"
    try:
        if link_tmp.is_symlink() or link_tmp.exists():
            link_tmp.unlink()
        link_tmp.symlink_to(name, target_is_directory=True)
        os.replace(link_tmp, root / "latest")
    except OSError as exc:  # e.g. a filesystem without symlinks: the pointer file still works
        log.warning("exports: cannot update the 'latest' symlink (%s); use the LATEST file", exc)


class ExportWriteError(Exception):
    """The export could not be written (the message names the directory); nothing was replaced."""


def write_export(
    engine: Engine, root: Path, day: date | None = None, formats: tuple[str, ...] = FORMATS
) -> ExportResult:
    """Write the day's export under ``root/YYYY-MM-DD`` atomically and point ``latest`` at it."""
    day = day or datetime.now().astimezone().date()  # the server's local date, as the nightly names it
    frames = export_frames(engine)  # validated before anything touches the disk
    root.mkdir(parents=True, exist_ok=True)
    name = day.isoformat()
    final = root / name
    staging = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=root))
    try:
        for table, frame in frames.items():
            if "csv" in formats:
                # Text quoted, numbers not: a region code "33.10" is visibly text (read with dtype=str).
                frame.to_csv(
                    staging / f"{table}.csv",
                    index=False,
                    date_format="%Y-%m-%dT%H:%M:%S%z",
                    quoting=csv.QUOTE_NONNUMERIC,
                )
            if "parquet" in formats:
                frame.to_parquet(staging / f"{table}.parquet", index=False)
        meta = schema_document()
        meta["exported_at"] = datetime.now(UTC).isoformat(timespec="seconds")
        meta["rows"] = {table: len(frame) for table, frame in frames.items()}
        (staging / "schema.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        staging.chmod(0o755)
        # Replace an earlier export of the same day: move it aside, move the new one in, drop the old.
        old = None
        if final.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{name}.old.", dir=root))
            os.replace(final, old / name)
        os.replace(staging, final)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:  # disk full, read-only file system, …: nothing half-written is left
        shutil.rmtree(staging, ignore_errors=True)
        raise ExportWriteError(f"cannot write the export to {root}: {exc.strerror or exc}") from exc
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    try:
        _point_latest(root, name)
    except OSError as exc:  # the day's directory is complete; LATEST still names the previous one
        raise ExportWriteError(f"cannot point {root / 'LATEST'} at {name}: {exc.strerror or exc}") from exc
    rows = {table: len(frame) for table, frame in frames.items()}
    log.info("exported %s to %s", ", ".join(f"{n} {t}" for t, n in rows.items()), final)
    return ExportResult(final, rows)


def read_export(directory: Path, table: str, fmt: str = "parquet") -> pd.DataFrame:
    """Read one exported table back with the schema's dtypes (CSV loses them)."""
    if fmt == "parquet":
        return pd.read_parquet(directory / f"{table}.parquet")
    frame = pd.read_csv(directory / f"{table}.csv", dtype=str, keep_default_na=False, na_values=[""])
    return conform(table, frame)
