"""How event-extraction components hand their findings to each other: ``Doc._.netra``.

One typed extension, :class:`DocFindings`, carries everything the components share about a
document: the article it came from (publication date, title, dateline), the slot findings,
caches of derived text views, and the relevance decision.

Each slot component (regions, dates, sanctions, elections, counts, officials, event cues)
records what it finds with :func:`add_slot`: the span, and a :class:`SlotValue` with the
normalized value, the rule or model that produced it and its version, and a confidence.  The
spans also go to ``doc.spans[<key>]`` (for displaCy and debugging); the values live in the
extension because span extensions are keyed by character offsets and two findings over the
same characters (a region inside an official's title) would overwrite each other.  The
assembler reads only these findings, so components stay independent and every stored field
keeps its provenance.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from spacy.tokens import Doc, Span

if TYPE_CHECKING:
    from pipeline.events.relevance import RelevanceDecision
    from pipeline.schema import ArticleInput

SLOT_KEYS = ("regions", "dates", "sanctions", "elections", "counts", "officials", "event_cues", "subjects")
EXTENSION = "netra"


@dataclass
class SlotValue:
    value: dict[str, Any]  # e.g. {"code": "14.71"} or {"date": "2023-07-17", "precision": "day"}
    rule: str  # e.g. "regions.gov_form"
    version: str  # version of that rule set or model
    confidence: float = 1.0
    extra: dict[str, Any] = field(default_factory=dict)  # component-private details


Slot = tuple[Span, SlotValue]


@dataclass
class DocFindings:
    """What the components know about one document (``doc._.netra``)."""

    article: ArticleInput | None = None  # set by the extractor before the pipeline runs
    slots: dict[str, list[Slot]] = field(default_factory=dict)
    relevance: RelevanceDecision | None = None  # set by ``netra_relevance``
    # caches of views of the text, computed once per document
    text: str | None = None
    boilerplate: list[tuple[int, int]] | None = None
    lower_vocab: frozenset[str] | None = None


if not Doc.has_extension(EXTENSION):
    Doc.set_extension(EXTENSION, default=None)


def findings(doc: Doc) -> DocFindings:
    """``doc._.netra``, created on first use."""
    found: DocFindings | None = getattr(doc._, EXTENSION)
    if found is None:
        found = DocFindings()
        setattr(doc._, EXTENSION, found)
    return found


def doc_text(doc: Doc) -> str:
    """``doc.text``, built once per document: spaCy joins every token on each access, and the
    rule components look at the text around hundreds of matches."""
    found = findings(doc)
    if found.text is None:
        found.text = doc.text
    return found.text


def add_slot(
    doc: Doc,
    key: str,
    span: Span,
    value: dict[str, Any],
    rule: str,
    version: str,
    confidence: float = 1.0,
    **extra: Any,
) -> SlotValue:
    if key not in SLOT_KEYS:
        raise KeyError(f"unknown slot key {key!r}; expected one of {SLOT_KEYS}")
    slot = SlotValue(value, rule, version, confidence, dict(extra))
    findings(doc).slots.setdefault(key, []).append((span, slot))
    group = list(doc.spans[key]) if key in doc.spans else []
    group.append(span)
    doc.spans[key] = group
    return slot


def iter_slots(doc: Doc, key: str) -> Iterator[Slot]:
    yield from findings(doc).slots.get(key, [])
