"""The parts of a pair's judgement that need no corpus: date ranges, region overlap, official names."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from pipeline.incidents.settings import LinkSettings


@dataclass(frozen=True)
class DateRange:
    """The days an event may have happened on, and where the range comes from."""

    start: date
    end: date
    source: str  # "day" | "month" | "year" (the event's own date) | "publication window"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def partial_date_range(value: str | None, precision: str | None = None) -> tuple[date, date] | None:
    """``2024-03-05`` -> that day; ``2024-03`` -> the month; ``2024`` -> the year; anything else -> None.

    An explicit ``precision`` coarser than the value wins (``2024-03-05`` at ``month`` is March 2024).
    """
    if not value:
        return None
    parts = value.strip()[:10].split("-")
    try:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 and precision != "year" else None
        day = int(parts[2]) if len(parts) > 2 and month is not None and precision not in ("month", "year") else None
        if day is not None and month is not None:
            d = date(year, month, day)
            return d, d
        if month is not None:
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        return date(year, 1, 1), date(year, 12, 31)
    except (ValueError, IndexError):
        return None


def event_range(
    event_date: str | None, precision: str | None, published: str | None, settings: LinkSettings
) -> DateRange | None:
    """The range an event is compared on.

    A dated event uses its own date at its precision; a range wider than ``max_span_days`` (a year) is
    narrowed to the publication window when that overlaps it. An undated event falls back to the
    ``undated_window_days`` before publication. No date and no publication date: ``None`` (never linked).
    """
    own = partial_date_range(event_date, precision)
    pub = partial_date_range(published)
    window = None
    if pub is not None:
        window = (pub[0] - timedelta(days=settings.undated_window_days), pub[1])
    if own is not None:
        source = {1: "day"}.get((own[1] - own[0]).days + 1, "month" if (own[1] - own[0]).days < 31 else "year")
        if (own[1] - own[0]).days + 1 > settings.max_span_days and window is not None:
            start, end = max(own[0], window[0]), min(own[1], window[1])
            if start <= end:
                return DateRange(start, end, f"{source} narrowed to publication window")
        return DateRange(own[0], own[1], source)
    if window is not None:
        return DateRange(window[0], window[1], "publication window")
    return None


def publication_window(published: str | None, settings: LinkSettings) -> DateRange | None:
    """The ``undated_window_days`` before publication (the days a reported happening most likely fell on)."""
    pub = partial_date_range(published)
    if pub is None:
        return None
    return DateRange(pub[0] - timedelta(days=settings.undated_window_days), pub[1], "publication window")


def dates_agree(a: DateRange, b: DateRange, settings: LinkSettings) -> str | None:
    """How two ranges agree (a reason), or ``None`` when they are too far apart to be one happening."""
    slack = timedelta(days=settings.date_slack_days)
    if a.start > b.end + slack or b.start > a.end + slack:
        return None
    if a.source == b.source == "day":
        return "same day" if a.start == b.start else f"{abs((a.start - b.start).days)} day apart"
    if "publication window" in (a.source, b.source):
        return "publication windows overlap"
    return f"{a.source} and {b.source} overlap"


def _contains(outer: str, inner: str) -> bool:
    return inner.startswith(outer + ".")


def region_overlap(a: tuple[str, ...], b: tuple[str, ...], settings: LinkSettings) -> tuple[float, tuple[str, ...]]:
    """1 with the shared codes; ``region_nested_credit`` when a region of one lies inside one of the other."""
    shared = sorted(set(a) & set(b))
    if shared:
        return 1.0, tuple(shared)
    nested = sorted({y if _contains(x, y) else x for x in a for y in b if _contains(x, y) or _contains(y, x)})
    if nested:
        return settings.region_nested_credit, tuple(nested)
    return 0.0, ()


_TOKEN = re.compile(r"\w+")


def name_tokens(name: str) -> frozenset[str]:
    """Case-folded word tokens of a name, one-letter initials dropped."""
    return frozenset(t for t in _TOKEN.findall(name.casefold()) if len(t) > 1)


def shared_officials(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    """Names of ``a`` that match a name of ``b`` (one's tokens a subset of the other's, as the scorer does)."""
    tokens_b = [name_tokens(n) for n in b]
    shared = []
    for name in a:
        ta = name_tokens(name)
        if ta and any(tb and (ta <= tb or tb <= ta) for tb in tokens_b):
            shared.append(name)
    return tuple(shared)
