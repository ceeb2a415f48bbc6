"""Copy a trained pipeline (spaCy ``model-best``) into ``models/ner-id``.

Only the pipeline files are copied (no ``model-last``, no checkpoints), the
``meta.json`` gets the project's name, version, licence and data sources, and
the model card template ``models/ner-id.card.md`` is copied to
``MODEL_CARD.md`` (its metrics are then filled in by
``python -m pipeline.nlp.ner_evaluate``).

Run ``python -m pipeline.nlp.ner_release --help``.
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
from pathlib import Path

from pipeline.logs import get_logger
from pipeline.settings import REPO_DIR

log = get_logger(__name__)

NER_VERSION = "0.4.0"
SOURCES = [
    {"name": "idner-news-2k", "url": "https://github.com/khairunnisaor/idner-news-2k", "license": "MIT"},
    {
        "name": "IndoNLU NERGrit",
        "url": "https://github.com/IndoNLP/indonlu",
        "license": "Apache-2.0 (NERGrit: attribution)",
    },
    {"name": "IndoNLU NERP", "url": "https://github.com/IndoNLP/indonlu", "license": "Apache-2.0"},
    {"name": "Netra silver officials sentences (templates + Kemendagri gazetteer)", "license": "MIT"},
]


def release(src: Path, dest: Path, card_template: Path | None, version: str = NER_VERSION) -> Path:
    if not (src / "meta.json").is_file():
        raise FileNotFoundError(f"{src} is not a spaCy pipeline (no meta.json)")
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(src, dest)
    meta_path = dest / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta.update(
        {
            "name": "netra_ner_id",
            "version": version,
            "description": "Indonesian NER (PER, ORG, LOC) for regional news about officials; CNN tok2vec, CPU.",
            "author": "Netra contributors",
            "license": "MIT",
            "sources": SOURCES,
        }
    )
    meta_path.write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if card_template is not None and card_template.is_file():
        shutil.copyfile(card_template, dest / "MODEL_CARD.md")
    log.info("released %s -> %s (version %s)", src, dest, version)
    return dest


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Copy spaCy model-best into models/ner-id with project metadata.")
    ap.add_argument("src", help="trained pipeline folder (e.g. data/processed/ner/train-out/model-best)")
    ap.add_argument("--dest", default=str(REPO_DIR / "models" / "ner-id"))
    ap.add_argument("--card-template", default=str(REPO_DIR / "models" / "ner-id.card.md"))
    ap.add_argument("--version", default=NER_VERSION)
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    release(Path(args.src), Path(args.dest), Path(args.card_template), args.version)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
