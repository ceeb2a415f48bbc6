"""Lexicon of Indonesian official titles: acting prefixes, offices, degrees, ranks.

Pure data plus tiny lookups, shared by the officials component and the scorer
(degree stripping).  Every entry is a general term of Indonesian public
administration, never a person or a place.
"""

from __future__ import annotations

from pipeline.events import lexicon

RULES_VERSION = "titles-0.1.0"

_LEX = lexicon.load()
_TITLES = "titles"


def _level(value: object) -> str | None:
    return None if value is None else str(value)


# Acting prefixes, lower-cased token sequences -> schema value.
ACTING: dict[tuple[str, ...], str] = {
    tuple(term.split()): acting for term, acting in _LEX.labels(_TITLES, "acting").items()
}

# Level of the jurisdiction that follows an office word (a hint for region resolution).
# None: the office is central (no jurisdiction) or its body name follows instead.
OFFICES: dict[tuple[str, ...], tuple[str, str | None]] = {
    tuple(e.term.split()): (str(e.attrs["office"]), _level(e.attrs.get("level")))
    for e in _LEX.entries(_TITLES, "offices")
}

# "Koordinator Divisi ..." etc. is a Bawaslu office only when the body is an election supervisor.
BAWASLU_BODIES = _LEX.word_set(_TITLES, "bawaslu_bodies")

# Police and military ranks: a rank before a name marks a titled person ("Irjen X").
RANKS = _LEX.word_set(_TITLES, "ranks")

# Academic, professional and religious degrees, keyed without dots and case-folded.
DEGREE_KEYS = _LEX.word_set(_TITLES, "degrees")

# Words of agency and unit names ("Dinas Pemberdayaan Masyarakat dan Desa", "Divisi Penanganan
# Pelanggaran"): stripped from the start of the run that holds a name after a body title.
BODY_WORDS = _LEX.word_set(_TITLES, "body_words")

# Words that precede an office title when it names a place, not a person ("Kantor Bupati X").
PLACE_BEFORE_TITLE = _LEX.word_set(_TITLES, "place_before_title")

# Tokens that stop a name (lower-cased): function words and common verbs of reporting.
NAME_STOP_LOWER = _LEX.word_set(_TITLES, "name_stop")


def is_degree(text: str) -> bool:
    """True for a degree token such as "S.STP", "M.Si.", "Dr", "H." (dots and case ignored)."""
    key = text.casefold().replace(".", "").replace(",", "").strip()
    return bool(key) and key in DEGREE_KEYS


def is_degree_chain(text: str) -> bool:
    """Degrees glued by punctuation, e.g. "MA.,Ph" or "S.Kep.,M.Kep"."""
    parts = [p for p in text.replace(",", " ").split() if p]
    return bool(parts) and all(is_degree(p) for p in parts)
