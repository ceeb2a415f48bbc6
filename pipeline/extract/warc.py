"""Streaming reader of WARC files (our crawls, Common Crawl's CC-NEWS, any standard WARC).

Records are read one at a time with warcio's ``ArchiveIterator``; a WARC is never loaded
whole, and a payload is read only up to the size limit.  Damage (truncated or corrupt
gzip, garbage between records) ends the file with a ``ReadFailure`` item instead of an
exception, so a run goes on with the next file.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from pipeline.logs import get_logger, quote_damaged

log = get_logger(__name__)

HTML_TYPES = ("text/html", "application/xhtml+xml", "application/xml", "text/xml")
_READ_ERRORS = (ArchiveLoadFailed, zlib.error, EOFError, OSError, ValueError, UnicodeDecodeError, IndexError)


@dataclass
class WarcResponse:
    """One HTTP response record.  ``skip_reason`` is set when it cannot be extracted."""

    path: Path
    offset: int
    target_uri: str | None
    http_status: int | None
    http_headers: list[tuple[str, str]] = field(default_factory=list)
    warc_date: str | None = None
    payload: bytes = b""
    skip_reason: str | None = None

    def header(self, name: str) -> str | None:
        name = name.lower()
        return next((value for key, value in self.http_headers if key.lower() == name), None)

    @property
    def content_type(self) -> str | None:
        return self.header("content-type")


@dataclass
class ReadFailure:
    """The file could not be read past ``offset``: the rest of it is skipped."""

    path: Path
    offset: int
    reason: str  # e.g. "corrupt_gzip", "truncated"
    error: str


def is_html(content_type: str | None, payload_head: bytes) -> bool:
    """HTML by its declared type, or by sniffing when the type is missing or generic."""
    if content_type:
        mime = content_type.split(";", 1)[0].strip().lower()
        if mime in HTML_TYPES:
            return True
        if mime not in ("", "application/octet-stream", "text/plain"):
            return False
    head = payload_head[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<?xml")) or b"<html" in head


def _reason_for(exc: BaseException) -> str:
    if "unknown archive format" in str(exc).lower():
        return "not_warc"
    if isinstance(exc, EOFError) or "truncat" in str(exc).lower():
        return "truncated"
    if isinstance(exc, zlib.error) or "gzip" in str(exc).lower() or "decompress" in str(exc).lower():
        return "corrupt_gzip"
    return "corrupt_record"


def _read_response(record: Any, path: Path, offset: int, max_bytes: int) -> WarcResponse:
    headers = record.http_headers
    status = None
    if headers is not None:
        try:
            status = int(headers.get_statuscode())
        except (TypeError, ValueError):
            status = None
    item = WarcResponse(
        path=path,
        offset=offset,
        target_uri=record.rec_headers.get_header("WARC-Target-URI"),
        http_status=status,
        http_headers=list(headers.headers) if headers is not None else [],
        warc_date=record.rec_headers.get_header("WARC-Date"),
    )
    if headers is None:
        item.skip_reason = "no_http_headers"
        return item
    if status is not None and not 200 <= status < 300:
        item.skip_reason = f"http_{status}"
        return item
    # content_stream() undoes chunked and Content-Encoding (gzip/br) transfer coding.
    payload = record.content_stream().read(max_bytes + 1)
    if len(payload) > max_bytes:
        item.skip_reason = "too_large"
        return item
    if getattr(record.raw_stream, "limit", 0) > 0:
        # Fewer bytes than the record's Content-Length: the file ends inside this record.
        raise EOFError(f"record truncated: {record.raw_stream.limit} of {record.length} bytes missing")
    if not payload.strip():
        item.skip_reason = "empty"
        return item
    if not is_html(item.content_type, payload):
        item.skip_reason = "not_html"
        return item
    item.payload = payload
    return item


def iter_warc(path: str | Path, max_bytes: int = 10 * 1024 * 1024) -> Iterator[WarcResponse | ReadFailure]:
    """Yield every response record of ``path`` (and one ``ReadFailure`` if the file is damaged).

    Request, warcinfo, metadata and revisit records are not yielded.
    """
    path = Path(path)
    offset = 0
    try:
        with path.open("rb") as fh:
            records = ArchiveIterator(fh, no_record_parse=False)
            for record in records:
                # records.offset is the record's start while it is current;
                # get_record_offset() would read the record to its end first.
                offset = records.offset
                if record.format != "warc" and not record.rec_headers.get_header("WARC-Type"):
                    if record.format == "arc" and record.length:
                        pass  # a real ARC record: read like a response
                    else:
                        raise ValueError("not a WARC record (no WARC-Type header)")
                if record.rec_type != "response":
                    continue
                try:
                    item = _read_response(record, path, offset, max_bytes)
                except EOFError:
                    raise  # the file ends here: a ReadFailure, not a record to mark as skipped
                except Exception as exc:
                    # A damaged payload (e.g. bad Content-Encoding) spoils this record only,
                    # unless the underlying stream is broken: the iterator then fails below.
                    item = WarcResponse(
                        path,
                        offset,
                        record.rec_headers.get_header("WARC-Target-URI"),
                        None,
                        skip_reason=f"bad_payload: {type(exc).__name__}",
                    )
                yield item
    except Exception as exc:
        reason = _reason_for(exc)
        offset = getattr(records, "offset", offset) if "records" in locals() else offset
        # Not logged here: the caller records it once (warcio quotes the damaged bytes, escaped and cut).
        yield ReadFailure(path, offset, reason, quote_damaged(f"{type(exc).__name__}: {exc}"))
