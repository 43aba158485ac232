"""The consent register: what each participant agreed to, from when, until when.

Scopes: interview (taking part), recording (audio/video kept), committee (membership), quotes
(verbatims quoted in reports). A consent may expire or be withdrawn; `has_valid_consent` is what
exports, the synthesis report and committees ask before using a participant.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlite_utils

from research.dates import parse_date
from research.errors import DomainError
from research.store import Migrations, dumps, loads, now_iso

migrations = Migrations("consents")

SCOPES = ("interview", "recording", "committee", "quotes")


class ConsentError(DomainError):
    pass


@migrations()
def m001_consents(db: sqlite_utils.Database) -> None:
    db["consents"].create({"id": int, "participant_id": int, "given_on": str, "scopes": str, "expires_on": str,
                           "withdrawn_on": str, "note": str, "recorded_at": str}, pk="id",
                          foreign_keys=[("participant_id", "participants", "id")], not_null={"participant_id"})
    db["consents"].create_index(["participant_id"])


@dataclass
class Consent:
    id: int
    participant_id: int
    given_on: date
    scopes: list[str] = field(default_factory=list)
    expires_on: date | None = None
    withdrawn_on: date | None = None
    note: str = ""

    def valid(self, scope: str, on: date) -> bool:
        return (scope in self.scopes and self.given_on <= on and (self.expires_on is None or on <= self.expires_on)
                and (self.withdrawn_on is None or on < self.withdrawn_on))


def _date(value) -> date | None:
    return parse_date(value, ConsentError, "participants.err.date")


def record_consent(db: sqlite_utils.Database, participant_id: int, given_on, scopes, expires_on=None,
                   note: str = "") -> int:
    given, expires = _date(given_on), _date(expires_on)
    if given is None:
        raise ConsentError("A consent needs the date it was given.", key="participants.err.consent_date")
    if given > date.today():
        raise ConsentError("A consent cannot be given in the future.", key="participants.err.consent_future")
    if expires is not None and expires <= given:
        raise ConsentError("A consent expires after it is given.", key="participants.err.consent_expiry")
    scopes = [s for s in dict.fromkeys(scopes or []) if s]
    unknown = [s for s in scopes if s not in SCOPES]
    if unknown or not scopes:
        raise ConsentError(f"Consent scopes are among {', '.join(SCOPES)}.", key="participants.err.consent_scopes")
    if not db["participants"].count_where("id = ?", [participant_id]):
        raise ConsentError("No such participant.", key="participants.err.not_found")
    return db["consents"].insert({"participant_id": participant_id, "given_on": given.isoformat(),
                                  "scopes": dumps(scopes), "expires_on": expires.isoformat() if expires else None,
                                  "withdrawn_on": None, "note": note.strip(), "recorded_at": now_iso()}).last_pk


def withdraw_consent(db: sqlite_utils.Database, consent_id: int, on=None) -> None:
    on = _date(on) or date.today()
    db["consents"].update(consent_id, {"withdrawn_on": on.isoformat()})


def list_consents(db: sqlite_utils.Database, participant_id: int | None = None) -> list[Consent]:
    if "consents" not in db.table_names():
        return []
    where, params = ("participant_id = ?", [participant_id]) if participant_id is not None else (None, [])
    return [Consent(r["id"], r["participant_id"], date.fromisoformat(r["given_on"]), loads(r["scopes"], []),
                    _date(r["expires_on"]), _date(r["withdrawn_on"]), r["note"] or "")
            for r in db["consents"].rows_where(where, params, order_by="given_on, id")]


def has_valid_consent(db: sqlite_utils.Database, participant_id: int, scope: str, on_date=None) -> bool:
    on = _date(on_date) or date.today()
    return any(c.valid(scope, on) for c in list_consents(db, participant_id))


def consent_status(db: sqlite_utils.Database, participant_id: int, on_date=None) -> dict[str, bool]:
    on = _date(on_date) or date.today()
    consents = list_consents(db, participant_id)
    return {s: any(c.valid(s, on) for c in consents) for s in SCOPES}
