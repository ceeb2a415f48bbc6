"""Sanctions in the schema's taxonomy (PP 94/2021, older PP 53/2010 terms, sanksi moral, pidana).

A PhraseMatcher over the vocabulary of Indonesian discipline news finds the kind
(longest phrase first: "pemberhentian dengan hormat tidak atas permintaan sendiri" is not
"pemberhentian tidak dengan hormat"; "dipecat dari jabatannya" is removal from office, not
dismissal).  Two clean-ups follow the schema's reading of a text:

* a discipline level followed by what it consists of ("hukuman disiplin berat berupa
  penurunan jabatan") counts as the specific sanction only;
* an unspecified "sanksi" is dropped when specific sanctions are spelled out within two
  sentences of it ("sanksi bagi ASN antara lain: …"); "sanksi administratif" stays.

The status comes from the clause: KASN/Bawaslu "merekomendasikan" → recommended; a list
of possible sanctions → mentioned; "akan/terancam/bisa dikenai" → threatened; "dijatuhi",
"telah diberikan", "dicopot" without a modal → imposed.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from pipeline.events import lexicon
from pipeline.events.context import doc_boilerplate, in_ranges, sentence_index
from pipeline.events.spans import add_slot

RULES_VERSION = "sanctions-1.0"

_LEX = lexicon.load()
_SANCTIONS = "sanctions"


SANCTION_PHRASES: dict[str, tuple[str, ...]] = _LEX.groups(_SANCTIONS, "kinds")
_STANDALONE_GENERIC = _LEX.word_set(_SANCTIONS, "standalone_generic")
_CONSISTS_OF = _LEX.word_set(_SANCTIONS, "consists_of")
RECOMMEND_CUES = _LEX.word_set(_SANCTIONS, "recommend")
LIST_CUES = _LEX.word_set(_SANCTIONS, "lists")
MODAL_CUES = _LEX.word_set(_SANCTIONS, "modal")
IMPOSED_CUES = _LEX.word_set(_SANCTIONS, "imposed")


def sanction_status(words: list[str]) -> str:
    """Status from the words of the clause holding a sanction (lower-cased tokens)."""
    low = {w.casefold() for w in words}
    if low & RECOMMEND_CUES:
        return "recommended"
    if (low & LIST_CUES and low & MODAL_CUES) or {"antara", "diantaranya", "bentuk-bentuk", "jenis"} & low:
        return "mentioned"
    if low & MODAL_CUES:
        return "threatened"
    if low & IMPOSED_CUES:
        return "imposed"
    return "mentioned"


def phrase_kind(text: str) -> str | None:
    """The kind a sanction phrase names (exact phrase, case-insensitive)."""
    key = " ".join(text.casefold().split())
    for kind, phrases in SANCTION_PHRASES.items():
        if key in phrases:
            return kind
    return None


class SanctionFinder:
    """spaCy component: adds ``sanctions`` slots (see module docstring)."""

    def __init__(self, nlp: Language, name: str = "netra_sanctions"):
        self.name = name
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        for kind, phrases in SANCTION_PHRASES.items():
            self.matcher.add(kind, list(nlp.tokenizer.pipe(phrases)))  # type: ignore[union-attr]

    def __call__(self, doc: Doc) -> Doc:
        boiler = doc_boilerplate(doc)
        spans = filter_spans([Span(doc, s, e, label=m) for m, s, e in self.matcher(doc)])
        spans = [s for s in spans if not in_ranges(s.start_char, s.end_char, boiler)]
        sents, sent_index = sentence_index(doc)
        specific = [s for s in spans if s.label_ != "sanksi"]
        kept = []
        for span in spans:
            if span.label_ == "hukuman_disiplin" and self._spelled_out(doc, span, specific):
                continue
            if span.label_ == "sanksi" and span.text.casefold() not in _STANDALONE_GENERIC:
                n = sent_index.get(span.start, 0)
                if any(abs(sent_index.get(s.start, 0) - n) <= 2 for s in specific):
                    continue
            kept.append(span)
        for span in kept:
            sent = sents[sent_index.get(span.start, 0)] if sents else doc[:]
            status = sanction_status([t.lower_ for t in sent])
            add_slot(
                doc,
                "sanctions",
                span,
                {"kind": span.label_, "status": status},
                f"sanctions.{span.label_}",
                RULES_VERSION,
                0.8 if span.label_ != "sanksi" else 0.6,
            )
        return doc

    @staticmethod
    def _spelled_out(doc: Doc, span: Span, specific: list[Span]) -> bool:
        """ "hukuman disiplin berat berupa penurunan jabatan": the level introduces a specific kind."""
        window = doc[span.end : span.end + 4]
        if not any(t.lower_ in _CONSISTS_OF for t in window):
            return False
        return any(s.start >= span.end and s.start - span.end <= 8 and s.label_ != "hukuman_disiplin" for s in specific)


@Language.factory("netra_sanctions", default_config={})
def make_sanction_finder(nlp: Language, name: str) -> SanctionFinder:
    return SanctionFinder(nlp, name)
