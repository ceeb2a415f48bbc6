"""Dateline leads of Indonesian news: "PEKANBARU (RIAUPOS.CO) -", "JAKARTA, KOMPAS.com -",
"REPUBLIKA.CO.ID, JAKARTA --", "Liputan6.com, Jakarta -", "VIVA.co.id -", "Jakarta -".

The lead stays in the text; its city and outlet tag are returned as metadata because
the city is a strong hint for region resolution.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The lead: up to ~80 characters before a dash separator at the start of the text.
_LEAD = re.compile(r"^\s*(?P<lead>[^\n]{2,80}?)\s+(?:-{1,2}|–|—)\s+\S")
_PAREN = re.compile(r"\(([^()]{2,40})\)")
_DOMAIN = re.compile(r"\b[\w-]+\.(?:co\.id|com|id|net|news|co|or\.id|go\.id)\b", re.IGNORECASE)
# A place name: one to four capitalised words ("Kota Bandung", "BANDAR LAMPUNG", "Pangkal Pinang").
_CITY = re.compile(r"^[A-Z][A-Za-z'’.]+(?:[ -][A-Z][A-Za-z'’.]+){0,3}$")
# Inner capitals mark an outlet name ("KompasOtomotif", "detikNews"), not a city.
_CAMEL = re.compile(r"[a-z][A-Z]")
_OUTLET_WORDS = re.compile(
    r"\b(?:news|antara|kompas|tribun|detik|okezone|viva|tempo|cnn|liputan6|times|pos|post)\b", re.IGNORECASE
)


@dataclass(frozen=True)
class Dateline:
    city: str | None
    outlet_tag: str | None
    lead: str  # the lead as written, without the dash


def _is_outlet(part: str) -> bool:
    return bool(_DOMAIN.search(part) or _CAMEL.search(part) or _OUTLET_WORDS.search(part))


# Capitalised words that open ordinary sentences, not datelines ("Presiden Joko Widodo - ...").
_NOT_PLACE = frozenset(
    [
        "presiden",
        "wakil",
        "bupati",
        "gubernur",
        "wali",
        "walikota",
        "menteri",
        "kepala",
        "ketua",
        "sekretaris",
        "kapolda",
        "kapolres",
        "kapolri",
        "panglima",
        "camat",
        "lurah",
        "pj",
        "pjs",
        "plt",
        "bapak",
        "ibu",
        "pak",
        "bu",
        "dr",
        "ir",
        "sang",
        "para",
    ]
)


def _city_name(part: str) -> str | None:
    part = part.strip(" ,.")
    if not _CITY.match(part) or len(part) > 40 or part.split()[0].lower() in _NOT_PLACE:
        return None
    # Datelines are often upper case: "PEKANBARU" -> "Pekanbaru".
    return part.title() if part.isupper() else part


def parse_dateline(text: str) -> Dateline | None:
    """The dateline at the start of ``text``, or None when the text has no dateline lead."""
    match = _LEAD.match(text)
    if not match:
        return None
    lead = match.group("lead").strip()
    tag = None
    paren = _PAREN.search(lead)
    if paren:
        tag = paren.group(1).strip()
        lead_rest = (lead[: paren.start()] + lead[paren.end() :]).strip(" ,")
    else:
        lead_rest = lead
    parts = [p.strip() for p in lead_rest.split(",") if p.strip()]
    if not parts or len(parts) > 2:
        return None
    city = None
    for part in parts:
        if tag is None and _is_outlet(part):
            tag = part
        elif city is None and (name := _city_name(part)):
            city = name
        elif tag is None and len(parts) == 2 and part == parts[1]:
            tag = part  # "Jakarta, Kontan" : the second part of "CITY, X" is the outlet
        else:
            return None  # something else: an ordinary sentence that happens to hold a dash
    if city is None and tag is None:
        return None
    return Dateline(city=city, outlet_tag=tag, lead=lead)
