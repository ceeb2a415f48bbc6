"""Words per second of the NER pipeline on one CPU core.

Usage: python bench/ner_speed.py [--model models/ner-id] [--data ../shared/data/ner]

Texts: the idner-news-2k and NERGrit test sentences when the corpora are
available, else the seed articles in tests/fixtures/seeds.  Tokenizer included.
"""

from __future__ import annotations

import os

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_v] = "1"  # one core; must be set before numpy is imported

import argparse  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def main() -> int:
    from pipeline.nlp.ner_corpora import read_corpus, resolve_data_dir
    from pipeline.nlp.ner_evaluate import speed
    from pipeline.nlp.ner_model import load_ner

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default=str(REPO / "models" / "ner-id"))
    ap.add_argument("--data")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    try:
        import threadpoolctl

        threadpoolctl.threadpool_limits(1)
    except ImportError:
        pass
    nlp = load_ner(args.model)
    data = resolve_data_dir(args.data)
    if data.is_dir():
        texts = [" ".join(s.tokens) for c in ("idner", "nergrit") for s in read_corpus(data, c, splits=("test",))["test"]]
        src = "idner-news-2k + NERGrit test sentences"
    else:
        texts = [p.read_text(encoding="utf-8") for p in sorted((REPO / "tests" / "fixtures" / "seeds").glob("*.txt"))] * 20
        src = "seed articles x20"
    res = speed(nlp, texts, repeat=args.repeat)
    print(f"{res['words_per_s']:,.0f} words/s on one core ({res['words']:,} words; {src}; best of {args.repeat}); reference: >= 8,000 words/s (issue 5)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
