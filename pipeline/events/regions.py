"""Regions named in an article, resolved to Kemendagri codes (``pipeline/data/regions``).

One PhraseMatcher over every alias of the gazetteer (official names, ``Pemkab X``,
``Bupati X``, ``Sumsel``…) plus kecamatan in their news forms (``Kecamatan X``,
``Camat X``, ``Panwascam X``, ``Distrik X``); the longest match wins.  Then:

* bare names that are also common words or other referents (``Padang``, ``Metro``,
  ``Batu``… flagged in ``aliases.csv``) need a capital letter and must not sit inside
  a longer capitalised name (``Kapolda Metro Jaya``);
* a name shared by a kabupaten and a kota (Solok), or by a province and its capital
  (Bengkulu), is decided by the title just before it, the other regions named in the
  article, the dateline / outlet region, and the article's kota-vs-kabupaten vocabulary;
* a kecamatan name shared by several regencies is kept only when the article names
  one of them (or its province);
* datelines ("KUPANG, KOMPAS.com -"), "Baca juga" lines, related-headline bullets and
  copyright/credit lines are boilerplate: matches there carry ``boilerplate``/
  ``dateline`` and confidence below :data:`MIN_CONFIDENCE`;
* a province named only to locate a regency ("Kabupaten Sintang, Kalimantan Barat")
  is a ``locator`` with low confidence: the schema wants the province only when the
  province itself takes part.

The gazetteer matcher (~25k patterns) is built once per process and vocab.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from pipeline.events import lexicon
from pipeline.events.context import BARE_KINDS, alias_index, doc_boilerplate, in_ranges, kecamatan_index
from pipeline.events.spans import add_slot, doc_text, findings, iter_slots
from pipeline.logs import get_logger
from pipeline.regions import alias_key, load_aliases, load_regions

log = get_logger(__name__)

RULES_VERSION = "regions-1.0"

_LEX = lexicon.load()

MIN_CONFIDENCE = 0.5  # below this a finding is context only (dateline, locator, boilerplate)

# Alias kinds that are a name with no title/prefix in front of it.
_KEC_PREFIXES = _LEX.words("regions", "kecamatan_prefixes")
_KEC_ACTOR_PREFIXES = _LEX.word_set("regions", "kecamatan_actors")

# Words just before a bare name that fix its level (titles, government bodies).
_LEVEL_CUES: dict[str, str] = _LEX.labels("regions", "level_cues")
# Whole-article vocabulary counted when nothing closer decides a kab/kota/province name.
_ARTICLE_CUES = _LEX.groups("regions", "article_cues")

# Line-initial markers of text that is not the article: links, credits, related stories.
_DATELINE_PUNCT = {"-", "–", "—", "|", "(", ","}


# --------------------------------------------------------------------------- gazetteer


def _pattern_texts() -> Iterator[tuple[str, str]]:
    """(label, surface text) for every pattern; labels are ``a:<key>`` or ``k:<prefix>:<name key>``."""
    for alias in {a.alias for a in load_aliases()}:
        key = alias_key(alias)
        yield "a:" + key, alias
        if key != alias.casefold():
            yield "a:" + key, key
    for name_key in kecamatan_index():
        for prefix in _KEC_PREFIXES:
            yield f"k:{prefix}:{name_key}", f"{prefix} {name_key}"
        yield f"k:kec:{name_key}", f"kec. {name_key}"


_MATCHERS: dict[int, tuple[object, PhraseMatcher]] = {}


def gazetteer_matcher(nlp: Language) -> PhraseMatcher:
    """The PhraseMatcher for ``nlp``'s vocab, built on first use and cached for the process."""
    cached = _MATCHERS.get(id(nlp.vocab))
    if cached is not None and cached[0] is nlp.vocab:
        return cached[1]
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    by_label: dict[str, list[str]] = defaultdict(list)
    for label, text in _pattern_texts():
        by_label[label].append(text.lower())
    texts = [t for ts in by_label.values() for t in dict.fromkeys(ts)]
    docs = iter(nlp.tokenizer.pipe(texts, batch_size=1000))  # type: ignore[union-attr]
    for label, ts in by_label.items():
        matcher.add(label, [next(docs) for _ in dict.fromkeys(ts)])
    _MATCHERS[id(nlp.vocab)] = (nlp.vocab, matcher)
    log.debug("built region gazetteer matcher with %d labels", len(by_label))
    return matcher


# --------------------------------------------------------------------------- pure helpers


def level_cue(words: Iterable[str]) -> str | None:
    """The level fixed by title/body words just before a name ("Wako", "Pemkab", "Gubernur")."""
    for w in words:
        cue = _LEVEL_CUES.get(w.casefold().strip("."))
        if cue:
            return cue
    return None


def choose_code(
    candidates: Iterable[tuple[str, str]],
    level_hint: str | None = None,
    context_codes: Iterable[str] = (),
    level_counts: dict[str, int] | None = None,
) -> tuple[str | None, float]:
    """Pick one of several (code, level) readings of a name; returns (code, confidence).

    Order of evidence: the level hint (title/"Kota"/"Kabupaten"), a candidate already named
    elsewhere in the article (or its children/parent), a candidate in the same province
    as the article's other regions, then the article's kota/kabupaten/province vocabulary.
    """
    cands = list(dict.fromkeys(candidates))
    if not cands:
        return None, 0.0
    if len(cands) == 1:
        return cands[0][0], 1.0
    if level_hint:
        hinted = [c for c in cands if c[1] == level_hint]
        if len(hinted) == 1:
            return hinted[0][0], 0.95
        if hinted:
            cands = hinted
    context = [c for c in context_codes if c]
    if context:
        same = [c for c in cands if c[0] in context]
        if len(same) == 1:
            return same[0][0], 0.85
        related = [c for c in cands if any(x.startswith(c[0] + ".") or c[0].startswith(x + ".") for x in context)]
        if len(related) == 1:
            return related[0][0], 0.8
        provinces = {x.split(".")[0] for x in context}
        same_prov = [c for c in cands if c[0].split(".")[0] in provinces]
        if len(same_prov) == 1:
            return same_prov[0][0], 0.7
        if same_prov:
            cands = same_prov
    if level_counts:
        ranked = sorted(cands, key=lambda c: level_counts.get(c[1], 0), reverse=True)
        top, second = level_counts.get(ranked[0][1], 0), level_counts.get(ranked[1][1], 0)
        if top > second:
            return ranked[0][0], 0.6
    return cands[0][0], 0.3


def resolve_jurisdiction(name: str, level_hint: str | None = None, context_codes: Iterable[str] = ()) -> str | None:
    """Code of the region an official's title names ("Pj Wali Kota *Solok*" → ``13.72``).

    ``level_hint``: "kota" (Wali Kota/Wako/Pemkot), "kabupaten" (Bupati/Pemkab), "province"
    (Gubernur/Pemprov) or "kecamatan" (Camat).  Same-name regions are decided by the hint
    and by ``context_codes`` (the other regions of the article); ``None`` when the name is
    unknown or stays ambiguous.
    """
    key = alias_key(name)
    for prefix in ("kabupaten ", "kab ", "kota ", "provinsi ", "prov ", "kecamatan ", "kec "):
        if key.startswith(prefix) and key[len(prefix) :]:
            level_hint = level_hint or {"kab": "kabupaten", "prov": "province", "kec": "kecamatan"}.get(
                prefix.strip(), prefix.strip()
            )
            if key not in alias_index():
                key = key[len(prefix) :]
            break
    context = list(context_codes)
    if level_hint == "kecamatan":
        codes = kecamatan_index().get(key, ())
        code, conf = choose_code(((c, "kecamatan") for c in codes), None, context)
        return code if conf >= MIN_CONFIDENCE else None
    entries = alias_index().get(key, ())
    cands = [(e.code, e.level) for e in entries]
    if level_hint and level_hint in {"kota", "kabupaten", "province"}:
        hinted = [c for c in cands if c[1] == level_hint]
        cands = hinted or ([] if any(c[1] != "province" for c in cands) and level_hint != "province" else cands)
        if not hinted and level_hint == "province":
            return None
    code, conf = choose_code(cands, level_hint, context)
    return code if conf >= MIN_CONFIDENCE else None


# --------------------------------------------------------------------------- component


def _is_capitalised(token_text: str) -> bool:
    return bool(token_text) and (token_text[0].isupper() or token_text[0].isdigit())


def _line_start(doc: Doc, i: int) -> int:
    """Index of the first token of the line holding token ``i``."""
    j = i
    while j > 0 and "\n" not in doc[j - 1].whitespace_ and "\n" not in doc[j - 1].text:
        j -= 1
    return j


def is_dateline(doc: Doc, span: Span) -> bool:
    """A place that opens a line followed by an outlet/date marker: "KUPANG, KOMPAS.com - …"."""
    start = _line_start(doc, span.start)
    before = doc[start : span.start]
    if len(before) > 4 or any(t.is_lower and t.is_alpha for t in before):
        return False
    if span.end >= len(doc):
        return False
    nxt = doc[span.end]
    if nxt.text in {"-", "–", "—", "|", "("} or nxt.text.startswith(("—", "–")):
        return True
    if nxt.text == "," and span.end + 1 < len(doc):
        after = doc[span.end + 1 : span.end + 6]
        return any(t.text in {"-", "–", "—", "|"} or t.text.endswith(("-", "–", "—")) for t in after) or (
            after[0].is_upper or "." in after[0].text
        )
    return False


_STREET_WORDS = _LEX.word_set("regions", "street_words")


def in_street_address(doc: Doc, span: Span) -> bool:
    """A name inside a street address ("Jalan H Fachri KP Bali") names the street, not a region."""
    for tok in reversed(doc[max(0, span.start - 5) : span.start]):
        if tok.text in {",", ".", ";", ":"} or "\n" in tok.whitespace_:
            return False
        if tok.lower_.strip(".") in _STREET_WORDS:
            return True
    return False


def mark_long_enumerations(doc: Doc, resolved: list[_Resolved], min_items: int = 7, min_provinces: int = 3) -> None:
    """Long comma lists of bare names across provinces are rankings/statistics, not participants."""
    items = sorted(((f.span.start, f.span.end, n) for n, (f, *_rest) in enumerate(resolved)), key=lambda x: x[0])
    runs: list[list[int]] = []
    last_end: int | None = None
    for start, end, n in items:
        gap = doc[last_end:start] if last_end is not None else None
        joined = (
            gap is not None
            and len(gap) <= 5
            and all(t.text in {",", "dan", "serta", "hingga", "("} or t.like_num or t.text in {")", ";"} for t in gap)
        )
        if joined:
            runs[-1].append(n)
        else:
            runs.append([n])
        last_end = end
    for run in runs:
        if len(run) < min_items:
            continue
        provinces = {resolved[n][1].split(".")[0] for n in run}
        if len(provinces) < min_provinces:
            continue
        for n in run:
            f, code, conf, extra = resolved[n]
            extra["enumeration"] = True
            resolved[n] = (f, code, min(conf, 0.3), extra)


def _risky_ok(doc: Doc, span: Span) -> bool:
    """A common-word name counts only as a capitalised stand-alone name."""
    first = doc[span.start]
    if not _is_capitalised(first.text):
        return False
    if span.end < len(doc):
        nxt = doc[span.end]
        if nxt.is_alpha and nxt.text[0].isupper() and not nxt.is_upper and "\n" not in doc[span.end - 1].whitespace_:
            return False
    if span.start > 0:
        prev = doc[span.start - 1]
        if (
            prev.is_alpha
            and prev.text[0].isupper()
            and "\n" not in prev.whitespace_
            and level_cue([prev.text]) is None
            and not prev.is_sent_start
        ):
            return False
    return True


def _article_level_counts(text: str) -> dict[str, int]:
    low = text.casefold()
    return {level: sum(low.count(w) for w in words) for level, words in _ARTICLE_CUES.items()}


@dataclass
class _Found:
    span: Span
    cands: list[tuple[str, str]]
    kind: str
    hint: str | None
    risky: bool
    kecamatan: bool = False


_Resolved = tuple[_Found, str, float, dict[str, Any]]


class RegionFinder:
    """spaCy component: adds ``regions`` slots (see module docstring)."""

    def __init__(self, nlp: Language, name: str = "netra_regions"):
        self.name = name
        self.matcher = gazetteer_matcher(nlp)

    def __call__(self, doc: Doc) -> Doc:
        article = findings(doc).article
        strings = doc.vocab.strings
        matches = [doc[s:e] for _, s, e in self.matcher(doc)]
        labels = {(s, e): strings[m] for m, s, e in self.matcher(doc)}
        spans = filter_spans(matches)
        boiler = doc_boilerplate(doc)
        found: list[_Found] = []
        for span in spans:
            label = labels[(span.start, span.end)]
            f = self._read(doc, span, label)
            if f is not None:
                found.append(f)
        # context: unambiguous, non-boilerplate readings, plus dateline and outlet regions
        context: list[str] = []
        for f in found:
            if len(f.cands) == 1 and not in_ranges(f.span.start_char, f.span.end_char, boiler):
                context.append(f.cands[0][0])
        context += list(article.source_regions if article else [])
        dateline = article.dateline_city if article else None
        if dateline:
            for e in alias_index().get(alias_key(dateline), ()):
                context.append(e.code)
        counts = _article_level_counts(doc_text(doc))
        resolved: list[_Resolved] = []
        for f in found:
            extra: dict[str, Any] = {}
            if f.kecamatan:
                code, conf = choose_code(f.cands, None, context)
                if code is None:
                    continue
                if len(f.cands) > 1 and conf < 0.7:
                    conf = 0.3  # a shared kecamatan name with no regency named: do not guess
            else:
                code, conf = choose_code(f.cands, f.hint, context, counts)
            if code is None:
                continue
            if f.risky:
                conf = min(conf, 0.7)
            if f.kind in ("kecamatan_address", "address"):
                conf = min(conf, 0.3)
            if in_ranges(f.span.start_char, f.span.end_char, boiler):
                conf, extra["boilerplate"] = 0.0, True
            elif is_dateline(doc, f.span):
                conf, extra["dateline"] = min(conf, 0.2), True
            resolved.append((f, code, conf, extra))
        self._mark_locators(doc, resolved)
        mark_long_enumerations(doc, resolved)
        rows = load_regions()
        for f, code, conf, extra in resolved:
            row = rows.get(code)
            level = row.level if row else f.cands[0][1]
            value: dict[str, Any] = {"code": code, "level": level, "via": f.kind}
            if f.kecamatan and row is not None:
                value["regency"] = row.parent_code
            value.update(extra)
            add_slot(doc, "regions", f.span, value, f"regions.{f.kind}", RULES_VERSION, round(conf, 2))
        return doc

    def _read(self, doc: Doc, span: Span, label: str) -> _Found | None:
        if label.startswith("k:"):
            _, prefix, name_key = label.split(":", 2)
            if not _is_capitalised(doc[span.end - 1].text):
                return None
            codes = kecamatan_index().get(name_key, ())
            kind = "kecamatan" if prefix not in _KEC_ACTOR_PREFIXES else prefix
            f = _Found(span, [(c, "kecamatan") for c in codes], kind, "kecamatan", False, kecamatan=True)
            if prefix not in _KEC_ACTOR_PREFIXES and self._address_like(doc, span):
                f.kind = "kecamatan_address"
            return f
        key = label[2:]
        entries = alias_index().get(key, ())
        if not entries:
            return None
        kinds = {e.kind for e in entries}
        bare = kinds <= BARE_KINDS
        risky = any(e.risky for e in entries) and bare
        if bare and not _is_capitalised(doc[span.start].text):
            return None
        if not _is_capitalised(doc[span.end - 1].text):
            return None
        if risky and not _risky_ok(doc, span):
            return None
        if bare and span.end < len(doc) and len(span) == 1:
            # a one-word name glued to a longer capitalised name is part of that name
            nxt = doc[span.end]
            if (
                nxt.is_title
                and nxt.is_alpha
                and span.start > 0
                and doc[span.start - 1].is_title
                and level_cue([doc[span.start - 1].text]) is None
                and "\n" not in span[-1].whitespace_
            ):
                return None
        hint = level_cue(t.text for t in reversed(doc[max(0, span.start - 2) : span.start])) if bare else None
        kind = sorted(kinds)[0] if len(kinds) == 1 else ("bare" if bare else sorted(kinds - BARE_KINDS)[0])
        if bare and in_street_address(doc, span):
            kind = "address"
        return _Found(span, [(e.code, e.level) for e in entries], kind, hint, risky)

    @staticmethod
    def _address_like(doc: Doc, span: Span) -> bool:
        """ "…, Kecamatan X" in an address (venue) rather than the kecamatan taking part."""
        prev = doc[max(0, span.start - 3) : span.start]
        return any(t.text == "," for t in prev)

    @staticmethod
    def _mark_locators(doc: Doc, resolved: list[_Resolved]) -> None:
        """A province right after ", " following a regency of that province only locates it."""
        by_end = {f.span.end: (f, code) for f, code, _, _ in resolved}
        for n, (f, code, conf, extra) in enumerate(resolved):
            if "." in code or f.span.start < 2 or doc[f.span.start - 1].text != ",":
                continue
            before = by_end.get(f.span.start - 1)
            if before is not None and before[1].split(".")[0] == code and "." in before[1]:
                extra["locator"] = True
                resolved[n] = (f, code, min(conf, 0.3), extra)


@Language.factory("netra_regions", default_config={})
def make_region_finder(nlp: Language, name: str) -> RegionFinder:
    return RegionFinder(nlp, name)


def article_region_codes(doc: Doc, min_confidence: float = MIN_CONFIDENCE) -> list[str]:
    """Codes of the regions the article's text supports: confident matches, kecamatan with their regency."""
    codes: list[str] = []
    for _span, slot in iter_slots(doc, "regions"):
        if slot.confidence < min_confidence:
            continue
        codes.append(slot.value["code"])
        if slot.value.get("regency"):
            codes.append(slot.value["regency"])
    return list(dict.fromkeys(codes))


def region_counts(doc: Doc) -> Counter[str]:
    """How often each confident code is named (for picking an article's main region)."""
    return Counter(s.value["code"] for _, s in iter_slots(doc, "regions") if s.confidence >= MIN_CONFIDENCE)
