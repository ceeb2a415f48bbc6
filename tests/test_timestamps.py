"""One timestamp type on both back ends, the article's day in its own zone, and date filters
that keep undated events (issue 18, items 1 and 3)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pandas as pd
import pytest
from sqlalchemy import select, text, update

from pipeline.query import EventFilter, events_frame
from pipeline.schema import ArticleResult, DocumentRecord, Event
from pipeline.store import db as store
from pipeline.store.documents import pending_documents
from pipeline.store.events import store_article
from pipeline.store.models import Document, Run, Source
from pipeline.store.models import Event as EventRow
from pipeline.store.runs import RunRecorder
from pipeline.timezones import WIT, WITA, article_zone, local_date

WIB_OFFSET = timezone(timedelta(hours=7))
TEXT = "Bupati Kampar mengikuti rapat koordinasi netralitas ASN. Dua ASN dijatuhi teguran tertulis."


def _record(key: str, published: datetime | None, source: str = "example") -> DocumentRecord:
    return DocumentRecord(
        doc_key=key,
        url=f"https://example.id/{key}",
        source_name=source,
        title=f"Berita {key}",
        published_at=published,
        text=TEXT,
        status="extracted",
    )


def _result(key: str, day: str | None) -> ArticleResult:
    return ArticleResult(
        id=key,
        relevant=True,
        pipeline_version="test-1",
        events=[Event(type="rakor", date=day, date_precision="day" if day else None, regions=["14.01"])],
    )


def _document(engine, key: str) -> Document:
    with store.session_scope(engine) as session:
        doc = session.scalars(select(Document).where(Document.doc_key == key)).one()
        doc.to_input()  # loads the source while the session is open
        return doc


def test_timestamps_come_back_aware_in_utc_on_both_back_ends(engine):
    midnight_wib = datetime(2023, 10, 30, 0, 0, tzinfo=WIB_OFFSET)
    store_article(engine, _record("a", midnight_wib), None)
    doc = _document(engine, "a")
    assert doc.published_at is not None and doc.published_at.tzinfo is not None
    assert doc.published_at == midnight_wib
    assert doc.published_at.utcoffset() == timedelta(0)
    assert doc.published_at.replace(tzinfo=None) == datetime(2023, 10, 29, 17, 0)
    assert doc.published_offset == 7 * 60
    with RunRecorder.start(engine, "test") as run:
        run_id = run.id
    with engine.connect() as conn:
        started = conn.execute(select(Run.started_at).where(Run.id == run_id)).scalar_one()
    assert started.tzinfo is not None and abs(datetime.now(UTC) - started) < timedelta(minutes=5)


def test_article_day_is_taken_in_the_articles_zone_not_in_utc(engine):
    # Midnight WIB is 17:00 UTC the day before: the events stage must see the 30th.
    store_article(engine, _record("a", datetime(2023, 10, 30, 0, 0, tzinfo=WIB_OFFSET)), None)
    doc = _document(engine, "a")
    assert doc.to_input().published == date(2023, 10, 30)
    with store.session_scope(engine) as session:
        pending = pending_documents(session, "another-version", None)
        assert [d.to_input().published for d in pending] == [date(2023, 10, 30)]


def test_zone_from_the_page_offset_else_the_source_regions_else_wib(engine):
    # 16:30 UTC on the 29th: the 29th in WIB, the 30th in WITA (Makassar) and WIT.
    instant = datetime(2023, 10, 29, 16, 30, tzinfo=UTC)
    store_article(engine, _record("utc-wib", instant), None)
    store_article(engine, _record("utc-wita", instant, source="makassar-news"), None)
    store_article(engine, _record("page-wit", instant.astimezone(WIT), source="makassar-news"), None)
    with store.session_scope(engine) as session:
        session.execute(update(Source).where(Source.name == "makassar-news").values(regions=["73.71"]))
    assert _document(engine, "utc-wib").to_input().published == date(2023, 10, 29)
    assert _document(engine, "utc-wita").to_input().published == date(2023, 10, 30)
    assert _document(engine, "page-wit").to_input().published == date(2023, 10, 30)


def test_zone_rules():
    assert article_zone(8 * 60) is WITA and article_zone(0, ["91.01"]) is WIT and article_zone(None, ["73.71"]) is WITA
    assert article_zone(None).utcoffset(None) == timedelta(hours=7)
    assert article_zone(9 * 60, ["14.01"]) is WIT  # the page's own offset wins over the region
    assert local_date(datetime(2023, 10, 29, 17, 0)) == date(2023, 10, 30)  # naive = UTC
    assert local_date(None) is None


def test_date_filters_keep_undated_events_by_publication_day(engine):
    store_article(
        engine, _record("dated", datetime(2023, 10, 30, 9, 0, tzinfo=WIB_OFFSET)), _result("dated", "2023-10-28")
    )
    # No event date: the publication day (the 30th in WIB, 17:00 UTC on the 29th) stands in.
    store_article(engine, _record("undated", datetime(2023, 10, 30, 0, 0, tzinfo=WIB_OFFSET)), _result("undated", None))
    store_article(engine, _record("nothing", None), _result("nothing", None))
    frame = events_frame(engine, EventFilter(since=date(2023, 10, 30)))
    assert list(frame["doc_key"]) == ["undated"] and list(frame["date_basis"]) == ["published"]
    frame = events_frame(engine, EventFilter(since=date(2023, 10, 1), until=date(2023, 10, 31)))
    assert dict(zip(frame["doc_key"], frame["date_basis"], strict=True)) == {"dated": "event", "undated": "published"}
    assert list(events_frame(engine, EventFilter(until=date(2023, 10, 29)))["doc_key"]) == ["dated"]
    everything = events_frame(engine)
    basis = dict(zip(everything["doc_key"], everything["date_basis"], strict=True))
    assert pd.isna(basis["nothing"]) and len(everything) == 3


def test_events_frame_published_at_is_aware_utc(engine):
    store_article(engine, _record("a", datetime(2023, 10, 30, 0, 0, tzinfo=WIB_OFFSET)), _result("a", None))
    frame = events_frame(engine)
    assert str(frame["published_at"].dtype) == "datetime64[ns, UTC]"
    assert frame["published_at"].iloc[0] == datetime(2023, 10, 29, 17, 0, tzinfo=UTC)


def test_migration_0005_converts_sqlite_wall_times_to_utc(tmp_path):
    engine = store.make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    store.upgrade(engine, "0004")
    with engine.begin() as conn:  # what 0004 wrote: the page's wall time, offset dropped
        conn.execute(text("INSERT INTO sources (id, name, enabled, regions) VALUES (1, 'mks', 1, '[\"73.71\"]')"))
        for doc_id, key, published, raw_ref, source in (
            (1, "crawled-wib", "2023-10-30 00:00:00.000000", "raw/a.warc.gz#0", None),
            (2, "crawled-wita", "2023-10-30 00:00:00.000000", "raw/a.warc.gz#10", 1),
            (3, "ingested", "2023-10-30 00:00:00.000000", None, None),
        ):
            conn.execute(
                text(
                    "INSERT INTO documents (id, doc_key, published_at, raw_ref, source_id, status) "
                    "VALUES (:id, :key, :p, :r, :s, 'extracted')"
                ),
                {"id": doc_id, "key": key, "p": published, "r": raw_ref, "s": source},
            )
            conn.execute(
                text(
                    "INSERT INTO events (id, document_id, ordinal, type, pipeline_version, created_at) "
                    "VALUES (:id, :id, 0, 'rakor', 'old', '2023-10-30 01:00:00.000000')"
                ),
                {"id": doc_id},
            )
    store.upgrade(engine)
    assert store.current_revision(engine) == store.head_revision()
    with engine.connect() as conn:
        published = dict(conn.execute(select(Document.doc_key, Document.published_at)).all())
        days = dict(conn.execute(select(EventRow.document_id, EventRow.published_on)).all())
    assert published["crawled-wib"] == datetime(2023, 10, 29, 17, 0, tzinfo=UTC)
    assert published["crawled-wita"] == datetime(2023, 10, 29, 16, 0, tzinfo=UTC)
    assert published["ingested"] == datetime(2023, 10, 30, 0, 0, tzinfo=UTC)
    assert days == {1: date(2023, 10, 30), 2: date(2023, 10, 30), 3: date(2023, 10, 30)}
    store.downgrade(engine, "0004")
    with engine.connect() as conn:
        raw = conn.execute(text("SELECT published_at FROM documents WHERE id = 1")).scalar_one()
    assert raw.startswith("2023-10-30 00:00:00")
    engine.dispose()


@pytest.mark.parametrize("offset_hours", [7, 8, 9, 0])
def test_naive_and_aware_inputs_store_one_instant(engine, offset_hours):
    aware = datetime(2024, 2, 14, 8, 0, tzinfo=timezone(timedelta(hours=offset_hours)))
    store_article(engine, _record("a", aware), None)
    assert _document(engine, "a").published_at == aware
