"""How event-extraction components hand their findings to each other.

Each slot component (regions, dates, sanctions, elections, counts, officials,
event cues) records what it finds with :func:`add_slot`: the span, and a
:class:`SlotValue` with the normalized value, the rule or model that produced
it and its version, and a confidence.  The spans also go to
``doc.spans[<key>]`` (for displaCy and debugging); the values live in
``doc.user_data`` because span extensions are keyed by character offsets and
two findings over the same characters (a region inside an official's title)
would overwrite each other.  The
assembler reads only these span groups, so components stay independent and
every stored field keeps its provenance.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc, Span

_USER_DATA_KEY = "netra_slots"
_TEXT_KEY = "netra_text"
SLOT_KEYS = ("regions", "dates", "sanctions", "elections", "counts", "officials", "event_cues", "subjects")

def doc_text(doc: Doc) -> str:
    """``doc.text``, built once per document: spaCy joins every token on each access, and the
    rule components look at the text around hundreds of matches."""
    text = doc.user_data.get(_TEXT_KEY)
    if text is None:
        text = doc.user_data[_TEXT_KEY] = doc.text
    return text


@dataclass
class SlotValue:
    value: dict[str, Any]  # e.g. {"code": "14.71"} or {"date": "2023-07-17", "precision": "day"}
    rule: str  # e.g. "regions.gov_form"
    version: str  # version of that rule set or model
    confidence: float = 1.0
    extra: dict[str, Any] = field(default_factory=dict)  # component-private details


def add_slot(doc: Doc, key: str, span: Span, value: dict[str, Any], rule: str, version: str,
             confidence: float = 1.0, **extra: Any) -> SlotValue:
    if key not in SLOT_KEYS:
        raise KeyError(f"unknown slot key {key!r}; expected one of {SLOT_KEYS}")
    slot = SlotValue(value, rule, version, confidence, dict(extra))
    doc.user_data.setdefault(_USER_DATA_KEY, {}).setdefault(key, []).append((span, slot))
    group = list(doc.spans[key]) if key in doc.spans else []
    group.append(span)
    doc.spans[key] = group
    return slot


def iter_slots(doc: Doc, key: str) -> Iterator[tuple[Span, SlotValue]]:
    yield from doc.user_data.get(_USER_DATA_KEY, {}).get(key, [])


def remove_slots(doc: Doc, key: str, drop) -> None:
    """Remove the findings of ``key`` for which ``drop(span, slot)`` is true (e.g. boilerplate)."""
    kept = [(s, v) for s, v in iter_slots(doc, key) if not drop(s, v)]
    doc.user_data.setdefault(_USER_DATA_KEY, {})[key] = kept
    doc.spans[key] = [s for s, _ in kept]
