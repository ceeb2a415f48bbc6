"""The extractor: HTML (bytes or text) -> ``ExtractedPage``.

trafilatura does the work; around it, Netra adds what Indonesian news needs:

1. charset check for mislabelled pages (``encoding``);
2. tree repairs before extraction (``preprocess``): loose lead text wrapped into
   paragraphs, link lists of other stories removed;
3. trafilatura in precision mode (with its fallbacks), without comments; if that
   yields almost nothing, a pass with default settings (``_choose``);
4. the Indonesian cleanup step (``cleanup``), dateline metadata (``dateline``),
   offline language id (``language``).

``plain_extract`` is trafilatura with default settings, the benchmark's reference.
"""

from __future__ import annotations

import copy
import re
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import trafilatura
from lxml.html import HtmlElement
from trafilatura.utils import load_html

from pipeline.extract import cleanup, preprocess
from pipeline.extract.dateline import parse_dateline
from pipeline.extract.encoding import decode_html
from pipeline.extract.language import detect_language
from pipeline.logs import get_logger

log = get_logger(__name__)

EXTRACTOR_NAME = "netra-trafilatura"
EXTRACTOR_VERSION = f"1+trafilatura-{trafilatura.__version__}+cleanup-{cleanup.CLEANUP_VERSION}"

DEFAULT_TIMEZONE = "Asia/Jakarta"
# When the precise pass keeps less than this share of the recall pass's words, the page
# layout fooled it (e.g. a photo story): take the recall pass.
_MIN_PRECISION_SHARE = 0.35
_MIN_WORDS = 15
_DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"
_HTML_LANG = re.compile(r"^([a-z]{2,3})\b", re.IGNORECASE)


class ExtractionError(ValueError):
    """The page has no extractable article text; the message says why."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


@dataclass
class ExtractedPage:
    text: str
    title: str | None = None
    author: str | None = None
    sitename: str | None = None
    canonical_url: str | None = None
    published: str | None = None  # ISO 8601 with timezone
    language: str | None = None
    dateline_city: str | None = None
    outlet_tag: str | None = None
    encoding: str | None = None
    extractor: str = EXTRACTOR_NAME
    extractor_version: str = EXTRACTOR_VERSION
    removed: dict[str, int] = field(default_factory=dict)  # cleanup rule -> count
    passes: str = "precision"  # which extraction pass was kept

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def plain_extract(html: bytes | str, url: str | None = None) -> str | None:
    """trafilatura.extract with its default settings (the reference for benchmarks)."""
    return trafilatura.extract(html, url=url)


def _run(tree: HtmlElement, url: str | None, **options: Any) -> dict[str, Any] | None:
    document = trafilatura.bare_extraction(
        tree,
        url=url,
        include_comments=False,
        include_tables=True,
        with_metadata=True,
        date_extraction_params={"extensive_search": True, "original_date": True, "outputformat": _DATE_FORMAT},
        **options,
    )
    if document is None:
        return None
    return document.as_dict() if hasattr(document, "as_dict") else dict(document)


def _word_count(result: dict[str, Any] | None) -> int:
    return len(((result or {}).get("text") or "").split())


def _choose(precise: dict[str, Any] | None, recall: dict[str, Any] | None) -> tuple[dict[str, Any] | None, str]:
    p, r = _word_count(precise), _word_count(recall)
    if p >= _MIN_WORDS and (r == 0 or p >= _MIN_PRECISION_SHARE * r):
        return precise, "precision"
    if r > p:
        return recall, "default"
    return precise, "precision"


def iso_date(value: str | None, timezone: str = DEFAULT_TIMEZONE) -> str | None:
    """An ISO 8601 timestamp with offset; naive values are taken as local time of ``timezone``."""
    if not value:
        return None
    for fmt in (_DATE_FORMAT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"):
        try:
            parsed = datetime.strptime(value, fmt)
            break
        except ValueError:
            continue
    else:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=ZoneInfo(timezone))
    return parsed.isoformat()


def _html_lang(tree: HtmlElement) -> str | None:
    match = _HTML_LANG.match(tree.get("lang") or tree.get("xml:lang") or "")
    return match.group(1).lower() if match else None


def parse_tree(html: bytes | str, content_type: str | None = None) -> tuple[HtmlElement, str | None]:
    """Decode and parse; raises ExtractionError for input that is not usable HTML."""
    encoding = None
    if isinstance(html, bytes):
        if not html.strip():
            raise ExtractionError("empty")
        if html.count(b"\x00") > len(html) // 100:
            raise ExtractionError("binary")
        decoded = decode_html(html, content_type)
        html, encoding = decoded.text, decoded.encoding
    if not html.strip():
        raise ExtractionError("empty")
    tree = load_html(html)
    if tree is None:
        raise ExtractionError("unparsable")
    return tree, encoding


def extract_page(
    html: bytes | str,
    url: str | None = None,
    content_type: str | None = None,
    timezone: str = DEFAULT_TIMEZONE,
) -> ExtractedPage:
    """Extract the article of one page; raises ExtractionError when there is none."""
    tree, encoding = parse_tree(html, content_type)
    html_lang = _html_lang(tree)
    preprocess.prune_link_blocks(tree)
    preprocess.prune_teasers(tree)
    preprocess.wrap_loose_text(tree)
    backup = copy.deepcopy(tree)  # trafilatura prunes the tree it is given
    # Precision mode, with trafilatura's own fallbacks (readability, jusText) when its main
    # extractor finds little; if even that is nearly empty (photo stories), default settings.
    result, kept = _run(tree, url, favor_precision=True, fast=False), "precision"
    if _word_count(result) < _MIN_WORDS:
        result, kept = _choose(result, _run(backup, url, fast=False))
    if result is None or not (result.get("text") or "").strip():
        raise ExtractionError("no_text")
    cleaned = cleanup.clean_text(result["text"])
    if not cleaned.text.strip():
        raise ExtractionError("no_text", "only boilerplate")
    dateline = parse_dateline(cleaned.text)
    language = detect_language(cleaned.text) or html_lang
    return ExtractedPage(
        text=cleaned.text,
        title=result.get("title"),
        author=result.get("author"),
        sitename=result.get("sitename"),
        canonical_url=result.get("url") or url,
        published=iso_date(result.get("date"), timezone),
        language=language,
        dateline_city=dateline.city if dateline else None,
        outlet_tag=dateline.outlet_tag if dateline else None,
        encoding=encoding,
        removed=dict(cleaned.removed),
        passes=kept,
    )
