"""Region gazetteer matching: sentences written for these tests (not from any gold article)."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language

from pipeline.events import regions
from pipeline.events.context import boilerplate_ranges
from pipeline.events.regions import choose_code, level_cue, resolve_jurisdiction
from pipeline.events.spans import findings, iter_slots
from pipeline.schema import ArticleInput


@Language.component("test_region_lines")
def _lines(doc):
    for i, tok in enumerate(doc[:-1]):
        if "\n" in tok.whitespace_ or "\n" in tok.text:
            doc[i + 1].is_sent_start = True
    return doc


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("id")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("test_region_lines")
    nlp.add_pipe("netra_regions")
    return nlp


def run(nlp, text, **meta):
    doc = nlp.make_doc(text)
    findings(doc).article = ArticleInput(id="t", text=text, **meta)
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc


def codes(doc, min_conf=0.5):
    return {s.value["code"] for _, s in iter_slots(doc, "regions") if s.confidence >= min_conf}


def test_gov_form_and_head_title(nlp):
    doc = run(nlp, "Pemkab Sintang menggelar apel. Bupati Seluma hadir bersama Pemko Solok.")
    assert codes(doc) == {"61.05", "17.05", "13.72"}
    vias = {s.value["via"] for _, s in iter_slots(doc, "regions")}
    assert {"gov_form", "head_title"} <= vias


def test_longest_match_first(nlp):
    doc = run(nlp, "Warga Kabupaten Solok Selatan dan Padang Pariaman ikut apel.")
    assert codes(doc) == {"13.11", "13.05"}


def test_abbreviations(nlp):
    doc = run(nlp, "ASN di Muratara dan Sumsel diminta netral.")
    assert codes(doc) == {"16.13", "16"}


def test_same_name_kabupaten_kota_by_title_and_article(nlp):
    # the bare "Solok" follows a kota cue
    doc = run(nlp, "Wako Solok memimpin rapat. Pegawai Pemko diingatkan.")
    assert "13.72" in codes(doc)
    doc = run(nlp, "Bupati menyampaikan bahwa ASN di Solok harus netral. Pemkab menggelar apel.")
    assert codes(doc) == {"13.02"}


def test_province_and_capital(nlp):
    doc = run(nlp, "Gubernur Bengkulu membuka rakor di aula Pemprov.")
    assert codes(doc) == {"17"}
    assert resolve_jurisdiction("Bengkulu", "kota") == "17.71"
    assert resolve_jurisdiction("Bengkulu", "province") == "17"


def test_risky_common_words_need_a_capitalised_standalone_name(nlp):
    doc = run(nlp, "Nasib malang menimpa warga yang terkena batu di lapangan padang rumput.")
    assert codes(doc) == set()
    doc = run(nlp, "Kapolda Metro Jaya meninjau lokasi.")
    assert "18.72" not in codes(doc)
    doc = run(nlp, "Rapat digelar di Medan, Selasa.")
    assert codes(doc) == {"12.71"}


def test_kecamatan_resolves_with_regency(nlp):
    doc = run(nlp, "Camat Kubu di Kabupaten Karangasem dipanggil Bawaslu.")
    kec = [s.value for _, s in iter_slots(doc, "regions") if s.value["level"] == "kecamatan"]
    assert kec and kec[0]["regency"] == "51.07"
    assert regions.article_region_codes(doc) == ["51.07.08", "51.07"] or set(regions.article_region_codes(doc)) == {
        "51.07.08",
        "51.07",
    }


def test_kecamatan_in_an_address_is_not_a_participant(nlp):
    doc = run(nlp, "Apel digelar di halaman kantor, Kecamatan Kubu, Kabupaten Karangasem.")
    assert "51.07.08" not in codes(doc)
    assert "51.07" in codes(doc)


def test_street_address_is_not_a_region(nlp):
    doc = run(nlp, "Kantor itu berada di Jalan Sudirman Bali.")
    assert "51" not in codes(doc)


def test_province_locator_after_regency(nlp):
    doc = run(nlp, "Pegawai di Kabupaten Sintang, Kalimantan Barat, mengikuti apel.")
    assert codes(doc) == {"61.05"}


def test_dateline_and_boilerplate(nlp):
    text = (
        "KENDARI, KABARKITA.com - Pemkab Konawe menggelar apel netralitas.\n"
        "Baca juga: Banjir di Kota Bogor meluas\n"
        "- Kepala Dinas Tegal Dilantik Hari Ini\n"
        "Apel berlangsung khidmat."
    )
    doc = run(nlp, text)
    assert codes(doc) == {"74.02"}
    flags = {k for _, s in iter_slots(doc, "regions") for k in ("dateline", "boilerplate") if s.value.get(k)}
    assert flags == {"dateline", "boilerplate"}


def test_long_enumeration_across_provinces_is_context_only(nlp):
    doc = run(nlp, "Indeks kerawanan tertinggi ada di Aceh, Riau, Jambi, Bali, Banten, Lampung, Papua dan Maluku.")
    assert codes(doc) == set()


def test_boilerplate_ranges():
    text = "Isi berita.\nBACA JUGA: Judul lain\nTeks lagi. Baca juga: tautan\nBerita Terkait\nJudul satu\n"
    ranges = boilerplate_ranges(text)
    cut = [text[s:e] for s, e in ranges]
    assert "BACA JUGA: Judul lain" in cut and "Baca juga: tautan" in cut and "Judul satu" in cut


def test_choose_code_and_level_cue():
    assert level_cue(["Pemkab"]) == "kabupaten" and level_cue(["Wako"]) == "kota"
    assert choose_code([("13.02", "kabupaten"), ("13.72", "kota")], "kota") == ("13.72", 0.95)
    code, conf = choose_code([("35.07", "kabupaten"), ("35.73", "kota")], None, ["35.73.01"])
    assert code == "35.73"
    code, conf = choose_code([("35.07", "kabupaten"), ("35.73", "kota")])
    assert conf < regions.MIN_CONFIDENCE


def test_resolve_jurisdiction():
    assert resolve_jurisdiction("Solok", "kota") == "13.72"
    assert resolve_jurisdiction("Solok", "kabupaten") == "13.02"
    assert resolve_jurisdiction("Pekanbaru", "kota") == "14.71"
    assert resolve_jurisdiction("Sumsel", "province") == "16"
    assert resolve_jurisdiction("Kubu", "kecamatan", ["51.07"]) == "51.07.08"
    assert resolve_jurisdiction("Tidak Ada Nama Ini", "kota") is None
    assert resolve_jurisdiction("Malang", None) is None  # kab or kota, nothing decides


def test_matcher_is_built_once(nlp):
    assert regions.gazetteer_matcher(nlp) is nlp.get_pipe("netra_regions").matcher
