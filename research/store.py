"""Open the workspace database, keep its schema up to date, and say clearly when it cannot.

Every domain module declares its own named set of migrations::

    migrations = Migrations("journeys")

    @migrations()
    def m001_journeys(db):
        db["journeys"].create({...}, pk="id")

`open_database` applies, in the order of `research.schema.MIGRATION_SETS`, every migration not yet
recorded in the `_ecoute_migrations` table, each in its own transaction. A database that records a
migration this code does not know was written by a newer Écoute and is refused untouched.
"""
from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TypeVar

import sqlite_utils

from research.errors import DomainError

DEFAULT_DB_PATH = Path("data") / "ecoute.db"
ENV_DB = "ECOUTE_DB"
MIGRATIONS_TABLE = "_ecoute_migrations"
SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000
T = TypeVar("T")


class StoreError(DomainError):
    """The workspace database cannot be used; the message says why, for a person."""


class NotADatabaseError(StoreError):
    pass


class ReadOnlyDatabaseError(StoreError):
    pass


class DatabaseLockedError(StoreError):
    pass


class NewerSchemaError(StoreError):
    pass


class ConflictError(StoreError):
    """Someone else changed a record since it was read."""


Migration = Callable[[sqlite_utils.Database], None]


@dataclass
class Migrations:
    """A named, ordered set of schema migrations owned by one domain module."""

    name: str
    steps: list[tuple[str, Migration]] = field(default_factory=list)

    def __call__(self) -> Callable[[Migration], Migration]:
        def register(fn: Migration) -> Migration:
            if any(existing == fn.__name__ for existing, _ in self.steps):
                raise ValueError(f"migration {self.name}.{fn.__name__} declared twice")
            self.steps.append((fn.__name__, fn))
            return fn

        return register


def now_iso() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def row_version(db: sqlite_utils.Database, table: str, key, pk: str = "id") -> str:
    """A fingerprint of a row's current content, for records without a version column: an editor
    keeps the one it loaded, and a save compares it with `check_version` (empty if the row is gone)."""
    row = db.execute(f"SELECT * FROM [{table}] WHERE [{pk}] = ?", [key]).fetchone()
    return hashlib.sha1(repr(tuple(row)).encode("utf-8")).hexdigest()[:16] if row else ""


def check_version(db: sqlite_utils.Database, table: str, key, based_on: str | None, pk: str = "id") -> None:
    """ConflictError if the row changed since the editor loaded it (`based_on` None: no check)."""
    if based_on is not None and based_on != row_version(db, table, key, pk):
        raise ConflictError(f"Someone else changed this {table} record meanwhile; reload it.",
                            key="store.err.conflict")


def resolve_db_path(cli_value: str | os.PathLike | None = None) -> Path:
    """`--db` wins, then the ECOUTE_DB environment variable, then data/ecoute.db."""
    if cli_value:
        return Path(cli_value)
    if os.environ.get(ENV_DB):
        return Path(os.environ[ENV_DB])
    return DEFAULT_DB_PATH


def _check_file(path: Path, create: bool) -> None:
    if not path.exists():
        if not create:
            raise StoreError(f"No workspace database at {path}.")
        parent = path.parent if str(path.parent) else Path(".")
        if not parent.exists():
            parent.mkdir(parents=True, exist_ok=True)
        if not os.access(parent, os.W_OK):
            raise ReadOnlyDatabaseError(
                f"Cannot create the workspace database in {parent}: that folder is read-only."
            )
        return
    if path.is_dir():
        raise NotADatabaseError(f"{path} is a folder, not a workspace database file.")
    _check_header(path)
    if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
        raise ReadOnlyDatabaseError(
            f"The workspace database {path} is read-only (the file or its folder cannot be written). "
            "Écoute needs to write to it; check its permissions. Nothing was changed."
        )


# (device, inode) of the files this process has opened as databases. Closing any descriptor of a
# file drops every POSIX lock the process holds on it, those of its open SQLite connections
# included (sqlite.org/howtocorrupt.html, 2.2): another process closing its connection could then
# take itself for the file's last user and delete the WAL from under ours. So the header is read
# only before this process first connects to a file, never while its connections may be open.
_OPENED: set[tuple[int, int]] = set()


def _file_key(path: Path) -> tuple[int, int]:
    info = path.stat()
    return info.st_dev, info.st_ino


def _check_header(path: Path) -> None:
    """Refuse a file that is not an SQLite database before SQLite touches it."""
    if _file_key(path) in _OPENED:
        return
    with open(path, "rb") as f:
        header = f.read(len(SQLITE_HEADER))
    if header and header != SQLITE_HEADER:
        raise NotADatabaseError(
            f"{path} is not an Écoute workspace: it is not an SQLite database. "
            "Point --db or ECOUTE_DB at another file; this one was left untouched."
        )


def connect(path: str | os.PathLike | None) -> sqlite_utils.Database:
    """A sqlite-utils Database with the house pragmas, without touching the schema."""
    if path is None or str(path) == ":memory:":
        db = sqlite_utils.Database(memory=True)
    else:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
        db = sqlite_utils.Database(conn)
        try:
            db.execute("PRAGMA journal_mode=WAL")
        except sqlite3.OperationalError as e:
            conn.close()
            raise _translate(e, Path(path)) from e
    db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    db.execute("PRAGMA foreign_keys=ON")
    return db


def _translate(error: sqlite3.Error, path: Path) -> StoreError:
    text = str(error).lower()
    if "locked" in text or "busy" in text:
        return DatabaseLockedError(
            f"The workspace database {path} is locked by another process (another Écoute, a backup, "
            "a database browser?). Close it and try again; nothing was changed."
        )
    if "readonly" in text or "read-only" in text:
        return ReadOnlyDatabaseError(f"The workspace database {path} is read-only; nothing was changed.")
    if "not a database" in text or "malformed" in text or "encrypted" in text:
        return NotADatabaseError(
            f"{path} is not a readable Écoute workspace ({error}). It was left untouched."
        )
    return StoreError(f"The workspace database {path} could not be opened: {error}")


def all_migration_sets() -> list[Migrations]:
    from research.schema import MIGRATION_SETS

    return MIGRATION_SETS


def applied_migrations(db: sqlite_utils.Database) -> set[tuple[str, str]]:
    if MIGRATIONS_TABLE not in db.table_names():
        return set()
    return {(r["migration_set"], r["name"]) for r in db[MIGRATIONS_TABLE].rows}


def pending_migrations(
    db: sqlite_utils.Database, sets: Iterable[Migrations] | None = None
) -> list[tuple[str, str, Migration]]:
    sets = list(all_migration_sets() if sets is None else sets)
    done = applied_migrations(db)
    known = {(s.name, name) for s in sets for name, _ in s.steps}
    unknown = sorted(done - known)
    if unknown:
        names = ", ".join(f"{a}.{b}" for a, b in unknown)
        raise NewerSchemaError(
            "This workspace was written by a newer version of Écoute "
            f"(it records migrations this version does not know: {names}). "
            "Upgrade Écoute to open it; the file was left untouched."
        )
    return [(s.name, name, fn) for s in sets for name, fn in s.steps if (s.name, name) not in done]


def migrate(
    db: sqlite_utils.Database,
    sets: Iterable[Migrations] | None = None,
    stop_before: tuple[str, str] | None = None,
) -> list[str]:
    """Apply pending migrations, each atomically with its record. Returns the names applied."""
    applied = []
    for set_name, name, fn in pending_migrations(db, sets):
        if stop_before == (set_name, name):
            break
        with db.atomic():
            if MIGRATIONS_TABLE not in db.table_names():
                db[MIGRATIONS_TABLE].create(
                    {"migration_set": str, "name": str, "applied_at": str},
                    pk=("migration_set", "name"),
                )
            fn(db)
            db[MIGRATIONS_TABLE].insert(
                {"migration_set": set_name, "name": name, "applied_at": now_iso()}
            )
        applied.append(f"{set_name}.{name}")
    return applied


def read_at(path: str | os.PathLike, read: Callable[..., T], *args, **kwargs) -> T:
    """`read(db, *args, **kwargs)` on the workspace at `path`, opened for this call alone and closed
    after it: a download button calls its data when it is clicked, from a thread of its own, where the
    page's connection may not go."""
    db = open_database(path, migrate_schema=False)
    try:
        return read(db, *args, **kwargs)
    finally:
        db.close()


def open_database(
    path: str | os.PathLike | None = None, *, create: bool = True, migrate_schema: bool = True
) -> sqlite_utils.Database:
    """Open (and create, and upgrade) the workspace database, or raise a StoreError that says why.

    `path=None` resolves `ECOUTE_DB` then the default; pass ":memory:" for a throwaway database.
    """
    if path is None:
        path = resolve_db_path()
    if str(path) != ":memory:":
        path = Path(path)
        _check_file(path, create)
    try:
        db = connect(path)
    except sqlite3.Error as e:
        raise _translate(e, Path(str(path))) from e
    if str(path) != ":memory:":
        _OPENED.add(_file_key(path))  # a database from now on: its header is not read again
    try:
        pending = pending_migrations(db)
        if pending and migrate_schema:
            migrate(db)
    except StoreError:
        db.close()
        raise
    except sqlite3.Error as e:
        db.close()
        raise _translate(e, Path(str(path))) from e
    return db


def dumps(value) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


def loads(text, default=None):
    import json

    if text in (None, ""):
        return default
    return json.loads(text)


def online_backup(src: str | os.PathLike, dest: str | os.PathLike) -> None:
    """Copy a live database with SQLite's online backup API (others may keep writing meanwhile)."""
    try:
        source = sqlite3.connect(str(src), timeout=BUSY_TIMEOUT_MS / 1000)
        target = sqlite3.connect(str(dest))
        try:
            source.backup(target, pages=256)
        finally:
            target.close()
            source.close()
    except sqlite3.Error as e:
        raise _translate(e, Path(src)) from e


def inspect_file(path: str | os.PathLike) -> tuple[str, list[str]]:
    """(integrity_check result, table names) of a database file opened read-only."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
            tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        finally:
            conn.close()
    except sqlite3.Error as e:
        raise _translate(e, Path(path)) from e
    return ok, tables
