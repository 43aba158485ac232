"""Persona traits: what participants say of themselves, grouped into archetypes, set against personas.

Traits are first-person self-descriptions ("je suis à mon compte"), preferences ("je préfère
appeler") and habits ("d'habitude je passe par l'appli"), found by patterns in both languages, sentence
by sentence: a trait is the sentence that says it, not the whole turn ("Avec plaisir. J'ai trente et
un ans, je suis commercial…" gives "J'ai trente et un ans, je suis commercial…").
Participants are then grouped by what they said (the mean embedding of their utterances) into as
many archetypes as there are defined personas. Each archetype is named by the words its members use
and the others do not (class-based TF-IDF over participants, as themes are named), and matched to
the persona whose profile, goals and frustrations it resembles most.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from research.folding import plain_typing
from research.nlp.attributes import FEELINGS
from research.quoting import each_in_turn, short_quote

_KINDS = {
    "fr": [("preference", r"\bje (préfère|préférerais|aime|n'aime pas|déteste|adore)\b|\bpour moi,? (le|la|l')"),
           ("habit", r"\b(d'habitude|en général|généralement|toujours|jamais|souvent|chaque (mois|semaine|année)|"
                     r"tous les (jours|mois|ans))\b.*\bje\b|\bje (passe|vais|fais|utilise|consulte|appelle) (toujours|"
                     r"souvent|d'abord|surtout)\b"),
           ("self", r"\b(je suis|j'ai \d+ ans|je travaille|je vis|j'habite|nous sommes|je suis à mon compte|"
                    r"je suis (retraité|retraitée|maman|papa|salarié|salariée|indépendant|indépendante|étudiant|"
                    r"étudiante|infirmier|infirmière))\b")],
    "en": [("preference", r"\bi (prefer|would rather|like|love|hate|don't like|do not like)\b|\bfor me,? the\b"),
           ("habit", r"\b(usually|always|never|often|every (month|week|year))\b.*\bi\b|\bi (usually|always|often|"
                     r"mostly|first) \w+"),
           ("self", r"\b(i am|i'm|i work|i live|we are|i have (two|three|\d+) (kids|children)|i run|"
                    r"i'm retired|i am retired|i'm self-employed)\b")],
}
_PATTERNS = {lang: [(k, re.compile(p, re.I)) for k, p in kinds] for lang, kinds in _KINDS.items()}
_FEELING = {lang: "|".join(sorted(words - {"seul", "alone"})) for lang, words in FEELINGS.items()}
# "je suis" and "i am" before a feeling or a movement tell how it went, not who one is
_NOT_SELF = re.compile(r"\b(je suis (plutôt |très |assez |vraiment |pas |toujours |un peu )*"
                       rf"(allé|passé|resté|tombé|venu|{_FEELING['fr']})(e|s|es)?"
                       r"|(i am|i'm) (quite |very |really |not |a bit |so )*(sure|not sure|"
                       rf"{_FEELING['en']}))\b", re.I)


# a sentence ends at . ! ? or … followed by a space and what starts a sentence
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[«\"“(]?\s?[A-ZÀ-ÖØ-Þ0-9])")
TRAIT_MAX_CHARS = 240  # a trait longer than this (a transcript without punctuation) is cut at a word


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text or "") if s.strip()]


def traits_in(text: str, lang: str) -> list[tuple[str, str]]:
    """(kind, sentence) for each sentence of an utterance in which the speaker describes themself."""
    out = []
    for sentence in sentences(text):
        kind = trait_kind(sentence, lang)
        if kind:
            out.append((kind, short_quote(sentence, TRAIT_MAX_CHARS)))
    return out


def trait_kind(text: str, lang: str) -> str | None:
    text = plain_typing(text or "")  # "J’ai trente ans" as "J'ai trente ans"
    for kind, pattern in _PATTERNS.get(lang, _PATTERNS["fr"]):
        if pattern.search(text):
            if kind == "self" and _NOT_SELF.search(text):
                continue
            return kind
    return None


@dataclass
class Archetype:
    label: str
    members: list[int]
    traits: list[str]
    matched_persona_id: int | None
    match_score: float
    quotes: list[int] = field(default_factory=list)


def archetypes(participant_ids: Sequence[int], vectors: np.ndarray, trait_texts: dict[int, list[str]],
               keywords: dict[int, list[str]], persona_ids: Sequence[int], persona_vectors: np.ndarray,
               quotes: dict[int, list[int]], k: int | None = None,
               texts: Sequence[str] | None = None) -> list[Archetype]:
    """Group participants (one vector each) and match each group to the closest defined persona.

    `keywords`: the words each participant used (nouns, where the language has a tagger), which name
    the groups; `quotes`: each participant's utterance ids, the most telling first; `texts`: what was
    said, from which the names take the capitals of places and brands ("La Rochelle", as themes do)."""
    from research.nlp.themes import as_usually_written, label_themes

    n = len(participant_ids)
    if n == 0:
        return []
    k = max(1, min(k or len(persona_ids) or 3, n))
    x = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
    if k == 1:
        assign = np.zeros(n, int)
    else:
        from sklearn.cluster import AgglomerativeClustering

        assign = AgglomerativeClustering(n_clusters=k, metric="cosine", linkage="average").fit_predict(x)
    groups = {g: [i for i in range(n) if assign[i] == g] for g in sorted(set(assign.tolist()))}
    names = label_themes(groups, [keywords.get(p, []) for p in participant_ids])
    written = as_usually_written([w for words in names.values() for w in words], texts or [])
    out = []
    for g, idx in groups.items():
        members = [participant_ids[i] for i in idx]
        centre = x[idx].mean(axis=0)
        matched, score = None, 0.0
        if len(persona_ids):
            p = persona_vectors / np.maximum(np.linalg.norm(persona_vectors, axis=1, keepdims=True), 1e-9)
            sims = p @ (centre / max(np.linalg.norm(centre), 1e-9))
            matched, score = persona_ids[int(sims.argmax())], float(sims.max())
        top = names.get(g) or []
        out.append(Archetype(label=" · ".join(written.get(w, w) for w in top) or f"#{g + 1}", members=members,
                             traits=each_in_turn([trait_texts.get(m, []) for m in members])[:8],
                             matched_persona_id=matched, match_score=round(score, 3),
                             quotes=[q for m in members for q in quotes.get(m, [])[:1]][:5]))
    return sorted(out, key=lambda a: -len(a.members))
