"""Near-duplicate documents: syndicated copies and light rewrites (GDELT's best-known flaw).

MinHash over word 5-shingles with an LSH index (datasketch).  A document whose
estimated Jaccard similarity with an earlier one reaches the threshold is linked to
the *first* copy (``duplicate_of``) unless it adds text (clearly longer), so events
are counted once.  The index is not a file to keep in sync: it is rebuilt from
``documents.text`` when a run starts (``load_from_store``), recent documents first.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from datasketch import MinHash, MinHashLSH

from pipeline.logs import get_logger
from pipeline.store.db import Engine
from pipeline.store.documents import recent_first_copies

log = get_logger(__name__)

NUM_PERM = 64
SHINGLE = 5
THRESHOLD = 0.8
ADDS_TEXT = 1.3  # a copy with 30% more words than the first is kept as its own document
_WORD = re.compile(r"\w+")
# Fixed permutations: signatures are comparable across runs and processes.
_SEED = 1


def normalized_words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def text_sha256(text: str) -> str:
    return hashlib.sha256(" ".join(normalized_words(text)).encode("utf-8")).hexdigest()


def shingles(words: list[str], size: int = SHINGLE) -> set[bytes]:
    if len(words) < size:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i : i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


_TEMPLATE = MinHash(num_perm=NUM_PERM, seed=_SEED)


def signature(text: str) -> MinHash | None:
    grams = shingles(normalized_words(text))
    if not grams:
        return None
    # Sharing the permutations of one template avoids regenerating them per document.
    sig = MinHash(num_perm=NUM_PERM, seed=_SEED, permutations=_TEMPLATE.permutations, scheme=_TEMPLATE.scheme)
    sig.update_batch(list(grams))
    return sig


@dataclass(frozen=True)
class DuplicateMatch:
    doc_key: str  # the first copy
    similarity: float


class DuplicateIndex:
    """LSH index of document signatures, keyed by ``doc_key``, in arrival order."""

    def __init__(self, threshold: float = THRESHOLD):
        self.threshold = threshold
        self.lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self.signatures: dict[str, MinHash] = {}
        self.order: dict[str, int] = {}
        self.words: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self.signatures)

    def add(self, doc_key: str, text: str, sig: MinHash | None = None) -> None:
        if doc_key in self.signatures:
            return
        sig = sig if sig is not None else signature(text)
        if sig is None:
            return
        self.lsh.insert(doc_key, sig)
        self.signatures[doc_key] = sig
        self.order[doc_key] = len(self.order)
        self.words[doc_key] = len(normalized_words(text))

    def find(self, doc_key: str, text: str, sig: MinHash | None = None) -> DuplicateMatch | None:
        """The first earlier copy of ``text`` (not ``doc_key`` itself), or None."""
        sig = sig if sig is not None else signature(text)
        if sig is None:
            return None
        words = len(normalized_words(text))
        best: DuplicateMatch | None = None
        for key in self.lsh.query(sig):
            if key == doc_key:
                continue
            similarity = float(sig.jaccard(self.signatures[key]))
            if similarity < self.threshold or words > ADDS_TEXT * max(1, self.words[key]):
                continue
            if best is None or self.order[key] < self.order[best.doc_key]:
                best = DuplicateMatch(key, similarity)
        return best


def load_from_store(engine: Engine, limit: int = 50_000) -> DuplicateIndex:
    """An index of the most recent ``limit`` first copies in the store, oldest first."""
    index = DuplicateIndex()
    for doc_key, text in recent_first_copies(engine, limit):
        index.add(doc_key, text)
    log.debug("duplicate index: %d documents loaded", len(index))
    return index


__all__ = ["DuplicateIndex", "DuplicateMatch", "load_from_store", "signature", "text_sha256"]
