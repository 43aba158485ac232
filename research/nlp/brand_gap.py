"""The brand as perceived against the brand as intended, value by value.

For each value of the brand platform, the utterances that evoke it: those naming it (its stem, or a
word of its definition's wording the researcher can see in the evidence) and those closest to its
name and definition in meaning. Per group (customers, employees): how many participants evoke it,
as a share of the group, and with what valence (enchantments count +1, irritants -1, weighted by
confidence). Then the perceived attributes the platform does not claim: the qualities customers
give the brand in their own words, which no value, trait, promise or tone of the platform echoes
(attributes.py). Every figure keeps the utterance ids behind it, those that evoke the value most directly
first, so that the quotes shown for a value are the ones that speak of it.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from research.folding import fold
from research.nlp import attributes


@dataclass
class GapRow:
    value: str
    group: str
    mentions: int
    share: float
    valence: float
    claimed: bool
    evidence: list[int] = field(default_factory=list)


def stems(name: str) -> list[str]:
    """Word stems of a value's name: 'Proximité' → 'proxim', 'Simplicité' → 'simpl' (as in "simple"),
    'Authenticity' → 'authent'."""
    out = []
    for w in re.findall(r"\w+", fold(name)):
        if len(w) < 4:
            continue
        for suffix in ("icites", "icite", "icity", "ites", "ite", "ies", "ity", "ness", "ement", "ment", "ance", "ence", "ion",
                       "es", "s", "e"):
            if w.endswith(suffix) and len(w) - len(suffix) >= 4:
                w = w[: -len(suffix)]
                break
        out.append(w[:7])
    return out


# adverbs that, in speech, mark how the speaker talks rather than name a quality: "c'est tout
# simplement scandaleux" does not speak of simplicity, nor "franchement, j'ai attendu" of frankness
# (folded, as the texts are searched)
SPEAKING_ADVERBS = {"simplement", "franchement", "honnetement", "sincerement", "vraiment",
                    "simply", "frankly", "honestly", "sincerely", "truly"}


def evoking(texts: Sequence[str], vectors: np.ndarray, name: str, value_vector: np.ndarray,
            min_sim: float = 0.35, top_share: float = 0.05) -> list[int]:
    """Indices of the utterances that evoke a value, by name or by meaning, the most direct first: those
    naming it, then those closest to it in meaning (`value_vector`: the embedding of its name and
    definition)."""
    if len(texts) == 0:
        return []
    keys = stems(name)
    named = re.compile(r"\b(?:" + "|".join(map(re.escape, keys)) + r")\w*")  # a word's start: not "approximatif"
    by_name = {i for i, t in enumerate(texts)
               if keys and any(m.group() not in SPEAKING_ADVERBS for m in named.finditer(fold(t)))}
    sims = vectors @ (value_vector / max(np.linalg.norm(value_vector), 1e-9))
    cut = max(min_sim, float(np.quantile(sims, 1 - top_share))) if len(sims) > 20 else min_sim
    by_meaning = {int(i) for i in np.where(sims >= cut)[0]}
    return sorted(by_name | by_meaning, key=lambda i: (i not in by_name, -float(sims[i]), i))


def gap(values: Sequence[tuple[str, str]], value_vectors: np.ndarray, texts: Sequence[str], vectors: np.ndarray,
        labels: Sequence[str], confidences: Sequence[float], participants: Sequence[int | None],
        groups: Sequence[str], utterance_ids: Sequence[int]) -> list[GapRow]:
    """One row per value and group."""
    out: list[GapRow] = []
    size = _group_sizes(participants, groups)
    for (name, _definition), vec in zip(values, value_vectors):  # the definition speaks through `vec`
        idx = evoking(texts, vectors, name, vec)
        for g in ("customer", "employee"):
            mine = [i for i in idx if groups[i] == g]
            out.append(_row(name, g, mine, labels, confidences, participants, utterance_ids, size.get(g, 0), True))
    return out


def unclaimed_attributes(said: Sequence[Sequence[tuple[str, float]]], participants: Sequence[int | None],
                         groups: Sequence[str], utterance_ids: Sequence[int], claims: Sequence[str],
                         limit: int = 6, min_people: int = 2) -> list[GapRow]:
    """The attributes customers give the brand that the platform does not claim (see attributes.py), most
    widely said first, each with the employees' row when they use the word too."""
    size = _group_sizes(participants, groups)
    by_group = {g: attributes.gather(said, participants, [gg == g for gg in groups]) for g in ("customer", "employee")}
    ranked = sorted((a for a in by_group["customer"].values() if len(a.participants) >= min_people),
                    key=lambda a: (-len(a.participants), -len(a.mentions), a.key))
    out: list[GapRow] = []
    kept = 0
    for a in ranked:
        if kept == limit:
            break
        if attributes.claimed_by(a, claims):
            continue
        kept += 1
        for g in ("customer", "employee"):
            found = by_group[g].get(a.key)
            if found is None:
                continue
            people = {p for p in found.participants if p is not None}
            ranked_mentions = [m for _, m in sorted(zip((-abs(v) for v in found.values), found.mentions))]
            out.append(GapRow(value=a.label, group=g, mentions=len(found.mentions),
                              share=round(len(people) / size[g], 3) if size.get(g) else 0.0,
                              valence=found.valence, claimed=False,
                              evidence=[utterance_ids[i] for i in ranked_mentions]))
    return out


def _group_sizes(participants: Sequence[int | None], groups: Sequence[str]) -> dict[str, int]:
    return {g: len({p for p, gg in zip(participants, groups) if gg == g and p is not None}) for g in set(groups)}


def _row(value, group, idx, labels, confidences, participants, utterance_ids, size, claimed) -> GapRow:
    """`idx`: the group's utterances evoking the value, in `evoking`'s order."""
    people = {participants[i] for i in idx if participants[i] is not None}
    signed = [(1.0 if labels[i] == "enchantment" else -1.0 if labels[i] == "irritant" else 0.0) * confidences[i]
              for i in idx]
    weight = sum(confidences[i] for i in idx if labels[i] != "neutral")
    valence = sum(signed) / weight if weight else 0.0
    ranked = sorted(idx, key=lambda i: labels[i] == "neutral")  # felt first, each in `evoking`'s order
    return GapRow(value=value, group=group, mentions=len(idx), share=round(len(people) / size, 3) if size else 0.0,
                  valence=round(valence, 3), claimed=claimed, evidence=[utterance_ids[i] for i in ranked])
