"""Counts of people: sentences written for these tests."""

from __future__ import annotations

import pytest
import spacy

from pipeline.events import counts as C
from pipeline.events.spans import iter_slots


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("id")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("netra_counts")
    return nlp


def run(nlp, text):
    return [(s.value["count"], s.value["who"], s.value["status"]) for _, s in iter_slots(nlp(text), "counts")]


def test_parse_count():
    assert C.parse_count(["14"]) == 14
    assert C.parse_count(["2.150"]) == 2150
    assert C.parse_count(["dua", "belas"]) == 12
    assert C.parse_count(["tiga", "puluh"]) == 30
    assert C.parse_count(["seorang"]) == 1
    assert C.parse_count(["banyak"]) is None


def test_counts_of_people(nlp):
    assert run(nlp, "Sebanyak 14 ASN dilaporkan ke Panwas.") == [(14, "asn", "reported")]
    assert run(nlp, "Tiga orang kepala desa terbukti berkampanye.") == [(3, "village", "found")]
    assert run(nlp, "Seorang oknum PNS dicopot dari jabatannya.") == [(1, "asn", "sanctioned")]
    assert run(nlp, "Ada 5 anggota Polri yang diperiksa.") == [(5, "polri", "mentioned")]


def test_cases_are_not_people(nlp):
    assert run(nlp, "Panwas mencatat 37 pelanggaran dan 12 laporan.") == []
    assert run(nlp, "Lima kepala dinas hadir, bukan lima anggota dewan.") == [(5, "asn", "mentioned")]
