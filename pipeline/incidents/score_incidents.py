"""Score ``netra incidents --format jsonl`` output against gold clusters (pairwise, with the baseline).

    netra ingest-text X.input.jsonl && netra incidents --format jsonl > incidents.jsonl
    python -m pipeline.incidents.score_incidents incidents.jsonl X.jsonl X.input.jsonl

Each incident's ``documents`` are input ids; an article's incidents are those listing it.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from pipeline.evaluate import score_linking
from pipeline.incidents.records import _read_jsonl, article_text


def predictions_of_incidents(incidents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One prediction record per document: ``{"id", "incident_ids", "incident_id"}``."""
    by_document: dict[str, list[int]] = {}
    for incident in incidents:
        for document in incident["documents"]:
            by_document.setdefault(str(document), []).append(int(incident["incident_id"]))
    return [{"id": d, "incident_ids": ids, "incident_id": ids[0]} for d, ids in by_document.items()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("incidents", type=Path)
    parser.add_argument("gold", type=Path)
    parser.add_argument("input", type=Path, help="the articles (for the 3-gram Jaccard baseline)")
    args = parser.parse_args(argv)
    gold = _read_jsonl(args.gold)
    predicted = {p["id"]: p for p in predictions_of_incidents(_read_jsonl(args.incidents))}
    pred = [predicted.get(str(g["id"]), {"id": g["id"], "incident_ids": [], "incident_id": None}) for g in gold]
    texts = {str(a["id"]): article_text(a) for a in _read_jsonl(args.input)}
    report = score_linking(gold, pred, texts)
    out = {
        "linker": _prf(report.pairs),
        "baseline": _prf(report.baseline),
        "baseline_threshold": report.baseline_threshold,
    }
    sys.stdout.write(json.dumps(out, indent=2) + "\n")
    return 0


def _prf(score: Any) -> dict[str, Any]:
    if score is None:
        return {}
    p = score.tp / (score.tp + score.fp) if score.tp + score.fp else 0.0
    r = score.tp / (score.tp + score.fn) if score.tp + score.fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "precision": round(p, 3),
        "recall": round(r, 3),
        "f1": round(f, 3),
        "tp": score.tp,
        "fp": score.fp,
        "fn": score.fn,
    }


if __name__ == "__main__":
    raise SystemExit(main())
