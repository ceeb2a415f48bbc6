"""Character encodings: HTTP header, then ``<meta>``, then a check for mislabelled pages.

Many Indonesian sites declare ``iso-8859-1`` but serve UTF-8 (kapanlagi does), so a
declared single-byte charset is not trusted when the bytes are valid UTF-8 with
non-ASCII characters: decoding them as latin-1 would turn "©" into "Â©".
charset_normalizer is asked only when neither the declaration nor UTF-8 works.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

_HTTP_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
# <meta charset="x"> and <meta http-equiv="Content-Type" content="text/html; charset=x">
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)
_META_SCAN_BYTES = 4096
_DETECT_SAMPLE_BYTES = 64 * 1024
# Single-byte charsets that UTF-8 pages are commonly mislabelled with.
WEB_ENCODINGS = (
    "utf_8",
    "cp1252",
    "iso8859_15",
    "cp1250",
    "iso8859_2",
    "cp1251",
    "koi8_r",
    "cp1253",
    "cp1254",
    "cp1256",
    "tis_620",
    "gb18030",
    "big5",
    "shift_jis",
    "euc_jp",
    "euc_kr",
)
_LEGACY_SINGLE_BYTE = {"latin-1", "iso8859-1", "cp1252", "ascii", "iso8859-15"}


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # the Python codec name used
    source: str  # http | meta | utf8-check | detected | fallback


def normalize_charset(label: str | None) -> str | None:
    """The Python codec name for a charset label, or None if unknown."""
    if not label:
        return None
    label = label.strip().lower()
    # WHATWG: browsers decode iso-8859-1 and us-ascii labels as windows-1252.
    if label in ("iso-8859-1", "iso8859-1", "latin1", "latin-1", "us-ascii", "ascii"):
        label = "cp1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def http_charset(content_type: str | None) -> str | None:
    """The charset of a ``Content-Type`` header value, normalized, or None."""
    if not content_type:
        return None
    match = _HTTP_CHARSET.search(content_type)
    return normalize_charset(match.group(1)) if match else None


def meta_charset(payload: bytes) -> str | None:
    """The charset declared in a ``<meta>`` tag near the start of the page, or None."""
    match = _META_CHARSET.search(payload[:_META_SCAN_BYTES])
    return normalize_charset(match.group(1).decode("ascii", "ignore")) if match else None


def _utf8(payload: bytes) -> str | None:
    try:
        return payload.decode("utf-8")
    except UnicodeDecodeError:
        return None


def decode_html(payload: bytes, content_type: str | None = None) -> Decoded:
    """Decode an HTML payload to text; never raises."""
    if payload.startswith(codecs.BOM_UTF8):
        return Decoded(payload[3:].decode("utf-8", "replace"), "utf-8", "bom")
    declared, source = http_charset(content_type), "http"
    if declared is None:
        declared, source = meta_charset(payload), "meta"
    if declared is not None:
        if declared in _LEGACY_SINGLE_BYTE or codecs.lookup(declared).name in _LEGACY_SINGLE_BYTE:
            text = _utf8(payload)
            if text is not None and not text.isascii():
                return Decoded(text, "utf-8", "utf8-check")
        try:
            return Decoded(payload.decode(declared), declared, source)
        except (UnicodeDecodeError, LookupError):
            pass  # mislabelled: detect below
    text = _utf8(payload)
    if text is not None:
        return Decoded(text, "utf-8", "utf8-check")
    # Restricted to encodings seen on the web: unrestricted, short latin-1 snippets are
    # "detected" as cp1006 or utf-16.
    best = from_bytes(payload[:_DETECT_SAMPLE_BYTES], cp_isolation=list(WEB_ENCODINGS)).best()
    if best is not None and best.encoding:
        try:
            return Decoded(payload.decode(best.encoding, "replace"), best.encoding, "detected")
        except LookupError:
            pass
    return Decoded(payload.decode("cp1252", "replace"), "cp1252", "fallback")
