"""The SQL store on SQLite and PostgreSQL: migrations, round trips, idempotent re-ingest."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, inspect, select, text

from pipeline.query import EventFilter, events_frame, evidence_frame, officials_frame, sanctions_frame
from pipeline.schema import ArticleResult, DocumentRecord, Election, Event, Official, Provenance, Sanction
from pipeline.store import db as store
from pipeline.store.events import InvalidRecord, date_range, person_key, store_article
from pipeline.store.models import Base, Document, Evidence, Person, Region, Run
from pipeline.store.models import Event as EventRow
from pipeline.store.runs import RunRecorder

TEXT = (
    "Pj Wali Kota Pekanbaru Muflihun mengikuti rapat koordinasi netralitas ASN, Senin (17/7). "
    "Ia mengingatkan sanksi bagi ASN yang tidak netral."
)


def _record(key: str = "doc-1", text: str = TEXT) -> DocumentRecord:
    return DocumentRecord(
        doc_key=key,
        url=f"https://example.id/{key}",
        source_name="example",
        title="Rakor netralitas",
        published_at=datetime(2023, 7, 18, tzinfo=UTC),
        text=text,
        status="extracted",
    )


def _result(key: str = "doc-1", officials: int = 1, region: str = "14.71") -> ArticleResult:
    sentence = TEXT.split(". ")[0] + "."
    return ArticleResult(
        id=key,
        relevant=True,
        pipeline_version="test-1",
        events=[
            Event(
                type="rakor",
                date="2023-07-17",
                date_precision="day",
                scope="regency",
                regions=[region],
                elections=[Election(kind="pemilu", year=2024)],
                officials=[
                    Official(
                        name="Drs. H. Muflihun, S.STP" if i == 0 else f"Pejabat {i}",
                        office="wali_kota",
                        acting="pj",
                        region=region,
                        role="attendee",
                    )
                    for i in range(officials)
                ],
                sanctions=[Sanction(kind="sanksi", status="mentioned")],
                evidence=[sentence],
                provenance=[
                    Provenance(
                        field="officials[0]",
                        rule="officials.title_name",
                        version="1",
                        start=3,
                        end=30,
                        sentence=sentence,
                        confidence=0.9,
                    )
                ],
            )
        ],
    )


def test_migrations_reach_head_and_match_models(db_url):
    engine = store.make_engine(db_url)
    assert store.current_revision(engine) is None
    store.upgrade(engine)
    assert store.current_revision(engine) == store.head_revision()
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == [], f"models and migrations disagree: {diff}"
    tables = set(inspect(engine).get_table_names())
    for table in (
        "sources",
        "documents",
        "events",
        "people",
        "event_officials",
        "event_regions",
        "event_sanctions",
        "event_elections",
        "evidence",
        "regions",
        "runs",
    ):
        assert table in tables
    engine.dispose()


def test_migration_one_step_down_and_up(db_url):
    engine = store.make_engine(db_url)
    store.upgrade(engine)
    head = store.current_revision(engine)
    store.downgrade(engine, "-1")
    assert store.current_revision(engine) != head
    store.upgrade(engine)
    assert store.current_revision(engine) == head
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Region)).scalar_one() == 7837
    engine.dispose()


def test_regions_seeded_with_decree(engine):
    with engine.connect() as conn:
        row = conn.execute(select(Region).where(Region.code == "13.72")).one()
    assert row.name == "Kota Solok" and row.level == "kota" and row.parent_code == "13"
    assert "2138/2025" in row.decree


def test_sqlite_runs_wal_with_foreign_keys(tmp_path):
    engine = store.open_store(f"sqlite:///{tmp_path / 'x.db'}", migrate=True)
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()


def test_round_trip_with_provenance(engine):
    doc_id = store_article(engine, _record(), _result())
    with store.session_scope(engine) as session:
        doc = session.get(Document, doc_id)
        assert doc.source.name == "example" and doc.relevant is True
        (event,) = doc.events
        assert (event.type, event.date, event.date_from, event.date_to) == (
            "rakor",
            "2023-07-17",
            date(2023, 7, 17),
            date(2023, 7, 17),
        )
        assert [r.region_code for r in event.regions] == ["14.71"]
        (official,) = event.officials
        assert official.person.name_key == "muflihun"
        assert (official.office, official.acting, official.role) == ("wali_kota", "pj", "attendee")
        fields = {e.field: e for e in event.evidence}
        assert fields["officials[0]"].rule == "officials.title_name" and fields["officials[0]"].rule_version == "1"
        assert (
            fields["event"].char_start == 0
            and TEXT[fields["event"].char_start : fields["event"].char_end] == fields["event"].sentence
        )


def test_reingest_replaces_events_never_duplicates(engine):
    store_article(engine, _record(), _result(officials=3))
    store_article(engine, _record(), _result(officials=1))
    store_article(engine, _record(), _result(officials=1))
    with store.session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(Document)) == 1
        assert session.scalar(select(func.count()).select_from(EventRow)) == 1
        assert session.scalar(select(func.count()).select_from(Evidence)) == 2
    frame = officials_frame(engine)
    assert list(frame["name"]) == ["Drs. H. Muflihun, S.STP"]


def test_unknown_region_rejected_without_touching_store(engine):
    store_article(engine, _record(), _result())
    with pytest.raises(InvalidRecord, match=r"doc-1.*unknown region code '99\.99'"):
        store_article(engine, _record(text="changed"), _result(region="99.99"))
    with store.session_scope(engine) as session:
        doc = session.scalar(select(Document))
        assert doc.text == TEXT and len(doc.events) == 1


def test_same_person_across_documents_is_one_row(engine):
    store_article(engine, _record("a"), _result("a"))
    store_article(engine, _record("b"), _result("b"))
    with store.session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(Person)) == 1


def test_query_filters(engine):
    store_article(engine, _record("a"), _result("a", region="14.71"))
    store_article(engine, _record("b"), _result("b", region="13.72"))
    assert len(events_frame(engine)) == 2
    assert list(events_frame(engine, EventFilter(region="14"))["doc_key"]) == ["a"]
    assert list(events_frame(engine, EventFilter(region="13.72"))["doc_key"]) == ["b"]
    assert len(events_frame(engine, EventFilter(since=date(2023, 7, 18)))) == 0
    assert len(events_frame(engine, EventFilter(until=date(2023, 7, 17), type="rakor"))) == 2
    assert len(events_frame(engine, EventFilter(type="sanction"))) == 0
    assert len(events_frame(engine, EventFilter(person="muflihun"))) == 2
    assert list(sanctions_frame(engine)["kind"]) == ["sanksi", "sanksi"]


def test_evidence_frame_gives_span_rule_and_version_per_field(engine):
    store_article(engine, _record("a"), _result("a", region="14.71"))
    store_article(engine, _record("b"), _result("b", region="13.72"))
    frame = evidence_frame(engine, EventFilter(region="13.72"))
    assert set(frame["doc_key"]) == {"b"} and set(frame["field"]) == {"event", "officials[0]"}
    official = frame[frame["field"] == "officials[0]"].iloc[0]
    assert (official["rule"], official["rule_version"], official["char_start"], official["char_end"]) == (
        "officials.title_name",
        "1",
        3,
        30,
    )
    assert official["url"] == "https://example.id/b"
    assert TEXT[official["char_start"] : official["char_end"]] in official["sentence"]


def test_run_recorder_persists_counts_and_errors(engine):
    with RunRecorder.start(engine, "test", {"x": 1}) as run:
        run.count("crawl", "fetched", 3)
        run.add_error("crawl", "https://example.id/a", TimeoutError("slow"))
        run.source_stat("example", {"fetched": 3}, "partial")
        run.flush()
        with store.session_scope(engine) as session:
            assert session.get(Run, run.id).status == "running"
    with store.session_scope(engine) as session:
        row = session.get(Run, run.id)
        assert row.status == "partial" and row.counts["crawl"] == {"fetched": 3, "errors": 1}
        assert row.errors[0]["where"] == "https://example.id/a" and "TimeoutError" in row.errors[0]["error"]
        assert row.finished_at is not None


def test_run_recorder_marks_failed_on_exception(engine):
    with pytest.raises(RuntimeError), RunRecorder.start(engine, "test") as run:
        raise RuntimeError("boom")
    with store.session_scope(engine) as session:
        assert session.get(Run, run.id).status == "failed"


@pytest.mark.parametrize(
    ("value", "precision", "expected"),
    [
        ("2024-02", "month", (date(2024, 2, 1), date(2024, 2, 29))),
        ("2023", "year", (date(2023, 1, 1), date(2023, 12, 31))),
        (None, None, (None, None)),
    ],
)
def test_date_range(value, precision, expected):
    assert date_range(value, precision) == expected


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Drs. H. Muflihun, S.STP, MAP", "muflihun"),
        ("Dr. Ir. Hj. Siti Aminah, M.Si", "siti aminah"),
        ("Asben Hendri", "asben hendri"),
    ],
)
def test_person_key_strips_degrees(name, key):
    assert person_key(name) == key


def test_unreachable_database_is_a_clear_error():
    with pytest.raises(store.StoreError, match="cannot connect"):
        store.open_store("postgresql://postgres@127.0.0.1:1/nothing", migrate=True)
