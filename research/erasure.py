"""A participant's data: export everything held about them, or erase every trace.

Both work generically, so tables added later are covered without changes here:
- every table with a `participant_id` column holds rows about them;
- rows depending on those (declared foreign keys, or a conventional `<noun>_id` column such as
  `utterance_id`, `transcript_id`) go with them, deepest first;
- transcripts they speak in go whole (their words are in the text), with their utterances, codes,
  cached embeddings and pseudonym mappings;
- any remaining text cell naming their code, name, e-mail or phone is redacted;
- files referenced by a deleted row (a column named like `path` or `file`) are deleted from disk.
Afterwards the database is checkpointed and vacuumed with secure_delete on, so the bytes are gone
from the file, not only from the tables.
"""
from __future__ import annotations

import io
import json
import os
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path

import sqlite_utils

from research import audit
from research.auth import User, require
from research.errors import DomainError
from research.store import now_iso

REDACTED = "[effacé]"
_SKIP_TABLES_PREFIX = ("_ecoute", "sqlite_")
_IDENTIFYING = {"full_name", "name", "first_name", "last_name", "email", "phone", "mobile", "address",
                "postal_address", "street"}
_FILE_COLUMNS = re.compile(r"(^|_)(path|file|filename|file_path|stored_as|image_path|recording)$")


class ErasureError(DomainError):
    pass


def _tables(db: sqlite_utils.Database) -> list[str]:
    names = []
    for t in db.table_names():
        if t.startswith(_SKIP_TABLES_PREFIX):
            continue
        if "_fts" in t:  # full-text shadow tables follow their content table through triggers
            continue
        names.append(t)
    return names


def _columns(db, table: str) -> list[str]:
    return [c.name for c in db[table].columns]


def _singular(table: str) -> str:
    return table[:-1] if table.endswith("s") else table


def _dependents(db, table: str) -> list[tuple[str, str, str]]:
    """(child table, child column, parent column) pairs that point at `table`."""
    out = []
    conventional = f"{_singular(table)}_id"
    for child in _tables(db):
        fks = {(fk.column, fk.other_column) for fk in db[child].foreign_keys if fk.other_table == table}
        if child != table and conventional in _columns(db, child):
            fks.add((conventional, "id"))
        out += [(child, col, other) for col, other in fks if child != table]
    return out


def _participant(db, participant_id: int) -> dict:
    rows = list(db["participants"].rows_where("id = ?", [participant_id]))
    if not rows:
        raise ErasureError("No such participant.", key="erasure.err.no_participant")
    return rows[0]


def identifiers(db: sqlite_utils.Database, participant_id: int) -> list[str]:
    """Strings that identify the participant: code, contact name/e-mail/phone, pseudonym originals."""
    p = _participant(db, participant_id)
    found = [p.get("code") or ""]
    if "participant_contacts" in db.table_names():
        for c in db["participant_contacts"].rows_where("participant_id = ?", [participant_id]):
            for col, value in c.items():
                # what identifies them; not a city or a preference shared with others
                if col in _IDENTIFYING and isinstance(value, str):
                    if col != "address" or any(ch.isdigit() for ch in value):  # a street, not just a city
                        found.append(value)
    if "pseudonym_map" in db.table_names():
        found += [r["original"] for r in db["pseudonym_map"].rows_where("participant_id = ? AND kind != 'person'",
                                                                        [participant_id])]
        found += [r["original"] for r in db["pseudonym_map"].rows_where("participant_id = ? AND kind = 'person'",
                                                                        [participant_id])]
    seen, out = set(), []
    for s in found:
        s = (s or "").strip()
        if len(s) >= 3 and s.casefold() not in seen:
            seen.add(s.casefold())
            out.append(s)
    return out


def _transcripts_of(db, participant_id: int) -> list[int]:
    if "utterances" not in db.table_names():
        return []
    return [r[0] for r in db.execute("SELECT DISTINCT transcript_id FROM utterances WHERE participant_id = ? "
                                     "AND transcript_id IS NOT NULL", [participant_id])]


def _rows(db, table: str, where: str, args) -> list[dict]:
    return list(db[table].rows_where(where, args))


def gather(db: sqlite_utils.Database, participant_id: int) -> dict[str, list[dict]]:
    """Every row held about the participant, by table (rows about them, and rows depending on those)."""
    _participant(db, participant_id)
    out: dict[str, list[dict]] = {}

    def add(table: str, rows: list[dict]) -> None:
        if rows:
            known = out.setdefault(table, [])
            for r in rows:
                if r not in known:
                    known.append(r)

    add("participants", _rows(db, "participants", "id = ?", [participant_id]))
    for table in _tables(db):
        if table != "participants" and "participant_id" in _columns(db, table):
            add(table, _rows(db, table, "participant_id = ?", [participant_id]))
    tids = _transcripts_of(db, participant_id)
    if tids and "transcripts" in db.table_names():
        marks = ",".join("?" * len(tids))
        add("transcripts", _rows(db, "transcripts", f"id IN ({marks})", tids))
    return out


def export_participant(db: sqlite_utils.Database, actor: User | None, participant_id: int) -> bytes:
    """A ZIP with everything held about the participant: data.json (by table) and a README."""
    require(actor, "privacy.manage")
    data = gather(db, participant_id)
    code = data["participants"][0].get("code", str(participant_id))

    def clean(v):
        return v.hex() if isinstance(v, bytes) else v

    payload = {"participant": code, "exported_at": now_iso(),
               "tables": {t: [{k: clean(v) for k, v in r.items()} for r in rows] for t, rows in data.items()}}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("data.json", json.dumps(payload, ensure_ascii=False, indent=2))
        z.writestr("README.txt", "Everything the Écoute workspace holds about participant "
                                 f"{code} (GDPR access request), exported {payload['exported_at']}.\n"
                                 "data.json: one list of rows per table.\n")
    with db.atomic():
        audit.record(db, actor, "export", "participant", participant_id, "export of everything held")
    return buf.getvalue()


def _delete_cascade(db, table: str, column: str, values: list, files: list[str], counts: dict[str, int],
                    depth: int = 0) -> None:
    if not values or depth > 8:
        return
    cols = _columns(db, table)
    for start in range(0, len(values), 500):
        chunk = values[start:start + 500]
        marks = ",".join("?" * len(chunk))
        rows = list(db.execute(f"SELECT * FROM [{table}] WHERE [{column}] IN ({marks})", chunk).fetchall())
        if not rows:
            continue
        for child, child_col, parent_col in _dependents(db, table):
            if parent_col in cols:
                idx = cols.index(parent_col)
                keys = [r[idx] for r in rows if r[idx] is not None]
                _delete_cascade(db, child, child_col, keys, files, counts, depth + 1)
        for i, c in enumerate(cols):
            if _FILE_COLUMNS.search(c):
                files += [r[i] for r in rows if isinstance(r[i], str) and r[i]]
        cur = db.execute(f"DELETE FROM [{table}] WHERE [{column}] IN ({marks})", chunk)
        counts[table] = counts.get(table, 0) + cur.rowcount


def erase_participant(db: sqlite_utils.Database, actor: User | None, participant_id: int, *,
                      files_root: str | os.PathLike | None = None) -> dict:
    """Remove every trace of a participant. Returns counts of rows deleted by table, cells redacted, files."""
    require(actor, "privacy.manage")
    p = _participant(db, participant_id)
    idents = identifiers(db, participant_id)
    counts: dict[str, int] = {}
    files: list[str] = []
    db.execute("PRAGMA secure_delete = ON")
    with db.atomic():
        utterance_texts = []
        tids = _transcripts_of(db, participant_id)
        if "utterances" in db.table_names():
            q = "SELECT text FROM utterances WHERE participant_id = ?"
            args: list = [participant_id]
            if tids:
                q += f" OR transcript_id IN ({','.join('?' * len(tids))})"
                args += tids
            utterance_texts = [r[0] for r in db.execute(q, args)]
        # transcripts they speak in, whole, with everything hanging from them
        if tids:
            _delete_cascade(db, "transcripts", "id", tids, files, counts)
        # cached embeddings of their words
        if "analysis_embeddings" in db.table_names() and utterance_texts:
            from research.nlp.embed import text_key

            keys = [text_key(t) for t in utterance_texts]
            for start in range(0, len(keys), 500):
                chunk = keys[start:start + 500]
                cur = db.execute(f"DELETE FROM analysis_embeddings WHERE text_hash IN ({','.join('?' * len(chunk))})",
                                 chunk)
                counts["analysis_embeddings"] = counts.get("analysis_embeddings", 0) + cur.rowcount
        # interviews only they took part in
        if "interview_participants" in db.table_names() and "interviews" in db.table_names():
            solo = [r[0] for r in db.execute(
                "SELECT interview_id FROM interview_participants GROUP BY interview_id "
                "HAVING SUM(participant_id = ?) > 0 AND COUNT(*) = 1", [participant_id])]
            _delete_cascade(db, "interviews", "id", solo, files, counts)
        # every other row about them, then the participant
        for table in _tables(db):
            if table != "participants" and "participant_id" in _columns(db, table):
                _delete_cascade(db, table, "participant_id", [participant_id], files, counts)
        _delete_cascade(db, "participants", "id", [participant_id], files, counts)
        redacted = _redact(db, idents)
        audit.record(db, actor, "erase", "participant", participant_id,
                     f"{sum(counts.values())} rows, {redacted} cells redacted")
    removed = _remove_files(files, files_root, idents)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    _optimize_fts(db)
    db.execute("VACUUM")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return {"participant": p.get("code"), "rows": counts, "redacted_cells": redacted, "files": removed}


def _redact(db, idents: Iterable[str]) -> int:
    idents = [i for i in idents if i]
    if not idents:
        return 0
    rx = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(i) for i in sorted(idents, key=len, reverse=True)) + r")(?!\w)",
                    re.IGNORECASE)
    changed = 0
    for table in _tables(db):
        info = db[table].columns
        text_cols = [c.name for c in info if (c.type or "").upper() in ("TEXT", "")]
        pk = db[table].pks
        if not text_cols:
            continue
        for row in db.execute(f"SELECT rowid, {', '.join(f'[{c}]' for c in text_cols)} FROM [{table}]").fetchall():
            updates = {}
            for c, v in zip(text_cols, row[1:]):
                if isinstance(v, str) and rx.search(v):
                    updates[c] = rx.sub(REDACTED, v)
            if updates:
                sets = ", ".join(f"[{c}] = ?" for c in updates)
                db.execute(f"UPDATE [{table}] SET {sets} WHERE rowid = ?", [*updates.values(), row[0]])
                changed += len(updates)
        del pk
    return changed


def _remove_files(files: list[str], root, idents: list[str]) -> int:
    removed = 0
    root_path = Path(root) if root else None
    for f in files:
        path = Path(f)
        if not path.is_absolute() and root_path:
            path = root_path / path
        if path.is_file():
            path.unlink()
            removed += 1
    if root_path and root_path.is_dir():  # files named after them (a recording "P-014.m4a")
        lowered = [i.casefold() for i in idents if len(i) >= 4]
        for path in root_path.rglob("*"):
            if path.is_file() and any(i in path.name.casefold() for i in lowered):
                path.unlink()
                removed += 1
    return removed


def _optimize_fts(db) -> None:
    for t in db.table_names():
        if t.endswith("_fts"):
            try:
                db.execute(f"INSERT INTO [{t}]([{t}]) VALUES('rebuild')")
            except Exception:  # noqa: BLE001 - not an FTS5 table, or contentless: nothing to rebuild
                pass


# ---------------------------------------------------------------- retention of recordings


def files_root(db_path: str | os.PathLike) -> Path:
    """The workspace's files folder: $ECOUTE_FILES, else `files/` next to the database."""
    return Path(os.environ.get("ECOUTE_FILES") or Path(db_path).resolve().parent / "files")


def purge_recordings(db: sqlite_utils.Database, actor: User | None, root: str | os.PathLike, *,
                     days: int | None = None, now: float | None = None) -> list[str]:
    """Delete recordings (files under `<root>/recordings`) older than the retention period."""
    import time

    from research.privacy import retention_days

    require(actor, "privacy.manage")
    days = retention_days(db) if days is None else days
    folder = Path(root) / "recordings"
    limit = (now or time.time()) - days * 86400
    removed = []
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.stat().st_mtime < limit:
                path.unlink()
                removed.append(path.name)
    if removed:
        with db.atomic():
            audit.record(db, actor, "purge", "recordings", None, f"{len(removed)} files older than {days} days")
    return removed
