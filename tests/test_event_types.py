"""Event-type and event-date rules: short articles and sentences written for these tests.

Each rule has a case where it fires and a near miss where it must not, so a test fails when
the rule is removed or over-reaches.
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
def cue_nlp():
    nlp = spacy.blank("id")
    nlp.add_pipe("netra_sentences")
    nlp.add_pipe("netra_event_cues")
    return nlp


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


def types(extractor, text, **kw):
    return {t for t, _d in events(extractor, text, **kw)}


def cues(nlp, text):
    doc = nlp(text)
    return [(span.text.lower(), slot.value) for span, slot in iter_slots(doc, "event_cues")]


def dates(nlp, text, published=date(2024, 9, 12)):
    doc = nlp.make_doc(text)
    findings(doc).article = ArticleInput(id="t", text=text, published=published)
    for _name, proc in nlp.pipeline:
        doc = proc(doc)
    return [(span.text, slot.value, slot.confidence) for span, slot in iter_slots(doc, "dates")]


# --- sanction events need a sanction recommended or imposed --------------------------------------

RULES_EXPLAINED = (
    "Kepala BKD Kabupaten Lembah Hijau menjelaskan aturan netralitas ASN menjelang Pilkada 2024. "
    "Menurut dia, sanksi bagi pelanggaran netralitas tercantum dalam PP 94 Tahun 2021. "
    "Sanksi disiplin sedang mulai dari pemotongan tunjangan kinerja sebesar 25 persen. "
    "Kemudian hukuman disiplin berat berupa penurunan jabatan setingkat lebih rendah."
)
SANCTION_IMPOSED = (
    "Seorang camat di Kabupaten Lembah Hijau dijatuhi sanksi penurunan jabatan karena tidak netral "
    "pada Pilkada 2024. Bupati menjatuhkan hukuman disiplin berat setelah menerima rekomendasi KASN. "
    "Camat itu terbukti menghadiri kampanye salah satu pasangan calon."
)


def test_listed_sanctions_make_no_sanction_event(extractor):
    assert "sanction" not in types(extractor, RULES_EXPLAINED)
    assert types(extractor, RULES_EXPLAINED) == {"socialization"}


def test_imposed_sanction_is_a_sanction_event(extractor):
    assert "sanction" in types(extractor, SANCTION_IMPOSED)


# --- exhortations: given, not modal, not a remark --------------------------------------------------

def test_modal_request_is_not_an_exhortation(cue_nlp):
    found = cues(cue_nlp, "Kami bisa meminta data pegawai itu diblokir.")
    assert not [c for c in found if c[1].get("exhortation")]
    given = cues(cue_nlp, "Bupati meminta seluruh ASN agar menjaga netralitas.")
    assert [c for c in given if c[1].get("exhortation")]


def test_remark_with_bahwa_is_not_an_exhortation(cue_nlp):
    remark = cues(cue_nlp, "Ia menekankan bahwa bantuan sosial adalah hak rakyat.")
    assert not [c for c in remark if c[1].get("exhortation")]
    duty = cues(cue_nlp, "Ia mengingatkan bahwa ASN harus netral dalam pilkada.")
    assert [c for c in duty if c[1].get("exhortation")]


def test_addressed_exhortation_is_flagged(cue_nlp):
    addressed = cues(cue_nlp, "Sekda memberikan peringatan keras kepada seluruh ASN agar tidak berpihak.")
    assert any(v.get("addressed") for _t, v in addressed)
    bare = cues(cue_nlp, "Sekda menekankan pentingnya integritas birokrasi.")
    assert not any(v.get("addressed") for _t, v in bare)


def test_article_of_remarks_is_a_socialization(extractor):
    text = ("Pejabat Kemendagri menjelaskan aturan netralitas ASN pada Pilkada 2024. ASN yang terbukti tidak "
            "netral akan diberikan sanksi. Ia menekankan bahwa bantuan sosial adalah hak rakyat.")
    assert types(extractor, text) == {"socialization"}


def test_spoken_imbauan_is_a_directive_dated_when_said(extractor):
    text = ("Kepala Inspektorat Provinsi memberikan peringatan keras kepada seluruh ASN agar tetap netral "
            "pada Pilkada 2024. Ia juga mengimbau agar seluruh ASN tidak berpihak kepada pasangan calon.\n"
            "“Netralitas adalah kewajiban setiap pegawai,” tegasnya, Selasa (10/9).")
    assert events(extractor, text) == [("directive", "2024-09-10")]


# --- happenings told as done or under way ---------------------------------------------------------

RAKOR = ("Bupati Lembah Hijau memimpin rapat koordinasi netralitas ASN menjelang Pilkada 2024 di aula kantor "
         "bupati, Senin (9/9). Rakor diikuti seluruh camat dan kepala dinas. ")


def test_perfective_cue_is_a_second_happening(extractor):
    done = RAKOR + "Bawaslu kabupaten telah membentuk posko pengaduan netralitas ASN di setiap kecamatan."
    assert types(extractor, done) == {"rakor", "monitoring"}


def test_planned_or_bare_cue_is_no_second_happening(extractor):
    planned = RAKOR + "Bawaslu kabupaten akan membentuk posko pengaduan netralitas ASN di setiap kecamatan."
    assert types(extractor, planned) == {"rakor"}


def test_done_happening_mentioned_in_passing_is_no_second_event(extractor):
    passing = RAKOR + "Sebelumnya Bawaslu juga telah membentuk posko."
    assert types(extractor, passing) == {"rakor"}


def test_case_under_way_is_a_violation(extractor):
    text = RAKOR + "Ketua Bawaslu mengatakan pihaknya tengah menangani kasus seorang kepala desa di kabupaten itu."
    assert "violation" in types(extractor, text)


def test_perfective_flag_looks_two_words_back(cue_nlp):
    detail = " netralitas kepada seluruh kepala dinas dan camat."
    assert any(v.get("perfective") for _t, v in cues(cue_nlp, "Pemkab sudah menerbitkan surat edaran" + detail))
    assert not any(v.get("perfective") for _t, v in
                   cues(cue_nlp, "Sudah lama pemkab menunggu sebelum akhirnya menerbitkan surat edaran" + detail))


def test_meeting_on_one_case_is_not_a_rakor(cue_nlp):
    found = cues(cue_nlp, "Bawaslu menggelar rapat pada Jumat untuk memperdalam kasus itu.")
    assert not [t for t, v in found if v["type"] == "rakor"]
    assert [t for t, v in cues(cue_nlp, "Bawaslu menggelar rapat bersama camat pada Jumat.") if v["type"] == "rakor"]


def test_overlapping_cues_count_once(cue_nlp):
    found = [t for t, v in cues(cue_nlp, "Wali kota membuka rapat koordinasi netralitas ASN.") if v["type"] == "rakor"]
    assert found == ["rapat koordinasi"]


# --- dates ---------------------------------------------------------------------------------------

def test_directive_takes_the_year_of_the_document_it_issues(extractor):
    text = RAKOR + ("Bupati juga telah menerbitkan Surat Edaran Nomor 800/123/BKPSDM Tahun 2023 tentang "
                    "netralitas ASN.")
    assert ("directive", "2023") in events(extractor, text)


def test_cited_document_year_dates_nothing(extractor):
    text = ("Bupati Lembah Hijau mengimbau seluruh ASN agar netral pada Pilkada 2024, sesuai "
            "Undang-Undang Nomor 5 Tahun 2014 tentang ASN.")
    assert events(extractor, text, published=None) == [("directive", None)]


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
    text = ("Bawaslu Kabupaten Lembah Hijau menemukan dugaan pelanggaran netralitas seorang kepala desa pada "
            "Pilkada 2024. Berdasarkan temuan Bawaslu pada 6 September 2024, kepala desa itu dilaporkan "
            "menghadiri kampanye pasangan calon pada 2 September 2024.")
    assert events(extractor, text) == [("violation", "2024-09-02")]
