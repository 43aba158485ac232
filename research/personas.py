"""Personas: the customer types a study is organised around.

Each persona has a profile, goals, frustrations, preferred channels and the tone to use with them;
lists are stored as JSON. Participants point to their persona.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import sqlite_utils

from research.errors import DomainError
from research.store import Migrations, check_version, dumps, loads, now_iso

migrations = Migrations("personas")


class PersonaError(DomainError):
    pass


@migrations()
def m001_personas(db: sqlite_utils.Database) -> None:
    db["personas"].create({"id": int, "name": str, "profile": str, "goals": str, "frustrations": str,
                           "preferred_channels": str, "tone": str, "segment": str, "created_at": str},
                          pk="id", not_null={"name"})
    db["personas"].create_index(["name"], unique=True)


@dataclass
class Persona:
    name: str
    profile: str = ""
    goals: list[str] = field(default_factory=list)
    frustrations: list[str] = field(default_factory=list)
    preferred_channels: list[str] = field(default_factory=list)
    tone: str = ""
    segment: str = ""
    id: int | None = None


def _from_row(r: dict) -> Persona:
    return Persona(id=r["id"], name=r["name"], profile=r["profile"] or "", goals=loads(r["goals"], []),
                   frustrations=loads(r["frustrations"], []), preferred_channels=loads(r["preferred_channels"], []),
                   tone=r["tone"] or "", segment=r["segment"] or "")


def list_personas(db: sqlite_utils.Database) -> list[Persona]:
    if "personas" not in db.table_names():
        return []
    return [_from_row(r) for r in db["personas"].rows_where(order_by="id")]


def get_persona(db: sqlite_utils.Database, persona_id: int) -> Persona:
    try:
        return _from_row(db["personas"].get(persona_id))
    except sqlite_utils.db.NotFoundError:
        raise PersonaError(f"No persona {persona_id}.", key="participants.err.persona_not_found") from None


def save_persona(db: sqlite_utils.Database, persona: Persona, *, based_on: str | None = None) -> int:
    """Create (id None) or update a persona; names are unique; `based_on`: the `row_version` the
    editor loaded (ConflictError if someone saved meanwhile)."""
    name = " ".join((persona.name or "").split())
    if not name:
        raise PersonaError("A persona needs a name.", key="participants.err.persona_name")
    clash = db["personas"].count_where("lower(name) = lower(?) AND id IS NOT ?", [name, persona.id])
    if clash:
        raise PersonaError(f"A persona named {name!r} exists already.", key="participants.err.persona_duplicate",
                           name=name)

    def clean(items):
        return dumps([i.strip() for i in items if i and i.strip()])

    row = {"name": name, "profile": persona.profile.strip(), "goals": clean(persona.goals),
           "frustrations": clean(persona.frustrations), "preferred_channels": clean(persona.preferred_channels),
           "tone": persona.tone.strip(), "segment": persona.segment.strip()}
    if persona.id is None:
        return db["personas"].insert({**row, "created_at": now_iso()}).last_pk
    get_persona(db, persona.id)
    check_version(db, "personas", persona.id, based_on)
    db["personas"].update(persona.id, row)
    return persona.id
