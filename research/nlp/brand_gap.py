"""The brand as perceived against the brand as intended, value by value.

For each value of the brand platform, the utterances that evoke it: those naming it (its stem, or a
word of its definition's wording the researcher can see in the evidence) and those closest to its
name and definition in meaning. Per group (customers, employees): how many participants evoke it,
as a share of the group, and with what valence (enchantments count +1, irritants -1, weighted by
confidence). Then the perceived attributes the platform does not claim: the themes customers
talk about most with feeling that no value covers. Every figure keeps the utterance ids behind it.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np


@dataclass
class GapRow:
    value: str
    group: str
    mentions: int
    share: float
    valence: float
    claimed: bool
    evidence: list[int] = field(default_factory=list)


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", (text or "").lower())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def stems(name: str) -> list[str]:
    """Word stems of a value's name: 'Proximité' → 'proxim', 'Simplicité' → 'simpl'."""
    out = []
    for w in re.findall(r"\w+", fold(name)):
        if len(w) < 4:
            continue
        for suffix in ("ites", "ite", "ies", "ity", "ness", "ement", "ment", "ance", "ence", "ion", "ite", "es", "s", "e"):
            if w.endswith(suffix) and len(w) - len(suffix) >= 4:
                w = w[: -len(suffix)]
                break
        out.append(w[:7])
    return out


def evoking(texts: Sequence[str], vectors: np.ndarray, value_text: str, value_vector: np.ndarray,
            name: str, min_sim: float = 0.35, top_share: float = 0.05) -> list[int]:
    """Indices of the utterances that evoke a value, by name or by meaning."""
    keys = stems(name)
    by_name = {i for i, t in enumerate(texts) if any(k in fold(t) for k in keys)}
    if len(texts) == 0:
        return []
    sims = vectors @ (value_vector / max(np.linalg.norm(value_vector), 1e-9))
    cut = max(min_sim, float(np.quantile(sims, 1 - top_share))) if len(sims) > 20 else min_sim
    by_meaning = {int(i) for i in np.where(sims >= cut)[0]}
    return sorted(by_name | by_meaning)


def gap(values: Sequence[tuple[str, str]], value_vectors: np.ndarray, texts: Sequence[str], vectors: np.ndarray,
        labels: Sequence[str], confidences: Sequence[float], participants: Sequence[int | None],
        groups: Sequence[str], utterance_ids: Sequence[int], themes: Sequence[tuple[str, list[int]]] = (),
        theme_vectors: np.ndarray | None = None, unclaimed: int = 4) -> list[GapRow]:
    """One row per value and group, then the unclaimed attributes (customers only)."""
    out: list[GapRow] = []
    group_size = {g: len({p for p, gg in zip(participants, groups) if gg == g and p is not None}) for g in set(groups)}
    covered: set[int] = set()
    for (name, definition), vec in zip(values, value_vectors):
        idx = evoking(texts, vectors, f"{name}. {definition}", vec, name)
        covered.update(idx)
        for g in ("customer", "employee"):
            mine = [i for i in idx if groups[i] == g]
            out.append(_row(name, g, mine, labels, confidences, participants, utterance_ids, group_size.get(g, 0), True))
    if themes and theme_vectors is not None and len(values):
        v = value_vectors / np.maximum(np.linalg.norm(value_vectors, axis=1, keepdims=True), 1e-9)
        ranked = []
        for (label, members), tv in zip(themes, theme_vectors):
            felt = [i for i in members if groups[i] == "customer" and labels[i] != "neutral" and i not in covered]
            if len(felt) < 2:
                continue
            closeness = float((v @ (tv / max(np.linalg.norm(tv), 1e-9))).max())
            people = len({participants[i] for i in felt})
            ranked.append((people, -closeness, label, felt))
        for people, _, label, felt in sorted(ranked, reverse=True)[:unclaimed]:
            out.append(_row(label, "customer", felt, labels, confidences, participants, utterance_ids,
                            group_size.get("customer", 0), False))
    return out


def _row(value, group, idx, labels, confidences, participants, utterance_ids, size, claimed) -> GapRow:
    people = {participants[i] for i in idx if participants[i] is not None}
    signed = [(1.0 if labels[i] == "enchantment" else -1.0 if labels[i] == "irritant" else 0.0) * confidences[i]
              for i in idx]
    weight = sum(confidences[i] for i in idx if labels[i] != "neutral")
    valence = sum(signed) / weight if weight else 0.0
    ranked = sorted(idx, key=lambda i: (labels[i] == "neutral", -confidences[i]))
    return GapRow(value=value, group=group, mentions=len(idx), share=round(len(people) / size, 3) if size else 0.0,
                  valence=round(valence, 3), claimed=claimed, evidence=[utterance_ids[i] for i in ranked])
