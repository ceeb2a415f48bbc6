"""Train the learned components on ``train`` and ship them with a card of their cross-validated scores.

    python -m pipeline.events.train [--gold-dir DIR] [--dest models/events-learned]   (make train-events)

Fits ``official_check`` and ``official_role`` (:mod:`pipeline.events.learned`) on the rule
candidates of the train articles (labels: the gold officials they match), never on dev; writes
their JSON, ``meta.json`` and ``README.md`` (the card: train -> dev, the k-fold cross-validation
by cluster over train+dev and the ablation, from :mod:`pipeline.events.cv`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path

from pipeline.events import cv, learned
from pipeline.logs import get_logger
from pipeline.settings import REPO_DIR

log = get_logger(__name__)

VERSION = "0.1.0"
DEFAULT_DEST = REPO_DIR / "models" / learned.MODEL_NAME

CARD_HEAD = """# events-learned {version}

Learned components of the events pipeline (`pipeline/events/learned.py`, listed in
`pipeline/events/pipeline.cfg`): logistic regressions over the rule findings of officials.

* `official_check.json` — `netra_official_check`: is a candidate official of the title rules a
  person taking part? Candidates below the threshold ({threshold}) are dropped.
* `official_role.json` — `netra_official_role`: the official's role (leader, speaker, attendee,
  organizer, subject).

Training data: the rule candidates of the {n_train} train articles (`tests/fixtures/gold/train.*`),
labelled by the gold officials they match ({n_check} candidates, {n_role} with a gold role). No dev
article is in the shipped models. Features hold no word of a name (shape and lexicon class only):
gold names are labels, never weights. Seed {seed}, `pipeline/events/learned.cfg`.
Trained {date} with `make train-events` (about two minutes on two cores).

Reproduce: `make train-events` (fit + this card), `make cv-events` (the tables alone).
Scores: `netra eval` rules of `docs/event-schema.md`; CV = {folds} folds over train+dev grouped by gold
`cluster` (a cluster never straddles folds), pooled over the held-out folds; in the CV ablation the
mean F1 of the folds is in parentheses. The components stay in the pipeline because the CV shows
each better than the rules on its slot (officials, officials_office and roles; dev, which the rules
were fitted to, loses one point of officials to the check).

"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--gold-dir", type=Path, default=cv.GOLD_DIR)
    parser.add_argument("--config", type=Path, default=cv.TRAIN_CONFIG)
    parser.add_argument("--dest", type=Path, default=DEFAULT_DEST)
    parser.add_argument("--no-cv", action="store_true", help="fit and write the models only (no card scores)")
    args = parser.parse_args(argv)
    from pipeline.events import EventExtractor

    cfg = cv.load_train_config(args.config)
    extractor = EventExtractor(use_learned=False)
    train = cv.prepare(*cv.load_gold("train", args.gold_dir), extractor)
    models = cv.fit_models(train, cfg, version=VERSION)
    args.dest.mkdir(parents=True, exist_ok=True)
    for name, model in models.items():
        (args.dest / f"{name}.json").write_text(json.dumps(model.to_json(), sort_keys=True) + "\n", encoding="utf-8")
    ex = cv.examples(train)
    meta = {
        "name": learned.MODEL_NAME,
        "version": VERSION,
        "components": sorted(models),
        "seed": cfg.seed,
        "train_articles": len(train),
        "check_candidates": len(ex[learned.CHECK][0]),
        "role_examples": len(ex[learned.ROLE][0]),
        "features_version": learned.RULES_VERSION,
    }
    card = CARD_HEAD.format(
        version=VERSION,
        threshold=cfg.check_threshold,
        n_train=len(train),
        n_check=meta["check_candidates"],
        n_role=meta["role_examples"],
        seed=cfg.seed,
        date=dt.date.today().isoformat(),
        folds=cfg.folds,
    )
    if not args.no_cv:
        dev = cv.prepare(*cv.load_gold("dev", args.gold_dir), extractor)
        td = cv.train_dev(train, dev, cfg)
        result = cv.cross_validate([*train, *dev], cfg)
        meta["scores"] = cv.scores_json(td, result)
        card += cv.report_markdown(td, result, cfg)
    (args.dest / "meta.json").write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    (args.dest / "README.md").write_text(card, encoding="utf-8")
    log.info("wrote %s (%s)", args.dest, ", ".join(sorted(models)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
