"""Build the event-extraction spaCy pipeline: the ONE place that lists components and their config.

Order matters: sentence boundaries first, then the NER (sourced from
``models/ner-id`` when the model exists), the slot finders (regions, dates,
sanctions, elections, counts — E2's modules; officials, event cues — here),
then the assembler reads the slots (outside spaCy, in ``assemble.py``).
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

log = logging.getLogger(__name__)

# (factory name, module that registers it, config). Modules missing at import time are skipped with a
# warning, so the pipeline still builds while a component is under development.
COMPONENTS: tuple[tuple[str, str, dict[str, Any]], ...] = (
    ("netra_sentences", "pipeline.events.pipeline", {}),
    ("netra_regions", "pipeline.events.regions", {}),
    ("netra_dates", "pipeline.events.dates", {}),
    ("netra_sanctions", "pipeline.events.sanctions", {}),
    ("netra_elections", "pipeline.events.elections", {}),
    ("netra_counts", "pipeline.events.counts", {}),
    ("netra_officials", "pipeline.events.officials", {"use_ner": True}),
    ("netra_event_cues", "pipeline.events.cues", {}),
)


@dataclass(frozen=True)
class BuiltPipeline:
    nlp: Language
    ner_version: str | None  # "ner-id <version>" or "stanza-id <version>" when an NER runs
    missing: tuple[str, ...]  # components that could not be added


_ABBREVIATIONS = frozenset({
    "dr", "drs", "dra", "ir", "h", "hj", "prof", "no", "jl", "jln", "st", "kab", "kec", "prov", "kel", "tgl",
    "bpk", "sdr", "moh", "muh", "m", "a", "s", "pj", "plt", "plh", "pjs", "ds", "kh", "dll", "dsb", "vs",
})


@Language.component("netra_sentences")
def sentences(doc: Doc) -> Doc:
    """Sentence starts: after ., ! or ? before a capital (not after "Dr."/"Ir."/initials), and after a line break.

    News text has headlines, captions and datelines without a final stop, and names full of
    abbreviated degrees, which the stock sentencizer splits wrongly."""
    if not len(doc):
        return doc
    doc[0].is_sent_start = True
    for i in range(1, len(doc)):
        prev, tok = doc[i - 1], doc[i]
        start = False
        if "\n" in prev.text or "\n" in prev.whitespace_:
            start = True
        elif prev.text in {".", "!", "?", "…"} or (prev.text[-1:] in "!?" and len(prev.text) > 1):
            before = doc[i - 2].lower_.rstrip(".") if i >= 2 else ""
            first = tok.text[:1]
            start = (first.isupper() or first in "\"“'(" or first.isdigit()) and before not in _ABBREVIATIONS
        elif prev.text in {"\"", "”"} and i >= 2 and doc[i - 2].text in {".", "!", "?"}:
            start = tok.text[:1].isupper()
        tok.is_sent_start = start
    return doc


def _load_ner(settings: Any | None):
    try:
        from pipeline.nlp.ner_model import NerModelMissing, load_ner
    except ImportError:  # pragma: no cover
        return None
    path = None
    if settings is not None and getattr(settings, "nlp", None) is not None:
        path = getattr(settings.nlp, "ner_model", None)
    try:
        return load_ner(path, cached=False)  # components are added to it: our own copy
    except NerModelMissing as exc:
        log.warning("event extraction runs without NER: %s", exc)
        return None


NER_BACKENDS = ("spacy", "stanza")


def ner_backend(settings: Any | None) -> str:
    """``nlp.ner_backend`` of the settings (``NETRA_NER_BACKEND``): "spacy" (default) or "stanza"."""
    backend = str(getattr(getattr(settings, "nlp", None), "ner_backend", None) or "spacy")
    if backend not in NER_BACKENDS:
        raise ValueError(f"unknown NER backend {backend!r} (nlp.ner_backend / NETRA_NER_BACKEND): use spacy or stanza")
    return backend


def build_nlp(settings: Any | None = None, use_ner: bool = True) -> BuiltPipeline:
    """The configured pipeline; ``use_ner=False`` skips the statistical NER (rules only).

    With the NER, its loaded pipeline is the base and the rule components are added around it:
    building a second Indonesian tokenizer (24k special cases, ~4 s) for ``spacy.blank`` and
    copying the NER into it cost as much as loading the model itself.
    """
    if use_ner and ner_backend(settings) == "stanza":
        # models/stanza-id on spaCy's tokens (docs/ner.md); asked for explicitly, so a missing model or
        # extra is an error (StanzaModelMissing), not a silent fallback
        from pipeline.nlp.stanza_ner import build_stanza_nlp, stanza_version

        nlp = build_stanza_nlp()
        ner_version: str | None = stanza_version()
    else:
        ner_nlp = _load_ner(settings) if use_ner else None
        nlp = ner_nlp if ner_nlp is not None else spacy.blank("id")
        ner_version = f"ner-id {ner_nlp.meta.get('version', '?')}" if ner_nlp is not None else None
    missing: list[str] = []
    for factory, module, config in COMPONENTS:
        if module and module != __name__:
            try:
                importlib.import_module(module)
            except ImportError as exc:
                log.warning("component %s not available (%s); pipeline built without it", factory, exc)
                missing.append(factory)
                continue
        if factory == "netra_sentences":
            # sentence starts first, before the NER's components
            nlp.add_pipe(factory, config=config, first=True)
        else:
            nlp.add_pipe(factory, config=config)  # after the NER: rule components may use its entities
    return BuiltPipeline(nlp, ner_version, tuple(missing))
