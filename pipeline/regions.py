"""The Kemendagri region gazetteer bundled in ``pipeline/data/regions`` (MIT, see its LICENSE).

Pure loading and lookup; matching regions in text lives in ``pipeline.events``.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

REGIONS_DIR = Path(__file__).resolve().parent / "data" / "regions"
DECREE = "Kepmendagri 300.2.2-2138/2025 (amended by 300.2.2-2430/2025)"


@dataclass(frozen=True)
class RegionRow:
    code: str
    name: str
    level: str  # province | kabupaten | kota | kecamatan
    parent_code: str | None
    province_code: str


@dataclass(frozen=True)
class Alias:
    code: str
    alias: str
    kind: str
    level: str
    ambiguous: bool
    ambiguous_with: tuple[str, ...]
    note: str


def _read(name: str, directory: Path) -> list[dict[str, str]]:
    with (directory / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@lru_cache(maxsize=2)
def load_regions(directory: Path = REGIONS_DIR) -> dict[str, RegionRow]:
    """All provinces, kabupaten/kota and kecamatan, keyed by code."""
    rows: dict[str, RegionRow] = {}
    for r in _read("provinces.csv", directory):
        rows[r["code"]] = RegionRow(r["code"], r["name"], "province", None, r["code"])
    for r in _read("regencies.csv", directory):
        rows[r["code"]] = RegionRow(r["code"], r["name"], r["type"], r["province_code"], r["province_code"])
    for r in _read("districts.csv", directory):
        rows[r["code"]] = RegionRow(r["code"], r["name"], "kecamatan", r["regency_code"], r["province_code"])
    return rows


@lru_cache(maxsize=2)
def load_aliases(directory: Path = REGIONS_DIR) -> list[Alias]:
    return [
        Alias(
            code=r["code"],
            alias=r["alias"],
            kind=r["kind"],
            level=r["level"],
            ambiguous=r["ambiguous"] == "1",
            ambiguous_with=tuple(c for c in r["ambiguous_with"].split("|") if c),
            note=r["note"],
        )
        for r in _read("aliases.csv", directory)
    ]


_KEY_PUNCT = re.compile(r"[.\-/]")
_SPACES = re.compile(r"\s+")


def alias_key(text: str) -> str:
    """The gazetteer's match key: casefold, ``.``/``-``/``/`` to spaces, whitespace collapsed."""
    return _SPACES.sub(" ", _KEY_PUNCT.sub(" ", text.casefold())).strip()


def is_known_code(code: str) -> bool:
    return code in load_regions()
