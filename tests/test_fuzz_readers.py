"""Property-based tests (hypothesis) of the readers of outside input (issue 18, item 10).

Damaged JSON Lines, WARC files (truncated, bytes flipped, random bytes, wrong Content-Length)
and source registries: never an unhandled exception, everything before the damage still read,
and an error that names the file and the position (line, offset).
"""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pipeline.crawl.sources import SourcesError, load_sources
from pipeline.extract.warc import ReadFailure, WarcResponse, iter_warc
from pipeline.jsonl import RecordError, read_articles
from pipeline.schema import ArticleInput

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _article(i: int) -> bytes:
    return json.dumps({"id": f"a{i}", "text": f"Bupati mengingatkan ASN tetap netral. Nomor {i}."}).encode() + b"\n"


@FUZZ
@given(n=st.integers(1, 8), damage=st.binary(min_size=1, max_size=200), after=st.integers(0, 8))
def test_jsonl_reader_keeps_every_good_line_and_names_the_bad_one(tmp_path_factory, n, damage, after):
    path = tmp_path_factory.mktemp("jsonl") / "in.jsonl"
    cut = min(after, n)
    lines = [_article(i) for i in range(n)]
    path.write_bytes(b"".join(lines[:cut]) + damage.replace(b"\n", b" ") + b"\n" + b"".join(lines[cut:]))
    items = list(read_articles(path))  # never raises on content
    good = [i for i in items if isinstance(i, ArticleInput)]
    assert [a.id for a in good if a.id in {f"a{k}" for k in range(n)}] == [f"a{k}" for k in range(n)]
    for err in (i for i in items if isinstance(i, RecordError)):
        assert str(err).startswith(f"{path}:{cut + 1}")  # file and line of the damage


def _warc(n: int) -> bytes:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    for i in range(n):
        body = f"<html><body><p>Artikel {i} tentang netralitas ASN.</p></body></html>".encode()
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            f"http://news.example/{i}", "response", payload=io.BytesIO(body), http_headers=headers
        )
        writer.write_record(record)
    return buf.getvalue()


def _record_ends(data: bytes) -> list[int]:
    """End offset of each gzip member (one record per member)."""
    ends, rest, pos = [], data, 0
    while rest:
        d = gzip.zlib.decompressobj(16 + gzip.zlib.MAX_WBITS)
        d.decompress(rest)
        used = len(rest) - len(d.unused_data)
        pos += used
        ends.append(pos)
        rest = d.unused_data
    return ends


def _check_warc(path: Path, intact_before: int, n: int, data: bytes) -> None:
    items = list(iter_warc(path))  # never raises
    uris = [i.target_uri for i in items if isinstance(i, WarcResponse) and i.skip_reason is None]
    ends = _record_ends(data)  # of the very bytes written (record ids and dates differ per WARC)
    complete = sum(1 for end in ends if end <= intact_before)
    assert uris[:complete] == [f"http://news.example/{i}" for i in range(complete)]
    failures = [i for i in items if isinstance(i, ReadFailure)]
    assert len(failures) <= 1 and all(isinstance(i, (WarcResponse, ReadFailure)) for i in items)
    for f in failures:
        assert f.path == path and 0 <= f.offset <= path.stat().st_size and f.reason


@FUZZ
@given(n=st.integers(1, 5), cut=st.floats(0, 1))
def test_warc_reader_on_a_truncated_file(tmp_path_factory, n, cut):
    data = _warc(n)
    at = int(len(data) * cut)
    path = tmp_path_factory.mktemp("warc") / "t.warc.gz"
    path.write_bytes(data[:at])
    _check_warc(path, at, n, data)


@FUZZ
@given(n=st.integers(1, 5), where=st.floats(0, 1), junk=st.binary(min_size=1, max_size=64))
def test_warc_reader_on_a_corrupted_gzip_member(tmp_path_factory, n, where, junk):
    data = _warc(n)
    at = min(int(len(data) * where), len(data) - 1)
    path = tmp_path_factory.mktemp("warc") / "c.warc.gz"
    path.write_bytes(data[:at] + junk + data[at + len(junk) :])
    _check_warc(path, at, n, data)


@FUZZ
@given(data=st.binary(max_size=2000))
def test_warc_reader_on_random_bytes(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("warc") / "r.warc.gz"
    path.write_bytes(data)
    for item in iter_warc(path):
        assert isinstance(item, (WarcResponse, ReadFailure))


@FUZZ
@given(n=st.integers(1, 4), delta=st.integers(-40, 400).filter(lambda d: d != 0))
def test_warc_reader_on_a_wrong_content_length(tmp_path_factory, n, delta):
    """The last record (uncompressed WARC) declares more or fewer bytes than it holds."""
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=False)
    body = b"<html><body><p>netralitas ASN</p></body></html>"
    for i in range(n):
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            f"http://news.example/{i}", "response", payload=io.BytesIO(body), http_headers=headers
        )
        start = buf.tell()
        writer.write_record(record)
    data = buf.getvalue()
    last = data[start:]
    head, sep, rest = last.partition(b"\r\n\r\n")
    lines = [
        (b"Content-Length: %d" % (int(line.split(b":")[1]) + delta)) if line.startswith(b"Content-Length") else line
        for line in head.split(b"\r\n")
    ]
    path = tmp_path_factory.mktemp("warc") / "l.warc"
    path.write_bytes(data[:start] + b"\r\n".join(lines) + sep + rest)
    items = list(iter_warc(path))
    uris = [i.target_uri for i in items if isinstance(i, WarcResponse)]
    assert uris[: n - 1] == [f"http://news.example/{i}" for i in range(n - 1)]  # every record before the damage


GOOD_SOURCE = "- name: kab-a\n  home: https://a.example/\n  feeds: [https://a.example/rss]\n"


@FUZZ
@given(data=st.one_of(st.binary(max_size=300), st.text(max_size=300).map(str.encode)))
def test_registry_loader_raises_only_sources_error_naming_the_file(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("reg") / "sources.yaml"
    path.write_bytes(GOOD_SOURCE.encode() + data)
    try:
        sources = load_sources(path)
    except SourcesError as exc:
        assert str(exc).startswith(f"{path}:")
    else:
        assert all(s.name for s in sources)


def test_registry_with_invalid_utf8_names_file_and_byte(tmp_path):
    path = tmp_path / "sources.yaml"
    path.write_bytes(GOOD_SOURCE.encode() + b"- name: \xff\n")
    with pytest.raises(SourcesError, match=rf"{path}: not UTF-8 at byte {len(GOOD_SOURCE) + 8}"):
        load_sources(path)
