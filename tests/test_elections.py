"""Election kind/year rules: sentences written for these tests."""

from __future__ import annotations

from datetime import date

import pytest
import spacy

from pipeline.events import elections as E
from pipeline.events.spans import findings, iter_slots
from pipeline.schema import ArticleInput


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("id")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("netra_elections")
    return nlp


def run(nlp, text, published=None, min_conf=0.5):
    doc = nlp.make_doc(text)
    findings(doc).article = ArticleInput(id="t", text=text, published=published)
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return {(s.value["kind"], s.value["year"]) for _, s in iter_slots(doc, "elections") if s.confidence >= min_conf}


def test_year_after():
    assert E.year_after(["serentak", "tahun", "2029"]) == 2029
    assert E.year_after(["Kabupaten", "Contoh", "2018"]) == 2018
    assert E.year_after(["pada", "15", "Februari", "2017"]) == 2017
    assert E.year_after(["yang", "lalu"]) is None


def test_kinds_and_coordination(nlp):
    assert run(nlp, "ASN harus netral pada Pemilu dan Pilkada 2029.") == {("pemilu", 2029), ("pilkada", 2029)}
    assert run(nlp, "Jelang Pilkada serentak tahun 2017 para camat diingatkan.") == {("pilkada", 2017)}
    assert run(nlp, "Menjelang Pemilu Presiden 2019 pegawai diminta netral.") == {("pilpres", 2019)}
    assert run(nlp, "Pemilihan Kepala Desa serentak 2021 digelar di 40 desa.") == {("pilkades", 2021)}


def test_bodies_are_not_elections(nlp):
    assert run(nlp, "Badan Pengawas Pemilu dan Komisi Pemilihan Umum menggelar rapat.") == set()


def test_year_missing(nlp):
    assert run(nlp, "Pegawai diminta netral dalam pilkada.") == {("pilkada", None)}
    # the same election with its year elsewhere in the article
    assert run(nlp, "Pilkada 2018 makin dekat. Pegawai diminta netral dalam pilkada.") == {("pilkada", 2018)}
    # the publication date points at the coming election
    assert run(nlp, "Pegawai diminta netral dalam pilkada.", date(2017, 11, 2)) == {("pilkada", 2018)}
    assert E.upcoming_election_year("pemilu", date(2026, 1, 1)) is None


def test_past_election_is_low_confidence(nlp):
    assert run(nlp, "Pada Pemilu 2014 ada ratusan laporan.", date(2017, 5, 1)) == set()
    assert run(nlp, "Pada Pemilu 2014 ada ratusan laporan.", date(2017, 5, 1), 0.0) == {("pemilu", 2014)}
