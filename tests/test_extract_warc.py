"""The streaming WARC reader on our crawler's layout, CC-NEWS-like files and damaged files."""

import gzip

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract.warc import ReadFailure, WarcResponse, iter_warc
from tests.extract_warcs import fixture_records, write_warc


def _items(path, **kw):
    return list(iter_warc(path, **kw))


def test_reads_response_records_with_offsets(tmp_path):
    records = fixture_records()[:3]
    path = write_warc(tmp_path / "a.warc.gz", records)
    items = _items(path)
    assert [i.target_uri for i in items] == [r[0] for r in records]
    assert all(isinstance(i, WarcResponse) and i.skip_reason is None for i in items)
    assert items[0].payload == records[0][1]
    # offsets point at the records: reading from there yields the same record first
    from warcio.archiveiterator import ArchiveIterator

    with path.open("rb") as fh:
        fh.seek(items[1].offset)
        record = next(iter(ArchiveIterator(fh)))
        assert record.rec_headers.get_header("WARC-Target-URI") == records[1][0]


def test_cc_news_like_uncompressed_responses_only(tmp_path):
    path = write_warc(tmp_path / "cc.warc", fixture_records()[:2], gzip=False, with_requests=False)
    assert len([i for i in _items(path) if i.skip_reason is None]) == 2


def test_skip_reasons(tmp_path):
    html = b"<html><body><p>Berita.</p></body></html>"
    path = write_warc(
        tmp_path / "b.warc.gz",
        [
            ("http://x/img.jpg", b"\xff\xd8\xff\xe0JFIF", "image/jpeg", "200 OK"),
            ("http://x/empty", b"", "text/html", "200 OK"),
            ("http://x/404", html, "text/html", "404 Not Found"),
            ("http://x/big", html * 1000, "text/html", "200 OK"),
            ("http://x/ok", html, "text/html", "200 OK"),
            ("http://x/untyped", html, "application/octet-stream", "200 OK"),
        ],
    )
    reasons = [i.skip_reason for i in _items(path, max_bytes=10_000)]
    assert reasons == ["not_html", "empty", "http_404", "too_large", None, None]


def test_truncated_file_yields_what_it_can_then_a_failure(tmp_path):
    path = write_warc(tmp_path / "t.warc.gz", fixture_records()[:4])
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * 0.6)])
    items = _items(path)
    assert isinstance(items[-1], ReadFailure)
    good = [i for i in items if isinstance(i, WarcResponse) and i.skip_reason is None]
    assert 1 <= len(good) < 4


def test_corrupt_gzip_and_garbage_never_raise(tmp_path):
    path = write_warc(tmp_path / "c.warc.gz", fixture_records()[:2])
    data = bytearray(path.read_bytes())
    data[400:800] = b"\x00" * 400
    path.write_bytes(bytes(data))
    assert isinstance(_items(path)[-1], ReadFailure)
    junk = tmp_path / "junk.warc.gz"
    junk.write_bytes(gzip.compress(b"this is not a warc file at all\r\n\r\n"))
    assert [type(i) for i in _items(junk)] == [ReadFailure]


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=3000))
def test_random_bytes_as_warc(tmp_path_factory, payload):
    path = tmp_path_factory.mktemp("w") / "r.warc.gz"
    path.write_bytes(payload)
    for item in iter_warc(path):
        assert isinstance(item, (WarcResponse, ReadFailure))
