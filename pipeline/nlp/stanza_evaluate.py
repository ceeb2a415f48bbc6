"""Evaluate ``models/stanza-id`` exactly as ``models/ner-id`` and write the metrics into its card.

The scoring, speed and officials checks are :mod:`pipeline.nlp.ner_evaluate`'s, applied to the
Stanza backend's spaCy pipeline (``spacy.blank("id")`` + ``netra_stanza_ner``), so the two models'
numbers are comparable: each corpus's held-out test split, words/s on one core, official names of
the gold article sets found as exact PER spans.

Run ``python -m pipeline.nlp.stanza_evaluate --help``.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
from pathlib import Path
from typing import Any

from pipeline.logs import get_logger
from pipeline.settings import REPO_DIR

log = get_logger(__name__)

CORPORA = ("idner", "nergrit", "nerp", "yusufs")


def evaluate(model: Path, data_dir: Path, corpora: tuple[str, ...] = CORPORA) -> dict[str, Any]:
    from pipeline.nlp.ner_evaluate import evaluate_pipeline
    from pipeline.nlp.stanza_ner import build_stanza_nlp

    return evaluate_pipeline(build_stanza_nlp(model), model, data_dir, corpora)


def main(argv: list[str] | None = None) -> int:
    # one core for the speed measurement (before torch/numpy are imported)
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    from pipeline.nlp.ner_common import resolve_data_dir
    from pipeline.nlp.ner_evaluate import render, update_card

    ap = argparse.ArgumentParser(description="Evaluate the Stanza NER model on the corpora test splits.")
    ap.add_argument("--model", default=str(REPO_DIR / "models" / "stanza-id"))
    ap.add_argument("--data", help="NER corpora folder (default: $NETRA_NER_DATA or ../shared/data/ner)")
    ap.add_argument("--no-card", action="store_true", help="only print the metrics")
    ap.add_argument("--json", help="also write the metrics as JSON here")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    import torch

    torch.set_num_threads(1)
    model = Path(args.model)
    metrics = evaluate(model, resolve_data_dir(args.data))
    block = render(metrics)
    print(block)
    for k, v in metrics["officials"].items():
        print(f"{k}: missed {v['missed']}; headline PER {v['headline_PER']}")
    if args.json:
        Path(args.json).write_text(json.dumps(metrics, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if not args.no_card:
        update_card(model / "MODEL_CARD.md", block)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
