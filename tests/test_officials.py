"""Officials component: each pattern family on sentences written for these tests."""

import pytest

from pipeline.events.pipeline import build_nlp
from pipeline.events.spans import iter_slots
from pipeline.events.titles import is_degree, is_degree_chain


@pytest.fixture(scope="module")
def nlp():
    return build_nlp(use_ner=False, use_learned=False).nlp  # the title rules themselves


def officials(nlp, text):
    doc = nlp(text)
    return {s.value["name"]: s.value for _, s in iter_slots(doc, "officials")}


def test_acting_long_form_with_abbreviation_and_degrees(nlp):
    got = officials(nlp, "Penjabat (Pj) Bupati Sintang Budi Santoso, S.Sos, M.Si memimpin rapat di aula.")
    assert got["Budi Santoso"] | {} == {
        "name": "Budi Santoso",
        "office": "bupati",
        "acting": "pj",
        "region": "61.05",
        "role": "leader",
    }


def test_abbreviated_acting_with_dot_and_name_after_comma(nlp):
    got = officials(nlp, "Plt. Gubernur Bengkulu, Dr. H. Ahmad Yani, MAP menghadiri acara itu.")
    off = got["Ahmad Yani"]
    assert (off["office"], off["acting"], off["region"], off["role"]) == ("gubernur", "plt", "17", "attendee")


def test_acting_in_parenthesis_after_office(nlp):
    got = officials(nlp, "Penjabat Sementara Bupati (Pjs) Sintang Rudi Gunawan mengatakan hal itu.")
    assert got["Rudi Gunawan"]["acting"] == "pjs"


def test_election_supervisor_with_city_jurisdiction(nlp):
    got = officials(nlp, "Ketua Bawaslu Kota Kupang, Andi Wijaya mengatakan laporan sudah diterima.")
    assert got["Andi Wijaya"]["office"] == "ketua_bawaslu"
    assert got["Andi Wijaya"]["region"] == "53.71"


def test_agency_head_with_body_name(nlp):
    got = officials(nlp, "Kepala Badan Kepegawaian Daerah Kabupaten Sintang, Maria Ulfa, menjelaskan aturan itu.")
    assert got["Maria Ulfa"]["office"] == "kepala_opd"
    assert got["Maria Ulfa"]["region"] == "61.05"


def test_division_coordinator_is_bawaslu_member(nlp):
    got = officials(nlp, "Koordinator Divisi Pencegahan dan Humas Bawaslu Lina Marlina menyebutkan dua kasus.")
    assert got["Lina Marlina"]["office"] == "anggota_bawaslu"


def test_name_before_title(nlp):
    got = officials(nlp, "Hal itu disampaikan, ujar Tono Sugiarto, Juru Bicara Bawaslu Jawa Tengah.")
    assert got["Tono Sugiarto"]["office"] == "other"


def test_enumerated_names_after_yakni(nlp):
    got = officials(nlp, "Ia didampingi dua anggota Bawaslu yakni Agus Salim, dan Rina Marlina di kantornya.")
    assert {"Agus Salim", "Rina Marlina"} <= set(got)
    assert got["Rina Marlina"]["office"] == "anggota_bawaslu"


def test_short_mention_is_linked_not_duplicated(nlp):
    got = officials(nlp, "Sekda Kabupaten Sintang Yohanes Budiman membuka acara. Menurut Yohanes, ASN wajib netral.")
    assert list(got) == ["Yohanes Budiman"]
    assert got["Yohanes Budiman"]["office"] == "sekda"


def test_nickname_in_parenthesis_merges(nlp):
    got = officials(nlp, "Presiden Bambang Sutrisno (Bambu) hadir. Presiden Bambu lalu meminta ASN netral.")
    assert list(got) == ["Bambang Sutrisno"]


def test_place_named_after_office_is_not_a_person(nlp):
    assert officials(nlp, "Apel digelar di Halaman Kantor Bupati Sintang pada pagi hari.") == {}


def test_passing_reference_is_skipped(nlp):
    assert officials(nlp, "Rapat itu sesuai arahan Presiden Bambang Sutrisno tentang pelayanan.") == {}


def test_headline_words_are_not_names(nlp):
    got = officials(nlp, "Camat Diduga Langgar Netralitas\nWarga melapor ke Bawaslu.")
    assert got == {}


def test_subject_role_from_violation_cue(nlp):
    got = officials(nlp, "Kepala Desa Sukamaju Darto Wiyono dilaporkan ke Bawaslu karena berkampanye.")
    assert got["Darto Wiyono"]["office"] == "kepala_desa"
    assert got["Darto Wiyono"]["role"] == "subject"


def test_degrees():
    assert is_degree("S.STP") and is_degree("M.Si.") and is_degree("Drs") and is_degree("H.")
    assert is_degree_chain("S.Kep.,M.Kep")
    assert not is_degree("Budi")


def test_nickname_cue_links_the_short_name_to_the_official(nlp):
    got = officials(
        nlp,
        "Camat Lubuk Sikaping Ahmad Fauzi membuka sosialisasi netralitas ASN. "
        "Ozi, sapaan akrab Ahmad Fauzi, meminta ASN tetap netral. Camat Ozi juga mengingatkan kepala desa.",
    )
    assert list(got) == ["Ahmad Fauzi"]
