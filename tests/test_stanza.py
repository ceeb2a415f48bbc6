"""The Stanza NER backend: the shipped models/stanza-id, the spaCy component and the backend switch.

These tests need the [stanza] extra (``make venv-stanza``; ``.ci/run`` installs it): they fail, not
skip, without it, because the backend is part of what Netra ships.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import spacy
from spacy.tokens import Span

from pipeline.nlp import stanza_ner
from pipeline.nlp.stanza_ner import (
    DEFAULT_MODEL_DIR,
    build_stanza_nlp,
    load_stanza,
    model_meta,
    spans_from_bioes,
    stanza_version,
)
from tests.conftest import FIXTURES

SEEDS = FIXTURES / "gold" / "seeds.input.jsonl"
SENTENCE = ["Presiden", "Joko", "Widodo", "meresmikan", "Bandara", "Internasional", "Yogyakarta", "di",
            "Kulon", "Progo", ",", "Jumat", "."]  # fmt: skip


@pytest.fixture(scope="module")
def nlp() -> spacy.language.Language:
    return build_stanza_nlp()


def test_shipped_model_is_complete_and_small():
    for name in ("ner.pt", "pretrain.pt", "meta.json", "resources.json", "MODEL_CARD.md"):
        assert (DEFAULT_MODEL_DIR / name).is_file(), name
    meta = model_meta()
    assert meta["name"] == "stanza-id" and meta["labels"] == ["PER", "ORG", "LOC"]
    assert stanza_version() == f"stanza-id {meta['version']}"
    size = sum(p.stat().st_size for p in DEFAULT_MODEL_DIR.iterdir())
    assert size < 50e6, size


def test_stanza_pipeline_tags_a_pretokenized_sentence_offline():
    pipe = load_stanza()  # download_method=None: would raise if it tried to fetch anything
    doc = pipe([SENTENCE])
    tags = [tok.ner for tok in doc.sentences[0].tokens]
    assert len(tags) == len(SENTENCE)
    spans = {(label, " ".join(SENTENCE[a:b])) for label, a, b in spans_from_bioes(tags)}
    assert ("PER", "Joko Widodo") in spans, spans
    assert any(label == "LOC" and "Kulon Progo" in text for label, text in spans), spans


def test_spans_from_bioes():
    assert spans_from_bioes(["S-PER", "O", "B-ORG", "I-ORG", "E-ORG", "B-LOC", "E-LOC"]) == [
        ("PER", 0, 1), ("ORG", 2, 5), ("LOC", 5, 7)]  # fmt: skip
    # IOB2 input and broken sequences: an I-/E- without B- starts a span, a type change ends one
    assert spans_from_bioes(["B-PER", "I-PER", "O", "I-LOC", "E-PER"]) == [("PER", 0, 2), ("LOC", 3, 4), ("PER", 4, 5)]
    assert spans_from_bioes([]) == []


def test_component_writes_doc_ents_on_spacy_tokens(nlp):
    text = "Presiden Joko Widodo meresmikan bandara di Kulon Progo.\n\nGubernur Ganjar Pranowo hadir di Semarang."
    doc = nlp(text)
    assert nlp.pipe_names == ["netra_stanza_ner"]
    ents = [(e.text, e.label_) for e in doc.ents]
    assert ("Joko Widodo", "PER") in ents and ("Ganjar Pranowo", "PER") in ents, ents
    for ent in doc.ents:
        assert ent.label_ in {"PER", "ORG", "LOC"}
        assert doc[ent.start : ent.end].text == ent.text  # spans on spaCy's own tokens
        assert not any(t.is_space for t in ent)
    # with sentence starts set, each sentence is tagged on its own (and replaces entities set before)
    doc2 = nlp.make_doc(text)
    for i, tok in enumerate(doc2):
        tok.is_sent_start = i == 0 or doc2[i - 1].text == "."
    doc2.ents = [Span(doc2, 0, 1, label="ORG")]
    ents2 = [(e.text, e.label_) for e in nlp.get_pipe("netra_stanza_ner")(doc2).ents]
    assert ("Joko Widodo", "PER") in ents2 and ("Ganjar Pranowo", "PER") in ents2, ents2
    assert ("Presiden", "ORG") not in ents2
    # batched pipe == one by one
    texts = [text, "Tidak ada nama di sini.", ""]
    assert [[(e.text, e.label_) for e in d.ents] for d in nlp.pipe(texts)] == [
        [(e.text, e.label_) for e in nlp(t).ents] for t in texts
    ]


def test_missing_model_names_the_folder(tmp_path):
    with pytest.raises(stanza_ner.StanzaModelMissing, match="make train-stanza"):
        stanza_version(tmp_path)


def test_backend_setting_and_env(monkeypatch):
    from pipeline.events.pipeline import ner_backend
    from pipeline.settings import SettingsError, load_settings

    monkeypatch.delenv("NETRA_CONFIG", raising=False)
    monkeypatch.delenv("NETRA_NER_BACKEND", raising=False)
    assert load_settings().nlp.ner_backend == "spacy"
    monkeypatch.setenv("NETRA_NER_BACKEND", "stanza")
    settings = load_settings()
    assert settings.nlp.ner_backend == "stanza" and ner_backend(settings) == "stanza"
    monkeypatch.setenv("NETRA_NER_BACKEND", "flair")
    with pytest.raises(SettingsError, match=r"nlp\.ner_backend: Input should be 'spacy' or 'stanza'"):
        load_settings()


@pytest.mark.slow
def test_event_pipeline_on_stanza_backend(monkeypatch):
    from pipeline.events import EventExtractor, expected_pipeline_version
    from pipeline.settings import load_settings

    monkeypatch.delenv("NETRA_CONFIG", raising=False)
    monkeypatch.delenv("NETRA_NER_BACKEND", raising=False)
    base = load_settings()
    settings = base.model_copy(update={"nlp": base.nlp.model_copy(update={"ner_backend": "stanza"})})
    extractor = EventExtractor(settings)
    names = extractor.nlp.pipe_names
    assert "ner" not in names and names[:2] == ["netra_sentences", "netra_stanza_ner"]
    assert "netra_officials" in names  # a missing component would have failed the build
    assert extractor.pipeline_version.endswith(f"/ {stanza_version()}")
    assert expected_pipeline_version(settings) == extractor.pipeline_version
    assert "ner-id" in expected_pipeline_version(base)
    article = json.loads(SEEDS.read_text(encoding="utf-8").splitlines()[0])
    result = extractor.extract(article)
    assert result.relevant and result.events
    assert any(o.name for ev in result.events for o in ev.officials)


@pytest.mark.slow
def test_extract_text_cli_flag(tmp_path):
    pred = tmp_path / "pred.jsonl"
    env = {**os.environ, "NETRA_LOG_FORMAT": "text"}
    env.pop("NETRA_CONFIG", None)
    env.pop("NETRA_NER_BACKEND", None)
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "extract-text", str(SEEDS), "-o", str(pred), "--ner-backend", "stanza",
         "--provenance"],
        capture_output=True, text=True, env=env, timeout=600,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    records = [json.loads(line) for line in pred.read_text(encoding="utf-8").splitlines()]
    assert len(records) == len(SEEDS.read_text(encoding="utf-8").splitlines())
    assert sum(bool(r["events"]) for r in records) >= 4
    bad = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "extract-text", str(SEEDS), "--ner-backend", "flair"],
        capture_output=True, text=True, env=env, timeout=600,
    )  # fmt: skip
    assert bad.returncode != 0 and "--ner-backend" in bad.stderr
