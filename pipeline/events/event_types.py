"""Which happenings an article reports: event types, the sentences they rest on, and their dates.

A document-level decision over the cue evidence of ``netra_event_cues`` (no cue counting
across the whole text):

* **Where the cue is.** The headline and the lead carry the main event: a cue in the title
  weighs 3, in the first three sentences 2, elsewhere 1 (only near the sentences that made the
  article relevant).  Inside a quotation a cue weighs less — what someone says is not what
  happened.
* **Whether it is a happening.** Violation and sanction words in a conditional, modal or
  preventive clause ("ASN yang terbukti melanggar akan disanksi", "mencegah pelanggaran")
  explain the rules; they are not evidence of a violation or a sanction.  A recommendation by
  an election supervisor (Bawaslu forwarding a case to KASN) is the finding of a violation.
* **Gathering before speech.** A spoken exhortation ("mengingatkan ASN agar …") is a directive
  (imbauan) only when no gathering (rakor, apel, sosialisation …) carries the story; a reminder
  given at a rakor stays one rakor event.  An article that only explains rules and sanctions,
  with no happening at all, is a socialization.
* **A sanction event is a step of a case.** It needs a sanction recommended or imposed (the
  status ``netra_sanctions`` reads) or a strong factual sanction cue; sanctions only listed or
  threatened belong to an article explaining the rules.
* **One event per distinct happening.** A second type becomes its own event when it is a
  separate happening: a gathering or a circular dated in its own sentence ("… dalam rakor yang
  digelar Selasa (27/9)"), a factual violation or sanction step with enough evidence, or a cue
  told as done or under way in the reporter's words ("telah membentuk pokja", "tengah menangani
  kasus").  An earlier happening mentioned in passing without a date stays out.

Each event's date is the confident, non-statement date of the sentence its cue sits in; the
main event falls back to such a date in the headline or lead.  A violation is dated by the act,
not by the supervisor's examination or finding of it; an imbauan given by word of mouth by the
day it was said; a directive with no other date by the year of the numbered document it issues.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from pipeline.events.context import sentence_index
from pipeline.events.cues import FUTURE_MARKERS, HYPOTHETICAL_MARKERS, ISSUE_VERBS, STRONG_TYPE_CUES
from pipeline.events.spans import SlotValue, doc_text, findings, iter_slots

RULES_VERSION = "event-types-0.3.0"

TYPE_PRIORITY = ("sanction", "violation", "pledge", "directive", "rakor", "socialization", "monitoring")
GATHERINGS = frozenset({"rakor", "pledge", "socialization"})
CASE_STEPS = frozenset({"violation", "sanction"})

TITLE_WEIGHT = 3.0
LEAD_WEIGHT = 2.0
LEAD_SENTENCES = 3
QUOTED_FACTOR = 0.4
FAR_FACTOR = 0.5  # a cue away from the sentences that made the article relevant
PLANNED_FACTOR = 0.25  # a gathering announced for later
MIN_MAIN_SCORE = 1.5  # below: no happening is clear; the article explains rules (socialization) or exhorts
MIN_DATE_CONFIDENCE = 0.5
SECOND_CASE_SCORE = 2.0  # factual evidence needed for a violation/sanction step as a second event
SECOND_CASE_RATIO = 0.35
MAX_EVENTS = 3


@dataclass
class TypedEvent:
    type: str
    score: float
    sentences: list[int] = field(default_factory=list)  # sentence indices of its cues, strongest first
    cue: tuple[Span, SlotValue] | None = None
    date: tuple[Span, SlotValue] | None = None
    rule: str = "event_types.main"


def title_clause(title: str, at: int) -> list[str]:
    low = title.lower()
    bounds = [i for i, ch in enumerate(low) if ch in ",:;|–-"]
    start = max([b for b in bounds if b < at], default=-1) + 1
    end = min([b for b in bounds if b >= at], default=len(low))
    return [w.strip(",.:;!?\"'“”()") for w in low[start:end].split()]


def title_planned(title: str, at: int) -> bool:
    return any(w in FUTURE_MARKERS for w in title_clause(title, at))


def title_hypothetical(title: str, at: int) -> bool:
    """A headline clause (between commas, colons, dashes) with a modal or conditional word."""
    return any(w in HYPOTHETICAL_MARKERS for w in title_clause(title, at))


def title_scores(title: str | None) -> dict[str, float]:
    """Strong cues in the headline (string match on words; the headline is often not in the text)."""
    if not title:
        return {}
    low = title.lower()
    scores: dict[str, float] = {}
    for etype, phrases in STRONG_TYPE_CUES.items():
        for phrase in phrases:
            match = re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", low)
            if match is None:
                continue
            if etype in CASE_STEPS and title_hypothetical(title, match.start()):
                continue
            if title_planned(title, match.start()):
                scores[etype] = TITLE_WEIGHT * PLANNED_FACTOR
                break
            scores[etype] = TITLE_WEIGHT
            break
    return scores


def cue_weight(slot: SlotValue, k: int, near_support: bool) -> float:
    """Weight of one cue match in sentence ``k``; 0 when it does not count."""
    value = slot.value
    if value.get("hypothetical"):
        return 0.0
    weight = 2.0 if value.get("strong") or value.get("addressed") else 0.5
    if not (near_support or k < LEAD_SENTENCES):
        weight *= FAR_FACTOR
    if value.get("planned"):
        weight *= PLANNED_FACTOR
    if k < LEAD_SENTENCES:
        weight *= LEAD_WEIGHT
    if value.get("quoted"):
        weight *= QUOTED_FACTOR
    return weight


def confident_dates(doc: Doc, index: dict[int, int]) -> dict[int, list[tuple[Span, SlotValue]]]:
    """Event-date candidates per sentence: not a press-statement date, not a page stamp, confident."""
    by_sentence: dict[int, list[tuple[Span, SlotValue]]] = defaultdict(list)
    for span, slot in iter_slots(doc, "dates"):
        v = slot.value
        if v.get("statement") or v.get("publication") or slot.confidence < MIN_DATE_CONFIDENCE:
            continue
        by_sentence[index.get(span.start, -1)].append((span, slot))
    return by_sentence


def decide_types(doc: Doc, support: set[int], title: str | None) -> list[TypedEvent]:
    """The events of a relevant doc, main event first (see the module docstring)."""
    _sents, index = sentence_index(doc)
    scores: dict[str, float] = defaultdict(float)
    sentences: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    first_cue: dict[str, tuple[Span, SlotValue]] = {}
    exhortation_only: dict[str, bool] = defaultdict(lambda: True)
    strong_sents: dict[str, set[int]] = defaultdict(set)
    done_sents: dict[str, set[int]] = defaultdict(set)  # factual cues after "telah/sudah/tengah"
    spoken: dict[str, float] = defaultdict(float)  # weight of exhortations (spoken reminders) per type
    for span, slot in iter_slots(doc, "event_cues"):
        k = index.get(span.start, 0)
        near = any(abs(k - s) <= 1 for s in support)
        etype = slot.value.get("as_type") or slot.value["type"]
        w = cue_weight(slot, k, near)
        if w <= 0:
            continue
        scores[etype] += w
        sentences[etype][k] += w
        first_cue.setdefault(etype, (span, slot))
        if slot.value.get("exhortation"):
            spoken[etype] += w
        else:
            exhortation_only[etype] = False
            factual = not slot.value.get("quoted") and not slot.value.get("planned")
            if slot.value.get("strong") and factual:
                strong_sents[etype].add(k)
            if slot.value.get("perfective") and factual:
                done_sents[etype].add(k)
    title_in_text = bool(title) and doc_text(doc).lstrip()[: len((title or "").strip())] == (title or "").strip()
    for etype, w in ({} if title_in_text else title_scores(title)).items():
        scores[etype] += w
        exhortation_only[etype] = False
    # factual case steps found by the slot components
    for span, slot in iter_slots(doc, "counts"):
        status = slot.value.get("status")
        k = index.get(span.start, 0)
        if status in ("reported", "found") and k in support:
            scores["violation"] += 1.0
            sentences["violation"][k] += 1.0

    dates = confident_dates(doc, index)
    past = past_election_sentences(doc, index)
    for etype in CASE_STEPS:
        for k in list(sentences.get(etype, {})):
            if k in past:
                scores[etype] -= sentences[etype].pop(k)
        done_sents[etype] -= past
    if "sanction" in scores and not (strong_sents["sanction"] or sanction_step_found(doc)):
        # the schema's sanction event is a recommendation or an imposition; sanctions only listed or
        # threatened belong to an article explaining the rules
        del scores["sanction"]
    ranked = sorted((t for t in scores if scores[t] > 0), key=lambda t: (-scores[t], TYPE_PRIORITY.index(t)))
    if not ranked or scores[ranked[0]] < MIN_MAIN_SCORE:
        main = _fallback_type(doc, scores)
        ranked = [main] + [t for t in ranked if t != main]
    main = ranked[0]
    # a spoken reminder at a gathering: the gathering is the happening
    if main == "directive" and exhortation_only[main]:
        gathering = next((t for t in ranked[1:] if t in GATHERINGS and scores[t] >= 0.3 * scores[main]), None)
        if gathering:
            main = gathering
    events = [_event(main, scores, sentences, first_cue, dates)]
    if main == "directive" and events[0].date is None and spoken[main] > 0.5 * scores[main]:
        # an imbauan given by word of mouth happened when it was said: the statement date is its date
        events[0].date = statement_date(doc)
        events[0].rule = "event_types.spoken_directive"
    for etype in ranked:
        if etype == main or len(events) >= MAX_EVENTS:
            continue
        if etype == "directive" and exhortation_only[etype]:
            continue
        dated = [k for k in sorted(strong_sents[etype]) if dates.get(k)]
        if etype in GATHERINGS and (0 in strong_sents[etype] or title_scores(title).get(etype, 0) >= TITLE_WEIGHT):
            # a gathering named in the headline is a happening of its own, not a passing mention
            ev = _event(etype, scores, sentences, first_cue, dates, prefer=dated)
            ev.rule = "event_types.headline_happening"
            events.append(ev)
        elif etype not in CASE_STEPS and dated:
            ev = _event(etype, scores, sentences, first_cue, dates, prefer=dated)
            ev.rule = "event_types.dated_happening"
            events.append(ev)
        elif (
            etype in CASE_STEPS
            and (strong_sents[etype] or any(dates.get(k) for k in sentences[etype]))
            and scores[etype] >= max(SECOND_CASE_SCORE, SECOND_CASE_RATIO * scores[main])
        ):
            ev = _event(etype, scores, sentences, first_cue, dates)
            ev.rule = "event_types.case_step"
            events.append(ev)
        elif done_sents[etype]:
            # "Panwaslih telah membentuk pokja …", "Bawaslu tengah menangani kasus …": told as done or
            # under way in the reporter's own words, a happening of its own even without a date
            ev = _event(etype, scores, sentences, first_cue, dates, prefer=sorted(done_sents[etype]))
            ev.rule = "event_types.done_happening"
            events.append(ev)
    for ev in events:
        if ev.type == "directive" and ev.date is None:
            ev.date = document_date(doc, index, ev.sentences[:2])
    return events


def document_date(doc: Doc, index: dict[int, int], sentences: list[int]) -> tuple[Span, SlotValue] | None:
    """The year of a numbered document issued in one of ``sentences`` ("menerbitkan Surat Edaran Nomor …
    Tahun 2023"); a document only cited ("sesuai UU Nomor 7 Tahun 2017") dates nothing."""
    for span, slot in iter_slots(doc, "dates"):
        k = index.get(span.start, -1)
        if slot.value.get("cue") == "document_number" and k in sentences:
            sent = span.sent
            if any(t.lower_ in ISSUE_VERBS for t in doc[sent.start : span.start]):
                return span, slot
    return None


def statement_date(doc: Doc) -> tuple[Span, SlotValue] | None:
    """The first confident date of what someone told the press ("…," tegasnya, Selasa (15/7))."""
    for span, slot in iter_slots(doc, "dates"):
        v = slot.value
        if v.get("statement") and not v.get("future") and slot.confidence >= MIN_DATE_CONFIDENCE:
            return span, slot
    return None


def sanction_step_found(doc: Doc) -> bool:
    """A sanction recommended or imposed somewhere in the text (status from ``netra_sanctions``)."""
    return any(slot.value.get("status") in ("recommended", "imposed") for _sp, slot in iter_slots(doc, "sanctions"))


def past_election_sentences(doc: Doc, index: dict[int, int]) -> set[int]:
    """Sentences about an election held before the article's year: figures of an earlier election
    ("pada Pemilu 2019 ditemukan 914 pelanggaran") are background, not this article's happening."""
    article = findings(doc).article
    published, partial = (article.published, article.published_partial) if article else (None, None)
    year = published.year if published else None
    if year is None and str(partial or "")[:4].isdigit():
        year = int(str(partial)[:4])
    if year is None:  # the page's own date stamp
        year = next(
            (int(sl.value["date"][:4]) for _sp, sl in iter_slots(doc, "dates") if sl.value.get("publication")), None
        )
    past = set()
    for span, slot in iter_slots(doc, "elections"):
        y = slot.value.get("year")
        if slot.value.get("past") or (year is not None and y is not None and y < year):
            past.add(index.get(span.start, -1))
    return past


def _fallback_type(doc: Doc, scores: dict[str, float]) -> str:
    """No clear happening: an exhortation in the text is an imbauan; otherwise the rules are explained."""
    for _span, slot in iter_slots(doc, "event_cues"):
        if slot.value.get("exhortation") and not slot.value.get("regulation"):
            return "directive"
    return "socialization"


def _event(
    etype: str,
    scores: dict[str, float],
    sentences: dict[str, dict[int, float]],
    first_cue: dict[str, tuple[Span, SlotValue]],
    dates: dict[int, list[tuple[Span, SlotValue]]],
    prefer: list[int] | None = None,
) -> TypedEvent:
    by_weight = sorted(sentences.get(etype, {}).items(), key=lambda kv: (-kv[1], kv[0]))
    order = list(prefer or []) + [k for k, _ in by_weight if k not in (prefer or [])]
    # a violation is dated by the act, not by the supervisor's examination or finding of it
    candidates = (d for k in order for d in dates.get(k, ()))
    date = next((d for d in candidates if not (etype == "violation" and d[1].value.get("handling"))), None)
    return TypedEvent(type=etype, score=scores.get(etype, 0.0), sentences=order, cue=first_cue.get(etype), date=date)


def lead_date(doc: Doc, index: dict[int, int], used: set[str]) -> tuple[Span, SlotValue] | None:
    """A confident non-statement date in the lead (first sentences), not taken by another event."""
    dates = confident_dates(doc, index)
    for k in sorted(dates):
        if 0 <= k < LEAD_SENTENCES:
            for span, slot in dates[k]:
                if slot.value["date"] not in used:
                    return span, slot
    return None
