"""Offline language identification by stopword ratios (no model download).

News text is long enough for function words to decide: Indonesian and Malay share
most of them, so a few spelling markers (karena/kerana, bisa/boleh, uang/wang)
separate the two.  Returns an ISO 639-1 code, or ``None`` when unsure.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W\d_]+")

STOPWORDS: dict[str, frozenset[str]] = {
    "id": frozenset(
        [
            "yang",
            "dan",
            "di",
            "ini",
            "itu",
            "dengan",
            "untuk",
            "dari",
            "dalam",
            "tidak",
            "akan",
            "pada",
            "juga",
            "ke",
            "karena",
            "tersebut",
            "bisa",
            "ada",
            "mereka",
            "oleh",
            "saat",
            "sudah",
            "telah",
            "kata",
            "atau",
            "seperti",
            "kami",
            "kita",
            "namun",
            "lebih",
            "menjadi",
            "bahwa",
            "hingga",
            "masih",
            "belum",
            "hanya",
            "sebagai",
            "setelah",
            "para",
            "harus",
            "sejak",
            "agar",
            "dapat",
            "ia",
            "adalah",
            "tahun",
        ]
    ),
    "ms": frozenset(
        [
            "yang",
            "dan",
            "di",
            "ini",
            "itu",
            "dengan",
            "untuk",
            "dari",
            "dalam",
            "tidak",
            "akan",
            "pada",
            "juga",
            "ke",
            "kerana",
            "tersebut",
            "boleh",
            "ada",
            "mereka",
            "oleh",
            "ketika",
            "sudah",
            "telah",
            "kata",
            "atau",
            "seperti",
            "kami",
            "kita",
            "namun",
            "lebih",
            "menjadi",
            "bahawa",
            "hingga",
            "masih",
            "belum",
            "hanya",
            "sebagai",
            "selepas",
            "para",
            "perlu",
            "sejak",
            "supaya",
            "dapat",
            "ia",
            "ialah",
            "tahun",
        ]
    ),
    "en": frozenset(
        [
            "the",
            "and",
            "of",
            "to",
            "in",
            "is",
            "that",
            "for",
            "it",
            "with",
            "as",
            "was",
            "on",
            "be",
            "by",
            "are",
            "this",
            "have",
            "from",
            "or",
            "at",
            "which",
            "an",
            "not",
            "but",
            "they",
            "has",
            "were",
            "their",
            "said",
            "would",
            "been",
            "will",
        ]
    ),
    "de": frozenset(
        [
            "der",
            "die",
            "das",
            "und",
            "ist",
            "nicht",
            "mit",
            "sich",
            "des",
            "auf",
            "für",
            "im",
            "dem",
            "den",
            "ein",
            "eine",
            "auch",
            "es",
            "von",
            "zu",
        ]
    ),
    "fr": frozenset(
        [
            "le",
            "la",
            "les",
            "et",
            "des",
            "est",
            "une",
            "dans",
            "que",
            "pour",
            "qui",
            "sur",
            "pas",
            "par",
            "au",
            "avec",
            "ce",
            "il",
            "sont",
            "du",
        ]
    ),
    "es": frozenset(
        [
            "el",
            "la",
            "los",
            "las",
            "y",
            "de",
            "que",
            "en",
            "un",
            "una",
            "por",
            "con",
            "para",
            "es",
            "se",
            "del",
            "al",
            "lo",
            "como",
            "más",
        ]
    ),
    "pt": frozenset(
        [
            "o",
            "a",
            "os",
            "as",
            "e",
            "de",
            "que",
            "em",
            "um",
            "uma",
            "para",
            "com",
            "não",
            "por",
            "se",
            "do",
            "da",
            "no",
            "na",
            "mais",
        ]
    ),
    "nl": frozenset(
        [
            "de",
            "het",
            "een",
            "en",
            "van",
            "is",
            "dat",
            "op",
            "te",
            "in",
            "voor",
            "niet",
            "met",
            "zijn",
            "er",
            "aan",
            "ook",
        ]
    ),
}
# Words that tell Indonesian from Malay: spelling and vocabulary that differ.
_ID_MARKERS = frozenset(
    ["karena", "bisa", "uang", "kantor", "polisi", "setelah", "bahwa", "adalah", "saat", "harus", "agar", "kabupaten"]
)
_MS_MARKERS = frozenset(
    ["kerana", "boleh", "wang", "pejabat", "polis", "selepas", "bahawa", "ialah", "ketika", "perlu", "supaya", "daerah"]
)

MIN_WORDS = 20
MIN_RATIO = 0.12


def word_list(text: str, limit: int = 3000) -> list[str]:
    return [w.lower() for w in _WORD.findall(text[: limit * 8])][:limit]


def detect_language(text: str) -> str | None:
    """The language of ``text`` ("id", "ms", "en", ...), or None if too short or unclear."""
    words = word_list(text)
    if len(words) < MIN_WORDS:
        return None
    scores = {lang: sum(w in stop for w in words) / len(words) for lang, stop in STOPWORDS.items()}
    best = max(scores, key=lambda name: scores[name])
    if scores[best] < MIN_RATIO:
        return None
    if best in ("id", "ms"):
        id_hits = sum(w in _ID_MARKERS for w in words)
        ms_hits = sum(w in _MS_MARKERS for w in words)
        # Malay only on clear evidence: short Indonesian texts may hold a word or two of it.
        return "ms" if ms_hits >= 3 and ms_hits > 2 * id_hits else "id"
    return best
