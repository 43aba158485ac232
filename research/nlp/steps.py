"""The journey step of each utterance: the guide section it was said under, else the most similar step.

Similarity compares the utterance's embedding with each step's wording (label and description).
Below a threshold, an utterance keeps the step its speaker was just talking about (the previous
placed utterance of the same interview), because talk about a step runs over several sentences.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

THRESHOLD = 0.30


def place(utterance_vectors: np.ndarray, known: Sequence[int | None], interviews: Sequence[int],
          step_ids: Sequence[int], step_vectors: np.ndarray, allowed: Sequence[set[int] | None] | None = None,
          threshold: float = THRESHOLD) -> list[tuple[int | None, str | None]]:
    """(step_id, source) per utterance: 'guide' when known, 'similarity', 'context', or (None, None)."""
    out: list[tuple[int | None, str | None]] = []
    last: dict[int, int] = {}
    sims = utterance_vectors @ step_vectors.T if len(step_ids) else np.zeros((len(known), 0))
    for i, (k, iv) in enumerate(zip(known, interviews)):
        if k is not None:
            out.append((k, "guide"))
            last[iv] = k
            continue
        row = sims[i].copy() if len(step_ids) else row_empty()
        if allowed is not None and allowed[i]:
            for j, sid in enumerate(step_ids):
                if sid not in allowed[i]:
                    row[j] = -1
        if len(step_ids) and row.max() >= threshold:
            sid = step_ids[int(row.argmax())]
            out.append((sid, "similarity"))
            last[iv] = sid
        elif iv in last:
            out.append((last[iv], "context"))
        else:
            out.append((None, None))
    return out


def row_empty() -> np.ndarray:
    return np.zeros(0)
