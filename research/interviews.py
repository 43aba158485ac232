"""Interviews: planned or done, with whom, by whom, how, and with which version of which guide.

One participant, or several for a focus group. When an interview uses a guide, the guide is frozen
and the interview keeps that version, so what was asked stays known even if the guide changes.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlite_utils

from research.dates import parse_date
from research.errors import DomainError
from research.store import Migrations, check_version, now_iso

migrations = Migrations("interviews")

STATUSES = ("planned", "done", "cancelled")
MODES = ("in_person", "phone", "video", "focus_group")


class InterviewError(DomainError):
    pass


@migrations()
def m001_interviews(db: sqlite_utils.Database) -> None:
    db["interviews"].create({"id": int, "title": str, "status": str, "date": str, "interviewer": str, "mode": str,
                             "journey_id": int, "guide_version_id": int, "lang": str, "notes": str,
                             "created_at": str, "updated_at": str}, pk="id", not_null={"title", "status"},
                            foreign_keys=[("journey_id", "journeys", "id"),
                                          ("guide_version_id", "guide_versions", "id")])
    db["interview_participants"].create({"interview_id": int, "participant_id": int},
                                        pk=("interview_id", "participant_id"),
                                        foreign_keys=[("interview_id", "interviews", "id"),
                                                      ("participant_id", "participants", "id")])


@dataclass
class Interview:
    id: int
    title: str
    status: str
    date: str | None
    interviewer: str = ""
    mode: str = "in_person"
    journey_id: int | None = None
    guide_version_id: int | None = None
    lang: str = "fr"
    notes: str = ""
    participant_ids: list[int] = field(default_factory=list)
    participant_codes: list[str] = field(default_factory=list)
    utterances: int = 0
    updated_at: str = ""


def _check(title: str, status: str, when, mode: str, lang: str) -> tuple[str, str | None]:
    title = " ".join((title or "").split())
    if not title:
        raise InterviewError("An interview needs a title.", key="interviews.err.title")
    if status not in STATUSES:
        raise InterviewError(f"Status is one of {', '.join(STATUSES)}.", key="interviews.err.status")
    if mode not in MODES:
        raise InterviewError(f"Mode is one of {', '.join(MODES)}.", key="interviews.err.mode")
    if lang not in ("fr", "en"):
        raise InterviewError("An interview is in French or English.", key="interviews.err.lang")
    day = parse_date(when, InterviewError, "interviews.err.date")
    if day is not None:
        if status == "done" and day > date.today():
            raise InterviewError("An interview cannot be done on a future date.", key="interviews.err.done_future",
                                 value=day)
    elif status == "done":
        raise InterviewError("A done interview needs its date.", key="interviews.err.done_no_date")
    return title, day.isoformat() if day else None


def create_interview(db: sqlite_utils.Database, title: str, *, participant_ids: list[int], status: str = "planned",
                     when=None, interviewer: str = "", mode: str = "in_person", journey_id: int | None = None,
                     guide_id: int | None = None, guide_version_id: int | None = None, lang: str = "fr",
                     notes: str = "") -> int:
    title, day = _check(title, status, when, mode, lang)
    if not participant_ids:
        raise InterviewError("An interview has at least one participant.", key="interviews.err.no_participant")
    known = {r[0] for r in db.execute(
        f"SELECT id FROM participants WHERE id IN ({','.join('?' * len(participant_ids))})", participant_ids)}
    if set(participant_ids) - known:
        raise InterviewError("Unknown participant.", key="interviews.err.participant")
    with db.atomic():
        if guide_id is not None and guide_version_id is None:
            from research.guides import freeze_guide, get_guide

            guide = get_guide(db, guide_id)
            guide_version_id = freeze_guide(db, guide_id)
            journey_id = journey_id or guide.journey_id
        now = now_iso()
        iid = db["interviews"].insert({"title": title, "status": status, "date": day, "interviewer": interviewer.strip(),
                                       "mode": mode, "journey_id": journey_id, "guide_version_id": guide_version_id,
                                       "lang": lang, "notes": notes.strip(), "created_at": now,
                                       "updated_at": now}).last_pk
        db["interview_participants"].insert_all([{"interview_id": iid, "participant_id": p}
                                                 for p in dict.fromkeys(participant_ids)])
    return iid


def update_interview(db: sqlite_utils.Database, interview_id: int, *, title: str, status: str, when=None,
                     interviewer: str = "", mode: str = "in_person", notes: str = "", lang: str = "fr",
                     based_on: str | None = None) -> None:
    """Save edits; `based_on` is the `store.row_version` the editor saw (a conflict if someone saved since)."""
    get_interview(db, interview_id)
    check_version(db, "interviews", interview_id, based_on)
    title, day = _check(title, status, when, mode, lang)
    db["interviews"].update(interview_id, {"title": title, "status": status, "date": day,
                                           "interviewer": interviewer.strip(), "mode": mode, "notes": notes.strip(),
                                           "lang": lang, "updated_at": now_iso()})


def _from_row(db, r: dict) -> Interview:
    parts = db.execute("""SELECT p.id, p.code FROM interview_participants ip JOIN participants p
                          ON p.id = ip.participant_id WHERE ip.interview_id = ? ORDER BY p.code""", [r["id"]]).fetchall()
    n = 0
    if "utterances" in db.table_names():
        n = db.execute("SELECT count(*) FROM utterances WHERE interview_id = ?", [r["id"]]).fetchone()[0]
    return Interview(id=r["id"], title=r["title"], status=r["status"], date=r["date"], interviewer=r["interviewer"] or "",
                     mode=r["mode"] or "in_person", journey_id=r["journey_id"], guide_version_id=r["guide_version_id"],
                     lang=r["lang"] or "fr", notes=r["notes"] or "", participant_ids=[p[0] for p in parts],
                     participant_codes=[p[1] for p in parts], utterances=n, updated_at=r["updated_at"] or "")


def list_interviews(db: sqlite_utils.Database) -> list[Interview]:
    if "interviews" not in db.table_names():
        return []
    return [_from_row(db, r) for r in db["interviews"].rows_where(order_by="coalesce(date, '9999') desc, id desc")]


def get_interview(db: sqlite_utils.Database, interview_id: int) -> Interview:
    try:
        return _from_row(db, db["interviews"].get(interview_id))
    except sqlite_utils.db.NotFoundError:
        raise InterviewError(f"No interview {interview_id}.", key="interviews.err.not_found", id=interview_id) from None
