"""EventExtractor end to end on articles written for these tests: events, provenance, errors."""

import time

import pytest

from pipeline.events import PIPELINE_VERSION, EventExtractor, ExtractionError
from pipeline.schema import ArticleInput

ARTICLE = (
    "Pj Bupati Sintang Budi Santoso Ingatkan ASN Netral\n"
    "Penjabat (Pj) Bupati Sintang Budi Santoso memimpin rapat koordinasi netralitas ASN di aula kantor bupati. "
    "Dalam rapat itu Budi menegaskan seluruh ASN wajib menjaga netralitas pada Pilkada 2024. "
    "Ketua Bawaslu Kabupaten Sintang, Andi Wijaya, mengatakan pihaknya akan mengawasi ASN."
)


@pytest.fixture(scope="module")
def extractor():
    return EventExtractor(use_ner=False)


def test_relevant_article_becomes_a_rakor_with_officials(extractor):
    result = extractor.extract(ArticleInput(id="t1", text=ARTICLE))
    assert result.relevant
    assert result.pipeline_version.startswith(PIPELINE_VERSION)
    event = result.events[0]
    assert event.type == "rakor"
    assert event.subject == "asn"
    names = {o.name: o for o in event.officials}
    assert names["Budi Santoso"].office == "bupati" and names["Budi Santoso"].acting == "pj"
    assert names["Andi Wijaya"].office == "ketua_bawaslu"
    assert "61.05" in event.regions
    assert event.evidence and all(e in ARTICLE for e in event.evidence)


def test_provenance_offsets_point_into_the_text(extractor):
    result = extractor.extract(ArticleInput(id="t2", text=ARTICLE))
    provs = [p for e in result.events for p in e.provenance if p.start is not None]
    assert any(p.field.startswith("officials[") for p in provs)
    for p in provs:
        assert 0 <= p.start < p.end <= len(ARTICLE)
        assert p.rule and p.version
    off = next(p for p in provs if p.field == "officials[0]")
    assert "Budi Santoso" in ARTICLE[off.start : off.end]


def test_irrelevant_article_is_cheap_and_empty(extractor):
    text = "Harga cabai naik menjelang hari raya, kata pedagang di pasar. " * 60
    start = time.perf_counter()
    result = extractor.extract(ArticleInput(id="t3", text=text))
    assert time.perf_counter() - start < 0.05
    assert not result.relevant and result.events == []


def test_bad_record_raises_named_error_and_batch_goes_on(extractor):
    with pytest.raises(ExtractionError, match="bad-1"):
        extractor.extract({"id": "bad-1", "text": "   "})
    results = list(extractor.pipe([{"id": "bad-2", "text": ""}, ArticleInput(id="ok", text=ARTICLE)]))
    assert [r.id for r in results] == ["ok"]
    assert any(e.article_id == "bad-2" for e in extractor.errors)


def test_partial_publication_date_is_ignored(extractor):
    result = extractor.extract({"id": "y", "text": ARTICLE, "published": "2024"})
    assert result.relevant


def test_doc_text_is_built_once_per_document():
    import spacy

    from pipeline.events.spans import doc_text

    doc = spacy.blank("id")("Bupati  Sintang\nmembuka apel netralitas ASN.")
    assert doc_text(doc) == doc.text
    assert doc_text(doc) is doc_text(doc)
