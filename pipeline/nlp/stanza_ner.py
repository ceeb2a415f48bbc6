"""The Stanza NER backend: ``models/stanza-id`` run on spaCy's tokens as the ``netra_stanza_ner`` component.

``models/stanza-id`` is a Stanza BiLSTM-CRF NER (labels PER/ORG/LOC, as ``models/ner-id``) trained
here by ``make train-stanza`` (docs/ner.md). The component hands the doc's tokens to
``stanza.Pipeline(processors="tokenize,ner", tokenize_pretokenized=True, download_method=None)``
sentence by sentence (spaCy's sentence starts when set, else the whole doc as one sentence) and
writes ``doc.ents``, so every later component runs unchanged on either backend. Everything loads
from the model folder; nothing is downloaded (``spacy-stanza`` is not used: it pins ``stanza<1.7``).

    import spacy
    import pipeline.nlp.stanza_ner  # registers the factory
    nlp = spacy.blank("id")
    nlp.add_pipe("netra_stanza_ner")          # config {"model": path} overrides models/stanza-id
    [(e.text, e.label_) for e in nlp("Bupati Sleman Sri Purnomo hadir.").ents]

The model folder holds ``ner.pt`` (the tagger), ``pretrain.pt`` (word vectors trained here),
``meta.json`` (name, version, labels, training command), ``resources.json`` (an empty Stanza
resources index, so the pipeline needs no download) and ``MODEL_CARD.md``.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.logs import get_logger
from pipeline.settings import REPO_DIR, bundled_path

log = get_logger(__name__)

DEFAULT_MODEL_DIR = bundled_path("models/stanza-id")
MODEL_NAME = "stanza-id"
MODEL_FILES = ("ner.pt", "pretrain.pt", "meta.json", "resources.json")

_cache: dict[Path, Any] = {}
_lock = threading.Lock()


class StanzaModelMissing(FileNotFoundError):
    """The Stanza model folder is incomplete, or the ``stanza`` extra is not installed."""


def resolve_model_path(path: str | os.PathLike[str] | None = None) -> Path:
    """``path`` (relative paths also tried against the repository) or ``models/stanza-id``."""
    p = Path(path) if path is not None else DEFAULT_MODEL_DIR
    if not p.is_absolute() and not p.exists():
        p = REPO_DIR / p
    return p.resolve()


def _check_model_dir(p: Path) -> None:
    missing = [f for f in MODEL_FILES if not (p / f).is_file()]
    if missing:
        raise StanzaModelMissing(
            f"Stanza NER model incomplete at {p} (missing {', '.join(missing)}). It ships in the repository as "
            "models/stanza-id; rebuild it with `make train-stanza` (docs/ner.md)."
        )


def model_meta(path: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """The model's ``meta.json`` (raises StanzaModelMissing)."""
    p = resolve_model_path(path)
    _check_model_dir(p)
    meta: dict[str, Any] = json.loads((p / "meta.json").read_text(encoding="utf-8"))
    return meta


def stanza_version(path: str | os.PathLike[str] | None = None) -> str:
    """``"stanza-id <version>"``: the provenance name of the backend, read without loading the model."""
    return f"{MODEL_NAME} {model_meta(path).get('version', '?')}"


def load_stanza(path: str | os.PathLike[str] | None = None) -> Any:
    """The ``stanza.Pipeline`` of the model folder (cached per process; offline, CPU)."""
    p = resolve_model_path(path)
    with _lock:
        cached = _cache.get(p)
        if cached is not None:
            return cached
        _check_model_dir(p)
        try:
            import stanza
        except ImportError as exc:
            raise StanzaModelMissing(
                "the Stanza NER backend needs the optional extra: pip install torch==2.13.0 (CPU build; elsewhere "
                "`pip install torch --index-url https://download.pytorch.org/whl/cpu`), then pip install 'netra[stanza]'"
            ) from exc
        nlp = stanza.Pipeline(
            lang="id",
            dir=str(p),  # holds the empty resources.json: nothing to download or look up
            processors="tokenize,ner",
            tokenize_pretokenized=True,
            download_method=None,
            allow_unknown_language=True,  # no Stanza resources entry for our own model
            ner_model_path=str(p / "ner.pt"),
            ner_pretrain_path=str(p / "pretrain.pt"),
            use_gpu=False,
            logging_level="ERROR",
        )
        log.info("loaded Stanza NER %s (%s)", p, stanza_version(p))
        _cache[p] = nlp
        return nlp


def spans_from_bioes(tags: list[str]) -> list[tuple[str, int, int]]:
    """(label, start, end) token spans from BIOES or IOB2 tags; an I-/E- without its B- starts a span."""
    spans: list[tuple[str, int, int]] = []
    label: str | None = None
    start = 0
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, typ = tag.partition("-")
        continues = label is not None and typ == label and prefix in ("I", "E")
        if label is not None and not continues:
            spans.append((label, start, i))
            label = None
        if prefix in ("B", "S") or (prefix in ("I", "E") and not continues):
            label, start = typ, i
        if label is not None and prefix in ("E", "S"):
            spans.append((label, start, i + 1))
            label = None
    return spans


def _sentences(doc: Doc) -> list[list[int]]:
    """Token indices per sentence, whitespace tokens left out (Stanza tokens need text)."""
    groups: list[range] = (
        [range(s.start, s.end) for s in doc.sents] if doc.has_annotation("SENT_START") else [range(len(doc))]
    )
    out = [[i for i in g if not doc[i].is_space] for g in groups]
    return [s for s in out if s]


class StanzaNer:
    """spaCy component: ``doc.ents`` from the Stanza NER (replacing entities already set)."""

    def __init__(self, nlp: Language, name: str = "netra_stanza_ner", model: str | None = None, batch_size: int = 64):
        self.name = name
        self.model = resolve_model_path(model)
        self.batch_size = batch_size
        self.version = stanza_version(self.model)
        self._stanza = load_stanza(self.model)

    def __call__(self, doc: Doc) -> Doc:
        self._tag([doc])
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int | None = None) -> Iterator[Doc]:
        """Tag ``batch_size`` docs per Stanza call (its BiLSTM batches sentences across docs)."""
        size = batch_size or self.batch_size
        batch: list[Doc] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= size:
                self._tag(batch)
                yield from batch
                batch = []
        if batch:
            self._tag(batch)
            yield from batch

    def _tag(self, docs: list[Doc]) -> None:
        index: list[tuple[int, list[int]]] = []  # (doc number, token indices) per Stanza sentence
        for n, doc in enumerate(docs):
            index += [(n, sent) for sent in _sentences(doc)]
        ents: list[list[Span]] = [[] for _ in docs]
        if index:
            words = [[docs[n][i].text for i in sent] for n, sent in index]
            tagged = self._stanza(words)
            for (n, sent), stanza_sent in zip(index, tagged.sentences, strict=True):
                tags = [tok.ner for tok in stanza_sent.tokens]
                for label, a, b in spans_from_bioes(tags):
                    ents[n].append(Span(docs[n], sent[a], sent[b - 1] + 1, label=label))
        for doc, spans in zip(docs, ents, strict=True):
            doc.ents = spans


@Language.factory(
    "netra_stanza_ner",
    default_config={"model": None, "batch_size": 64},
    assigns=["doc.ents", "token.ent_iob", "token.ent_type"],
)
def make_stanza_ner(nlp: Language, name: str, model: str | None, batch_size: int) -> StanzaNer:
    return StanzaNer(nlp, name, model, batch_size)


def build_stanza_nlp(model: str | os.PathLike[str] | None = None) -> Language:
    """``spacy.blank("id")`` + ``netra_stanza_ner``: the Stanza backend's NER pipeline."""
    import spacy

    nlp = spacy.blank("id")
    nlp.add_pipe("netra_stanza_ner", config={"model": str(model) if model is not None else None})
    return nlp
