"""Extraction stage: WARC records -> article text and metadata -> ``documents`` rows.

Modules, one per concern: ``warc`` (streaming reader), ``encoding`` (charsets),
``preprocess`` (tree repairs), ``core`` (the extractor), ``cleanup`` (Indonesian
boilerplate), ``dateline`` (dateline leads), ``language`` (offline language id),
``dedup`` (near-duplicates), ``parquet`` (export), ``process`` (the ``netra process`` run).
"""

from pipeline.extract.core import EXTRACTOR_NAME, EXTRACTOR_VERSION, ExtractedPage, ExtractionError, extract_page

__all__ = ["EXTRACTOR_NAME", "EXTRACTOR_VERSION", "ExtractedPage", "ExtractionError", "extract_page"]
