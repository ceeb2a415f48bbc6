"""Dates in an article, resolved against its publication date (``doc._.netra.article.published``).

Forms (spaCy Matcher over tokens; a regex only normalises a matched span):

* explicit: "Senin, 30 Oktober 2023", "10 Okt 2024", "tanggal 9 Desember", month-only
  "Oktober 2023", ranges "26 September-12 Oktober 2020" (month or year precision);
* numeric: "(17/7)", "(20/11/2023)", "(28/10/24)", "05/03/2020";
* weekday: a bare "Kamis" is the latest Thursday on or before publication ("Jumat pekan
  lalu" one week earlier);
* relative: "kemarin", "hari ini", "tadi pagi";
* document number: "SE Nomor 800/123 Tahun 2023" gives the year the document was issued
  (low confidence: only a sentence that issues it makes it an event date);
* dateline: a page stamp "Selasa, 18 Juli 2023 - 09:41 WIB" dates the publication, not the
  event; it stands in for a missing ``published``.

Each date carries ``statement=True`` when it only dates what someone told the press
("ujarnya, Rabu (4/3)", "dikutip …", "kepada wartawan, Senin (…)") and no event noun
(rapat, apel, deklarasi…) shares the clause: the schema says such a date is not the
event date.  Future dates and election days get low confidence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from pipeline.events import lexicon
from pipeline.events.context import doc_boilerplate, in_ranges, inside_quote
from pipeline.events.spans import add_slot, doc_text, findings
from pipeline.logs import get_logger

log = get_logger(__name__)

RULES_VERSION = "dates-1.2"

_LEX = lexicon.load()
_DATES = "dates"


MONTHS: dict[str, int] = _LEX.numbers("calendar", "months")
WEEKDAYS: dict[str, int] = _LEX.numbers("calendar", "weekdays")
# Words that make the clause a report to the press rather than the happening itself.
SPEECH_CUES = _LEX.flagged("speech", "verbs", "press")
# Nouns/verbs of a happening: a date sharing the clause with one of these dates that happening.
EVENT_CUES = _LEX.word_set(_DATES, "happenings")
FUTURE_CUES = _LEX.word_set(_DATES, "future")
# A clause opened by these words ends a tally at the date ("Hingga Minggu (6/9), Bawaslu telah memproses
# 37 pelanggaran"): the date bounds a count, it is not when something happened.
BOUND_CUES = _LEX.word_set(_DATES, "bounds")
# The supervisor's handling of a case ("diperiksa hari Sabtu (7/11)", "temuan Bawaslu pada 16 Oktober"): such a
# date is a step of the case, not the day of the violation itself.
HANDLING_CUES = _LEX.word_set(_DATES, "handling")
ELECTION_DAY_CUES = _LEX.word_set(_DATES, "election_day")
_TIME_ZONE = re.compile(r"\b\d{1,2}[:.]\d{2}\s*(?:WIB|WITA|WIT)\b|\b(?:WIB|WITA|WIT)\b")
_STAMP_LINE = re.compile(
    r"^\W*(?:access_time\s*)?(?:senin|selasa|rabu|kamis|jum'?at|sabtu|minggu),?\s+\d{1,2}\s+\w+\s+\d{4}\W*$",
    re.IGNORECASE,
)
_NUMERIC = re.compile(r"(\d{1,2})\s*/\s*(\d{1,2})(?:\s*[/ ]\s*(\d{4}|\d{2})(?!\d))?")
_EXPLICIT = re.compile(r"(?:(\d{1,2})\s+)?([A-Za-z]+)\.?(?:\s+(\d{4}))?")


@dataclass(frozen=True)
class ParsedDate:
    iso: str
    precision: str  # day | month | year


# --------------------------------------------------------------------------- pure helpers


def expand_year(year: int) -> int:
    """Two-digit years are 20xx ("28/10/24" → 2024)."""
    return 2000 + year if year < 100 else year


def nearest_year(month: int, day: int, published: date, future: bool = False) -> date | None:
    """The date with this month/day closest to ``published`` (on or after it when ``future``)."""
    options = []
    for y in (published.year - 1, published.year, published.year + 1):
        try:
            options.append(date(y, month, day))
        except ValueError:
            continue
    if future:
        options = [d for d in options if d >= published] or options
    else:
        past = [d for d in options if d <= published]
        # a date a few days after publication is a typo or timezone slip more often than next year's
        options = past + [d for d in options if published < d <= published + timedelta(days=3)] or options
    return min(options, key=lambda d: abs((d - published).days)) if options else None


def make_date(
    year: int | None, month: int, day: int | None, published: date | None, future: bool = False
) -> ParsedDate | None:
    """A ParsedDate from parts; a missing year comes from ``published`` (None when unknown)."""
    try:
        if year is not None:
            if day is None:
                return ParsedDate(f"{year:04d}-{month:02d}", "month") if 1 <= month <= 12 else None
            return ParsedDate(date(year, month, day).isoformat(), "day")
        if published is None or day is None:
            return None
        d = nearest_year(month, day, published, future)
        return ParsedDate(d.isoformat(), "day") if d else None
    except ValueError:
        return None


def parse_numeric_date(text: str, published: date | None, future: bool = False) -> tuple[str, str] | None:
    """ "(17/7)", "20/11/2023", "(28/10/24)", "(29/12 2023)" → (iso, precision), day first."""
    m = _NUMERIC.search(text)
    if not m:
        return None
    day, month = int(m.group(1)), int(m.group(2))
    year = expand_year(int(m.group(3))) if m.group(3) else None
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    parsed = make_date(year, month, day, published, future)
    return (parsed.iso, parsed.precision) if parsed else None


def parse_explicit_date(text: str, published: date | None, future: bool = False) -> tuple[str, str] | None:
    """ "30 Oktober 2023", "10 Okt", "Oktober 2023" (month precision) → (iso, precision)."""
    for m in _EXPLICIT.finditer(text):
        month = MONTHS.get(m.group(2).casefold())
        if month is None:
            continue
        day = int(m.group(1)) if m.group(1) else None
        year = int(m.group(3)) if m.group(3) else None
        if day is None and year is None:
            return None
        parsed = make_date(year, month, day, published, future)
        return (parsed.iso, parsed.precision) if parsed else None
    return None


def parse_range(text: str, published: date | None) -> tuple[str, str] | None:
    """ "26 September-12 Oktober 2020" → ("2020", "year"); "3-5 Mei 2024" → ("2024-05", "month")."""
    parts = [m for m in _EXPLICIT.finditer(text) if MONTHS.get(m.group(2).casefold())]
    years = [int(m.group(3)) for m in parts if m.group(3)]
    year = years[-1] if years else (published.year if published else None)
    if year is None or not parts:
        return None
    months = {MONTHS[m.group(2).casefold()] for m in parts}
    if len(months) == 1:
        return f"{year:04d}-{months.pop():02d}", "month"
    return f"{year:04d}", "year"


def partial_anchor(partial: str | None) -> date | None:
    """The last day a year-only or year-month publication hint ("2021", "2021-07") allows: dates
    without a year resolve to the latest such day on or before it."""
    if not partial:
        return None
    m = re.fullmatch(r"(\d{4})(?:-(\d{2}))?", str(partial).strip())
    if not m:
        return None
    year = int(m.group(1))
    if m.group(2) is None:
        return date(year, 12, 31)
    month = int(m.group(2))
    if not 1 <= month <= 12:
        return None
    return date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)


def resolve_weekday(weekday: str, published: date | None, weeks_back: int = 0) -> str | None:
    """The latest such weekday on or before ``published`` (minus ``weeks_back`` weeks)."""
    wd = WEEKDAYS.get(weekday.casefold())
    if wd is None or published is None:
        return None
    delta = (published.weekday() - wd) % 7 + 7 * weeks_back
    return (published - timedelta(days=delta)).isoformat()


def resolve_relative(word: str, published: date | None) -> str | None:
    """ "kemarin" → the day before publication; "hari ini"/"tadi pagi" → publication day."""
    if published is None:
        return None
    w = word.casefold()
    if w.startswith("kemarin"):
        return (published - timedelta(days=1)).isoformat()
    if w.startswith(("hari ini", "tadi", "pagi ini", "siang ini", "malam ini", "sore ini")):
        return published.isoformat()
    return None


def is_statement_clause(words_before: list[str], words_after: Sequence[str] = ()) -> bool:
    """True when the clause around a date reports speech and names no happening."""
    low_before = [w.casefold() for w in words_before]
    low_after = [w.casefold() for w in words_after]
    if not any(w in SPEECH_CUES for w in low_before + low_after[:2]):
        return False
    # the event noun must sit between the speech cue and the date ("kata X dalam rakor …, Senin")
    last_speech = max((i for i, w in enumerate(low_before) if w in SPEECH_CUES), default=-1)
    tail = low_before[last_speech + 1 :] if last_speech >= 0 else low_before
    return not any(w in EVENT_CUES for w in tail)


# --------------------------------------------------------------------------- component


TokenPattern = dict[str, Any]


def _digits(lo: int, hi: int) -> TokenPattern:
    return {"TEXT": {"REGEX": rf"^\d{{{lo},{hi}}}$"}}


_MONTH_TOKEN: TokenPattern = {"LOWER": {"IN": sorted(MONTHS)}}
_WEEKDAY_TOKEN: TokenPattern = {"LOWER": {"IN": sorted(WEEKDAYS)}}


def _patterns() -> dict[str, list[list[TokenPattern]]]:
    year_tail = {"TEXT": {"REGEX": r"^\d{2,4}(?:\).*)?$"}}
    numeric = [
        [{"ORTH": "("}, _digits(1, 2), {"ORTH": "/"}, _digits(1, 2), {"ORTH": ")"}],
        [{"ORTH": "("}, _digits(1, 2), {"ORTH": "/"}, _digits(1, 2), {"ORTH": "/", "OP": "?"}, year_tail],
        [_digits(1, 2), {"ORTH": "/"}, _digits(1, 2), {"ORTH": "/"}, _digits(4, 4)],
        [{"TEXT": {"REGEX": r"^\d{1,2}/\d{1,2}/\d{2,4}$"}}],
    ]
    explicit = [
        [_digits(1, 2), _MONTH_TOKEN, {"ORTH": ".", "OP": "?"}, _digits(4, 4)],
        [_digits(1, 2), _MONTH_TOKEN],
        [{"LOWER": {"IN": sorted(m for m in MONTHS if len(m) > 3)}}, _digits(4, 4)],
    ]
    ranges = [
        [
            _digits(1, 2),
            _MONTH_TOKEN,
            {"ORTH": {"IN": ["-", "–", "hingga", "sampai", "s.d."]}},
            _digits(1, 2),
            _MONTH_TOKEN,
            _digits(4, 4),
        ],
        [_digits(1, 2), {"ORTH": {"IN": ["-", "–", "hingga", "sampai"]}}, _digits(1, 2), _MONTH_TOKEN, _digits(4, 4)],
    ]
    # "Surat Edaran Nomor 200.2.1/6589 Tahun 2023": the year a numbered document was issued
    document_number: list[list[TokenPattern]] = [
        [
            {"LOWER": {"IN": ["nomor", "no", "no."]}},
            {"TEXT": {"NOT_IN": [".", ",", ";", "(", ")"]}, "OP": "{1,5}"},
            {"LOWER": "tahun"},
            _digits(4, 4),
        ]
    ]
    weekday: list[list[TokenPattern]] = [[_WEEKDAY_TOKEN]]
    relative: list[list[TokenPattern]] = [
        [{"LOWER": "kemarin"}],
        [{"LOWER": "hari"}, {"LOWER": "ini"}],
        [{"LOWER": "tadi"}, {"LOWER": {"IN": ["pagi", "siang", "sore", "malam"]}}],
    ]
    return {
        "numeric": numeric,
        "explicit": explicit,
        "range": ranges,
        "weekday": weekday,
        "relative": relative,
        "document_number": document_number,
    }


_PRIORITY = {"range": 0, "document_number": 0, "explicit": 1, "numeric": 1, "weekday": 2, "relative": 3}


class DateFinder:
    """spaCy component: adds ``dates`` slots (see module docstring)."""

    def __init__(self, nlp: Language, name: str = "netra_dates"):
        self.name = name
        self.matcher = Matcher(nlp.vocab)
        for label, patterns in _patterns().items():
            self.matcher.add(label, patterns)

    def __call__(self, doc: Doc) -> Doc:
        article = findings(doc).article
        published: date | None = article.published if article else None
        boiler = doc_boilerplate(doc)
        spans = [Span(doc, s, e, label=m) for m, s, e in self.matcher(doc)]
        # longest first, explicit before the bare weekday inside it
        spans = filter_spans(sorted(spans, key=lambda s: (_PRIORITY[s.label_], -len(s))))
        spans.sort(key=lambda s: s.start)
        stamps = [s for s in spans if s.label_ in ("explicit", "numeric") and self._is_stamp(doc, s)]
        if published is None and stamps:
            parsed = self._parse(stamps[0], None)
            if parsed and parsed[1] == "day":
                published = date.fromisoformat(parsed[0])
        anchor = published or partial_anchor(article.published_partial if article else None)
        covered: set[int] = set()
        for span in spans:
            if span.label_ in ("explicit", "numeric", "range"):
                full = self._with_weekday(doc, span)
                covered.update(range(full.start, full.end))
        for span in spans:
            if span.label_ in ("weekday", "relative") and (
                span.start in covered or self._attached(doc, span) or inside_quote(doc_text(doc), span.start_char)
            ):
                # inside a quotation a weekday or "kemarin" counts from the day of speaking, not publication
                continue
            if in_ranges(span.start_char, span.end_char, boiler):
                continue
            if span.label_ == "document_number":
                # never an event date by itself: the issuing sentence decides (event_types.document_date)
                add_slot(
                    doc,
                    "dates",
                    span,
                    {
                        "date": span[-1].text,
                        "precision": "year",
                        "cue": "document_number",
                        "statement": False,
                        "document": True,
                    },
                    "dates.document_number",
                    RULES_VERSION,
                    0.3,
                )
                continue
            # a weekday right before a date belongs to it: "Senin (17/7)", "Selasa, 18 Juli"
            full = self._with_weekday(doc, span)
            if span in stamps:
                parsed = self._parse(span, None) or self._parse(span, published)
                if parsed:
                    add_slot(
                        doc,
                        "dates",
                        full,
                        {
                            "date": parsed[0],
                            "precision": parsed[1],
                            "cue": "dateline",
                            "statement": False,
                            "publication": True,
                        },
                        "dates.dateline",
                        RULES_VERSION,
                        0.1,
                    )
                continue
            future = self._future(doc, span)
            # a year-only publication hint dates "(17/7)" and "30 Oktober", never a bare weekday
            base = published if span.label_ in ("weekday", "relative") else (published or anchor)
            parsed = self._parse(span, base, future)
            if parsed is None:
                continue
            covered.update(range(full.start, full.end))
            cue = {"range": "explicit"}.get(span.label_, span.label_)
            value = {"date": parsed[0], "precision": parsed[1], "cue": cue, "statement": self._statement(doc, full)}
            conf = {"explicit": 0.8, "numeric": 0.85, "range": 0.6, "weekday": 0.6, "relative": 0.55}[span.label_]
            if full is not span:
                conf = 0.9
            if parsed[1] == "day" and published is not None and date.fromisoformat(parsed[0]) > published:
                future = True
            if future:
                value["future"], conf = True, 0.2
            elif self._election_day(doc, full):
                value["election_day"], conf = True, 0.2
            elif span.start > 0 and doc[full.start - 1].lower_ in {"tertanggal", "bertanggal"}:
                value["document"], conf = True, 0.3  # the date of a letter or decree
            elif self._in_caption(doc, full):
                value["caption"], conf = True, 0.3
            elif self._bound(doc, full):
                value["bound"], conf = True, 0.3
            if self._handling(doc, full):
                value["handling"] = True
            add_slot(doc, "dates", full, value, f"dates.{span.label_}", RULES_VERSION, conf)
        return doc

    # -- helpers on the doc
    @staticmethod
    def _parse(span: Span, published: date | None, future: bool = False) -> tuple[str, str] | None:
        text = span.text
        if span.label_ == "numeric":
            return parse_numeric_date(text, published, future)
        if span.label_ == "explicit":
            return parse_explicit_date(text, published, future)
        if span.label_ == "range":
            return parse_range(text, published)
        if span.label_ == "weekday":
            nxt = span.doc[span.end : span.end + 2]
            back = 1 if [t.lower_ for t in nxt] in (["pekan", "lalu"], ["minggu", "lalu"]) else 0
            iso = resolve_weekday(span.text, published, back)
            return (iso, "day") if iso else None
        if span.label_ == "relative":
            iso = resolve_relative(span.text, published)
            return (iso, "day") if iso else None
        return None

    @staticmethod
    def _is_stamp(doc: Doc, span: Span) -> bool:
        """A page's date stamp: the date shares a short line with a clock time, or is the whole line."""
        line_start = doc_text(doc).rfind("\n", 0, span.start_char) + 1
        line_end = doc_text(doc).find("\n", span.end_char)
        line = doc_text(doc)[line_start : line_end if line_end >= 0 else len(doc_text(doc))]
        if len(line) > 160:
            tail = doc_text(doc)[span.end_char : span.end_char + 12]
            return bool(_TIME_ZONE.match(tail.strip(" -–,")))
        return bool(_TIME_ZONE.search(line)) or bool(_STAMP_LINE.match(line))

    @staticmethod
    def _with_weekday(doc: Doc, span: Span) -> Span:
        j = span.start - 1
        skipped = 0
        while (
            j >= 0
            and skipped < 3
            and (
                doc[j].text in {",", "(", "pagi", "siang", "sore", "malam"}
                or doc[j].lower_ in {"pagi", "siang", "sore", "malam"}
            )
        ):
            j -= 1
            skipped += 1
        if j >= 0 and doc[j].lower_ in WEEKDAYS and span.label_ in ("explicit", "numeric"):
            return doc[j : span.end]
        return span

    @staticmethod
    def _attached(doc: Doc, span: Span) -> bool:
        """A weekday/relative word that is not a date of its own here."""
        word = span[0]
        if span.label_ == "weekday":
            if not word.text[0].isupper():
                return True
            prev = doc[span.start - 1].lower_ if span.start > 0 else ""
            nxt = doc[span.end].lower_ if span.end < len(doc) else ""
            if prev in {"salat", "shalat", "sholat", "safari", "setiap", "tiap", "jumat", "per", "selama"} or nxt in {
                "berkah",
                "bersih",
                "curhat",
                "sehat",
                "ini,",
            }:
                return True
            if word.lower_ == "minggu" and (
                prev in {"dalam", "satu", "dua", "tiga", "beberapa", "se", "sepekan"}
                or nxt in {"depan", "ini", "lalu", "ke", "pertama", "kedua"}
            ):
                return True
        if span.label_ == "relative":
            # "(5/12/2022) kemarin": the explicit date already says it
            window = doc[max(0, span.start - 3) : span.start]
            if any(t.like_num or t.text == ")" for t in window):
                return True
        return False

    @staticmethod
    def _future(doc: Doc, span: Span) -> bool:
        after = [t.lower_ for t in doc[span.end : span.end + 3]]
        return any(w in FUTURE_CUES for w in after[:2]) or after[:2] == ["yang", "akan"]

    @staticmethod
    def _election_day(doc: Doc, span: Span) -> bool:
        before = list(doc[max(span.sent.start, span.start - 6) : span.start])
        for i in range(len(before) - 1, -1, -1):  # stop at a glued sentence end ("2024.Pada")
            if "." in before[i].text[:-1] or before[i].text in {".", ","}:
                before = before[i + 1 :]
                break
        return any(t.lower_ in ELECTION_DAY_CUES for t in before)

    @staticmethod
    def _handling(doc: Doc, span: Span) -> bool:
        """A case-handling word among the ten words before the date, in its sentence."""
        return any(t.lower_ in HANDLING_CUES for t in doc[max(span.sent.start, span.start - 10) : span.start])

    @staticmethod
    def _bound(doc: Doc, span: Span) -> bool:
        """The date closes a clause opened by "hingga/sampai/per" at the start of its sentence or after a
        comma ("Hingga akhir pendaftaran pada Minggu (6/9), …"); a range "sejak … hingga …" is not this."""
        i = span.start - 1
        while i >= span.sent.start and span.start - i <= 12 and doc[i].text not in {",", ";", ".", "(", ")"}:
            if doc[i].lower_ in BOUND_CUES:
                opens = i == span.sent.start or doc[i - 1].text in {",", ";"}
                return opens and not any(t.lower_ in {"sejak", "dari", "mulai"} for t in doc[span.sent.start : i])
            i -= 1
        return False

    @staticmethod
    def _in_caption(doc: Doc, span: Span) -> bool:
        """A photo caption: a short line that mentions a photo credit, or sits just above one."""
        text = doc_text(doc)
        start = text.rfind("\n", 0, span.start_char) + 1
        end = text.find("\n", span.end_char)
        end = len(text) if end < 0 else end
        line = text[start:end]
        nxt_end = text.find("\n", end + 1)
        next_line = text[end + 1 : nxt_end if nxt_end >= 0 else len(text)]
        credit = re.compile(r"\(?\bfoto\s*:|/foto\b|-foto\b|\bdok\.|\(ist\)", re.IGNORECASE)
        return bool(credit.search(line)) or (len(line) < 120 and bool(credit.search(next_line)))

    @staticmethod
    def _statement(doc: Doc, span: Span) -> bool:
        sent = span.sent
        start = span.start
        # a date printed after the closing stop of a quote still dates that quote: "…," tegasnya. (15/7)
        while start > 0 and start - span.start > -35 and "\n" not in doc[start - 1].whitespace_:
            start -= 1
            if start <= sent.start and not (doc[start].text in {".", "(", ")"} or doc[start].lower_.endswith("nya")):
                break
        before = [t.text for t in doc[max(start, span.start - 35) : span.start]]
        after = [t.text for t in doc[span.end : min(sent.end, span.end + 3)]]
        return is_statement_clause(before, after)


@Language.factory("netra_dates", default_config={})
def make_date_finder(nlp: Language, name: str) -> DateFinder:
    return DateFinder(nlp, name)
