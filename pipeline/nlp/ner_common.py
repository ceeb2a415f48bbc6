"""What the NER training tools share: the sentence record, its de-duplication key, the
tokenizer and where the corpora are.  ``ner_corpora`` imports ``ner_silver``; both import
this module, which imports neither."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.language import Language

LABELS = ("PER", "ORG", "LOC")
MISSING = "-"

_NON_ALNUM = re.compile(r"[\W_]+", re.UNICODE)
_SENT_END = {".", "!", "?"}


def norm_key(text: str) -> str:
    """Sentence key used for de-duplication: lowercase, only alphanumerics."""
    return _NON_ALNUM.sub("", text.lower())


@dataclass
class Sentence:
    tokens: list[str]
    tags: list[str]  # IOB2 over LABELS, or "-" for missing
    corpus: str
    split: str
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return norm_key("".join(self.tokens))

    def sub_keys(self, min_len: int = 25) -> set[str]:
        """Keys of the sentence and of each embedded sentence (split at . ! ?)."""
        keys = {self.key}
        cur: list[str] = []
        for tok in [*self.tokens, "."]:
            if tok in _SENT_END:
                k = norm_key("".join(cur))
                if len(k) >= min_len:
                    keys.add(k)
                cur = []
            else:
                cur.append(tok)
        return keys


_tokenizer: Language | None = None


def blank_nlp() -> Language:
    global _tokenizer
    if _tokenizer is None:
        import spacy

        _tokenizer = spacy.blank("id")
    return _tokenizer


def resolve_data_dir(arg: str | os.PathLike[str] | None = None) -> Path:
    """CLI flag > ``NETRA_NER_DATA`` > ``../shared/data/ner`` next to the repo."""
    if arg:
        return Path(arg).expanduser().resolve()
    from pipeline.settings import load_settings

    return load_settings().nlp.ner_data.resolve()
