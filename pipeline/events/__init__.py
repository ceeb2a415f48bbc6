"""Event extraction: ArticleInput -> ArticleResult (relevance, events, provenance).

    extractor = EventExtractor()
    result = extractor.extract(ArticleInput(id="a", text="..."))
    for result in extractor.pipe(articles): ...

Irrelevant articles are rejected by a cheap regular-expression pre-filter
before any spaCy processing; the rest run through the pipeline built in
:mod:`pipeline.events.pipeline` and are assembled in :mod:`pipeline.events.assemble`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.logs import get_logger
from pipeline.schema import ArticleInput, ArticleResult

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from pipeline.events.relevance import RelevanceDecision
    from pipeline.settings import Settings

log = get_logger(__name__)

# The code of the rules; the vocabulary and the rule modules' versions are added as a fingerprint.
PIPELINE_VERSION_BASE = "netra-events 0.2.0"
# 6 hex digits: evidence.rule_version (String(40)) stores the whole pipeline version
FINGERPRINT_LENGTH = 6


def rules_fingerprint(lexicon_dir: Path | None = None) -> str:
    """A short hash of the lexicon files and each rule module's ``RULES_VERSION``: editing a
    lexicon entry or bumping a rule module changes it, so stored documents are re-extracted."""
    from pipeline.events import (
        assemble,
        counts,
        cues,
        dates,
        elections,
        event_types,
        learned,
        lexicon,
        officials,
        regions,
        relevance,
        sanctions,
        titles,
    )

    modules = (
        assemble,
        counts,
        cues,
        dates,
        elections,
        event_types,
        learned,
        officials,
        regions,
        relevance,
        sanctions,
        titles,
    )
    digest = hashlib.sha256(lexicon.content_hash(lexicon_dir or lexicon.LEXICON_DIR).encode())
    digest.update(f"events-learned={learned.model_version()};".encode())
    for module in modules:
        digest.update(f"{module.__name__}={module.RULES_VERSION};".encode())
    return digest.hexdigest()[:FINGERPRINT_LENGTH]


def events_version(lexicon_dir: Path | None = None) -> str:
    """``netra-events <base>+<fingerprint>`` (without the NER part)."""
    return f"{PIPELINE_VERSION_BASE}+{rules_fingerprint(lexicon_dir)}"


def _pipeline_version(ner_version: str | None) -> str:
    return events_version() + (f" / {ner_version}" if ner_version else " / no-ner")


def wants_ner(settings: Settings | None, use_ner: bool | None) -> bool:
    """``use_ner`` when given, else the settings' ``nlp.use_ner`` (``--no-ner``; default True)."""
    if use_ner is not None:
        return use_ner
    return settings.nlp.use_ner if settings is not None else True


def expected_pipeline_version(settings: Settings | None = None, use_ner: bool | None = None) -> str:
    """The ``pipeline_version`` an :class:`EventExtractor` built with these settings will stamp,
    read without building it (a nightly with nothing new to extract skips the ~9 s build).
    Raises ``NerModelMissing`` as the build would: no silent "no-ner" stamp."""
    if wants_ner(settings, use_ner):
        from pipeline.events.pipeline import ner_backend

        if ner_backend(settings) == "stanza":
            from pipeline.nlp.stanza_ner import stanza_version

            return _pipeline_version(stanza_version())
        from pipeline.nlp.ner_model import ner_version

        path = settings.nlp.ner_model if settings is not None else None
        return _pipeline_version(f"ner-id {ner_version(path)}")
    return _pipeline_version(None)


def __getattr__(name: str) -> str:
    if name == "PIPELINE_VERSION":  # computed on first use: it imports the rule modules
        return events_version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class ExtractionError(RuntimeError):
    """Extraction of one article failed; names the article so the batch can go on."""

    def __init__(self, article_id: str, cause: BaseException):
        super().__init__(f"event extraction failed for article {article_id!r}: {type(cause).__name__}: {cause}")
        self.article_id = article_id
        self.cause = cause


class EventExtractor:
    """The events stage: :class:`ArticleInput` in, :class:`ArticleResult` out."""

    def __init__(self, settings: Settings | None = None, use_ner: bool | None = None, use_learned: bool = True) -> None:
        """``use_ner`` None: the settings' ``nlp.use_ner``; a missing NER model raises ``NerModelMissing``."""
        from pipeline.events.pipeline import build_nlp

        built = build_nlp(settings, use_ner=wants_ner(settings, use_ner), use_learned=use_learned)
        self.nlp = built.nlp
        self.errors: list[ExtractionError] = []
        self.pipeline_version = _pipeline_version(built.ner_version)

    def _run(self, article: ArticleInput) -> tuple[Doc, RelevanceDecision]:
        from pipeline.events.spans import findings

        doc = self.nlp.make_doc(article.text)
        findings(doc).article = article
        doc = self.nlp(doc)
        decision = findings(doc).relevance
        assert decision is not None, "netra_relevance is the last component of pipeline.cfg"
        return doc, decision

    def extract(self, article: ArticleInput | Mapping[str, object]) -> ArticleResult:
        """One article -> ArticleResult; raises ExtractionError (with the id) on failure."""
        from pipeline.events.assemble import assemble
        from pipeline.events.relevance import prefilter

        article_id = article.id if isinstance(article, ArticleInput) else article.get("id")
        try:
            if not isinstance(article, ArticleInput):
                # a year or month alone ("2021") becomes ``published_partial`` (schema validator)
                article = ArticleInput.model_validate(dict(article))
            text_for_filter = f"{article.title or ''}\n{article.text}"
            if not prefilter(text_for_filter):
                return ArticleResult(
                    id=article.id, relevant=False, relevance_score=0.0, pipeline_version=self.pipeline_version
                )
            doc, decision = self._run(article)
            if not decision.relevant:
                return ArticleResult(
                    id=article.id,
                    relevant=False,
                    relevance_score=decision.score,
                    pipeline_version=self.pipeline_version,
                )
            return assemble(doc, article, decision, self.pipeline_version)
        except Exception as exc:  # one bad article must not stop a batch: the caller catches per record
            raise ExtractionError(str(article_id or "?"), exc) from exc

    def pipe(self, articles: Iterable[ArticleInput | Mapping[str, object]]) -> Iterator[ArticleResult]:
        """Results in input order. An article that fails is logged, kept in ``self.errors`` and
        skipped, so one bad record never stops the batch (use :meth:`pipe_safe` to see the gaps)."""
        for result, err in self.pipe_safe(articles):
            if err is None and result is not None:
                yield result
            elif err is not None:
                self.errors.append(err)

    def pipe_safe(
        self, articles: Iterable[ArticleInput | Mapping[str, object]]
    ) -> Iterator[tuple[ArticleResult | None, ExtractionError | None]]:
        """(result, None) or (None, error) per article; never raises for a single article."""
        for article in articles:
            try:
                yield self.extract(article), None
            except ExtractionError as err:
                log.warning("%s", err)
                yield None, err
