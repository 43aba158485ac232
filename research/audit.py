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
