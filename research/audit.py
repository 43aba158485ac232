"""Who changed what: an append-only log, shown to admins.

`record(db, actor, action, entity, entity_id, summary)` writes one line inside the caller's
transaction. `actor` is a `research.auth.User`, a username, or None for the system (demo, CLI).
"""
from __future__ import annotations

import sqlite_utils

from research.store import Migrations, now_iso

migrations = Migrations("audit")


@migrations()
def m001_audit_log(db: sqlite_utils.Database) -> None:
    db["audit_log"].create({"id": int, "at": str, "actor": str, "role": str, "action": str, "entity": str,
                            "entity_id": str, "summary": str}, pk="id")
    db["audit_log"].create_index(["at"])
    db["audit_log"].create_index(["entity", "entity_id"])


def _actor(actor) -> tuple[str, str]:
    if actor is None:
        return "system", ""
    if isinstance(actor, str):
        return actor, ""
    return getattr(actor, "username", str(actor)), getattr(actor, "role", "")


def record(db: sqlite_utils.Database, actor, action: str, entity: str, entity_id=None, summary: str = "") -> int:
    name, role = _actor(actor)
    return db["audit_log"].insert({"at": now_iso(), "actor": name, "role": role, "action": action, "entity": entity,
                                   "entity_id": None if entity_id is None else str(entity_id),
                                   "summary": (summary or "")[:500]}).last_pk


def entries(db: sqlite_utils.Database, *, actor: str | None = None, entity: str | None = None,
            limit: int = 500) -> list[dict]:
    where, args = [], []
    if actor:
        where.append("actor = ?")
        args.append(actor)
    if entity:
        where.append("entity = ?")
        args.append(entity)
    return list(db["audit_log"].rows_where(" AND ".join(where) or None, args, order_by="id DESC", limit=limit))


# ---------------------------------------------------------------- every change made through the app

# machine output, bulk rows and indexes: recorded through their parent (a transcript, a run), not row by row
UNWATCHED_PREFIXES = ("sqlite_", "_ecoute", "audit_log", "utterances", "analysis_", "pseudonym_map",
                      "sign_in_failures")
LABEL_COLUMNS = ("name", "title", "code", "username", "label", "text", "filename", "brand_name")


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def watched_tables(db: sqlite_utils.Database) -> list[str]:
    return [t for t in db.table_names() if not t.startswith(UNWATCHED_PREFIXES) and "_fts" not in t]


def watch_changes(db: sqlite_utils.Database, actor) -> int:
    """Record in the audit log, for this connection, every insert, update and delete `actor` makes.

    Temporary triggers (they live and die with the connection) on each domain table write one line
    per changed row: who, when, which table and row, and the row's name or title when it has one.
    Returns the number of tables watched."""
    name, role = _actor(actor)
    tables = watched_tables(db)
    statements = []
    for table in tables:
        info = db[table]
        columns = info.columns_dict
        pks = [c for c in info.pks if c != "rowid"] or ["rowid"]
        label = next((c for c in LABEL_COLUMNS if c in columns), None)
        for event, action, row in (("INSERT", "create", "NEW"), ("UPDATE", "update", "NEW"),
                                   ("DELETE", "delete", "OLD")):
            entity_id = " || '/' || ".join(f"{row}.[{pk}]" for pk in pks)
            summary = f"substr(coalesce({row}.[{label}], ''), 1, 200)" if label else "''"
            statements.append(
                f"CREATE TEMP TRIGGER IF NOT EXISTS [audit_{action}_{table}] AFTER {event} ON main.[{table}] "
                f"BEGIN INSERT INTO audit_log (at, actor, role, action, entity, entity_id, summary) VALUES "
                f"(strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'), {_quote(name)}, {_quote(role)}, '{action}', "
                f"{_quote(table)}, {entity_id}, {summary}); END;")
    db.conn.executescript("\n".join(statements))
    return len(tables)
