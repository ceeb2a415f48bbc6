"""Learned components of the events pipeline: linear models over the rule findings of officials.

* ``netra_official_check`` — is a candidate official found by the title rules really a person
  taking part? A logistic regression over features of the candidate (the rule that found it,
  office, shape of the name's tokens, the NER labels on them, title/organisation/region words
  inside the name, the words around the first mention). Candidates below ``threshold`` are dropped.
* ``netra_official_role`` — the role (leader, speaker, attendee, organizer, subject) from the
  lower-case words around the mentions, the rule's role cues and the event cues of the sentences.

Features never hold the words of a name (only their shape and lexicon class): gold names are
training labels, never weights. Models are plain JSON (``models/events-learned``: feature index,
coefficients, classes), trained by ``make train-events`` (:mod:`pipeline.events.train`); inference
is a sparse dot product without scikit-learn. A missing model leaves the component a no-op (the
rules alone decide), with one warning.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.events import lexicon, titles
from pipeline.events.context import region_index, sentence_index
from pipeline.events.spans import SlotValue, findings, iter_slots
from pipeline.logs import get_logger
from pipeline.regions import alias_key

log = get_logger(__name__)

RULES_VERSION = "learned-features-0.1.0"
MODEL_NAME = "events-learned"
CHECK = "official_check"
ROLE = "official_role"
COMPONENTS = {"netra_official_check": CHECK, "netra_official_role": ROLE}

_LEX = lexicon.load()
_NOT_NAME = _LEX.word_set("officials", "not_name")
_ORG_WORDS = _LEX.word_set("officials", "org_words")
_TITLE_WORDS = frozenset(w for words in titles.OFFICES for w in words) | titles.BODY_WORDS | titles.RANKS
_ROLE_CUES: dict[str, frozenset[str]] = {
    **_LEX.group_sets("officials", "roles"),
    "speaker": _LEX.flagged("speech", "verbs", "speaker"),
}
WINDOW = 6


@dataclass(frozen=True)
class LinearModel:
    """A logistic regression stored as JSON: binary (one row of coefficients) or multinomial."""

    name: str
    version: str
    classes: list[str]
    features: dict[str, int]
    coef: list[list[float]]
    intercept: list[float]

    def probabilities(self, feats: dict[str, float]) -> dict[str, float]:
        scores = []
        for row, bias in zip(self.coef, self.intercept, strict=True):
            total = bias
            for key, value in feats.items():
                k = self.features.get(key)
                if k is not None:
                    total += row[k] * value
            scores.append(total)
        if len(self.classes) == 2 and len(scores) == 1:
            p = 1.0 / (1.0 + math.exp(-scores[0]))
            return {self.classes[0]: 1.0 - p, self.classes[1]: p}
        top = max(scores)
        exps = [math.exp(s - top) for s in scores]
        norm = sum(exps)
        return {c: e / norm for c, e in zip(self.classes, exps, strict=True)}

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "classes": self.classes,
            "features": self.features,
            "coef": [[round(v, 6) for v in row] for row in self.coef],
            "intercept": [round(v, 6) for v in self.intercept],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LinearModel:
        return cls(
            str(data["name"]),
            str(data["version"]),
            [str(c) for c in data["classes"]],
            {str(k): int(v) for k, v in data["features"].items()},
            [[float(v) for v in row] for row in data["coef"]],
            [float(v) for v in data["intercept"]],
        )


def default_model_dir() -> Path:
    from pipeline.settings import load_settings

    return Path(load_settings().nlp.events_model)


def load_model(name: str, model_dir: str | Path | None = None) -> LinearModel | None:
    """The model ``name`` of ``model_dir`` (default: settings ``nlp.events_model``), None when absent."""
    path = (Path(model_dir) if model_dir else default_model_dir()) / f"{name}.json"
    if not path.is_file():
        log.warning("learned component %s not found at %s: the rules decide alone (make train-events)", name, path)
        return None
    return LinearModel.from_json(json.loads(path.read_text(encoding="utf-8")))


def model_version(model_dir: str | Path | None = None) -> str:
    """``version`` of the shipped models' meta.json ("none" without it): part of the rules fingerprint."""
    try:
        path = (Path(model_dir) if model_dir else default_model_dir()) / "meta.json"
        return str(json.loads(path.read_text(encoding="utf-8")).get("version", "?"))
    except (OSError, ValueError):
        return "none"


# --- features ------------------------------------------------------------------------------------


def _shape(text: str) -> str:
    if text.isdigit():
        return "d"
    if text.isupper() and len(text) > 1:
        return "X"
    if text[:1].isupper():
        return "Xx"
    if text[:1].islower():
        return "x"
    return "p"


def _context_word(text: str) -> str:
    """A lower-case word as itself; a capitalised one (maybe a name) only by its shape."""
    return text.lower() if text[:1].islower() or not text[:1].isalpha() else "<" + _shape(text) + ">"


def mention_spans(doc: Doc, slot: SlotValue, span: Span) -> list[Span]:
    spans = []
    for start, end in slot.extra.get("mentions") or []:
        try:
            sp = doc.char_span(start, end, alignment_mode="expand") if end > start else None
        except IndexError:  # a mention at the very edge of the doc
            sp = None
        if sp is not None and len(sp):
            spans.append(sp)
    return spans or [span]


def official_features(doc: Doc, span: Span, slot: SlotValue) -> dict[str, float]:
    """Features of one candidate official (``officials`` slot), names only by shape and class."""
    value = slot.value
    name = str(value.get("name") or "")
    tokens = [t for t in name.split() if t]
    lows = [t.lower().strip(".,") for t in tokens]
    f: dict[str, float] = {
        f"rule={slot.rule}": 1.0,
        f"office={value.get('office')}": 1.0,
        f"acting={value.get('acting') is not None}": 1.0,
        f"region={value.get('region') is not None}": 1.0,
        f"rule_role={value.get('role')}": 1.0,
        "confidence": float(slot.confidence),
        f"n_tokens={min(len(tokens), 4)}": 1.0,
    }
    for t in tokens:
        f[f"shape={_shape(t)}"] = f.get(f"shape={_shape(t)}", 0.0) + 1.0 / len(tokens)
    if tokens:
        f[f"first_shape={_shape(tokens[0])}"] = 1.0
    for label, words in (("not_name", _NOT_NAME), ("org", _ORG_WORDS), ("title", _TITLE_WORDS)):
        if any(w in words for w in lows):
            f[f"has_{label}"] = 1.0
    if any(alias_key(t) in region_index() for t in tokens):
        f["has_region_word"] = 1.0
    if alias_key(name) in region_index():
        f["is_region_name"] = 1.0
    mentions = mention_spans(doc, slot, span)
    f[f"mentions={min(len(mentions), 3)}"] = 1.0
    name_set = set(tokens)
    ents: dict[str, int] = {}
    seen = 0
    for sp in mentions:
        for tok in sp:
            if tok.text in name_set:
                seen += 1
                ents[tok.ent_type_ or "O"] = ents.get(tok.ent_type_ or "O", 0) + 1
    for label, n in ents.items():
        f[f"ner={label}"] = n / seen
    _sents, index = sentence_index(doc)
    first = min(mentions, key=lambda s: s.start)
    f[f"first_sentence={min(index.get(first.start, 0), 3)}"] = 1.0
    if first.start > 0:
        f[f"prev={_context_word(doc[first.start - 1].text)}"] = 1.0
    if first.end < len(doc):
        f[f"next={_context_word(doc[first.end].text)}"] = 1.0
    return f


def role_features(doc: Doc, span: Span, slot: SlotValue) -> dict[str, float]:
    """Features of an official's role: the rule's answer, the words and cues around its mentions."""
    value = slot.value
    f: dict[str, float] = {
        f"rule_role={value.get('role')}": 1.0,
        f"office={value.get('office')}": 1.0,
        f"rule={slot.rule}": 1.0,
    }
    sents, index = sentence_index(doc)
    mentions = mention_spans(doc, slot, span)
    mention_sents = {index.get(sp.start, 0) for sp in mentions}
    for sp in mentions:
        sent = sents[index.get(sp.start, 0)]
        window = doc[max(sent.start, sp.start - WINDOW) : min(sent.end, sp.end + WINDOW)]
        for tok in window:
            if tok.is_alpha and tok.text[:1].islower():
                f[f"w={tok.lower_}"] = 1.0
        after = {t.lower_ for t in doc[sp.end : min(sent.end, sp.end + 4)]}
        lows = {t.lower_ for t in sent}
        for role, cues in _ROLE_CUES.items():
            if after & cues:
                f[f"cue_after={role}"] = 1.0
            if lows & cues:
                f[f"cue_sent={role}"] = 1.0
    for cue_span, cue in iter_slots(doc, "event_cues"):
        if index.get(cue_span.start, -1) in mention_sents:
            f[f"event_cue={cue.value.get('type')}"] = 1.0
    f[f"mentions={min(len(mentions), 3)}"] = 1.0
    f[f"first_sentence={min(min(mention_sents), 3)}"] = 1.0
    return f


FEATURES = {CHECK: official_features, ROLE: role_features}


# --- applying the models to a doc's findings -----------------------------------------------------


def apply_check(doc: Doc, model: LinearModel, threshold: float) -> None:
    """Drop the candidate officials the model does not take for a person taking part.

    Without the NER (``use_ner=False``, no model) the check does nothing: it was trained on the
    NER's labels, and their absence would read as "not a person" everywhere."""
    if not doc.has_annotation("ENT_IOB"):
        return
    kept = []
    for span, slot in iter_slots(doc, "officials"):
        p = model.probabilities(official_features(doc, span, slot)).get("1", 0.0)
        slot.extra["name_check"] = round(p, 3)
        if p >= threshold:
            slot.version = f"{slot.version}+{model.name}-{model.version}"
            kept.append((span, slot))
    findings(doc).slots["officials"] = kept


def apply_role(doc: Doc, model: LinearModel) -> None:
    """Replace each official's rule role by the model's most probable one."""
    for span, slot in iter_slots(doc, "officials"):
        probs = model.probabilities(role_features(doc, span, slot))
        role = max(sorted(probs), key=lambda c: probs[c])
        slot.extra["rule_role"] = slot.value.get("role")
        slot.value["role"] = role
        slot.version = f"{slot.version}+{model.name}-{model.version}"


def apply_models(doc: Doc, models: dict[str, LinearModel | None], threshold: float) -> None:
    """The learned components in pipeline order (check, then role) on an already processed doc."""
    check, role = models.get(CHECK), models.get(ROLE)
    if check is not None:
        apply_check(doc, check, threshold)
    if role is not None:
        apply_role(doc, role)


def snapshot_officials(doc: Doc) -> list[tuple[Span, SlotValue]]:
    return [
        (sp, SlotValue(dict(sl.value), sl.rule, sl.version, sl.confidence, dict(sl.extra)))
        for sp, sl in iter_slots(doc, "officials")
    ]


def restore_officials(doc: Doc, saved: Iterable[tuple[Span, SlotValue]]) -> None:
    findings(doc).slots["officials"] = [
        (sp, SlotValue(dict(sl.value), sl.rule, sl.version, sl.confidence, dict(sl.extra))) for sp, sl in saved
    ]


class OfficialCheck:
    def __init__(self, name: str, model_dir: str, threshold: float):
        self.name = name
        self.threshold = threshold
        self.model = load_model(CHECK, model_dir or None)

    def __call__(self, doc: Doc) -> Doc:
        if self.model is not None:
            apply_check(doc, self.model, self.threshold)
        return doc


class OfficialRole:
    def __init__(self, name: str, model_dir: str):
        self.name = name
        self.model = load_model(ROLE, model_dir or None)

    def __call__(self, doc: Doc) -> Doc:
        if self.model is not None:
            apply_role(doc, self.model)
        return doc


@Language.factory("netra_official_check", default_config={"model_dir": "", "threshold": 0.5})
def make_official_check(nlp: Language, name: str, model_dir: str, threshold: float) -> OfficialCheck:
    return OfficialCheck(name, model_dir, threshold)


@Language.factory("netra_official_role", default_config={"model_dir": ""})
def make_official_role(nlp: Language, name: str, model_dir: str) -> OfficialRole:
    return OfficialRole(name, model_dir)
