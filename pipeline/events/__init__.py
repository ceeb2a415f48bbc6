"""Event extraction: ArticleInput -> ArticleResult (relevance, events, provenance).

    extractor = EventExtractor()
    result = extractor.extract(ArticleInput(id="a", text="..."))
    for result in extractor.pipe(articles): ...

Irrelevant articles are rejected by a cheap regular-expression pre-filter
before any spaCy processing; the rest run through the pipeline built in
:mod:`pipeline.events.pipeline` and are assembled in :mod:`pipeline.events.assemble`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import Any

log = logging.getLogger(__name__)

PIPELINE_VERSION_BASE = "netra-events 0.2.0"


def _pipeline_version(ner_version: str | None) -> str:
    return PIPELINE_VERSION_BASE + (f" / {ner_version}" if ner_version else " / no-ner")


def expected_pipeline_version(settings: Any | None = None, use_ner: bool = True) -> str:
    """The ``pipeline_version`` an :class:`EventExtractor` built with these settings will stamp,
    read without building it (a nightly with nothing new to extract skips the ~9 s build)."""
    if use_ner:
        from pipeline.events.pipeline import ner_backend

        if ner_backend(settings) == "stanza":
            from pipeline.nlp.stanza_ner import stanza_version

            return _pipeline_version(stanza_version())
        from pipeline.nlp.ner_model import NerModelMissing, ner_version

        path = getattr(getattr(settings, "nlp", None), "ner_model", None)
        try:
            return _pipeline_version(f"ner-id {ner_version(path)}")
        except NerModelMissing:
            pass
    return _pipeline_version(None)


class ExtractionError(RuntimeError):
    """Extraction of one article failed; names the article so the batch can go on."""

    def __init__(self, article_id: str, cause: BaseException):
        super().__init__(f"event extraction failed for article {article_id!r}: {type(cause).__name__}: {cause}")
        self.article_id = article_id
        self.cause = cause


class EventExtractor:
    def __init__(self, settings: Any | None = None, use_ner: bool = True):
        from pipeline.events.pipeline import build_nlp

        built = build_nlp(settings, use_ner=use_ner)
        self.nlp = built.nlp
        self.missing_components = built.missing
        self.errors: list[ExtractionError] = []
        self.pipeline_version = _pipeline_version(built.ner_version)

    def _run(self, article) -> Any:
        from pipeline.events.relevance import RelevanceJudge

        doc = self.nlp.make_doc(article.text)
        doc.user_data["netra_meta"] = {
            "published": article.published, "published_partial": article.published_partial,
            "title": article.title, "dateline_city": article.dateline_city,
            "source_regions": list(article.source_regions), "id": article.id,
        }
        for _name, proc in self.nlp.pipeline:
            doc = proc(doc)
        if not hasattr(self, "_judge"):
            self._judge = RelevanceJudge(self.nlp)
        return doc, self._judge.decide(doc)

    def extract(self, article) -> Any:
        """One article -> ArticleResult; raises ExtractionError (with the id) on failure."""
        from pipeline.events.assemble import assemble
        from pipeline.events.relevance import prefilter
        from pipeline.schema import ArticleInput, ArticleResult

        article_id = getattr(article, "id", None) or (article.get("id") if isinstance(article, dict) else None) or "?"
        try:
            if not isinstance(article, ArticleInput):
                # a year or month alone ("2021") becomes ``published_partial`` (schema validator)
                article = ArticleInput.model_validate(dict(article))
            text_for_filter = f"{article.title or ''}\n{article.text}"
            if not prefilter(text_for_filter):
                return ArticleResult(id=article.id, relevant=False, relevance_score=0.0,
                                     pipeline_version=self.pipeline_version)
            doc, decision = self._run(article)
            if not decision.relevant:
                return ArticleResult(id=article.id, relevant=False, relevance_score=decision.score,
                                     pipeline_version=self.pipeline_version)
            return assemble(doc, article, decision, self.pipeline_version)
        except Exception as exc:  # one bad article must not stop a batch: the caller catches per record
            raise ExtractionError(str(article_id), exc) from exc

    def pipe(self, articles: Iterable[Any]) -> Iterator[Any]:
        """Results in input order. An article that fails is logged, kept in ``self.errors`` and
        skipped, so one bad record never stops the batch (use :meth:`pipe_safe` to see the gaps)."""
        for result, err in self.pipe_safe(articles):
            if err is None:
                yield result
            else:
                self.errors.append(err)

    def pipe_safe(self, articles: Iterable[Any]) -> Iterator[tuple[Any, ExtractionError | None]]:
        """(result, None) or (None, error) per article; never raises for a single article."""
        for article in articles:
            try:
                yield self.extract(article), None
            except ExtractionError as err:
                log.warning("%s", err)
                yield None, err


def extract_articles(articles: Iterable[Any], settings: Any | None = None) -> list[Any]:
    """Convenience: extract a batch, skipping (and logging) articles that fail."""
    extractor = EventExtractor(settings)
    return [r for r, err in extractor.pipe_safe(articles) if err is None]


PIPELINE_VERSION = PIPELINE_VERSION_BASE
