"""Photolanguage dealing: time and overlap against the smallest possible, for round tables of every size.

    .venv/bin/python benchmarks/photolanguage_dealing.py
"""
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from research.photolanguage import deal_panels  # noqa: E402

CASES = [(61, 6, 50), (65, 6, 50), (80, 8, 50), (120, 10, 50), (100, 12, 40), (150, 12, 50), (100, 30, 50),
         (300, 25, 60)]

if __name__ == "__main__":
    print(f"{'library':>8} {'panels':>7} {'size':>5} {'largest':>8} {'bound':>8} {'smallest':>9} {'seconds':>8}")
    for library, panels, size in CASES:
        started = time.perf_counter()
        d = deal_panels(range(library), panels, size, seed=2026)
        took = time.perf_counter() - started
        print(f"{library:>8} {panels:>7} {size:>5} {d.max_overlap:>8} {d.lower_bound:>8} {d.min_overlap:>9} {took:>8.2f}")
