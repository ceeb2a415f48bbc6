"""Elections named in an article: kind (pilkada, pemilu, pilpres, pileg, pilkades) and year.

A PhraseMatcher finds the kind ("Pilkada", "Pemilihan Kepala Daerah", "Pemilu Presiden",
"Pemilihan Wali Kota" …); names of election bodies ("Badan Pengawas Pemilu", "Komisi
Pemilihan Umum", "tindak pidana pemilu") match as longer phrases and are dropped.  The
year is the first year within a few words ("Pilkada serentak tahun 2024", "Pilkada Aceh
Utara 2024", "Pilkada 9 Desember 2020"); coordinated names share it ("Pemilu dan Pilkada
2024" gives both).  "tahun ini" gives the publication year.  No year → ``year: None``.
An election before the publication year is a past reference (low confidence).
"""

from __future__ import annotations

import re
from datetime import date

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from pipeline.events import lexicon
from pipeline.events.context import doc_boilerplate, in_ranges
from pipeline.events.dates import MONTHS
from pipeline.events.spans import add_slot, findings

RULES_VERSION = "elections-1.0"

_LEX = lexicon.load()


ELECTION_PHRASES: dict[str, tuple[str, ...]] = _LEX.groups("elections", "kinds")
_SKIP_BEFORE_YEAR = _LEX.word_set("elections", "skip_before_year")
_YEAR = re.compile(r"^(19[5-9]\d|20[0-4]\d)$")
_COORD = _LEX.word_set("elections", "coordinators")
# Years of the nationwide elections (UU 7/2017, UU 10/2016 and the earlier waves of simultaneous
# pilkada).  A yearless "Pilkada" in a piece published up to two years before one of them names it.
# (year, month) of voting day.
_GENERAL_VOTES = ((2004, 4), (2009, 4), (2014, 4), (2019, 4), (2024, 2), (2029, 2))
ELECTION_VOTES: dict[str, tuple[tuple[int, int], ...]] = {
    "pemilu": _GENERAL_VOTES,
    "pilpres": _GENERAL_VOTES,
    "pileg": _GENERAL_VOTES,
    "pilkada": ((2015, 12), (2017, 2), (2018, 6), (2020, 12), (2024, 11)),
}
_GENERAL = {"pemilu", "pilpres", "pileg"}  # held together: one states the year for all


def upcoming_election_year(kind: str, published: date | None, horizon: int = 2) -> int | None:
    """The first nationwide election of ``kind`` in the publication year or within ``horizon`` years after."""
    if published is None:
        return None
    for year, month in ELECTION_VOTES.get(kind, ()):
        if (published.year, published.month) <= (year, month) and year <= published.year + horizon:
            return year
    return None


def year_after(words: list[str], max_words: int = 6) -> int | None:
    """The first year in the words after an election name, skipping fillers, places and dates.

    ``["serentak", "tahun", "2024"]`` → 2024; ``["Aceh", "Utara", "2024"]`` → 2024;
    ``["9", "Desember", "2020"]`` → 2020; ``["yang", "lalu"]`` → None.
    """
    for i, w in enumerate(words[:max_words]):
        if _YEAR.match(w):
            return int(w)
        low = w.casefold()
        if low in _SKIP_BEFORE_YEAR or low in MONTHS or (w.isdigit() and len(w) <= 2):
            continue
        if w[:1].isupper() and w.isalpha() and i < 4:  # a region name: "Pilkada Aceh Utara 2024"
            continue
        if low == "ini" and i > 0 and words[i - 1].casefold() == "tahun":
            return -1  # "tahun ini": the publication year
        return None
    return None


class ElectionFinder:
    """spaCy component: adds ``elections`` slots (see module docstring)."""

    def __init__(self, nlp: Language, name: str = "netra_elections"):
        self.name = name
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        for kind, phrases in ELECTION_PHRASES.items():
            self.matcher.add(kind, list(nlp.tokenizer.pipe(phrases)))  # type: ignore[union-attr]

    def __call__(self, doc: Doc) -> Doc:
        article = findings(doc).article
        published: date | None = article.published if article else None
        boiler = doc_boilerplate(doc)
        spans = filter_spans([Span(doc, s, e, label=m) for m, s, e in self.matcher(doc)])
        spans = [s for s in spans if s.label_ != "_org" and not in_ranges(s.start_char, s.end_char, boiler)]
        years: list[int | None] = []
        for span in spans:
            year = year_after([t.text for t in doc[span.end : span.end + 6]])
            if year == -1:
                year = published.year if published else None
            years.append(year)
        # "Pemilu dan Pilkada 2024": a name without a year takes the year of the name coordinated after it
        for n in range(len(spans) - 2, -1, -1):
            if years[n] is None:
                gap = doc[spans[n].end : spans[n + 1].start]
                if 0 < len(gap) <= 2 and all(t.lower_ in _COORD for t in gap):
                    years[n] = years[n + 1]
        stated: dict[str, int] = {}
        for span, year in zip(spans, years, strict=True):
            if year and span.label_ not in stated:
                stated[span.label_] = year
        for span, year in zip(spans, years, strict=True):
            conf = 0.8 if year else 0.5
            inferred = None
            if year is None:
                # the year the article states for the same election, else the election the piece looks ahead to
                year = stated.get(span.label_) or next(
                    (stated[k] for k in _GENERAL if span.label_ in _GENERAL and k in stated), None
                )
                inferred = "article" if year else None
                if year is None:
                    year = upcoming_election_year(span.label_, published)
                    inferred = "calendar" if year else None
                conf = 0.6 if inferred == "article" else 0.5
            value = {"kind": span.label_, "year": year}
            if inferred:
                value["year_inferred"] = inferred
            if year and published and year < published.year:
                value["past"], conf = True, 0.4
            add_slot(doc, "elections", span, value, f"elections.{span.label_}", RULES_VERSION, conf)
        return doc


@Language.factory("netra_elections", default_config={})
def make_election_finder(nlp: Language, name: str) -> ElectionFinder:
    return ElectionFinder(nlp, name)
