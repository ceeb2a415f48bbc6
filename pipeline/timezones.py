"""Indonesia's three time zones, and the calendar day of a timestamp in an article's own zone.

A timestamp is stored in UTC; the *day* of an article is the day where it was written:
WIB (UTC+7), WITA (UTC+8) or WIT (UTC+9). The zone comes from the page's own UTC offset
when that offset is one of the three, else from the regions of its source (province codes),
else WIB (Asia/Jakarta), where most outlets are. Indonesia has no daylight saving time, so
fixed offsets are exact.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta, timezone

WIB = timezone(timedelta(hours=7), "WIB")  # Asia/Jakarta, Asia/Pontianak
WITA = timezone(timedelta(hours=8), "WITA")  # Asia/Makassar
WIT = timezone(timedelta(hours=9), "WIT")  # Asia/Jayapura
DEFAULT_ZONE = WIB

_BY_OFFSET = {7 * 60: WIB, 8 * 60: WITA, 9 * 60: WIT}

# Province codes (Kemendagri) outside WIB: Bali, NTB, NTT, South/East/North Kalimantan and
# Sulawesi keep WITA; Maluku, North Maluku and the Papuan provinces keep WIT.
_WITA_PROVINCES = {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}
_WIT_PROVINCES = {"81", "82", "91", "92", "93", "94", "95", "96", "97"}


def offset_minutes(value: datetime | None) -> int | None:
    """The UTC offset of an aware timestamp in minutes (None for naive or missing)."""
    if value is None or value.utcoffset() is None:
        return None
    offset = value.utcoffset()
    assert offset is not None
    return int(offset.total_seconds() // 60)


def zone_for_offset(minutes: int | None) -> timezone | None:
    """WIB/WITA/WIT for an offset of +07:00/+08:00/+09:00; None for any other (UTC says nothing)."""
    return _BY_OFFSET.get(minutes) if minutes is not None else None


def zone_for_region(code: str) -> timezone:
    province = code.split(".")[0]
    if province in _WITA_PROVINCES:
        return WITA
    if province in _WIT_PROVINCES:
        return WIT
    return WIB


def zone_for_regions(codes: Iterable[str]) -> timezone | None:
    """The zone most of ``codes`` lie in (None for no codes)."""
    zones = Counter(zone_for_region(code) for code in codes if code)
    if not zones:
        return None
    return max(zones, key=lambda z: (zones[z], z is DEFAULT_ZONE))


def article_zone(offset: int | None, regions: Iterable[str] = ()) -> timezone:
    """The article's zone: the page's offset if Indonesian, else its source's regions, else WIB."""
    return zone_for_offset(offset) or zone_for_regions(regions) or DEFAULT_ZONE


def local_date(value: datetime | None, offset: int | None = None, regions: Iterable[str] = ()) -> date | None:
    """The calendar day of ``value`` in the article's zone (a naive ``value`` is taken as UTC)."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(article_zone(offset, regions)).date()
