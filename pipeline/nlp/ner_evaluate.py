"""Evaluate the NER model and write the metrics into ``models/ner-id/MODEL_CARD.md``.

* per-corpus, per-label P/R/F1 on each corpus's held-out **test** split
  (read straight from the corpora with :mod:`pipeline.nlp.ner_corpora`; none
  of these sentences is in the training data, see the leakage control there);
* speed in words/s on one core (see ``bench/ner_speed.py``);
* officials check on the gold article sets in ``tests/fixtures/gold``
  (evaluation only): the share of gold official names that the model finds
  as an exact PER span, and the PER spans found in the headlines.

The card is ``MODEL_CARD.md`` in the model folder; the part between the
``<!-- metrics:start -->`` and ``<!-- metrics:end -->`` markers is rewritten.

Run ``python -m pipeline.nlp.ner_evaluate --help``.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from spacy.language import Language

from pipeline.logs import get_logger
from pipeline.nlp.ner_common import Sentence
from pipeline.settings import REPO_DIR

log = get_logger(__name__)

GOLD_DIR = REPO_DIR / "tests" / "fixtures" / "gold"

# Published test F1 of the IndoNLU benchmark rows (entity F1, all classes of
# each set), as given in the corpora README (NusaBERT README table).
BASELINES = {
    "nergrit": {
        "IndoBERT-large-p1": 77.60,
        "XLM-R Base": 79.09,
        "NusaBERT-large": 79.86,
        "fastText-based (IndoNLU)": "≈37–46",
    },
    "nerp": {
        "IndoBERT-large-p1": 79.25,
        "XLM-R Large": 78.52,
        "NusaBERT-large": 85.12,
        "fastText-based (IndoNLU)": "≈37–46",
    },
}
LABELS_EVAL = {
    "idner": ("PER", "ORG", "LOC"),
    "nergrit": ("PER", "ORG", "LOC"),
    "nerp": ("PER", "LOC"),
    "yusufs": ("PER", "ORG", "LOC"),
}
CORPUS_NAMES = {
    "idner": "idner-news-2k",
    "nergrit": "indonlu-nergrit",
    "nerp": "indonlu-nerp",
    "yusufs": "yusufs-indonesia-ner",
}


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": p, "r": r, "f": f, "tp": tp, "fp": fp, "fn": fn}


def score_corpus(nlp: Language, sents: list[Sentence], labels: Iterable[str]) -> dict[str, Any]:
    """Exact-span P/R/F1 per label over pre-tokenized sentences.

    Predictions overlapping gold tokens marked missing (NERP ``IND``) are
    ignored, as are predicted labels outside ``labels`` (ORG on NERP, which has
    no ORG class).
    """
    from spacy.tokens import Doc

    counts = {lab: [0, 0, 0] for lab in labels}
    docs = (Doc(nlp.vocab, words=s.tokens) for s in sents)
    n_words = 0
    for s, doc in zip(sents, nlp.pipe(docs, batch_size=256), strict=False):
        n_words += len(s.tokens)
        gold = set()
        i = 0
        tags = s.tags
        while i < len(tags):
            if tags[i].startswith("B-"):
                j = i + 1
                while j < len(tags) and tags[j] == "I-" + tags[i][2:]:
                    j += 1
                gold.add((tags[i][2:], i, j))
                i = j
            else:
                i += 1
        pred = set()
        for e in doc.ents:
            if e.label_ not in counts:
                continue
            if any(tags[k] == "-" for k in range(e.start, e.end)):
                continue
            pred.add((e.label_, e.start, e.end))
        gold = {g for g in gold if g[0] in counts}
        for lab, *_ in pred & gold:
            counts[lab][0] += 1
        for lab, *_ in pred - gold:
            counts[lab][1] += 1
        for lab, *_ in gold - pred:
            counts[lab][2] += 1
    out: dict[str, Any] = {lab: _prf(*c) for lab, c in counts.items()}
    tot = [sum(c[k] for c in counts.values()) for k in range(3)]
    out["ALL"] = _prf(*tot)
    out["n_sents"] = len(sents)
    out["n_words"] = n_words
    return out


def officials_check(nlp: Language, gold_dir: Path = GOLD_DIR) -> dict[str, Any]:
    """Gold official names found as exact PER spans; PER spans in titles."""
    res = {}
    for name in ("seeds", "dev"):
        inp, gold = gold_dir / f"{name}.input.jsonl", gold_dir / f"{name}.jsonl"
        if not inp.exists() or not gold.exists():
            continue
        texts = {}
        titles = {}
        for line in inp.read_text(encoding="utf-8").splitlines():
            if line.strip():
                d = json.loads(line)
                texts[d["id"]] = d.get("text") or ""
                titles[d["id"]] = d.get("title") or ""  # only real titles are checked
        found = total = 0
        missed: list[str] = []
        title_pers: list[str] = []
        for line in gold.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            d = json.loads(line)
            text = texts.get(d["id"], "")
            pers = {e.text for e in nlp(text).ents if e.label_ == "PER"}
            names = {o["name"] for ev in d.get("events", []) for o in ev.get("officials", []) if o.get("name")}
            names = {n for n in names if n in text}  # only names spelled out in the text
            total += len(names)
            hit = {n for n in names if n in pers}
            found += len(hit)
            missed += sorted(names - hit)
            title = titles.get(d["id"], "")
            if title:
                title_pers += [f"{e.text} <- {title}" for e in nlp(title).ents if e.label_ == "PER"]
        res[name] = {
            "articles": len(texts),
            "titles": sum(1 for t in titles.values() if t),
            "official_names": total,
            "found_as_PER": found,
            "recall": found / total if total else 0.0,
            "missed": missed,
            "headline_PER": title_pers,
        }
    return res


def speed(nlp: Language, texts: list[str], repeat: int = 3) -> dict[str, Any]:
    """Words/s of ``nlp.pipe`` on raw texts (tokenizer included)."""
    n = sum(len(t.split()) for t in texts)
    best = 0.0
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _doc in nlp.pipe(texts, batch_size=64):
            pass
        dt = time.perf_counter() - t0
        best = max(best, n / dt)
    return {"words": n, "words_per_s": best}


def dir_size(p: Path) -> int:
    return sum(f.stat().st_size for f in p.rglob("*") if f.is_file())


def render(metrics: dict[str, Any]) -> str:
    lines = ["<!-- metrics:start -->", "", "### Held-out test splits (exact-span P/R/F1, %)", ""]
    lines.append("| corpus | sentences | label | P | R | F1 | gold |")
    lines.append("|---|---:|---|---:|---:|---:|---:|")
    for c, m in metrics["test"].items():
        for lab in ("ALL",) + LABELS_EVAL[c]:
            s = m[lab]
            lines.append(
                f"| {CORPUS_NAMES[c]} | {m['n_sents'] if lab == 'ALL' else ''} | {lab if lab != 'ALL' else '**overall**'} | "
                f"{100 * s['p']:.1f} | {100 * s['r']:.1f} | {100 * s['f']:.1f} | {s['tp'] + s['fn']} |"
            )
    lines += [
        "",
        "Published test F1 of the IndoNLU rows (all classes of each set; NERP has 5 classes, our NERP "
        "score covers PER and LOC only, so the numbers are indicative, not like-for-like):",
        "",
    ]
    lines.append("| corpus | this model (F1) | " + " | ".join(BASELINES["nergrit"].keys()) + " |")
    lines.append("|---|---:|" + "---:|" * len(BASELINES["nergrit"]))
    for c in ("nergrit", "nerp"):
        lines.append(
            f"| {CORPUS_NAMES[c]} | {100 * metrics['test'][c]['ALL']['f']:.1f} | "
            + " | ".join(str(v) for v in BASELINES[c].values())
            + " |"
        )
    sp = metrics["speed"]
    lines += [
        "",
        f"**Speed**: {sp['words_per_s']:,.0f} words/s on one core (`nlp.pipe`, tokenizer included, "
        f"{sp['words']:,} words of test text, best of 3; `bench/ner_speed.py`).",
        "",
        f"**Size**: {metrics['size_bytes'] / 1e6:.1f} MB on disk.",
        "",
    ]
    oc = metrics.get("officials", {})
    if oc:
        lines += [
            "### Officials in gold news articles (evaluation only)",
            "",
            "| set | articles | official names in text | found as exact PER | recall | headlines | PER spans in headlines |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for k, v in oc.items():
            lines.append(
                f"| {k} | {v['articles']} | {v['official_names']} | {v['found_as_PER']} | "
                f"{100 * v['recall']:.0f}% | {v['titles']} | {len(v['headline_PER'])} |"
            )
        lines += [
            "",
            "A PER span in a headline is not always an error (some headlines name the official); "
            "the seed headlines name nobody.",
        ]
        lines.append("")
    lines.append("<!-- metrics:end -->")
    return "\n".join(lines)


def update_card(card: Path, block: str) -> None:
    text = (
        card.read_text(encoding="utf-8")
        if card.exists()
        else "# NER model card\n\n<!-- metrics:start -->\n<!-- metrics:end -->\n"
    )
    new = re.sub(r"<!-- metrics:start -->.*?<!-- metrics:end -->", lambda _m: block, text, flags=re.S)
    if new == text and "<!-- metrics:start -->" not in text:
        new = text.rstrip() + "\n\n" + block + "\n"
    card.write_text(new, encoding="utf-8")


def evaluate(
    model: Path, data_dir: Path, corpora: tuple[str, ...] = ("idner", "nergrit", "nerp", "yusufs")
) -> dict[str, Any]:
    from pipeline.nlp.ner_model import load_ner

    return evaluate_pipeline(load_ner(model), model, data_dir, corpora)


def evaluate_pipeline(
    nlp: Language, model: Path, data_dir: Path, corpora: tuple[str, ...] = ("idner", "nergrit", "nerp", "yusufs")
) -> dict[str, Any]:
    """The metrics of any NER pipeline (spaCy's ner-id or the Stanza backend) stored at ``model``."""
    from pipeline.nlp.ner_corpora import read_corpus

    metrics: dict[str, Any] = {"test": {}}
    texts: list[str] = []
    for c in corpora:
        sents = read_corpus(data_dir, c, splits=("test",), mask_orgs=False)["test"]
        metrics["test"][c] = score_corpus(nlp, sents, LABELS_EVAL[c])
        if c in ("idner", "nergrit"):
            texts += [" ".join(s.tokens) for s in sents]
    metrics["speed"] = speed(nlp, texts)
    metrics["size_bytes"] = dir_size(model)
    metrics["officials"] = officials_check(nlp)
    return metrics


def main(argv: list[str] | None = None) -> int:
    # one core for the speed measurement (must be set before numpy is imported)
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    from pipeline.nlp.ner_common import resolve_data_dir

    ap = argparse.ArgumentParser(description="Evaluate the NER model on the corpora test splits.")
    ap.add_argument("--model", default=str(REPO_DIR / "models" / "ner-id"))
    ap.add_argument("--data", help="NER corpora folder (default: $NETRA_NER_DATA or ../shared/data/ner)")
    ap.add_argument("--card", help="model card to update (default: MODEL_CARD.md in the model folder)")
    ap.add_argument("--no-card", action="store_true", help="only print the metrics")
    ap.add_argument("--json", help="also write the metrics as JSON here")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    model = Path(args.model)
    metrics = evaluate(model, resolve_data_dir(args.data))
    block = render(metrics)
    print(block)
    for k, v in metrics["officials"].items():
        print(f"{k}: missed {v['missed']}; headline PER {v['headline_PER']}")
    if args.json:
        Path(args.json).write_text(json.dumps(metrics, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if not args.no_card:
        update_card(Path(args.card) if args.card else model / "MODEL_CARD.md", block)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
