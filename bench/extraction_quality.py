"""Body-text quality of (a) plain ``trafilatura.extract`` (default settings) and (b) Netra's extractor.

Gold: ``../shared/data/html`` (see its README).
* anpandu, slasherrb, fundus: token-level precision / recall / F1 (bag of lower-cased ``\\w+``
  tokens), averaged over pages (macro); "Indonesian" = the 36 Indonesian-language article pages.
* trafilatura-eval: upstream method (``tests/eval_common.py``): whitespace-normalised substring
  checks of the "with" snippets (TP / FN) and "without" snippets (FP / TN), summed over the corpus.

Usage: .venv/bin/python bench/extraction_quality.py [--html-dir ../shared/data/html] [--pages] [--markdown]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

import trafilatura

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pipeline.extract.core import ExtractionError, extract_page  # noqa: E402

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "html"
SETS = {"anpandu": "anpandu-indonesian-news-scraper/", "slasherrb": "slasherrb/", "fundus": "fundus/"}


def tokens(text: str) -> Counter:
    return Counter(re.findall(r"\w+", text.lower()))


def prf(pred: str, gold: str) -> tuple[float, float, float]:
    p, g = tokens(pred), tokens(gold)
    tp = sum((p & g).values())
    precision = tp / sum(p.values()) if p else 0.0
    recall = tp / sum(g.values()) if g else 0.0
    f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
    return precision, recall, f1


def plain(html: bytes, url: str | None) -> str:
    return trafilatura.extract(html, url=url) or ""


def ours(html: bytes, url: str | None) -> str:
    try:
        return extract_page(html, url=url).text
    except ExtractionError:
        return ""


EXTRACTORS = {"plain trafilatura": plain, "netra": ours}


def gold_pages(html_dir: Path) -> list[dict]:
    manifest = {json.loads(l)["file"]: json.loads(l) for l in (html_dir / "manifest.jsonl").open()}
    pages = []
    for line in (html_dir / "gold.jsonl").open():
        gold = json.loads(line)
        if "text" not in gold:
            continue
        meta = manifest[gold["file"]]
        name = next(k for k, prefix in SETS.items() if gold["file"].startswith(prefix))
        pages.append({"file": gold["file"], "set": name, "url": meta["url"], "language": meta["language"],
                      "gold": gold["text"]})
    return pages


def score_token_sets(html_dir: Path, per_page: bool) -> dict:
    table: dict = defaultdict(lambda: defaultdict(list))
    for page in gold_pages(html_dir):
        html = (html_dir / page["file"]).read_bytes()
        groups = [page["set"]] + (["Indonesian (id pages)"] if page["language"] == "id" else [])
        row = []
        for name, fn in EXTRACTORS.items():
            scores = prf(fn(html, page["url"]), page["gold"])
            row.append(scores[2])
            for group in groups:
                table[group][name].append(scores)
        if per_page:
            print(f"  {page['file'][:70]:70} " + " ".join(f"{f:.3f}" for f in row), file=sys.stderr)
    return table


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def score_trafilatura_eval(html_dir: Path) -> dict:
    base = html_dir / "trafilatura-eval"
    evaldata = json.loads((base / "evaldata-subset.json").read_text())
    results = {}
    for name, fn in EXTRACTORS.items():
        tp = fn_ = fp = tn = 0
        for key, item in evaldata.items():
            html = (base / "pages" / item["file"]).read_bytes()
            url = key if key.startswith("http") else None
            text = _norm(fn(html, url))
            for snippet in item.get("with", []):
                tp, fn_ = (tp + 1, fn_) if _norm(snippet) in text else (tp, fn_ + 1)
            for snippet in item.get("without", []):
                fp, tn = (fp + 1, tn) if _norm(snippet) in text else (fp, tn + 1)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn_) if tp + fn_ else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        results[name] = (precision, recall, f1, len(evaldata))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--html-dir", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--pages", action="store_true", help="print per-page F1 (plain, ours) to stderr")
    args = parser.parse_args()
    table = score_token_sets(args.html_dir, args.pages)
    lines = ["| set | pages | plain P | plain R | plain F1 | ours P | ours R | ours F1 | plain pages F1<0.5 | ours pages F1<0.5 |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for group in ["anpandu", "slasherrb", "fundus", "Indonesian (id pages)"]:
        cells, low = [], []
        for name in EXTRACTORS:
            scores = table[group][name]
            cells += [sum(s[i] for s in scores) / len(scores) for i in range(3)]
            low.append(sum(1 for s in scores if s[2] < 0.5))
        n = len(table[group]["netra"])
        lines.append(f"| {group} | {n} | " + " | ".join(f"{c:.3f}" for c in cells) + f" | {low[0]} | {low[1]} |")
    te = score_trafilatura_eval(args.html_dir)
    pl, ou = te["plain trafilatura"], te["netra"]
    lines.append(f"| trafilatura-eval (snippets) | {pl[3]} | {pl[0]:.3f} | {pl[1]:.3f} | {pl[2]:.3f} | "
                 f"{ou[0]:.3f} | {ou[1]:.3f} | {ou[2]:.3f} | | |")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
