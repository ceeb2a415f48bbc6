"""Readers and converters for the four public Indonesian NER corpora.

The corpora live in ``../shared/data/ner`` (relative to the repository root) by
default; override with ``--data`` or the ``NETRA_NER_DATA`` environment
variable.  See that folder's README for the formats and the leakage notes.

What this module does:

* reads ``idner-news-2k`` (space-separated ``token POS NER``, CRLF),
  ``indonlu-nergrit`` and ``indonlu-nerp`` (``token<TAB>tag``; NERP tokens may
  contain spaces and are split into several tokens) and
  ``yusufs-indonesia-ner`` (one untokenized sentence per line with inline
  ``<PERSON>...</PERSON>`` tags, tokenized here with ``spacy.blank("id")``);
* repairs orphan ``I-`` tags (an ``I-X`` that does not follow ``B-X``/``I-X``
  becomes ``B-X``);
* maps the labels to PER / ORG / LOC (see ``LABEL_MAPS``).  NERP has no ORG
  class: its ``IND`` (brands, media, companies) spans and its ``O`` tokens
  that look like organisations (KPK, DPR, Pemkab ...) become *missing*
  (``-``), so they neither teach "this is not an ORG" nor "this is an ORG";
* removes from every training and dev sentence anything that appears in ANY
  corpus's test split (compared after lowercasing and deleting every
  non-alphanumeric character, also per embedded sentence), de-duplicates
  sentences across corpora (idner-news-2k wins over NERP and yusufs for the
  shared Kompas text), and drops training sentences that occur in dev;
* adds case-augmented copies (lowercased copies of cased text, re-cased copies
  of the lowercased NERP text, Title Case and UPPER CASE "headline" copies);
* writes spaCy DocBin files: ``train.spacy``, ``dev.spacy`` and one
  ``test-<corpus>.spacy`` per corpus, plus a ``stats.json``.

Run ``python -m pipeline.nlp.ner_corpora --help``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import logging
import random
import re
import warnings
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.logs import get_logger
from pipeline.nlp.ner_common import MISSING, Sentence, blank_nlp, resolve_data_dir
from pipeline.nlp.ner_silver import generate_silver
from pipeline.settings import REPO_DIR

log = get_logger(__name__)

DEFAULT_OUT = REPO_DIR / "data" / "processed" / "ner"

CORPORA = ("idner", "nergrit", "nerp", "yusufs")

# corpus -> {source label: target label | "O" | "-" (missing)}
LABEL_MAPS: dict[str, dict[str, str]] = {
    "idner": {"PER": "PER", "ORG": "ORG", "LOC": "LOC"},
    "nergrit": {"PERSON": "PER", "ORGANISATION": "ORG", "PLACE": "LOC"},
    # IND is NOT ORG (brands, products, media, clubs): unknown -> missing.
    # EVT ("pemilu 2014", "rapat paripurna") is O in the other corpora.
    "nerp": {"PPL": "PER", "PLC": "LOC", "IND": MISSING, "EVT": "O", "FNB": "O"},
    "yusufs": {"PERSON": "PER", "ORGANIZATION": "ORG", "LOCATION": "LOC", "TIME": "O", "QUANTITY": "O"},
}

# Lowercased words that mark an organisation name.  NERP tags them O because it
# has no ORG class; in NERP sentences such tokens (and the rest of the
# capitalised-looking run they start) become missing instead of O.
NERP_ORG_WORDS = frozenset(
    [
        "kpk",
        "dpr",
        "dprd",
        "dpd",
        "mpr",
        "polri",
        "tni",
        "kpu",
        "kpud",
        "bawaslu",
        "panwaslu",
        "panwaslih",
        "dkpp",
        "bpk",
        "bpkp",
        "pemkab",
        "pemkot",
        "pemko",
        "pemprov",
        "pemda",
        "pemerintah",
        "kementerian",
        "kemendagri",
        "kemenpan",
        "menpan",
        "kemenkeu",
        "kemenag",
        "kemenkes",
        "kemendikbud",
        "kejagung",
        "kejati",
        "kejari",
        "kejaksaan",
        "polda",
        "polres",
        "polsek",
        "kodam",
        "korem",
        "kodim",
        "koramil",
        "mahkamah",
        "ma",
        "mk",
        "ky",
        "kasn",
        "bkn",
        "bkd",
        "bkpsdm",
        "bappeda",
        "bappenas",
        "dinas",
        "partai",
        "pdip",
        "pdi-p",
        "golkar",
        "gerindra",
        "demokrat",
        "pks",
        "pkb",
        "ppp",
        "pan",
        "nasdem",
        "hanura",
        "perindo",
        "psi",
        "universitas",
        "univ",
        "ui",
        "ugm",
        "itb",
        "unpad",
        "undip",
        "unair",
        "uin",
        "iain",
        "institut",
        "sekolah",
        "sma",
        "smp",
        "sd",
        "bank",
        "bi",
        "ojk",
        "pln",
        "pertamina",
        "bumn",
        "bumd",
        "telkom",
        "garuda",
        "kadin",
        "kpai",
        "komnas",
        "ham",
        "lsm",
        "icw",
        "walhi",
        "fraksi",
        "komisi",
        "badan",
        "dewan",
        "majelis",
        "lembaga",
        "direktorat",
        "ditjen",
        "sekretariat",
        "setda",
        "setwan",
        "pengadilan",
        "pn",
        "pt",
        "kpk-ri",
        "persib",
        "persija",
        "arema",
    ]
)


# ---------------------------------------------------------------------------
# low-level readers


def _read_text(path: Path) -> str:
    return path.read_bytes().decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


def read_columns(
    text: str, sep: str | None, token_col: int = 0, tag_col: int = -1
) -> Iterator[tuple[list[str], list[str]]]:
    """Blank-line separated token-per-line blocks -> (tokens, raw tags).

    ``sep=None`` splits on runs of whitespace (idner-news-2k), ``"\\t"`` splits on
    TAB only, so tokens may contain spaces (NERP multi-word tokens).
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    toks: list[str] = []
    tags: list[str] = []
    for line in text.split("\n"):
        if not line.strip():
            if toks:
                yield toks, tags
                toks, tags = [], []
            continue
        parts = line.split(sep) if sep else line.split()
        if len(parts) < 2:
            log.debug("skipping malformed line %r", line)
            continue
        toks.append(parts[token_col].strip() if sep else parts[token_col])
        tags.append(parts[tag_col].strip())
    if toks:
        yield toks, tags


def split_multiword(tokens: list[str], tags: list[str]) -> tuple[list[str], list[str]]:
    """Split tokens containing spaces ("sementara itu") into several tokens."""
    out_t: list[str] = []
    out_g: list[str] = []
    for tok, tag in zip(tokens, tags, strict=False):
        parts = tok.split()
        if not parts:
            continue
        if len(parts) == 1:
            out_t.append(parts[0])
            out_g.append(tag)
            continue
        for i, p in enumerate(parts):
            out_t.append(p)
            if tag.startswith("B-") and i > 0:
                out_g.append("I-" + tag[2:])
            else:
                out_g.append(tag)
    return out_t, out_g


def fix_iob(tags: list[str]) -> list[str]:
    """Turn orphan I- tags (not after B-X/I-X of the same type) into B-."""
    out: list[str] = []
    prev = "O"
    for tag in tags:
        if tag.startswith("I-"):
            typ = tag[2:]
            if not (prev.startswith(("B-", "I-")) and prev[2:] == typ):
                tag = "B-" + typ
        out.append(tag)
        prev = tag
    return out


def map_tags(tags: list[str], mapping: dict[str, str]) -> list[str]:
    """Map source entity types; entities mapped to O/missing lose their span."""
    out: list[str] = []
    for tag in tags:
        if tag == "O" or tag == MISSING:
            out.append(tag)
            continue
        pre, _, typ = tag.partition("-")
        tgt = mapping.get(typ)
        if tgt is None:
            log.debug("unknown label %s, mapped to O", tag)
            tgt = "O"
        out.append(tgt if tgt in ("O", MISSING) else f"{pre}-{tgt}")
    return fix_iob(out)


_XML_TAG = re.compile(r"<(/?)([A-Z]+)>")


def parse_inline_xml(line: str) -> tuple[str, list[tuple[int, int, str]]]:
    """``"a <PERSON>B C</PERSON> d"`` -> ("a B C d", [(2, 5, "PERSON")])."""
    text_parts: list[str] = []
    spans: list[tuple[int, int, str]] = []
    pos = 0
    length = 0
    open_label: str | None = None
    open_start = 0
    for m in _XML_TAG.finditer(line):
        chunk = line[pos : m.start()]
        text_parts.append(chunk)
        length += len(chunk)
        closing, label = m.group(1) == "/", m.group(2)
        if not closing:
            open_label, open_start = label, length
        elif open_label == label:
            spans.append((open_start, length, label))
            open_label = None
        pos = m.end()
    text_parts.append(line[pos:])
    return "".join(text_parts), spans


def tokenize_inline(line: str) -> tuple[list[str], list[str]]:
    """Tokenize a yusufs line with spaCy's Indonesian tokenizer -> IOB2 tags."""
    from spacy.training import biluo_to_iob, offsets_to_biluo_tags

    text, spans = parse_inline_xml(line)
    # Strip the spans' own surrounding whitespace so that offsets align with tokens.
    clean: list[tuple[int, int, str]] = []
    for s, e, lab in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            clean.append((s, e, lab))
    nlp = blank_nlp()
    doc = nlp.make_doc(text)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        biluo = offsets_to_biluo_tags(doc, clean, missing="O")
    if "-" not in biluo:
        tags = biluo_to_iob(biluo)
        return [t.text for t in doc if not t.is_space], [g for t, g in zip(doc, tags, strict=False) if not t.is_space]
    # A span boundary falls inside a spaCy token (e.g. "<PERSON>Jokowi</PERSON>yang"):
    # tokenize each piece between span boundaries on its own.
    return _tokenize_pieces(nlp, text, clean)


def _tokenize_pieces(nlp: Language, text: str, spans: list[tuple[int, int, str]]) -> tuple[list[str], list[str]]:
    cuts = sorted({0, len(text)} | {s for s, _, _ in spans} | {e for _, e, _ in spans})
    words: list[str] = []
    tags: list[str] = []
    for a, b in itertools.pairwise(cuts):
        label = next((lab for s, e, lab in spans if s <= a and b <= e), None)
        first = True
        for t in nlp.make_doc(text[a:b]):
            if t.is_space:
                continue
            words.append(t.text)
            if label is None:
                tags.append("O")
            else:
                tags.append(("B-" if (first and a in {s for s, _, _ in spans}) else "I-") + label)
            first = False
    return words, fix_iob(tags)


# ---------------------------------------------------------------------------
# corpus readers

SPLIT_FILES: dict[str, dict[str, str]] = {
    "idner": {"train": "idner-news-2k/train.txt", "dev": "idner-news-2k/dev.txt", "test": "idner-news-2k/test.txt"},
    "nergrit": {
        "train": "indonlu-nergrit/train_preprocess.txt",
        "dev": "indonlu-nergrit/valid_preprocess.txt",
        "test": "indonlu-nergrit/test_preprocess.txt",
    },
    "nerp": {
        "train": "indonlu-nerp/train_preprocess.txt",
        "dev": "indonlu-nerp/valid_preprocess.txt",
        "test": "indonlu-nerp/test_preprocess.txt",
    },
    "yusufs": {"train": "yusufs-indonesia-ner/data_train.txt", "test": "yusufs-indonesia-ner/data_test.txt"},
}


def convert_block(
    corpus: str, tokens: list[str], raw_tags: list[str], mask_orgs: bool = True
) -> tuple[list[str], list[str]]:
    """Convert one sentence of ``corpus`` (already split in columns) to target tags."""
    if corpus == "nerp":
        tokens, raw_tags = split_multiword(tokens, raw_tags)
    tags = map_tags(fix_iob(raw_tags), LABEL_MAPS[corpus])
    if corpus == "nerp" and mask_orgs:
        tags = mask_nerp_orgs(tokens, tags)
    return tokens, tags


def mask_nerp_orgs(tokens: list[str], tags: list[str]) -> list[str]:
    """Mark NERP ``O`` tokens that look like organisation names as missing.

    An org word (kpk, pemkab, partai ...) and the following up to 3 ``O``
    tokens that are not function words are masked: "partai golkar",
    "pemkab bogor", "dinas tata kota".
    """
    stop = {
        "di",
        "ke",
        "dari",
        "yang",
        "dan",
        "atau",
        "untuk",
        "dengan",
        "pada",
        "dalam",
        "itu",
        "ini",
        ",",
        ".",
        "(",
        ")",
        '"',
        "'",
        ":",
        ";",
        "-",
        "oleh",
        "akan",
        "telah",
        "sudah",
        "juga",
        "tidak",
    }
    out = list(tags)
    i = 0
    while i < len(tokens):
        if out[i] == "O" and tokens[i].lower() in NERP_ORG_WORDS:
            out[i] = MISSING
            j = i + 1
            while j < len(tokens) and j <= i + 3 and out[j] == "O" and tokens[j].lower() not in stop:
                out[j] = MISSING
                j += 1
            i = j
        else:
            i += 1
    return out


def read_corpus(
    data_dir: Path, corpus: str, splits: Iterable[str] | None = None, mask_orgs: bool = True
) -> dict[str, list[Sentence]]:
    """Read the splits of one corpus -> {split: [Sentence]}.

    ``mask_orgs=False`` keeps NERP's organisation-like ``O`` tokens as ``O``
    (used for evaluation; ``IND`` spans stay missing either way).
    """
    out: dict[str, list[Sentence]] = {}
    for split, rel in SPLIT_FILES[corpus].items():
        if splits is not None and split not in splits:
            continue
        path = data_dir / rel
        if not path.exists():
            raise FileNotFoundError(f"{path} not found (NER corpora folder: {data_dir})")
        text = _read_text(path)
        sents: list[Sentence] = []
        if corpus == "yusufs":
            for line in text.split("\n"):
                if not line.strip():
                    continue
                toks, tags = tokenize_inline(line.strip())
                tags = map_tags(tags, LABEL_MAPS[corpus])
                sents.append(Sentence(toks, tags, corpus, split))
        else:
            sep = None if corpus == "idner" else "\t"
            for toks, raw in read_columns(text, sep):
                toks, tags = convert_block(corpus, toks, raw, mask_orgs=mask_orgs)
                if toks:
                    sents.append(Sentence(toks, tags, corpus, split))
        out[split] = sents
        log.info("%s/%s: %d sentences", corpus, split, len(sents))
    return out


def read_all(data_dir: Path) -> dict[str, dict[str, list[Sentence]]]:
    return {c: read_corpus(data_dir, c) for c in CORPORA}


# ---------------------------------------------------------------------------
# leakage control and de-duplication


def dedup_splits(
    corpora: dict[str, dict[str, list[Sentence]]],
    train_corpora: Iterable[str] = ("idner", "nergrit", "nerp"),
    dev_corpora: Iterable[str] = ("idner", "nergrit", "nerp"),
) -> tuple[list[Sentence], list[Sentence], dict[str, list[Sentence]], dict[str, Any]]:
    """Build leak-free train/dev sets and the per-corpus test sets.

    * every sentence (or embedded sentence) that occurs in ANY corpus's test
      split is removed from train and dev;
    * dev sentences of any corpus are removed from train;
    * duplicates inside train and dev are dropped, the first occurrence in
      ``train_corpora`` order wins (idner-news-2k before NERP).
    """
    stats: dict[str, Any] = {
        "removed_test_overlap": Counter(),
        "removed_dev_overlap": Counter(),
        "removed_dup": Counter(),
    }
    test_keys: set[str] = set()
    tests: dict[str, list[Sentence]] = {}
    for c, splits in corpora.items():
        tests[c] = list(splits.get("test", []))
        for s in tests[c]:
            test_keys |= s.sub_keys()

    def _touches(s: Sentence, keys: set[str]) -> bool:
        return any(k in keys for k in s.sub_keys())

    dev: list[Sentence] = []
    seen: set[str] = set()
    for c in dev_corpora:
        for s in corpora.get(c, {}).get("dev", []):
            if _touches(s, test_keys):
                stats["removed_test_overlap"][f"{c}/dev"] += 1
                continue
            if s.key in seen:
                stats["removed_dup"][f"{c}/dev"] += 1
                continue
            seen.add(s.key)
            dev.append(s)
    dev_keys: set[str] = set()
    # All dev splits (even of corpora not used as dev) are kept out of train.
    for splits in corpora.values():
        for s in splits.get("dev", []):
            dev_keys |= s.sub_keys()

    train: list[Sentence] = []
    seen = set()
    for c in train_corpora:
        for s in corpora.get(c, {}).get("train", []):
            if _touches(s, test_keys):
                stats["removed_test_overlap"][f"{c}/train"] += 1
                continue
            if _touches(s, dev_keys):
                stats["removed_dev_overlap"][f"{c}/train"] += 1
                continue
            if s.key in seen:
                stats["removed_dup"][f"{c}/train"] += 1
                continue
            seen.add(s.key)
            train.append(s)
    stats = {k: dict(v) for k, v in stats.items()}
    stats["train"] = dict(Counter(s.corpus for s in train))
    stats["dev"] = dict(Counter(s.corpus for s in dev))
    stats["test"] = {c: len(v) for c, v in tests.items()}
    return train, dev, tests, stats


def leaked(train: Iterable[Sentence], tests: dict[str, list[Sentence]]) -> list[tuple[str, str]]:
    """(train corpus, test corpus) pairs of sentences that are still shared."""
    idx: dict[str, str] = {}
    for c, sents in tests.items():
        for s in sents:
            idx[s.key] = c
    return [(s.corpus, idx[s.key]) for s in train if s.key in idx]


# ---------------------------------------------------------------------------
# case augmentation

_LOWER_FUNCTION = {"di", "ke", "dari", "dan", "yang", "untuk", "dengan", "pada", "dalam", "atau", "oleh"}


def lowercase_copy(s: Sentence) -> Sentence:
    return replace(s, tokens=[t.lower() for t in s.tokens], meta={**s.meta, "aug": "lower"})


def uppercase_copy(s: Sentence) -> Sentence:
    return replace(s, tokens=[t.upper() for t in s.tokens], meta={**s.meta, "aug": "upper"})


def titlecase_copy(s: Sentence, max_tokens: int = 18, rng: random.Random | None = None) -> Sentence:
    """A "headline" copy: a window of at most ``max_tokens`` tokens with every
    word capitalised (news headline style), labels unchanged."""
    rng = rng or random.Random(0)
    toks, tags = s.tokens, s.tags
    if len(toks) > max_tokens:
        start = rng.randrange(0, len(toks) - max_tokens + 1)
        # do not cut inside an entity
        while start > 0 and tags[start].startswith("I-"):
            start -= 1
        end = start + max_tokens
        while end < len(toks) and tags[end].startswith("I-"):
            end += 1
        toks, tags = toks[start:end], tags[start:end]
    new = []
    for t in toks:
        if t.isalpha() and t.islower() and t not in _LOWER_FUNCTION:
            t = t[0].upper() + t[1:]
        new.append(t)
    return Sentence(new, list(tags), s.corpus, s.split, {**s.meta, "aug": "title"})


def recase_nerp(s: Sentence) -> Sentence:
    """A cased copy of a lowercased NERP sentence: PER/LOC tokens and the
    first token get an initial capital (names are capitalised in real text)."""
    toks = []
    for i, (t, g) in enumerate(zip(s.tokens, s.tags, strict=False)):
        if ((g[:2] in ("B-", "I-") and g[2:] in ("PER", "LOC")) or i == 0) and t[:1].isalpha():
            t = t[0].upper() + t[1:]
        toks.append(t)
    return replace(s, tokens=toks, meta={**s.meta, "aug": "recase"})


def augment_case(
    train: list[Sentence],
    seed: int = 13,
    p_lower: float = 0.3,
    p_title: float = 0.3,
    p_upper: float = 0.03,
    p_recase: float = 0.6,
) -> list[Sentence]:
    """Return ``train`` plus case-augmented copies (deterministic for ``seed``)."""
    rng = random.Random(seed)
    extra: list[Sentence] = []
    for s in train:
        lowercased_source = s.corpus == "nerp"
        if lowercased_source:
            if rng.random() < p_recase:
                extra.append(recase_nerp(s))
            continue
        if rng.random() < p_lower:
            extra.append(lowercase_copy(s))
        if rng.random() < p_title:
            extra.append(titlecase_copy(s, rng=rng))
        if rng.random() < p_upper:
            extra.append(uppercase_copy(s))
    return train + extra


# ---------------------------------------------------------------------------
# DocBin output


def to_doc(nlp: Language, s: Sentence) -> Doc:
    from spacy.tokens import Doc

    ents = [None if t == MISSING else t for t in s.tags]
    spaces = [True] * (len(s.tokens) - 1) + [False]
    return Doc(nlp.vocab, words=s.tokens, spaces=spaces, ents=ents)  # type: ignore[arg-type]  # None = missing


def write_docbin(path: Path, sents: Iterable[Sentence], nlp: Language | None = None) -> int:
    from spacy.tokens import DocBin

    nlp = nlp or blank_nlp()
    db = DocBin(attrs=["ORTH", "ENT_IOB", "ENT_TYPE"], store_user_data=False)
    n = 0
    for s in sents:
        db.add(to_doc(nlp, s))
        n += 1
    path.parent.mkdir(parents=True, exist_ok=True)
    db.to_disk(path)
    log.info("wrote %s (%d docs)", path, n)
    return n


def build(
    data_dir: Path,
    out_dir: Path,
    seed: int = 13,
    silver: bool = True,
    silver_n: int = 4000,
    regions_dir: Path | None = None,
    silver_dev_n: int = 400,
    idner_copies: int = 1,
) -> dict[str, Any]:
    """Convert, de-duplicate, augment and write all DocBins; return stats."""
    corpora = read_all(data_dir)
    train, dev, tests, stats = dedup_splits(corpora)
    bad = leaked(train, tests) + leaked(dev, tests)
    if bad:  # pragma: no cover - guarded by dedup_splits
        raise RuntimeError(f"{len(bad)} test sentences leaked into train/dev")
    silver_sents: list[Sentence] = []
    if silver:
        silver_sents = generate_silver(train, n=silver_n, seed=seed, regions_dir=regions_dir)
        # silver sentences must never collide with test text either
        test_keys = {s.key for v in tests.values() for s in v}
        silver_sents = [s for s in silver_sents if s.key not in test_keys]
        stats["silver"] = len(silver_sents)
        # a small silver dev set (other seed, no sentence shared with silver
        # train) so that model selection also sees the officials patterns
        if silver_dev_n:
            seen_keys = {s.key for s in silver_sents} | test_keys
            silver_dev = [
                replace(s, split="dev")
                for s in generate_silver(train, n=silver_dev_n, seed=seed + 100, regions_dir=regions_dir)
                if s.key not in seen_keys
            ]
            dev = dev + silver_dev
            stats["dev"]["silver"] = len(silver_dev)
    # idner-news-2k is the only gold news set with ORG: give it more weight
    train = train + [s for s in train if s.corpus == "idner"] * max(0, idner_copies - 1)
    stats["idner_copies"] = idner_copies
    full = augment_case(train, seed=seed) + augment_case(silver_sents, seed=seed + 1, p_title=0.3)
    random.Random(seed).shuffle(full)
    stats["train_with_augmentation"] = len(full)
    stats["train_aug"] = dict(Counter(s.meta.get("aug", "none") for s in full))
    out_dir.mkdir(parents=True, exist_ok=True)
    write_docbin(out_dir / "train.spacy", full)
    write_docbin(out_dir / "dev.spacy", dev)
    for c, sents in tests.items():
        write_docbin(out_dir / f"test-{c}.spacy", sents)
    (out_dir / "stats.json").write_text(json.dumps(stats, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return stats


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Convert the Indonesian NER corpora to leak-free spaCy DocBins.")
    ap.add_argument("--data", help="NER corpora folder (default: $NETRA_NER_DATA or ../shared/data/ner)")
    ap.add_argument(
        "--regions",
        help="region gazetteer folder for silver templates (default: $NETRA_REGIONS_DATA or ../shared/data/regions)",
    )
    ap.add_argument("--out", default=str(DEFAULT_OUT), help="output folder for DocBins (default: data/processed/ner)")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--silver-n", type=int, default=4000, help="number of silver training sentences (0 = none)")
    ap.add_argument(
        "--idner-copies", type=int, default=1, help="copies of idner-news-2k train (oversampling; 1 = none)"
    )
    ap.add_argument("--silver-dev-n", type=int, default=400, help="number of silver dev sentences (other seed)")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    data_dir = resolve_data_dir(args.data)
    if not data_dir.is_dir():
        ap.error(f"NER corpora folder not found: {data_dir} (set --data or NETRA_NER_DATA)")
    stats = build(
        data_dir,
        Path(args.out),
        seed=args.seed,
        silver=args.silver_n > 0,
        silver_n=args.silver_n,
        silver_dev_n=args.silver_dev_n,
        idner_copies=args.idner_copies,
        regions_dir=Path(args.regions) if args.regions else None,
    )
    print(json.dumps(stats, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
