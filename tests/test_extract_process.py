"""``process_warcs`` end to end: WARC files under a data dir -> documents, warc_records, runs, Parquet."""

import pandas as pd
from sqlalchemy import select

from pipeline.extract.process import process_warcs
from pipeline.settings import load_settings
from pipeline.store.db import session_scope
from pipeline.store.models import Document, Run, WarcRecord
from pipeline.store.runs import RunRecorder
from tests.extract_warcs import fixture_records, gold_pages, write_warc


def _setup(tmp_path):
    settings = load_settings(data_dir=tmp_path / "data")
    raw = settings.raw_dir / "2026" / "01" / "02"
    records = fixture_records()
    write_warc(raw / "crawl-1.warc.gz", records[:6])
    # a syndicated copy under another URL, plus bad input
    copy_uri = "https://regional.example.id/berita/salinan"
    paragraphs = "".join(f"<p>{line}</p>" for line in gold_pages()[0]["gold_text"].split("\n"))
    copy_body = (
        f"<html><head><title>Salinan</title></head><body><article><h1>Salinan</h1>{paragraphs}</article></body></html>"
    )
    copy_body = copy_body.encode("utf-8")
    write_warc(
        raw / "crawl-2.warc.gz",
        [
            *records[6:],
            (copy_uri, copy_body, "text/html", "200 OK"),
            ("https://x.example/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(200), "image/png", "200 OK"),
            ("https://x.example/empty", b"", "text/html", "200 OK"),
        ],
    )
    broken = write_warc(raw / "crawl-3.warc.gz", records[:3])
    broken.write_bytes(broken.read_bytes()[:-5000])
    return settings, len(records)


def test_process_fills_documents_and_is_resumable(engine, tmp_path):
    settings, n_pages = _setup(tmp_path)
    with RunRecorder.start(engine, "process") as run:
        summary = process_warcs(engine, settings, run=run)
    assert summary.files == 3
    assert summary.extracted >= n_pages - 2  # the English page is recorded but skipped
    assert summary.skipped["not_html"] == 1 and summary.skipped["empty"] == 1
    assert summary.skipped["language"] == 1
    assert summary.read_failures["truncated"] == 1
    with session_scope(engine) as session:
        docs = {d.url: d for d in session.scalars(select(Document))}
        copy = docs["https://regional.example.id/berita/salinan"]
        assert copy.status == "duplicate" and copy.duplicate_of is not None
        first = session.get(Document, copy.duplicate_of)
        assert first.status == "extracted" and first.url == fixture_records()[0][0]
        antara = next(d for d in docs.values() if d.url and "brotoseno" in d.url)
        assert antara.dateline_city == "Jakarta" and antara.outlet_tag == "ANTARA News"
        assert antara.language == "id" and antara.text.startswith("Jakarta (ANTARA News) -")
        assert antara.raw_ref.startswith("raw/2026/01/02/crawl-1.warc.gz#")
        assert antara.extractor == "netra-trafilatura"
        english = next(d for d in docs.values() if d.url and "en.tempo.co" in d.url)
        assert english.status == "skipped" and english.status_reason == "language=en"
        marked = session.scalars(select(WarcRecord)).all()
        assert {m.status for m in marked} == {"processed", "skipped"}
        run_row = session.get(Run, run.id)
        assert run_row.status == "partial"  # the truncated file is an error of the run
        assert run_row.counts["process"]["skipped.not_html"] == 1
        assert run_row.counts["process"]["read_failure.truncated"] == 1
        n_docs = len(docs)

    # Parquet partitions by date, readable by pandas
    frame = pd.read_parquet(settings.processed_dir / "documents")
    assert len(frame) == n_docs and "text" in frame.columns

    # a second run redoes nothing
    again = process_warcs(engine, settings)
    assert again.extracted == 0 and again.duplicates == 0 and not again.skipped
    assert again.already_done == summary.records
    with session_scope(engine) as session:
        assert len(session.scalars(select(Document)).all()) == n_docs


def test_explicit_paths_and_partial_progress(engine, tmp_path):
    settings, _ = _setup(tmp_path)
    first = sorted(settings.raw_dir.rglob("*.warc.gz"))[0]
    summary = process_warcs(engine, settings, paths=[first], export=False)
    assert summary.files == 1 and summary.extracted == 6
    rest = process_warcs(engine, settings, export=False)
    assert rest.already_done == 6 and rest.extracted > 0


def test_a_crawled_documents_source_survives_processing(engine, tmp_path):
    """The crawl records the registry's source; ``netra process`` of the same page (keyed by the
    same canonical URL) fills the row in and keeps that source, not the URL's host."""
    import hashlib
    from datetime import UTC, datetime

    from pipeline.schema import canonical_url, doc_key_for
    from pipeline.store.crawl_state import FetchedUrl
    from pipeline.store.documents import CrawledPage, source_name_of, store_crawled_pages

    settings = load_settings(data_dir=tmp_path / "data")
    uri, body, content_type, status = fixture_records()[0]
    ref = "raw/2026/01/02/crawl-1.warc.gz"
    write_warc(settings.data_dir / ref, [(uri, body, content_type, status)])
    canonical = canonical_url(body, uri)
    key = doc_key_for(canonical, f"{ref}#0")
    fetched = FetchedUrl("url-key", 200, datetime.now(UTC), ref, 0)
    page = CrawledPage(fetched, key, uri, canonical, "registry-name", hashlib.sha256(body).hexdigest())
    assert store_crawled_pages(engine, [page]) == {key}
    summary = process_warcs(engine, settings, export=False)
    assert summary.extracted + summary.duplicates == 1
    with session_scope(engine) as session:
        docs = session.scalars(select(Document)).all()
    assert [d.doc_key for d in docs] == [key]  # one row: the crawl's, filled in
    assert docs[0].text
    assert source_name_of(engine, key) == "registry-name"
