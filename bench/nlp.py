"""Benchmark event extraction on one core: relevant articles/s, next to spaCy blank tokenization.

    python bench/nlp.py [--repeat 3] [--no-ner]

Uses the development gold inputs (tests/fixtures/gold): relevant articles run the full
extraction; irrelevant ones measure the cost of the pre-filter path.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import spacy  # noqa: E402

from pipeline.events import EventExtractor  # noqa: E402
from pipeline.events.relevance import prefilter  # noqa: E402

GOLD = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "gold"


def _read(name: str) -> list[dict]:
    return [json.loads(x) for x in (GOLD / name).read_text(encoding="utf-8").splitlines() if x.strip()]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-ner", action="store_true")
    args = ap.parse_args()
    inputs = _read("seeds.input.jsonl") + _read("dev.input.jsonl")
    gold = {r["id"]: r["relevant"] for r in _read("seeds.jsonl") + _read("dev.jsonl")}
    relevant = [r for r in inputs if gold[r["id"]]]
    irrelevant = [r for r in inputs if not gold[r["id"]]]
    words = statistics.mean(len(r["text"].split()) for r in relevant)
    extractor = EventExtractor(use_ner=not args.no_ner)
    blank = spacy.blank("id")
    for r in relevant[:3]:
        extractor.extract(r)  # warm up

    def rate(fn, items):
        best = 0.0
        for _ in range(args.repeat):
            t = time.perf_counter()
            for r in items:
                fn(r)
            best = max(best, len(items) / (time.perf_counter() - t))
        return best

    full = rate(extractor.extract, relevant)
    rules_only = None
    if not args.no_ner:
        rules = EventExtractor(use_ner=False)
        rules.extract(relevant[0])
        rules_only = rate(rules.extract, relevant)
    tok = rate(lambda r: blank(r["text"]), relevant)
    rejected = [r for r in irrelevant if not prefilter(f"{r.get('title') or ''}\n{r['text']}")]
    t = time.perf_counter()
    for _ in range(args.repeat):
        for r in rejected:
            extractor.extract(r)
    pre_ms = (time.perf_counter() - t) / max(1, len(rejected) * args.repeat) * 1000
    t = time.perf_counter()
    for r in irrelevant:
        extractor.extract(r)
    irr_ms = (time.perf_counter() - t) / max(1, len(irrelevant)) * 1000
    print(f"pipeline: {extractor.pipeline_version}")
    print(f"relevant articles: {len(relevant)} (mean {words:.0f} words)")
    print(f"full extraction:        {full:8.1f} articles/s = {full * words:,.0f} words/s"
          f" = {full * words / 500:.1f} articles/s of 500 words (goal >= 20)")
    if rules_only is not None:
        print(f"  the same without NER: {rules_only:8.1f} articles/s (the NER's share: {1 - full / rules_only:.0%})")
    print(f"spacy.blank('id') only: {tok:8.1f} articles/s")
    print(f"irrelevant, rejected by pre-filter ({len(rejected)}/{len(irrelevant)}): {pre_ms:.3f} ms/article")
    print(f"irrelevant, all ({len(irrelevant)}): {irr_ms:.2f} ms/article")


if __name__ == "__main__":
    main()
