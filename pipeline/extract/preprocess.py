"""Site-agnostic repairs of the HTML tree before trafilatura sees it.

Two patterns cost trafilatura most on Indonesian news pages:

* a lead paragraph written as bare text in a ``<div>``/``<span>`` before the first
  ``<p>`` ("<div><strong>Jakarta, KompasOtomotif</strong> – Tahun depan...<br><p>...")
  is dropped: ``wrap_loose_text`` puts such runs into ``<p>`` elements;
* lists of links to other stories ("Berita Terkait", "Terpopuler", "Index" boxes of
  "date + headline" items) are kept as if they were text: ``prune_link_blocks`` removes
  link-dense lists and blocks whose class/id names them as such.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree
from lxml.html import HtmlElement

BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "ul",
        "ol",
        "dl",
        "table",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "figure",
        "section",
        "article",
        "aside",
        "header",
        "footer",
        "nav",
        "form",
        "pre",
        "address",
        "main",
        "details",
    ]
)
# Containers where loose text may be the article's own prose.
_LOOSE_TEXT_PARENTS = frozenset(("div", "span", "td", "article", "section", "main"))
_MIN_LOOSE_WORDS = 8

# class/id words that name "other stories" boxes on Indonesian (and English) news sites.
_BOILERPLATE_NAME = re.compile(
    r"(?:^|[\s_-])(?:terkait|berita-?lain(?:nya)?|lainnya|terpopuler|populer|rekomendasi|baca-?juga|"
    r"bacajuga|read-?also|related|most-?popular|newsfeed|box-?news|recommend\w*|trending|latest-?news|"
    r"berita-?terbaru|indeks|share|social|comment|komentar|tags?)(?:$|[\s_-])",
    re.IGNORECASE,
)
_MIN_LIST_ITEMS = 3
_LINK_DENSITY = 0.5


def _words(text: str | None) -> int:
    return len(text.split()) if text else 0


def _new_paragraph(parts: list[Any], tag: str = "p") -> HtmlElement:
    """A <p> (or ``tag``) holding ``parts``: leading text (str) then inline elements with their tails."""
    p = etree.Element(tag)
    text = parts[0] if parts and isinstance(parts[0], str) else ""
    p.text = text
    for part in parts[1 if isinstance(parts[0], str) else 0 :]:
        p.append(part)
    return p


def _wrap_runs(element: HtmlElement) -> None:
    """Wrap runs of loose text and inline children of ``element`` into <p> elements."""
    # Paragraphs take the form of their siblings: trafilatura reads a container of <div>
    # paragraphs differently from one of <p>s, and a lone <p> among divs misleads it.
    wrapper = "p" if any(child.tag == "p" for child in element) else "div"
    runs: list[list[Any]] = []
    current: list[Any] = [element.text or ""]
    for child in list(element):
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag not in BLOCK_TAGS and _has_block_descendant(child):
            tag = "div"  # an inline wrapper around blocks (<span itemprop="articleBody"><div>...)
        if tag in BLOCK_TAGS or (tag == "br" and current and _run_ends_paragraph(child)):
            runs.append(current)
            current = [child.tail or ""]
            if tag == "br":
                element.remove(child)
                continue
            runs.append([child])
            child.tail = None
        else:
            current.append(child)
    runs.append(current)
    element.text = None
    for child in list(element):
        element.remove(child)
    for run in runs:
        if (
            len(run) == 1
            and not isinstance(run[0], str)
            and (run[0].tag in BLOCK_TAGS or _has_block_descendant(run[0]))
        ):
            element.append(run[0])
            continue
        if not _run_has_text(run):
            for part in run:
                if not isinstance(part, str):
                    element.append(part)  # keep inline elements (images, scripts) in place
            continue
        element.append(_new_paragraph(run, wrapper))


def _has_block_descendant(element: HtmlElement) -> bool:
    return any(isinstance(d.tag, str) and d.tag in BLOCK_TAGS for d in element.iterdescendants())


def _run_ends_paragraph(br: HtmlElement) -> bool:
    """A <br> followed by another <br> (blank line) ends a paragraph."""
    nxt = br.getnext()
    return (br.tail is None or not br.tail.strip()) and nxt is not None and nxt.tag == "br"


def _run_has_text(run: list[Any]) -> bool:
    words = 0
    for part in run:
        if isinstance(part, str):
            words += _words(part)
        else:
            words += _words(part.text_content() if hasattr(part, "text_content") else "") + _words(part.tail)
    return words > 0


def _loose_words(element: HtmlElement) -> int:
    words = _words(element.text)
    for child in element:
        words += _words(child.tail)
        if isinstance(child.tag, str) and child.tag in ("strong", "b", "em", "i", "a", "span", "font"):
            words += _words(child.text)
    return words


def wrap_loose_text(tree: HtmlElement) -> int:
    """Put bare text that sits beside block children into <p> elements; return how many parents changed."""
    changed = 0
    for element in tree.iter(*_LOOSE_TEXT_PARENTS):
        has_block_child = any(isinstance(c.tag, str) and c.tag in BLOCK_TAGS for c in element)
        has_break = any(c.tag == "br" for c in element)
        if not (has_block_child or has_break):
            continue
        if _loose_words(element) < _MIN_LOOSE_WORDS:
            continue
        _wrap_runs(element)
        changed += 1
    return changed


def _link_density(element: HtmlElement) -> float:
    total = len(element.text_content().split())
    if not total:
        return 0.0
    linked = sum(len(a.text_content().split()) for a in element.iter("a"))
    return linked / total


def _names(element: HtmlElement) -> str:
    return f"{element.get('class', '')} {element.get('id', '')}"


def prune_link_blocks(tree: HtmlElement) -> int:
    """Remove lists of links to other stories; return how many elements were removed."""
    doomed = []
    for element in tree.iter("ul", "ol"):
        items = [li for li in element if li.tag == "li"]
        if len(items) >= _MIN_LIST_ITEMS and _link_density(element) >= _LINK_DENSITY:
            doomed.append(element)
    body = tree.find("body")
    for element in (body if body is not None else tree).iter("div", "section", "aside", "ul", "nav"):
        names = _names(element)
        if names.strip() and _BOILERPLATE_NAME.search(names) and _link_density(element) >= _LINK_DENSITY:
            doomed.append(element)
    removed = 0
    for element in doomed:
        parent = element.getparent()
        if parent is not None:
            # keep the tail text: it belongs to the parent
            if element.tail and element.tail.strip():
                prev = element.getprevious()
                if prev is not None:
                    prev.tail = (prev.tail or "") + element.tail
                else:
                    parent.text = (parent.text or "") + element.tail
            parent.remove(element)
            removed += 1
    return removed


_TITLE_CLASS = re.compile(r"title|judul|headline", re.IGNORECASE)
_MAX_TEASER_WORDS = 80


def _is_linked_title(element: HtmlElement) -> bool:
    """A heading (or a "title" div) whose whole text is a link: the headline of another story."""
    if element.tag not in ("h2", "h3", "h4", "h5", "h6") and not (
        element.tag in ("div", "span") and _TITLE_CLASS.search(element.get("class", ""))
    ):
        return False
    text = " ".join(element.text_content().split())
    if len(text.split()) < 3:
        return False
    linked = " ".join(" ".join(a.text_content().split()) for a in element.iter("a"))
    return linked == text


def prune_teasers(tree: HtmlElement) -> int:
    """Remove teaser cards (linked headline + short summary) of other stories; return how many."""
    doomed = []
    for element in tree.iter("h2", "h3", "h4", "h5", "h6", "div", "span"):
        if not _is_linked_title(element):
            continue
        card = element.getparent()
        if card is None or card.tag in ("body", "html"):
            continue
        if _words(card.text_content()) <= _MAX_TEASER_WORDS:
            doomed.append(card)
    removed = 0
    for card in doomed:
        parent = card.getparent()
        if parent is not None:
            card.tail = None
            parent.remove(card)
            removed += 1
    return removed
