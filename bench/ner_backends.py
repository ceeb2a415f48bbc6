"""The two NER backends side by side, in one run: spaCy (models/ner-id) and Stanza (models/stanza-id).

Usage: python bench/ner_backends.py [--data ../shared/data/ner] [--gold ../shared/data/gold] [--json out.json]

Per backend, each measurement in its own child process (so peak memory is that backend's):

* NER: idner-news-2k test F1, overall and per label (pipeline.nlp.ner_evaluate.score_corpus),
  words/s on one core (ner_evaluate.speed over the idner-news-2k + NERGrit test sentences, tokenizer
  included, best of 3) and the peak RSS of that process;
* events: ``netra extract-text --ner-backend B`` on the dev and train gold inputs, scored by
  ``netra eval --json``; peak RSS and wall time of each extract-text process.

Needs the [stanza] extra. Without the NER corpora the NER rows are skipped; without the train gold
(../shared/data/gold) only dev (tests/fixtures/gold) is scored.
"""

from __future__ import annotations

import os

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_v] = "1"  # one core; must be set before numpy/torch are imported

import argparse  # noqa: E402
import json  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
BACKENDS = ("spacy", "stanza")
SLOTS = ("relevance", "types", "officials", "officials_office", "regions", "dates", "sanctions", "elections")


def ner_worker(backend: str, data: str | None) -> dict[str, Any]:
    """In a child process: load one backend, score idner-news-2k test, measure words/s."""
    import resource

    from pipeline.nlp.ner_corpora import read_corpus, resolve_data_dir
    from pipeline.nlp.ner_evaluate import LABELS_EVAL, score_corpus, speed

    if backend == "stanza":
        import torch

        torch.set_num_threads(1)
        from pipeline.nlp.stanza_ner import build_stanza_nlp

        nlp = build_stanza_nlp()
    else:
        from pipeline.nlp.ner_model import load_ner

        nlp = load_ner()
    data_dir = resolve_data_dir(data)
    out: dict[str, Any] = {}
    if data_dir.is_dir():
        idner = read_corpus(data_dir, "idner", splits=("test",), mask_orgs=False)["test"]
        out["idner_test"] = score_corpus(nlp, idner, LABELS_EVAL["idner"])
        texts = [" ".join(s.tokens) for s in idner]
        texts += [" ".join(s.tokens) for s in read_corpus(data_dir, "nergrit", splits=("test",))["test"]]
    else:
        texts = [
            p.read_text(encoding="utf-8") for p in sorted((REPO / "tests" / "fixtures" / "seeds").glob("*.txt"))
        ] * 20
    out["speed"] = speed(nlp, texts)
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def run_child(cmd: list[str], env: dict[str, str] | None = None) -> tuple[str, float, float]:
    """(stdout, peak RSS in MB, wall seconds) of one child process."""
    t0 = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - t0
        out.seek(0)
        err.seek(0)
        if proc.returncode not in (0, 1):  # 1: some records rejected (reported, still scored)
            raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}): {err.read().decode()[-2000:]}")
        return out.read().decode(), usage.ru_maxrss / 1024, wall


def events(backend: str, gold: Path, inp: Path, tmp: Path) -> dict[str, Any]:
    netra = str(Path(sys.executable).with_name("netra"))
    pred = tmp / f"{gold.stem}.{backend}.pred.jsonl"
    env = {**os.environ, "NETRA_LOG_FORMAT": "text"}
    _, rss, wall = run_child([netra, "-q", "extract-text", str(inp), "-o", str(pred), "--ner-backend", backend], env)
    report, _, _ = run_child([netra, "eval", str(gold), str(pred), "--json"])
    return {"scores": json.loads(report), "peak_rss_mb": rss, "seconds": wall}


def slot_f1(scores: dict[str, Any], slot: str) -> float | None:
    """F1 of one slot from ``netra eval --json`` (tolerant to its exact layout)."""
    node = scores.get("slots", scores)
    entry = node.get(slot) if isinstance(node, dict) else None
    if isinstance(entry, dict):
        value = entry.get("f1")
        return float(value) if value is not None else None
    return None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", help="NER corpora (default: $NETRA_NER_DATA or ../shared/data/ner)")
    ap.add_argument(
        "--gold",
        default=str(REPO.parent / "shared" / "data" / "gold"),
        help="folder with train.jsonl + train.input.jsonl",
    )
    ap.add_argument("--json", help="write all figures as JSON here")
    ap.add_argument("--worker", choices=BACKENDS, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        print(json.dumps(ner_worker(args.worker, args.data)))
        return 0
    sets = [
        (
            "dev",
            REPO / "tests" / "fixtures" / "gold" / "dev.jsonl",
            REPO / "tests" / "fixtures" / "gold" / "dev.input.jsonl",
        )
    ]
    train_gold = Path(args.gold) / "train.jsonl"
    if train_gold.is_file():
        sets.append(("train", train_gold, Path(args.gold) / "train.input.jsonl"))
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="netra-bench-ner-") as tmp:
        for backend in BACKENDS:
            cmd = [sys.executable, __file__, "--worker", backend] + (["--data", args.data] if args.data else [])
            out, rss, _ = run_child(cmd)
            res: dict[str, Any] = {"ner": json.loads(out)}
            res["ner"]["peak_rss_mb"] = max(res["ner"]["peak_rss_mb"], rss)
            for name, gold, inp in sets:
                res[name] = events(backend, gold, inp, Path(tmp))
            results[backend] = res
    print_tables(results, [s[0] for s in sets])
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


def print_tables(results: dict[str, Any], sets: list[str]) -> None:
    print("NER, idner-news-2k test (exact-span F1, %); speed on one core; peak RSS of the NER process")
    print(f"{'backend':8} {'overall':>8} {'PER':>6} {'ORG':>6} {'LOC':>6} {'words/s':>9} {'ratio':>6} {'RSS MB':>7}")
    ref = results["spacy"]["ner"]["speed"]["words_per_s"]
    for b, r in results.items():
        t = r["ner"].get("idner_test")
        f = [f"{100 * t[k]['f']:.1f}" if t else "-" for k in ("ALL", "PER", "ORG", "LOC")]
        wps = r["ner"]["speed"]["words_per_s"]
        print(
            f"{b:8} {f[0]:>8} {f[1]:>6} {f[2]:>6} {f[3]:>6} {wps:9,.0f} {wps / ref:6.2f} {r['ner']['peak_rss_mb']:7.0f}"
        )
    for name in sets:
        print(f"\nEvents on {name} (netra eval F1; extract-text peak RSS and wall time)")
        print(f"{'backend':8} " + " ".join(f"{s[:10]:>10}" for s in SLOTS) + f" {'macro':>6} {'RSS MB':>7} {'s':>6}")
        for b, r in results.items():
            sc = r[name]["scores"]
            cells = []
            for s in SLOTS:
                v = slot_f1(sc, s)
                cells.append(f"{v:10.3f}" if v is not None else f"{'-':>10}")
            macro = sc.get("macro_f1")
            macro_cell = f"{macro:6.3f}" if isinstance(macro, float) else f"{'-':>6}"
            print(
                f"{b:8} " + " ".join(cells) + f" {macro_cell} {r[name]['peak_rss_mb']:7.0f} {r[name]['seconds']:6.1f}"
            )


if __name__ == "__main__":
    raise SystemExit(main())
