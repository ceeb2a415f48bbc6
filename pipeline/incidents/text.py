"""Text similarity of two reports: TF-IDF cosine (scikit-learn) over the texts of one linking run.

The IDF is fitted on the texts of the run (the new events and the members of the incidents they are compared
with), so a word every report of the night uses weighs little. Scores are kept with each link, so a later run
with other texts never changes a link already made.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer


class TextIndex:
    """Unique texts vectorised once (TF-IDF over hashed n-grams); :meth:`cosine` scores many pairs at a time."""

    def __init__(self, texts: Sequence[str], analyzer: str = "word") -> None:
        self._row: dict[str, int] = {}
        unique: list[str] = []
        for text in texts:
            if text not in self._row:
                self._row[text] = len(unique)
                unique.append(text)
        # "word": unigrams and bigrams (rewrites keep names and phrases, reorder clauses); "char_wb": character
        # 3-5-grams inside words (spelling variants of names, affixed forms: "Jemris"/"Yemris", "netral"/
        # "netralitas"). Sublinear tf so a word repeated in every sentence does not dominate.
        if analyzer not in ("word", "char_wb"):
            raise ValueError(f"text analyzer must be 'word' or 'char_wb', not {analyzer!r}")
        # Hashed features (2**20 columns): no vocabulary to build or hold, so a run over 100,000 articles stays
        # fast and small; collisions at this width do not move a cosine measurably.
        self.analyzer = analyzer
        hashing = HashingVectorizer(
            lowercase=True,
            analyzer=analyzer,
            ngram_range=(1, 2) if analyzer == "word" else (3, 5),
            n_features=2**20,
            alternate_sign=False,
            norm=None,
            dtype=np.float32,
        )
        self._matrix = None
        if any(t.strip() for t in unique):
            counts = hashing.transform(unique)
            self._matrix = TfidfTransformer(sublinear_tf=True).fit_transform(counts).tocsr()

    def row(self, text: str) -> int:
        return self._row[text]

    def cosine(self, rows_a: NDArray[np.int64], rows_b: NDArray[np.int64], chunk: int = 200_000) -> NDArray[np.float32]:
        """Cosine similarity of the text rows paired up (rows are L2-normalised: a dot product)."""
        out = np.zeros(len(rows_a), dtype=np.float32)
        if self._matrix is None:
            return out
        for start in range(0, len(rows_a), chunk):
            a = self._matrix[rows_a[start : start + chunk]]
            b = self._matrix[rows_b[start : start + chunk]]
            out[start : start + chunk] = np.asarray(a.multiply(b).sum(axis=1)).ravel()
        return out
