"""Group the slots found by the components into events, with evidence and provenance.

How each field is decided:

* ``type``: :mod:`pipeline.events.event_types` decides the happenings (main event
  from the headline and lead, factual vs. hypothetical cues, one event per
  distinct happening) and the sentence and date each rests on.
* ``subject``: the most frequent subject cue in the supporting sentences (ASN
  unless village heads, TNI or Polri dominate).
* officials, regions, elections: all confident findings of the article go to
  the main event (scoring unions slots over events, and a second event of the
  same story shares them); sanctions recommended/imposed go to a sanction event.
* ``date``: the confident non-statement date of the sentence the event's cue
  sits in; the main event falls back to such a date in the lead.
* ``evidence``: the supporting sentences (max. 4), as character spans.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Span

from pipeline.events.context import sentence_index
from pipeline.events.event_types import decide_types, lead_date
from pipeline.events.spans import SlotValue, iter_slots
from pipeline.schema import ArticleInput, ArticleResult, Election, Event, Official, Provenance, Sanction

if TYPE_CHECKING:
    from pipeline.events.relevance import RelevanceDecision

RULES_VERSION = "assemble-0.2.0"

MIN_REGION_CONFIDENCE = 0.5
MIN_OFFICIAL_CONFIDENCE = 0.6
MAX_EVIDENCE = 4


def choose_subject(doc: Doc, support: set[int]) -> str:
    _sents, index = sentence_index(doc)
    counts: Counter[str] = Counter()
    for span, slot in iter_slots(doc, "subjects"):
        if index.get(span.start, -1) in support:
            counts[slot.value["subject"]] += 1
    if not counts:
        return "asn"
    asn = counts.get("asn", 0)
    for subject in ("village", "polri", "tni"):
        if counts.get(subject, 0) > asn:
            return subject
    return "asn"


def _prov(field: str, span: Span | None, slot: SlotValue, sentence: Span | None = None) -> Provenance:
    return Provenance(
        field=field,
        rule=slot.rule,
        version=slot.version,
        start=span.start_char if span is not None else None,
        end=span.end_char if span is not None else None,
        sentence=sentence.text.strip() if sentence is not None else None,
        confidence=slot.confidence,
    )


def assemble(doc: Doc, article: ArticleInput, decision: RelevanceDecision, pipeline_version: str) -> ArticleResult:
    """Build the ArticleResult of a relevant ``doc`` (``decision`` from ``netra_relevance``)."""
    sents, index = sentence_index(doc)

    def _sentence_of(span: Span | None) -> Span | None:
        # Every field's evidence carries its sentence, not only offsets (issue 18).
        return sents[index[span.start]] if span is not None and span.start in index else None

    spans = [doc.char_span(s, e, alignment_mode="expand") for s, e in decision.sentences]
    support = {index[span.start] for span in spans if span is not None}
    sanctions = [(sp, sl) for sp, sl in iter_slots(doc, "sanctions") if sl.confidence >= 0.5]
    typed = decide_types(doc, support, article.title)
    types = [t.type for t in typed]
    subject = choose_subject(doc, support)

    officials = [(sp, sl) for sp, sl in iter_slots(doc, "officials") if sl.confidence >= MIN_OFFICIAL_CONFIDENCE]
    regions: list[tuple[Span, SlotValue]] = []
    seen_codes: set[str] = set()
    for sp, sl in iter_slots(doc, "regions"):
        code = sl.value.get("code")
        if (
            code
            and sl.confidence >= MIN_REGION_CONFIDENCE
            and not sl.value.get("boilerplate")
            and code not in seen_codes
        ):
            seen_codes.add(code)
            regions.append((sp, sl))
    elections = []
    seen_el = set()
    for sp, sl in iter_slots(doc, "elections"):
        key = (sl.value.get("kind"), sl.value.get("year"))
        if key[0] and key not in seen_el:
            seen_el.add(key)
            elections.append((sp, sl))
    counts = list(iter_slots(doc, "counts"))

    used_dates = {t.date[1].value["date"] for t in typed if t.date is not None}
    events: list[Event] = []
    for n, te in enumerate(typed):
        etype = te.type
        main = n == 0
        prov: list[Provenance] = []
        type_sents = te.sentences
        if te.cue is not None:
            cue_span, cue_slot = te.cue
            prov.append(_prov("type", cue_span, cue_slot, sents[index[cue_span.start]]))
        else:
            prov.append(Provenance(field="type", rule=te.rule, version=RULES_VERSION, confidence=0.5))
        ev_officials: list[Official] = []
        for sp, sl in officials:
            if not main and etype != "sanction":
                break
            if not main and sl.value.get("role") != "subject":
                continue
            ev_officials.append(
                Official(**{k: sl.value.get(k) for k in ("name", "office", "acting", "region", "role")})
            )
            prov.append(_prov(f"officials[{len(ev_officials) - 1}]", sp, sl, sents[index[sp.start]]))
        ev_regions: list[str] = []
        for sp, sl in regions:
            ev_regions.append(sl.value["code"])
            prov.append(_prov(f"regions[{len(ev_regions) - 1}]", sp, sl, _sentence_of(sp)))
        for off in ev_officials:
            if off.region and off.region not in ev_regions:
                ev_regions.append(off.region)
        ev_elections = []
        for sp, sl in elections:
            ev_elections.append(Election(kind=sl.value["kind"], year=sl.value.get("year")))
            prov.append(_prov(f"elections[{len(ev_elections) - 1}]", sp, sl, _sentence_of(sp)))
        ev_sanctions: list[Sanction] = []
        for sp, sl in sanctions:
            status = sl.value.get("status", "mentioned")
            if (
                etype == "sanction"
                or (main and "sanction" not in types)
                or (main and status in ("mentioned", "threatened"))
            ):
                if any(s.kind == sl.value["kind"] for s in ev_sanctions):
                    continue
                ev_sanctions.append(Sanction(kind=sl.value["kind"], status=status))
                prov.append(_prov(f"sanctions[{len(ev_sanctions) - 1}]", sp, sl, _sentence_of(sp)))
        date = precision = None
        date_slot = te.date
        if date_slot is None and main:
            date_slot = lead_date(doc, index, used_dates)
        if date_slot is not None:
            sp, sl = date_slot
            date, precision = sl.value["date"], sl.value.get("precision", "day")
            prov.append(_prov("date", sp, sl, sents[index[sp.start]]))
        count = None
        if counts:
            sp, sl = counts[0]
            count = sl.value.get("count")
            prov.append(_prov("count", sp, sl, _sentence_of(sp)))
        evidence_ids = sorted(set(type_sents[:2]) | set(sorted(support)[:2]))[:MAX_EVIDENCE]
        evidence = [sents[k].text.strip() for k in evidence_ids]
        for k in evidence_ids:
            prov.append(
                Provenance(
                    field="evidence",
                    rule=decision.rule,
                    version=decision.version,
                    start=sents[k].start_char,
                    end=sents[k].end_char,
                    confidence=1.0,
                )
            )
        best = te.score
        confidence = round(min(0.95, 0.5 + 0.05 * best), 2)
        prov.append(
            Provenance(field="subject", rule="assemble.subject_majority", version=RULES_VERSION, confidence=0.7)
        )
        events.append(
            Event(
                type=etype,
                subject=subject,
                date=date,
                date_precision=precision,
                regions=ev_regions,
                elections=ev_elections,
                officials=ev_officials,
                sanctions=ev_sanctions,
                count=count,
                evidence=evidence,
                confidence=confidence,
                provenance=prov,
                scope=_scope(ev_officials, ev_regions),
            )
        )
    return ArticleResult(
        id=article.id, relevant=True, events=events, relevance_score=decision.score, pipeline_version=pipeline_version
    )


def _scope(officials: Iterable[Official], regions: list[str]) -> str | None:
    offices = {o.office for o in officials}
    if offices & {"presiden", "mendagri", "menpan_rb", "menteri", "dirjen", "dirjen_otda", "ketua_kasn", "kepala_bkn"}:
        return "national"
    if not regions:
        return None
    depth = min(r.count(".") for r in regions)
    return ("provincial", "regency", "district", "village")[min(depth, 3)]
