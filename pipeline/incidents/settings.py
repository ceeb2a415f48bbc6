"""Every threshold and weight of incident linking, in one place (the lead lifts this into the project settings).

The defaults were fitted on the training gold only (``python -m pipeline.incidents.calibrate``) and are
measured on dev and by a cross-validation split by cluster (docs/incidents.md).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LinkSettings:
    """How two events of different documents are judged to report the same happening.

    A candidate pair must pass the gates (same type and case step, compatible dates, different documents);
    its score is then ``text_weight * text + region_weight * regions + official_weight * officials`` (each
    part in [0, 1]) and the pair links when the score reaches ``link_threshold``.
    """

    # --- the score -----------------------------------------------------------------------------
    link_threshold: float = 0.5
    """A pair whose weighted score reaches this links (and joins or merges incidents)."""
    text_analyzer: str = "word"
    """What TF-IDF counts: ``word`` (unigrams and bigrams) or ``char_wb`` (character 3-5-grams in words)."""
    text_weight: float = 1.0
    """Weight of the TF-IDF cosine of the two articles' texts (title + body, or the evidence when no text)."""
    region_weight: float = 0.2
    """Weight of region overlap: 1 for a shared code, ``region_nested_credit`` for a region inside the other's."""
    region_nested_credit: float = 0.5
    """Credit of a region of one event that contains or lies inside a region of the other (``51`` and ``51.03``)."""
    official_weight: float = 0.2
    """Weight of official overlap: 1 when a name of one matches a name of the other (tokens a subset)."""
    min_text_similarity: float = 0.1
    """Below this cosine the pair never links, whatever it shares: two reports of a happening share words."""
    same_type_weight: float = 0.1
    """Bonus when both events have the same type (within a family, see ``type_families``)."""
    date_weight: float = 0.1
    """Weight of date agreement: 1 for the same day, 0.5 for overlapping coarser ranges, 0 for unknown dates."""

    # --- dates ---------------------------------------------------------------------------------
    date_slack_days: int = 1
    """Two dated events are compatible when their date ranges (a day, a month, a year) overlap within this slack:
    outlets resolve "Senin (17/7)" against different publication days."""
    undated_window_days: int = 7
    """An undated event happened within this many days before its article's publication date."""
    max_span_days: int = 62
    """A date range wider than this (a year-precision date) is narrowed to the publication window, when the
    article has a publication date, for blocking and compatibility."""

    # --- blocking ------------------------------------------------------------------------------
    bucket_days: int = 7
    """Candidate pairs share a time bucket of this many days (each event sits in every bucket its range touches)
    and a place key (a province of its regions or a token of an official's name); events without regions are
    compared with every event of their type in their buckets."""
    min_name_token: int = 4
    """Official name tokens shorter than this are not blocking keys (initials, 'Hj', short given names)."""

    undated_link: bool = True
    """An event with neither a date nor a publication date may link to events sharing a place key with it
    (its date is unknown, not different); with ``False`` it stays alone."""
    conflicting_date_min_text: float = 0.3
    """Two events whose own dates disagree may still link when their publication windows overlap and their
    texts are at least this similar (a rewrite of one story; extracted dates are noisy). Above 1: never."""

    # --- the steps of one case -----------------------------------------------------------------
    type_families: tuple[tuple[str, ...], ...] = (
        ("rakor", "pledge", "directive", "socialization", "monitoring"),
        ("violation",),
        ("sanction",),
    )
    """Types that may describe one happening. Outlets (and the extractor) call one gathering a rakor, a
    socialization or a pledge, and the directive given there a directive; the steps of a case (a violation
    found, a sanction) are never the same happening as anything else. One family per type: strict types."""
    separate_sanction_status: bool = True
    """A sanction recommended and the sanction imposed are separate happenings (separate incidents)."""


DEFAULT_SETTINGS = LinkSettings()
