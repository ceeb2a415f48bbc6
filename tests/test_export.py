"""Daily exports: CSV + Parquet per table, versioned schema, atomic replacement, ``latest`` pointer."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pandas as pd
import pytest

from pipeline.query import export as ex
from pipeline.schema import ArticleResult, DocumentRecord, Election, Event, Official, Sanction
from pipeline.store.events import store_article

TEXT = "Bupati Kampar mengikuti rapat koordinasi netralitas ASN. Dua ASN dijatuhi teguran tertulis."


def _store(engine, key: str, events: int = 1) -> None:
    record = DocumentRecord(
        doc_key=key,
        url=f"https://example.id/{key}",
        source_name="example",
        title=f"Berita {key}",
        published_at=datetime(2024, 1, 5, 3, 0, tzinfo=UTC),
        text=TEXT,
        status="extracted",
    )
    result = ArticleResult(
        id=key,
        relevant=True,
        pipeline_version="test-1",
        events=[
            Event(
                type="sanction" if i else "rakor",
                date="2024-01-04",
                date_precision="day",
                regions=["14.01"],
                elections=[Election(kind="pemilu", year=2024)],
                officials=[Official(name=f"Pejabat {key} {i}", office="bupati", region="14.01", role="leader")],
                sanctions=[Sanction(kind="teguran_tertulis", status="imposed")] if i else [],
                count=2 if i else None,
                evidence=[TEXT.split(". ")[0] + "."],
            )
            for i in range(events)
        ],
    )
    store_article(engine, record, result)


def test_export_writes_validated_tables_and_points_latest(engine, tmp_path):
    _store(engine, "a", events=2)
    _store(engine, "b", events=1)
    root = tmp_path / "exports"
    result = ex.write_export(engine, root, date(2024, 1, 6))
    day = root / "2024-01-06"
    assert result.directory == day
    assert result.rows == {"events": 3, "officials": 3, "sanctions": 1, "incidents": 2}
    assert sorted(p.name for p in day.iterdir()) == sorted(
        [f"{t}.{f}" for t in ex.TABLES for f in ex.FORMATS] + ["schema.json"]
    )
    meta = json.loads((day / "schema.json").read_text())
    assert meta["schema_version"] == ex.SCHEMA_VERSION and meta["rows"]["events"] == 3
    assert [c["name"] for c in meta["tables"]["sanctions"]] == [c.name for c in ex.SCHEMA["sanctions"]]
    assert (root / "latest").resolve() == day.resolve() and (root / "LATEST").read_text().strip() == "2024-01-06"

    events = ex.read_export(day, "events")
    ex.validate("events", events)
    assert sorted(events["event_key"]) == ["a#0", "a#1", "b#0"]
    assert events.set_index("event_key").loc["a#1", "sanctions"] == "teguran_tertulis:imposed"
    assert events.set_index("event_key").loc["a#1", "count"] == 2
    assert pd.isna(events.set_index("event_key").loc["a#0", "count"])
    assert str(events["published_at"].dtype) == "datetime64[ns, UTC]"
    # the two reports of one rakor (same day, region and text) are one incident; the sanction another
    incidents = ex.read_export(day, "incidents").set_index("incident_id")
    keyed = events.set_index("event_key")
    assert keyed.loc["a#0", "incident_id"] == keyed.loc["b#0", "incident_id"] != keyed.loc["a#1", "incident_id"]
    assert incidents.loc[int(keyed.loc["a#0", "incident_id"]), "documents"] == "a;b"
    assert incidents.loc[int(keyed.loc["a#0", "incident_id"]), "type"] == "rakor"
    for table in ex.TABLES:  # CSV and Parquet carry the same data
        pd.testing.assert_frame_equal(
            ex.read_export(day, table, "csv"), ex.read_export(day, table, "parquet"), check_dtype=False
        )


def test_rerun_same_day_replaces_and_new_day_moves_latest(engine, tmp_path):
    root = tmp_path / "exports"
    _store(engine, "a")
    ex.write_export(engine, root, date(2024, 1, 6))
    _store(engine, "b")
    ex.write_export(engine, root, date(2024, 1, 6))
    assert len(ex.read_export(root / "2024-01-06", "events")) == 2
    ex.write_export(engine, root, date(2024, 1, 7))
    assert (root / "latest").resolve().name == "2024-01-07"
    # Only the day directories and the pointers remain: no staging leftovers.
    assert sorted(p.name for p in root.iterdir()) == ["2024-01-06", "2024-01-07", "LATEST", "latest"]


def test_empty_store_exports_empty_tables_with_schema(engine, tmp_path):
    result = ex.write_export(engine, tmp_path, date(2024, 1, 6))
    assert result.rows == {"events": 0, "officials": 0, "sanctions": 0, "incidents": 0}
    frame = ex.read_export(result.directory, "officials")
    assert list(frame.columns) == [c.name for c in ex.SCHEMA["officials"]] and frame.empty


def test_invalid_table_refused_and_previous_export_untouched(engine, tmp_path, monkeypatch):
    root = tmp_path / "exports"
    _store(engine, "a")
    ex.write_export(engine, root, date(2024, 1, 6))
    before = (root / "2024-01-06" / "events.csv").read_bytes()

    real = ex.events_frame

    def broken(engine, flt=None):
        frame = real(engine, flt)
        frame["type"] = "party"  # not an event type
        return frame

    monkeypatch.setattr(ex, "events_frame", broken)
    with pytest.raises(ex.SchemaError, match=r"events\.type: values \['party'\]"):
        ex.write_export(engine, root, date(2024, 1, 6))
    assert (root / "2024-01-06" / "events.csv").read_bytes() == before
    assert sorted(p.name for p in root.iterdir()) == ["2024-01-06", "LATEST", "latest"]


def test_conform_reports_missing_columns_and_bad_dtypes():
    frame = pd.DataFrame({"event_key": ["x#0"], "event_id": ["not a number"]})
    with pytest.raises(ex.SchemaError, match=r"sanctions: columns differ .*missing \['count'"):
        ex.conform("sanctions", frame)
    good = {c.name: ["x"] for c in ex.SCHEMA["sanctions"]}
    good.update(event_id=["seven"], count=[1], kind=["sanksi"], status=["imposed"], type=["sanction"])
    with pytest.raises(ex.SchemaError, match=r"sanctions\.event_id: cannot be read as int64"):
        ex.conform("sanctions", pd.DataFrame(good))


def test_csv_quotes_text_so_region_codes_round_trip(engine, tmp_path):
    record = DocumentRecord(doc_key="k", url="https://example.id/k", title="Klaten", text=TEXT, status="extracted")
    result = ArticleResult(
        id="k",
        relevant=True,
        pipeline_version="test-1",
        events=[
            Event(
                type="sanction",
                regions=["33.10"],
                officials=[Official(name="Pejabat K", office="bupati", region="33.10", role="subject")],
                sanctions=[Sanction(kind="teguran_tertulis", status="imposed")],
            )
        ],
    )
    store_article(engine, record, result)
    day = ex.write_export(engine, tmp_path / "exports", date(2024, 1, 6)).directory
    events_csv = (day / "events.csv").read_text(encoding="utf-8")
    assert '"33.10"' in events_csv and ",33.10," not in events_csv
    assert '"33.10"' in (day / "officials.csv").read_text(encoding="utf-8")
    # Read as the docs say (dtype=str): the code stays 33.10, never the number 33.1.
    assert pd.read_csv(day / "events.csv", dtype=str)["regions"].tolist() == ["33.10"]
    assert pd.read_csv(day / "officials.csv", dtype=str)["region"].tolist() == ["33.10"]
    assert ex.read_export(day, "events", "csv")["regions"].tolist() == ["33.10"]
    parquet = pd.read_parquet(day / "officials.parquet")
    assert str(parquet["region"].dtype) == "string" and parquet["region"].tolist() == ["33.10"]


def test_sanctions_rows_carry_event_key_ordinal_url_and_regions(engine, tmp_path):
    _store(engine, "a", events=3)
    day = ex.write_export(engine, tmp_path / "exports", date(2024, 1, 6)).directory
    for fmt in ("csv", "parquet"):
        sanctions = ex.read_export(day, "sanctions", fmt)
        events = ex.read_export(day, "events", fmt).set_index("event_key")
        assert list(sanctions["event_key"]) == ["a#1", "a#2"] and list(sanctions["ordinal"]) == [1, 2]
        for row in sanctions.itertuples():
            assert row.event_key == f"{row.doc_key}#{row.ordinal}"
            assert row.url == events.loc[row.event_key, "url"] == "https://example.id/a"
            assert row.regions == events.loc[row.event_key, "regions"] == "14.01"
            assert f"{row.kind}:{row.status}" in events.loc[row.event_key, "sanctions"]


def test_offsets_only_evidence_gets_its_sentence(engine):
    from pipeline.query import evidence_frame
    from pipeline.schema import Provenance

    start = TEXT.index("teguran")
    record = DocumentRecord(doc_key="p", url="https://example.id/p", text=TEXT, status="extracted")
    result = ArticleResult(
        id="p",
        relevant=True,
        pipeline_version="test-1",
        events=[
            Event(
                type="sanction",
                sanctions=[Sanction(kind="teguran_tertulis", status="imposed")],
                provenance=[
                    Provenance(field="sanctions[0]", rule="sanctions.kind", version="1", start=start, end=start + 7)
                ],
            )
        ],
    )
    store_article(engine, record, result)
    row = evidence_frame(engine).set_index("field").loc["sanctions[0]"]
    assert row["sentence"] == "Dua ASN dijatuhi teguran tertulis."
