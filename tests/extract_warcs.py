"""Builders of small WARC files for the extraction tests, from the real fixture pages."""

from __future__ import annotations

import io
import json
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

HTML_DIR = Path(__file__).parent / "fixtures" / "html"


def gold_pages() -> list[dict]:
    with (HTML_DIR / "gold.jsonl").open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def page_bytes(name: str) -> bytes:
    return (HTML_DIR / name).read_bytes()


def write_warc(path: Path, records: list[tuple], gzip: bool = True, with_requests: bool = True) -> Path:
    """``records``: (uri, body bytes, content type, status) tuples -> a WARC like our crawler's
    (request + response records) or, with ``with_requests=False``, like CC-NEWS (responses only)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=gzip)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "netra-tests"}))
        for uri, body, content_type, status in records:
            if with_requests:
                req = StatusAndHeaders(f"GET {uri} HTTP/1.1", [("Host", "example")], is_http_request=True)
                writer.write_record(writer.create_warc_record(uri, "request", http_headers=req))
            headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=headers)
            )
    return path


def fixture_records() -> list[tuple]:
    return [(p["url"], page_bytes(p["file"]), "text/html", "200 OK") for p in gold_pages()]
