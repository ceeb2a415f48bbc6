"""Typed inputs and outputs of incident linking: events in, incident assignments with scored links out."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class EventToLink:
    """One stored event to link, with what linking compares.

    ``event_id`` is unique and stable (e.g. ``"<document id>#<event index>"``); ``text`` is what text
    similarity reads (the article's title and body; the evidence sentences when the text is not at hand).
    ``date`` is ISO at ``date_precision`` (``day`` | ``month`` | ``year``) or ``None``; ``published`` is the
    article's publication date (ISO, possibly only ``YYYY-MM`` or ``YYYY``) or ``None``.
    ``stage`` is the case step of a sanction event (``recommended``, ``imposed`` ...), ``None`` otherwise.
    """

    event_id: str
    document_id: str
    type: str
    date: str | None = None
    date_precision: str | None = None
    published: str | None = None
    regions: tuple[str, ...] = ()
    officials: tuple[str, ...] = ()
    text: str = ""
    outlet: str | None = None
    stage: str | None = None


@dataclass(frozen=True)
class ExistingIncident:
    """An incident already stored: its stable id and the events it holds."""

    incident_id: int
    members: tuple[EventToLink, ...]


@dataclass(frozen=True)
class LinkReasons:
    """Why two events were judged one happening (kept with the link as provenance)."""

    shared_officials: tuple[str, ...]
    shared_regions: tuple[str, ...]
    date: str
    """How the dates agree: ``"same day"``, ``"within 2024-03"``, ``"publication window"`` ..."""
    text_similarity: float


@dataclass(frozen=True)
class Link:
    """A scored pair of events of different documents that passed the threshold."""

    event_a: str
    event_b: str
    score: float
    reasons: LinkReasons


@dataclass(frozen=True)
class Merge:
    """Two incidents became one: ``old_id`` now resolves to ``new_id`` (the older, smaller id survives)."""

    old_id: int
    new_id: int
    bridge_event: str
    """The new event whose links joined them."""


@dataclass
class LinkResult:
    """What a batch did: each new event's incident, the incidents created, joined and merged, and the links."""

    assignments: dict[str, int] = field(default_factory=dict)
    """event id -> incident id, for every event of the batch."""
    new_incidents: list[int] = field(default_factory=list)
    joins: list[tuple[str, int]] = field(default_factory=list)
    """(new event id, existing incident id it joined), after merges."""
    merges: list[Merge] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    comparisons: int = 0
    """Candidate pairs scored (what blocking let through)."""
    next_id: int = 1
    """The id the next new incident will get."""

    def resolve(self, incident_id: int) -> int:
        """The id an old incident id now goes by (following the merges of this batch)."""
        mapping = {m.old_id: m.new_id for m in self.merges}
        while incident_id in mapping:
            incident_id = mapping[incident_id]
        return incident_id
