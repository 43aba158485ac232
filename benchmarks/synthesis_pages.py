"""Render time of each synthesis page on a study of 200 interviews and 20,000 utterances.

    .venv/bin/python benchmarks/synthesis_pages.py [--interviews 200] [--per-interview 100]

Builds the demo workspace plus a generated study with a stored analysis (and five team codes, each on
a fifth of the utterances) in a temporary file, then
renders every synthesis page through Streamlit's AppTest: once cold (the first page also reads
the coded utterances into the cache) and three times warm, in French. Target: under 1.5 s each.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
TARGET = 1.5
PAGES = ["pages/synthesis_board.py", "pages/synthesis_journey.py", "pages/synthesis_themes.py",
         "pages/synthesis_codes.py", "pages/synthesis_personas.py", "pages/brand_perception.py", "pages/synthesis_report.py",
         "pages/analysis.py"]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--interviews", type=int, default=200)
    parser.add_argument("--per-interview", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from streamlit.testing.v1 import AppTest

    from research.demo import accounts as accounts_demo
    from research.demo import brand as brand_demo
    from research.store import open_database
    from synthesis_study import build_study

    tmp = Path(tempfile.mkdtemp()) / "study.db"
    t0 = time.perf_counter()
    db = open_database(tmp)
    with db.atomic():
        brand_demo.build(db)
        accounts_demo.build(db)  # pages are opened as the demo admin
    built = build_study(db, args.interviews, args.per_interview)
    from research import team_codes

    ids = [r[0] for r in db.execute("SELECT id FROM utterances ORDER BY id")]
    for k in range(5):  # the team's codes, each on a fifth of the utterances
        team_codes.apply_code(db, ids[k::5], team_codes.create_code(db, f"Code {k + 1}"))
    db.close()
    print(f"study: {built['interviews']} interviews, {built['utterances']} utterances "
          f"(built in {time.perf_counter() - t0:.1f} s)")
    os.environ["ECOUTE_DB"] = str(tmp)
    os.chdir(ROOT)

    failures = 0
    print(f"{'page':32} {'cold s':>8} {'warm s (median)':>16}  verdict")
    for page in PAGES:
        times = []
        for _ in range(args.repeat + 1):
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
            at.session_state["ecoute.user_id"] = 1
            at.run()
            start = time.perf_counter()
            at.switch_page(page).run()
            times.append(time.perf_counter() - start)
            if at.exception:
                print(f"{page}: exception {at.exception[0].value}")
                failures += 1
                break
        warm = statistics.median(times[1:]) if len(times) > 1 else times[0]
        ok = warm < TARGET
        failures += not ok
        print(f"{page:32} {times[0]:8.2f} {warm:16.2f}  {'ok' if ok else 'TOO SLOW'} (< {TARGET} s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
