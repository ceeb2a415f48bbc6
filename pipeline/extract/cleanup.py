"""Indonesian news cleanup: boilerplate that generic extraction lets through.

Each rule is a small pure function on one paragraph (line) or on the list of
paragraphs, so it can be tested on real snippets.  ``clean_text`` applies them all
and reports which rules fired (for provenance and for the benchmark).  Dateline
leads ("PEKANBARU (RIAUPOS.CO) - ...") are kept: they are part of the story and
help region resolution.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

CLEANUP_VERSION = "2"

_I = re.IGNORECASE

# "Baca juga: ...", "BACA JUGA :", "Simak juga:", "Lihat juga:", "Baca Selengkapnya:", "Artikel terkait:".
_READ_ALSO = re.compile(
    r"^\W*(?:baca|simak|lihat|tonton|saksikan)\s+(?:juga|pula|selengkapnya|berita\s+lainnya)\b\s*:?|"
    r"^\W*(?:artikel|berita)\s+(?:terkait|lainnya|pilihan)\s*:",
    _I,
)
# A photo caption line: "Foto: ...", "(Foto: ...)", "FOTO: ANTARA/...", "Ilustrasi foto: ...".
_CAPTION_LINE = re.compile(r"^\W{0,3}(?:ilustrasi\s*)?(?:foto|photo|grafis|video|ilustrasi)\s*:", _I)
# An inline parenthesised caption/credit: "(Foto: Antara/Rivan Awal)", "(FOTO ANTARA/Aditya)".
_CAPTION_INLINE = re.compile(r"\s*\((?:foto|photo|ilustrasi|dok|video)\b[^()]{0,160}\)", _I)
# Credits: "Editor: Andhika", "| Penulis | : Aditya Maulana |", "Pewarta: ...".
_CREDIT = re.compile(
    r"^[\s|]*(?:editor|penulis|reporter|pewarta|redaktur|penyunting|sumber|fotografer|kontributor|"
    r"laporan\s+wartawan|koresponden|redaksi)\b[\s|]*:",
    _I,
)
# A line that is only a timestamp: "Selasa, 23/02/2016 15:32 WIB", "Kamis, 5 November 2015 | 10:08".
_DATE_STAMP = re.compile(
    r"^\W*(?:senin|selasa|rabu|kamis|jum'?at|sabtu|minggu|ahad)\s*,?\s*\d{1,2}[\s/.-]+(?:\d{1,2}|[a-z]+)[\s/.-]+\d{2,4}"
    r"(?:\W+\d{1,2}[:.]\d{2}(?:[:.]\d{2})?)?\s*(?:wib|wita|wit)?\W*$",
    _I,
)
# Section labels and advertising contacts: "Foto Terkait", "Informasi pemasangan iklan", "hubungi : sales[at]...".
_LABEL = re.compile(
    r"^\W*(?:(?:foto|berita|artikel|video)\s+terkait|informasi\s+pemasangan\s+iklan|"
    r"hubungi\s*:\s*\S*(?:iklan|sales|\[at\]|@)\S*|advertisement|iklan)\W*$",
    _I,
)
# A closing signature of reporter initials alone on its line: "(rls/rfm)", "(ilo)", "(fyk/ash)", "(*)".
_SIGNATURE_LINE = re.compile(r"^\s*\((?:\*|[a-z]{2,5}(?:\s*/\s*[a-z*]{1,5}){0,3})\)\s*$")
# The same at the end of the last paragraph: "... kata dia. (ilo)".
_SIGNATURE_TAIL = re.compile(r"(?<=[.!?\"”'’])\s*\((?:\*|[a-z]{2,5}(?:\s*/\s*[a-z*]{1,5}){0,3})\)\s*$")
# Promotion of the outlet's channels: "Cek Berita dan Artikel yang lain di Google News".
_PROMO = re.compile(
    r"(?:^\W*(?:cek|ikuti|dapatkan|simak)\b.{0,80}\b(?:google\s+news|whatsapp|telegram|channel|saluran)\b)|"
    r"(?:\bdi\s+google\s+news\b)|(?:^\W*download\s+aplikasi\b)|(?:^\W*klik\s+(?:di\s*)?sini\b)",
    _I,
)
# Comment prompts and widget text.
_COMMENT = re.compile(
    r"^\W*(?:(?:berikan|tulis|beri|kirim|lihat|tampilkan)\s+komentar|komentar\s*(?:anda|\(\d+\))|"
    r"silakan\s+(?:login|masuk)\b.{0,40}\bkomentar|load\s+more|muat\s+lebih\s+banyak|"
    r"exit\s+mobile\s+version|bagikan\s+artikel|share\s+(?:this|artikel))\b",
    _I,
)
# Copyright footers: "COPYRIGHT © ANTARA News 2020", "Copyright @ 2025 Media Group", "Hak Cipta ...".
_COPYRIGHT = re.compile(r"^\W*(?:copyright|hak\s+cipta|©|\(c\))|all\s+rights\s+reserved|hak\s+cipta\s+dilindungi", _I)

MIN_REPEAT_WORDS = 8  # shorter paragraphs may legitimately repeat ("Ya.")


def is_read_also(line: str) -> bool:
    return bool(_READ_ALSO.search(line))


def is_caption(line: str) -> bool:
    return bool(_CAPTION_LINE.search(line))


def strip_inline_captions(line: str) -> str:
    return _CAPTION_INLINE.sub("", line)


def is_credit(line: str) -> bool:
    return bool(_CREDIT.search(line)) and len(line.split()) <= 15


def is_signature(line: str) -> bool:
    return bool(_SIGNATURE_LINE.match(line))


def strip_signature_tail(line: str) -> str:
    return _SIGNATURE_TAIL.sub("", line)


def is_promo(line: str) -> bool:
    return bool(_PROMO.search(line)) and len(line.split()) <= 25


def is_comment_prompt(line: str) -> bool:
    return bool(_COMMENT.search(line)) and len(line.split()) <= 12


def is_copyright(line: str) -> bool:
    return bool(_COPYRIGHT.search(line)) and len(line.split()) <= 20


def is_date_stamp(line: str) -> bool:
    return bool(_DATE_STAMP.match(line))


def is_label(line: str) -> bool:
    return bool(_LABEL.match(line))


def _norm(line: str) -> str:
    return " ".join(re.findall(r"\w+", line.lower()))


def drop_repeated(paragraphs: list[str]) -> list[str]:
    """Drop paragraphs that repeat an earlier one word for word (a body printed twice on a page)."""
    seen: set[str] = set()
    kept = []
    for paragraph in paragraphs:
        key = _norm(paragraph)
        if len(key.split()) >= MIN_REPEAT_WORDS:
            if key in seen:
                continue
            seen.add(key)
        kept.append(paragraph)
    return kept


LINE_RULES: tuple[tuple[str, Callable[[str], bool]], ...] = (
    ("read_also", is_read_also),
    ("caption", is_caption),
    ("credit", is_credit),
    ("signature", is_signature),
    ("promo", is_promo),
    ("comment_prompt", is_comment_prompt),
    ("copyright", is_copyright),
    ("date_stamp", is_date_stamp),
    ("label", is_label),
)


@dataclass
class Cleaned:
    text: str
    removed: Counter[str] = field(default_factory=Counter)  # rule name -> lines/spans removed


def clean_paragraphs(paragraphs: list[str]) -> Cleaned:
    removed: Counter[str] = Counter()
    kept: list[str] = []
    for raw in paragraphs:
        line = raw.strip()
        if not line:
            continue
        rule = next((name for name, test in LINE_RULES if test(line)), None)
        if rule:
            removed[rule] += 1
            continue
        stripped = strip_inline_captions(line)
        if stripped != line:
            removed["caption_inline"] += 1
            line = stripped.strip()
            if not line:
                continue
        kept.append(line)
    # Signatures close the story: only look at the end.
    if kept:
        tail = strip_signature_tail(kept[-1])
        if tail != kept[-1]:
            removed["signature"] += 1
            kept[-1] = tail
    deduped = drop_repeated(kept)
    if len(deduped) != len(kept):
        removed["repeated"] += len(kept) - len(deduped)
    return Cleaned("\n".join(deduped), removed)


def clean_text(text: str) -> Cleaned:
    """Apply every cleanup rule to ``text`` (paragraphs separated by newlines)."""
    return clean_paragraphs(text.split("\n"))
