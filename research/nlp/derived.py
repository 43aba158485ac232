"""Where artefacts derived from installed packages live: `models/derived/` in the project, git-ignored.

They are rebuilt from what `pip` installed and the seeds (the int8 ONNX embedding model, spaCy's
English tokenizer rules as plain data, the seeds' character n-gram model), by `ecoute models prepare`
at set-up or on first use, so they are never committed and never fetched. Not in the analysis cache
(`ECOUTE_CACHE_DIR`): benchmarks and tests point that at empty folders to measure a cold analysis,
and rebuilding a model there each time would be measured as analysis. If the project folder is
read-only, the user's cache folder (~/.cache/ecoute/derived) takes over.
"""
from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]


def roots() -> list[Path]:
    """Where derived artefacts are looked for, in order; the first writable one is where they are built."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")) / "ecoute" / "derived"
    return [PROJECT / "models" / "derived", cache]


def writable_root(candidates: list[Path] | None = None) -> Path:
    for root in candidates or roots():
        try:
            root.mkdir(parents=True, exist_ok=True)
            probe = root / f".probe-{os.getpid()}"
            probe.write_bytes(b"")
            probe.unlink()
            return root
        except OSError:
            continue
    raise OSError(f"no writable folder for derived models among {', '.join(map(str, candidates or roots()))}")


def write_atomically(path: Path, text: str) -> None:
    """Write beside, then rename: a concurrent reader sees the old file or the new one, never half."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def drop_superseded(kept: Path, pattern: str) -> list[Path]:
    """Remove the artefacts of the same kind as `kept`, the one in use (`pattern`, a glob such as
    "cx-ngrams-*.json"), beside it: each was derived for other seeds or other installed versions, and
    would otherwise pile up with every change (2.6 MB an n-gram model, 21 MB an int8 graph). Only in
    the project's folder: the user's cache folder may serve several checkouts at other versions, which
    would then rebuild each other's in turn. Returns what went; what cannot be removed stays."""
    folder = kept.parent
    if folder.resolve() != (PROJECT / "models" / "derived").resolve():
        return []
    gone = []
    for other in folder.glob(pattern):
        if other.resolve() == kept.resolve():
            continue
        try:
            shutil.rmtree(other) if other.is_dir() else other.unlink()
        except OSError:
            continue
        gone.append(other)
    return gone


def installed_packages(names: Sequence[str] = ()) -> list[str]:
    """The installed distributions with their versions, as their folder names say
    ("onnxruntime-1.32.0.dist-info"); only those of `names` (as pip spells them) when given.
    Read from the interpreter's site-packages folders (not the current folder, which may hold a
    project's own egg-info), in about a millisecond: importlib.metadata alone takes some 40 ms to
    import, which would double the time of answering an unchanged corpus from the cache."""
    import site
    import sysconfig

    paths = sysconfig.get_paths()
    folders = {paths["purelib"], paths["platlib"]}
    if site.ENABLE_USER_SITE:
        folders.add(site.getusersitepackages())
    wanted = {n.lower().replace("-", "_") for n in names}
    found = []
    for folder in sorted(folders):
        try:
            entries = os.listdir(folder)
        except OSError:
            continue
        for entry in entries:
            if entry.endswith((".dist-info", ".egg-info")) and (
                    not wanted or entry.partition("-")[0].lower().replace("-", "_") in wanted):
                found.append(entry)
    return sorted(found)


def installed_versions(names: Sequence[str]) -> dict[str, str]:
    """The version of each of `names` as constraints.txt pins it (a local label such as torch's
    "+cpu" dropped), "not installed" when it is not."""
    found = {}
    for entry in installed_packages(names):
        name, _, version = entry.rsplit(".", 1)[0].partition("-")
        if version:
            found[name.lower().replace("-", "_")] = version.split("+")[0]
    return {n: found.get(n.lower().replace("-", "_"), "not installed") for n in names}
