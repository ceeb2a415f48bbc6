"""Event-type and event-date rules: short articles and sentences written for these tests.

Each rule has a case where it fires and a near miss where it must not, so a test fails when
the rule is removed or over-reaches.  The cases that need only a text and its expected types,
dates or cue flags live in tests/cases/event_types.yml and tests/cases/cues.yml (test_cases.py);
what stays here looks at the date component's own flags and confidences.
"""

from __future__ import annotations

from datetime import date

import pytest
import spacy

from pipeline.events import EventExtractor
from pipeline.events.spans import findings, iter_slots
from pipeline.schema import ArticleInput


@pytest.fixture(scope="module")
def extractor():
    return EventExtractor(use_ner=False)


@pytest.fixture(scope="module")
def date_nlp():
    nlp = spacy.blank("id")
    nlp.add_pipe("netra_sentences")
    nlp.add_pipe("netra_dates")
    return nlp


def events(extractor, text, published=date(2024, 9, 12), title=None):
    result = extractor.extract(ArticleInput(id="t", text=text, published=published, title=title))
    assert result.relevant, text
    return [(e.type, e.date) for e in result.events]


def dates(nlp, text, published=date(2024, 9, 12)):
    doc = nlp.make_doc(text)
    findings(doc).article = ArticleInput(id="t", text=text, published=published)
    for _name, proc in nlp.pipeline:
        doc = proc(doc)
    return [(span.text, slot.value, slot.confidence) for span, slot in iter_slots(doc, "dates")]


# --- dates ---------------------------------------------------------------------------------------


def test_document_number_year_is_a_low_confidence_date(date_nlp):
    found = dates(date_nlp, "Pemkab menerbitkan Surat Edaran Nomor 800/123 Tahun 2023 tentang netralitas.")
    assert [(v["date"], v["precision"], v.get("document")) for _t, v, _c in found] == [("2023", "year", True)]
    assert found[0][2] < 0.5


def test_date_that_closes_a_tally_is_a_bound(date_nlp):
    bound = dates(date_nlp, "Hingga akhir masa pendaftaran pada Minggu (8/9), Bawaslu telah memproses 12 pelanggaran.")
    assert bound[0][1].get("bound") and bound[0][2] < 0.5
    held = dates(date_nlp, "Rakor berlangsung sejak Senin (9/9) hingga Selasa (10/9).")
    assert not any(v.get("bound") for _t, v, _c in held)


def test_violation_is_dated_by_the_act_not_its_examination(extractor, date_nlp):
    flagged = dates(date_nlp, "Kepala desa itu sudah diperiksa pada Sabtu (7/9).")
    assert flagged[0][1].get("handling")
    text = (
        "Bawaslu Kabupaten Lembah Hijau menemukan dugaan pelanggaran netralitas seorang kepala desa pada "
        "Pilkada 2024. Berdasarkan temuan Bawaslu pada 6 September 2024, kepala desa itu dilaporkan "
        "menghadiri kampanye pasangan calon pada 2 September 2024."
    )
    assert events(extractor, text) == [("violation", "2024-09-02")]
