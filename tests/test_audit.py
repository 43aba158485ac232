"""The audit log: every change made through the app is recorded with who made it."""
from research import audit
from research.auth import ADMIN, RESEARCHER, create_user
from research.personas import Persona, save_persona
from research.participants import create_participant


def test_watched_connection_records_creates_updates_and_deletes_with_the_actor(fresh_db):
    db = fresh_db
    researcher = create_user(db, "lea", "un-mot-de-passe-long", RESEARCHER)
    assert audit.watch_changes(db, researcher) > 10
    pid = save_persona(db, Persona("Famille organisée", "", [], [], [], "", ""))
    db["personas"].update(pid, {"profile": "Deux enfants"})
    code_id = create_participant(db, "customer", persona_id=pid)
    db["participants"].delete(code_id)
    rows = [(r["actor"], r["role"], r["action"], r["entity"], r["entity_id"], r["summary"])
            for r in audit.entries(db)][::-1]
    assert ("lea", RESEARCHER, "create", "personas", str(pid), "Famille organisée") in rows
    assert ("lea", RESEARCHER, "update", "personas", str(pid), "Famille organisée") in rows
    assert [r[2] for r in rows if r[3] == "participants"] == ["create", "delete"]


def test_bulk_and_machine_tables_are_not_watched_row_by_row(fresh_db):
    tables = audit.watched_tables(fresh_db)
    assert "committees" in tables and "transcripts" in tables and "consents" in tables
    assert not any(t.startswith(("utterances", "analysis_", "audit_log", "_ecoute")) for t in tables)


def test_an_unwatched_connection_records_nothing(fresh_db):
    save_persona(fresh_db, Persona("Senior", "", [], [], [], "", ""))
    assert audit.entries(fresh_db) == []
    create_user(fresh_db, "root", "un-mot-de-passe-long", ADMIN)
    assert audit.entries(fresh_db) == []


def test_the_audit_log_names_every_action_and_record_in_both_languages(demo_db_path):
    """What the admin page shows: "Séance de comité 12 · modification", never "committee_sessions 12 update"."""
    import ast
    from pathlib import Path

    from research.store import open_database
    from ui.i18n import catalog

    root = Path(__file__).resolve().parent.parent
    actions, records = {"create", "update", "delete"}, set(audit.watched_tables(open_database(demo_db_path)))
    for path in [*root.glob("research/**/*.py"), *root.glob("ui/*.py"), *root.glob("pages/*.py")]:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "record" \
                    and getattr(node.func.value, "id", "") == "audit":
                action, record = node.args[2], node.args[3]
                assert isinstance(action, ast.Constant) and isinstance(record, ast.Constant), path.name
                actions.add(action.value)
                records.add(record.value)
    assert {"sign_in", "erase", "backup", "committee_sessions", "participant"} <= actions | records
    names = catalog()
    wanted = [f"admin.audit.action.{a}" for a in actions] + [f"admin.audit.entity.{r}" for r in records]
    unnamed = [key for key in wanted if set(names.get(key, {})) != {"fr", "en"}]
    assert unnamed == []
