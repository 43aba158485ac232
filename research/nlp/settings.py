"""Which embedding model the analysis uses and where it keeps its caches, read from the environment.

Nothing heavy is imported here, so that `ecoute analyze` can answer an unchanged corpus from its
result cache without loading numpy or the engine.
"""
from __future__ import annotations

import os
from pathlib import Path

ONNX_INT8_MODEL = "all-MiniLM-L6-v2 (offline, onnx-int8)"  # the default; its own name keeps its cached vectors apart
TORCH_MODEL = "all-MiniLM-L6-v2 (offline)"  # the same weights in fp32 through sentence-transformers


def default_model_name() -> str:
    return os.environ.get("ECOUTE_EMBEDDING_MODEL", "").strip() or ONNX_INT8_MODEL


def user_cache_path() -> Path:
    """The embedding cache of `ecoute analyze` on files (`ECOUTE_CACHE_DIR`, else ~/.cache/ecoute)."""
    base = os.environ.get("ECOUTE_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "ecoute")
    return Path(base) / "embeddings.sqlite"
