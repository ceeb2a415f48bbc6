"""Train the Stanza NER (``python -m stanza.models.ner_tagger``) and release it as ``models/stanza-id``.

Input: the folder written by :mod:`pipeline.nlp.stanza_data` (``train.json``, ``dev.json``,
``pretrain.pt``). The trainer runs on CPU with one thread, seed 13, Adam; ``--max-steps`` caps it so
that ``make train-stanza`` fits in about an hour on the 2-core machine (docs/ner.md says what the cap
costs). The checkpoint with the best dev F1 (evaluated every ``--eval-interval`` steps, dev split only)
is released: ``ner.pt``, ``pretrain.pt``, ``meta.json``, an empty ``resources.json`` (so that
``stanza.Pipeline`` needs no download) and the card template ``models/stanza-id.card.md`` as
``MODEL_CARD.md``; ``pipeline.nlp.stanza_evaluate`` then writes the test scores into the card.

Run ``python -m pipeline.nlp.stanza_train --help``.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from pipeline.logs import get_logger
from pipeline.settings import REPO_DIR

log = get_logger(__name__)

DEFAULT_DEST = REPO_DIR / "models" / "stanza-id"
CARD_TEMPLATE = REPO_DIR / "models" / "stanza-id.card.md"
VERSION = "0.1.0"
SAVE_NAME = "id_netra_nertagger.pt"

# Trainer settings that are not Stanza's defaults, and why: Adam converges within the step budget
# (Stanza's default SGD needs tens of thousands of steps); batches of 64 sentences give ~1.7x the
# sentences per second of 32 on one CPU thread; dev is evaluated often enough to pick a checkpoint.
TRAINER_ARGS: tuple[str, ...] = (
    "--shorthand",
    "id_netra",
    "--optim",
    "adam",
    "--lr",
    "0.002",
    "--patience",
    "2",
    "--batch_size",
    "64",
    "--seed",
    "13",
    "--cpu",
)


def trainer_command(work: Path, save_dir: Path, max_steps: int, eval_interval: int) -> list[str]:
    """The exact ``stanza.models.ner_tagger`` command line."""
    return [
        sys.executable, "-m", "stanza.models.ner_tagger",
        "--train_file", str(work / "train.json"),
        "--eval_file", str(work / "dev.json"),
        "--wordvec_pretrain_file", str(work / "pretrain.pt"),
        "--save_dir", str(save_dir),
        "--save_name", SAVE_NAME,
        "--max_steps", str(max_steps),
        "--max_steps_no_improve", str(max(eval_interval * 4, max_steps // 2)),
        "--eval_interval", str(eval_interval),
        "--log_step", "25",
        *TRAINER_ARGS,
    ]  # fmt: skip


_DEV_LINE = re.compile(r"step (\d+): train_loss = ([\d.]+), dev_score = ([\d.]+)")
_BEST_LINE = re.compile(r"Best dev F1 = ([\d.]+), at iteration = (\d+)")


def parse_log(text: str) -> dict[str, Any]:
    """Dev F1 per evaluation and the best one, from the trainer's log."""
    curve = [{"step": int(s), "train_loss": float(loss), "dev_f1": float(f)} for s, loss, f in _DEV_LINE.findall(text)]
    out: dict[str, Any] = {"dev_curve": curve}
    best = _BEST_LINE.search(text)
    if best:
        out["best_dev_f1"] = float(best.group(1)) / 100
        out["best_step"] = int(best.group(2))
    elif curve:
        top = max(curve, key=lambda c: c["dev_f1"])
        out["best_dev_f1"], out["best_step"] = top["dev_f1"], top["step"]
    out["steps"] = max((c["step"] for c in curve), default=0)
    return out


def train(work: Path, save_dir: Path, max_steps: int, eval_interval: int) -> dict[str, Any]:
    """Run the trainer (one CPU thread) and return what its log says."""
    save_dir.mkdir(parents=True, exist_ok=True)
    cmd = trainer_command(work, save_dir, max_steps, eval_interval)
    log_path = save_dir / "train.log"
    env = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    log.info("training: %s (log: %s)", " ".join(cmd), log_path)
    with log_path.open("w", encoding="utf-8") as fh:
        subprocess.run(cmd, check=True, stdout=fh, stderr=subprocess.STDOUT, env=env)
    info = parse_log(log_path.read_text(encoding="utf-8"))
    info["command"] = cmd[1:]
    return info


def release(save_dir: Path, work: Path, dest: Path, info: dict[str, Any]) -> Path:
    """Copy the best checkpoint and the pretrain into ``dest`` with meta.json, resources.json and the card."""
    import stanza
    import torch

    model = save_dir / SAVE_NAME
    if not model.is_file():
        raise FileNotFoundError(f"{model} not found: the trainer saved no checkpoint (see {save_dir / 'train.log'})")
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(model, dest / "ner.pt")
    shutil.copyfile(work / "pretrain.pt", dest / "pretrain.pt")
    (dest / "resources.json").write_text("{}\n", encoding="utf-8")
    data_stats = (
        json.loads((work / "stats.json").read_text(encoding="utf-8")) if (work / "stats.json").is_file() else {}
    )
    meta = {
        "name": "stanza-id",
        "version": VERSION,
        "lang": "id",
        "labels": ["PER", "ORG", "LOC"],
        "description": "Netra Indonesian NER, Stanza BiLSTM-CRF (char BiLSTM + word2vec trained here), no charlm",
        "framework": f"stanza {stanza.__version__}, torch {torch.__version__}",
        "license": "MIT",
        "training": {
            "command": "make train-stanza",
            "trainer": " ".join(str(a) for a in info.get("command", [])),
            "best_step": info.get("best_step"),
            "steps": info.get("steps"),
            "best_dev_f1": info.get("best_dev_f1"),
            "dev_curve": info.get("dev_curve", []),
            "data": data_stats,
        },
        "sources": ["idner-news-2k (MIT)", "indonlu-nergrit (Apache-2.0; NERGrit attribution)",
                    "indonlu-nerp (Apache-2.0)", "silver officials sentences (this project, MIT)"],
    }  # fmt: skip
    (dest / "meta.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if CARD_TEMPLATE.is_file():
        shutil.copyfile(CARD_TEMPLATE, dest / "MODEL_CARD.md")
    log.info("released %s (best dev F1 %s at step %s)", dest, info.get("best_dev_f1"), info.get("best_step"))
    return dest


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Train the Stanza NER and release it as models/stanza-id.")
    ap.add_argument(
        "--work", required=True, help="folder from pipeline.nlp.stanza_data (train.json, dev.json, pretrain.pt)"
    )
    ap.add_argument("--dest", default=str(DEFAULT_DEST), help="release folder (default: models/stanza-id)")
    ap.add_argument("--max-steps", type=int, default=1000, help="training steps (batches of 64 sentences)")
    ap.add_argument("--eval-interval", type=int, default=250, help="steps between dev evaluations")
    ap.add_argument(
        "--release-only", action="store_true", help="skip training; release the checkpoint in --work/train-out"
    )
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    work = Path(args.work)
    save_dir = work / "train-out"
    if args.release_only:
        info = parse_log((save_dir / "train.log").read_text(encoding="utf-8"))
    else:
        info = train(work, save_dir, args.max_steps, args.eval_interval)
    info.setdefault("command", trainer_command(work, save_dir, args.max_steps, args.eval_interval)[1:])
    release(save_dir, work, Path(args.dest), info)
    print(json.dumps({k: v for k, v in info.items() if k != "command"}, indent=2))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
