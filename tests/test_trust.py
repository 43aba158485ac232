"""Accounts and roles, audit log, backup/restore, erasure and export of a participant."""
from __future__ import annotations

import io
import json
import sqlite3
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from research import audit, auth, backup, erasure
from research.store import ConflictError, open_database


@pytest.fixture
def admin(fresh_db):
    return auth.create_first_admin(fresh_db, "alice", "correct horse battery")


def test_first_admin_then_sign_in_and_argon2_hash(fresh_db):
    assert not auth.has_users(fresh_db)
    user = auth.create_first_admin(fresh_db, "Alice", "correct horse battery", "Alice Martin")
    assert user.role == "admin" and user.username == "alice"
    stored = fresh_db["users"].get(user.id)["password_hash"]
    assert stored.startswith("$argon2") and "correct" not in stored
    with pytest.raises(auth.AuthError) as e:
        auth.create_first_admin(fresh_db, "bob", "another long password")
    assert e.value.key == "auth.err.not_first"
    assert auth.authenticate(fresh_db, "ALICE ", "correct horse battery").id == user.id
    for name, pw in (("alice", "wrong password!"), ("nobody", "correct horse battery")):
        with pytest.raises(auth.AuthError) as e:
            auth.authenticate(fresh_db, name, pw)
        assert e.value.key == "auth.err.wrong"


def test_short_password_and_bad_role_are_refused(fresh_db):
    with pytest.raises(auth.AuthError, match="too short"):
        auth.create_user(fresh_db, "bob", "short", "researcher")
    with pytest.raises(auth.AuthError, match="Unknown role"):
        auth.create_user(fresh_db, "bob", "long enough pass", "boss")


def test_marketer_pages_and_permissions():
    for page in ("interviews", "participants", "search", "guides", "analysis", "admin", "some_new_page"):
        assert not auth.may_open("marketer", page), page
    for page in ("home", "synthesis_board", "synthesis_report", "brand_perception", "brand_platform"):
        assert auth.may_open("marketer", page), page
    assert auth.may_open("organiser", "committees") and not auth.may_open("organiser", "interviews")
    assert not auth.can("marketer", "transcripts.read") and not auth.can("marketer", "contacts.read")
    assert not auth.can("marketer", "export.raw")
    with pytest.raises(auth.AccessDenied):
        auth.require(auth.User(1, "m", "", "", "marketer"), "contacts.read")


def test_identity_maps_to_an_account(fresh_db):
    auth.create_user(fresh_db, "bea", None, "marketer", email="Bea@Client.fr")
    assert auth.user_for_identity(fresh_db, "bea@client.fr").role == "marketer"
    with pytest.raises(auth.AuthError):
        auth.user_for_identity(fresh_db, "stranger@x.fr")
    with pytest.raises(auth.AuthError):  # no password: OpenID Connect only
        auth.authenticate(fresh_db, "bea", "")


def test_update_user_conflict_last_admin_and_audit(fresh_db, admin):
    bob = auth.create_user(fresh_db, "bob", "long enough pass", "researcher")
    bob2 = auth.update_user(fresh_db, admin, bob.id, expected_version=bob.version, role="marketer")
    assert bob2.role == "marketer" and bob2.version == 2
    with pytest.raises(ConflictError):
        auth.update_user(fresh_db, admin, bob.id, expected_version=1, role="admin")
    with pytest.raises(auth.AuthError) as e:
        auth.update_user(fresh_db, admin, admin.id, expected_version=admin.version, role="researcher")
    assert e.value.key == "auth.err.last_admin"
    with pytest.raises(auth.AccessDenied):
        auth.update_user(fresh_db, bob2, bob.id, expected_version=2, role="admin")
    log = audit.entries(fresh_db)
    assert [(r["actor"], r["action"], r["entity"], r["entity_id"]) for r in log] == [
        ("alice", "update", "user", str(bob.id))]
    assert "role=marketer" in log[0]["summary"]


# ---------------------------------------------------------------- backup / restore

def test_backup_and_restore_round_trip(db_path, tmp_path):
    db = open_database(db_path)
    auth.create_first_admin(db, "alice", "correct horse battery")
    saved = backup.backup(db_path, tmp_path / "backups")  # a folder: a dated file in it
    assert saved.parent == tmp_path / "backups" and saved.suffix == ".db"
    auth.create_user(db, "late", "long enough pass", "marketer")
    db.close()
    kept = backup.restore(saved, db_path)
    assert kept and kept.exists()
    assert [u.username for u in auth.list_users(open_database(db_path))] == ["alice"]
    assert {u.username for u in auth.list_users(open_database(kept))} == {"alice", "late"}


def test_restore_refuses_bad_files_and_leaves_the_workspace(db_path, tmp_path):
    open_database(db_path).close()
    before = db_path.read_bytes()
    junk = tmp_path / "junk.db"
    junk.write_text("not a database")
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    for bad, key in ((junk, "backup.err.not_db"), (other, "backup.err.not_workspace"),
                     (tmp_path / "missing.db", "backup.err.no_file")):
        with pytest.raises(backup.BackupError) as e:
            backup.restore(bad, db_path)
        assert e.value.key == key
    assert db_path.read_bytes() == before


def test_cli_backup_and_restore(db_path, tmp_path):
    from click.testing import CliRunner

    from research.cli import cli

    open_database(db_path).close()
    out = CliRunner().invoke(cli, ["backup", str(tmp_path / "b.db"), "--db", str(db_path)])
    assert out.exit_code == 0 and "backup written" in out.output
    out = CliRunner().invoke(cli, ["restore", str(tmp_path / "nothing.db"), "--db", str(db_path)])
    assert out.exit_code == 1 and "No file" in out.output and "Traceback" not in out.output
    out = CliRunner().invoke(cli, ["restore", str(tmp_path / "b.db"), "--db", str(db_path)])
    assert out.exit_code == 0 and "kept as" in out.output


# ---------------------------------------------------------------- erasure and export

def test_erasing_a_participant_leaves_no_trace_in_the_database_or_files(demo_db_path, tmp_path):
    db = open_database(demo_db_path)
    root = auth.User(0, "root", "", "", "admin")
    pid = db.execute("SELECT participant_id FROM utterances WHERE participant_id IS NOT NULL "
                     "GROUP BY participant_id ORDER BY COUNT(*) DESC LIMIT 1").fetchone()[0]
    code = db["participants"].get(pid)["code"]
    # traces elsewhere: a note naming them, a mapping, a file named after them, a cached embedding
    contact = db["participant_contacts"].get(pid)
    other = db.execute("SELECT id FROM participants WHERE id != ? LIMIT 1", [pid]).fetchone()[0]
    db["participant_contacts"].update(other, {"notes": f"recommandé·e par {contact['full_name']}"})
    from research.privacy import record_mapping, Replacement
    record_mapping(db, [Replacement("Rue Lafayette 12", "[ADRESSE_1]", "address", 0, 1)], participant_id=pid)
    texts = [r[0] for r in db.execute("SELECT text FROM utterances WHERE participant_id = ?", [pid])]
    from research.nlp.embed import text_key
    db["analysis_embeddings"].insert({"model": "m", "text_hash": text_key(texts[0]), "dim": 1, "vector": b"\0\0\0\0"})
    files = tmp_path / "files"
    (files / "recordings").mkdir(parents=True)
    (files / "recordings" / f"{code}-entretien.m4a").write_bytes(b"audio")
    (files / "recordings" / "autre.m4a").write_bytes(b"audio")
    probes = [code, contact["full_name"], contact["email"], contact["phone"], "Rue Lafayette 12",
              max(texts, key=len)[:60]]

    report = erasure.erase_participant(db, root, pid, files_root=files)
    assert report["rows"]["utterances"] >= len(texts) and report["files"] == 1
    assert report["redacted_cells"] >= 1
    # the other participant's note stays, without the name
    assert db["participant_contacts"].get(other)["notes"] == "recommandé·e par [effacé]"
    assert db.execute("SELECT COUNT(*) FROM analysis_embeddings WHERE model = 'm'").fetchone()[0] == 0
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    db.close()

    raw = demo_db_path.read_bytes()
    wal = Path(str(demo_db_path) + "-wal")
    raw += wal.read_bytes() if wal.exists() else b""
    for probe in probes:
        assert probe.encode("utf-8") not in raw, probe
    for path in files.rglob("*"):
        assert code not in path.name
        if path.is_file():
            assert all(p.encode() not in path.read_bytes() for p in probes)
    assert (files / "recordings" / "autre.m4a").exists()


def test_export_of_everything_held_and_roles(demo_db_path):
    db = open_database(demo_db_path)
    pid = db.execute("SELECT participant_id FROM utterances WHERE participant_id IS NOT NULL LIMIT 1").fetchone()[0]
    with pytest.raises(auth.AccessDenied):
        erasure.export_participant(db, auth.User(2, "m", "", "", "marketer"), pid)
    with pytest.raises(auth.AccessDenied):
        erasure.erase_participant(db, auth.User(3, "r", "", "", "researcher"), pid)
    data = erasure.export_participant(db, auth.User(0, "root", "", "", "admin"), pid)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        payload = json.loads(z.read("data.json"))
    tables = payload["tables"]
    assert tables["participants"][0]["id"] == pid
    assert tables["participant_contacts"][0]["email"]
    assert len(tables["utterances"]) == db.execute("SELECT COUNT(*) FROM utterances WHERE participant_id = ?",
                                                   [pid]).fetchone()[0]
    assert tables["transcripts"] and tables["consents"]
    assert audit.entries(db, entity="participant")[0]["action"] == "export"


def test_consent_register_and_scope_checks(demo_db_path):
    from datetime import date

    from research import access
    from research.consents import record_consent

    db = open_database(demo_db_path)
    admin = auth.User(0, "root", "", "", "admin")
    with pytest.raises(auth.AccessDenied):
        access.consent_register(db, auth.User(1, "m", "", "", "marketer"))
    pid = db.execute("SELECT id FROM participants ORDER BY id LIMIT 1").fetchone()[0]
    db.execute("DELETE FROM consents WHERE participant_id = ?", [pid])
    record_consent(db, pid, date(2026, 1, 10), ["interview", "recording"], expires_on=date(2026, 12, 1))
    row = next(r for r in access.consent_register(db, admin, on=date(2026, 11, 23)) if r["participant_id"] == pid)
    assert (row["interview"], row["recording"], row["committee"], row["quotes"]) == (True, True, False, False)
    assert row["expires_on"] == date(2026, 12, 1) and row["expiring_soon"]
    assert not access.quotable(db, pid, date(2026, 11, 23)) and not access.may_invite(db, pid, date(2026, 11, 23))
    with pytest.raises(auth.AccessDenied):
        access.contact(db, auth.User(1, "m", "", "", "marketer"), pid)
    with pytest.raises(auth.AccessDenied):
        access.transcript_text(db, auth.User(1, "m", "", "", "marketer"), 1)


def test_retention_purges_only_old_recordings(fresh_db, tmp_path):
    import os
    import time

    from research import privacy

    admin = auth.User(0, "root", "", "", "admin")
    rec = tmp_path / "recordings"
    rec.mkdir()
    old, new = rec / "old.m4a", rec / "new.m4a"
    old.write_bytes(b"a")
    new.write_bytes(b"b")
    os.utime(old, (time.time() - 40 * 86400,) * 2)
    privacy.set_retention_days(fresh_db, 30)
    with pytest.raises(privacy.PrivacyError):
        privacy.set_retention_days(fresh_db, 0)
    assert erasure.purge_recordings(fresh_db, admin, tmp_path) == ["old.m4a"]
    assert new.exists() and not old.exists()
    assert audit.entries(fresh_db)[0]["entity"] == "recordings"


# ---------------------------------------------------------------- guessing, own password, command line

NOON = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)


def _sign_in_error(db, username, password, now):
    with pytest.raises(auth.AuthError) as e:
        auth.authenticate(db, username, password, now=now)
    return e.value.key, e.value.params.get("minutes")


def test_wrong_passwords_in_a_row_lock_the_username_even_for_the_right_one(fresh_db, admin):
    bob = auth.create_user(fresh_db, "bob", "long enough pass", "researcher")
    assert [_sign_in_error(fresh_db, "bob", "guess", NOON) for _ in range(4)] == [("auth.err.wrong", None)] * 4
    assert _sign_in_error(fresh_db, "Bob ", "guess", NOON) == ("auth.err.locked", auth.LOCK_MINUTES)
    assert _sign_in_error(fresh_db, "bob", "long enough pass", NOON + timedelta(minutes=1)) == ("auth.err.locked", 14)
    assert auth.authenticate(fresh_db, "bob", "long enough pass", now=NOON + timedelta(minutes=15)).id == bob.id
    # a success forgets the earlier mistakes: four more do not lock
    later = NOON + timedelta(hours=1)
    assert {_sign_in_error(fresh_db, "bob", "guess", later) for _ in range(4)} == {("auth.err.wrong", None)}
    assert auth.authenticate(fresh_db, "bob", "long enough pass", now=later).id == bob.id
    # another account is not touched, and a username without an account locks alike (no hint it is unknown)
    assert auth.authenticate(fresh_db, "alice", "correct horse battery", now=NOON).id == admin.id
    assert [_sign_in_error(fresh_db, "root", "guess", NOON)[0] for _ in range(5)] == ["auth.err.wrong"] * 4 + [
        "auth.err.locked"]
    locks = [(r["action"], r["entity_id"], r["summary"].split(":")[0]) for r in audit.entries(fresh_db)]
    assert locks == [("lock", None, "root"), ("lock", str(bob.id), "bob")]


def test_an_admin_lifts_a_lock_by_setting_a_password_or_unlocking(fresh_db, admin):
    bob = auth.create_user(fresh_db, "bob", "long enough pass", "researcher")
    for _ in range(auth.MAX_FAILED_SIGN_INS):
        _sign_in_error(fresh_db, "bob", "guess", None)
    assert auth.locked_for(fresh_db, "bob") == auth.LOCK_MINUTES
    auth.update_user(fresh_db, admin, bob.id, expected_version=bob.version, password="a brand new one")
    assert auth.locked_for(fresh_db, "bob") == 0
    assert auth.authenticate(fresh_db, "bob", "a brand new one").id == bob.id
    for _ in range(auth.MAX_FAILED_SIGN_INS):
        _sign_in_error(fresh_db, "bob", "guess", None)
    with pytest.raises(auth.AccessDenied):
        auth.unlock(fresh_db, "bob", auth.get_user(fresh_db, bob.id))
    assert auth.unlock(fresh_db, "bob", admin) is True and auth.unlock(fresh_db, "bob", admin) is False
    assert auth.authenticate(fresh_db, "bob", "a brand new one").id == bob.id
    assert audit.entries(fresh_db)[0]["action"] == "unlock"


def test_a_signed_in_person_changes_their_own_password(fresh_db, admin):
    bob = auth.create_user(fresh_db, "bob", "long enough pass", "researcher")
    for current, new, key in (("not it at all", "a brand new one", "auth.err.current_wrong"),
                              ("long enough pass", "long enough pass", "auth.err.same_password"),
                              ("long enough pass", "short", "auth.err.password_short")):
        with pytest.raises(auth.AuthError) as e:
            auth.change_own_password(fresh_db, bob, current, new)
        assert e.value.key == key
    assert auth.authenticate(fresh_db, "bob", "long enough pass").id == bob.id  # nothing changed so far
    changed = auth.change_own_password(fresh_db, bob, "long enough pass", "a brand new one")
    assert changed.version == bob.version + 1
    assert auth.authenticate(fresh_db, "bob", "a brand new one").id == bob.id
    assert _sign_in_error(fresh_db, "bob", "long enough pass", None) == ("auth.err.wrong", None)
    assert (audit.entries(fresh_db)[0]["action"], audit.entries(fresh_db)[0]["actor"]) == ("password", "bob")
    bea = auth.create_user(fresh_db, "bea", None, "marketer", email="bea@client.fr")
    assert not bea.has_password and bob.has_password
    with pytest.raises(auth.AuthError) as e:
        auth.change_own_password(fresh_db, bea, "", "a brand new one")
    assert e.value.key == "auth.err.no_password"


def test_wrong_current_passwords_count_towards_the_lock(fresh_db, admin):
    for _ in range(auth.MAX_FAILED_SIGN_INS - 1):
        with pytest.raises(auth.AuthError):
            auth.change_own_password(fresh_db, admin, "a wrong guess", "a brand new one")
    with pytest.raises(auth.AuthError) as e:
        auth.change_own_password(fresh_db, admin, "a wrong guess", "a brand new one")
    assert e.value.key == "auth.err.locked"
    assert _sign_in_error(fresh_db, "alice", "correct horse battery", None)[0] == "auth.err.locked"


def test_cli_accounts_create_list_set_password_and_unlock(db_path):
    from click.testing import CliRunner

    from research.cli import cli

    def run(*args, input=None):
        return CliRunner().invoke(cli, [*args, "--db", str(db_path)], input=input)

    role = next(o for o in cli.commands["accounts"].commands["create"].params if o.name == "role")
    assert tuple(role.type.choices) == auth.ROLES
    out = run("accounts", "create", "Alice", "--role", "admin", "--password-stdin", input="short\n")
    assert out.exit_code == 1 and "too short: at least 10" in out.output and "Traceback" not in out.output
    out = run("accounts", "create", "Alice", "--role", "admin", input="a long password\na long password\n")
    assert out.exit_code == 0 and "account alice created (admin)" in out.output
    out = run("accounts", "create", "bea", "--role", "marketer", "--no-password", "--email", "bea@x.fr")
    assert out.exit_code == 0
    db = open_database(db_path)
    assert auth.authenticate(db, "alice", "a long password").role == "admin"
    for _ in range(auth.MAX_FAILED_SIGN_INS):
        _sign_in_error(db, "alice", "guess", None)
    listed = run("accounts", "list").output.splitlines()
    assert listed[0].split()[:3] == ["alice", "admin", "active"] and "locked for 15 more minutes" in listed[0]
    assert "no password" in listed[1] and "locked" not in listed[1]
    out = run("accounts", "set-password", "nobody", "--password-stdin", input="whatever it is\n")
    assert out.exit_code == 1 and "No account named 'nobody'" in out.output
    out = run("accounts", "set-password", "alice", "--password-stdin", input="the way back in\n")
    assert out.exit_code == 0 and "new password set for alice" in out.output
    assert auth.authenticate(db, "alice", "the way back in").role == "admin"  # the lock is lifted too
    for _ in range(auth.MAX_FAILED_SIGN_INS):
        _sign_in_error(db, "alice", "guess", None)
    assert "alice: unlocked" in run("accounts", "unlock", "ALICE").output
    assert "alice: was not locked" in run("accounts", "unlock", "alice").output
    assert [e["action"] for e in audit.entries(db)][:3] == ["unlock", "lock", "password"]
