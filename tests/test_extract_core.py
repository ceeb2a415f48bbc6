"""The extractor on real pages: text quality against the fixture gold, metadata, robustness."""

import re
from collections import Counter

import pytest
import trafilatura
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.extract.core import ExtractionError, extract_page, iso_date
from tests.extract_warcs import gold_pages, page_bytes

PAGES = {p["file"]: p for p in gold_pages()}


def token_f1(pred: str, gold: str) -> float:
    p, g = Counter(re.findall(r"\w+", pred.lower())), Counter(re.findall(r"\w+", gold.lower()))
    tp = sum((p & g).values())
    if not tp:
        return 0.0
    precision, recall = tp / sum(p.values()), tp / sum(g.values())
    return 2 * precision * recall / (precision + recall)


def _page(prefix: str) -> dict:
    return next(p for name, p in PAGES.items() if name.startswith(prefix))


@pytest.mark.parametrize("prefix", [p["file"][:25] for p in gold_pages() if p["language"] == "id"])
def test_indonesian_pages_close_to_gold(prefix):
    page = _page(prefix)
    extracted = extract_page(page_bytes(page["file"]), url=page["url"])
    assert token_f1(extracted.text, page["gold_text"]) >= 0.9
    assert extracted.language == "id"


@pytest.mark.parametrize(
    "prefix",
    [
        "detik-google",  # lists of "other stories" that trafilatura keeps
        "kompas-merek",  # lead paragraph as bare text before the first <p>
        "viva-736460",  # lead as bare text inside <span itemprop=articleBody>
        "republika-o2zwha283",  # photo page with link lists
    ],
)
def test_beats_plain_trafilatura_where_it_fails(prefix):
    page = _page(prefix)
    html = page_bytes(page["file"])
    ours = token_f1(extract_page(html, url=page["url"]).text, page["gold_text"])
    plain = token_f1(trafilatura.extract(html) or "", page["gold_text"])
    assert ours > plain + 0.05


def test_metadata_of_an_antara_page():
    page = _page("antaranews-saat")
    extracted = extract_page(page_bytes(page["file"]), url=page["url"])
    assert extracted.title.startswith("Saat pengadilan pertemukan Brotoseno")
    assert extracted.published == "2017-05-15T18:43:56+07:00"
    assert (extracted.dateline_city, extracted.outlet_tag) == ("Jakarta", "ANTARA News")
    assert extracted.text.startswith("Jakarta (ANTARA News) -")  # the lead stays in the text
    assert extracted.extractor_version.startswith("1+trafilatura-")


def test_cleanup_applied_to_mediaindonesia():
    page = _page("mediaindonesia-kpk")
    extracted = extract_page(page_bytes(page["file"]), url=page["url"])
    assert "Baca juga" not in extracted.text
    assert "Copyright" not in extracted.text
    assert extracted.removed  # the rules that fired are reported


def test_english_page_is_recognised():
    page = _page("tempo-en")
    assert extract_page(page_bytes(page["file"]), url=page["url"]).language == "en"


def test_iso_date():
    assert iso_date("2016-02-23") == "2016-02-23T00:00:00+07:00"
    assert iso_date("2016-02-16T02:10:56+0000") == "2016-02-16T02:10:56+00:00"
    assert iso_date("not a date") is None


@pytest.mark.parametrize("payload", [b"", b"   \n", b"\x00\x01\x02" * 500, b"<html><body></body></html>"])
def test_bad_input_raises_extraction_error(payload):
    with pytest.raises(ExtractionError):
        extract_page(payload)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4000))
def test_random_bytes_never_crash(payload):
    try:
        page = extract_page(payload)
    except ExtractionError:
        return
    assert isinstance(page.text, str) and page.text.strip()


_tags = st.sampled_from(["div", "p", "span", "ul", "li", "a", "br", "strong", "article", "table", "td", "script"])
_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)


@st.composite
def random_html(draw, depth=0):
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        if depth < 4 and draw(st.booleans()):
            tag = draw(_tags)
            parts.append(
                f"<{tag} class='{draw(st.sampled_from(['', 'terkait', 'content', 'baca-juga']))}'>"
                f"{draw(random_html(depth + 1))}</{tag}>"
            )
        else:
            parts.append(draw(_text))
    return "".join(parts)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_html())
def test_random_html_never_crashes(body):
    for html in (f"<html><body>{body}</body></html>", body):
        try:
            extract_page(html)
            extract_page(html.encode("utf-8", "surrogatepass"))
        except ExtractionError:
            pass
