"""Where a finding sits: the helpers every event component shares, one copy each.

* :func:`sentence_index` — the sentences of a doc and the sentence of each token;
* :func:`inside_quote` — whether a character offset is inside a quotation;
* boilerplate — the lines and line tails that are not article text ("Baca juga: …", captions,
  credits, related headlines), markers in ``lexicon/boilerplate.yml``;
* region indexes — the Kemendagri gazetteer keyed by normalised alias or kecamatan name.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Span

from pipeline.events import lexicon
from pipeline.events.spans import doc_text, findings
from pipeline.regions import alias_key, load_aliases, load_regions

_LEX = lexicon.load()

# --------------------------------------------------------------------------- sentences


def sentence_index(doc: Doc) -> tuple[list[Span], dict[int, int]]:
    """The sentences of ``doc`` (the whole doc when it has no sentence starts) and token -> sentence."""
    sents = list(doc.sents) if doc.has_annotation("SENT_START") else [doc[:]]
    index: dict[int, int] = {}
    for k, s in enumerate(sents):
        for i in range(s.start, s.end):
            index[i] = k
    return sents, index


# --------------------------------------------------------------------------- quotations


def inside_quote(text: str, offset: int) -> bool:
    """Whether ``offset`` falls inside a quotation of its paragraph (odd number of quote marks before it)."""
    line_start = text.rfind("\n", 0, offset) + 1
    before = text[line_start:offset]
    opened = before.count("“") - before.count("”")
    if opened > 0:
        return True
    return before.count('"') % 2 == 1


# --------------------------------------------------------------------------- boilerplate


def _marker(phrase: str) -> str:
    """A lexicon marker as a regular expression: any spaces between words, optional before a colon."""
    words = [re.escape(w) for w in phrase.removesuffix(":").split()]
    body = r"\s+".join(words)
    if phrase.endswith(":"):
        return body + r"\s*:"
    return body + (r"(?!\w)" if phrase[-1:].isalnum() else "")


def _alternatives(name: str) -> str:
    return "|".join(_marker(m) for m in _LEX.words("boilerplate", name))


_BOILERPLATE_LINE = re.compile(rf"^\s*(?:{_alternatives('line_starts')})", re.IGNORECASE)
_RELATED_HEADER = re.compile(rf"^\s*(?:{_alternatives('related_headers')})\s*:?\s*$", re.IGNORECASE)
_INLINE_BOILERPLATE = re.compile(rf"\b(?:{_alternatives('inline')})", re.IGNORECASE)
_BULLET_HEADLINE = re.compile(r"^\s*(?:[-•·▪►»]|\d+\.)\s+\S.*[^.!?\"”)]\s*$")


def boilerplate_ranges(text: str) -> list[tuple[int, int]]:
    """Character ranges of lines (or line tails) that are not article text.

    "Baca juga: …" links, captions, related-headline bullets, credit and copyright lines, and
    everything after a line-initial "Berita terkait"/"Artikel terkait" header.
    """
    ranges: list[tuple[int, int]] = []
    offset = 0
    in_related_block = False
    for line in text.splitlines(keepends=True):
        start, end = offset, offset + len(line.rstrip("\n"))
        offset += len(line)
        stripped = line.strip()
        if not stripped:
            continue
        if in_related_block or _BOILERPLATE_LINE.match(line) or _BULLET_HEADLINE.match(line.rstrip("\n")):
            ranges.append((start, end))
            if _RELATED_HEADER.match(stripped):
                in_related_block = True
            continue
        inline = _INLINE_BOILERPLATE.search(line)
        if inline:
            ranges.append((start + inline.start(), end))
    return ranges


def doc_boilerplate(doc: Doc) -> list[tuple[int, int]]:
    """:func:`boilerplate_ranges` of ``doc.text``, computed once per doc and shared by the components."""
    found = findings(doc)
    if found.boilerplate is None:
        found.boilerplate = boilerplate_ranges(doc_text(doc))
    return found.boilerplate


def boilerplate_token_ranges(doc: Doc) -> list[tuple[int, int]]:
    """:func:`doc_boilerplate` as token ranges."""
    ranges = []
    for start, end in doc_boilerplate(doc):
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None:
            ranges.append((span.start, span.end))
    return ranges


def in_ranges(start: int, end: int, ranges: Iterable[tuple[int, int]]) -> bool:
    return any(s <= start and end <= e for s, e in ranges)


# --------------------------------------------------------------------------- region indexes

# Alias kinds that are a name with no title/prefix in front of it.
BARE_KINDS = frozenset({"bare", "alternate", "abbreviation", "spelling", "colloquial", "former", "official"})
NAME_KINDS = BARE_KINDS | {"prefixed"}  # every kind that names the region itself


@dataclass(frozen=True)
class GazetteerEntry:
    code: str
    level: str  # province | kabupaten | kota | kecamatan
    kind: str  # alias kind, or the kecamatan prefix used
    risky: bool  # bare form that is also a common word or another referent


@lru_cache(maxsize=1)
def alias_index() -> dict[str, tuple[GazetteerEntry, ...]]:
    """Normalised alias key → the regions it may name."""
    index: dict[str, list[GazetteerEntry]] = defaultdict(list)
    for a in load_aliases():
        entry = GazetteerEntry(a.code, a.level, a.kind, "risk" in a.note and a.kind in BARE_KINDS)
        key = alias_key(a.alias)
        if entry not in index[key]:
            index[key].append(entry)
    return {k: tuple(v) for k, v in index.items()}


@lru_cache(maxsize=1)
def region_index() -> dict[str, tuple[tuple[str, str], ...]]:
    """Alias key -> ((code, level), ...) for provinces and kabupaten/kota named by any alias kind."""
    index: dict[str, set[tuple[str, str]]] = {}
    for alias in load_aliases():
        if alias.kind in NAME_KINDS:
            index.setdefault(alias_key(alias.alias), set()).add((alias.code, alias.level))
    for row in load_regions().values():
        if row.level == "province":
            index.setdefault(alias_key(row.name), set()).add((row.code, "province"))
    return {k: tuple(sorted(v)) for k, v in index.items()}


@lru_cache(maxsize=1)
def kecamatan_index() -> dict[str, tuple[str, ...]]:
    """Normalised kecamatan name → kecamatan codes (291 names are shared)."""
    index: dict[str, list[str]] = defaultdict(list)
    for row in load_regions().values():
        if row.level == "kecamatan":
            index[alias_key(row.name)].append(row.code)
    return {k: tuple(v) for k, v in index.items()}
