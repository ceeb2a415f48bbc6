"""Silver sentence generator (pipeline.nlp.ner_silver), on a tiny gazetteer."""

from __future__ import annotations

import re

import pytest

from pipeline.nlp import ner_silver as ns
from pipeline.nlp.ner_common import Sentence


@pytest.fixture()
def regions_dir(tmp_path):
    (tmp_path / "provinces.csv").write_text("code,name\n14,Riau\n61,Kalimantan Barat\n", encoding="utf-8")
    (tmp_path / "regencies.csv").write_text(
        "code,province_code,type,name\n14.71,14,kota,Kota Pekanbaru\n61.05,61,kabupaten,Kabupaten Sintang\n",
        encoding="utf-8",
    )
    (tmp_path / "districts.csv").write_text(
        "code,regency_code,province_code,name\n14.71.01,14.71,14,Sukajadi\n61.05.01,61.05,61,Sepauk\n", encoding="utf-8"
    )
    return tmp_path


def _train():
    return [
        Sentence(["Kata", "Budi", "Santoso", "di", "Bandung"], ["O", "B-PER", "I-PER", "O", "B-LOC"], "idner", "train"),
        Sentence(["menurut", "siti", "rahma", "."], ["O", "B-PER", "I-PER", "O"], "nerp", "train"),
        Sentence(["Ahmad", "lahir", "di", "Medan"], ["B-PER", "O", "O", "B-LOC"], "nergrit", "train"),
    ]


def test_collect_names_from_train_spans():
    assert ns.collect_names(_train()) == ["Ahmad", "Budi Santoso", "Siti Rahma"]


def test_silver_spans_are_names_only(regions_dir):
    sents = ns.generate_silver(_train(), n=200, seed=3, regions_dir=regions_dir)
    assert len(sents) >= 180
    names = set(ns.collect_names(_train()))
    name_parts = {part for n in names for part in n.split()}
    degree_like = set(ns.DEGREES) | set(ns.PREFIX_HON) | {"Pj", "Plt", "Pjs", "Wali", "Kota", "Bupati", "AKBP"}
    n_per = 0
    for s in sents:
        assert len(s.tokens) == len(s.tags)
        i = 0
        while i < len(s.tags):
            if s.tags[i] == "B-PER":
                j = i + 1
                while j < len(s.tags) and s.tags[j] == "I-PER":
                    j += 1
                span = " ".join(s.tokens[i:j])
                assert span in names or span in name_parts, span
                assert not set(s.tokens[i:j]) & degree_like
                n_per += 1
                i = j
            else:
                i += 1
    assert n_per > 120
    # headlines exist and only names are entities there
    heads = [s for s in sents if s.meta["frame"] == "frame_headline"]
    assert heads
    for s in heads:
        assert {t[2:] for t in s.tags if t != "O"} <= {"PER"}


def test_silver_degree_outside_span(regions_dir):
    sents = ns.generate_silver(_train(), n=200, seed=5, regions_dir=regions_dir)
    text = [" ".join(f"{t}/{g}" for t, g in zip(s.tokens, s.tags, strict=False)) for s in sents]
    assert any(re.search(r"/I-PER (SSTP|MAP|M\.Si|MSi|SH|MH)/O", t) for t in text)


def test_silver_is_deterministic(regions_dir):
    a = ns.generate_silver(_train(), n=50, seed=7, regions_dir=regions_dir)
    b = ns.generate_silver(_train(), n=50, seed=7, regions_dir=regions_dir)
    assert [(s.tokens, s.tags) for s in a] == [(s.tokens, s.tags) for s in b]
