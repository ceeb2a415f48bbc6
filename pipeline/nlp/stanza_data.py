"""Training data for the Stanza NER (``models/stanza-id``): Stanza NER JSON and word vectors.

The sentences are exactly those of ``models/ner-id``: ``python -m pipeline.nlp.ner_corpora``
writes the leak-free, augmented ``train.spacy`` / ``dev.spacy`` (docs/ner.md), and this module
converts those DocBins, so the two backends share one split and one augmentation:

* ``train.json`` / ``dev.json``: Stanza's NER format, a list of sentences, each a list of
  ``{"text": token, "ner": IOB2 tag}``. Tokens whose label is *missing* in the DocBin (NERP's
  ``IND`` spans and organisation-like words, see ``ner_corpora.mask_nerp_orgs``) get the tag
  ``"-"``, which Stanza's trainer masks out of the CRF loss, as spaCy does.
* ``vectors.txt`` / ``pretrain.pt``: word2vec vectors (gensim, skip-gram, fixed seed, one worker
  so the result is reproducible) trained over the lowercased tokens of the train and dev
  sentences only (never a test split), converted into Stanza's pretrain file. Stanza looks
  words up lowercased by default, hence the lowercase vocabulary.

Run ``python -m pipeline.nlp.stanza_data --help``.
"""

from __future__ import annotations

import argparse
import json
import logging
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from pipeline.logs import get_logger
from pipeline.settings import REPO_DIR

log = get_logger(__name__)

DEFAULT_NER_WORK = REPO_DIR / "data" / "processed" / "ner"
MISSING = "-"

Token = dict[str, str]


def docbin_sentences(path: Path) -> Iterator[list[Token]]:
    """The sentences of a DocBin written by ``ner_corpora`` as Stanza token dicts (IOB2 or ``-``)."""
    import spacy
    from spacy.tokens import DocBin

    vocab = spacy.blank("id").vocab
    for doc in DocBin().from_disk(path).get_docs(vocab):
        sent: list[Token] = []
        for tok in doc:
            if tok.ent_iob_ == "":  # missing annotation: no gradient
                tag = MISSING
            elif tok.ent_iob_ == "O":
                tag = "O"
            else:
                tag = f"{tok.ent_iob_}-{tok.ent_type_}"
            sent.append({"text": tok.text, "ner": tag})
        if sent:
            yield sent


def sentences_to_json(sents: Iterable[list[Token]], path: Path) -> int:
    """Write sentences as Stanza NER JSON; returns the number of sentences."""
    data = list(sents)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    log.info("wrote %s (%d sentences)", path, len(data))
    return len(data)


def stable_hash(text: str) -> int:
    """A hash that does not change between processes (gensim's default, ``hash``, is salted per process)."""
    return zlib.crc32(text.encode("utf-8"))


def train_word_vectors(
    sentences: list[list[str]], dim: int = 100, seed: int = 13, epochs: int = 10, min_count: int = 2
) -> Any:
    """gensim word2vec (skip-gram) over lowercased tokens; one worker and a stable hash for the initial
    vectors make it reproducible byte for byte."""
    from gensim.models import Word2Vec

    lowered = [[w.lower() for w in s] for s in sentences]
    return Word2Vec(
        sentences=lowered,
        vector_size=dim,
        window=5,
        min_count=min_count,
        sg=1,
        negative=5,
        epochs=epochs,
        seed=seed,
        workers=1,
        hashfxn=stable_hash,
    )


def write_pretrain(model: Any, vectors_txt: Path, pretrain_pt: Path, max_vocab: int = 100_000) -> int:
    """Save word2vec text vectors and Stanza's ``.pt`` pretrain built from them; returns the vocabulary size.

    Words are written most frequent first, so ``max_vocab`` keeps the most frequent ones."""
    from stanza.models.common.pretrain import Pretrain

    vectors_txt.parent.mkdir(parents=True, exist_ok=True)
    model.wv.save_word2vec_format(str(vectors_txt), binary=False)  # gensim orders by frequency
    if pretrain_pt.exists():
        pretrain_pt.unlink()  # Pretrain loads an existing .pt instead of rebuilding it
    pretrain = Pretrain(str(pretrain_pt), str(vectors_txt), max_vocab=max_vocab, save_to_file=True)
    n = len(pretrain.vocab)
    log.info("wrote %s (%d words, dim %d)", pretrain_pt, n, pretrain.emb.shape[1])
    return n


def build(ner_work: Path, out_dir: Path, dim: int = 100, seed: int = 13, max_vocab: int = 100_000) -> dict[str, Any]:
    """DocBins of ``ner_work`` -> Stanza JSON + pretrain in ``out_dir``; returns stats."""
    stats: dict[str, Any] = {}
    texts: list[list[str]] = []
    for split in ("train", "dev"):
        src = ner_work / f"{split}.spacy"
        if not src.is_file():
            raise FileNotFoundError(f"{src} not found: run `python -m pipeline.nlp.ner_corpora --out {ner_work}` first")
        sents = list(docbin_sentences(src))
        stats[split] = sentences_to_json(sents, out_dir / f"{split}.json")
        stats[f"{split}_missing_tokens"] = sum(t["ner"] == MISSING for s in sents for t in s)
        texts += [[t["text"] for t in s] for s in sents]
    model = train_word_vectors(texts, dim=dim, seed=seed)
    stats["pretrain_words"] = write_pretrain(model, out_dir / "vectors.txt", out_dir / "pretrain.pt", max_vocab)
    stats["pretrain_dim"] = dim
    (out_dir / "stats.json").write_text(json.dumps(stats, indent=2) + "\n", encoding="utf-8")
    return stats


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Stanza NER JSON and word2vec pretrain from ner_corpora's DocBins.")
    ap.add_argument("--ner-work", default=str(DEFAULT_NER_WORK), help="folder with train.spacy/dev.spacy")
    ap.add_argument("--out", required=True, help="output folder (train.json, dev.json, vectors.txt, pretrain.pt)")
    ap.add_argument("--dim", type=int, default=100, help="word vector size")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--max-vocab", type=int, default=100_000, help="most frequent words kept in the pretrain")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    stats = build(Path(args.ner_work), Path(args.out), dim=args.dim, seed=args.seed, max_vocab=args.max_vocab)
    print(json.dumps(stats, indent=2))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
