"""Build the event-extraction spaCy pipeline from ONE config file, ``pipeline/events/pipeline.cfg``.

The config lists every component in its order with its settings (``[nlp] pipeline`` and
``[components.*]``, spaCy's own config format).  A component is made by a factory registered
in :mod:`pipeline.events` or sourced from the NER model (``source = "ner-id"``: the model of
``settings.nlp.ner_model``).  A component whose factory is not registered, a section missing
for a listed component, or a model without a sourced component is a
:class:`PipelineConfigError` at build time.

With the NER, its loaded pipeline is the base and the rule components are added around it in
the config's order: building a second Indonesian tokenizer (24k special cases, ~4 s) for a new
``Language`` and copying the NER into it cost as much as loading the model itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.events import (  # noqa: F401
    counts,
    cues,
    dates,
    elections,
    learned,
    lexicon,
    officials,
    regions,
    relevance,
    sanctions,
)

# the component modules register their factories on import
from pipeline.logs import get_logger

if TYPE_CHECKING:
    from pipeline.settings import Settings

log = get_logger(__name__)

CONFIG_PATH = Path(__file__).resolve().with_name("pipeline.cfg")
NER_SOURCE = "ner-id"  # the ``source`` of components taken from the NER model

_LEX = lexicon.load()
_ABBREVIATIONS = _LEX.word_set("sentences", "abbreviations")


class PipelineConfigError(ValueError):
    """pipeline.cfg does not describe a pipeline that can be built; names the component."""


@dataclass(frozen=True)
class BuiltPipeline:
    nlp: Language
    ner_version: str | None  # "ner-id <version>" or "stanza-id <version>" when an NER runs


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
        elif prev.text in {'"', "”"} and i >= 2 and doc[i - 2].text in {".", "!", "?"}:
            start = tok.text[:1].isupper()
        tok.is_sent_start = start
    return doc


def _load_ner(settings: Settings | None) -> Language:
    """The NER model of the settings; missing, it is ``NerModelMissing`` (rules only is ``--no-ner``)."""
    from pipeline.nlp.ner_model import NerModelMissing, load_ner

    path = settings.nlp.ner_model if settings is not None else None
    try:
        nlp: Language = load_ner(path, cached=False)  # components are added to it: our own copy
    except NerModelMissing as exc:
        raise NerModelMissing(f"{exc} To extract events with the rules only, pass --no-ner.") from None
    return nlp


def load_pipeline_config(path: Path = CONFIG_PATH) -> tuple[str, list[str], dict[str, dict[str, Any]]]:
    """(language, component names in order, settings per component) of a pipeline config."""
    config = spacy.util.load_config(path)
    names = list(config["nlp"]["pipeline"])
    sections = dict(config.get("components", {}))
    for name in names:
        if name not in sections:
            raise PipelineConfigError(
                f"{path.name}: component {name!r} is listed in [nlp] pipeline but has no [components.{name}] section"
            )
        section = sections[name]
        if ("factory" in section) == ("source" in section):
            raise PipelineConfigError(f"{path.name}: [components.{name}] needs either factory or source")
        if "source" in section and section["source"] != NER_SOURCE:
            raise PipelineConfigError(f"{path.name}: [components.{name}] source must be {NER_SOURCE!r}")
        if "factory" in section and not Language.has_factory(section["factory"]):
            raise PipelineConfigError(
                f"{path.name}: component {name!r}: factory {section['factory']!r} "
                "is not registered by any module of pipeline.events"
            )
    for name in sections:
        if name not in names:
            raise PipelineConfigError(f"{path.name}: [components.{name}] is not in [nlp] pipeline")
    return str(config["nlp"]["lang"]), names, {n: dict(sections[n]) for n in names}


NER_BACKENDS = ("spacy", "stanza")


def ner_backend(settings: Settings | None) -> str:
    """``nlp.ner_backend`` of the settings (``NETRA_NER_BACKEND``): "spacy" (default) or "stanza"."""
    backend = settings.nlp.ner_backend if settings is not None else "spacy"
    if backend not in NER_BACKENDS:
        raise ValueError(f"unknown NER backend {backend!r} (nlp.ner_backend / NETRA_NER_BACKEND): use spacy or stanza")
    return backend


def build_nlp(
    settings: Settings | None = None, use_ner: bool = True, config: Path = CONFIG_PATH, use_learned: bool = True
) -> BuiltPipeline:
    """The pipeline of ``config``; ``use_ner=False`` leaves out the sourced NER (rules only).
    With ``use_ner`` a missing model is ``NerModelMissing``, never a silent rules-only pipeline.

    With ``nlp.ner_backend = "stanza"`` the Stanza NER (``models/stanza-id`` on spaCy's tokens,
    docs/ner.md) stands where the config sources the spaCy NER; asked for explicitly, a missing
    model or extra is an error (``StanzaModelMissing``), never a silent fallback."""
    lang, names, sections = load_pipeline_config(config)
    if not use_learned:  # the rules alone (the baseline of pipeline.events.cv)
        names = [n for n in names if sections[n].get("factory") not in learned.COMPONENTS]
    sourced = [n for n in names if "source" in sections[n]]
    base: Language | None = None
    ner_version: str | None = None
    if use_ner and sourced and ner_backend(settings) == "stanza":
        from pipeline.nlp.stanza_ner import build_stanza_nlp, stanza_version

        base = build_stanza_nlp()
        ner_version = stanza_version()
        at = names.index(sourced[0])
        names = [n for n in names if n not in sourced]
        names[at:at] = base.pipe_names
        sourced = list(base.pipe_names)
    elif use_ner and sourced:
        base = _load_ner(settings)
        absent = [n for n in sourced if n not in base.pipe_names]
        extra = [n for n in base.pipe_names if n not in sourced]
        if absent or extra:
            raise PipelineConfigError(
                f"NER model {base.meta.get('name')!r} has components {base.pipe_names}; {config.name} sources {sourced}"
            )
        ner_version = f"{NER_SOURCE} {base.meta.get('version', '?')}"
    nlp = base if base is not None else spacy.blank(lang)
    for k, name in enumerate(names):
        if name in sourced:
            continue
        settings_of = {key: value for key, value in sections[name].items() if key != "factory"}
        if sections[name]["factory"] in learned.COMPONENTS and settings is not None and "model_dir" not in settings_of:
            settings_of["model_dir"] = str(settings.nlp.events_model)
        later = [n for n in names[k + 1 :] if n in nlp.pipe_names]
        if later:  # before the sourced components that follow it (the sentences before the NER)
            nlp.add_pipe(sections[name]["factory"], name=name, config=settings_of, before=later[0])
        else:
            nlp.add_pipe(sections[name]["factory"], name=name, config=settings_of)
    expected = [n for n in names if base is not None or n not in sourced]
    if nlp.pipe_names != expected:  # pragma: no cover - add_pipe places every component
        raise PipelineConfigError(f"built {nlp.pipe_names}, expected {expected}")
    return BuiltPipeline(nlp, ner_version)
