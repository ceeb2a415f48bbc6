"""Converters and de-duplication of the NER corpora (pipeline.nlp.ner_corpora).

Unit tests use tiny hand-made snippets; the real-corpus checks skip when the
corpora folder (../shared/data/ner or $NETRA_NER_DATA) is absent.
"""

from __future__ import annotations

import pytest

from pipeline.nlp import ner_corpora as nc
from pipeline.nlp.ner_common import Sentence, norm_key


def test_read_columns_crlf_and_space_separated():
    text = "Joko PROPN B-PER\r\nWidodo PROPN I-PER\r\ndi ADP O\r\nSolo PROPN B-LOC\r\n\r\nIa PRON O\r\n"
    blocks = list(nc.read_columns(text, None))
    assert len(blocks) == 2
    toks, tags = blocks[0]
    assert toks == ["Joko", "Widodo", "di", "Solo"]
    assert tags == ["B-PER", "I-PER", "O", "B-LOC"]
    assert not any("\r" in t for t in toks + tags)


def test_orphan_i_becomes_b():
    assert nc.fix_iob(["O", "I-PER", "I-PER", "I-LOC", "O", "I-LOC"]) == ["O", "B-PER", "I-PER", "B-LOC", "O", "B-LOC"]


def test_nerp_multiword_tokens_tab_split_and_labels():
    text = "sementara itu\tO\nwali kota\tO\nburger\tB-FNB\ndengan\tI-IND\ntelur asin\tI-IND\nlp\tB-PLC\ndi\tO\npekanbaru\tI-PLC\nbudi santoso\tB-PPL\n\n"
    ((toks, raw),) = list(nc.read_columns(text, "\t"))
    toks, tags = nc.convert_block("nerp", toks, raw)
    assert toks[:4] == ["sementara", "itu", "wali", "kota"]
    assert len(toks) == len(tags) == 13
    # FNB -> O, orphan IND -> B-IND -> missing (never ORG)
    assert tags[4] == "O"
    assert tags[5:8] == ["-", "-", "-"]
    assert "ORG" not in " ".join(tags)
    # orphan I-PLC after O becomes its own LOC entity
    assert tags[8:11] == ["B-LOC", "O", "B-LOC"]
    assert tags[11:] == ["B-PER", "I-PER"]


def test_nerp_org_words_are_masked_not_o():
    _toks, tags = nc.convert_block(
        "nerp", ["ketua", "kpk", "abraham", "samad", "di", "jakarta"], ["O", "O", "B-PPL", "I-PPL", "O", "B-PLC"]
    )
    assert tags == ["O", "-", "B-PER", "I-PER", "O", "B-LOC"]
    _, tags = nc.convert_block("nerp", ["ketua", "kpk"], ["O", "O"], mask_orgs=False)
    assert tags == ["O", "O"]


def test_yusufs_inline_xml():
    text, spans = nc.parse_inline_xml(
        "Pengamat <ORGANIZATION>UGM</ORGANIZATION>, <PERSON>Arie Sudjito</PERSON>, menilai."
    )
    assert text == "Pengamat UGM, Arie Sudjito, menilai."
    assert [text[s:e] for s, e, _ in spans] == ["UGM", "Arie Sudjito"]
    toks, tags = nc.tokenize_inline(
        "Pengamat <ORGANIZATION>UGM</ORGANIZATION>, <PERSON>Arie Sudjito</PERSON>, menilai."
    )
    assert toks == ["Pengamat", "UGM", ",", "Arie", "Sudjito", ",", "menilai", "."]
    assert tags == ["O", "B-ORGANIZATION", "O", "B-PERSON", "I-PERSON", "O", "O", "O"]
    assert nc.map_tags(tags, nc.LABEL_MAPS["yusufs"]) == ["O", "B-ORG", "O", "B-PER", "I-PER", "O", "O", "O"]


def test_yusufs_span_glued_to_next_word():
    toks, tags = nc.tokenize_inline("Presiden <PERSON>Jokowi</PERSON>yang baru")
    assert "Jokowi" in toks
    assert tags[toks.index("Jokowi")] == "B-PERSON"


def test_label_maps():
    assert nc.map_tags(["B-PERSON", "I-PERSON", "B-ORGANISATION", "B-PLACE"], nc.LABEL_MAPS["nergrit"]) == [
        "B-PER",
        "I-PER",
        "B-ORG",
        "B-LOC",
    ]
    assert nc.map_tags(["B-TIME", "I-TIME", "B-QUANTITY"], nc.LABEL_MAPS["yusufs"]) == ["O", "O", "O"]
    assert nc.LABEL_MAPS["nerp"]["IND"] != "ORG"


def _s(text: str, corpus: str, split: str, tags=None) -> Sentence:
    toks = text.split()
    return Sentence(toks, tags or ["O"] * len(toks), corpus, split)


def test_norm_key_ignores_case_and_punctuation():
    assert norm_key("Joko Widodo, di Solo.") == norm_key("joko widodo di solo")


def test_dedup_removes_any_test_sentence_from_all_training_data():
    corpora = {
        "idner": {
            "train": [
                _s("Joko Widodo berkunjung ke Solo hari ini .", "idner", "train"),
                _s("Kalimat unik pertama yang cukup panjang .", "idner", "train"),
            ],
            "dev": [_s("Kalimat dev yang juga cukup panjang sekali .", "idner", "dev")],
            "test": [_s("Ahok berbicara di Balai Kota Jakarta kemarin .", "idner", "test")],
        },
        "nerp": {
            # same Kompas sentence as idner test, lowercased, other punctuation -> must go
            "train": [
                _s("ahok berbicara di balai kota jakarta kemarin", "nerp", "train"),
                _s("joko widodo berkunjung ke solo hari ini", "nerp", "train"),  # dup of idner train
                _s("kalimat dev yang juga cukup panjang sekali", "nerp", "train"),  # in dev
                _s(
                    "sebuah kalimat lain . ahok berbicara di balai kota jakarta kemarin .", "nerp", "train"
                ),  # embeds test
                _s("kalimat nerp yang bersih dan cukup panjang", "nerp", "train"),
            ],
            "dev": [],
            "test": [_s("Kalimat unik pertama yang cukup panjang .", "nerp", "test")],  # idner train in NERP test
        },
    }
    train, dev, tests, stats = nc.dedup_splits(corpora, train_corpora=("idner", "nerp"), dev_corpora=("idner", "nerp"))
    keys = [s.key for s in train]
    assert keys == [
        norm_key("Joko Widodo berkunjung ke Solo hari ini"),
        norm_key("kalimat nerp yang bersih dan cukup panjang"),
    ]
    assert train[0].corpus == "idner"  # idner wins over NERP for shared text
    assert len(dev) == 1
    assert nc.leaked(train, tests) == []
    assert stats["removed_test_overlap"]["nerp/train"] == 2
    assert stats["removed_test_overlap"]["idner/train"] == 1


def test_case_augmentation():
    s = _s(
        "Wali Kota Solo Joko Widodo meninjau pasar di Solo",
        "idner",
        "train",
        ["O", "O", "O", "B-PER", "I-PER", "O", "O", "O", "B-LOC"],
    )
    low = nc.lowercase_copy(s)
    assert low.tokens[3] == "joko" and low.tags == s.tags
    t = nc.titlecase_copy(s)
    assert t.tokens[5] == "Meninjau" and t.tokens[7] == "di" and t.tags == s.tags
    n = Sentence(["gubernur", "ahok", "di", "jakarta"], ["O", "B-PER", "O", "B-LOC"], "nerp", "train")
    assert nc.recase_nerp(n).tokens == ["Gubernur", "Ahok", "di", "Jakarta"]
    aug = nc.augment_case([s] * 50 + [n] * 50, seed=1)
    assert len(aug) > 100
    assert aug == nc.augment_case([s] * 50 + [n] * 50, seed=1)  # deterministic


def test_docbin_roundtrip_keeps_missing(tmp_path):
    import spacy
    from spacy.tokens import DocBin

    s = Sentence(["ketua", "kpk", "abraham", "samad"], ["O", "-", "B-PER", "I-PER"], "nerp", "train")
    nc.write_docbin(tmp_path / "x.spacy", [s])
    nlp = spacy.blank("id")
    (doc,) = DocBin().from_disk(tmp_path / "x.spacy").get_docs(nlp.vocab)
    assert [t.ent_iob_ for t in doc] == ["O", "", "B", "I"]
    assert [e.text for e in doc.ents] == ["abraham samad"]


def test_resolve_data_dir_env(monkeypatch, tmp_path):
    monkeypatch.setenv("NETRA_NER_DATA", str(tmp_path))
    assert nc.resolve_data_dir() == tmp_path.resolve()
    assert nc.resolve_data_dir(str(tmp_path / "x")) == (tmp_path / "x").resolve()


_DATA = nc.resolve_data_dir()


@pytest.mark.skipif(
    not (_DATA / "idner-news-2k").is_dir(), reason=f"NER corpora not found at {_DATA} (set NETRA_NER_DATA)"
)
def test_real_corpora_are_leak_free():
    corpora = nc.read_all(_DATA)
    assert len(corpora["idner"]["test"]) == 509
    assert len(corpora["nergrit"]["train"]) == 1672
    assert len(corpora["nerp"]["test"]) == 840
    assert len(corpora["yusufs"]["test"]) == 512
    for _c, splits in corpora.items():
        for sents in splits.values():
            for s in sents:
                assert len(s.tokens) == len(s.tags)
                assert nc.fix_iob([t if t != "-" else "O" for t in s.tags]) == [t if t != "-" else "O" for t in s.tags]
    train, dev, tests, stats = nc.dedup_splits(corpora)
    test_keys = {k for v in tests.values() for s in v for k in s.sub_keys()}
    assert not any(k in test_keys for s in train + dev for k in s.sub_keys())
    assert stats["removed_test_overlap"]["nerp/train"] > 300  # the shared Kompas text
