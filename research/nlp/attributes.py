"""Perceived attributes: the qualities customers lend the brand in their own words.

A brand platform claims qualities (its values, its personality, its promise, its tone of voice).
What customers perceive shows in the evaluative adjectives of their talk: "lent", "humain",
"incompréhensible", "helpful", "pushy". An attribute here is an adjective that a polarity lexicon
scores, less the verdicts that name no quality ("génial", "great", "correct") and the speaker's own
feelings ("déçue", "worried"), which say how the customer felt, not what the brand is like.

Adjectives are found, in French, by spaCy's tagger, and among textblob-fr's adjectives where the
tagger took one for something else than a noun or an adverb ("sérieux" after "sont" as a pronoun;
"compliqué" after "est" as a verb); in English, as the words whose commonest tag is an adjective in
the Brill lexicon that TextBlob ships.

Its valence is the word's own, where it was said: negations, measures and wishes are read by the
polarity rules, so "pas un humain" counts against "humain" and "trop lent" is blame, whatever the
rest of the utterance says ("c'est sympa, mais..." praises "sympa" in a complaint).

An attribute is claimed when it shares a stem with a word of the platform, a negative prefix set
aside ("illisible" and "lisibles", "incompréhensible" and "compris"), or when a word of its family
does: families of quality words written by the team (`resources/attribute_families.tsv`: speed,
simplicity, clarity, warmth, reliability, price...) hold synonyms and opposites in both languages,
so "rapide" and "lent" are claimed by a promise of being paid "vite", and "sympa" by a "chaleureux"
tone. French word vectors were tried for this and dropped: they put "insupportable" next to
"toujours" and "pratique" next to "application", closer than "rapide" to "vite". The others, said by
at least two participants, are what customers perceive and the platform does not say: strengths to
own or risks to handle.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from research.folding import fold
from research.nlp.polarity import Polarity, french_adjectives, package_file
from research.nlp.text import Tokens, stop_words

FAMILIES = Path(__file__).resolve().parent / "resources" / "attribute_families.tsv"

# verdicts and measures that say how good or big something is, not what it is like
GENERIC = {
    "fr": {"bon", "bien", "mauvais", "meilleur", "pire", "super", "génial", "top", "nul", "excellent", "parfait",
           "idéal", "terrible", "horrible", "formidable", "extraordinaire", "exceptionnel", "incroyable",
           "magnifique", "merveilleux", "catastrophique", "lamentable", "déplorable", "correct", "normal",
           "moyen", "grand", "petit", "gros", "vrai", "important", "sûr", "certain", "possible", "impossible",
           "dernier", "premier", "nouveau", "énorme", "mieux", "beau", "joli", "insupportable", "inadmissible",
           "inacceptable", "scandaleux", "honteux", "bluffant", "épouvantable", "principal"},
    "en": {"good", "great", "bad", "best", "worst", "better", "worse", "nice", "fine", "ok", "okay", "awesome",
           "excellent", "perfect", "ideal", "terrible", "horrible", "awful", "amazing", "fantastic", "wonderful",
           "incredible", "outstanding", "poor", "big", "small", "little", "real", "sure", "important", "new",
           "old", "whole", "right", "wrong", "decent", "correct", "normal", "average", "huge", "lovely",
           "brilliant", "superb", "pretty", "dreadful", "unacceptable", "outrageous", "disgraceful", "annoying",
           "unbearable", "main"},
}
# the speaker's own state: how the customer felt, not what the brand is like
FEELINGS = {
    "fr": {"content", "ravi", "satisfait", "insatisfait", "mécontent", "déçu", "inquiet", "furieux", "énervé",
           "frustré", "perdu", "soulagé", "heureux", "désolé", "triste", "stressé", "rassuré", "agacé",
           "surpris", "reconnaissant", "fâché", "angoissé", "impressionné", "enchanté", "seul", "choqué"},
    "en": {"happy", "pleased", "satisfied", "dissatisfied", "unhappy", "disappointed", "worried", "angry",
           "upset", "frustrated", "confused", "glad", "sorry", "grateful", "relieved", "delighted", "annoyed",
           "furious", "sad", "scared", "afraid", "nervous", "anxious", "stressed", "impressed", "surprised",
           "thankful", "lost", "alone", "shocked"},
}
NEGATIVE_PREFIXES = ("in", "im", "il", "ir", "des", "de", "mal", "un", "dis", "non")
STEM = 5  # letters two words must share, from their start, to share a stem ("rapid", "lisib", "simpl")
PARTICIPLE = re.compile(r"(é|i|u)(e|s|es)?$")  # "perdues", "compliquée": the tagger lemmatizes them as verbs
ADJECTIVE_ENDING = re.compile(r"(ible|able|if|eux|ique|al|el|ant|ent|é|u|i)$")


@dataclass
class Attribute:
    """A quality as customers (or employees) said it: one family of quality words, or one word that has none."""
    key: str
    words: Counter = field(default_factory=Counter)  # the words said, with how often
    mentions: list[int] = field(default_factory=list)  # utterance indices
    values: list[float] = field(default_factory=list)  # the word's value at each mention
    participants: set = field(default_factory=set)

    @property
    def label(self) -> str:
        """The words said, most said first ("lent · rapide")."""
        return " · ".join(w for w, _ in sorted(self.words.items(), key=lambda kv: (-kv[1], kv[0]))[:3])

    @property
    def valence(self) -> float:
        """From -1 (always blame) to 1 (always praise), each mention weighted by its strength."""
        weight = sum(abs(v) for v in self.values)
        return round(sum(self.values) / weight, 3) if weight else 0.0


@lru_cache(maxsize=1)
def english_adjectives() -> frozenset[str]:
    """Words whose first (commonest) tag in the Brill lexicon shipped with TextBlob is an adjective."""
    try:
        path = package_file("textblob", "en/en-lexicon.txt")
        lines = path.read_text(encoding="utf-8").splitlines()
    except (ImportError, OSError):
        return frozenset()
    out = set()
    for line in lines:
        parts = line.split()
        if len(parts) >= 2 and not line.startswith(";") and parts[1] == "JJ":
            out.add(parts[0].lower())
    return frozenset(out)


@lru_cache(maxsize=1)
def families() -> dict[str, str]:
    """Quality word (folded) → the family it belongs to."""
    out = {}
    for line in FAMILIES.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, _, words = line.partition("\t")
        for w in words.split():
            out.setdefault(fold(w), name.strip())
    return out


def _french_name(word: str, lemma: str) -> str | None:
    """What an adjective the tagger found is called, or None when it is no adjective after all. The
    tagger sometimes lemmatizes an adjective as a verb ("parfait" as "parfaire", "perdues" as "perdre"):
    the word's own form is kept then, made masculine singular. A tagger's slip ("attends" taken for an
    adjective) is no known adjective and has no adjective's ending."""
    known = french_adjectives()
    if lemma in known or fold(lemma) in families():
        return lemma[:-1] if lemma.endswith("e") and lemma[:-1] in known else lemma  # "perdue" → "perdu"
    if word in known or (lemma.endswith(("er", "ir", "re")) and PARTICIPLE.search(word)):
        forms = (re.sub(r"es?$", "", word), re.sub(r"s$", "", word))  # "parfaites" → "parfait", "chères" → "chère"
        return next((f for f in forms if f in known), re.sub(r"(?<=[éiu])(e|s|es)$", "", word))
    return lemma if ADJECTIVE_ENDING.search(lemma) and not lemma.endswith(("er", "ir", "re")) else None


def said(tokens: Tokens, polarity: Polarity, lang: str) -> list[tuple[str, float]]:
    """The attributes of one utterance: (the adjective's name, its value where it was said)."""
    if lang == "fr":
        known, tags = french_adjectives(), tokens.tags
        positions = [i for i, (w, tag) in enumerate(zip(tokens.words, tags)) if tag == "ADJ" or (w in known and (
            tag not in ("NOUN", "PROPN", "VERB", "ADV") or (tag == "VERB" and i and tags[i - 1] in ("AUX", "ADV"))))]
    else:
        adjectives = english_adjectives()
        positions = [i for i, w in enumerate(tokens.words) if w in adjectives]
    out = []
    for i in positions:
        value = polarity.word_values.get(i)
        if not value or i >= len(tokens.word_lemmas):
            continue
        name = _french_name(tokens.words[i], tokens.word_lemmas[i]) if lang == "fr" else tokens.words[i]
        if not name or name in GENERIC.get(lang, ()) or name in FEELINGS.get(lang, ()) or len(name) < 3:
            continue
        out.append((name, value))
    return out


def gather(per_utterance: Sequence[Sequence[tuple[str, float]]], participants: Sequence[int | None],
           chosen: Sequence[bool]) -> dict[str, Attribute]:
    """The attributes said in the chosen utterances, by family (or by word), with who said them."""
    out: dict[str, Attribute] = {}
    for i, pairs in enumerate(per_utterance):
        if not chosen[i]:
            continue
        for word, value in pairs:
            key = families().get(fold(word), word)
            a = out.setdefault(key, Attribute(key))
            a.words[word] += 1
            if i not in a.mentions:
                a.mentions.append(i)
                a.values.append(value)
            if participants[i] is not None:
                a.participants.add(participants[i])
    return out


def _bases(word: str) -> list[str]:
    """The word folded, and without a negative prefix when what is left is long enough to be a word."""
    w = fold(word)
    return [w] + [w[len(p):] for p in NEGATIVE_PREFIXES if w.startswith(p) and len(w) - len(p) >= STEM]


def shares_stem(word: str, others: Sequence[str]) -> str | None:
    """The first of `others` that shares a stem with `word` ("illisible" → "lisibles"), if any; a word
    shorter than a stem must be the same word ("vite")."""
    bases = _bases(word)
    for other in others:
        o = fold(other)
        if any(b == o or (min(len(b), len(o)) >= STEM and b[:STEM] == o[:STEM]) for b in bases):
            return other
    return None


def platform_words(texts: Sequence[str]) -> list[str]:
    """The content words of the platform's texts (four letters or more, no stop word)."""
    stops = stop_words("fr") | stop_words("en")
    seen: dict[str, None] = {}
    for text in texts:
        for w in re.findall(r"[^\W\d_]{4,}", text or ""):
            if w.lower() not in stops:
                seen.setdefault(w.lower(), None)
    return list(seen)


def claimed_by(attribute: Attribute, claims: Sequence[str]) -> str | None:
    """The platform word an attribute echoes, by one of its words or through its family, or None when the
    platform is silent on it."""
    for word in attribute.words:
        found = shares_stem(word, claims)
        if found:
            return found
    kin = [w for w, f in families().items() if f == attribute.key]
    return next((c for c in claims if shares_stem(c, kin)), None)
