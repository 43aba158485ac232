import os
import sqlite3
import stat
import subprocess
import sys

import pytest

from research import store
from research.brand import BrandPlatform, BrandValue, current_platform, save_platform
from research.store import Migrations


def test_fresh_database_records_every_migration(db_path):
    db = store.open_database(db_path)
    expected = {(s.name, name) for s in store.all_migration_sets() for name, _ in s.steps}
    assert store.applied_migrations(db) == expected
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] == store.BUSY_TIMEOUT_MS
    assert "brand_platform_versions" in db.table_names()


def test_reopening_applies_nothing(db_path):
    store.open_database(db_path).close()
    db = store.open_database(db_path)
    assert store.pending_migrations(db) == []


def test_older_database_upgrades_and_keeps_its_data(db_path):
    old = Migrations("toy")
    new = Migrations("toy")

    @old()
    @new()
    def m001_notes(db):
        db["notes"].create({"id": int, "text": str}, pk="id")

    @new()
    def m002_note_author(db):
        db["notes"].add_column("author", str)
        db.execute("UPDATE notes SET author = 'unknown'")

    db = store.connect(db_path)
    assert store.migrate(db, [old]) == ["toy.m001_notes"]
    db["notes"].insert({"id": 1, "text": "gardé"})
    assert store.migrate(db, [new]) == ["toy.m002_note_author"]
    assert list(db["notes"].rows) == [{"id": 1, "text": "gardé", "author": "unknown"}]


def test_real_schema_upgrade_from_first_migration_keeps_brand_platform(db_path):
    sets = store.all_migration_sets()
    db = store.connect(db_path)
    # the database as it was after the first two sets only (an older Écoute)
    store.migrate(db, sets[:2])
    save_platform(db, BrandPlatform(promise="Tenir parole", values=[BrandValue("Écoute", "")]))
    db.close()
    db = store.open_database(db_path)
    assert store.pending_migrations(db) == []
    assert current_platform(db).promise == "Tenir parole"


def test_failed_migration_leaves_nothing_half_done(db_path):
    broken = Migrations("broken")

    @broken()
    def m001_half(db):
        db["half"].create({"id": int}, pk="id")
        raise RuntimeError("boom")

    db = store.connect(db_path)
    with pytest.raises(RuntimeError):
        store.migrate(db, [broken])
    assert "half" not in db.table_names()
    assert store.applied_migrations(db) == set()


def test_newer_database_is_refused_untouched(db_path):
    db = store.open_database(db_path)
    db[store.MIGRATIONS_TABLE].insert({"migration_set": "brand", "name": "m999_future", "applied_at": "2030"})
    db.close()
    before = db_path.read_bytes()
    with pytest.raises(store.NewerSchemaError, match="newer version"):
        store.open_database(db_path)
    assert db_path.read_bytes() == before


def test_not_a_database_is_refused_untouched(db_path):
    db_path.write_text("Name,Email\nJean,jean@example.org\n")
    with pytest.raises(store.NotADatabaseError, match="not an SQLite database"):
        store.open_database(db_path)
    assert db_path.read_text() == "Name,Email\nJean,jean@example.org\n"


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_database_is_refused(db_path):
    store.open_database(db_path).close()
    db_path.chmod(stat.S_IRUSR)
    with pytest.raises(store.ReadOnlyDatabaseError):
        store.open_database(db_path)


def test_read_only_folder_is_refused_even_as_root(tmp_path, monkeypatch):
    path = tmp_path / "ro.db"
    store.open_database(path).close()
    monkeypatch.setattr(store.os, "access", lambda p, mode: False)
    with pytest.raises(store.ReadOnlyDatabaseError, match="read-only"):
        store.open_database(path)


def test_locked_database_gives_a_clear_message(db_path, monkeypatch):
    store.open_database(db_path).close()
    monkeypatch.setattr(store, "BUSY_TIMEOUT_MS", 200)
    locker = sqlite3.connect(str(db_path))
    locker.execute("PRAGMA locking_mode=EXCLUSIVE")
    locker.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(store.DatabaseLockedError, match="locked by another process"):
            store.open_database(db_path)
    finally:
        locker.rollback()
        locker.close()


def test_path_resolution_order(monkeypatch):
    monkeypatch.delenv(store.ENV_DB, raising=False)
    assert store.resolve_db_path() == store.DEFAULT_DB_PATH
    monkeypatch.setenv(store.ENV_DB, "/tmp/from-env.db")
    assert str(store.resolve_db_path()) == "/tmp/from-env.db"
    assert str(store.resolve_db_path("/tmp/from-flag.db")) == "/tmp/from-flag.db"


def test_cli_reports_a_bad_file_without_traceback(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"\x00garbage" * 10)
    proc = subprocess.run([sys.executable, "-m", "research.cli", "info", "--db", str(bad)],
                          capture_output=True, text=True)
    assert proc.returncode == 1
    assert "not an SQLite database" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert bad.read_bytes() == b"\x00garbage" * 10


def test_reopening_keeps_the_open_connections_locks_so_another_process_cannot_pull_the_wal_away(db_path):
    """Closing any descriptor of a file drops every POSIX lock the process holds on it, those of its
    open SQLite connections included (sqlite.org/howtocorrupt.html, 2.2). The app reopens the
    workspace at every run while other runs' connections are open; if that reopening read the file's
    header with open()/close(), a command-line `ecoute` closing its own connection would take itself
    for the last user and delete the WAL and its index from under the app ("disk I/O error")."""
    app = store.open_database(db_path)
    app.execute("CREATE TABLE IF NOT EXISTS probe (x)")
    app.execute("INSERT INTO probe VALUES (1)")
    app.conn.commit()
    assert os.path.exists(f"{db_path}-wal")
    store.open_database(db_path).close()  # the next run of the app
    other_process = ("import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
                     "c.execute('SELECT count(*) FROM probe').fetchone(); c.close()")
    subprocess.run([sys.executable, "-c", other_process, str(db_path)], check=True)
    assert os.path.exists(f"{db_path}-wal") and os.path.exists(f"{db_path}-shm")
    assert app.execute("SELECT count(*) FROM probe").fetchone()[0] == 1
    app.close()


def test_fold_compares_words_whatever_their_case_accents_apostrophes_and_spacing():
    from research.folding import fold

    assert fold("  Cœur d’Éléphant ") == fold("coeur  d'elephant") == "coeur d'elephant"
    assert fold("ÉCOUTE") == "ecoute" and fold(None) == ""
