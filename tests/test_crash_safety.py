"""An import killed with SIGKILL in the middle of its transaction leaves the study consistent, and
running it again completes without duplicates."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from research.store import open_database

ROOT = Path(__file__).resolve().parent.parent

# runs the real `ecoute transcript import`, but pauses inside the transaction after the first
# batch of utterances is written, and says so through a marker file
SLOW_IMPORT = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    import sqlite_utils.db as sdb

    marker = Path(sys.argv[1])
    original = sdb.Table.insert_all

    def insert_all(self, records, *args, **kwargs):
        if self.name != "utterances":
            return original(self, records, *args, **kwargs)
        records = list(records)
        original(self, records[:50], *args, **kwargs)
        marker.write_text("inside the transaction")
        time.sleep(60)
        return original(self, records[50:], *args, **kwargs)

    sdb.Table.insert_all = insert_all
    from research.cli import main
    sys.exit(main(sys.argv[2:]))
""")


def _interview_and_code(db_path):
    db = open_database(db_path)
    row = db.execute("SELECT ip.interview_id, p.code FROM interview_participants ip "
                     "JOIN participants p ON p.id = ip.participant_id LIMIT 1").fetchone()
    db.close()
    return row


def _counts(db_path):
    db = open_database(db_path)
    out = {t: db[t].count for t in ("transcripts", "utterances")}
    out["integrity"] = db.execute("PRAGMA integrity_check").fetchone()[0]
    out["fk"] = db.execute("PRAGMA foreign_key_check").fetchall()
    out["fts"] = db.execute("SELECT COUNT(*) FROM utterances_fts").fetchone()[0]
    db.close()
    return out


def test_kill_9_during_an_import_then_run_again(demo_db_path, tmp_path):
    interview_id, code = _interview_and_code(demo_db_path)
    lines = []
    for i in range(300):
        lines.append(f"Enquêtrice : Question {i}, pouvez-vous me raconter ce qui s'est passé ensuite ?")
        lines.append(f"Client : Alors la réponse numéro {i}, j'ai attendu le remboursement pendant trois semaines "
                     "et personne ne m'a rappelé, c'était vraiment pénible.")
    transcript = tmp_path / "long.txt"
    transcript.write_text("\n".join(lines), encoding="utf-8")
    args = ["transcript", "import", str(transcript), "--interview", str(interview_id), "--db", str(demo_db_path),
            "--speaker", "Enquêtrice=interviewer", "--speaker", f"Client={code}"]
    before = _counts(demo_db_path)
    marker = tmp_path / "marker"
    script = tmp_path / "slow_import.py"
    script.write_text(SLOW_IMPORT)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, str(script), str(marker), *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 120
    while not marker.exists() and proc.poll() is None and time.time() < deadline:
        time.sleep(0.1)
    assert marker.exists(), proc.communicate()[1].decode()[-2000:]
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL

    after_crash = _counts(demo_db_path)  # a restart: the store opens, nothing of the import is there
    assert after_crash == before
    assert after_crash["integrity"] == "ok" and after_crash["fk"] == []

    done = subprocess.run([sys.executable, "-m", "research.cli", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "600 utterances" in done.stdout or "utterances" in done.stdout
    final = _counts(demo_db_path)
    assert final["transcripts"] == before["transcripts"] + 1
    added = final["utterances"] - before["utterances"]
    assert added >= 600 and final["fts"] == final["utterances"]
    again = subprocess.run([sys.executable, "-m", "research.cli", *args], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=300)
    assert again.returncode == 1 and "imported already" in again.stderr and "Traceback" not in again.stderr
    assert _counts(demo_db_path) == final
