"""Typed records exchanged between the stages, and the public output contract.

The contract is ``event-schema.md`` (a copy lives in ``docs/event-schema.md``):
``ArticleResult.to_contract()`` emits exactly its fields.  Everything else on
these models (provenance, confidences, spans) is what the store keeps on top.
"""

from __future__ import annotations

import re
from datetime import date as Date
from datetime import datetime
from typing import Any, ClassVar, Literal
from urllib.parse import urljoin

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from pipeline.timezones import local_date, offset_minutes

EventType = Literal["rakor", "pledge", "directive", "socialization", "monitoring", "violation", "sanction"]
Subject = Literal["asn", "village", "tni", "polri", "other"]
Scope = Literal["national", "provincial", "regency", "district", "village"]
DatePrecision = Literal["day", "month", "year"]
Office = Literal[
    "presiden",
    "menteri",
    "mendagri",
    "menpan_rb",
    "dirjen",
    "dirjen_otda",
    "ketua_bawaslu",
    "anggota_bawaslu",
    "ketua_kasn",
    "kepala_bkn",
    "gubernur",
    "wakil_gubernur",
    "bupati",
    "wakil_bupati",
    "wali_kota",
    "wakil_wali_kota",
    "sekda",
    "asisten_sekda",
    "kepala_opd",
    "camat",
    "lurah",
    "kepala_desa",
    "other",
]
Acting = Literal["pj", "pjs", "plt", "plh"]
Role = Literal["leader", "speaker", "attendee", "organizer", "subject"]
SanctionKind = Literal[
    "teguran_lisan",
    "teguran_tertulis",
    "pernyataan_tidak_puas",
    "pemotongan_tunjangan_kinerja",
    "penurunan_jabatan",
    "pembebasan_dari_jabatan",
    "pemberhentian_dengan_hormat",
    "pemberhentian_tidak_dengan_hormat",
    "sanksi_moral",
    "pidana",
    "hukuman_disiplin",
    "sanksi",
    "penundaan_kenaikan_gaji_berkala",
    "penundaan_kenaikan_pangkat",
    "penurunan_pangkat",
]
SanctionStatus = Literal["mentioned", "threatened", "recommended", "imposed"]
ElectionKind = Literal["pilkada", "pemilu", "pilpres", "pileg", "pilkades"]

# The names of the slots the scorer and the store know about.
EVENT_TYPES: tuple[str, ...] = EventType.__args__  # type: ignore[attr-defined]
OFFICES: tuple[str, ...] = Office.__args__  # type: ignore[attr-defined]
SANCTION_KINDS: tuple[str, ...] = SanctionKind.__args__  # type: ignore[attr-defined]


class ArticleInput(BaseModel):
    """One input record of ``netra extract-text`` / ``ingest-text`` (and of processed documents)."""

    model_config = ConfigDict(extra="ignore")

    id: str = Field(min_length=1)
    text: str = Field(min_length=1)
    title: str | None = None
    url: str | None = None
    published: Date | None = None
    # Filled by the extraction stage when known: help region resolution.
    dateline_city: str | None = None
    source_regions: list[str] = Field(default_factory=list)

    @field_validator("text")
    @classmethod
    def _text_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("text is blank")
        return value

    # Set when ``published`` gave only a year or a month ("2021", "2021-05"): not a day to resolve
    # weekdays against, but the year still dates "(17/7)".
    published_partial: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _published_forms(cls, data: object) -> object:
        if not isinstance(data, dict) or not isinstance(data.get("published"), str):
            return data
        value = data["published"].strip()
        if re.fullmatch(r"\d{4}(-\d{2})?", value):
            return {**data, "published": None, "published_partial": value}
        if len(value) > 10 and value[4:5] == "-":
            # Full ISO timestamps ("2023-07-18T10:00:00+07:00"): only the date matters here.
            return {**data, "published": value[:10]}
        return data


class Provenance(BaseModel):
    """Where one extracted value comes from: the rule or model, and the text it rests on."""

    field: str  # e.g. "type", "date", "officials[0]", "sanctions[1]"
    rule: str  # rule or model id, e.g. "dates.numeric_paren" or "ner-id"
    version: str
    start: int | None = None  # character offsets into the document text
    end: int | None = None
    sentence: str | None = None
    confidence: float = 1.0


class Official(BaseModel):
    name: str
    office: Office | None = None
    acting: Acting | None = None
    region: str | None = None
    role: Role | None = None


class Sanction(BaseModel):
    kind: SanctionKind
    status: SanctionStatus = "mentioned"


class Election(BaseModel):
    kind: ElectionKind
    year: int | None = None


class Event(BaseModel):
    type: EventType
    subject: Subject = "asn"
    date: str | None = None  # YYYY-MM-DD, YYYY-MM or YYYY per date_precision
    date_precision: DatePrecision | None = None
    scope: Scope | None = None
    organizer: str | None = None
    venue: str | None = None
    regions: list[str] = Field(default_factory=list)
    elections: list[Election] = Field(default_factory=list)
    officials: list[Official] = Field(default_factory=list)
    sanctions: list[Sanction] = Field(default_factory=list)
    count: int | None = None
    evidence: list[str] = Field(default_factory=list)
    # Beyond the contract: kept in the store.
    confidence: float = 1.0
    provenance: list[Provenance] = Field(default_factory=list)

    CONTRACT_FIELDS: ClassVar[tuple[str, ...]] = (
        "type",
        "subject",
        "date",
        "date_precision",
        "scope",
        "organizer",
        "venue",
        "regions",
        "elections",
        "officials",
        "sanctions",
        "count",
        "evidence",
    )

    def to_contract(self) -> dict[str, Any]:
        return self.model_dump(include=set(self.CONTRACT_FIELDS))


class ArticleResult(BaseModel):
    """What event extraction returns for one article."""

    id: str
    relevant: bool
    events: list[Event] = Field(default_factory=list)
    relevance_score: float | None = None
    pipeline_version: str = ""

    def to_contract(self, provenance: bool = False) -> dict[str, Any]:
        record: dict[str, Any] = {"id": self.id, "relevant": self.relevant}
        events = []
        for event in self.events:
            item = event.to_contract()
            if provenance:
                item["confidence"] = event.confidence
                item["provenance"] = [p.model_dump() for p in event.provenance]
            events.append(item)
        record["events"] = events
        return record


class DocumentRecord(BaseModel):
    """One article document as the extraction stage hands it to the store."""

    doc_key: str = Field(min_length=1)  # stable id: an input id, or sha256 of the canonical URL
    url: str | None = None
    canonical_url: str | None = None
    source_name: str | None = None
    title: str | None = None
    author: str | None = None
    sitename: str | None = None
    published_at: datetime | None = None
    fetched_at: datetime | None = None
    content_sha256: str | None = None
    raw_ref: str | None = None  # "<warc path relative to the data dir>#<record offset>"
    extractor: str | None = None
    extractor_version: str | None = None
    language: str | None = None
    dateline_city: str | None = None
    outlet_tag: str | None = None
    text: str | None = None
    status: Literal["new", "extracted", "skipped", "failed", "duplicate"] = "new"
    status_reason: str | None = None
    duplicate_of_key: str | None = None  # doc_key of the first copy of a near-duplicate

    def to_article_input(self) -> ArticleInput:
        return ArticleInput(
            id=self.doc_key,
            text=self.text or "",
            title=self.title,
            url=self.canonical_url or self.url,
            published=local_date(self.published_at, offset_minutes(self.published_at)),
            dateline_city=self.dateline_city,
        )


def doc_key_for(url: str | None, ref: str) -> str:
    """A crawled document's key: sha256 of its canonical URL (re-crawls of a page update one
    document), else of its raw ref.  Shared by the crawler and the extraction stage."""
    import hashlib

    basis = url or ref
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()


_CANONICAL = [
    re.compile(rb"""<link\b[^>]*\brel=["']?canonical["']?[^>]*\bhref=["']([^"'>\s]+)""", re.IGNORECASE),
    re.compile(rb"""<link\b[^>]*\bhref=["']([^"'>\s]+)["'][^>]*\brel=["']?canonical\b""", re.IGNORECASE),
    re.compile(rb"""<meta\b[^>]*\bproperty=["']og:url["'][^>]*\bcontent=["']([^"'>\s]+)""", re.IGNORECASE),
]


def canonical_url(body: bytes, url: str) -> str:
    """The page's declared canonical URL (``<link rel=canonical>``, else ``og:url``), else ``url``.

    The one canonical-URL function: the crawler keys the document it records with it and
    the extraction stage keys the document it extracts from the same page with it
    (``doc_key_for``), so processing the WARC record later fills in the crawl's row
    instead of creating a second one.
    """
    head = body[:262144]
    for pattern in _CANONICAL:
        match = pattern.search(head)
        if match:
            found = match.group(1).decode("utf-8", "replace").replace("&amp;", "&")
            if found.startswith(("http://", "https://", "/")):
                return str(urljoin(url, found))
    return url
