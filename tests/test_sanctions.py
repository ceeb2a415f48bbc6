"""Sanction kinds and statuses: sentences written for these tests."""

from __future__ import annotations

import pytest
import spacy

from pipeline.events import sanctions as S
from pipeline.events.spans import iter_slots


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("id")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("netra_sanctions")
    return nlp


def run(nlp, text):
    doc = nlp(text)
    return [(s.value["kind"], s.value["status"]) for _, s in iter_slots(doc, "sanctions")]


def test_phrase_kind():
    assert S.phrase_kind("teguran") == "teguran_lisan"
    assert S.phrase_kind("Dipecat") == "pemberhentian_tidak_dengan_hormat"
    assert S.phrase_kind("di-nonjob-kan") == "pembebasan_dari_jabatan"
    assert S.phrase_kind("hukuman disiplin sedang") == "hukuman_disiplin"


def test_kinds_longest_first(nlp):
    kinds = {k for k, _ in run(nlp, "Pegawai itu dipecat dari jabatannya sebagai kepala seksi.")}
    assert kinds == {"pembebasan_dari_jabatan"}
    kinds = {k for k, _ in run(nlp, "Sanksinya pemberhentian dengan hormat tidak atas permintaan sendiri.")}
    assert kinds == {"pemberhentian_dengan_hormat"}
    kinds = {k for k, _ in run(nlp, "Oknum guru itu akhirnya dipecat.")}
    assert kinds == {"pemberhentian_tidak_dengan_hormat"}


def test_level_spelled_out_counts_as_the_specific_kind(nlp):
    kinds = {k for k, _ in run(nlp, "Hukuman disiplin berat berupa penurunan pangkat selama setahun.")}
    assert kinds == {"penurunan_pangkat"}
    kinds = {k for k, _ in run(nlp, "Dua pegawai dijatuhi hukuman disiplin sedang.")}
    assert kinds == {"hukuman_disiplin"}


def test_generic_sanksi_absorbed_by_a_following_list(nlp):
    text = "Ada sanksi bagi pegawai yang melanggar. Sanksi itu antara lain teguran tertulis dan pemotongan tukin."
    assert {k for k, _ in run(nlp, text)} == {"teguran_tertulis", "pemotongan_tunjangan_kinerja"}
    assert {k for k, _ in run(nlp, "Pegawai yang tidak netral akan dikenakan sanksi.")} == {"sanksi"}
    text = "Pelanggar bisa mendapat teguran, sanksi administratif, hingga pemecatan."
    assert {k for k, _ in run(nlp, text)} == {"teguran_lisan", "sanksi", "pemberhentian_tidak_dengan_hormat"}


def test_status(nlp):
    assert run(nlp, "Panwas merekomendasikan sanksi moral bagi kepala sekolah itu.") == [
        ("sanksi_moral", "recommended")
    ]
    assert run(nlp, "Kepala dinas itu telah dicopot oleh bupati.") == [("pembebasan_dari_jabatan", "imposed")]
    assert run(nlp, "Pegawai yang berpihak terancam sanksi pidana.") == [("pidana", "threatened")]
    assert S.sanction_status(["bentuk", "sanksi", "antara", "lain"]) == "mentioned"
