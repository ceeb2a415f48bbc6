"""Data-driven rule cases: every entry of tests/cases/*.yml, run through the rules-only extractor.

A case is a sentence or short text written for it (never a gold article) and what the rules must
make of it; adding a cue and its example needs no Python (docs/events.md, "Cases").  Keys:

* ``text`` (a string, or a list of strings joined: YAML anchors share a lead), optional
  ``title`` and ``published`` (default 2024-09-12; ``null`` for none);
* ``expect`` — any of: ``relevant``; ``events`` (``[type, date]`` pairs in order); ``types``
  (the exact set); ``types_include`` / ``types_exclude``; ``officials`` / ``sanctions`` /
  ``elections`` (each listed mapping must match one found, on the keys given); ``cues`` (each
  ``{term, type, <flag>: bool}`` must be a cue found with those flags; a flag not given is not
  checked); ``no_cues`` (no cue found matches the keys given).  A case with expectations
  beyond cues is about a relevant text unless it says ``relevant: false``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from pipeline.events import EventExtractor
from pipeline.events.spans import findings, iter_slots
from pipeline.schema import ArticleInput

CASES_DIR = Path(__file__).parent / "cases"
DEFAULT_PUBLISHED = dt.date(2024, 9, 12)
EXPECT_KEYS = {
    "relevant",
    "events",
    "types",
    "types_include",
    "types_exclude",
    "officials",
    "sanctions",
    "elections",
    "cues",
    "no_cues",
}


def load_cases() -> Iterator[Any]:
    for path in sorted(CASES_DIR.glob("*.yml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            unknown = set(case.get("expect", {})) - EXPECT_KEYS
            assert not unknown, f"{path.name}: {case.get('name')}: unknown expect keys {unknown}"
            yield pytest.param(case, id=f"{path.stem}: {case['name']}")


@pytest.fixture(scope="module")
def extractor() -> EventExtractor:
    return EventExtractor(use_ner=False)


def _article(case: dict[str, Any]) -> ArticleInput:
    text = case["text"] if isinstance(case["text"], str) else "".join(case["text"])
    published = case.get("published", DEFAULT_PUBLISHED)
    return ArticleInput(id="case", text=text.strip(), title=case.get("title"), published=published)


def _matches(found: dict[str, Any], expected: dict[str, Any]) -> bool:
    """``found`` has the expected values; an expected flag (true/false) compares with the flag's truth."""
    return all(bool(found.get(k)) is v if isinstance(v, bool) else found.get(k) == v for k, v in expected.items())


def _found_cues(extractor: EventExtractor, article: ArticleInput) -> list[dict[str, Any]]:
    doc = extractor.nlp.make_doc(article.text)
    findings(doc).article = article
    doc = extractor.nlp(doc)
    return [{"term": span.text.lower(), **slot.value} for span, slot in iter_slots(doc, "event_cues")]


@pytest.mark.parametrize("case", list(load_cases()))
def test_case(extractor: EventExtractor, case: dict[str, Any]) -> None:
    article = _article(case)
    expect = case["expect"]
    result = extractor.extract(article)
    # a case on events is about a relevant text; a case on cues alone may not be
    relevant = expect.get("relevant", True if set(expect) - {"cues", "no_cues"} else None)
    if relevant is not None:
        assert result.relevant == relevant, result.relevance_score
    events = [(e.type, e.date) for e in result.events]
    types = {t for t, _d in events}
    if "events" in expect:
        assert events == [tuple(pair) for pair in expect["events"]]
    if "types" in expect:
        assert types == set(expect["types"]), events
    assert set(expect.get("types_include", ())) <= types, events
    assert not set(expect.get("types_exclude", ())) & types, events
    for field in ("officials", "sanctions", "elections"):
        found = [item.model_dump() for e in result.events for item in getattr(e, field)]
        for wanted in expect.get(field, ()):
            assert any(_matches(f, wanted) for f in found), (field, wanted, found)
    if "cues" in expect or "no_cues" in expect:
        cues = _found_cues(extractor, article)
        for wanted in expect.get("cues", ()):
            assert any(_matches(c, wanted) for c in cues), (wanted, cues)
        for unwanted in expect.get("no_cues", ()):
            assert not any(_matches(c, unwanted) for c in cues), (unwanted, cues)
