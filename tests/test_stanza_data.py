"""Training data of the Stanza NER: DocBin -> Stanza JSON (missing labels kept), word vectors, trainer log."""

from __future__ import annotations

import json

import spacy
from spacy.tokens import Doc, DocBin

from pipeline.nlp.stanza_data import build, docbin_sentences, train_word_vectors, write_pretrain
from pipeline.nlp.stanza_train import parse_log, trainer_command


def _docbin(path, sentences):
    nlp = spacy.blank("id")
    db = DocBin(attrs=["ORTH", "ENT_IOB", "ENT_TYPE"])
    for words, ents in sentences:
        db.add(Doc(nlp.vocab, words=words, ents=ents))
    db.to_disk(path)


def test_docbin_to_stanza_tokens_keeps_missing_labels(tmp_path):
    path = tmp_path / "train.spacy"
    _docbin(path, [
        (["Bupati", "Sri", "Purnomo", "di", "Sleman"], ["O", "B-PER", "I-PER", "O", "B-LOC"]),
        (["dari", "kpk", "pusat"], ["O", None, None]),  # NERP-style missing annotation
    ])  # fmt: skip
    sents = list(docbin_sentences(path))
    assert [[t["ner"] for t in s] for s in sents] == [["O", "B-PER", "I-PER", "O", "B-LOC"], ["O", "-", "-"]]
    assert sents[0][1] == {"text": "Sri", "ner": "B-PER"}


def test_build_writes_json_and_a_reproducible_pretrain(tmp_path):
    work = tmp_path / "corpora"
    work.mkdir()
    words = ["Pj", "Bupati", "Sleman", "hadir", "di", "rapat", "netralitas", "ASN", "."]
    tags = ["O", "O", "O", "O", "O", "O", "O", "B-ORG", "O"]
    _docbin(work / "train.spacy", [(words, tags)] * 20)
    _docbin(work / "dev.spacy", [(words, tags)] * 3)
    stats = build(work, tmp_path / "out", dim=8)
    assert stats["train"] == 20 and stats["dev"] == 3 and stats["pretrain_words"] >= len({w.lower() for w in words})
    data = json.loads((tmp_path / "out" / "train.json").read_text(encoding="utf-8"))
    assert data[0][7] == {"text": "ASN", "ner": "B-ORG"}
    # same vectors on a second run (one worker, stable hash)
    again = train_word_vectors([words] * 23, dim=8)  # the train + dev tokens
    write_pretrain(again, tmp_path / "v2.txt", tmp_path / "p2.pt")
    assert (tmp_path / "v2.txt").read_bytes() == (tmp_path / "out" / "vectors.txt").read_bytes()


def test_trainer_log_and_command(tmp_path):
    log = (
        "INFO: step 250: train_loss = 6.969969, dev_score = 0.7077\n"
        "INFO: step 500: train_loss = 2.1, dev_score = 0.7500\n"
        "INFO: step 750: train_loss = 1.9, dev_score = 0.7400\n"
    )
    info = parse_log(log)
    assert info["best_step"] == 500 and info["best_dev_f1"] == 0.75 and info["steps"] == 750
    assert parse_log(log + "INFO: Best dev F1 = 75.00, at iteration = 500\n")["best_dev_f1"] == 0.75
    cmd = trainer_command(tmp_path, tmp_path / "out", max_steps=1000, eval_interval=250)
    assert cmd[1:3] == ["-m", "stanza.models.ner_tagger"]
    assert cmd[cmd.index("--max_steps") + 1] == "1000" and "--cpu" in cmd and "--seed" in cmd
