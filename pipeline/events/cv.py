"""Fit and score the learned components: train -> dev and a k-fold cross-validation split by ``cluster``.

    python -m pipeline.events.cv [--folds 5] [--json OUT]      (make cv-events)

The rule pipeline runs once per article (NER and rules, learned components left out); each
configuration then re-applies the learned models to the kept docs and re-assembles the records,
so a fold costs a fit and an assembly, never a second spaCy pass. Configurations: ``rules`` (the
baseline), each learned component alone, all of them. Folds are over train+dev grouped by gold
``cluster`` (an article without one is its own group): a cluster never straddles folds. Scores
are pooled over the held-out folds (micro, like ``netra eval``) and the mean F1 of the folds is
given beside them. Seeds are fixed (``pipeline/events/learned.cfg``).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.tokens import Doc

from pipeline.evaluate import SLOTS, STRICT_SLOTS, EvalReport, name_tokens, names_match, score
from pipeline.events import learned
from pipeline.events.spans import SlotValue, iter_slots
from pipeline.jsonl import read_jsonl
from pipeline.logs import get_logger
from pipeline.settings import REPO_DIR

log = get_logger(__name__)

GOLD_DIR = REPO_DIR / "tests" / "fixtures" / "gold"
TRAIN_CONFIG = Path(__file__).resolve().with_name("learned.cfg")


@dataclass
class Prepared:
    """One article after the rule pipeline: its gold record, doc (None: rejected by the pre-filter)."""

    id: str
    gold: dict[str, Any]
    group: str
    article: Any = None
    doc: Doc | None = None
    decision: Any = None
    officials: list[tuple[Any, SlotValue]] = field(default_factory=list)


@dataclass(frozen=True)
class TrainConfig:
    seed: int = 13
    folds: int = 5
    check_c: float = 1.0
    check_threshold: float = 0.5
    role_c: float = 1.0


def load_train_config(path: Path = TRAIN_CONFIG) -> TrainConfig:
    import spacy

    cfg = spacy.util.load_config(path)
    t, c = cfg["training"], cfg["components"]
    return TrainConfig(
        seed=int(t["seed"]),
        folds=int(t["folds"]),
        check_c=float(c["netra_official_check"]["C"]),
        check_threshold=float(c["netra_official_check"]["threshold"]),
        role_c=float(c["netra_official_role"]["C"]),
    )


def load_gold(name: str, gold_dir: Path = GOLD_DIR) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(gold records, input articles) of ``<name>.jsonl`` / ``<name>.input.jsonl``."""
    return read_jsonl(gold_dir / f"{name}.jsonl"), read_jsonl(gold_dir / f"{name}.input.jsonl")


def prepare(gold: Sequence[dict[str, Any]], inputs: Sequence[dict[str, Any]], extractor: Any) -> list[Prepared]:
    """Run the rule pipeline (``extractor`` built with ``use_learned=False``) over every gold article."""
    from pipeline.events.relevance import prefilter
    from pipeline.schema import ArticleInput

    by_id = {str(a["id"]): a for a in inputs}
    out = []
    for g in gold:
        gid = str(g["id"])
        article = ArticleInput.model_validate(dict(by_id[gid]))
        item = Prepared(gid, g, str(g.get("cluster") or f"article:{gid}"), article)
        if prefilter(f"{article.title or ''}\n{article.text}"):
            item.doc, item.decision = extractor._run(article)
            item.officials = learned.snapshot_officials(item.doc)
        out.append(item)
    return out


def predict(
    items: Sequence[Prepared], models: dict[str, learned.LinearModel | None], threshold: float
) -> list[dict[str, Any]]:
    """Contract records of ``items`` with the given learned models applied (none: the rules)."""
    from pipeline.events.assemble import assemble

    records: list[dict[str, Any]] = []
    for item in items:
        if item.doc is None or not item.decision.relevant:
            records.append({"id": item.id, "relevant": False, "events": []})
            continue
        learned.restore_officials(item.doc, item.officials)
        learned.apply_models(item.doc, models, threshold)
        result = assemble(item.doc, item.article, item.decision, "cv")
        records.append(result.to_contract())
    for item in items:  # leave the docs as the rules made them
        if item.doc is not None:
            learned.restore_officials(item.doc, item.officials)
    return records


# --- training examples ---------------------------------------------------------------------------


def _gold_officials(gold: dict[str, Any]) -> list[dict[str, Any]]:
    if not gold.get("relevant"):
        return []
    seen: dict[frozenset[str], dict[str, Any]] = {}
    for event in gold.get("events") or []:
        for off in event.get("officials") or []:
            if off and off.get("name"):
                seen.setdefault(name_tokens(off["name"]), off)
    return list(seen.values())


def match_gold(pred_names: Sequence[str], gold: Sequence[dict[str, Any]]) -> list[dict[str, Any] | None]:
    """One-to-one: each predicted name's gold official (exact tokens first, then subset), else None."""
    left = list(gold)
    out: list[dict[str, Any] | None] = [None] * len(pred_names)
    for exact in (True, False):
        for k, name in enumerate(pred_names):
            if out[k] is not None:
                continue
            hit = next(
                (
                    g
                    for g in left
                    if (name_tokens(g["name"]) == name_tokens(name) if exact else names_match(g["name"], name))
                ),
                None,
            )
            if hit is not None:
                out[k] = hit
                left.remove(hit)
    return out


def examples(items: Sequence[Prepared]) -> dict[str, tuple[list[dict[str, float]], list[str]]]:
    """(features, labels) per component from the gold-relevant articles' rule candidates."""
    check_x: list[dict[str, float]] = []
    check_y: list[str] = []
    role_x: list[dict[str, float]] = []
    role_y: list[str] = []
    for item in items:
        if item.doc is None or not item.gold.get("relevant"):
            continue
        learned.restore_officials(item.doc, item.officials)
        slots = list(iter_slots(item.doc, "officials"))
        matched = match_gold([str(sl.value.get("name")) for _sp, sl in slots], _gold_officials(item.gold))
        for (sp, sl), gold_off in zip(slots, matched, strict=True):
            check_x.append(learned.official_features(item.doc, sp, sl))
            check_y.append("1" if gold_off is not None else "0")
            if gold_off is not None and gold_off.get("role"):
                role_x.append(learned.role_features(item.doc, sp, sl))
                role_y.append(str(gold_off["role"]))
    return {learned.CHECK: (check_x, check_y), learned.ROLE: (role_x, role_y)}


def fit_linear(
    name: str, version: str, x: list[dict[str, float]], y: list[str], c: float, seed: int
) -> learned.LinearModel | None:
    """A logistic regression (liblinear / lbfgs, fixed seed) as a :class:`learned.LinearModel`."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    if len(set(y)) < 2:
        return None
    vec = DictVectorizer()
    matrix = vec.fit_transform(x)
    clf = LogisticRegression(C=c, max_iter=2000, random_state=seed, class_weight=None)
    clf.fit(matrix, y)
    return learned.LinearModel(
        name=name,
        version=version,
        classes=[str(k) for k in clf.classes_],
        features={str(k): int(v) for k, v in vec.vocabulary_.items()},
        coef=[[float(v) for v in row] for row in clf.coef_],
        intercept=[float(v) for v in clf.intercept_],
    )


def fit_models(items: Sequence[Prepared], cfg: TrainConfig, version: str = "cv") -> dict[str, learned.LinearModel]:
    ex = examples(items)
    out = {}
    for name, c in ((learned.CHECK, cfg.check_c), (learned.ROLE, cfg.role_c)):
        model = fit_linear(name, version, *ex[name], c=c, seed=cfg.seed)
        if model is not None:
            out[name] = model
    return out


# --- folds and configurations --------------------------------------------------------------------


def group_folds(ids: Sequence[str], groups: Sequence[str], k: int, seed: int) -> list[set[str]]:
    """``k`` disjoint id sets covering ``ids``; all ids of a group land in one set.

    Groups are shuffled with ``seed``, then placed largest first into the smallest fold."""
    members: dict[str, list[str]] = {}
    for i, g in zip(ids, groups, strict=True):
        members.setdefault(g, []).append(i)
    order = sorted(members)
    random.Random(seed).shuffle(order)
    order.sort(key=lambda g: -len(members[g]))  # stable: ties keep the shuffled order
    folds: list[set[str]] = [set() for _ in range(k)]
    for g in order:
        smallest = min(range(k), key=lambda n: (len(folds[n]), n))
        folds[smallest].update(members[g])
    return folds


CONFIGS: dict[str, tuple[str, ...]] = {
    "rules": (),
    "+official_check": (learned.CHECK,),
    "+official_role": (learned.ROLE,),
    "+both": (learned.CHECK, learned.ROLE),
}


def _select(models: dict[str, learned.LinearModel], names: Sequence[str]) -> dict[str, learned.LinearModel | None]:
    return {n: models.get(n) for n in names}


@dataclass
class CvResult:
    pooled: dict[str, EvalReport]
    fold_f1: dict[str, dict[str, list[float]]]  # config -> slot -> F1 per fold

    def mean_f1(self, config: str, slot: str) -> float:
        values = self.fold_f1[config][slot]
        return sum(values) / len(values) if values else 0.0


def cross_validate(items: Sequence[Prepared], cfg: TrainConfig) -> CvResult:
    folds = group_folds([i.id for i in items], [i.group for i in items], cfg.folds, cfg.seed)
    pooled_pred: dict[str, list[dict[str, Any]]] = {c: [] for c in CONFIGS}
    fold_f1: dict[str, dict[str, list[float]]] = {c: {s: [] for s in (*SLOTS, *STRICT_SLOTS)} for c in CONFIGS}
    for n, held in enumerate(folds, 1):
        train = [i for i in items if i.id not in held]
        test = [i for i in items if i.id in held]
        models = fit_models(train, cfg)
        gold = [i.gold for i in test]
        for config, names in CONFIGS.items():
            pred = predict(test, _select(models, names), cfg.check_threshold)
            pooled_pred[config].extend(pred)
            report = score(gold, pred)
            for slot, s in (*report.slots.items(), *report.strict.items()):
                fold_f1[config][slot].append(s.f1)
        log.info("fold %d: %d articles held out, %d training", n, len(test), len(train))
    gold_all = [i.gold for i in items]
    return CvResult({c: score(gold_all, p) for c, p in pooled_pred.items()}, fold_f1)


def train_dev(train: Sequence[Prepared], dev: Sequence[Prepared], cfg: TrainConfig) -> dict[str, EvalReport]:
    models = fit_models(train, cfg)
    gold = [i.gold for i in dev]
    return {c: score(gold, predict(dev, _select(models, names), cfg.check_threshold)) for c, names in CONFIGS.items()}


# --- tables --------------------------------------------------------------------------------------


def slot_table(report: EvalReport, title: str) -> str:
    lines = [f"### {title}", "", "| slot | P | R | F1 |", "| --- | --- | --- | --- |"]
    for name, s in (*report.slots.items(), *report.strict.items()):
        lines.append(f"| {name} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} |")
    lines.append(f"| macro F1 (slots / strict) | | | {report.macro_f1:.3f} / {report.strict_macro_f1:.3f} |")
    return "\n".join(lines)


def ablation_table(reports: dict[str, EvalReport], title: str, cv: CvResult | None = None) -> str:
    configs = list(reports)
    head = "| slot | " + " | ".join(configs) + " |"
    lines = [f"### {title}", "", head, "| --- |" + " --- |" * len(configs)]
    for name in (*SLOTS, *STRICT_SLOTS):
        cells = []
        for c in configs:
            r = reports[c]
            s = r.slots.get(name) or r.strict[name]
            cell = f"{s.f1:.3f}"
            if cv is not None:
                cell += f" ({cv.mean_f1(c, name):.3f})"
            cells.append(cell)
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines.append("| macro (slots) | " + " | ".join(f"{reports[c].macro_f1:.3f}" for c in configs) + " |")
    lines.append("| macro (strict) | " + " | ".join(f"{reports[c].strict_macro_f1:.3f}" for c in configs) + " |")
    return "\n".join(lines)


def run(gold_dir: Path, cfg: TrainConfig, settings: Any = None) -> tuple[dict[str, EvalReport], CvResult]:
    from pipeline.events import EventExtractor

    extractor = EventExtractor(settings, use_learned=False)
    train = prepare(*load_gold("train", gold_dir), extractor)
    dev = prepare(*load_gold("dev", gold_dir), extractor)
    return train_dev(train, dev, cfg), cross_validate([*train, *dev], cfg)


def report_markdown(td: dict[str, EvalReport], cv: CvResult, cfg: TrainConfig) -> str:
    parts = [
        slot_table(td["+both"], "train -> dev, learned components on (fit on train, scored on dev)"),
        slot_table(
            cv.pooled["+both"], f"{cfg.folds}-fold CV over train+dev by cluster, learned components on (pooled)"
        ),
        slot_table(cv.pooled["rules"], f"{cfg.folds}-fold CV, rules only (baseline)"),
        ablation_table(td, "ablation, train -> dev: F1 per slot"),
        ablation_table(cv.pooled, f"ablation, {cfg.folds}-fold CV: pooled F1 (mean of folds)", cv),
    ]
    return "\n\n".join(parts) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--gold-dir", type=Path, default=GOLD_DIR, help="holds train.jsonl, dev.jsonl and *.input.jsonl"
    )
    parser.add_argument("--config", type=Path, default=TRAIN_CONFIG)
    parser.add_argument("--folds", type=int, default=None, help="default: [training] folds of the config")
    parser.add_argument("--json", type=Path, default=None, help="also write the scores as JSON")
    args = parser.parse_args(argv)
    cfg = load_train_config(args.config)
    if args.folds:
        cfg = TrainConfig(cfg.seed, args.folds, cfg.check_c, cfg.check_threshold, cfg.role_c)
    td, cv = run(args.gold_dir, cfg)
    sys.stdout.write(report_markdown(td, cv, cfg))
    if args.json:
        args.json.write_text(json.dumps(scores_json(td, cv), indent=2), encoding="utf-8")
    return 0


def scores_json(td: dict[str, EvalReport], cv: CvResult) -> dict[str, Any]:
    return {
        "train_dev": {c: r.as_dict() for c, r in td.items()},
        "cv_pooled": {c: r.as_dict() for c, r in cv.pooled.items()},
        "cv_fold_f1": cv.fold_f1,
    }


if __name__ == "__main__":
    raise SystemExit(main())
