"""Import time of a two-hour interview transcript (about 20,000 words), through the real importer.

    .venv/bin/python benchmarks/transcript_import.py [--words 20000]

Prints the time to parse, pseudonymise (spaCy NER and patterns), segment (spaCy) and store it in a
fresh workspace, with the spaCy models loaded first (cold: as with the command line) and already
loaded (warm: as in the app, which loads them in the background at start-up). Target: < 5 s.
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SUBJECTS = ["Le conseiller", "L'application", "Mon dossier", "La facture", "Le remboursement", "L'agence",
            "Le service client", "Ma mutuelle", "Le décompte", "La carte"]
VERBS = ["a mis trois semaines à arriver", "était vraiment claire", "ne marchait pas le dimanche",
         "m'a rappelé le lendemain", "a été perdu deux fois", "était incompréhensible", "m'a beaucoup rassurée",
         "a changé sans prévenir", "répondait en moins d'une heure", "demandait encore des justificatifs"]
TAILS = ["et franchement je ne m'y attendais pas", "comme la dernière fois", "alors que j'avais tout envoyé",
         "ce qui m'a fait gagner du temps", "et j'ai dû relancer", "sans que personne ne m'explique pourquoi",
         "ce qui est plutôt rare", "à ma grande surprise"]
QUESTIONS = ["Pouvez-vous m'en dire plus ?", "Qu'avez-vous ressenti à ce moment-là ?", "Et ensuite ?",
             "Par quel canal êtes-vous passée ?", "Qu'auriez-vous attendu de nous ?"]


def two_hour_transcript(words: int, seed: int = 3) -> str:
    rng = random.Random(seed)
    lines, count, seconds = [], 0, 0
    while count < words:
        q = rng.choice(QUESTIONS)
        lines.append(f"[{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}] Claire: {q}")
        answer = " ".join(f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)}, {rng.choice(TAILS)}."
                          for _ in range(rng.randint(2, 6)))
        seconds += 25
        lines.append(f"[{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}] Sophie: {answer}")
        seconds += 20
        count += len(q.split()) + len(answer.split())
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--words", type=int, default=20_000)
    args = ap.parse_args()
    from research.interviews import create_interview
    from research.participants import create_participant
    from research.store import open_database
    from research.privacy import load_pipeline
    from research.transcripts import _segmenter, import_transcript

    data = two_hour_transcript(args.words).encode("utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(Path(tmp) / "bench.db")
        pid = create_participant(db, "customer")
        times = []
        for run in ("cold", "warm"):
            iid = create_interview(db, f"Deux heures ({run})", participant_ids=[pid])
            if run == "cold":
                _segmenter.cache_clear()
                load_pipeline.cache_clear()
            t0 = time.perf_counter()
            result = import_transcript(db, iid, data, filename=f"{run}.txt",
                                       on_duplicate="keep_both" if run == "warm" else None)
            times.append((run, time.perf_counter() - t0, result.utterances))
        db.close()
    words = len(data.decode().split())
    print(f"transcript: {words:,} words, {len(data) / 1024:.0f} KiB")
    for run, seconds, utterances in times:
        verdict = "OK" if seconds < 5 else "OVER TARGET"
        print(f"{run:5s} import: {seconds:5.2f} s for {utterances:,} utterances  (target < 5 s: {verdict})")


if __name__ == "__main__":
    main()
