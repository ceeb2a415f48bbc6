"""Silver NER sentences about officials, made from hand-written templates.

Why: the public corpora are 2010-2014 national news and Wikipedia text.  They
rarely show the way regional news names an official -- an office title, a
region, honorifics and academic degrees around the name ("Penjabat (Pj) Wali
Kota X NAME SSTP MAP", "Kapolres X AKBP NAME SIK") -- and they have no Title
Case headlines full of capitalised common words ("Sekda Ingatkan Kepala Desa
Jaga Netralitas").  These silver sentences teach both.

How the sentences are made (and nothing else goes into them):

* **names** are PER spans taken from the *training* sentences handed in by
  :func:`pipeline.nlp.ner_corpora.build` (idner-news-2k train, NERGrit train
  and NERP train after the leak-free de-duplication; NERP names are
  title-cased).  Only spans of 1-4 alphabetic tokens are used;
* **regions** come from the Kemendagri gazetteer CSVs (``provinces.csv``,
  ``regencies.csv``, ``districts.csv``; default ``../shared/data/regions``,
  override with ``regions_dir`` or ``NETRA_REGIONS_DATA``);
* **offices, ranks, honorifics, degrees, verbs and headline words** are the
  word lists written in this file;
* the sentence frames (``_frame_*`` functions below) were written for this
  module.  No gold file, seed article or test split is read.

Labelling conventions follow idner-news-2k: the person name alone is PER
(office titles, ranks, honorifics such as ``H``/``Drs``/``dr`` and degrees such
as ``SSTP``/``M.Si`` stay outside the span); a region right after an office
title is ``O`` ("Wali Kota Pekanbaru" is not a place mention); a region after
``di``/``ke`` is LOC; government bodies with a region ("Pemkab Sintang",
"Bawaslu Kota Solok") are ORG.  Every word of a generated headline that is not
a name is ``O``.

Each frame produces text plus character spans; the text is tokenized with
``spacy.blank("id")`` so that the tokens are exactly those seen at run time.
Sentences whose spans do not align with tokens are dropped.
"""

from __future__ import annotations

import csv
import os
import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, TypeVar

from spacy.language import Language

from pipeline.logs import get_logger
from pipeline.nlp.ner_common import Sentence, blank_nlp
from pipeline.settings import REPO_DIR

log = get_logger(__name__)

T = TypeVar("T")

DEFAULT_REGIONS = REPO_DIR.parent / "shared" / "data" / "regions"

# ---------------------------------------------------------------------------
# word lists

HEAD_TITLES = {  # region type -> (full title, short forms)
    "provinsi": ("Gubernur", ["Gubernur", "Gub"], "Wakil Gubernur", ["Wagub"]),
    "kabupaten": ("Bupati", ["Bupati"], "Wakil Bupati", ["Wabup"]),
    "kota": ("Wali Kota", ["Wali Kota", "Walikota", "Wako"], "Wakil Wali Kota", ["Wawako", "Wawali"]),
}
ACTING = [
    ("Penjabat (Pj)", "Pj"),
    ("Pj", "Pj"),
    ("Penjabat", "Pj"),
    ("Pelaksana Tugas (Plt)", "Plt"),
    ("Plt", "Plt"),
    ("Plt.", "Plt"),
    ("Penjabat Sementara (Pjs)", "Pjs"),
    ("Pjs", "Pjs"),
    ("Pejabat Sementara (Pjs)", "Pjs"),
    ("", ""),
    ("", ""),
    ("", ""),
]
REGIONAL_OFFICES = [
    "Sekretaris Daerah",
    "Sekda",
    "Sekdakab",
    "Sekdakot",
    "Sekdaprov",
    "Asisten I",
    "Asisten Pemerintahan",
    "Asisten Sekretaris Daerah Bidang Pemerintahan",
    "Kepala Badan Kepegawaian Daerah (BKD)",
    "Kepala BKD",
    "Kepala BKPSDM",
    "Kepala Dinas Kominfo",
    "Kadis Kominfo",
    "Kepala Dinas Pendidikan",
    "Kadisdik",
    "Kepala Bagian Pemerintahan",
    "Kabag Prokopim",
    "Kepala Satpol PP",
    "Kasatpol PP",
    "Inspektur",
    "Kepala Inspektorat",
    "Kepala Kesbangpol",
    "Kaban Kesbangpol",
    "Ketua DPRD",
    "Wakil Ketua DPRD",
    "Ketua Bawaslu",
    "Anggota Bawaslu",
    "Koordinator Divisi Pencegahan Bawaslu",
    "Ketua KPU",
    "Komisioner KPU",
    "Ketua Panwaslih",
    "Kepala Kantor Kemenag",
    "Kepala BPBD",
    "Kepala Bappeda",
]
DISTRICT_OFFICES = ["Camat", "Sekcam", "Ketua Panwascam", "Kapolsek", "Danramil"]
VILLAGE_OFFICES = ["Kepala Desa", "Kades", "Pj Kepala Desa", "Pj Kades", "Lurah", "Sekretaris Desa", "Ketua BPD"]
NATIONAL_OFFICES = [
    "Menteri Dalam Negeri",
    "Mendagri",
    "Menteri PANRB",
    "MenPAN-RB",
    "Ketua KASN",
    "Wakil Ketua KASN",
    "Kepala BKN",
    "Ketua Bawaslu RI",
    "Anggota Bawaslu RI",
    "Ketua KPU RI",
    "Dirjen Otonomi Daerah Kemendagri",
    "Dirjen Otda Kemendagri",
    "Dirjen Bina Administrasi Kewilayahan Kemendagri",
    "Sekjen Kemendagri",
    "Irjen Kemendagri",
    "Deputi Bidang SDM Aparatur Kementerian PANRB",
    "Asisten Komisioner KASN",
    "Kapuspen Kemendagri",
    "Staf Khusus Mendagri",
    "Plt Kepala BKN",
    "Panglima TNI",
    "Kapolri",
]
POLICE = [  # (office with region slot, ranks)
    ("Kapolres {r}", ["AKBP", "AKBP", "Kombes Pol", "AKBP"]),
    ("Kapolresta {r}", ["Kombes Pol", "AKBP"]),
    ("Wakapolres {r}", ["Kompol", "AKBP"]),
    ("Kapolda {p}", ["Irjen Pol", "Irjen", "Brigjen Pol"]),
    ("Kabid Humas Polda {p}", ["Kombes Pol", "Kombes", "AKBP"]),
    ("Kasat Intelkam Polres {r}", ["AKP", "Iptu"]),
    ("Kapolsek {d}", ["AKP", "Iptu", "Ipda"]),
]
MILITARY = [
    ("Dandim {n}/{r}", ["Letkol Inf", "Letkol Arh", "Letkol Kav", "Letkol Czi", "Letkol Inf"]),
    ("Danrem {n}/{r}", ["Kolonel Inf", "Brigjen TNI", "Kolonel Arh"]),
    ("Pangdam {roman}/{r}", ["Mayjen TNI"]),
    ("Danramil {n}/{d}", ["Kapten Inf", "Mayor Inf", "Lettu Inf"]),
    ("Kasdim {n}/{r}", ["Mayor Inf", "Mayor Arh"]),
]
PREFIX_HON = [
    "H",
    "H",
    "H",
    "H.",
    "H.",
    "Hj",
    "Hj.",
    "Drs",
    "Drs.",
    "Dr",
    "Dr.",
    "dr",
    "dr.",
    "Ir",
    "Ir.",
    "Prof. Dr.",
    "KH",
    "Tgk",
    "Hajjah",
    "Dra.",
]
DEGREES = [
    "SSTP",
    "S.STP",
    "MAP",
    "M.AP",
    "M.Si",
    "MSi",
    "SH",
    "S.H.",
    "MH",
    "M.H.",
    "SE",
    "S.E.",
    "MM",
    "M.M.",
    "S.Sos",
    "S.Sos.",
    "S.Pd",
    "M.Pd",
    "ST",
    "MT",
    "S.IP",
    "SIP",
    "M.Kes",
    "SKM",
    "Ak",
    "S.Kom",
    "M.Kom",
    "Ph.D",
    "MBA",
    "S.Ag",
    "M.Ag",
    "SIK",
    "S.I.K.",
    "M.Han",
    "SP",
    "MP",
    "Sp.OG",
    "M.Sc",
    "S.Hut",
    "Lc",
    "MA",
    "S.Psi",
    "CPM",
]
SPEECH_VERBS = ["kata", "ujar", "ucap", "tutur", "tegas", "jelas", "ungkap", "imbuh", "sebut"]
REPORT_VERBS = [
    "mengatakan",
    "menegaskan",
    "mengingatkan",
    "mengimbau",
    "meminta",
    "menyampaikan",
    "menjelaskan",
    "mengungkapkan",
    "menekankan",
    "berharap",
]
ACTIONS = [
    "mengikuti rapat koordinasi pengawasan pemilu",
    "memimpin apel pagi",
    "membuka sosialisasi netralitas ASN",
    "menghadiri deklarasi netralitas ASN",
    "memimpin rapat koordinasi bersama kepala OPD",
    "melantik sejumlah pejabat eselon III",
    "menandatangani pakta integritas netralitas",
    "meninjau persiapan Pilkada",
    "menerima kunjungan Bawaslu",
    "memberikan arahan kepada para camat",
    "menghadiri rakor evaluasi kinerja",
    "membacakan ikrar netralitas",
    "menyerahkan SK PPPK",
    "mengunjungi kantor camat",
    "memimpin upacara peringatan Hari Kesadaran Nasional",
    # informal, prefix-less verbs as used in regional news
    "ingatkan ASN soal netralitas",
    "minta kepala desa netral",
    "tegaskan sanksi bagi ASN",
    "hadiri apel siaga",
    "buka sosialisasi pengawasan",
    "pimpin rapat evaluasi",
    "imbau perangkat desa tidak berpolitik",
]
CONTENT = [
    "ASN harus netral dalam Pilkada {y}",
    "ASN dilarang ikut kampanye",
    "seluruh ASN wajib menjaga netralitas",
    "kepala desa tidak boleh berpihak kepada pasangan calon",
    "pihaknya akan menindak ASN yang melanggar",
    "ASN jangan memberikan like atau komentar pada unggahan calon",
    "netralitas ASN harus dijaga jelang Pemilu {y}",
    "sanksi tegas menanti ASN yang terlibat politik praktis",
    "TNI dan Polri tetap netral pada Pemilu {y}",
    "pengawasan netralitas ASN diperketat",
    "laporan dugaan pelanggaran sudah diteruskan ke KASN",
    "ASN boleh memilih, tetapi tidak boleh berkampanye",
    "perangkat desa harus bersikap netral",
]
PLACES = [
    "Aula Kantor Bupati",
    "Aula Kantor Wali Kota",
    "Ruang Rapat Sekda",
    "Gedung DPRD",
    "Pendopo",
    "Aula Bappeda",
    "Auditorium Kantor Gubernur",
    "Lapangan Apel",
    "Balai Desa",
    "Kantor Camat",
    "Hotel Grand",
    "Aula Polres",
]
DAYS = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
MONTHS = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]
YEARS = ["2019", "2020", "2022", "2023", "2024", "2018", "2014"]
ROMAN = ["I", "II", "III", "IV", "V", "VI", "IX", "XII", "XIII", "XIV", "XVI", "XVII"]
ORG_BODIES = ["Pemkab", "Pemerintah Kabupaten", "Bawaslu Kabupaten", "KPU Kabupaten", "Polres", "DPRD Kabupaten"]
ORG_BODIES_KOTA = ["Pemkot", "Pemko", "Pemerintah Kota", "Bawaslu Kota", "KPU Kota", "Polresta", "DPRD Kota"]
ORG_BODIES_PROV = ["Pemprov", "Pemerintah Provinsi", "Bawaslu Provinsi", "KPU Provinsi", "Polda", "DPRD Provinsi"]
MEDIA = [
    "ANTARA",
    "SUARAMERDEKA.COM",
    "Kompas.com",
    "detikcom",
    "TRIBUNNEWS.COM",
    "BERITASATU",
    "SUMBAREL",
    "JPNN.com",
    "KALBARNEWS",
]

# Title Case headline vocabulary: capitalised common words that are NOT names.
HL_SUBJECT = [
    "Pj {short}",
    "Plt {short}",
    "Pjs {short}",
    "{short}",
    "Wakil {short}",
    "Sekda",
    "Pj Sekda",
    "Bawaslu",
    "Panwaslih",
    "KPU",
    "Kapolres",
    "Dandim",
    "Camat",
    "Kades",
    "Ratusan Kades",
    "Ribuan ASN",
    "ASN",
    "Ratusan ASN",
    "Kepala OPD",
    "Pemkab",
    "Pemkot",
    "Pemprov",
    "KASN",
    "Mendagri",
    "Inspektorat",
    "Satpol PP",
    "Perangkat Desa",
    "Pejabat Eselon",
]
HL_VERB = [
    "Hadiri",
    "Ingatkan",
    "Tegaskan",
    "Imbau",
    "Minta",
    "Buka",
    "Pimpin",
    "Gelar",
    "Lantik",
    "Sosialisasikan",
    "Pantau",
    "Awasi",
    "Warning",
    "Kumpulkan",
    "Teken",
    "Ajak",
    "Wanti-wanti",
    "Serukan",
    "Terima",
    "Kunjungi",
    "Evaluasi",
    "Bahas",
    "Soroti",
    "Tekankan",
    "Cek",
    "Panggil",
    "Periksa",
    "Sanksi",
    "Copot",
    "Mutasi",
]
HL_OBJECT = [
    "Netralitas ASN",
    "ASN Tetap Netral",
    "Apel Siaga",
    "Pengawasan Kampanye",
    "Deklarasi Netralitas",
    "Ikrar Netral",
    "Rapat Koordinasi",
    "Pakta Integritas",
    "Sosialisasi Pengawasan Partisipatif",
    "Kades Tidak Berpolitik Praktis",
    "Pelanggaran Netralitas",
    "Kampanye di Media Sosial",
    "Gerakan Nasional Netralitas",
    "Evaluasi Kinerja",
    "Apel Gabungan",
    "Persiapan Pilkada",
    "Tahapan Pemilu",
    "Kepala Desa Nakal",
    "Oknum ASN",
    "Camat dan Lurah",
    "Seluruh Kepala OPD",
    "Rakor Forkopimda",
    "Surat Edaran Netralitas",
    "Bimtek Pengawasan",
    "Netralitas TNI-Polri",
    "Peserta Pemilu",
]
HL_TAIL = [
    "",
    "",
    "",
    "Jelang Pilkada {y}",
    "Jelang Pemilu {y}",
    "di Pilkada {y}",
    "Saat Apel Pagi",
    "dalam Rakor",
    "Tetap Netral",
    "Wajib Netral",
    "Jangan Berpolitik",
    "Hari Ini",
    "di Aula Kantor Bupati",
    "Lewat Surat Edaran",
    "Bersama Forkopimda",
    "Usai Dilantik",
    "Terancam Sanksi",
]
CAPTION_HEADS = [
    "Suasana rapat koordinasi",
    "Foto bersama usai apel",
    "Suasana Apel",
    "Peserta Rakor",
    "Suasana Sosialisasi",
    "Para Kepala OPD",
    "Suasana Deklarasi",
    "Rapat Koordinasi (Rakor)",
    "Apel Gabungan",
]
CAPTION_PLACES = [
    "Aula Lantai {n} Kantor Bupati",
    "Aula Lantai {n} Kantor Wali Kota",
    "Ruang Rapat Lantai {n}",
    "Gedung Serbaguna",
    "Aula Utama Kantor Gubernur",
    "Ruang Pola Kantor Bupati",
    "Auditorium Kantor Wali Kota",
    "Balairung Kantor Wali Kota",
    "Aula Sekretariat Daerah",
    "Lapangan Upacara Kantor Bupati",
]


# ---------------------------------------------------------------------------
# gazetteer


@dataclass
class Regions:
    provinces: list[str]
    kabupaten: list[str]  # bare names ("Sintang")
    kota: list[str]  # bare names ("Pekanbaru")
    districts: list[str]

    def region(self, rng: random.Random) -> tuple[str, str]:
        """-> (region type, bare name)."""
        r = rng.random()
        if r < 0.15:
            return "provinsi", rng.choice(self.provinces)
        if r < 0.45:
            return "kota", rng.choice(self.kota)
        return "kabupaten", rng.choice(self.kabupaten)


def resolve_regions_dir(arg: str | os.PathLike[str] | None = None) -> Path:
    if arg:
        return Path(arg)
    from pipeline.settings import load_settings

    configured = load_settings().nlp.regions_data
    if configured is not None:
        return configured
    for cand in (DEFAULT_REGIONS, REPO_DIR / "pipeline" / "data" / "regions"):
        if (cand / "regencies.csv").exists():
            return cand
    return DEFAULT_REGIONS


def load_regions(regions_dir: Path | None = None) -> Regions:
    d = resolve_regions_dir(regions_dir)
    with open(d / "provinces.csv", encoding="utf-8") as f:
        provinces = [row["name"] for row in csv.DictReader(f)]
    kab: list[str] = []
    kota: list[str] = []
    with open(d / "regencies.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            name = re.sub(r"^(Kabupaten|Kota)\s+(Administrasi\s+)?", "", row["name"]).strip()
            (kota if row["type"] == "kota" else kab).append(name)
    with open(d / "districts.csv", encoding="utf-8") as f:
        districts = [row["name"] for row in csv.DictReader(f)]

    # a handful of names with slashes or parentheses are awkward in templates
    def clean(xs: Iterable[str]) -> list[str]:
        return sorted({x for x in xs if re.fullmatch(r"[A-Za-z][A-Za-z .'-]*", x)})

    return Regions(clean(provinces), clean(kab), clean(kota), clean(districts))


# ---------------------------------------------------------------------------
# names


def collect_names(train: Iterable[Sentence], max_tokens: int = 4) -> list[str]:
    """PER spans of the training sentences, title-cased when lowercased."""
    names: set[str] = set()
    for s in train:
        i = 0
        while i < len(s.tags):
            if s.tags[i] == "B-PER":
                j = i + 1
                while j < len(s.tags) and s.tags[j] == "I-PER":
                    j += 1
                toks = s.tokens[i:j]
                if len(toks) <= max_tokens and all(re.fullmatch(r"[A-Za-z][A-Za-z'-]*", t) for t in toks):
                    if all(t.islower() for t in toks):
                        toks = [t[0].upper() + t[1:] for t in toks]
                    if all(t[0].isupper() for t in toks) and len("".join(toks)) >= 3:
                        names.add(" ".join(toks))
                i = j
            else:
                i += 1
    return sorted(names)


# ---------------------------------------------------------------------------
# sentence builder


class _B:
    """Accumulates text and entity character spans."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.len = 0
        self.spans: list[tuple[int, int, str]] = []

    def add(self, text: str, label: str | None = None, space: bool = True) -> _B:
        if not text:
            return self
        if self.parts and space:
            self.parts.append(" ")
            self.len += 1
        if label:
            self.spans.append((self.len, self.len + len(text), label))
        self.parts.append(text)
        self.len += len(text)
        return self

    def glue(self, text: str) -> _B:
        return self.add(text, space=False)

    @property
    def text(self) -> str:
        return "".join(self.parts)


class Generator:
    def __init__(
        self, names: list[str], regions: Regions, rng: random.Random, news_names: list[str] | None = None
    ) -> None:
        self.names = names
        self.multi = [n for n in names if " " in n] or names
        # names seen in Indonesian news (idner-news-2k, NERP) are preferred over
        # the encyclopedic NERGrit ones, which are often foreign
        self.news_names = news_names or names
        self.news_multi = [n for n in self.news_names if " " in n] or self.news_names
        self.regions = regions
        self.rng = rng

    # helpers ------------------------------------------------------------
    def name(self) -> str:
        news = self.rng.random() < 0.7
        multi = self.rng.random() < 0.45  # single names ("Muflihun") are common for officials
        pool = (self.news_multi if multi else self.news_names) if news else (self.multi if multi else self.names)
        return self.rng.choice(pool)

    def pick(self, xs: Sequence[T]) -> T:
        return self.rng.choice(xs)

    def degrees(self) -> list[str]:
        r = self.rng.random()
        if r < 0.45:
            return []
        k = 1 if r < 0.7 else 2 if r < 0.93 else 3
        return self.rng.sample(DEGREES, k)

    def person(self, b: _B, hon: float = 0.3) -> str:
        """Add [honorific] NAME [degrees]; the name alone is PER."""
        if self.rng.random() < hon:
            b.add(self.pick(PREFIX_HON))
        n = self.name()
        b.add(n, "PER")
        degs = self.degrees()
        if degs:
            if self.rng.random() < 0.5:
                for d in degs:
                    b.glue(",").add(d)
            else:
                for d in degs:
                    b.add(d)
        return n

    def year(self) -> str:
        return self.pick(YEARS)

    def date(self) -> str:
        r = self.rng.random()
        d, m = self.rng.randint(1, 28), self.rng.randint(1, 12)
        if r < 0.5:
            return f"{self.pick(DAYS)} ({d}/{m})"
        if r < 0.8:
            return f"{self.pick(DAYS)} ({d}/{m}/{self.year()})"
        return f"{self.pick(DAYS)}, {d} {self.pick(MONTHS)} {self.year()}"

    def office(self, b: _B) -> None:
        """An office with its region; the region is O (idner convention)."""
        typ, reg = self.regions.region(self.rng)
        full, shorts, vfull, vshort = HEAD_TITLES[typ]
        r = self.rng.random()
        if r < 0.45:
            acting_full, _acting_short = self.pick(ACTING)
            title = full if self.rng.random() < 0.6 else self.pick(shorts)
            b.add(acting_full).add(title)
            if typ == "kabupaten" and self.rng.random() < 0.3:
                b.add("Kabupaten")
            elif typ == "kota" and title == "Wali Kota" and self.rng.random() < 0.1:
                pass
            b.add(reg)
        elif r < 0.55:
            b.add(self.pick([vfull, *vshort])).add(reg)
        elif r < 0.75:
            b.add(self.pick(REGIONAL_OFFICES))
            b.add(self.pick(["Kabupaten", "Kota", "Provinsi", ""]) if typ != "provinsi" else "Provinsi").add(reg)
        elif r < 0.82:
            b.add(self.pick(DISTRICT_OFFICES)).add(self.pick(self.regions.districts))
        elif r < 0.9:
            b.add(self.pick(VILLAGE_OFFICES)).add(self.pick(self.regions.districts))
        else:
            b.add(self.pick(NATIONAL_OFFICES))

    def security_office(self, b: _B) -> None:
        _, reg = self.regions.region(self.rng)
        prov = self.pick(self.regions.provinces)
        dist = self.pick(self.regions.districts)
        if self.rng.random() < 0.55:
            tmpl, ranks = self.pick(POLICE)
        else:
            tmpl, ranks = self.pick(MILITARY)
        b.add(tmpl.format(r=reg, p=prov, d=dist, n=self.rng.randint(100, 1799), roman=self.pick(ROMAN)))
        b.add(self.pick(ranks))

    # frames --------------------------------------------------------------
    def frame_office_action(self) -> _B:
        b = _B()
        if self.rng.random() < 0.5:
            self.office(b)
        else:
            self.security_office(b)
        self.person(b)
        b.add(self.pick(ACTIONS))
        if self.rng.random() < 0.5:
            b.add(self.pick(["di", "bertempat di"])).add(self.pick(PLACES))
        if self.rng.random() < 0.6:
            b.glue(",").add(self.date())
        return b.glue(".")

    def frame_quote(self) -> _B:
        b = _B()
        c = self.pick(CONTENT).format(y=self.year())
        b.add('"' + c[0].upper() + c[1:] + ',"')
        b.add(self.pick(SPEECH_VERBS))
        if self.rng.random() < 0.6:
            if self.rng.random() < 0.7:
                self.office(b)
            else:
                self.security_office(b)
            if self.rng.random() < 0.5:
                b.glue(",")
        self.person(b, hon=0.2)
        if self.rng.random() < 0.5:
            b.glue(",").add(self.date())
        return b.glue(".")

    def frame_report(self) -> _B:
        b = _B()
        if self.rng.random() < 0.5:
            self.office(b)
            b.glue(",")
            self.person(b)
            b.glue(",")
        else:
            self.person(b, hon=0.2)
        b.add(self.pick(REPORT_VERBS)).add(self.pick(CONTENT).format(y=self.year()))
        return b.glue(".")

    def frame_accompanied(self) -> _B:
        b = _B()
        n = self.name().split()[0]
        b.add(n, "PER").add(self.pick(["yang didampingi", "didampingi", "bersama"]))
        self.office(b)
        self.person(b, hon=0.4)
        b.add("dan")
        self.office(b)
        self.person(b, hon=0.4)
        b.add(
            self.pick(
                [
                    "memberikan sambutan",
                    "membuka kegiatan",
                    "menyampaikan bahwa " + self.pick(CONTENT).format(y=self.year()),
                ]
            )
        )
        return b.glue(".")

    def frame_dateline(self) -> _B:
        b = _B()
        _typ, reg = self.regions.region(self.rng)
        b.add(reg.upper(), "LOC").add("(" + self.pick(MEDIA) + ")").add(self.pick(["-", "–", "--"]))
        inner = self.frame_office_action() if self.rng.random() < 0.6 else self.frame_report()
        off = b.len + 1
        b.add(inner.text)
        b.spans.extend((s + off, e + off, lab) for s, e, lab in inner.spans)
        return b

    def frame_body(self) -> _B:
        b = _B()
        typ, reg = self.regions.region(self.rng)
        org = {"kabupaten": ORG_BODIES, "kota": ORG_BODIES_KOTA, "provinsi": ORG_BODIES_PROV}[typ]
        r = self.rng.random()
        if r < 0.5:
            b.add(self.pick(["Seluruh ASN di lingkungan", "Ratusan ASN", "Para kepala OPD", "Rakor"]))
            b.add(f"{self.pick(org)} {reg}", "ORG")
            b.add(self.pick(["mengikuti apel netralitas", "diingatkan untuk tetap netral", "dihadiri para asisten"]))
            if self.rng.random() < 0.5:
                b.add("di").add(self.pick(PLACES)).add(reg)
        else:
            b.add(self.pick(["Kegiatan itu digelar di", "Apel berlangsung di", "Sosialisasi digelar di", "Warga"]))
            b.add(
                (self.pick(["Kabupaten", "Kota", "Kecamatan", ""]) + " " + reg).strip()
                if self.rng.random() < 0.5
                else reg,
                "LOC",
            )
            b.add(self.pick(["pada", "sejak", ""])).add(self.date())
        return b.glue(".")

    def frame_headline(self) -> _B:
        """A Title Case headline; only the optional person name is an entity."""
        b = _B()
        typ, reg = self.regions.region(self.rng)
        _, shorts, _, _ = HEAD_TITLES[typ]
        if self.rng.random() < 0.15:  # a related-article link
            b.add(self.pick(["Baca Juga:", "BACA JUGA:", "Berita Terkait:", "Baca juga :"]))
        subj = self.pick(HL_SUBJECT).format(short=self.pick(shorts))
        if self.rng.random() < 0.2:
            # "NAME Jabat Pj Sekda X": a name then a headline verb
            b.add(self.name(), "PER").add(
                self.pick(["Jabat", "Dilantik Jadi", "Resmi Jabat", "Ditunjuk Jadi", "Gantikan"])
            )
            b.add(self.pick(["Pj", "Plt", "Pjs", ""])).add(
                self.pick(["Sekda", "Bupati", "Wali Kota", "Kadis", "Gubernur"])
            ).add(reg)
            return b
        b.add(subj)
        if self.rng.random() < 0.5:
            b.add(reg)  # "Bupati Sintang": region after office is O
        if self.rng.random() < 0.4:
            b.add(self.name(), "PER")
        b.add(self.pick(HL_VERB)).add(self.pick(HL_OBJECT))
        tail = self.pick(HL_TAIL).format(y=self.year())
        b.add(tail)
        return b

    def frame_caption(self) -> _B:
        b = _B()
        _typ, reg = self.regions.region(self.rng)
        b.add(self.pick(["", "RAKOR -", "APEL -", "NETRAL -", "FOTO:", ""]))
        b.add(self.pick(CAPTION_HEADS))
        b.add(self.pick(["yang dilaksanakan di", "di", "bertempat di"]))
        b.add(self.pick(CAPTION_PLACES).format(n=self.rng.randint(1, 9)))
        b.add(reg)
        if self.rng.random() < 0.7:
            b.glue(",").add(self.date())
        b.glue(".")
        if self.rng.random() < 0.4:
            b.add(self.pick(["Foto: Diskominfo", "(Foto: Humas Pemkab", "Foto: Prokopim", "(Dok. Humas"]))
            b.add(reg).glue(self.pick(["-", ")", ""]))
        return b

    def frame_name_caption(self) -> _B:
        b = _B()
        self.office(b)
        b.add(self.name(), "PER")
        b.add(
            self.pick(["(Dok)", "(Foto: Humas)", "(Foto: Prokopim)", "saat memberikan arahan.", "(tengah).", "(kanan)"])
        )
        return b

    def frame_list(self) -> _B:
        """An enumeration of officials: "disaksikan Ketua X, NAME; Anggota Y, NAME; ..."."""
        b = _B()
        b.add(
            self.pick(
                [
                    "Kegiatan itu disaksikan",
                    "Hadir dalam kegiatan tersebut",
                    "Turut hadir",
                    "Penandatanganan disaksikan",
                    "Acara dihadiri",
                ]
            )
        )
        k = self.rng.randint(2, 4)
        sep = self.pick([";", ","])
        for i in range(k):
            if i and i == k - 1:
                b.add(self.pick(["serta", "dan"]))
            if self.rng.random() < 0.6:
                self.office(b)
            else:
                self.security_office(b)
            b.glue(",")
            if self.rng.random() < 0.35:  # single-word names are common in such lists
                b.add(self.name().split()[-1], "PER")
            else:
                self.person(b, hon=0.25)
            if i < k - 1:
                b.glue(sep)
        return b.glue(".")

    def frame_region_comma(self) -> _B:
        """ "Region - Pj Bupati Region, H NAME SE MM melalui Staf Ahli ..., NAME ..."""
        b = _B()
        _typ, reg = self.regions.region(self.rng)
        b.add(reg, "LOC").add(self.pick(["-", "–", ","]))
        self.office(b)
        b.glue(",")
        self.person(b, hon=0.5)
        if self.rng.random() < 0.5:
            b.add(self.pick(["melalui", "diwakili"])).add(self.pick(REGIONAL_OFFICES)).glue(",")
            self.person(b, hon=0.2)
        b.add(self.pick(ACTIONS))
        return b.glue(".")

    def frame_boilerplate(self) -> _B:
        """Web page furniture around articles: credits, copyright, share buttons."""
        b = _B()
        r = self.rng.random()
        if r < 0.35:
            b.add(self.pick(["Editor:", "Penulis:", "Reporter:", "Pewarta:", "Editor :", "Penulis :", "Redaktur:"]))
            b.add(self.name(), "PER")
            if self.rng.random() < 0.4:
                b.add(self.pick(["Editor:", "Editor :", "|"]))
                b.add(self.name(), "PER")
        elif r < 0.6:
            b.add(self.pick(["Copyright ©", "COPYRIGHT ©", "©", "Hak Cipta ©"])).add(self.year())
            b.add(self.pick(MEDIA)).add(
                self.pick(["All Rights Reserved", "ALL RIGHTS RESERVED", "Hak cipta dilindungi", ""])
            )
        else:
            b.add(
                self.pick(
                    [
                        "Bagikan:",
                        "Share:",
                        "Tags:",
                        "Tag:",
                        "Ikuti kami di Google News",
                        "Simak berita lainnya",
                        "Dapatkan update berita pilihan",
                        "Klik untuk berbagi",
                        "Kembali ke atas",
                        "Berita Terkini",
                        "Terpopuler",
                        "Komentar",
                        "Versi mobile",
                        "Versi Desktop",
                    ]
                )
            )
            if self.rng.random() < 0.5:
                b.add(
                    self.pick(
                        ["Facebook", "Twitter", "WhatsApp", "Telegram", "netralitas ASN", "Pilkada " + self.year()]
                    )
                )
        return b

    FRAMES: ClassVar[list[tuple[str, float]]] = [
        ("frame_boilerplate", 0.04),
        ("frame_list", 0.08),
        ("frame_region_comma", 0.06),
        ("frame_office_action", 0.22),
        ("frame_quote", 0.13),
        ("frame_report", 0.12),
        ("frame_accompanied", 0.06),
        ("frame_dateline", 0.08),
        ("frame_body", 0.07),
        ("frame_headline", 0.2),
        ("frame_caption", 0.07),
        ("frame_name_caption", 0.05),
    ]

    def sample(self) -> tuple[str, _B]:
        names, weights = zip(*self.FRAMES, strict=False)
        fn = self.rng.choices(names, weights=weights)[0]
        return fn, getattr(self, fn)()


def _to_sentence(nlp: Language, b: _B, frame: str) -> Sentence | None:
    import warnings

    from spacy.training import biluo_to_iob, offsets_to_biluo_tags

    text = re.sub(r"\s+", " ", b.text).strip()
    if text != b.text:  # collapsing spaces would shift offsets; rebuild cheaply
        return None
    doc = nlp.make_doc(text)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        biluo = offsets_to_biluo_tags(doc, b.spans, missing="O")
    if "-" in biluo:
        return None
    return Sentence([t.text for t in doc], biluo_to_iob(biluo), "silver", "train", {"frame": frame})


def generate_silver(
    train: list[Sentence],
    n: int = 3000,
    seed: int = 13,
    regions_dir: Path | None = None,
    names: list[str] | None = None,
) -> list[Sentence]:
    """``n`` silver sentences (deterministic for ``seed``); see module docstring."""
    nlp = blank_nlp()
    names = names if names is not None else collect_names(train)
    if not names:
        raise ValueError("no PER names found in the training sentences")
    news_names = collect_names([s for s in train if s.corpus in ("idner", "nerp")]) if train else None
    gen = Generator(names, load_regions(regions_dir), random.Random(seed), news_names=news_names)
    out: list[Sentence] = []
    tries = 0
    while len(out) < n and tries < n * 3:
        tries += 1
        frame, b = gen.sample()
        s = _to_sentence(nlp, b, frame)
        if s is not None:
            out.append(s)
    log.info("silver: %d sentences from %d names (%d tries)", len(out), len(names), tries)
    return out
