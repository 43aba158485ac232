"""The role-checked doors to what is sensitive: raw transcripts, contact details, the pseudonym
mapping, the consent register. They wrap the owning modules' public functions, so a page or an
export that goes through here cannot show a marketer a raw transcript or a contact detail.
"""
from __future__ import annotations

from datetime import date

import sqlite_utils

from research import auth
from research.auth import User, require


def transcript_text(db: sqlite_utils.Database, actor: User | None, transcript_id: int) -> str:
    require(actor, "transcripts.read")
    from research.transcripts import get_transcript_text

    return get_transcript_text(db, transcript_id)


def contact(db: sqlite_utils.Database, actor: User | None, participant_id: int):
    require(actor, "contacts.read")
    from research.participants import get_contact

    return get_contact(db, participant_id)


def pseudonym_mapping(db: sqlite_utils.Database, actor: User | None, **where) -> list[dict]:
    require(actor, "pseudonyms.read")
    from research.privacy import list_mapping

    return list_mapping(db, **where)


def may_export_raw(actor: User | None) -> bool:
    return actor is not None and actor.can("export.raw")


def consent_register(db: sqlite_utils.Database, actor: User | None, on: date | None = None) -> list[dict]:
    """One row per participant: code, kind, and for each scope whether a valid consent covers it today,
    the nearest expiry, and whether something is missing or expiring within 30 days."""
    require(actor, "contacts.read")
    from research.consents import SCOPES, list_consents
    from research.participants import list_participants

    on = on or date.today()
    by_participant: dict[int, list] = {}
    for c in list_consents(db):
        by_participant.setdefault(c.participant_id, []).append(c)
    rows = []
    for p in list_participants(db):
        consents = by_participant.get(p.id, [])
        row = {"participant_id": p.id, "code": p.code, "kind": p.kind}
        for s in SCOPES:
            row[s] = any(c.valid(s, on) for c in consents)
        expiries = [c.expires_on for c in consents if c.expires_on and not c.withdrawn_on and c.expires_on >= on]
        row["expires_on"] = min(expiries) if expiries else None
        row["expiring_soon"] = bool(row["expires_on"] and (row["expires_on"] - on).days <= 30)
        row["withdrawn"] = any(c.withdrawn_on for c in consents)
        rows.append(row)
    return rows


def quotable(db: sqlite_utils.Database, participant_id: int | None, on: date | None = None) -> bool:
    """Whether a quote of this participant may appear in a report (a valid 'quotes' consent)."""
    if participant_id is None:
        return False
    from research.consents import has_valid_consent

    return has_valid_consent(db, participant_id, "quotes", on)


def may_invite(db: sqlite_utils.Database, participant_id: int, on: date | None = None) -> bool:
    """Whether a participant may be invited to a customer committee (a valid 'committee' consent)."""
    from research.consents import has_valid_consent

    return has_valid_consent(db, participant_id, "committee", on)


__all__ = ["transcript_text", "contact", "pseudonym_mapping", "may_export_raw", "consent_register", "quotable",
           "may_invite", "auth"]
