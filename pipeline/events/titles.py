"""Lexicon of Indonesian official titles: acting prefixes, offices, degrees, ranks.

Pure data plus tiny lookups, shared by the officials component and the scorer
(degree stripping).  Every entry is a general term of Indonesian public
administration, never a person or a place.
"""

from __future__ import annotations

RULES_VERSION = "titles-0.1.0"

# Acting prefixes, lower-cased token sequences -> schema value.
ACTING: dict[tuple[str, ...], str] = {
    ("pj",): "pj", ("pj.",): "pj", ("penjabat",): "pj",
    ("pjs",): "pjs", ("pjs.",): "pjs", ("penjabat", "sementara"): "pjs",
    ("plt",): "plt", ("plt.",): "plt", ("pelaksana", "tugas"): "plt",
    ("plh",): "plh", ("plh.",): "plh", ("pelaksana", "harian"): "plh",
}

# Level of the jurisdiction that follows an office word (a hint for region resolution).
# None: the office is central (no jurisdiction) or its body name follows instead.
OFFICES: dict[tuple[str, ...], tuple[str, str | None]] = {
    ("presiden",): ("presiden", None),
    ("mendagri",): ("mendagri", None),
    ("menteri", "dalam", "negeri"): ("mendagri", None),
    ("menpan", "rb"): ("menpan_rb", None), ("menpan-rb",): ("menpan_rb", None), ("menpanrb",): ("menpan_rb", None),
    ("menteri", "pan", "rb"): ("menpan_rb", None), ("menteri", "pan-rb"): ("menpan_rb", None),
    ("menteri", "pendayagunaan", "aparatur", "negara"): ("menpan_rb", None),
    ("menteri",): ("menteri", "body"), ("menko",): ("menteri", "body"),
    ("dirjen", "otda"): ("dirjen_otda", None), ("dirjen", "otonomi", "daerah"): ("dirjen_otda", None),
    ("direktur", "jenderal", "otonomi", "daerah"): ("dirjen_otda", None),
    ("dirjen",): ("dirjen", "body"), ("direktur", "jenderal"): ("dirjen", "body"),
    ("ketua", "bawaslu"): ("ketua_bawaslu", "any"), ("ketua", "panwaslih"): ("ketua_bawaslu", "any"),
    ("ketua", "panwaslu"): ("ketua_bawaslu", "any"), ("ketua", "panwascam"): ("ketua_bawaslu", "any"),
    ("ketua", "badan", "pengawas", "pemilu"): ("ketua_bawaslu", "any"),
    ("ketua", "badan", "pengawas", "pemilihan", "umum"): ("ketua_bawaslu", "any"),
    ("anggota", "bawaslu"): ("anggota_bawaslu", "any"), ("komisioner", "bawaslu"): ("anggota_bawaslu", "any"),
    ("pimpinan", "bawaslu"): ("anggota_bawaslu", "any"), ("anggota", "panwaslih"): ("anggota_bawaslu", "any"),
    ("komisioner", "panwaslih"): ("anggota_bawaslu", "any"), ("anggota", "panwaslu"): ("anggota_bawaslu", "any"),
    ("ketua", "kasn"): ("ketua_kasn", None), ("ketua", "komisi", "asn"): ("ketua_kasn", None),
    ("ketua", "komisi", "aparatur", "sipil", "negara"): ("ketua_kasn", None),
    ("kepala", "bkn"): ("kepala_bkn", None), ("kepala", "badan", "kepegawaian", "negara"): ("kepala_bkn", None),
    ("gubernur",): ("gubernur", "province"),
    ("wakil", "gubernur"): ("wakil_gubernur", "province"), ("wagub",): ("wakil_gubernur", "province"),
    ("bupati",): ("bupati", "kabupaten"),
    ("wakil", "bupati"): ("wakil_bupati", "kabupaten"), ("wabup",): ("wakil_bupati", "kabupaten"),
    ("wali", "kota"): ("wali_kota", "kota"), ("walikota",): ("wali_kota", "kota"), ("wako",): ("wali_kota", "kota"),
    ("wali", "kota", "administrasi"): ("wali_kota", "kota"),
    ("wakil", "wali", "kota"): ("wakil_wali_kota", "kota"), ("wakil", "walikota"): ("wakil_wali_kota", "kota"),
    ("wawako",): ("wakil_wali_kota", "kota"), ("wawali",): ("wakil_wali_kota", "kota"),
    ("sekda",): ("sekda", "any"), ("sekdakab",): ("sekda", "kabupaten"), ("sekdako",): ("sekda", "kota"),
    ("sekdakot",): ("sekda", "kota"), ("sekdaprov",): ("sekda", "province"),
    ("sekretaris", "daerah"): ("sekda", "any"), ("seketaris", "daerah"): ("sekda", "any"),
    ("sekretaris", "daerah", "kabupaten"): ("sekda", "kabupaten"),
    ("sekretaris", "daerah", "kota"): ("sekda", "kota"), ("sekretaris", "daerah", "provinsi"): ("sekda", "province"),
    ("asisten", "sekda"): ("asisten_sekda", "body"), ("asisten", "sekretaris", "daerah"): ("asisten_sekda", "body"),
    ("asisten", "i"): ("asisten_sekda", "body"), ("asisten", "ii"): ("asisten_sekda", "body"),
    ("asisten", "iii"): ("asisten_sekda", "body"), ("asisten", "iv"): ("asisten_sekda", "body"),
    ("asisten", "bidang"): ("asisten_sekda", "body"),
    ("asisten", "pemerintahan"): ("asisten_sekda", "body"), ("asisten", "administrasi"): ("asisten_sekda", "body"),
    ("asisten", "perekonomian"): ("asisten_sekda", "body"),
    ("kepala", "dinas"): ("kepala_opd", "body"), ("kadis",): ("kepala_opd", "body"),
    ("kaban",): ("kepala_opd", "body"), ("kepala", "badan"): ("kepala_opd", "body"),
    ("kepala", "bkd"): ("kepala_opd", "any"), ("kepala", "bkpsdm"): ("kepala_opd", "any"),
    ("kepala", "bkpp"): ("kepala_opd", "any"), ("kepala", "bkppd"): ("kepala_opd", "any"),
    ("kepala", "bkpsdmd"): ("kepala_opd", "any"), ("kepala", "inspektorat"): ("kepala_opd", "body"),
    ("inspektur",): ("kepala_opd", "body"), ("kepala", "opd"): ("kepala_opd", "any"),
    ("kepala", "satpol", "pp"): ("kepala_opd", "any"), ("kasatpol", "pp"): ("kepala_opd", "any"),
    ("kepala", "kesbangpol"): ("kepala_opd", "any"), ("kaban", "kesbangpol"): ("kepala_opd", "any"),
    ("camat",): ("camat", "kecamatan"),
    ("lurah",): ("lurah", "village"),
    ("kepala", "desa"): ("kepala_desa", "village"), ("kades",): ("kepala_desa", "village"),
    ("kepala", "kampung"): ("kepala_desa", "village"), ("kepala", "gampong"): ("kepala_desa", "village"),
    ("keuchik",): ("kepala_desa", "village"), ("geuchik",): ("kepala_desa", "village"),
    ("perbekel",): ("kepala_desa", "village"), ("hukum", "tua"): ("kepala_desa", "village"),
    ("kuwu",): ("kepala_desa", "village"), ("pambakal",): ("kepala_desa", "village"),
    # Titled people whose office the schema has no value for.
    ("wamendagri",): ("other", None), ("wakil", "menteri"): ("other", None), ("wamen",): ("other", None),
    ("wakil", "presiden"): ("other", None), ("wapres",): ("other", None),
    ("staf", "ahli"): ("other", "body"), ("tenaga", "ahli"): ("other", "body"), ("deputi",): ("other", "body"),
    ("asisten", "kasn"): ("other", None), ("asisten", "komisi", "asn"): ("other", None),
    ("wakil", "ketua", "kasn"): ("other", None),
    ("juru", "bicara"): ("other", "body"), ("jubir",): ("other", "body"),
    ("kabag",): ("other", "body"), ("kepala", "bagian"): ("other", "body"), ("kasubag",): ("other", "body"),
    ("koordinator", "divisi"): ("anggota_bawaslu", "body"), ("kordiv",): ("anggota_bawaslu", "body"),
    ("koodinator", "divisi"): ("anggota_bawaslu", "body"), ("kadiv",): ("anggota_bawaslu", "body"),
    ("koordinator", "bidang"): ("anggota_bawaslu", "body"),
    ("kapolri",): ("other", None), ("kapolda",): ("other", "any"), ("kapolres",): ("other", "any"),
    ("kapolresta",): ("other", "any"), ("kapolrestabes",): ("other", "any"), ("kapolsek",): ("other", "any"),
    ("wakapolri",): ("other", None), ("wakapolda",): ("other", "any"), ("wakapolres",): ("other", "any"),
    ("panglima", "tni"): ("other", None), ("pangdam",): ("other", "any"), ("danrem",): ("other", "any"),
    ("dandim",): ("other", "any"), ("danramil",): ("other", "any"),
    ("ketua", "kpu"): ("other", "any"), ("ketua", "dprd"): ("other", "any"),
    ("kepala", "kejaksaan"): ("other", "any"), ("kajari",): ("other", "any"), ("kajati",): ("other", "any"),
}

# "Koordinator Divisi ..." etc. is a Bawaslu office only when the body is an election supervisor.
BAWASLU_BODIES = frozenset({"bawaslu", "panwaslih", "panwaslu", "panwascam", "panwas"})

# Police and military ranks: a rank before a name marks a titled person ("Irjen X").
RANKS = frozenset({
    "jenderal", "jendral", "komjen", "irjen", "brigjen", "kombes", "kombespol", "akbp", "kompol", "akp", "iptu",
    "ipda", "aiptu", "aipda", "bripka", "brigpol", "briptu", "bripda", "laksamana", "marsekal", "letjen",
    "mayjen", "kolonel", "letkol", "mayor", "kapten", "lettu", "letda", "serma", "serka", "sertu", "pelda",
})

# Academic, professional and religious degrees, keyed without dots and case-folded.
DEGREE_KEYS = frozenset({
    "dr", "drs", "dra", "ir", "prof", "h", "hj", "kh", "ust", "ustadz", "hc", "drg", "dr(hc)",
    "se", "sh", "st", "sp", "ssos", "sip", "sag", "sag", "spd", "spdi", "shi", "sei", "skm", "skep", "ssi",
    "sstp", "sip", "stp", "sipem", "skom", "sikom", "sth", "ssn", "sos", "ssit", "sttp", "sk", "sked",
    "shut", "spt", "ssy", "sak", "sh", "ak", "ca", "cpa", "apt", "amd", "bsc", "ba", "msm", "sm",
    "msi", "map", "mm", "mh", "mhum", "mkes", "mkep", "mpd", "mpdi", "mag", "mt", "msc", "ma", "mba", "mp",
    "mpm", "mec", "mse", "mkn", "mhi", "msos", "mip", "mikom", "mpa", "mpp", "msp", "mtp", "ipm", "ipu",
    "phd", "ph", "llm", "mm", "dea", "sstpmsi", "mse", "mkm", "spog", "spa", "sppd", "mars", "me", "mkom",
    "sst", "ssthan", "sap", "mapmsi", "spsi", "skg", "sfarm", "mfarm", "spt", "mtr", "mcl",
})

# Words of agency and unit names ("Dinas Pemberdayaan Masyarakat dan Desa", "Divisi Penanganan
# Pelanggaran"): stripped from the start of the run that holds a name after a body title.
BODY_WORDS = frozenset({
    "pemerintahan", "perekonomian", "pembangunan", "kesejahteraan", "rakyat", "administrasi", "umum", "sosial",
    "pendidikan", "kesehatan", "kepegawaian", "daerah", "keuangan", "politik", "hukum", "informasi", "komunikasi",
    "informatika", "pengawasan", "pencegahan", "penindakan", "pelanggaran", "penanganan", "sengketa", "humas",
    "partisipasi", "masyarakat", "data", "organisasi", "sdm", "sumber", "daya", "manusia", "pengembangan",
    "perencanaan", "kependudukan", "pencatatan", "sipil", "pemberdayaan", "desa", "perempuan", "anak",
    "pariwisata", "perhubungan", "lingkungan", "hidup", "pertanian", "perikanan", "ketahanan", "pangan",
    "kebudayaan", "pemuda", "olahraga", "perdagangan", "perindustrian", "tenaga", "kerja", "transmigrasi",
    "kesatuan", "bangsa", "aparatur", "negara", "reformasi", "birokrasi", "otonomi", "pendapatan", "aset",
    "pekerjaan", "pelayanan", "terpadu", "penanaman", "modal", "satu", "pintu", "inspektorat", "perumahan",
    "kawasan", "permukiman", "penataan", "ruang", "statistik", "persandian", "perpustakaan", "kearsipan",
    "pengendalian", "diklat", "bencana", "penanggulangan", "linmas", "ketertiban", "keamanan", "teknis",
    "hubungan", "antar", "lembaga", "sekretariat", "bidang", "divisi", "bagian", "urusan", "deputi", "staf",
    "ahli", "biro", "direktorat", "kemendagri", "kementerian", "kemenpan", "rb", "ri", "bawaslu", "panwaslih",
    "panwaslu", "kasn", "bkn", "kpu", "pemkab", "pemkot", "pemko", "pemprov", "setda", "provinsi", "kabupaten",
    "kota", "pusat", "komisi", "asn", "dalam", "negeri", "luar", "i", "ii", "iii", "iv", "bkd", "bkpsdm",
    "kesbangpol", "dukcapil", "pppa", "pmd", "dpmd", "bpbd", "bappeda", "satpol", "pp", "investigasi",
    "penyelesaian", "publik", "protokol", "keprotokolan", "kerjasama", "kerja", "sama", "evaluasi",
    "pelaporan", "akuntabilitas", "kinerja", "mutasi", "promosi", "kinerja", "disiplin", "kesejahteraan",
})

# Words that precede an office title when it names a place, not a person ("Kantor Bupati X").
PLACE_BEFORE_TITLE = frozenset({
    "kantor", "gedung", "halaman", "aula", "ruang", "rumah", "pendopo", "pendapa", "rujab", "rumdin", "lapangan",
    "jalan", "jl", "jl.", "calon", "cabup", "cawabup", "bakal", "mantan", "eks", "para", "kandidat",
})

# Tokens that stop a name (lower-cased): function words and common verbs of reporting.
NAME_STOP_LOWER = frozenset({
    "dan", "serta", "yang", "di", "ke", "dari", "pada", "dalam", "bersama", "beserta", "saat", "ketika",
    "mengatakan", "menegaskan", "menyampaikan", "mengingatkan", "menjelaskan", "menyebut", "menyebutkan",
})


def is_degree(text: str) -> bool:
    """True for a degree token such as "S.STP", "M.Si.", "Dr", "H." (dots and case ignored)."""
    key = text.casefold().replace(".", "").replace(",", "").strip()
    return bool(key) and key in DEGREE_KEYS


def is_degree_chain(text: str) -> bool:
    """Degrees glued by punctuation, e.g. "MA.,Ph" or "S.Kep.,M.Kep"."""
    parts = [p for p in text.replace(",", " ").split() if p]
    return bool(parts) and all(is_degree(p) for p in parts)
