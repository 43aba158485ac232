"""Participants, known by a pseudonymous code; their contact details kept apart.

A participant is a customer, a prospect, a former customer or an employee (for the internal mirror),
optionally attached to a persona, with a segment and free attributes. Names, e-mails and phone
numbers live in `participant_contacts`, a separate table that analysis, synthesis and exports never
read, so that what is studied is the code and what is said.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import sqlite_utils

from research.errors import DomainError
from research.store import Migrations, check_version, dumps, loads, now_iso, row_version

migrations = Migrations("participants")

KINDS = ("customer", "prospect", "ex_customer", "employee")
_CODE = re.compile(r"^[A-Z]{1,3}-\d{3,}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class ParticipantError(DomainError):
    pass


@migrations()
def m001_participants(db: sqlite_utils.Database) -> None:
    db["participants"].create({"id": int, "code": str, "kind": str, "persona_id": int, "segment": str,
                               "attributes": str, "created_at": str}, pk="id", not_null={"code", "kind"},
                              foreign_keys=[("persona_id", "personas", "id")])
    db["participants"].create_index(["code"], unique=True)
    db["participant_contacts"].create({"participant_id": int, "full_name": str, "email": str, "phone": str,
                                       "address": str, "notes": str}, pk="participant_id",
                                      foreign_keys=[("participant_id", "participants", "id")])


@dataclass
class Participant:
    id: int
    code: str
    kind: str
    persona_id: int | None = None
    segment: str = ""
    attributes: dict = field(default_factory=dict)
    persona_name: str = ""


@dataclass
class Contact:
    full_name: str = ""
    email: str = ""
    phone: str = ""
    address: str = ""
    notes: str = ""


def next_code(db: sqlite_utils.Database, kind: str = "customer") -> str:
    prefix = "E" if kind == "employee" else "P"
    n = db.execute("SELECT count(*) FROM participants WHERE code LIKE ?", [f"{prefix}-%"]).fetchone()[0] + 1
    while db["participants"].count_where("code = ?", [f"{prefix}-{n:03d}"]):
        n += 1
    return f"{prefix}-{n:03d}"


def create_participant(db: sqlite_utils.Database, kind: str = "customer", *, code: str | None = None,
                       persona_id: int | None = None, segment: str = "", attributes: dict | None = None,
                       contact: Contact | None = None) -> int:
    if kind not in KINDS:
        raise ParticipantError(f"A participant is one of {', '.join(KINDS)}.", key="participants.err.kind")
    code = (code or next_code(db, kind)).strip().upper()
    if not _CODE.match(code):
        raise ParticipantError(f"{code!r} is not a pseudonymous code like P-014.", key="participants.err.code",
                               code=code)
    if db["participants"].count_where("code = ?", [code]):
        raise ParticipantError(f"The code {code} is taken.", key="participants.err.code_taken", code=code)
    if persona_id is not None and not db["personas"].count_where("id = ?", [persona_id]):
        raise ParticipantError("This persona does not exist.", key="participants.err.persona_not_found")
    with db.atomic():
        pid = db["participants"].insert({"code": code, "kind": kind, "persona_id": persona_id,
                                         "segment": segment.strip(), "attributes": dumps(attributes or {}),
                                         "created_at": now_iso()}).last_pk
        if contact is not None:
            set_contact(db, pid, contact)
    return pid


def update_participant(db: sqlite_utils.Database, participant_id: int, *, kind: str, persona_id: int | None,
                       segment: str = "", attributes: dict | None = None, based_on: str | None = None) -> None:
    get_participant(db, participant_id)
    check_version(db, "participants", participant_id, based_on)
    if kind not in KINDS:
        raise ParticipantError(f"A participant is one of {', '.join(KINDS)}.", key="participants.err.kind")
    db["participants"].update(participant_id, {"kind": kind, "persona_id": persona_id, "segment": segment.strip(),
                                               "attributes": dumps(attributes or {})})


def set_contact(db: sqlite_utils.Database, participant_id: int, contact: Contact, *, based_on: str | None = None) -> None:
    """Write a participant's contact details; `based_on`: `contact_version` when the editor loaded them."""
    if contact.email and not _EMAIL.match(contact.email.strip()):
        raise ParticipantError(f"{contact.email!r} is not an e-mail address.", key="participants.err.email")
    check_version(db, "participant_contacts", participant_id, based_on, pk="participant_id")
    db["participant_contacts"].upsert({"participant_id": participant_id, "full_name": contact.full_name.strip(),
                                       "email": contact.email.strip(), "phone": contact.phone.strip(),
                                       "address": contact.address.strip(), "notes": contact.notes.strip()},
                                      pk="participant_id")


def contact_version(db: sqlite_utils.Database, participant_id: int) -> str:
    return row_version(db, "participant_contacts", participant_id, pk="participant_id")


def get_contact(db: sqlite_utils.Database, participant_id: int) -> Contact:
    rows = list(db["participant_contacts"].rows_where("participant_id = ?", [participant_id]))
    if not rows:
        return Contact()
    r = rows[0]
    return Contact(r["full_name"] or "", r["email"] or "", r["phone"] or "", r["address"] or "", r["notes"] or "")


def _from_row(r) -> Participant:
    return Participant(id=r[0], code=r[1], kind=r[2], persona_id=r[3], segment=r[4] or "",
                       attributes=loads(r[5], {}) or {}, persona_name=r[6] or "")


_SELECT = """SELECT p.id, p.code, p.kind, p.persona_id, p.segment, p.attributes, per.name
             FROM participants p LEFT JOIN personas per ON per.id = p.persona_id"""


def list_participants(db: sqlite_utils.Database, kind: str | None = None,
                      persona_id: int | None = None) -> list[Participant]:
    if "participants" not in db.table_names():
        return []
    where, params = [], []
    if kind:
        where.append("p.kind = ?")
        params.append(kind)
    if persona_id is not None:
        where.append("p.persona_id = ?")
        params.append(persona_id)
    sql = _SELECT + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY p.code"
    return [_from_row(r) for r in db.execute(sql, params).fetchall()]


def get_participant(db: sqlite_utils.Database, participant_id: int) -> Participant:
    row = db.execute(_SELECT + " WHERE p.id = ?", [participant_id]).fetchone()
    if row is None:
        raise ParticipantError(f"No participant {participant_id}.", key="participants.err.not_found")
    return _from_row(row)


def find_by_code(db: sqlite_utils.Database, code: str) -> Participant | None:
    row = db.execute(_SELECT + " WHERE p.code = ?", [code.strip().upper()]).fetchone()
    return _from_row(row) if row else None
