"""Run the stages in order, over a list of utterances (files) or over the workspace's interviews."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from research.folding import plain_typing
from research.nlp import accents, classify, dimension, language, polarity, text, themes, wordvectors
from research.nlp.corpus import Utterance
from research.nlp.spoken import as_written

Progress = Callable[[float, float, str], None]


@dataclass
class Result:
    id: str
    label: str
    confidence: float
    expectation: bool
    intensity: float
    dimension: str | None
    theme: str
    theme_label: str
    lang: str


@dataclass
class Analysis:
    results: list[Result]
    themes: list[themes.Theme]
    embeddings: np.ndarray
    tokens: list[text.Tokens]
    polarities: list[polarity.Polarity]
    kappa: float | None = None  # agreement with the researcher's codes, see classify.Classifier
    learned_from: int = 0
    codes: int = 0
    seed_kappa: float | None = None
    computed_embeddings: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def agreement(self) -> float | None:
        """Cohen's kappa between the researcher's codes and the model that coded this corpus (on
        codes it was not trained on)."""
        return self.kappa if self.learned_from else self.seed_kappa


def lexical_view(tokens: Sequence[text.Tokens], texts: Sequence[str], langs: Sequence[str]) -> classify.Lexical:
    """Lexicon polarity (negation, intensifiers, contrast) and French word vectors of analysed texts."""
    pols = [polarity.score(t.words, s, lg, t.word_lemmas) for t, s, lg in zip(tokens, texts, langs)]
    return classify.Lexical(pols, wordvectors.utterance_vectors([t.lemmas for t in tokens], langs))


def describe_texts(texts: Sequence[str], langs: Sequence[str]) -> classify.Lexical:
    """Tokens, lexicon polarity and word vectors of texts not yet analysed (seeds, codes)."""
    return lexical_view(text.analyse_texts(list(texts), list(langs)), texts, langs)


def default_embedder(cache=None):
    from research.nlp.embed import SentenceEmbedder

    return SentenceEmbedder(cache=cache)


def _written(said: str | None) -> str:
    """What was said or typed, read as written: plain apostrophes and spaces, French negations with
    their "ne" and no hesitations ("il m’a jamais rappelé" as "il ne m'a jamais rappelé")."""
    return as_written(plain_typing(said or ""))


def _accented(written: str, lang: str | None) -> str:
    """French typed without its accents read with them ("tres decu" as "très déçu"); the language
    must be known first."""
    return accents.with_french_accents(written) if lang == "fr" else written


def analyze(utterances: Sequence[Utterance], *, lang: str = "auto", labels: Sequence[classify.Example] = (),
            embedder=None, progress: Progress | None = None, k: int | None = None,
            label_stop_words: Sequence[str] = ()) -> Analysis:
    """Code, place in themes and describe each utterance. `progress(done, total, stage)`."""
    def tell(done, total, stage):
        if progress:
            progress(done, total, stage)

    embedder = embedder or default_embedder()
    utterances = [replace(u, text=_written(u.text), before=_written(u.before)) for u in utterances]
    texts = [u.text for u in utterances]
    # the embeddings take longest and need nothing else: start them first, on their own thread, and
    # do the work that does not need them (languages, lexicon, classifier, n-gram votes, dimensions) meanwhile
    pending = embedder.embed_in_background(texts) if hasattr(embedder, "embed_in_background") else None
    langs = [u.lang if u.lang in ("fr", "en") else None for u in utterances]
    detected = language.resolve_languages(texts, lang)
    langs = [lg or d for lg, d in zip(langs, detected)]
    # the embeddings started above fold accents anyway: they read the accented texts alike
    utterances = [replace(u, text=_accented(u.text, lg), before=_accented(u.before, lg))
                  for u, lg in zip(utterances, langs)]
    texts = [u.text for u in utterances]
    tell(0, 5, "language")
    tokens = text.analyse_texts(texts, langs)
    lexical = lexical_view(tokens, texts, langs)
    pols = lexical.polarities
    tell(1, 5, "lexicon")
    labels = [replace(e, text=_written(e.text)) for e in labels]
    labels = [replace(e, lang=e.lang or language.detect_language(e.text)) for e in labels]
    labels = [replace(e, text=_accented(e.text, e.lang)) for e in labels]
    clf = classify.Classifier.train(embedder, describe_texts, labels)
    view = clf.read_texts(texts)
    dimensions = [dimension.dimension_of(s) for s in texts]
    embedding_progress = lambda d, t: tell(1 + d / max(t, 1), 5, "embeddings")  # noqa: E731
    if pending is not None:
        emb, computed = pending.result(progress=embedding_progress), pending.computed
    else:
        before = embedder.computed
        emb = embedder.embed(texts, progress=embedding_progress)
        computed = embedder.computed - before
    tell(2, 5, "embeddings")
    x = classify.features(emb, lexical)
    codings = clf.code(x, pols, texts, clf.adapt(x, view))
    tell(3, 5, "classification")
    found, assign = themes.find_themes(emb, [t.lemmas for t in tokens], k=k, langs=langs,
                                      exclude=label_stop_words,
                                      label_words=[t.naming for t in tokens],
                                      word_vectors=lexical.word_vectors, texts=texts)
    found, assign = _answers_in_context(utterances, found, assign, emb, tokens, langs, lexical.word_vectors, embedder)
    tell(4, 5, "themes")
    results = []
    for i, u in enumerate(utterances):
        th = found[int(assign[i])]
        c = codings[i]
        results.append(Result(id=u.id, label=c.label, confidence=c.confidence, expectation=c.expectation,
                              intensity=c.intensity, dimension=dimensions[i],
                              theme=th.id, theme_label=th.label, lang=langs[i]))
    tell(5, 5, "themes")
    return Analysis(results=results, themes=found, embeddings=emb, tokens=tokens, polarities=pols,
                    kappa=clf.kappa, learned_from=clf.learned_from, codes=clf.codes, seed_kappa=clf.seed_kappa,
                    computed_embeddings=computed)


def _answers_in_context(utterances: Sequence[Utterance], found: list[themes.Theme], assign: np.ndarray,
                        emb: np.ndarray, tokens: Sequence[text.Tokens], langs: Sequence[str],
                        word_vectors: np.ndarray, embedder) -> tuple[list[themes.Theme], np.ndarray]:
    """The catch-all's utterances read with what was said before them (see `themes.read_in_context`)."""
    misc = next((t for t in found if t.id == themes.MISCELLANEOUS_ID), None)
    idx = [i for i in (misc.members if misc else []) if utterances[i].before.strip()]
    if not idx:
        return found, assign
    read = [f"{utterances[i].before.strip()} {utterances[i].text}" for i in idx]
    read_langs = [langs[i] for i in idx]
    read_tokens = text.analyse_texts(read, read_langs)
    emb, lemmas, vectors = emb.copy(), [t.lemmas for t in tokens], word_vectors.copy()
    emb[idx] = embedder.embed(read)
    vectors[idx] = wordvectors.utterance_vectors([t.lemmas for t in read_tokens], read_langs)
    for i, t in zip(idx, read_tokens):
        lemmas[i] = t.lemmas
    x = themes.representation(emb, lemmas, langs=langs, word_vectors=vectors)
    return themes.read_in_context(found, assign, x, idx)


def analyze_workspace(db, progress=None, labels=None, embedder=None) -> dict:
    """The workspace entry point (see research/nlp/workspace.py)."""
    from research.nlp.workspace import analyze_workspace as run

    return run(db, progress=progress, labels=labels, embedder=embedder)
