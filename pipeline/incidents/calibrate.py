"""Fit the linking settings on gold clusters; measure on held-out gold; cross-validate split by cluster.

    python -m pipeline.incidents.calibrate \\
        --fit train.pred.jsonl train.input.jsonl train.jsonl \\
        --measure dev.pred.jsonl dev.input.jsonl dev.jsonl [--folds 5]

The PRED files are ``netra extract-text`` output of the INPUT files, so the linker is scored on extracted
events, as it runs. A grid of weights and thresholds is searched for the best pairwise F1 on the fitting
set only; the chosen settings are then scored on the measuring set, and a k-fold cross-validation over both
sets refits on k-1 folds and scores the held-out one (groups = gold clusters: a cluster never straddles
folds). The 3-gram Jaccard baseline is reported beside, its threshold chosen on the data it is scored on.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pipeline.evaluate import LinkingReport, SlotScore, read_jsonl, score_linking
from pipeline.incidents.linker import link_events
from pipeline.incidents.model import EventToLink
from pipeline.incidents.records import article_text, events_of_record
from pipeline.incidents.settings import DEFAULT_SETTINGS, LinkSettings
from pipeline.incidents.text import TextIndex
from pipeline.logs import get_logger

log = get_logger(__name__)


@dataclass(frozen=True)
class GoldSet:
    """Predicted records, the article texts and the gold of one set of articles."""

    predictions: tuple[dict[str, Any], ...]
    texts: dict[str, str]
    gold: tuple[dict[str, Any], ...]
    articles: dict[str, dict[str, Any]]

    @classmethod
    def read(cls, predictions: Path, articles: Path, gold: Path) -> GoldSet:
        arts = {str(a["id"]): a for a in read_jsonl(articles)}
        return cls(
            tuple(read_jsonl(predictions)), {i: article_text(a) for i, a in arts.items()}, tuple(read_jsonl(gold)), arts
        )

    def subset(self, ids: set[str]) -> GoldSet:
        return GoldSet(
            tuple(p for p in self.predictions if str(p["id"]) in ids),
            {i: t for i, t in self.texts.items() if i in ids},
            tuple(g for g in self.gold if str(g["id"]) in ids),
            {i: a for i, a in self.articles.items() if i in ids},
        )

    def __add__(self, other: GoldSet) -> GoldSet:
        return GoldSet(
            self.predictions + other.predictions,
            {**self.texts, **other.texts},
            self.gold + other.gold,
            {**self.articles, **other.articles},
        )


class _Prepared:
    """Events and a text index built once per set, linked under many settings."""

    def __init__(self, data: GoldSet) -> None:
        self.data = data
        self.events: list[EventToLink] = [
            e for p in data.predictions for e in events_of_record(p, data.articles.get(str(p["id"])))
        ]
        texts = [e.text for e in self.events]
        self.indexes = {a: TextIndex(texts, a) for a in ("word", "char_wb")} if texts else {}

    def score(self, settings: LinkSettings) -> LinkingReport:
        result = link_events(self.events, (), settings, text_index=self.indexes.get(settings.text_analyzer))
        linked = []
        for p in self.data.predictions:
            ids = sorted({result.assignments[f"{p['id']}#{k}"] for k in range(len(p.get("events") or ()))})
            linked.append({"id": p["id"], "incident_ids": ids})
        return score_linking(self.data.gold, linked)


_STRICT_FAMILIES: tuple[tuple[str, ...], ...] = (
    *((t,) for t in ("rakor", "pledge", "directive", "socialization", "monitoring")),
    ("violation",),
    ("sanction",),
)

# The values searched for each setting (coordinate ascent: one setting at a time, the others held).
SEARCH: dict[str, tuple[Any, ...]] = {
    "text_analyzer": ("word", "char_wb"),
    "link_threshold": (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.9),
    "region_weight": (0.0, 0.1, 0.2, 0.3),
    "official_weight": (0.0, 0.1, 0.2, 0.3),
    "same_type_weight": (0.0, 0.1, 0.2),
    "date_weight": (0.0, 0.1, 0.2, 0.3),
    "min_text_similarity": (0.0, 0.03, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4),
    "conflicting_date_min_text": (0.3, 0.4, 0.5, 0.7, 2.0),
    "undated_link": (True, False),
    "type_families": (DEFAULT_SETTINGS.type_families, _STRICT_FAMILIES),
}


def fit(data: GoldSet, start: LinkSettings = DEFAULT_SETTINGS, rounds: int = 3) -> tuple[LinkSettings, LinkingReport]:
    """Coordinate ascent on pairwise F1 over :data:`SEARCH`, from ``start``: each setting in turn takes the
    value that scores best with the others held (ties keep the current value); stops when a round changes
    nothing. A small search on purpose: the gold has a few dozen linked pairs."""
    prepared = _Prepared(data)
    best, best_report = start, prepared.score(start)
    for _ in range(rounds):
        changed = False
        for name, values in SEARCH.items():
            for value in values:
                if getattr(best, name) == value:
                    continue
                candidate = replace(best, **{name: value})
                report = prepared.score(candidate)
                if report.pairs.f1 > best_report.pairs.f1 + 1e-9:
                    best, best_report, changed = candidate, report, True
        if not changed:
            break
    return best, best_report


def folds_by_cluster(data: GoldSet, k: int) -> list[set[str]]:
    """``k`` sets of article ids; the articles of one gold cluster are always in the same set."""
    from sklearn.model_selection import GroupKFold

    ids = [str(g["id"]) for g in data.gold]
    groups = [str(g.get("cluster") or f"article:{g['id']}") for g in data.gold]
    return [{ids[i] for i in test} for _train, test in GroupKFold(n_splits=k).split(ids, groups=groups)]


def cross_validate(data: GoldSet, k: int = 5) -> tuple[SlotScore, SlotScore, list[float]]:
    """Pooled pairwise scores of ours and of the baseline over ``k`` held-out folds, and our F1 per fold."""
    ours, baseline, per_fold = SlotScore(), SlotScore(), []
    all_ids = {str(g["id"]) for g in data.gold}
    for n, held_out in enumerate(folds_by_cluster(data, k), 1):
        settings, _ = fit(data.subset(all_ids - held_out))
        test = data.subset(held_out)
        report = _Prepared(test).score(settings)
        base = score_linking(test.gold, [], test.texts).baseline
        for total, part in ((ours, report.pairs), (baseline, base)):
            if part is not None:
                total.tp, total.fp, total.fn = total.tp + part.tp, total.fp + part.fp, total.fn + part.fn
        per_fold.append(report.pairs.f1)
        log.info("fold %d: %d gold pairs, F1 %.3f", n, report.gold_pairs, report.pairs.f1)
    return ours, baseline, per_fold


def _changed(settings: LinkSettings) -> dict[str, Any]:
    return {k: v for k, v in vars(settings).items() if getattr(DEFAULT_SETTINGS, k) != v}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.incidents.calibrate", description=__doc__.split("\n")[0])
    parser.add_argument("--fit", nargs=3, type=Path, required=True, metavar=("PRED", "INPUT", "GOLD"))
    parser.add_argument("--measure", nargs=3, type=Path, metavar=("PRED", "INPUT", "GOLD"))
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    train = GoldSet.read(*args.fit)
    out: dict[str, Any] = {}
    settings, report = fit(train)
    out["fitted_settings_changed_from_defaults"] = _changed(settings)
    out["fit"] = {"ours": report.pairs.as_dict(), "baseline": score_linking(train.gold, [], train.texts).as_dict()}
    out["fit"]["defaults"] = _Prepared(train).score(DEFAULT_SETTINGS).pairs.as_dict()
    if args.measure:
        dev = GoldSet.read(*args.measure)
        out["measure"] = {
            "fitted": _Prepared(dev).score(settings).pairs.as_dict(),
            "defaults": _Prepared(dev).score(DEFAULT_SETTINGS).pairs.as_dict(),
            "baseline": score_linking(dev.gold, [], dev.texts).as_dict(),
        }
        if args.folds > 1:
            ours, base, per_fold = cross_validate(train + dev, args.folds)
            out["cross_validation"] = {
                "folds": args.folds,
                "ours_pooled": ours.as_dict(),
                "ours_f1_per_fold": [round(f, 4) for f in per_fold],
                "baseline_pooled": base.as_dict(),
            }
    sys.stdout.write(json.dumps(out, indent=2, default=str) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
