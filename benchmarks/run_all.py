"""Run every benchmark in turn and print their figures (`make bench`)."""
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = ["transcript_import.py", "synthesis_pages.py", "analysis_vs_bertopic.py", "photolanguage_dealing.py"]

if __name__ == "__main__":
    failed = []
    for script in SCRIPTS:
        print(f"\n=== {script} ===", flush=True)
        if subprocess.run([sys.executable, str(HERE / script)], cwd=HERE.parent).returncode:
            failed.append(script)
    if failed:
        sys.exit(f"failed: {', '.join(failed)}")
