"""Backups with SQLite's online backup API, and a restore that checks the file first.

`backup(db_path, dest)` copies a live workspace page by page (others may keep working); `restore(src,
db_path)` checks that `src` is an Écoute workspace this version can open (integrity check, known
migrations), keeps the current file aside as `<name>.before-restore-<time>.db`, then puts `src` in place.
"""
from __future__ import annotations

import os
import shutil
from datetime import datetime, timezone
from pathlib import Path

from research.errors import DomainError
from research.store import (MIGRATIONS_TABLE, SQLITE_HEADER, StoreError, inspect_file, online_backup,
                            open_database, pending_migrations)


class BackupError(DomainError):
    pass


def backup(db_path: str | os.PathLike, dest: str | os.PathLike) -> Path:
    src, dest = Path(db_path), Path(dest)
    if not src.exists():
        raise BackupError(f"No workspace database at {src}.", key="backup.err.no_source", path=str(src))
    if dest.is_dir() or (not dest.exists() and not dest.suffix):  # a folder: a dated file in it
        dest.mkdir(parents=True, exist_ok=True)
        dest = dest / f"ecoute-{datetime.now(timezone.utc).strftime('%Y%m%d-%H%M%S')}.db"
    if dest.resolve() == src.resolve():
        raise BackupError("The backup cannot overwrite the workspace itself.", key="backup.err.same", path=str(dest))
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".part")
    try:
        online_backup(src, tmp)
    except StoreError:
        tmp.unlink(missing_ok=True)
        raise
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise BackupError(f"Cannot write the backup to {dest}: {e.strerror}.", key="backup.err.write",
                          path=str(dest)) from e
    os.replace(tmp, dest)
    return dest


def validate(path: str | os.PathLike) -> dict:
    """Summary of a backup file (tables, rows), or a BackupError saying why it cannot be restored."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"No file at {path}.", key="backup.err.no_file", path=str(path))
    with open(path, "rb") as f:
        if f.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise BackupError(f"{path} is not an SQLite database.", key="backup.err.not_db", path=str(path))
    try:
        ok, tables = inspect_file(path)
    except StoreError as e:
        raise BackupError(f"{path} cannot be read: {e}.", key="backup.err.not_db", path=str(path)) from e
    if ok != "ok":
        raise BackupError(f"{path} is damaged: {ok}.", key="backup.err.damaged", path=str(path))
    if MIGRATIONS_TABLE not in tables:
        raise BackupError(f"{path} is not an Écoute workspace.", key="backup.err.not_workspace", path=str(path))
    db = open_database(path, create=False, migrate_schema=False)  # NewerSchemaError if written by a newer Écoute
    try:
        pending_migrations(db)
        counts = {t: db[t].count for t in ("participants", "interviews", "utterances", "users") if t in tables}
    finally:
        db.close()
    return {"tables": len(tables), "counts": counts}


def restore(src: str | os.PathLike, db_path: str | os.PathLike) -> Path | None:
    """Put a validated backup in place of the workspace; returns where the previous file was kept."""
    src, db_path = Path(src), Path(db_path)
    validate(src)
    kept = None
    if db_path.exists():
        stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
        kept = db_path.with_name(f"{db_path.stem}.before-restore-{stamp}{db_path.suffix or '.db'}")
        backup(db_path, kept)  # a consistent copy, WAL included
    tmp = db_path.with_name(db_path.name + ".restoring")
    shutil.copyfile(src, tmp)
    for suffix in ("-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    os.replace(tmp, db_path)
    try:
        open_database(db_path).close()  # bring the schema up to date
    except StoreError:
        if kept:
            shutil.copyfile(kept, db_path)
        raise
    return kept
