"""Cue lexicons for relevance, event type and subject, and the ``netra_event_cues`` component.

Every cue is a general word or phrase of Indonesian news language about
neutrality, meetings, pledges, circulars, monitoring, violations and
sanctions.  The component tags each match in the ``event_cues`` slot
(``{"type": ...}``) or the ``subjects`` slot (``{"subject": ...}``); the
relevance decision and the assembler count them per sentence.
"""

from __future__ import annotations

from collections import defaultdict

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from pipeline.events.spans import add_slot, doc_text

RULES_VERSION = "cues-0.3.0"

TYPE_CUES: dict[str, tuple[str, ...]] = {
    "rakor": (
        "rapat koordinasi", "rakor", "rapat kerja", "raker", "rapat evaluasi", "fgd", "focus group discussion",
        "rapat", "pertemuan", "bertatap muka", "tatap muka", "audiensi", "coffee morning", "rakornas", "rakorda",
        "rapat terbatas", "ratas", "video conference", "vidcon", "zoom meeting", "dikumpulkan", "mengumpulkan",
        "kumpulkan", "briefing", "di hadapan", "dihadapan",
    ),
    "pledge": (
        "apel", "ikrar", "deklarasi", "pakta integritas", "fakta integritas", "penandatanganan", "menandatangani",
        "komitmen bersama", "sumpah", "mengucapkan janji", "dideklarasikan", "mendeklarasikan", "berikrar",
        "apel siaga", "apel netralitas", "deklarasi netralitas", "ikrar netralitas",
    ),
    "directive": (
        "surat edaran", "edaran", "menerbitkan", "diterbitkan", "maklumat", "telegram", "surat telegram",
        "terbitkan", "keputusan bersama", "skb", "melayangkan surat", "menyurati", "surat imbauan",
        "mengirimkan surat", "mengeluarkan surat",
    ),
    "socialization": (
        "sosialisasi", "bimtek", "bimbingan teknis", "seminar", "workshop", "lokakarya", "webinar", "pembekalan",
        "penyuluhan", "diseminasi", "disosialisasikan", "mensosialisasikan", "talkshow", "dialog publik",
    ),
    "monitoring": (
        "patroli", "posko", "pemantauan", "satgas", "satuan tugas", "pokja", "kelompok kerja", "tim pengawas",
        "memantau", "pengawasan melekat", "mengawasi", "pengawasan intensif", "memperketat pengawasan",
        "pengawasan ketat", "awasi", "pantau", "membentuk tim", "dibentuk tim", "awasi ketat",
        "pemetaan", "memetakan", "indeks kerawanan", "pemetaan kerawanan", "pengawasan",
    ),
    "violation": (
        "dugaan pelanggaran", "diduga melanggar", "terbukti melanggar", "pelanggaran netralitas", "tidak netral",
        "tak netral", "ketidaknetralan", "temuan", "ditemukan", "dilaporkan", "laporan", "terlapor",
        "politik praktis", "berkampanye", "ikut kampanye", "terlibat kampanye", "kedapatan", "diduga terlibat",
        "terbukti", "melanggar netralitas", "kasus", "penanganan pelanggaran", "pelanggaran", "diduga",
        "menghadiri kampanye", "mendukung pasangan", "dukungan", "oknum", "melaporkan", "pelapor",
    ),
    "sanction": (
        "dijatuhi sanksi", "dijatuhi hukuman", "menjatuhkan sanksi", "dikenai sanksi", "dikenakan sanksi",
        "rekomendasi kasn", "rekomendasi sanksi", "merekomendasikan sanksi", "hukuman disiplin", "dicopot",
        "dipecat", "diberhentikan", "dinonaktifkan", "dinonjobkan", "mendapatkan sanksi", "mendapat sanksi",
        "diberi sanksi", "penjatuhan sanksi", "menjatuhkan hukuman", "sanksi", "direkomendasikan",
        "merekomendasikan", "rekomendasi", "rekomendasikan sanksi", "rekomendasikan",
    ),
}

# A spoken exhortation addressed to the audience ("mengingatkan ASN agar ...", "peringatan keras kepada ...").
# It is a directive (imbauan) only when no gathering is the happening: a reminder given at a rakor stays a rakor.
EXHORTATION_CUES: tuple[str, ...] = (
    "mengingatkan", "ingatkan", "diingatkan", "mengimbau", "imbau", "imbauan", "diimbau", "himbauan",
    "menghimbau", "meminta", "diminta", "minta", "menekankan", "tekankan", "ditekankan", "peringatan",
    "memperingatkan", "peringatkan", "instruksi", "menginstruksikan", "instruksikan", "diinstruksikan",
    "memerintahkan", "perintah", "larangan", "melarang", "arahan", "mengarahkan", "petunjuk",
)
# Words of a clause that make a violation or sanction cue hypothetical, generic or preventive (a rule
# explained, a warning, a risk), not a happening: "ASN yang terbukti melanggar akan disanksi".
HYPOTHETICAL_MARKERS = frozenset({
    "jika", "apabila", "bila", "kalau", "seandainya", "manakala", "akan", "bakal", "terancam", "berisiko",
    "beresiko", "risiko", "bisa", "dapat", "berpotensi", "potensi", "rawan", "kerawanan", "cegah", "mencegah",
    "pencegahan", "antisipasi", "mengantisipasi", "antisipasi", "hindari", "menghindari", "jangan", "dilarang",
    "larangan", "agar", "supaya", "setiap", "siapapun", "siapa", "mungkin", "kemungkinan", "ancaman",
    "diancam", "boleh", "harus", "wajib", "menanti", "rentan", "celah", "jenis", "bentuk", "diantaranya",
    "antaranya", "beberapa", "contoh", "misalnya", "seperti",
}) | frozenset({"diatur", "mengatur", "peraturan", "pasal", "undang-undang", "undang", "uu", "ketentuan",
                "regulasi"})
# A gathering announced, not held: "Pemprov bakal menggelar deklarasi", "rakor yang direncanakan pekan depan".
FUTURE_MARKERS = frozenset({"akan", "bakal", "rencana", "berencana", "direncanakan", "merencanakan", "mendatang",
                            "nanti", "segera"})
# A regulation cited in the clause: what it forbids or threatens is the rule, not anyone's act.
REGULATION_WORDS = frozenset({"diatur", "mengatur", "peraturan", "pasal", "undang-undang", "undang", "uu", "ketentuan",
                              "regulasi", "pp", "permenpan", "skb"})
# "menerbitkan"/"mengeluarkan" are a directive only with a document in the clause (not "artikel ini diterbitkan").
DOCUMENT_WORDS = frozenset({"surat", "edaran", "se", "instruksi", "maklumat", "keputusan", "peraturan",
                            "telegram", "imbauan", "larangan", "pedoman", "perbup", "perwali", "pergub", "sk",
                            "nota", "memo", "netralitas"})
# Aspect words right before a cue that make it a happening already under way or done:
# "Panwaslih telah membentuk pokja", "Bawaslu tengah menangani kasus", "sudah menerbitkan surat edaran".
PERFECTIVE_MARKERS = frozenset({"telah", "sudah", "tengah", "sedang"})
# ... and told with details (what, whom, where) in the words after the cue, not in passing
# ("Pemkab telah melakukan sosialisasi." is a passing mention; the schema wants a date or details).
DETAIL_WORDS = 5
# A request or reminder under a modal or condition is not one given: "kita bisa minta …", "jika perlu, akan meminta".
EXHORTATION_MODALS = frozenset({"akan", "bakal", "bisa", "dapat", "jika", "apabila", "bila", "kalau", "mungkin",
                                "hendak", "ingin", "berencana"})
# What an exhortation "… bahwa X" must say about to be an instruction, not a remark ("menekankan bahwa bansos
# adalah hak rakyat" is a remark; "mengingatkan bahwa ASN harus netral" an instruction).
DEONTIC_WORDS = frozenset({"harus", "wajib", "agar", "supaya", "jangan", "dilarang", "larangan", "boleh", "mesti",
                           "perlu", "hendaknya", "tetap", "menjaga", "jaga", "netral", "netralitas", "berpihak",
                           "memihak", "terlibat"})
# An exhortation with an addressee and what they must do is an imbauan issued ("memberikan peringatan keras
# kepada seluruh ASN agar …", "mengimbau agar seluruh ASN …"); a bare "menekankan pentingnya …" is not.
ADDRESSEE_WORDS = frozenset({"kepada", "seluruh", "semua", "segenap", "para", "jajaran", "asn", "pns", "aparatur",
                             "pegawai", "kades", "perangkat", "prajurit", "personel", "anggota", "camat", "lurah"})
PURPOSE_WORDS = frozenset({"agar", "supaya", "untuk", "jangan", "harus", "wajib", "tetap"})
# A meeting held to examine one case ("rapat … untuk memperdalam kasus ini") is the supervisor's handling of
# that case, not a gathering on neutrality.
CASE_WORDS = frozenset({"kasus", "perkara"})
ISSUE_VERBS = frozenset({"menerbitkan", "diterbitkan", "terbitkan", "mengeluarkan", "dikeluarkan"})
# Election supervisors: a recommendation they send to KASN is the finding of a violation, not a sanction.
SUPERVISOR_WORDS = frozenset({"bawaslu", "panwaslu", "panwaslih", "panwascam", "panwas", "gakkumdu", "pengawas"})
DISCIPLINE_BODY_WORDS = frozenset({"kasn", "bkn", "ppk", "kemendagri", "mendagri", "inspektorat"})

# Cues that make a type the main event when they appear in the headline or lead.
STRONG_TYPE_CUES: dict[str, tuple[str, ...]] = {
    "rakor": ("rapat koordinasi", "rakor", "rapat kerja", "rapat evaluasi", "fgd", "rapat", "pertemuan",
              "bertatap muka", "rakornas", "dikumpulkan", "mengumpulkan", "kumpulkan"),
    "pledge": ("apel", "ikrar", "deklarasi", "pakta integritas", "fakta integritas", "penandatanganan",
               "dideklarasikan", "mendeklarasikan", "berikrar", "menandatangani"),
    "directive": ("surat edaran", "edaran", "instruksi", "menginstruksikan", "maklumat", "telegram",
                  "surat telegram", "terbitkan", "menerbitkan", "diterbitkan"),
    "socialization": ("sosialisasi", "bimtek", "bimbingan teknis", "seminar", "workshop", "lokakarya",
                      "webinar", "pembekalan", "penyuluhan"),
    "monitoring": ("patroli", "posko", "pemantauan", "satgas", "pokja", "tim pengawas", "awasi ketat",
                   "memperketat pengawasan", "pengawasan intensif", "awasi", "pantau", "pemetaan", "memetakan",
                   "indeks kerawanan"),
    "violation": ("dugaan pelanggaran", "diduga melanggar", "dilaporkan", "terlapor", "berkampanye",
                  "diduga terlibat", "terbukti melanggar", "kedapatan", "oknum"),
    "sanction": ("dijatuhi sanksi", "dijatuhi hukuman", "menjatuhkan sanksi", "rekomendasi kasn",
                 "rekomendasi sanksi", "merekomendasikan sanksi", "dicopot", "dipecat", "diberhentikan",
                 "dinonaktifkan", "dinonjobkan", "mendapatkan sanksi", "mendapat sanksi", "dikenai sanksi",
                 "dikenakan sanksi", "penjatuhan sanksi", "rekomendasikan sanksi", "direkomendasikan"),
}

SUBJECT_CUES: dict[str, tuple[str, ...]] = {
    "asn": ("asn", "aparatur sipil negara", "pns", "pegawai negeri sipil", "pppk", "aparatur negara",
            "aparatur pemerintah", "pegawai", "camat", "lurah", "sekda", "pejabat", "penjabat kepala daerah",
            "pj kepala daerah", "kepala dinas", "opd", "honorer", "tenaga kontrak", "birokrasi", "birokrat"),
    "village": ("kepala desa", "kades", "perangkat desa", "aparatur desa", "pemerintah desa", "apdesi",
                "kepala kampung", "keuchik", "geuchik", "perbekel", "kuwu", "bpd", "pj kades"),
    "tni": ("tni", "prajurit", "tentara", "kodam", "kodim", "korem", "pangdam", "dandim", "danrem", "babinsa"),
    "polri": ("polri", "polisi", "kepolisian", "kapolri", "kapolda", "kapolres", "polda", "polres", "bhayangkara",
              "anggota polri", "personel polri"),
}

NEUTRALITY_CUES: tuple[str, ...] = (
    "netral", "netralitas", "tidak netral", "tak netral", "ketidaknetralan", "ketidak netralan", "politik praktis",
    "berpihak", "keberpihakan", "memihak", "kode etik asn", "netralitasnya", "kenetralan",
)
ELECTION_CUES: tuple[str, ...] = (
    "pemilu", "pilkada", "pilpres", "pileg", "pilkades", "pemilihan", "kampanye", "paslon", "pasangan calon",
    "capres", "cawapres", "caleg", "cagub", "cabup", "cawalkot", "calon", "bawaslu", "panwaslih", "panwaslu",
    "panwascam", "pesta demokrasi", "pemungutan suara", "tahapan", "psu", "pilgub", "pilwalkot", "pilbup",
    "kontestasi", "politik",
)
# Whose neutrality it is when it is NOT ours: media, election organizers (hard negatives).
OTHER_NEUTRALITY_CUES: tuple[str, ...] = (
    "netralitas media", "netralitas pers", "media netral", "pers netral", "netralitas jurnalis",
    "netralitas wartawan", "netralitas penyelenggara", "penyelenggara pemilu netral", "netralitas kpu",
    "netralitas bawaslu", "dewan pers", "wasit", "independensi media", "netralitas lembaga survei",
)
# Off-topic storylines the hard negatives are about.
OFF_TOPIC_CUES: tuple[str, ...] = (
    "hut korpri", "hari korpri", "ulang tahun korpri", "korpri", "cpns", "seleksi", "pendaftaran",
    "formasi", "pelantikan", "dilantik", "melantik", "sk pengangkatan", "penunjukan", "inflasi", "apbd",
    "gaji", "thr", "tunjangan hari raya", "upacara", "hari lahir pancasila",
)

SUBJECT_CUE_GROUPS = SUBJECT_CUES


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


def is_hypothetical(doc: Doc, start: int, end: int) -> bool:
    """The cue sits in a conditional, modal or preventive clause ("jika terbukti melanggar akan disanksi")."""
    return any(w in HYPOTHETICAL_MARKERS for w in clause_window(doc, start, end))


def forwarded_by_supervisor(doc: Doc, start: int) -> bool:
    """A recommendation made by Bawaslu/Panwas (to KASN): the last body named before the cue is a supervisor."""
    sent = doc[start].sent if doc.has_annotation("SENT_START") else doc[:]
    last = None
    for tok in doc[sent.start:start]:
        if tok.lower_ in SUPERVISOR_WORDS:
            last = "supervisor"
        elif tok.lower_ in DISCIPLINE_BODY_WORDS:
            last = "discipline"
    if last is None:  # no agent named: "rekomendasi … diteruskan ke KASN" is sent to the discipline body
        after = [t.lower_ for t in doc[start:sent.end]]
        return any(a in ("ke", "kepada") and b in ("kasn", "komisi") for a, b in zip(after, after[1:]))
    return last == "supervisor"


_RECOMMEND_WORDS = frozenset({"rekomendasi", "merekomendasikan", "direkomendasikan", "rekomendasikan",
                              "rekomendasinya"})


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
    if after[:1] == ["bahwa"] and not DEONTIC_WORDS & set(after[1:]):
        return False
    return True


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
        self.types = phrase_matcher(nlp, {t: p for t, p in TYPE_CUES.items()})
        self.strong = phrase_matcher(nlp, {t: p for t, p in STRONG_TYPE_CUES.items()})
        self.exhortations = phrase_matcher(nlp, {"directive": EXHORTATION_CUES})
        self.subjects = phrase_matcher(nlp, SUBJECT_CUES)

    def _add(self, doc: Doc, s: int, e: int, label: str, strong: bool, exhortation: bool = False) -> None:
        from pipeline.events.dates import inside_quote

        window = clause_window(doc, s, e)
        if label == "directive" and doc[s:e].text.lower() in ISSUE_VERBS and not DOCUMENT_WORDS & set(window):
            return
        if exhortation and not exhortation_given(doc, s, e):
            return
        if label in GATHERING_TYPES and case_meeting(doc, s, e):
            return  # the supervisor's own work on a case, dated apart from the violation it examines
        value = {"type": label, "strong": strong, "exhortation": exhortation,
                 "quoted": inside_quote(doc_text(doc), doc[s].idx)}
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
        if label == "sanction" and any(t.lower_ in _RECOMMEND_WORDS for t in doc[s:e]) and forwarded_by_supervisor(doc, s):
            value["as_type"] = "violation"
        rule = f"cues.{'exhortation' if exhortation else 'type'}.{label}"
        add_slot(doc, "event_cues", doc[s:e], value, rule=rule, version=RULES_VERSION,
                 confidence=0.9 if strong else 0.6)

    def __call__(self, doc: Doc) -> Doc:
        strong = {(s, e, doc.vocab.strings[m]) for m, s, e in self.strong(doc)}
        for match_id, s, e in longest_per_label(doc, self.types(doc)):
            label = doc.vocab.strings[match_id]
            self._add(doc, s, e, label, (s, e, label) in strong)
        for _match_id, s, e in self.exhortations(doc):
            self._add(doc, s, e, "directive", False, exhortation=True)
        for match_id, s, e in self.subjects(doc):
            label = doc.vocab.strings[match_id]
            add_slot(doc, "subjects", doc[s:e], {"subject": label}, rule=f"cues.subject.{label}",
                     version=RULES_VERSION, confidence=0.8)
        return doc


@Language.factory("netra_event_cues", default_config={})
def make_event_cues(nlp: Language, name: str) -> EventCueTagger:
    return EventCueTagger(nlp, name)
