"""Bad JSON Lines input: each problem named by file, line and record id; the rest goes on."""

from __future__ import annotations

from pipeline.jsonl import RecordError, read_articles
from pipeline.schema import ArticleInput


def test_bad_lines_are_reported_and_good_ones_kept(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_bytes(
        b'{"id": "ok-1", "text": "Rakor netralitas ASN."}\n'
        b'{"id": "broken", "text": \n'
        b'{"id": "no-text", "title": "x"}\n'
        b"\n"
        b'{"id": "bad-utf8", "text": "caf\xe9"}\n'
        b'["not", "an", "object"]\n'
        b'{"id": "blank", "text": "   "}\n'
        b'{"id": "bad-date", "text": "x", "published": "kemarin"}\n'
        b'{"id": "ok-2", "text": "Apel netralitas.", "published": "2024-10-10T08:00:00+07:00"}\n'
    )
    items = list(read_articles(path))
    good = [i for i in items if isinstance(i, ArticleInput)]
    bad = [i for i in items if isinstance(i, RecordError)]
    assert [g.id for g in good] == ["ok-1", "ok-2"]
    assert str(good[1].published) == "2024-10-10"
    messages = {e.line: str(e) for e in bad}
    assert set(messages) == {2, 3, 5, 6, 7, 8}
    assert "malformed JSON" in messages[2] and f"{path}:2" in messages[2]
    assert "'no-text'" in messages[3] and "text" in messages[3]
    assert "invalid UTF-8" in messages[5]
    assert "expected a JSON object" in messages[6]
    assert "'blank'" in messages[7] and "blank" in messages[7]
    assert "'bad-date'" in messages[8] and "published" in messages[8]


def test_partial_publication_dates_kept_as_hint(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text('{"id": "y", "text": "x", "published": "2021"}\n{"id": "m", "text": "x", "published": "2021-05"}\n')
    year, month = read_articles(path)
    assert (year.published, year.published_partial) == (None, "2021")
    assert (month.published, month.published_partial) == (None, "2021-05")
