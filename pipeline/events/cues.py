"""Cue lexicons for relevance, event type and subject, and the ``netra_event_cues`` component.

Every cue is a general word or phrase of Indonesian news language about
neutrality, meetings, pledges, circulars, monitoring, violations and
sanctions.  The component tags each match in the ``event_cues`` slot
(``{"type": ...}``) or the ``subjects`` slot (``{"subject": ...}``); the
relevance decision and the assembler count them per sentence.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import pairwise

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from pipeline.events import lexicon
from pipeline.events.context import inside_quote
from pipeline.events.spans import add_slot, doc_text

RULES_VERSION = "cues-0.3.0"

_LEX = lexicon.load()
_MARKERS = "clause_markers"


TYPE_CUES: dict[str, tuple[str, ...]] = _LEX.groups("event_cues", "types")

# A spoken exhortation addressed to the audience ("mengingatkan ASN agar ...", "peringatan keras kepada ...").
# It is a directive (imbauan) only when no gathering is the happening: a reminder given at a rakor stays a rakor.
EXHORTATION_CUES: tuple[str, ...] = _LEX.words("event_cues", "exhortations")
# Words of a clause that make a violation or sanction cue hypothetical, generic or preventive (a rule
# explained, a warning, a risk), not a happening: "ASN yang terbukti melanggar akan disanksi".
HYPOTHETICAL_MARKERS = _LEX.word_set(_MARKERS, "hypothetical")
# A gathering announced, not held: "Pemprov bakal menggelar deklarasi", "rakor yang direncanakan pekan depan".
FUTURE_MARKERS = _LEX.word_set(_MARKERS, "future")
# A regulation cited in the clause: what it forbids or threatens is the rule, not anyone's act.
REGULATION_WORDS = _LEX.word_set(_MARKERS, "regulation")
# "menerbitkan"/"mengeluarkan" are a directive only with a document in the clause (not "artikel ini diterbitkan").
DOCUMENT_WORDS = _LEX.word_set(_MARKERS, "documents")
# Aspect words right before a cue that make it a happening already under way or done:
# "Panwaslih telah membentuk pokja", "Bawaslu tengah menangani kasus", "sudah menerbitkan surat edaran".
PERFECTIVE_MARKERS = _LEX.word_set(_MARKERS, "perfective")
# ... and told with details (what, whom, where) in the words after the cue, not in passing
# ("Pemkab telah melakukan sosialisasi." is a passing mention; the schema wants a date or details).
DETAIL_WORDS = 5
# A request or reminder under a modal or condition is not one given: "kita bisa minta …", "jika perlu, akan meminta".
EXHORTATION_MODALS = _LEX.word_set(_MARKERS, "exhortation_modals")
# What an exhortation "… bahwa X" must say about to be an instruction, not a remark ("menekankan bahwa bansos
# adalah hak rakyat" is a remark; "mengingatkan bahwa ASN harus netral" an instruction).
DEONTIC_WORDS = _LEX.word_set(_MARKERS, "deontic")
# An exhortation with an addressee and what they must do is an imbauan issued ("memberikan peringatan keras
# kepada seluruh ASN agar …", "mengimbau agar seluruh ASN …"); a bare "menekankan pentingnya …" is not.
ADDRESSEE_WORDS = _LEX.word_set(_MARKERS, "addressees")
PURPOSE_WORDS = _LEX.word_set(_MARKERS, "purpose")
# A meeting held to examine one case ("rapat … untuk memperdalam kasus ini") is the supervisor's handling of
# that case, not a gathering on neutrality.
CASE_WORDS = _LEX.word_set(_MARKERS, "cases")
ISSUE_VERBS = _LEX.word_set(_MARKERS, "issue_verbs")
# Election supervisors: a recommendation they send to KASN is the finding of a violation, not a sanction.
SUPERVISOR_WORDS = _LEX.word_set(_MARKERS, "supervisors")
DISCIPLINE_BODY_WORDS = _LEX.word_set(_MARKERS, "discipline_bodies")

# Cues that make a type the main event when they appear in the headline or lead.
STRONG_TYPE_CUES: dict[str, tuple[str, ...]] = {
    etype: tuple(e.term for e in entries if e.flag("strong"))
    for etype, entries in _LEX.group_entries("event_cues", "types").items()
}

SUBJECT_CUES: dict[str, tuple[str, ...]] = _LEX.groups("event_cues", "subjects")

NEUTRALITY_CUES: tuple[str, ...] = _LEX.words("event_cues", "neutrality")
ELECTION_CUES: tuple[str, ...] = _LEX.words("event_cues", "election")
# Whose neutrality it is when it is NOT ours: media, election organizers (hard negatives).
OTHER_NEUTRALITY_CUES: tuple[str, ...] = _LEX.words("event_cues", "other_neutrality")
# Off-topic storylines the hard negatives are about.
OFF_TOPIC_CUES: tuple[str, ...] = _LEX.words("event_cues", "off_topic")


def phrase_matcher(nlp: Language, groups: dict[str, tuple[str, ...]]) -> PhraseMatcher:
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    for label, phrases in groups.items():
        matcher.add(label, [nlp.make_doc(p) for p in phrases])
    return matcher


def clause_window(doc: Doc, start: int, end: int, before: int = 8, after: int = 6) -> list[str]:
    """Lower-cased words around a cue, inside its sentence and not across a full stop or semicolon."""
    words: list[str] = []
    i = start - 1
    while i >= 0 and start - i <= before and not doc[i + 1].is_sent_start and doc[i].text not in {".", ";", "!", "?"}:
        words.append(doc[i].lower_)
        i -= 1
    j = end
    while j < len(doc) and j - end < after and not doc[j].is_sent_start and doc[j].text not in {".", ";", "!", "?"}:
        words.append(doc[j].lower_)
        j += 1
    return words


def forwarded_by_supervisor(doc: Doc, start: int) -> bool:
    """A recommendation made by Bawaslu/Panwas (to KASN): the last body named before the cue is a supervisor."""
    sent = doc[start].sent if doc.has_annotation("SENT_START") else doc[:]
    last = None
    for tok in doc[sent.start : start]:
        if tok.lower_ in SUPERVISOR_WORDS:
            last = "supervisor"
        elif tok.lower_ in DISCIPLINE_BODY_WORDS:
            last = "discipline"
    if last is None:  # no agent named: "rekomendasi … diteruskan ke KASN" is sent to the discipline body
        after = [t.lower_ for t in doc[start : sent.end]]
        return any(a in ("ke", "kepada") and b in ("kasn", "komisi") for a, b in pairwise(after))
    return last == "supervisor"


_RECOMMEND_WORDS = _LEX.word_set(_MARKERS, "recommend")


GATHERING_TYPES = frozenset({"rakor", "pledge", "socialization"})


def _clause_before(doc: Doc, start: int, n: int) -> list[str]:
    """Up to ``n`` lower-cased words before ``start`` in its clause (not across punctuation)."""
    words: list[str] = []
    i = start - 1
    while i >= 0 and len(words) < n and not doc[i + 1].is_sent_start and not doc[i].is_punct:
        words.append(doc[i].lower_)
        i -= 1
    return words


def _clause_after(doc: Doc, end: int) -> list[str]:
    """Lower-cased words after ``end`` to the end of its clause (stop, semicolon, sentence end)."""
    return clause_window(doc, end, end, before=0, after=len(doc))


def perfective(doc: Doc, start: int) -> bool:
    """An aspect word at most two words before the cue: the happening is done or under way."""
    return any(w in PERFECTIVE_MARKERS for w in _clause_before(doc, start, 2))


def exhortation_given(doc: Doc, start: int, end: int) -> bool:
    """A request or reminder actually made: no modal or condition right before it, and a
    "… bahwa X" complement that says something about duty or neutrality."""
    if any(w in EXHORTATION_MODALS for w in _clause_before(doc, start, 3)):
        return False
    after = _clause_after(doc, end)
    return not (after[:1] == ["bahwa"] and not DEONTIC_WORDS & set(after[1:]))


def addressed(doc: Doc, end: int) -> bool:
    """Who is exhorted and to do what, in the eight words after the verb."""
    after = set(_clause_after(doc, end)[:8])
    return bool(after & ADDRESSEE_WORDS and after & PURPOSE_WORDS)


def case_meeting(doc: Doc, start: int, end: int) -> bool:
    """A gathering word followed in its sentence by a case word: a meeting held on one case."""
    sent_end = doc[start].sent.end if doc.has_annotation("SENT_START") else len(doc)
    return any(t.lower_ in CASE_WORDS for t in doc[end:sent_end])


def longest_per_label(doc: Doc, matches: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Of overlapping matches with one label keep the longest: "rapat koordinasi" is one cue, not
    "rapat" plus "rapat koordinasi" (a cue must not weigh more for being a longer phrase)."""
    by_label: dict[int, list[Span]] = defaultdict(list)
    for m, s, e in matches:
        by_label[m].append(Span(doc, s, e, label=m))
    kept = [(span.label, span.start, span.end) for spans in by_label.values() for span in filter_spans(spans)]
    return sorted(kept, key=lambda match: match[1])


class EventCueTagger:
    """Tags event-type and subject cues (one slot per match).

    Each type cue carries how it is used: ``strong`` (a headline-grade cue), ``hypothetical``
    (violation/sanction words in a conditional or preventive clause), ``quoted`` (inside a
    quotation), ``exhortation`` (a spoken reminder, a weak directive) and, for recommendations
    by an election supervisor, ``as_type="violation"`` (Bawaslu forwarding a case to KASN is the
    finding of a violation; the sanction is recommended by KASN or imposed by the PPK)."""

    def __init__(self, nlp: Language, name: str = "netra_event_cues"):
        self.name = name
        self.types = phrase_matcher(nlp, TYPE_CUES)
        self.strong = phrase_matcher(nlp, STRONG_TYPE_CUES)
        self.exhortations = phrase_matcher(nlp, {"directive": EXHORTATION_CUES})
        self.subjects = phrase_matcher(nlp, SUBJECT_CUES)

    def _add(self, doc: Doc, s: int, e: int, label: str, strong: bool, exhortation: bool = False) -> None:
        window = clause_window(doc, s, e)
        if label == "directive" and doc[s:e].text.lower() in ISSUE_VERBS and not DOCUMENT_WORDS & set(window):
            return
        if exhortation and not exhortation_given(doc, s, e):
            return
        if label in GATHERING_TYPES and case_meeting(doc, s, e):
            return  # the supervisor's own work on a case, dated apart from the violation it examines
        value = {
            "type": label,
            "strong": strong,
            "exhortation": exhortation,
            "quoted": inside_quote(doc_text(doc), doc[s].idx),
        }
        if perfective(doc, s) and len(_clause_after(doc, e)) >= DETAIL_WORDS:
            value["perfective"] = True
        if exhortation and REGULATION_WORDS & set(window):
            value["regulation"] = True
        if exhortation and addressed(doc, e):
            value["addressed"] = True
        if label in ("violation", "sanction"):
            value["hypothetical"] = any(w in HYPOTHETICAL_MARKERS for w in window)
        elif any(w in FUTURE_MARKERS for w in clause_window(doc, s, e, before=4, after=3)):
            value["planned"] = True
        if (
            label == "sanction"
            and any(t.lower_ in _RECOMMEND_WORDS for t in doc[s:e])
            and forwarded_by_supervisor(doc, s)
        ):
            value["as_type"] = "violation"
        rule = f"cues.{'exhortation' if exhortation else 'type'}.{label}"
        add_slot(
            doc, "event_cues", doc[s:e], value, rule=rule, version=RULES_VERSION, confidence=0.9 if strong else 0.6
        )

    def __call__(self, doc: Doc) -> Doc:
        strong = {(s, e, doc.vocab.strings[m]) for m, s, e in self.strong(doc)}
        for match_id, s, e in longest_per_label(doc, self.types(doc)):
            label = doc.vocab.strings[match_id]
            self._add(doc, s, e, label, (s, e, label) in strong)
        for _match_id, s, e in self.exhortations(doc):
            self._add(doc, s, e, "directive", False, exhortation=True)
        for match_id, s, e in self.subjects(doc):
            label = doc.vocab.strings[match_id]
            add_slot(
                doc,
                "subjects",
                doc[s:e],
                {"subject": label},
                rule=f"cues.subject.{label}",
                version=RULES_VERSION,
                confidence=0.8,
            )
        return doc


@Language.factory("netra_event_cues", default_config={})
def make_event_cues(nlp: Language, name: str) -> EventCueTagger:
    return EventCueTagger(nlp, name)
