"""Counts of PEOPLE in neutrality news: "11 ASN dilaporkan", "98 orang Aparatur Sipil Negara",
"dua orang ASN", "seorang oknum ASN", "70 dari 101 penjabat kepala daerah".

A Matcher pairs a number (digits or Indonesian number words) with a noun for people who
must stay neutral; counts of cases, reports or findings ("37 pelanggaran", "50 rekomendasi")
are not counts of people and are not matched.  ``who`` says whose neutrality; ``status``
comes from the verbs of the sentence.
"""

from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.util import filter_spans

from pipeline.events import lexicon
from pipeline.events.context import doc_boilerplate, in_ranges
from pipeline.events.spans import add_slot

RULES_VERSION = "counts-1.0"

_LEX = lexicon.load()
_COUNTS = "counts"


NUMBER_WORDS: dict[str, int] = _LEX.numbers(_COUNTS, "numbers")
WHO_WORDS: dict[str, str] = _LEX.labels(_COUNTS, "who")
# second word that completes a two-word noun ("kepala desa", "anggota Polri")
_WHO_NEXT = _LEX.group_sets(_COUNTS, "who_next")
STATUS_CUES: tuple[tuple[str, frozenset[str]], ...] = tuple(_LEX.group_sets("sanctions", "status").items())


def parse_count(words: list[str]) -> int | None:
    """ "11" → 11, "1.305" → 1305, "dua" → 2, "dua belas" → 12, "tiga puluh" → 30, "seorang" → 1."""
    if not words:
        return None
    first = words[0].casefold()
    if first.replace(".", "").isdigit():
        return int(first.replace(".", ""))
    base = NUMBER_WORDS.get(first)
    if base is None:
        return None
    if len(words) > 1:
        nxt = words[1].casefold()
        if nxt == "belas":
            return base + 10
        if nxt == "puluh":
            return base * 10
        if nxt == "ratus":
            return base * 100
    return base


def count_status(words: list[str]) -> str:
    low = {w.casefold() for w in words}
    for status, cues in STATUS_CUES:
        if low & cues:
            return status
    return "mentioned"


def _patterns() -> list[list[dict[str, Any]]]:
    number = {"LOWER": {"REGEX": r"^(\d{1,3}(\.\d{3})*|\d+|" + "|".join(NUMBER_WORDS) + r")$"}}
    tens = {"LOWER": {"IN": ["belas", "puluh", "ratus"]}, "OP": "?"}
    who = {"LOWER": {"IN": sorted(WHO_WORDS)}}
    return [
        [number, tens, {"LOWER": "orang", "OP": "?"}, {"LOWER": "oknum", "OP": "?"}, who],
        [number, tens, {"LOWER": "dari"}, {"LIKE_NUM": True}, who],
    ]


class CountFinder:
    """spaCy component: adds ``counts`` slots."""

    def __init__(self, nlp: Language, name: str = "netra_counts"):
        self.name = name
        self.matcher = Matcher(nlp.vocab)
        self.matcher.add("count", _patterns())

    def __call__(self, doc: Doc) -> Doc:
        boiler = doc_boilerplate(doc)
        spans = filter_spans([doc[s:e] for _, s, e in self.matcher(doc)])
        for span in spans:
            if in_ranges(span.start_char, span.end_char, boiler):
                continue
            head = span[-1].lower_
            if head in _WHO_NEXT:
                nxt = doc[span.end].lower_ if span.end < len(doc) else ""
                if nxt not in _WHO_NEXT[head]:
                    continue
                who = "village" if nxt in {"desa", "kampung"} else WHO_WORDS.get(nxt, "asn")
                if head == "kepala" and nxt in {"daerah", "dinas"}:
                    who = "asn"
            else:
                who = WHO_WORDS[head]
            words = [t.text for t in span if t.lower_ not in {"orang", "oknum"}]
            count = parse_count(words[:2])
            if count is None or count == 0 or count > 100000:
                continue
            status = count_status([t.text for t in span.sent])
            add_slot(
                doc,
                "counts",
                span,
                {"count": count, "who": who, "status": status},
                "counts.number_noun",
                RULES_VERSION,
                0.7,
            )
        return doc


@Language.factory("netra_counts", default_config={})
def make_count_finder(nlp: Language, name: str) -> CountFinder:
    return CountFinder(nlp, name)
