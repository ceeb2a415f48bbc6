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

from pipeline.events.regions import doc_boilerplate, in_ranges
from pipeline.events.spans import add_slot

RULES_VERSION = "sanctions-1.0"

SANCTION_PHRASES: dict[str, tuple[str, ...]] = {
    "teguran_lisan": ("teguran", "teguran lisan", "ditegur", "teguran keras", "hukuman teguran lisan"),
    "teguran_tertulis": ("teguran tertulis", "surat teguran", "peringatan tertulis", "ditegur secara tertulis"),
    "pernyataan_tidak_puas": ("pernyataan tidak puas", "pernyataan tidak puas secara tertulis"),
    "pemotongan_tunjangan_kinerja": (
        "pemotongan tunjangan kinerja", "pemotongan tunjangan", "potong tunjangan", "dipotong tunjangan",
        "pemotongan tukin", "potongan tunjangan", "tunjangan kinerja dipotong", "tukin dipotong",
        "pemotongan tpp", "potong tukin", "dipotong tunjangannya", "tunjangan kinerjanya dipotong"),
    "penurunan_jabatan": (
        "penurunan jabatan", "turun jabatan", "diturunkan jabatannya", "jabatannya turun", "jabatannya akan turun",
        "penurunan jabatan setingkat lebih rendah", "diturunkan jabatan"),
    "pembebasan_dari_jabatan": (
        "pembebasan dari jabatan", "pembebasan jabatan", "dibebaskan dari jabatan", "dibebaskan dari jabatannya",
        "pembebasan dari jabatannya", "pembebasan jabatannya",
        "dicopot", "pencopotan", "mencopot", "dicopot dari jabatan", "dicopot dari jabatannya", "pencopotan jabatan",
        "pencopotan dari jabatan", "dinonjobkan", "di-nonjob-kan", "di nonjob kan", "nonjob", "non-job", "non job",
        "dilepaskan jabatannya", "dilepas dari jabatan", "dilepas dari jabatannya", "dipecat dari jabatan",
        "dipecat dari jabatannya", "diberhentikan dari jabatan", "diberhentikan dari jabatannya", "akan diganti",
        "segera diganti", "dicopot jabatannya"),
    "pemberhentian_dengan_hormat": (
        "pemberhentian dengan hormat", "diberhentikan dengan hormat", "pemberhentian dengan hormat tidak atas "
        "permintaan sendiri"),
    "pemberhentian_tidak_dengan_hormat": (
        "pemberhentian tidak dengan hormat", "diberhentikan tidak dengan hormat", "ptdh", "dipecat", "pemecatan",
        "memecat", "dipecat sebagai asn", "dipecat sebagai pns"),
    "sanksi_moral": ("sanksi moral", "hukuman moral", "sanksi moral terbuka", "sanksi moral tertutup"),
    "pidana": ("sanksi pidana", "pidana penjara", "dipidana", "ancaman pidana", "hukuman pidana", "diancam pidana",
               "hukuman penjara", "ancaman hukuman penjara", "pidana kurungan"),
    "hukuman_disiplin": (
        "hukuman disiplin", "sanksi disiplin", "hukuman disiplin ringan", "hukuman disiplin sedang",
        "hukuman disiplin berat", "sanksi disiplin ringan", "sanksi disiplin sedang", "sanksi disiplin berat",
        "sanksi ringan", "sanksi sedang", "sanksi berat", "hukuman ringan", "hukuman sedang", "hukuman berat",
        "sangsi sedang", "sangsi berat", "sangsi ringan", "hukuman kategori sedang", "hukuman kategori berat",
        "hukuman kategori ringan", "sanksi hukuman berat", "sanksi hukuman sedang", "sanksi hukuman ringan",
        "ringan sedang berat", "ringan, sedang, berat", "ringan, sedang, dan berat", "ringan hingga berat",
        "sedang hingga berat", "sanksi kedisiplinan", "sangsi sedang hingga berat", "sanksi sedang hingga berat",
        "sanksi ringan hingga berat", "sanksi ringan sampai berat", "hukuman ringan hingga berat"),
    "penundaan_kenaikan_gaji_berkala": (
        "penundaan kenaikan gaji berkala", "gaji berkala tidak naik", "penundaan kgb", "kenaikan gaji berkala ditunda",
        "penundaan gaji berkala"),
    "penundaan_kenaikan_pangkat": (
        "penundaan kenaikan pangkat", "tidak ada kenaikan pangkat", "ditunda pangkatnya", "penahanan kenaikan pangkat",
        "kenaikan pangkat ditunda", "kenaikan pangkatnya ditunda"),
    "penurunan_pangkat": ("penurunan pangkat", "turun pangkat", "turun pangkatnya", "diturunkan pangkatnya",
                          "diturunkan pangkat", "pangkatnya diturunkan"),
    "sanksi": ("sanksi", "sangsi", "disanksi", "sanksinya", "sanksi administratif", "sanksi administrasi",
               "sanksi tegas", "ditindak tegas", "tindakan tegas", "tindak tegas", "dikenai sanksi",
               "dikenakan sanksi", "diberi sanksi", "diberikan sanksi", "dijatuhi sanksi", "menjatuhkan sanksi"),
}
_STANDALONE_GENERIC = {"sanksi administratif", "sanksi administrasi"}
_CONSISTS_OF = {"berupa", "mulai", "yaitu", "yakni", "seperti", ":", "antara", "diantaranya", "di"}
RECOMMEND_CUES = {"rekomendasi", "merekomendasikan", "direkomendasikan", "rekomendasikan", "merekomendasi",
                  "diusulkan", "mengusulkan"}
LIST_CUES = {"antara", "diantaranya", "berupa", "mulai", "yakni", "yaitu", "bentuk", "bentuk-bentuk", "jenis",
             "hingga", "kategori", "tingkatan", "macam"}
MODAL_CUES = {"akan", "bakal", "terancam", "diancam", "ancaman", "bisa", "dapat", "siap", "jika", "apabila", "bila",
              "kalau", "jangan", "berisiko", "risiko", "menanti", "menunggu", "konsekuensi"}
IMPOSED_CUES = {"dijatuhi", "dijatuhkan", "menjatuhkan", "dikenai", "dikenakan", "diberikan", "diberi", "mendapat",
                "mendapatkan", "menerima", "diputuskan", "memutuskan", "dicopot", "dipecat", "telah", "sudah",
                "resmi", "ditindaklanjuti", "dinonjobkan", "diberhentikan"}


def sanction_status(words: list[str]) -> str:
    """Status from the words of the clause holding a sanction (lower-cased tokens)."""
    low = {w.casefold() for w in words}
    if low & RECOMMEND_CUES:
        return "recommended"
    if low & LIST_CUES and low & MODAL_CUES or {"antara", "diantaranya", "bentuk-bentuk", "jenis"} & low:
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
            self.matcher.add(kind, list(nlp.tokenizer.pipe(phrases)))

    def __call__(self, doc: Doc) -> Doc:
        boiler = doc_boilerplate(doc)
        spans = filter_spans([Span(doc, s, e, label=m) for m, s, e in self.matcher(doc)])
        spans = [s for s in spans if not in_ranges(s.start_char, s.end_char, boiler)]
        sents = list(doc.sents)
        sent_index = {}
        for n, sent in enumerate(sents):
            for i in range(sent.start, sent.end):
                sent_index[i] = n
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
            add_slot(doc, "sanctions", span, {"kind": span.label_, "status": status},
                     f"sanctions.{span.label_}", RULES_VERSION, 0.8 if span.label_ != "sanksi" else 0.6)
        return doc

    @staticmethod
    def _spelled_out(doc: Doc, span: Span, specific: list[Span]) -> bool:
        """"hukuman disiplin berat berupa penurunan jabatan": the level introduces a specific kind."""
        window = doc[span.end: span.end + 4]
        if not any(t.lower_ in _CONSISTS_OF for t in window):
            return False
        return any(s.start >= span.end and s.start - span.end <= 8 and s.label_ != "hukuman_disiplin"
                   for s in specific)


@Language.factory("netra_sanctions", default_config={})
def make_sanction_finder(nlp: Language, name: str) -> SanctionFinder:
    return SanctionFinder(nlp, name)
