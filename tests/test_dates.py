"""Date rules: sentences written for these tests."""

from __future__ import annotations

from datetime import date

import pytest
import spacy

from pipeline.events import dates as D
from pipeline.events.spans import findings, iter_slots
from pipeline.schema import ArticleInput


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("id")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("netra_dates")
    return nlp


def run(nlp, text, published=None):
    doc = nlp.make_doc(text)
    findings(doc).article = ArticleInput(id="t", text=text, published=published)
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return [s.value | {"conf": s.confidence} for _, s in iter_slots(doc, "dates")]


def test_parse_numeric_date():
    pub = date(2023, 7, 18)
    assert D.parse_numeric_date("(17/7)", pub) == ("2023-07-17", "day")
    assert D.parse_numeric_date("(20/11/2023)", None) == ("2023-11-20", "day")
    assert D.parse_numeric_date("(28/10/24)", None) == ("2024-10-28", "day")
    assert D.parse_numeric_date("(17/7)", None) is None  # no year, no publication date
    assert D.parse_numeric_date("(31/2/2024)", None) is None
    # a December date in a January piece is last year's
    assert D.parse_numeric_date("(30/12)", date(2024, 1, 3)) == ("2023-12-30", "day")


def test_parse_explicit_and_range():
    assert D.parse_explicit_date("12 Maret 2022", None) == ("2022-03-12", "day")
    assert D.parse_explicit_date("5 Agt", date(2021, 8, 9)) == ("2021-08-05", "day")
    assert D.parse_explicit_date("Februari 2019", None) == ("2019-02", "month")
    assert D.parse_range("3 Mei-5 Juni 2021", None) == ("2021", "year")
    assert D.parse_range("3-5 Juni 2021", None) == ("2021-06", "month")


def test_resolve_weekday_and_relative():
    pub = date(2022, 3, 10)  # a Thursday
    assert D.resolve_weekday("Kamis", pub) == "2022-03-10"
    assert D.resolve_weekday("Senin", pub) == "2022-03-07"
    assert D.resolve_weekday("Jumat", pub, weeks_back=1) == "2022-02-25"
    assert D.resolve_weekday("Senin", None) is None
    assert D.resolve_relative("kemarin", pub) == "2022-03-09"
    assert D.resolve_relative("hari ini", pub) == "2022-03-10"


def test_statement_clause():
    assert D.is_statement_clause(["kata", "Kepala", "Dinas", "itu", ","])
    assert not D.is_statement_clause(["ujarnya", "dalam", "rapat", "koordinasi", "di", "aula", ","])
    assert not D.is_statement_clause(["Apel", "digelar", "di", "halaman", "kantor", ","])


def test_component_weekday_paren_resolves_against_publication(nlp):
    found = run(nlp, "Apel netralitas digelar di halaman kantor bupati, Senin (14/3).", date(2022, 3, 15))
    assert [(f["date"], f["precision"], f["statement"]) for f in found] == [("2022-03-14", "day", False)]
    assert found[0]["conf"] >= 0.5


def test_component_statement_date_is_flagged(nlp):
    found = run(
        nlp, "Pelanggaran itu sudah ditangani, ujar Ketua Panwas kepada wartawan, Rabu (9/3).", date(2022, 3, 10)
    )
    assert found and found[0]["statement"] is True


def test_component_stamp_stands_in_for_publication(nlp):
    text = "Kota Contoh | Jumat, 11 Maret 2022 - 08:15 WIB\nRapat digelar Kamis (10/3) di aula."
    found = run(nlp, text)
    stamp = [f for f in found if f["cue"] == "dateline"]
    event = [f for f in found if f["cue"] == "numeric"]
    assert stamp and stamp[0]["conf"] < 0.5
    assert event and event[0]["date"] == "2022-03-10"


def test_component_no_publication_no_explicit_gives_nothing(nlp):
    assert run(nlp, "Apel digelar pada Kamis pagi di lapangan.") == []


def test_component_future_and_quotes(nlp):
    found = run(nlp, "Pemungutan suara digelar 27 November mendatang.", date(2024, 10, 1))
    assert found and found[0].get("future") and found[0]["conf"] < 0.5
    # inside a quotation "kemarin" is the speaker's yesterday
    assert run(nlp, '"Kemarin kami sudah rapat," katanya.', date(2024, 10, 1)) == []
    found = run(nlp, "Deklarasi itu digelar kemarin di balai desa.", date(2024, 10, 1))
    assert [f["date"] for f in found] == ["2024-09-30"]


def test_component_explicit_with_weekday(nlp):
    found = run(nlp, "Ikrar dibacakan pada Selasa, 8 Februari 2022 di halaman kantor camat.")
    assert [(f["date"], f["cue"]) for f in found] == [("2022-02-08", "explicit")]
    assert found[0]["conf"] == 0.9
