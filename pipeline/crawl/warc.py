"""The raw archive: gzipped WARC/1.1 files under ``data/raw/YYYY/MM/DD/``.

Each fetched article becomes a response record (payload digest, WARC-Date,
WARC-Target-URI, WARC-IP-Address when known) followed by its request record
(``WARC-Concurrent-To`` the response).  Every record is its own gzip member and
is flushed and fsynced before its offset is handed to the store, so a crawl
killed at any moment leaves every earlier record readable.  A process never
appends to an existing file (a killed writer may have left a truncated last
member); each writer opens new files, named by time, pid and sequence.
"""

from __future__ import annotations

import contextlib
import io
import os
import socket
import uuid
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pipeline import __version__
from pipeline.logs import get_logger

log = get_logger(__name__)

GZIP_LEVEL = 6  # warcio's own gzip uses 9: twice the CPU for ~1% smaller files

# The body handed to us is already decoded; keep what the server said under another name.
_DECODED_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}


@dataclass(frozen=True)
class WarcRef:
    path: str  # relative to the data directory, e.g. raw/2024/06/01/netra-....warc.gz
    offset: int  # of the response record
    length: int  # compressed bytes of the response record

    @property
    def raw_ref(self) -> str:
        return f"{self.path}#{self.offset}"


def _archive_headers(headers: list[tuple[str, str]], body_length: int | None) -> list[tuple[str, str]]:
    out = []
    for name, value in headers:
        if name.lower() in _DECODED_HEADERS:
            out.append((f"X-Archive-Orig-{name}", value))
        else:
            out.append((name, value))
    if body_length is not None:
        out.append(("Content-Length", str(body_length)))
    return out


class WarcArchive:
    """Writes request/response pairs; rotates by size and by day."""

    def __init__(self, data_dir: Path, max_bytes: int = 1024**3, prefix: str = "netra", fsync: bool = True):
        self.data_dir = Path(data_dir)
        self.raw_dir = self.data_dir / "raw"
        self.max_bytes = max_bytes
        self.prefix = prefix
        self.fsync = fsync
        self._fh: io.BufferedWriter | None = None
        # warcio serializes each record into this buffer; we gzip it as one member and write it
        # with one call (warcio's writer would gzip at level 9 and flush twice per record).
        self._buffer = io.BytesIO()
        self._writer = WARCWriter(self._buffer, gzip=False, warc_version="1.1")
        self._path: Path | None = None
        self._day: str | None = None
        self._sequence = 0

    # -- files -------------------------------------------------------------------------------
    def _open(self, now: datetime) -> None:
        self.close()
        day_dir = self.raw_dir / f"{now:%Y}" / f"{now:%m}" / f"{now:%d}"
        day_dir.mkdir(parents=True, exist_ok=True)
        self._sequence += 1
        name = f"{self.prefix}-{now:%Y%m%d%H%M%S}-{os.getpid()}-{self._sequence:05d}.warc.gz"
        self._path = day_dir / name
        self._fh = open(self._path, "xb")  # noqa: SIM115 - kept open across records; closed in close()
        self._day = f"{now:%Y%m%d}"
        try:
            self._write_info(name)
        except OSError as exc:
            raise self._abandon(exc, keep=0) from None
        log.info("writing WARC %s", self._path)

    def _write_info(self, name: str) -> None:
        info = self._writer.create_warcinfo_record(
            name,
            {
                "software": f"netra/{__version__} (Scrapy, warcio)",
                "hostname": socket.gethostname(),
                "format": "WARC File Format 1.1",
                "isPartOf": "netra-crawl",
            },
        )
        self._write_member(info)
        self._sync()

    def _sync(self) -> None:
        assert self._fh is not None
        self._fh.flush()
        if self.fsync:
            os.fsync(self._fh.fileno())

    def sync(self) -> None:
        """Make every record written so far durable (before the store points at them)."""
        if self._fh is not None:
            self._sync()

    def close(self) -> None:
        if self._fh is not None:
            self._sync()
            self._fh.close()
        self._fh = None

    def _write_member(self, record: Any) -> None:
        """One record as one gzip member (readable from its offset alone)."""
        assert self._fh is not None
        self._buffer.seek(0)
        self._buffer.truncate()
        self._writer.write_record(record)
        compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, zlib.MAX_WBITS + 16)
        self._fh.write(compressor.compress(self._buffer.getvalue()) + compressor.flush())

    # -- records -----------------------------------------------------------------------------
    def write(
        self,
        url: str,
        status: int,
        response_headers: list[tuple[str, str]],
        body: bytes,
        request_headers: list[tuple[str, str]],
        fetched_at: datetime | None = None,
        protocol: str = "HTTP/1.1",
        ip_address: str | None = None,
        method: str = "GET",
        sync: bool = True,
    ) -> WarcRef:
        """Append a response record and its request record; flushed always, fsynced when ``sync``
        (otherwise call ``sync()`` before anything durable refers to the record)."""
        now = (fetched_at or datetime.now(UTC)).astimezone(UTC)
        if self._fh is None or self._day != f"{now:%Y%m%d}" or self._fh.tell() >= self.max_bytes:
            try:
                self._open(now)
            except OSError as exc:
                raise self._abandon(exc) from None
        assert self._writer is not None and self._fh is not None and self._path is not None
        warc_date = now.isoformat(timespec="microseconds").replace("+00:00", "Z")
        try:
            reason = HTTPStatus(status).phrase
        except ValueError:
            reason = "Unknown"
        http_headers = StatusAndHeaders(
            f"{status} {reason}",
            _archive_headers(response_headers, len(body)),
            protocol=protocol if protocol.startswith("HTTP/") else "HTTP/1.1",
        )
        response_id = f"<urn:uuid:{uuid.uuid4()}>"
        warc_headers = {"WARC-Date": warc_date, "WARC-Record-ID": response_id}
        if ip_address:
            warc_headers["WARC-IP-Address"] = ip_address
        response = self._writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(body),
            length=len(body),
            http_headers=http_headers,
            warc_headers_dict=warc_headers,
        )
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        request_http = StatusAndHeaders(f"{method} {target} HTTP/1.1", request_headers, is_http_request=True)
        request = self._writer.create_warc_record(
            url,
            "request",
            payload=io.BytesIO(b""),
            length=0,
            http_headers=request_http,
            warc_headers_dict={"WARC-Date": warc_date, "WARC-Concurrent-To": response_id},
        )
        offset = self._fh.tell()
        try:
            self._write_member(response)
            length = self._fh.tell() - offset
            self._write_member(request)
            if sync:
                self._sync()
            else:
                self._fh.flush()
        except OSError as exc:
            raise self._abandon(exc, keep=offset) from None
        return WarcRef(str(self._path.relative_to(self.data_dir)), offset, length)

    def _abandon(self, exc: OSError, keep: int | None = None) -> OSError:
        """Drop the file a write failed on (disk full, …): no later record goes there (the next write
        opens a new file), and its tail is cut back to ``keep`` bytes, the end of its last whole record
        (0: the file goes), so no partial member is left for every later run to report as damage.
        The error names the file, which a plain ``write`` error on a full disk does not."""
        path, fh = self._path, self._fh
        self._fh = None
        if fh is not None:
            with contextlib.suppress(OSError):
                fh.close()  # flushes what is buffered: fails again on a full disk, closes anyway
        if keep is not None and path is not None:
            with contextlib.suppress(OSError):  # truncating frees space: works on a full disk too
                if keep == 0:
                    path.unlink()
                else:
                    os.truncate(path, keep)
        if exc.filename is not None:
            return exc
        return OSError(exc.errno, exc.strerror or str(exc), str(path))
