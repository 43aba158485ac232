"""`ecoute analyze IN.jsonl --out OUT.jsonl`: the file contract, with clear errors that name the line.

INPUT: one JSON object per line with at least "id" and "text". CODED: lines {"text", "label"}.
OUTPUT: one line per input id with label, confidence, theme, theme_label (and what else we know).

An unchanged input (same texts, language, codes and engine) is answered from a result cache beside
the embedding cache, so re-analysing it costs a file read.
"""
from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path

from research.errors import DomainError
from research.nlp import derived
from research.nlp.corpus import LABELS, Example, Utterance
from research.nlp.settings import default_model_name, user_cache_path

ENGINE_VERSION = "1"


class AnalyzeInputError(DomainError):
    pass


def read_utterances(path: Path) -> list[Utterance]:
    rows, seen = [], set()
    for n, line in _lines(path):
        obj = _parse(path, n, line)
        if "id" not in obj or "text" not in obj:
            raise AnalyzeInputError(f"{path.name}, line {n}: each line needs an \"id\" and a \"text\".",
                                    key="analyze.err.fields", file=path.name, line=n)
        if not isinstance(obj["text"], str):
            raise AnalyzeInputError(f"{path.name}, line {n}: \"text\" must be a string.",
                                    key="analyze.err.text", file=path.name, line=n)
        uid = str(obj["id"])
        if uid in seen:
            raise AnalyzeInputError(f"{path.name}, line {n}: the id {uid!r} appears twice.",
                                    key="analyze.err.duplicate", file=path.name, line=n, id=uid)
        seen.add(uid)
        rows.append(Utterance(id=uid, text=obj["text"], lang=str(obj.get("lang") or "")))
    return rows


def read_labels(path: Path) -> list[Example]:
    out = []
    for n, line in _lines(path):
        obj = _parse(path, n, line)
        label = obj.get("label")
        if not isinstance(obj.get("text"), str) or label not in LABELS:
            raise AnalyzeInputError(
                f"{path.name}, line {n}: a coded example needs a \"text\" and a \"label\" among {', '.join(LABELS)}.",
                key="analyze.err.label", file=path.name, line=n)
        out.append(Example(obj["text"], label, str(obj.get("lang") or "")))
    return out


def _lines(path: Path) -> Iterable[tuple[int, str]]:
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise AnalyzeInputError(f"{path}: cannot be read ({e.strerror}).", key="analyze.err.read", file=str(path)) from e
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise AnalyzeInputError(f"{path.name}, line {line}: not UTF-8 text.", key="analyze.err.encoding",
                                file=path.name, line=line) from e
    for n, line in enumerate(content.splitlines(), start=1):
        if line.strip():
            yield n, line


def _parse(path: Path, n: int, line: str) -> dict:
    try:
        obj = json.loads(line)
    except ValueError as e:
        raise AnalyzeInputError(f"{path.name}, line {n}: not valid JSON ({e.msg}).", key="analyze.err.json",
                                file=path.name, line=n) from e
    if not isinstance(obj, dict):
        raise AnalyzeInputError(f"{path.name}, line {n}: expected a JSON object.", key="analyze.err.object",
                                file=path.name, line=n)
    return obj


def result_cache_dir() -> Path:
    return user_cache_path().parent / "results"


ENGINE = Path(__file__).resolve().parent
MODELS = derived.PROJECT / "models"


def engine_files() -> list[Path]:
    """What the results follow besides the corpus: the engine's code, its lexicons, the seeds and the
    stored classifier (retrained by `ecoute models train-classifier`)."""
    return [*sorted(ENGINE.glob("*.py")), *sorted(p for p in (ENGINE / "resources").rglob("*") if p.is_file()),
            *sorted((MODELS / "cx_seed").glob("*.tsv")), MODELS / "cx_classifier.json"]


def fingerprint(utterances, labels, lang: str, model: str) -> str:
    """The result cache's key. Computed without loading the engine (no numpy), so that answering an
    unchanged corpus costs little more than reading it."""
    h = hashlib.sha256(f"{ENGINE_VERSION}|{lang}|{model}".encode())
    for path in engine_files():
        h.update(path.name.encode())
        try:
            h.update(path.read_bytes())
        except OSError:
            h.update(b"\x03missing")
    h.update("\n".join(derived.installed_packages()).encode())
    for u in utterances:
        h.update(f"\x00{u.id}\x01{u.lang}\x01{u.text}".encode())
    for e in labels:
        h.update(f"\x02{e.label}\x01{e.text}".encode())
    return h.hexdigest()


def _same_text(text: str) -> str:
    return " ".join(text.split())


def codes_by_text(labels: Iterable[Example]) -> dict[str, str]:
    """The researcher's code of each text (spaces aside); of two codes of one text, the later stands."""
    return {_same_text(e.text): e.label for e in labels if e.text.strip()}


def write_results(out: Path, lines: list[str]) -> None:
    tmp = out.with_name(out.name + ".part")
    tmp.write_text("".join(lines), encoding="utf-8")
    os.replace(tmp, out)


def analyze_files(inp: Path, out: Path, lang: str = "auto", labels_path: Path | None = None,
                  echo=lambda s: None, use_cache: bool = True) -> dict:
    """Run the pipeline on a JSONL file; returns a summary (count, themes, kappa, cached)."""
    utterances = read_utterances(inp)
    labels = read_labels(labels_path) if labels_path else []
    if labels_path and not labels:
        echo(f"{labels_path.name}: no coded examples in it; analysing without codes")
    if not utterances:
        write_results(out, [])
        return {"count": 0, "themes": 0, "kappa": None, "cached": False}
    key = fingerprint(utterances, labels, lang, default_model_name())
    cached = result_cache_dir() / f"{key}.jsonl"
    if use_cache and cached.exists():
        write_results(out, [cached.read_text(encoding="utf-8")])
        echo(f"unchanged corpus: {len(utterances)} results reused")
        return {"count": len(utterances), "themes": None, "kappa": None, "cached": True}

    from research.nlp.embed import EmbeddingCache, SentenceEmbedder
    from research.nlp.pipeline import analyze

    last = {"pct": -1}

    def progress(done, total, stage):
        pct = int(100 * done / total) if total else 100
        if pct != last["pct"]:
            last["pct"] = pct
            echo(f"[{pct:3d} %] {stage}")

    try:
        cache = EmbeddingCache.in_file(user_cache_path())
    except Exception:  # a read-only home: analyse without a cache rather than fail
        cache = None
    analysis = analyze(utterances, lang=lang, labels=labels, embedder=SentenceEmbedder(cache=cache),
                       progress=progress)
    coded = codes_by_text(labels)
    lines, kept = [], 0
    for u, r in zip(utterances, analysis.results):
        row = {"id": r.id, "label": r.label, "confidence": r.confidence, "theme": r.theme, "theme_label": r.theme_label,
               "expectation": r.expectation, "intensity": r.intensity, "dimension": r.dimension, "lang": r.lang}
        code = coded.get(_same_text(u.text))
        if code:  # the researcher coded this very utterance: their code stands, as a correction does in the app
            kept += 1
            row.update(label=code, confidence=1.0, coded=True, expectation=r.expectation and code != "enchantment",
                       intensity=0.0 if code == "neutral" else r.intensity)
        lines.append(json.dumps(row, ensure_ascii=False) + "\n")
    write_results(out, lines)
    if use_cache:
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            write_results(cached, lines)
        except OSError:
            pass
    if kept:
        echo(f"{kept} utterance{'s' if kept > 1 else ''} of the corpus {'are' if kept > 1 else 'is'} among your codes: "
             "labelled as you coded them")
    if analysis.kappa is not None and not analysis.learned_from:
        echo(f"your {analysis.codes} codes were not learned: the seed examples alone agree more with them "
             f"(Cohen's kappa {analysis.seed_kappa:.2f}) than a model trained with them agrees with the codes it "
             f"was not trained on ({analysis.kappa:.2f}); code more utterances, of every label, to teach it")
    elif analysis.kappa is not None:
        echo(f"agreement with your {analysis.learned_from} codes (held out): Cohen's kappa {analysis.kappa:.2f}"
             f" (the seed examples alone: {analysis.seed_kappa:.2f})")
    elif analysis.learned_from:
        n = analysis.learned_from
        echo(f"learned from your {n} code{'s' if n > 1 else ''}; agreement is measured from 10 codes "
             "with at least two labels")
    return {"count": len(lines), "themes": len(analysis.themes), "kappa": analysis.agreement, "cached": False}
