"""Themes at interview scale: every utterance placed, labels made of lemmas, quotes that represent.

BERTopic leaves many utterances as outliers and needs thousands of documents; a study holds
hundreds. Here each utterance is described by its sentence embedding beside a latent-semantic view
of its lemmas (TF-IDF reduced by truncated SVD), so that a model trained on English still groups
French talk by what it is about. Every utterance is then placed, in a number of themes that grows with
the square root of the corpus: at interview scale by spectral clustering of the graph that links each
utterance to its nearest neighbours (themes follow the corpus's own dense regions, where k-means cuts
round blobs), past a few thousand utterances by k-means, whose cost grows more slowly. Themes too small
to mean anything are folded into the nearest larger one, never dropped.

Labels are the lemmas most specific to a theme (class-based TF-IDF, accents kept, stop words of
both languages removed), and quotes are the utterances nearest its centre. A theme that its own
words do not describe (few of its members say any of them) gathers what has no subject of its own;
it is named "divers" ("miscellaneous" in English) and listed last (see DIFFUSE_FOCUS). In an
interview, most of what lands there is an answer whose subject is in the question ("Pas mal au
début", after "Comment se passaient vos remboursements ?"): read with what was said just before it,
such an answer joins the theme of that subject when it then sits at least as near its centre as half
of the theme's own members (`read_in_context`).
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np


@dataclass
class Theme:
    id: str
    label: str
    members: list[int] = field(default_factory=list)   # indices into the analysed texts
    keywords: list[str] = field(default_factory=list)
    quotes: list[int] = field(default_factory=list)     # indices, most representative first


SEVERAL_STARTS_UP_TO = 2000  # utterances
SEEDING_SAMPLE = 3000  # utterances k-means++ draws its seeds from in a larger corpus
# Spectral clustering up to this many utterances, k-means beyond. Through ../shared/eval/score.py and
# on BANKING77 queries, NMI against gold themes went from 0.279 to 0.302 on French train (1,032
# reviews), 0.669 to 0.682 on 1,000 queries, 0.709 to 0.748 on 3,000, and 0.728 to 0.755 on 5,000,
# taking 1.1 s there against k-means's 0.3 s; at 10,000 it took 4.5 s (0.85 s), too much of the time
# a whole analysis takes at that size.
SPECTRAL_UP_TO = 5000
NEIGHBOURS = 15  # each utterance's neighbours in the graph: UMAP's default, which BERTopic uses too
# A theme whose naming words are said by fewer than this share of its members is a catch-all: short
# verdicts with no subject ("Je me suis senti trompé", "Pas mal au début"), warm-ups and
# self-introductions, gathered because their sentence vectors say how rather than what, and named
# after a few of its longer members' nouns ("problème · indépendant · chantier": 17 % of its 54
# members on the demo, against 31 % to 73 % for the others). Such themes become one, named for
# what it is and listed last, where the researcher files its utterances by hand.
DIFFUSE_FOCUS = 0.2
MISCELLANEOUS_ID = "th-divers"
MISCELLANEOUS_LABELS = {"fr": "divers", "en": "miscellaneous"}


def theme_count(n: int) -> int:
    if n < 4:
        return 1
    return int(max(2, min(80, round(math.sqrt(n / 2)), n // 2)))


def _lsa(lemmas: Sequence[Sequence[str]], dims: int) -> np.ndarray | None:
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs = [" ".join(l) for l in lemmas]
    if sum(1 for d in docs if d) < 3:
        return None
    vec = TfidfVectorizer(token_pattern=r"\S+", min_df=2 if len(docs) > 50 else 1, sublinear_tf=True)
    try:
        m = vec.fit_transform(docs)
    except ValueError:
        return None
    k = min(dims, m.shape[1] - 1, m.shape[0] - 1)
    if k < 2:
        return None
    z = TruncatedSVD(n_components=k, random_state=0).fit_transform(m)
    norms = np.linalg.norm(z, axis=1, keepdims=True)
    return z / np.where(norms == 0, 1, norms)


def center_by_language(vectors: np.ndarray, langs: Sequence[str] | None, minimum: int = 10) -> np.ndarray:
    """Subtract each language's mean vector, so that French and English talk about the same thing meet.

    A sentence model separates languages before topics; removing the per-language offset keeps
    the topical differences. Done only when each language has enough utterances to estimate it.
    """
    if langs is None or len(set(langs)) < 2:
        return vectors
    counts = Counter(langs)
    if min(counts.values()) < minimum:
        return vectors
    out = vectors.astype(np.float32).copy()
    for lang in counts:
        idx = [i for i, lg in enumerate(langs) if lg == lang]
        out[idx] -= out[idx].mean(axis=0)
    return out


def _mostly_covered(word_vectors: np.ndarray, share: float = 0.9) -> bool:
    """Word vectors exist for French only: in a corpus where many utterances have none (English), the
    utterances without would gather in one theme for that reason alone, so the vectors are left out."""
    return len(word_vectors) > 0 and float(np.mean(np.any(word_vectors != 0, axis=1))) >= share


def representation(embeddings: np.ndarray, lemmas: Sequence[Sequence[str]], lexical_weight: float = 0.5,
                   langs: Sequence[str] | None = None, word_vectors: np.ndarray | None = None,
                   word_vector_weight: float = 1.0) -> np.ndarray:
    """Sentence embedding, latent-semantic view of the lemmas and, for a French corpus, French word
    vectors (which know what French words are about where the English-trained sentence model does not)."""
    e = center_by_language(embeddings, langs)
    e = e / np.maximum(np.linalg.norm(e, axis=1, keepdims=True), 1e-9)
    parts = [e]
    lsa = _lsa(lemmas, dims=100)
    if lsa is not None:
        parts.append(lexical_weight * lsa)
    if word_vectors is not None and len(word_vectors) == len(e) and _mostly_covered(word_vectors):
        parts.append(word_vector_weight * word_vectors)
    return np.hstack(parts).astype(np.float32)


def _slug(words: Sequence[str]) -> str:
    text = "-".join(words)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "theme"


def _in_main_language(idx: Sequence[int], langs: Sequence[str] | None) -> list[int]:
    """The members written in the theme's main language, so that a label does not mix languages
    ("mois · euro · pay"); all members when the theme has no main language."""
    if not langs:
        return list(idx)
    main, count = Counter(langs[i] for i in idx).most_common(1)[0]
    return [i for i in idx if langs[i] == main] if count * 2 > len(idx) else list(idx)


def _specific_words(groups: dict[int, list[int]], words: Sequence[Sequence[str]],
                    langs: Sequence[str] | None) -> dict[int, list[tuple[str, int]]]:
    """Class-based TF-IDF: per group, its words most frequent in it and rare elsewhere, each with how many
    of the group's members (in its main language) say it."""
    heard = {g: _in_main_language(idx, langs) for g, idx in groups.items()}
    per = {g: Counter(w for i in idx for w in set(words[i])) for g, idx in heard.items()}
    overall = Counter()
    for c in per.values():
        overall.update(c)
    avg = sum(overall.values()) / max(1, len(per))
    out = {}
    for g, counts in per.items():
        size = max(1, len(heard[g]))
        scored = sorted((((n / size) * math.log(1 + avg / overall[w]), w) for w, n in counts.items()), reverse=True)
        out[g] = [(w, counts[w]) for _, w in scored]
    return out


_SENTENCE_OPENS = re.compile(r"(?:^|[.!?…:;«»\"“”()\[\]–—\n-])\s*$")  # what may precede a sentence's first word
_NAME_ARTICLE = re.compile(r"(?<![\w'’])(La|Le|Les) $")  # "La Rochelle", "Le Mans", "Les Ulis"


def as_usually_written(words: Sequence[str], texts: Sequence[str]) -> dict[str, str]:
    """Each of `words` (lower-case lemmas) as `texts` mostly write it inside a sentence.

    Names of places, brands and products, and acronyms, keep the capitals people type ("Lorient",
    "SNCF", "iPhone"), and a place name keeps the article that belongs to it ("La Rochelle", typed so
    inside a sentence). A word counts only where it opens no sentence, and takes capitals only when
    most of those occurrences have them; every other word, and a word never seen as it is spelt (a
    plural's lemma), stays as given.
    """
    wanted = sorted({w for w in words if w}, key=len, reverse=True)
    if not wanted:
        return {}
    pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, wanted)) + r")(?![\w-])", re.IGNORECASE)
    seen: dict[str, Counter] = {}
    for t in texts:
        for m in pattern.finditer(t or ""):
            head = t[max(0, m.start() - 8):m.start()]
            if _SENTENCE_OPENS.search(head):
                continue
            form = m.group(1)
            article = _NAME_ARTICLE.search(head) if form[:1].isupper() else None
            if article and not _SENTENCE_OPENS.search(t[max(0, m.start() - 12):m.start() - len(article.group(0))]):
                form = article.group(0) + form
            seen.setdefault(form.lower().split()[-1], Counter())[form] += 1
    out = {}
    for w in wanted:
        forms = seen.get(w.lower())
        if not forms:
            continue
        capitalised = Counter({f: n for f, n in forms.items() if not f.split()[-1].islower()})
        if sum(capitalised.values()) * 2 > sum(forms.values()):
            out[w] = capitalised.most_common(1)[0][0]
    return out


def label_themes(groups: dict[int, list[int]], lemmas: Sequence[Sequence[str]], top: int = 3,
                 langs: Sequence[str] | None = None,
                 fallback: Sequence[Sequence[str]] | None = None) -> dict[int, list[str]]:
    """The words most specific to each group (`_specific_words`), in its main language.

    A word said by one member only does not name a group of several: the group's words said twice or
    more come first, then (when the group has too few) the `fallback` words said twice or more (all
    lemmas, when `lemmas` are nouns), then the rest."""
    ranked = _specific_words(groups, lemmas, langs)
    backup = _specific_words(groups, fallback, langs) if fallback is not None else {}
    out = {}
    for g, words in ranked.items():
        often = 2 if len(groups[g]) >= 4 else 1
        candidates = ([w for w, n in words if n >= often] + [w for w, n in backup.get(g, []) if n >= often]
                      + [w for w, _ in words])
        chosen: list[str] = []
        for w in candidates:  # skip a word already chosen, or one that only repeats another (plural, feminine)
            if w not in chosen and not any(w.startswith(c[:5]) or c.startswith(w[:5])
                                           for c in chosen if len(c) >= 5 and len(w) >= 5):
                chosen.append(w)
            if len(chosen) == top:
                break
        out[g] = chosen
    return out


def _split_giants(x: np.ndarray, assign: np.ndarray, centres: np.ndarray, limit: int):
    """A theme holding a fifth of everything says little: split it in two (at most twice over)."""
    from sklearn.cluster import KMeans

    for _ in range(2):
        sizes = Counter(assign.tolist())
        giants = [c for c, n in sizes.items() if n > limit]
        if not giants:
            break
        for c in giants:
            idx = np.where(assign == c)[0]
            sub = KMeans(n_clusters=2, n_init=3, random_state=0).fit(x[idx])
            new = len(centres)
            assign[idx[sub.labels_ == 1]] = new
            centres = np.vstack([centres, sub.cluster_centers_[1:2]])
            centres[c] = sub.cluster_centers_[0]
    return assign, centres


def _seeds(x: np.ndarray, k: int, random_state: int = 0) -> np.ndarray:
    """k-means++ seeds for a large corpus, drawn from a random sample of it (as scikit-learn's
    MiniBatchKMeans seeds from `init_size` points); Lloyd's iterations then run over everything.

    The distances are computed in float64, which scikit-learn would otherwise do chunk by chunk from
    float32: on 10,000 utterances seeding took 0.6 s of the 0.85 s k-means took in all. On four seeds
    of 10,000 BANKING77 queries, NMI was 0.746 from a sample of 3,000 and 0.745 from all of them.
    Up to SEEDING_SAMPLE utterances scikit-learn seeds as it does by default (float64 distances are
    not float32's, and a near tie can then pick another seed for no gain in time).
    """
    from sklearn.cluster import kmeans_plusplus

    if len(x) > SEEDING_SAMPLE:
        x = x[np.random.RandomState(random_state).choice(len(x), SEEDING_SAMPLE, replace=False)]
    centres, _ = kmeans_plusplus(x.astype(np.float64), k, random_state=random_state)
    return centres.astype(np.float32)


def _kmeans(x: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.cluster import KMeans

    # three k-means++ starts steady the themes of a few thousand utterances; past that one start
    # (scikit-learn's own default) costs a third and scored no worse
    if len(x) <= SEEDING_SAMPLE:
        starts = 3 if len(x) <= SEVERAL_STARTS_UP_TO else 1
        km = KMeans(n_clusters=k, n_init=starts, random_state=0, max_iter=200).fit(x)
    else:
        km = KMeans(n_clusters=k, init=_seeds(x, k), n_init=1, max_iter=200).fit(x)
    return km.labels_.copy(), km.cluster_centers_


def neighbour_graph(x: np.ndarray, langs: Sequence[str] | None = None, neighbours: int = NEIGHBOURS):
    """Each utterance linked to itself and its nearest neighbours, drawn from each language in
    proportion to that language's share of the corpus, then the links made mutual (sparse, n × n).

    An English-trained model keeps an utterance's nearest neighbours in its own language even after
    the languages are centred, so a plain nearest-neighbour graph splits a bilingual study by language
    first; drawn this way, an English answer about refunds links to French answers about refunds."""
    import scipy.sparse as sparse
    from sklearn.neighbors import NearestNeighbors

    n = len(x)
    langs = list(langs) if langs is not None and len(langs) == n else ["?"] * n
    others = min(neighbours - 1, n - 1)
    rows, cols = list(range(n)), list(range(n))
    for lang, count in Counter(langs).items():
        members = np.array([i for i, lg in enumerate(langs) if lg == lang])
        wanted = min(round(others * count / n), len(members) - 1 if count == n else len(members))
        if wanted <= 0:
            continue
        _, found = NearestNeighbors(n_neighbors=min(wanted + 1, len(members))).fit(x[members]).kneighbors(x)
        for i, near in enumerate(members[found].tolist()):
            near = [j for j in near if j != i][:wanted]
            rows += [i] * len(near)
            cols += near
    a = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    a.data[:] = 1.0  # a pair found twice is still one link
    return 0.5 * (a + a.T)


def _spectral(x: np.ndarray, k: int, langs: Sequence[str] | None) -> tuple[np.ndarray, np.ndarray]:
    """Spectral clustering of the nearest-neighbour graph (labels read off the eigenvectors by
    column-pivoted QR, which is deterministic); the centres are the themes' means. A graph of several
    pieces (identical answers repeated, say) is expected, hence no warning; k-means takes over if
    the eigenvectors cannot be computed."""
    import warnings

    from sklearn.cluster import SpectralClustering

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            assign = SpectralClustering(n_clusters=k, affinity="precomputed", assign_labels="cluster_qr",
                                        random_state=0).fit_predict(neighbour_graph(x, langs))
    except (ArithmeticError, ValueError, RuntimeError):  # ArpackNoConvergence is a RuntimeError
        return _kmeans(x, k)
    present, assign = np.unique(assign, return_inverse=True)  # themes numbered 0, 1, ... with none empty
    centres = np.vstack([x[assign == c].mean(axis=0) for c in range(len(present))])
    return assign, centres


def find_themes(embeddings: np.ndarray, lemmas: Sequence[Sequence[str]], k: int | None = None,
                min_size: int = 3, quotes: int = 3, langs: Sequence[str] | None = None,
                exclude: Sequence[str] = (), label_words: Sequence[Sequence[str]] | None = None,
                word_vectors: np.ndarray | None = None,
                texts: Sequence[str] | None = None) -> tuple[list[Theme], np.ndarray]:
    """Themes and, per utterance, the index of its theme in the returned list.

    `label_words` (nouns, when the language has a tagger) name the themes; `lemmas` shape them. With
    the `texts`, a name or an acronym in a label keeps its capitals ("agence · La Rochelle · Lorient").
    """
    n = len(lemmas)
    if n == 0:
        return [], np.zeros(0, int)
    x = representation(embeddings, lemmas, langs=langs, word_vectors=word_vectors)
    k = min(k or theme_count(n), len(np.unique(x, axis=0)))  # no more themes than different utterances
    if k <= 1:
        assign = np.zeros(n, int)
        centres = x.mean(axis=0, keepdims=True)
    else:
        assign, centres = _spectral(x, k, langs) if n <= SPECTRAL_UP_TO else _kmeans(x, k)
        assign, centres = _split_giants(x, assign, centres, limit=max(30, int(0.2 * n)))
        k = len(centres)
        sizes = Counter(assign.tolist())
        small = [c for c, s in sizes.items() if s < min_size]
        big = [c for c in range(k) if c not in small and sizes.get(c, 0)]
        if big and small:
            for i in np.where(np.isin(assign, small))[0]:
                sims = centres[big] @ x[i]
                assign[i] = big[int(sims.argmax())]
    groups: dict[int, list[int]] = {}
    for i, g in enumerate(assign.tolist()):
        groups.setdefault(g, []).append(i)
    banned = {w.lower() for w in exclude}

    def allowed(per_utterance: Sequence[Sequence[str]]) -> list[list[str]]:
        return [[w for w in ws if w not in banned] for ws in per_utterance]

    naming = allowed(label_words if label_words is not None else lemmas)
    words = label_themes(groups, naming, langs=langs, fallback=None if label_words is None else allowed(lemmas))
    diffuse = [g for g in groups if _focus(groups[g], words.get(g) or [], naming, lemmas, langs) < DIFFUSE_FOCUS]
    if len(groups) - len(diffuse) < 2:
        diffuse = [g for g in diffuse if not words.get(g)]  # a theme with no word at all is diffuse anyway
    if diffuse:  # one theme of what has no subject of its own, listed last
        into = diffuse[0]
        for g in diffuse[1:]:
            groups[into] += groups.pop(g)
        groups[into].sort()
        assign[np.isin(assign, diffuse)] = into
        words[into] = []
    order = sorted(groups, key=lambda g: (not words.get(g), -len(groups[g]), g))
    written = as_usually_written([w for kw in words.values() for w in kw], texts) if texts is not None else {}
    themes, index_of, used = [], {}, {MISCELLANEOUS_ID}
    for g in order:
        idx = groups[g]
        kw = words.get(g) or []
        if kw:
            label, tid = " · ".join(written.get(w, w) for w in kw), "th-" + _slug(kw[:2])
            while tid in used:
                tid += "-b"
            used.add(tid)
        else:
            label, tid = _miscellaneous_label(idx, langs), MISCELLANEOUS_ID
        index_of[g] = len(themes)
        themes.append(Theme(id=tid, label=label, members=idx, keywords=kw, quotes=_nearest_centre(x, idx, quotes)))
    return themes, np.array([index_of[g] for g in assign.tolist()], int)


CONTEXT_FLOOR = 0.5  # an answer read in context joins a theme when at least as near its centre as half its own members


def read_in_context(found: list[Theme], assign: np.ndarray, x: np.ndarray, candidates: Sequence[int],
                    quotes: int = 3) -> tuple[list[Theme], np.ndarray]:
    """Members of the catch-all theme placed by what was said before them.

    `x`: the representation where the rows of `candidates` hold the utterance read with what
    preceded it, the other rows the utterance alone. A candidate in the catch-all joins the topical
    theme whose centre it is nearest, when it is at least as near as the theme's own members at
    the CONTEXT_FLOOR quantile; else it stays. Names and quotes of the topical themes are kept:
    they come from what their members say themselves.
    """
    misc = next((k for k, t in enumerate(found) if t.id == MISCELLANEOUS_ID), None)
    topical = [k for k, t in enumerate(found) if t.id != MISCELLANEOUS_ID]
    if misc is None or not topical or not len(candidates):
        return found, assign
    unit = x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-9)
    centres = np.vstack([unit[found[k].members].mean(axis=0) for k in topical])
    centres /= np.maximum(np.linalg.norm(centres, axis=1, keepdims=True), 1e-9)
    floors = np.array([np.quantile(unit[found[k].members] @ c, CONTEXT_FLOOR) for k, c in zip(topical, centres)])
    moving = np.array([i for i in candidates if assign[i] == misc], int)
    sims = unit[moving] @ centres.T
    best = sims.argmax(axis=1) if len(moving) else np.zeros(0, int)
    near = sims[np.arange(len(moving)), best] >= floors[best]
    assign = assign.copy()
    assign[moving[near]] = np.array(topical)[best[near]]
    out = []
    for k, t in enumerate(found):
        idx = [int(i) for i in np.where(assign == k)[0]]
        if k == misc and idx:  # its quotes may have moved
            out.append(Theme(t.id, t.label, idx, t.keywords, _nearest_centre(unit, idx, quotes)))
        elif idx:
            out.append(Theme(t.id, t.label, idx, t.keywords, t.quotes))
    out.sort(key=lambda t: (t.id == MISCELLANEOUS_ID, -len(t.members)))  # as find_themes lists them
    index = {t.id: j for j, t in enumerate(out)}
    return out, np.array([index[found[k].id] for k in assign.tolist()], int)


def _nearest_centre(x: np.ndarray, idx: Sequence[int], count: int) -> list[int]:
    """A theme's quotes: the `count` members nearest the mean of its members."""
    sims = x[idx] @ x[idx].mean(axis=0)
    return [idx[j] for j in np.argsort(-sims)[:count]]


def _focus(idx: Sequence[int], keywords: Sequence[str], naming: Sequence[Sequence[str]],
          lemmas: Sequence[Sequence[str]], langs: Sequence[str] | None) -> float:
    """The share of a theme's members (in its main language) that say at least one of the words naming it."""
    heard = _in_main_language(idx, langs)
    named = set(keywords)
    return sum(1 for i in heard if named & (set(naming[i]) | set(lemmas[i]))) / max(1, len(heard))


def _miscellaneous_label(idx: Sequence[int], langs: Sequence[str] | None) -> str:
    main = Counter(langs[i] for i in idx).most_common(1)[0][0] if langs else "fr"
    return MISCELLANEOUS_LABELS.get(main, MISCELLANEOUS_LABELS["fr"])
