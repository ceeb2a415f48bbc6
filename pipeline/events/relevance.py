"""Is the article about the political neutrality of ASN, village heads, TNI or Polri?

Two stages, both transparent rules:

1. :func:`prefilter` — one regular expression over the raw text (no spaCy):
   an article without any neutrality/election-supervision word is rejected
   at once (microseconds), so irrelevant articles stay cheap.
2. ``netra_relevance`` — on the processed doc, per sentence: a neutrality cue
   ("netralitas", "tidak netral", "politik praktis") next to one of our
   subjects (ASN, kepala desa, TNI, Polri), or a subject next to a violation
   cue ("kampanye", "dukungan", "pelanggaran") in an election context.
   Neutrality of someone else (media, election organizers) does not count,
   and storylines of the hard negatives (KORPRI day, CPNS recruitment,
   Pj appointments) lower the score.

The decision, its score and the sentences it rests on go to ``doc._.netra.relevance``
(:class:`RelevanceDecision`); ``netra_relevance`` is the last component of the pipeline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.events import cues, lexicon
from pipeline.events.context import sentence_index
from pipeline.events.spans import findings

RULES_VERSION = "relevance-0.1.0"

_LEX = lexicon.load()


# Words without which an article cannot be relevant (checked on the lower-cased raw text).
_PREFILTER = re.compile(
    r"netral|politik praktis|kode etik|berpihak|memihak|kampanye|bawaslu|panwas|paslon|pasangan calon|capres",
)

VIOLATION_CUES: tuple[str, ...] = _LEX.words("event_cues", "violation")
SUPERVISOR_CUES: tuple[str, ...] = _LEX.words("event_cues", "supervisors")


def prefilter(text: str) -> bool:
    """Cheap first pass on raw text: False means certainly irrelevant."""
    return _PREFILTER.search(text.lower()) is not None


@dataclass
class RelevanceDecision:
    relevant: bool
    score: float
    reasons: list[str] = field(default_factory=list)
    sentences: list[tuple[int, int]] = field(default_factory=list)  # char spans of supporting sentences
    rule: str = "relevance.rules"
    version: str = RULES_VERSION


class RelevanceJudge:
    def __init__(self, nlp: Language, name: str = "netra_relevance", threshold: float = 3.0):
        self.name = name
        self.threshold = threshold
        self.matcher = cues.phrase_matcher(
            nlp,
            {
                "neutral": cues.NEUTRALITY_CUES,
                "other_neutral": cues.OTHER_NEUTRALITY_CUES,
                "election": cues.ELECTION_CUES,
                "offtopic": cues.OFF_TOPIC_CUES,
                "violation": VIOLATION_CUES,
                "supervisor": SUPERVISOR_CUES,
                **{f"subj_{k}": v for k, v in cues.SUBJECT_CUES.items()},
            },
        )

    def __call__(self, doc: Doc) -> Doc:
        findings(doc).relevance = self.decide(doc)
        return doc

    def decide(self, doc: Doc) -> RelevanceDecision:
        sents, sent_index = sentence_index(doc)
        per_sent: list[dict[str, int]] = [{} for _ in sents]
        for match_id, s, _e in self.matcher(doc):
            label = doc.vocab.strings[match_id]
            if label.startswith("subj_"):
                label = "subject"
            d = per_sent[sent_index[s]]
            d[label] = d.get(label, 0) + 1
        election = sum(d.get("election", 0) + d.get("supervisor", 0) for d in per_sent)
        offtopic = sum(d.get("offtopic", 0) for d in per_sent)
        support: list[int] = []
        score = 0.0
        reasons = []
        for k, d in enumerate(per_sent):
            near_subject = any(per_sent[j].get("subject") for j in (k - 1, k, k + 1) if 0 <= j < len(per_sent))
            if d.get("neutral") and not d.get("other_neutral") and (d.get("subject") or near_subject):
                score += 2.0 if d.get("subject") else 1.0
                support.append(k)
            elif d.get("subject") and d.get("violation") and (d.get("supervisor") or d.get("election")):
                score += 1.0
                support.append(k)
            if d.get("other_neutral"):
                score -= 1.5
        if election:
            score += 1.0
        else:
            score -= 2.0
        if offtopic:
            score -= min(offtopic, 4) * 0.5
        if support:
            reasons.append(f"{len(support)} sentences tie our subjects to neutrality or violations")
        if offtopic:
            reasons.append(f"{offtopic} off-topic cues")
        relevant = score >= self.threshold and bool(support)
        spans = [(sents[k].start_char, sents[k].end_char) for k in support]
        return RelevanceDecision(relevant, round(score, 2), reasons, spans)


@Language.factory("netra_relevance", default_config={"threshold": 3.0})
def make_relevance(nlp: Language, name: str, threshold: float) -> RelevanceJudge:
    return RelevanceJudge(nlp, name, threshold)
