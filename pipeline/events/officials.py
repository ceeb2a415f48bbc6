"""Officials: titled people, their office, acting status, jurisdiction and role.

The ``netra_officials`` component finds office titles with a PhraseMatcher
(lexicon in :mod:`pipeline.events.titles`), then reads around each title with
small token-level rules:

* acting prefix before the office ("Pj", "Penjabat (Pj)", "Plt.") or as a
  parenthesis after it ("Bupati (Pjs) X");
* the jurisdiction that follows ("Wali Kota <region>", "Ketua Bawaslu Kota
  <region>", "Camat <kecamatan>"), resolved to a Kemendagri code;
* the name after the title (optionally after a comma, degrees skipped), or
  before it ("X, selaku Camat ...", "ujar X, Juru Bicara ...");
* later short mentions and nicknames linked to the full name;
* a role from the verbs around every mention.

Each official goes to the ``officials`` slot with the span of its first
named mention; ``extra`` keeps all mention offsets for the assembler.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from spacy.lang.id.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from pipeline.events import lexicon, titles
from pipeline.events.context import boilerplate_token_ranges, kecamatan_index, region_index
from pipeline.events.spans import add_slot, findings, iter_slots
from pipeline.regions import alias_key

RULES_VERSION = "officials-0.1.0"

_LEX = lexicon.load()
_OFFICIALS = "officials"


WEEKDAYS = _LEX.word_set("calendar", "weekdays")
MONTHS = frozenset(names[0] for names in _LEX.groups("calendar", "months").values())
# Capitalised words that are not names: headline verbs and news vocabulary.
NOT_NAME = _LEX.word_set(_OFFICIALS, "not_name")
ORG_WORDS = _LEX.word_set(_OFFICIALS, "org_words")
CONNECTORS = _LEX.word_set(_OFFICIALS, "connectors")
NAME_BEFORE_CUES = _LEX.word_set(_OFFICIALS, "name_before")
PASSING_CUES = _LEX.sequences(_OFFICIALS, "passing")
NICKNAME_CUES = _LEX.sequences(_OFFICIALS, "nickname")
_NICKNAME_FIRST_WORDS = frozenset(cue[0] for cue in NICKNAME_CUES)

# Role cues (lower-cased tokens), checked in the sentence of each mention.
ROLE_CUES: dict[str, frozenset[str]] = {
    **_LEX.group_sets(_OFFICIALS, "roles"),
    "speaker": _LEX.flagged("speech", "verbs", "speaker"),
}
ROLE_ORDER = ("subject", "leader", "organizer", "speaker", "attendee")


# --- region lookups ------------------------------------------------------------------------------

_LEVEL_WORDS = _LEX.labels(_OFFICIALS, "level_words")


def pick_code(candidates: Iterable[tuple[str, str]], level_hint: str | None, context: Iterable[str] = ()) -> str | None:
    """Choose among same-name regions by the level hint, then by the other codes in the article."""
    cands = list(candidates)
    if not cands:
        return None
    if level_hint in ("province", "kabupaten", "kota"):
        same = [c for c in cands if c[1] == level_hint]
        if same:
            cands = same
        elif level_hint == "province":
            return None  # "Gubernur <a regency>" is not a jurisdiction
    if len(cands) == 1:
        return cands[0][0]
    ctx = set(context)
    provinces = {c.split(".")[0] for c in ctx}
    in_ctx = [c for c in cands if c[0] in ctx] or [c for c in cands if c[0].split(".")[0] in provinces]
    if len(in_ctx) >= 1:
        cands = in_ctx
    # kabupaten before kota, as the gazetteer's bare names mostly mean the kabupaten
    cands.sort(key=lambda c: (c[1] != "kabupaten", c[0]))
    return cands[0][0]


def pick_district(candidates: Iterable[str], context: Iterable[str]) -> str | None:
    cands = list(candidates)
    if not cands:
        return None
    ctx = set(context)
    by_regency = [c for c in cands if c.rsplit(".", 1)[0] in ctx]
    if by_regency:
        return by_regency[0]
    if len(cands) == 1:
        return cands[0]
    return None


# --- mentions -----------------------------------------------------------------------------------


@dataclass
class Mention:
    start: int  # token offsets of the name
    end: int
    title_start: int
    title_end: int
    office: str
    acting: str | None
    region: str | None
    region_tokens: tuple[int, int] | None = None
    level_hint: str | None = None
    district_candidates: tuple[str, ...] = ()
    confidence: float = 0.8
    rule: str = "title_name"


@dataclass
class Person:
    name: str
    tokens: frozenset[str]
    mentions: list[Mention] = field(default_factory=list)
    extra_mentions: list[tuple[int, int]] = field(default_factory=list)  # untitled short mentions
    aliases: set[str] = field(default_factory=set)


def _is_cap(token: Token) -> bool:
    text = token.text
    return bool(text) and text[0].isupper() and any(ch.isalpha() for ch in text)


def _lower_vocab(doc: Doc) -> frozenset[str]:
    """Words the document also writes in lower case: common words, not names (cached per doc)."""
    found = findings(doc)
    if found.lower_vocab is None:
        found.lower_vocab = frozenset(t.text for t in doc if t.text.islower() and t.is_alpha)
    return found.lower_vocab


def _is_name_token(token: Token) -> bool:
    text = token.text
    low = text.lower()
    if not _is_cap(token) or low in NOT_NAME or low in WEEKDAYS or low in MONTHS or low in STOP_WORDS:
        return False
    if low in _lower_vocab(token.doc) and not text.isupper():
        return False
    if titles.is_degree(text) or titles.is_degree_chain(text):
        return False
    if len(text) >= 2 and text.isupper() and text.isalpha() and len(text) <= 5:
        return False  # abbreviations (ASN, OPD, PNS); names in running text are not all caps
    return bool(re.fullmatch(r"[A-Z][\w'’\-]*\.?", text))


def _is_degreeish(text: str) -> bool:
    return titles.is_degree(text) or titles.is_degree_chain(text)


def _skip_degrees(doc: Doc, i: int, limit: int) -> int:
    """Skip degree tokens and the commas and dots between them ("Dr. Ir.", ", S.Sos, M.AP")."""
    while i < limit:
        t = doc[i]
        if (
            _is_degreeish(t.text)
            or t.lower_ in titles.RANKS
            or (t.text in {",", "."} and i + 1 < limit and (_is_degreeish(doc[i + 1].text)))
        ):
            i += 1
        elif t.text == "." and i > 0 and _is_degreeish(doc[i - 1].text):
            i += 1  # "Ir" "." tokenised apart
        else:
            break
    return i


def _plausible_name(doc: Doc, start: int, end: int) -> bool:
    text = doc[start:end].text
    if len(text.replace(" ", "")) < 3:
        return False
    # not a bare region name read as a name ("Camat ... , Blora")
    return not (end - start == 1 and alias_key(text) in region_index())


def read_name_after(doc: Doc, i: int, limit: int, stops: set[int]) -> tuple[int, int] | None:
    """A name starting at ``i`` (degrees and ranks before it skipped): consecutive capitalised tokens."""
    i = _skip_degrees(doc, i, limit)
    start = i
    while (i < limit and i not in stops) or (i == start and i < limit):
        t = doc[i]
        if _is_name_token(t) or (t.text == "I" and i + 1 < limit and _is_name_token(doc[i + 1])):
            i += 1
            continue
        break
    if i == start or not _plausible_name(doc, start, min(i, start + 5)):
        return None
    return start, min(i, start + 5)


def read_name_before(doc: Doc, end: int, floor: int) -> tuple[int, int] | None:
    """A name ending just before ``end`` (degrees, commas and "selaku" in between skipped backwards)."""
    i = end - 1
    while i >= floor and (doc[i].text in {",", "."} or _is_degreeish(doc[i].text) or doc[i].lower_ in NAME_BEFORE_CUES):
        i -= 1
    stop = i + 1
    while i >= floor and _is_name_token(doc[i]):
        i -= 1
    start = i + 1
    if start >= stop or stop - start > 5 or not _plausible_name(doc, start, stop):
        return None
    return start, stop


def _name_list_after(doc: Doc, i: int, limit: int, stops: set[int]) -> list[tuple[int, int]]:
    """Names enumerated after "yakni"/"yaitu": "X, Y, dan Z"."""
    names = []
    while i < limit:
        name = read_name_after(doc, i, limit, stops)
        if name is None:
            break
        names.append(name)
        i = _skip_degrees(doc, name[1], limit)
        while i < limit and doc[i].text in {",", "dan", "serta"}:
            i += 1
    return names


class OfficialsFinder:
    """Callable spaCy component; see the module docstring."""

    def __init__(self, nlp: Language, name: str = "netra_officials", use_ner: bool = True):
        self.name = name
        self.use_ner = use_ner
        self.office_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        for words, (office, _level) in titles.OFFICES.items():
            self.office_matcher.add(office + "|" + " ".join(words), [nlp.make_doc(" ".join(words))])
        self.acting_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        for words, acting in titles.ACTING.items():
            self.acting_matcher.add(acting, [nlp.make_doc(" ".join(words))])

    # -- title parsing --

    @staticmethod
    def _acting_before(doc: Doc, start: int, acting_ends: dict[int, tuple[int, str]]) -> tuple[str | None, int]:
        """Acting prefix ending right before ``start``: "Pj", "Penjabat (Pj)", "Pejabat (Pj)"."""
        j = start
        acting = None
        if j >= 3 and doc[j - 1].text == ")" and doc[j - 3].text == "(":
            inner = doc[j - 2].lower_
            acting = titles.ACTING.get((inner,))
            j -= 3
            if acting and j > 0 and _is_cap(doc[j - 1]) and j - 1 not in {s for s, _ in acting_ends.values()}:
                j -= 1  # the spelled-out form before the abbreviation, even misspelt ("Pejabat (Pj)")
        if j in acting_ends:
            s, value = acting_ends[j]
            return acting or value, s
        if j > 0 and (doc[j - 1].lower_.rstrip("."),) in titles.ACTING:  # "Plt." kept as one token
            return acting or titles.ACTING[(doc[j - 1].lower_.rstrip("."),)], j - 1
        return acting, j if acting else start

    def _jurisdiction(
        self, doc: Doc, i: int, limit: int, level: str | None
    ) -> tuple[int, str | None, tuple[int, int] | None, str | None, tuple[str, ...]]:
        """Read "[Provinsi|Kabupaten|Kota|Kecamatan] <region>" or "RI" at ``i``.

        Returns (next index, code, region token range, level hint, kecamatan candidates)."""
        hint = level
        j = i
        if j < limit and doc[j].lower_ == "di" and level == "kecamatan":
            j += 1
        if j < limit and doc[j].lower_ in _LEVEL_WORDS:
            hint = _LEVEL_WORDS[doc[j].lower_]
            j += 1
            if j < limit and doc[j].lower_ == "administrasi":
                j += 1
        if j < limit and doc[j].text in {"RI", "Pusat", "RI,"} and level != "kecamatan":
            return j + 1, None, None, hint, ()
        if hint == "kecamatan":
            for n in (3, 2, 1):
                if j + n <= limit and all(_is_cap(t) for t in doc[j : j + n]):
                    key = alias_key(doc[j : j + n].text)
                    if key in kecamatan_index():
                        return j + n, None, (j, j + n), "kecamatan", kecamatan_index()[key]
            return i, None, None, hint, ()
        for n in (4, 3, 2, 1):
            if j + n <= limit and all(_is_cap(t) or t.text in {"-", "."} for t in doc[j : j + n]):
                key = alias_key(doc[j : j + n].text)
                cands = region_index().get(key)
                if cands:
                    want = hint if hint in ("province", "kabupaten", "kota") else None
                    code = pick_code(cands, want)
                    if code is None and level == "province":
                        continue
                    return j + n, code, (j, j + n), hint, ()
        return i, None, None, hint, ()

    def __call__(self, doc: Doc) -> Doc:
        skip_lines = boilerplate_token_ranges(doc)
        acting_ends: dict[int, tuple[int, str]] = {}
        for match_id, s, e in self.acting_matcher(doc):
            prev = acting_ends.get(e)
            if prev is None or s < prev[0]:
                acting_ends[e] = (s, doc.vocab.strings[match_id])
        found = [Span(doc, s, e, label=doc.vocab.strings[m]) for m, s, e in self.office_matcher(doc)]
        title_spans = sorted(filter_spans(found), key=lambda sp: sp.start)
        title_starts: set[int] = {sp.start for sp in title_spans} | {s for s, _ in acting_ends.values()}
        for sp in title_spans:
            title_starts.add(self._acting_before(doc, sp.start, acting_ends)[1])

        mentions: list[Mention] = []
        consumed_until = -1
        for sp in title_spans:
            if sp.start < consumed_until or _in_ranges(sp.start, skip_lines):
                continue
            office, words_text = sp.label_.split("|", 1)
            level = titles.OFFICES[tuple(words_text.split())][1]
            # A title is capitalised ("Bupati", "anggota Bawaslu" counts by its body word)
            if not (sp[0].text[:1].isupper() or sp[-1].text[:1].isupper()):
                continue
            acting, t_start = self._acting_before(doc, sp.start, acting_ends)
            if t_start > 0 and doc[t_start - 1].lower_ in titles.PLACE_BEFORE_TITLE:
                continue
            sent_end = sp.sent.end if doc.has_annotation("SENT_START") else len(doc)
            limit = min(len(doc), sp.end + 30, sent_end)
            i = sp.end
            # "Bupati (Pjs) Sintang", "Ketua Badan Pengawas Pemilu (Bawaslu)"
            if i + 2 < limit and doc[i].text == "(" and doc[i + 2].text == ")":
                acting = titles.ACTING.get((doc[i + 1].lower_,), acting)
                i += 3
            if _passing_reference(doc, t_start):
                continue
            if level == "body":
                found_m = self._read_body_title(doc, sp, office, acting, t_start, i, limit, title_starts)
            else:
                found_m = self._read_title(doc, sp, office, level, acting, t_start, i, limit, title_starts)
            for m in found_m:
                mentions.append(m)
                consumed_until = max(consumed_until, m.end)
        people = _merge(doc, mentions)
        _link_short_mentions(doc, people, skip_lines)
        _resolve_districts(doc, people)
        for person in people:
            first = min(person.mentions, key=lambda m: m.start)
            best = _best_mention(person)
            value = {
                "name": person.name,
                "office": best.office,
                "acting": _acting_of(person),
                "region": best.region,
                "role": _role(doc, person),
            }
            spans = [(doc[m.title_start].idx, doc[m.end - 1].idx + len(doc[m.end - 1])) for m in person.mentions]
            spans += [(doc[s].idx, doc[e - 1].idx + len(doc[e - 1])) for s, e in person.extra_mentions]
            lo, hi = min(first.title_start, first.start), max(first.end, first.title_end)
            add_slot(
                doc,
                "officials",
                doc[lo:hi],
                value,
                rule=f"officials.{best.rule}",
                version=RULES_VERSION,
                confidence=best.confidence,
                mentions=sorted(spans),
                region_tokens=best.region_tokens,
            )
        if self.use_ner and doc.has_annotation("ENT_IOB"):
            for span, name in untitled_speakers(doc, people, skip_lines):
                add_slot(
                    doc,
                    "officials",
                    span,
                    {"name": name, "office": "other", "acting": None, "region": None, "role": "speaker"},
                    rule="officials.ner_speaker",
                    version=RULES_VERSION,
                    confidence=0.65,
                    mentions=[(span.start_char, span.end_char)],
                )
        return doc

    def _read_title(
        self,
        doc: Doc,
        sp: Span,
        office: str,
        level: str | None,
        acting: str | None,
        t_start: int,
        i: int,
        limit: int,
        title_starts: set[int],
    ) -> list[Mention]:
        region = None
        region_tokens = None
        hint = level
        districts: tuple[str, ...] = ()
        stops = {k for k in title_starts if k > sp.start}
        if level == "village":
            # "Kepala Desa <village> <name>" / "Kades <village>, <name>": the village name comes first
            if (
                i + 1 < limit
                and _is_cap(doc[i])
                and (doc[i + 1].text == "," or (_is_name_token(doc[i + 1]) and i + 2 < limit and _is_cap(doc[i + 2])))
            ):
                i += 1
        elif level is not None:
            i, region, region_tokens, hint, districts = self._jurisdiction(doc, i, limit, level)
        j = i
        if j < limit and doc[j].text == ",":
            j += 1
        if j < limit and doc[j].text in {"Bapak", "Ibu", "Pak", "Bu"}:
            j += 1
        if j < limit and doc[j].lower_ in {"yakni", "yaitu"}:
            names = _name_list_after(doc, j + 1, limit, stops)
            return [
                Mention(
                    s,
                    e,
                    t_start,
                    sp.end,
                    _office_check(doc, office, sp, e),
                    acting,
                    region,
                    region_tokens,
                    hint,
                    districts,
                    0.75,
                    "title_list",
                )
                for s, e in names
            ]
        name = read_name_after(doc, j, limit, stops)
        rule = "title_name"
        conf = 0.85 if region or level is None else 0.75
        if name is None:
            name = read_name_before(doc, t_start, max(0, t_start - 8))
            if name is None or not _name_before_allowed(doc, name, t_start):
                return []
            rule, conf = "name_title", 0.7
        return [
            Mention(
                name[0],
                name[1],
                t_start,
                sp.end,
                _office_check(doc, office, sp, name[1]),
                acting,
                region,
                region_tokens,
                hint,
                districts,
                conf,
                rule,
            )
        ]

    def _read_body_title(
        self,
        doc: Doc,
        sp: Span,
        office: str,
        acting: str | None,
        t_start: int,
        i: int,
        limit: int,
        title_starts: set[int],
    ) -> list[Mention]:
        """Titles followed by a body name ("Kepala Dinas Sosial Kota X, Nama"): the name ends the last run."""
        runs: list[tuple[int, int]] = []
        k = i
        # inside a body title only a new acting prefix or a title after a separator starts a new person
        stops = {s for s in title_starts if s > sp.start and s > 0 and doc[s - 1].text in {",", ";", "dan", "serta"}}
        while k < limit and k not in stops:
            t = doc[k]
            if t.text in {";", ".", '"', "“", "”", ":"} or t.lower_ in WEEKDAYS:
                break
            if _is_cap(t) and not _is_degreeish(t.text):
                s = k
                while (
                    k < limit
                    and k not in stops
                    and (_is_cap(doc[k]) or doc[k].text == "-")
                    and doc[k].lower_ not in WEEKDAYS
                ):
                    k += 1
                runs.append((s, k))
                continue
            if t.lower_ in CONNECTORS or _is_degreeish(t.text) or t.text in {"(", ")"}:
                k += 1
                continue
            break
        region = region_tokens = None
        name = None
        if runs:
            s, e = runs[-1]
            # the name follows the last degree, organisation word or region inside the run
            ss = s
            for p in range(s, e):
                low = doc[p].lower_
                if _is_degreeish(doc[p].text) or low in titles.BODY_WORDS or low in ORG_WORDS:
                    ss = p + 1
                else:
                    nxt, code, rt, _h, _d = self._jurisdiction(doc, p, e, "any")
                    if rt is not None and (
                        p == s
                        or doc[p - 1].lower_ in ORG_WORDS | titles.BODY_WORDS
                        or doc[p - 1].lower_ in _LEVEL_WORDS
                    ):
                        ss = nxt
            name = read_name_after(doc, ss, e, set()) if ss < e else None
        if name is None:
            name = read_name_before(doc, t_start, max(0, t_start - 8))
            if name is None or not _name_before_allowed(doc, name, t_start):
                return []
            rule, conf = "name_title", 0.65
        else:
            rule, conf = "body_title_name", 0.7
        # the body's region: a region named between the title and the name
        lo, hi = (sp.end, name[0]) if name[0] > sp.end else (sp.end, k)
        p = lo
        while p < hi:
            nxt, code, rt, _h, _d = self._jurisdiction(doc, p, hi, "any")
            if rt is not None and code:
                region, region_tokens = code, rt
                p = nxt
            else:
                p += 1
        return [
            Mention(
                name[0],
                name[1],
                t_start,
                sp.end,
                _office_check(doc, office, sp, max(name[1], k)),
                acting,
                region,
                region_tokens,
                "any",
                (),
                conf,
                rule,
            )
        ]


# A person named without a title takes part as a speaker when a speech verb governs the name:
# "jelas Agus", "ujar Irjen Imam" (verb before) or "Aisyah mengungkapkan" (verb after).
SPEECH_BEFORE = _LEX.flagged("speech", "verbs", "before_name")
SPEECH_AFTER = _LEX.flagged("speech", "verbs", "after_name")


def untitled_speakers(doc: Doc, people: list[Person], skip: list[tuple[int, int]]) -> list[tuple[Span, str]]:
    """PER entities of the NER that speak (see SPEECH_BEFORE/AFTER) and are not a titled official already."""
    known = [p.tokens | {a.lower() for a in p.aliases} for p in people]
    found: list[tuple[Span, str]] = []
    seen: set[frozenset[str]] = set()
    for ent in doc.ents:
        if ent.label_ != "PER" or _in_ranges(ent.start, skip):
            continue
        start = ent.start
        while start < ent.end and (
            doc[start].lower_.rstrip(".") in titles.RANKS
            or _is_degreeish(doc[start].text)
            or doc[start].text in {"Bapak", "Ibu", "Pak", "Bu"}
        ):
            start += 1
        end = ent.end
        while end > start and (_is_degreeish(doc[end - 1].text) or doc[end - 1].text in {",", "."}):
            end -= 1
        if end <= start or not all(_is_cap(t) for t in doc[start:end]):
            continue
        before = doc[ent.start - 1].lower_ if ent.start > 0 else ""
        after = doc[ent.end].lower_ if ent.end < len(doc) else ""
        if before not in SPEECH_BEFORE and after not in SPEECH_AFTER:
            continue
        tokens = frozenset(t.lower_ for t in doc[start:end])
        if tokens in seen or any(tokens <= k or k <= tokens for k in known if k):
            continue
        seen.add(tokens)
        found.append((doc[start:end], doc[start:end].text))
    return found


def _office_check(doc: Doc, office: str, sp: Span, end: int) -> str:
    """ "Koordinator Divisi ..." is a Bawaslu member only when the body is an election supervisor."""
    if office == "anggota_bawaslu" and not _mentions_bawaslu(doc, sp.start, end):
        return "other"
    return office


def _in_ranges(i: int, ranges: list[tuple[int, int]]) -> bool:
    return any(s <= i < e for s, e in ranges)


def _passing_reference(doc: Doc, t_start: int) -> bool:
    window = [t.lower_ for t in doc[max(0, t_start - 4) : t_start]]
    for cue in PASSING_CUES:
        n = len(cue)
        for k in range(len(window) - n + 1):
            if tuple(window[k : k + n]) == cue:
                return True
    return False


def _name_before_allowed(doc: Doc, name: tuple[int, int], t_start: int) -> bool:
    """A name before its title needs a boundary before it: a verb of saying, a comma, start of sentence."""
    s = name[0]
    if s == 0 or doc[s].is_sent_start:
        return True
    prev = doc[s - 1]
    return (
        prev.lower_ in ROLE_CUES["speaker"]
        or prev.text in {",", "\n", "—", "-", ":", '"', "”", "“"}
        or prev.is_space
        or prev.lower_ in {"oleh", "dan"}
    )


def _mentions_bawaslu(doc: Doc, start: int, end: int) -> bool:
    return any(t.lower_ in titles.BAWASLU_BODIES or t.lower_ == "pengawas" for t in doc[start : min(len(doc), end + 8)])


def _name_key(doc: Doc, start: int, end: int) -> tuple[str, frozenset[str]]:
    words = [t.text.strip(".") for t in doc[start:end] if not titles.is_degree(t.text)]
    words = [w for w in words if w]
    return " ".join(words), frozenset(w.casefold() for w in words)


def _merge(doc: Doc, mentions: list[Mention]) -> list[Person]:
    """Group mentions of one person (equal names or one's tokens a subset of the other's)."""
    people: list[Person] = []
    for m in sorted(mentions, key=lambda m: -(m.end - m.start)):
        name, key = _name_key(doc, m.start, m.end)
        if not key:
            continue
        for p in people:
            if key <= p.tokens or p.tokens <= key:
                p.mentions.append(m)
                break
        else:
            people.append(Person(name=name, tokens=key, mentions=[m]))
    # nicknames: "Name (Nick)" and "Nick, panggilan akrab Name"
    for p in people:
        for m in p.mentions:
            e = m.end
            if e + 2 < len(doc) and doc[e].text == "(" and doc[e + 2].text == ")" and _is_name_token(doc[e + 1]):
                p.aliases.add(doc[e + 1].text.casefold())
    lowers = [t.lower_ for t in doc]
    for i, word in enumerate(lowers):
        if word not in _NICKNAME_FIRST_WORDS:
            continue
        for cue in NICKNAME_CUES:
            n = len(cue)
            if tuple(lowers[i : i + n]) == cue:
                after = read_name_after(doc, i + n, min(len(doc), i + n + 5), set())
                before = read_name_before(doc, i, max(0, i - 4))
                if after and before:
                    _, a_key = _name_key(doc, *after)
                    _, b_key = _name_key(doc, *before)
                    for p in people:
                        if a_key <= p.tokens:
                            p.aliases |= set(b_key)
                        elif b_key <= p.tokens:
                            p.aliases |= set(a_key)
    # a person known only by an alias of another person
    merged: list[Person] = []
    for p in sorted(people, key=lambda p: -len(p.tokens)):
        target = next((q for q in merged if p.tokens <= q.aliases), None)
        if target:
            target.mentions.extend(p.mentions)
        else:
            merged.append(p)
    return merged


def _link_short_mentions(doc: Doc, people: list[Person], skip: list[tuple[int, int]]) -> None:
    """Untitled mentions of a known name ("kata Bagja") add roles and evidence to that person."""
    covered: set[int] = set()
    for p in people:
        for m in p.mentions:
            covered.update(range(m.title_start, m.end))
    for i, tok in enumerate(doc):
        if i in covered or not _is_name_token(tok) or _in_ranges(i, skip):
            continue
        low = tok.text.casefold().strip(".")
        owners = [p for p in people if low in p.tokens or low in p.aliases]
        if len(owners) == 1 and len(low) > 2:
            owners[0].extra_mentions.append((i, i + 1))


def _resolve_districts(doc: Doc, people: list[Person]) -> None:
    context = {m.region for p in people for m in p.mentions if m.region}
    context |= {str(s_v.value["code"]) for _sp, s_v in iter_slots(doc, "regions") if s_v.value.get("code")}
    context |= {c.rsplit(".", 1)[0] for c in list(context) if c.count(".") == 2}
    for p in people:
        for m in p.mentions:
            if m.district_candidates and not m.region:
                m.region = pick_district(m.district_candidates, context)


def _best_mention(person: Person) -> Mention:
    ranked = sorted(person.mentions, key=lambda m: (m.office == "other", m.region is None, -m.confidence, m.start))
    return ranked[0]


def _acting_of(person: Person) -> str | None:
    for m in sorted(person.mentions, key=lambda m: m.start):
        if m.acting:
            return m.acting
    return None


def _role(doc: Doc, person: Person) -> str:
    found: set[str] = set()
    spans = [(m.title_start, m.end) for m in person.mentions] + person.extra_mentions
    for s, e in spans:
        sent = doc[s].sent if doc.has_annotation("SENT_START") else doc[max(0, s - 15) : min(len(doc), e + 15)]
        lows = {t.lower_ for t in sent}
        window = {t.lower_ for t in doc[max(sent.start, s - 6) : min(sent.end, e + 6)]}
        for role in ROLE_ORDER:
            cues = ROLE_CUES[role]
            if role == "subject":
                near = {t.lower_ for t in doc[e : min(sent.end, e + 4)]}
                if near & cues:
                    found.add(role)
            elif role in ("leader", "attendee", "organizer"):
                if window & cues:
                    found.add(role)
            elif lows & cues:
                found.add(role)
    for role in ROLE_ORDER:
        if role in found:
            return role
    return "speaker"


@Language.factory("netra_officials", default_config={"use_ner": True})
def make_officials(nlp: Language, name: str, use_ner: bool) -> OfficialsFinder:
    return OfficialsFinder(nlp, name, use_ner)
