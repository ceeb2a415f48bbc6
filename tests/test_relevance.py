"""Relevance: the raw-text pre-filter and the sentence rules, on sentences written for these tests."""

import time

import pytest

from pipeline.events.pipeline import build_nlp
from pipeline.events.relevance import RelevanceJudge, prefilter


@pytest.fixture(scope="module")
def judge_doc():
    nlp = build_nlp(use_ner=False).nlp
    judge = RelevanceJudge(nlp)
    return lambda text: judge.decide(nlp(text))


def test_prefilter_rejects_text_without_any_cue():
    assert not prefilter("Harga cabai naik menjelang hari raya, kata pedagang di pasar induk.")
    assert prefilter("Bupati mengingatkan netralitas ASN menjelang pilkada.")


def test_prefilter_is_cheap():
    text = "Pemerintah kota membangun jalan baru di pusat kota. " * 70  # about 500 words
    start = time.perf_counter()
    for _ in range(100):
        prefilter(text)
    assert (time.perf_counter() - start) / 100 < 0.002


def test_asn_neutrality_at_a_meeting_is_relevant(judge_doc):
    d = judge_doc(
        "Wali Kota memimpin rapat koordinasi bersama kepala OPD. Dalam rapat itu ia menegaskan "
        "seluruh ASN wajib menjaga netralitas pada Pilkada mendatang."
    )
    assert d.relevant and d.sentences


def test_village_head_campaigning_is_relevant(judge_doc):
    d = judge_doc(
        "Seorang kepala desa dilaporkan ke Bawaslu karena ikut kampanye pasangan calon. "
        "Bawaslu menyebut kepala desa wajib netral dan dilarang berpihak dalam pemilu."
    )
    assert d.relevant


def test_media_neutrality_is_not_relevant(judge_doc):
    d = judge_doc(
        "Dewan Pers meminta seluruh media bersikap netral selama pemilu. Netralitas media "
        "dituntut dalam setiap pesta demokrasi, kata ketua dewan itu."
    )
    assert not d.relevant


def test_korpri_ceremony_with_generic_neutrality_is_not_relevant(judge_doc):
    d = judge_doc(
        "Upacara HUT KORPRI digelar di halaman kantor bupati. Dalam amanatnya bupati meminta "
        "anggota KORPRI menjaga netralitas dan loyalitas kepada negara."
    )
    assert not d.relevant


def test_meeting_without_neutrality_item_is_not_relevant(judge_doc):
    d = judge_doc(
        "Sekda mengikuti rapat koordinasi pengendalian inflasi daerah secara virtual. "
        "Rapat membahas harga beras dan stok pangan."
    )
    assert not d.relevant
