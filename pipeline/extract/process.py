"""``netra process``: every WARC response record not yet processed -> a ``documents`` row.

One small transaction per record writes the document and marks the record in
``warc_records``, so a killed run loses nothing and the next run redoes nothing.
Bad input (non-HTML, empty, oversized, undecodable, damaged WARC/gzip) is skipped
with a counted reason, never stopping the run.  Damage that ends a file is counted
in the run but not written to ``warc_records``: a WARC still being written by the
crawler is then read again, complete, by a later run.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from pipeline.extract import dedup, parquet
from pipeline.extract.core import ExtractedPage, ExtractionError, extract_page
from pipeline.extract.warc import ReadFailure, WarcResponse, iter_warc
from pipeline.logs import get_logger
from pipeline.schema import DocumentRecord, canonical_url, doc_key_for
from pipeline.settings import Settings
from pipeline.store.db import Engine
from pipeline.store.documents import SourceDirectory, mark_record, processed_offsets, store_processed
from pipeline.store.runs import RunRecorder

log = get_logger(__name__)

STAGE = "process"
WARC_PATTERNS = ("*.warc.gz", "*.warc")


@dataclass
class ProcessSummary:
    files: int = 0
    records: int = 0  # response records seen
    already_done: int = 0
    extracted: int = 0
    duplicates: int = 0
    skipped: Counter[str] = field(default_factory=Counter)  # reason -> count
    failed: int = 0
    read_failures: Counter[str] = field(default_factory=Counter)  # reason -> files
    partitions: set[str] = field(default_factory=set)

    @property
    def ok(self) -> bool:
        return not self.failed and not self.read_failures


def find_warcs(raw_dir: Path) -> list[Path]:
    """Every WARC under ``raw_dir`` (data/raw/YYYY/MM/DD/*.warc.gz), oldest path first."""
    found = {p for pattern in WARC_PATTERNS for p in raw_dir.rglob(pattern) if p.is_file()}
    return sorted(found)


def warc_ref(path: Path, data_dir: Path) -> str:
    """The path stored in ``warc_records`` and ``raw_ref``: relative to the data dir when inside it."""
    path = path.resolve()
    try:
        return path.relative_to(data_dir.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def source_name_for(url: str | None, sources: SourceDirectory | None = None) -> str | None:
    """The registered source owning ``url`` (``sources``, from the store), else the URL's host."""
    if not url:
        return None
    owner = sources.owner(url) if sources is not None else None
    if owner:
        return owner
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or None


def _parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _record(
    page: ExtractedPage, item: WarcResponse, ref: str, sources: SourceDirectory | None = None
) -> DocumentRecord:
    # The crawler's canonical URL, from the same bytes: both stages key this page alike.
    canonical = canonical_url(item.payload, item.target_uri) if item.target_uri else None
    return DocumentRecord(
        doc_key=doc_key_for(canonical, f"{ref}#{item.offset}"),
        url=item.target_uri,
        canonical_url=canonical,
        # A document the crawl recorded keeps its source; others (CC-NEWS, backfill, a WARC of
        # another crawler) get the registered source owning the host, else the host itself.
        source_name=source_name_for(item.target_uri, sources),
        title=page.title,
        author=page.author,
        sitename=page.sitename,
        published_at=_parse_time(page.published),
        fetched_at=_parse_time(item.warc_date),
        content_sha256=dedup.text_sha256(page.text),
        raw_ref=f"{ref}#{item.offset}",
        extractor=page.extractor,
        extractor_version=page.extractor_version,
        language=page.language,
        dateline_city=page.dateline_city,
        outlet_tag=page.outlet_tag,
        text=page.text,
        status="extracted",
    )


class _Processor:
    def __init__(self, engine: Engine, settings: Settings, run: RunRecorder | None = None):
        self.engine = engine
        self.settings = settings
        self.run = run
        self.summary = ProcessSummary()
        self.index = dedup.load_from_store(engine, settings.extract.dedup_window)
        self.sources = SourceDirectory.load(engine)

    def count(self, key: str, n: int = 1) -> None:
        if self.run is not None:
            self.run.count(STAGE, key, n)

    def skip(self, ref: str, item: WarcResponse, reason: str) -> None:
        mark_record(self.engine, ref, item.offset, item.target_uri, "skipped", reason)
        self.summary.skipped[reason.split(":")[0]] += 1
        self.count(f"skipped.{reason.split(':')[0]}")

    def handle(self, ref: str, item: WarcResponse) -> None:
        if item.skip_reason:
            self.skip(ref, item, item.skip_reason)
            return
        try:
            page = extract_page(
                item.payload,
                url=item.target_uri,
                content_type=item.content_type,
                timezone=self.settings.extract.timezone,
            )
        except ExtractionError as exc:
            self.skip(ref, item, str(exc))
            return
        record = _record(page, item, ref, self.sources)
        match = None
        if page.language not in self.settings.extract.languages:
            record.status, record.status_reason = "skipped", f"language={page.language or 'unknown'}"
        else:
            match = self.index.find(record.doc_key, page.text)
            if match is not None:
                record.status = "duplicate"
                record.status_reason = f"near-duplicate of {match.doc_key} (jaccard {match.similarity:.2f})"
                record.duplicate_of_key = match.doc_key
        store_processed(self.engine, record, ref, item.offset, item.target_uri)
        self.summary.partitions.add(parquet.partition_of(record.published_at, record.fetched_at))
        if record.status == "extracted":
            self.index.add(record.doc_key, page.text)
            self.summary.extracted += 1
            self.count("extracted")
        elif record.status == "duplicate":
            self.summary.duplicates += 1
            self.count("duplicate")
        else:
            self.summary.skipped["language"] += 1
            self.count("skipped.language")

    def process_file(self, path: Path) -> None:
        ref = warc_ref(path, self.settings.data_dir)
        done = processed_offsets(self.engine, ref)
        self.summary.files += 1
        for item in iter_warc(path, self.settings.extract.max_page_bytes):
            if isinstance(item, ReadFailure):
                self.summary.read_failures[item.reason] += 1
                self.count(f"read_failure.{item.reason}")
                if self.run is not None:  # logs it too, once
                    self.run.add_error(STAGE, where=f"{ref}#{item.offset}", error=f"{item.reason}: {item.error}")
                else:
                    log.warning("%s: unreadable after offset %d (%s): %s", ref, item.offset, item.reason, item.error)
                continue
            self.summary.records += 1
            if item.offset in done:
                self.summary.already_done += 1
                continue
            try:
                self.handle(ref, item)
            except Exception as exc:
                self.summary.failed += 1
                log.exception("%s#%d: extraction failed", ref, item.offset)
                if self.run is not None:
                    self.run.add_error(STAGE, where=f"{ref}#{item.offset}", error=exc)
                try:
                    mark_record(
                        self.engine, ref, item.offset, item.target_uri, "failed", f"{type(exc).__name__}: {exc}"[:500]
                    )
                except Exception:
                    log.exception("%s#%d: could not record the failure", ref, item.offset)


def process_warcs(
    engine: Engine,
    settings: Settings,
    paths: Iterable[Path] | None = None,
    run: RunRecorder | None = None,
    export: bool = True,
) -> ProcessSummary:
    """Extract every not-yet-processed response record of ``paths`` (default: all WARCs under data/raw)."""
    files = [Path(p) for p in paths] if paths is not None else find_warcs(settings.raw_dir)
    processor = _Processor(engine, settings, run)
    for path in files:
        if run is not None:
            with run.timed(STAGE):
                processor.process_file(path)
        else:
            processor.process_file(path)
    summary = processor.summary
    if export and summary.partitions:
        parquet.export_documents(engine, settings.processed_dir / "documents", summary.partitions)
    return summary
