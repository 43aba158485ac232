"""Helpers for quoting what people said, shared by the analysis engine and the synthesis that reads it."""
from __future__ import annotations

from collections.abc import Sequence


def short_quote(text: str, limit: int = 140) -> str:
    """The text, or its beginning cut at a word and ended by an ellipsis when longer than `limit`."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if text[limit - 1] != " " and " " in cut:  # the last word is cut through: left out
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:—-") + "…"


def each_in_turn(lists: Sequence[Sequence]) -> list:
    """The first item of each list, then the second of each...: every speaker heard before anyone twice."""
    out = []
    for rank in range(max((len(x) for x in lists), default=0)):
        out += [x[rank] for x in lists if rank < len(x)]
    return out
