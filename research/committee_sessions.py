"""Committee sessions: the series, each session's agenda, attendance, incentives and outputs.

A series is generated from the committee's cadence (quarterly by default, or any RFC 5545
recurrence rule) on working days only: weekends and French public holidays (the `holidays`
library) are skipped, and the committee's usual weekday is kept where it can be. Sessions are
stored as wall-clock times in the committee's time zone. A session scheduled in the past, or one
overlapping another session of the same committee, is refused; a session that already took place
is recorded as held. Outputs: minutes, files kept beside the database, decisions and actions with
an owner and a due date; minutes and transcripts can be sent to the analysis as an interview.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

import holidays
import sqlite_utils
from dateutil.relativedelta import relativedelta
from dateutil.rrule import rrulestr

from research.committees import CADENCES, CommitteeError, as_day, get_committee
from research.store import Migrations, check_version, dumps, now_iso

migrations = Migrations("committee_sessions")

SESSION_STATUSES = ("planned", "held", "cancelled")
AGENDA_KINDS = ("decision_feedback", "ab_test", "cocreation", "actions_report", "other")
ATTENDANCE_STATUSES = ("invited", "confirmed", "attended", "no_show", "excused")
ATTENDANCE_ROLES = ("member", "listener")
FILE_KINDS = {"photo": (".jpg", ".jpeg", ".png", ".webp", ".heic"), "audio": (".mp3", ".m4a", ".wav", ".ogg"),
              "video": (".mp4", ".mov", ".webm"), "slides": (".pdf", ".pptx", ".key", ".odp"),
              "document": (".docx", ".txt", ".md", ".odt", ".xlsx")}
MAX_FILE_BYTES = 500 * 1024 * 1024
ACTION_KINDS = ("decision", "action")


class SessionError(CommitteeError):
    pass


@migrations()
def m001_sessions(db: sqlite_utils.Database) -> None:
    db["committee_sessions"].create({
        "id": int, "committee_id": int, "title": str, "starts_at": str, "duration_minutes": int, "location": str,
        "format": str, "status": str, "minutes": str, "interview_id": int, "sequence": int, "created_at": str,
        "updated_at": str},
        pk="id", not_null={"committee_id", "starts_at", "status"},
        foreign_keys=[("committee_id", "committees", "id"), ("interview_id", "interviews", "id")])
    db["committee_sessions"].create_index(["committee_id", "starts_at"])
    db["committee_agenda_items"].create({
        "id": int, "session_id": int, "position": int, "kind": str, "title": str, "description": str,
        "duration_minutes": int, "option_a": str, "option_b": str, "votes_a": int, "votes_b": int,
        "preference_notes": str, "outcome": str}, pk="id", not_null={"session_id", "kind", "title"},
        foreign_keys=[("session_id", "committee_sessions", "id")])
    db["committee_attendance"].create({
        "session_id": int, "participant_id": int, "role": str, "status": str, "incentive": float,
        "incentive_kind": str, "note": str, "updated_at": str}, pk=("session_id", "participant_id"),
        foreign_keys=[("session_id", "committee_sessions", "id"), ("participant_id", "participants", "id")])
    db["committee_attendance"].create_index(["participant_id"])
    db["committee_files"].create({
        "id": int, "session_id": int, "kind": str, "filename": str, "path": str, "sha256": str, "bytes": int,
        "added_at": str}, pk="id", foreign_keys=[("session_id", "committee_sessions", "id")])
    db["committee_actions"].create({
        "id": int, "committee_id": int, "session_id": int, "kind": str, "text": str, "owner": str, "due_on": str,
        "status": str, "done_on": str, "created_at": str}, pk="id", not_null={"committee_id", "kind", "text"},
        foreign_keys=[("committee_id", "committees", "id"), ("session_id", "committee_sessions", "id")])


# ---------------------------------------------------------------- calendar rules

def french_holidays(years) -> holidays.HolidayBase:
    return holidays.country_holidays("FR", years=sorted(set(years)), language="fr")


# periods when customers are away and nobody comes to an evening committee: the end-of-year
# holidays and the heart of August (month, day) → (month, day), inclusive
BREAKS = (((12, 22), (1, 3)), ((8, 1), (8, 23)))


def in_break(day: date) -> bool:
    md = (day.month, day.day)
    for start, end in BREAKS:
        if (start <= md <= end) if start <= end else (md >= start or md <= end):
            return True
    return False


def is_working_day(day: date, hols=None, *, avoid_breaks: bool = False) -> bool:
    hols = hols if hols is not None else french_holidays([day.year])
    return day.weekday() < 5 and day not in hols and not (avoid_breaks and in_break(day))


def next_working_day(day: date, weekday: int | None = None, hols=None, *, avoid_breaks: bool = False) -> date:
    """The first working day on or after `day` (on `weekday`, Monday = 0, if given), skipping
    weekends and French public holidays (and, with `avoid_breaks`, the end-of-year and mid-August
    breaks); if that weekday is a holiday, the same weekday a week later."""
    hols = hols if hols is not None else french_holidays([day.year, day.year + 1])
    if weekday is not None:
        day = day + timedelta(days=(weekday - day.weekday()) % 7)
    while not is_working_day(day, hols, avoid_breaks=avoid_breaks):
        day += timedelta(days=7 if weekday is not None else 1)
    return day


def series_dates(committee, start: date, count: int) -> list[date]:
    """`count` session dates from `start`, following the committee's cadence, on working days
    outside the end-of-year and mid-August breaks."""
    if count < 1 or count > 24:
        raise SessionError("Generate between 1 and 24 sessions at a time.", key="committees.err.series_count")
    hols = french_holidays(range(start.year, start.year + 1 + count))
    if committee.cadence == "custom":
        rule = rrulestr(committee.rrule, dtstart=datetime.combine(start, time()))
        anchors = [d.date() for _, d in zip(range(count), rule)]
        weekday = None  # the rule says which day
    else:
        months = CADENCES[committee.cadence]
        anchors = [start + relativedelta(months=months * i) for i in range(count)]
        weekday = committee.weekday
    out: list[date] = []
    for anchor in anchors:
        day = next_working_day(anchor, weekday, hols, avoid_breaks=True)
        if out and day <= out[-1]:
            day = next_working_day(out[-1] + timedelta(days=1), weekday, hols, avoid_breaks=True)
        out.append(day)
    return out


# ---------------------------------------------------------------- sessions

@dataclass
class Session:
    id: int
    committee_id: int
    title: str
    starts_at: datetime  # aware, in the committee's time zone
    duration_minutes: int
    location: str = ""
    format: str = ""
    status: str = "planned"
    minutes: str = ""
    interview_id: int | None = None
    updated_at: str = ""
    number: int = 0
    sequence: int = 0

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)


def _wall(value) -> datetime:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None, second=0, microsecond=0)
    text = str(value or "").strip().replace(" ", "T")
    try:
        return datetime.fromisoformat(text).replace(tzinfo=None, second=0, microsecond=0)
    except ValueError:
        raise SessionError(f"{value!r} is not a date and time.", key="committees.err.datetime",
                           value=str(value)) from None


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _check_slot(db, committee, starts: datetime, duration: int, status: str, session_id: int | None,
                now: datetime | None, *, check_time: bool = True) -> None:
    if duration < 15 or duration > 12 * 60:
        raise SessionError("A session lasts between 15 minutes and 12 hours.", key="committees.err.duration")
    aware = starts.replace(tzinfo=committee.tz)
    if check_time and status == "planned" and aware < (now or _now()):
        raise SessionError("A planned session cannot start in the past; record it as held if it took place.",
                           key="committees.err.past", when=starts)
    if check_time and status == "held" and aware > (now or _now()):
        raise SessionError("A session is held once it has taken place.", key="committees.err.held_future",
                           when=starts)
    end = starts + timedelta(minutes=duration)
    for other in db["committee_sessions"].rows_where(
            "committee_id = ? AND status != 'cancelled' AND id IS NOT ?", [committee.id, session_id]):
        o_start = _wall(other["starts_at"])
        o_end = o_start + timedelta(minutes=other["duration_minutes"])
        if starts < o_end and o_start < end:
            raise SessionError("This session overlaps another session of the committee.",
                               key="committees.err.overlap", other=o_start)


def add_session(db: sqlite_utils.Database, committee_id: int, starts_at, *, title: str = "",
                duration_minutes: int | None = None, location: str | None = None, format: str | None = None,
                status: str = "planned", now: datetime | None = None) -> int:
    committee = get_committee(db, committee_id)
    if status not in ("planned", "held"):
        raise SessionError("A new session is planned or held.", key="committees.err.session_status")
    starts = _wall(starts_at)
    duration = int(duration_minutes or committee.duration_minutes)
    _check_slot(db, committee, starts, duration, status, None, now)
    stamp = now_iso()
    return db["committee_sessions"].insert({
        "committee_id": committee_id, "title": " ".join(title.split()), "starts_at": starts.isoformat(timespec="minutes"),
        "duration_minutes": duration, "location": committee.location if location is None else location.strip(),
        "format": committee.session_format if format is None else format.strip(), "status": status,
        "minutes": "", "interview_id": None, "sequence": 0, "created_at": stamp, "updated_at": stamp}).last_pk


def generate_series(db: sqlite_utils.Database, committee_id: int, start, count: int = 4, *,
                    now: datetime | None = None) -> list[int]:
    """Plan `count` sessions from `start` following the cadence, on working days at the usual time;
    all or nothing (a clash with an existing session stores none of them)."""
    committee = get_committee(db, committee_id)
    start = as_day(start)
    if start is None:
        raise SessionError("The series needs a first date.", key="committees.err.series_start")
    hour, minute = map(int, committee.start_time.split(":"))
    ids = []
    with db.atomic():
        for day in series_dates(committee, start, count):
            ids.append(add_session(db, committee_id, datetime.combine(day, time(hour, minute)), now=now))
    return ids


def update_session(db: sqlite_utils.Database, session_id: int, *, starts_at=None, duration_minutes=None,
                   title=None, location=None, format=None, status=None, based_on: str | None = None,
                   now: datetime | None = None) -> None:
    row = _session_row(db, session_id)
    check_version(db, "committee_sessions", session_id, based_on)
    committee = get_committee(db, row["committee_id"])
    status = status or row["status"]
    if status not in SESSION_STATUSES:
        raise SessionError("Unknown session status.", key="committees.err.session_status")
    starts = _wall(starts_at) if starts_at is not None else _wall(row["starts_at"])
    duration = int(duration_minutes or row["duration_minutes"])
    moved = starts_at is not None and starts.isoformat(timespec="minutes") != row["starts_at"]
    if status != "cancelled" and (moved or duration != row["duration_minutes"] or status != row["status"]):
        # the time rules (no planned session in the past, no held one in the future) apply to what changed
        _check_slot(db, committee, starts, duration, status, session_id, now,
                    check_time=moved or status != row["status"])
    location = row["location"] if location is None else location.strip()
    changed = (moved or duration != row["duration_minutes"] or status != row["status"]
               or location != (row["location"] or ""))
    db["committee_sessions"].update(session_id, {
        "sequence": (row["sequence"] or 0) + (1 if changed else 0),  # calendars update their copy
        "starts_at": starts.isoformat(timespec="minutes"), "duration_minutes": duration, "status": status,
        "title": row["title"] if title is None else " ".join(title.split()),
        "location": location,
        "format": row["format"] if format is None else format.strip(), "updated_at": now_iso()})


def _session_row(db, session_id: int) -> dict:
    rows = list(db["committee_sessions"].rows_where("id = ?", [session_id]))
    if not rows:
        raise SessionError(f"No session {session_id}.", key="committees.err.session_not_found")
    return rows[0]


def _session_from_row(r: dict, tz, number: int = 0) -> Session:
    return Session(id=r["id"], committee_id=r["committee_id"], title=r["title"] or "",
                   starts_at=_wall(r["starts_at"]).replace(tzinfo=tz), duration_minutes=r["duration_minutes"],
                   location=r["location"] or "", format=r["format"] or "", status=r["status"],
                   minutes=r["minutes"] or "", interview_id=r["interview_id"], updated_at=r["updated_at"] or "",
                   number=number, sequence=r["sequence"] or 0)


def list_sessions(db: sqlite_utils.Database, committee_id: int, *, include_cancelled: bool = True) -> list[Session]:
    committee = get_committee(db, committee_id)
    rows = list(db["committee_sessions"].rows_where("committee_id = ?", [committee_id], order_by="starts_at, id"))
    out, n = [], 0
    for r in rows:
        if r["status"] != "cancelled":
            n += 1
        if r["status"] == "cancelled" and not include_cancelled:
            continue
        out.append(_session_from_row(r, committee.tz, n if r["status"] != "cancelled" else 0))
    return out


def get_session(db: sqlite_utils.Database, session_id: int) -> Session:
    row = _session_row(db, session_id)
    for s in list_sessions(db, row["committee_id"]):
        if s.id == session_id:
            return s
    raise SessionError(f"No session {session_id}.", key="committees.err.session_not_found")


def next_session(db: sqlite_utils.Database, committee_id: int, now: datetime | None = None) -> Session | None:
    now = now or _now()
    upcoming = [s for s in list_sessions(db, committee_id, include_cancelled=False)
                if s.status == "planned" and s.starts_at >= now]
    return upcoming[0] if upcoming else None


# ---------------------------------------------------------------- agenda

@dataclass
class AgendaItem:
    id: int
    session_id: int
    position: int
    kind: str
    title: str
    description: str = ""
    duration_minutes: int | None = None
    option_a: str = ""
    option_b: str = ""
    votes_a: int | None = None
    votes_b: int | None = None
    preference_notes: str = ""
    outcome: str = ""

    @property
    def preferred(self) -> str | None:
        if self.kind != "ab_test" or self.votes_a is None or self.votes_b is None or self.votes_a == self.votes_b:
            return None
        return "a" if self.votes_a > self.votes_b else "b"


def add_agenda_item(db: sqlite_utils.Database, session_id: int, kind: str, title: str, *, description: str = "",
                    duration_minutes: int | None = None, option_a: str = "", option_b: str = "") -> int:
    _session_row(db, session_id)
    if kind not in AGENDA_KINDS:
        raise SessionError("Unknown kind of agenda item.", key="committees.err.agenda_kind")
    title = " ".join((title or "").split())
    if not title:
        raise SessionError("An agenda item needs a title.", key="committees.err.agenda_title")
    if kind == "ab_test" and not (option_a.strip() and option_b.strip()):
        raise SessionError("A comparison needs its two versions.", key="committees.err.ab_options")
    if duration_minutes is not None and int(duration_minutes) <= 0:
        raise SessionError("A duration is positive.", key="committees.err.agenda_duration")
    position = (db.execute("SELECT max(position) FROM committee_agenda_items WHERE session_id = ?",
                           [session_id]).fetchone()[0] or 0) + 1
    return db["committee_agenda_items"].insert({
        "session_id": session_id, "position": position, "kind": kind, "title": title,
        "description": description.strip(), "duration_minutes": duration_minutes, "option_a": option_a.strip(),
        "option_b": option_b.strip(), "votes_a": None, "votes_b": None, "preference_notes": "",
        "outcome": ""}).last_pk


def record_item_outcome(db: sqlite_utils.Database, item_id: int, *, outcome: str = "", votes_a: int | None = None,
                        votes_b: int | None = None, preference_notes: str = "") -> None:
    """What came out of an agenda item; for an A/B comparison, the panel's votes for each version."""
    rows = list(db["committee_agenda_items"].rows_where("id = ?", [item_id]))
    if not rows:
        raise SessionError("No such agenda item.", key="committees.err.agenda_not_found")
    item = rows[0]
    if item["kind"] == "ab_test":
        if votes_a is None or votes_b is None or votes_a < 0 or votes_b < 0:
            raise SessionError("Give the number of votes for each version.", key="committees.err.votes")
        attended = db.execute("SELECT count(*) FROM committee_attendance WHERE session_id = ? AND role = 'member' "
                              "AND status = 'attended'", [item["session_id"]]).fetchone()[0]
        if attended and votes_a + votes_b > attended:
            raise SessionError("More votes than members present.", key="committees.err.votes_count",
                               votes=votes_a + votes_b, present=attended)
    db["committee_agenda_items"].update(item_id, {"outcome": outcome.strip(), "votes_a": votes_a, "votes_b": votes_b,
                                                  "preference_notes": preference_notes.strip()})


def list_agenda(db: sqlite_utils.Database, session_id: int) -> list[AgendaItem]:
    return [AgendaItem(id=r["id"], session_id=r["session_id"], position=r["position"], kind=r["kind"],
                       title=r["title"], description=r["description"] or "", duration_minutes=r["duration_minutes"],
                       option_a=r["option_a"] or "", option_b=r["option_b"] or "", votes_a=r["votes_a"],
                       votes_b=r["votes_b"], preference_notes=r["preference_notes"] or "", outcome=r["outcome"] or "")
            for r in db["committee_agenda_items"].rows_where("session_id = ?", [session_id], order_by="position")]


def move_agenda_item(db: sqlite_utils.Database, item_id: int, offset: int) -> None:
    rows = list(db["committee_agenda_items"].rows_where("id = ?", [item_id]))
    if not rows:
        raise SessionError("No such agenda item.", key="committees.err.agenda_not_found")
    items = list_agenda(db, rows[0]["session_id"])
    ids = [i.id for i in items]
    i = ids.index(item_id)
    j = max(0, min(len(ids) - 1, i + offset))
    ids.insert(j, ids.pop(i))
    with db.atomic():
        for pos, iid in enumerate(ids, 1):
            db["committee_agenda_items"].update(iid, {"position": pos})


def delete_agenda_item(db: sqlite_utils.Database, item_id: int) -> None:
    """Remove the item; those after it move up one place, so that the agenda stays numbered 1, 2, 3…"""
    rows = list(db["committee_agenda_items"].rows_where("id = ?", [item_id]))
    if not rows:
        raise SessionError("No such agenda item.", key="committees.err.agenda_not_found")
    with db.atomic():
        db["committee_agenda_items"].delete(item_id)
        for pos, item in enumerate(list_agenda(db, rows[0]["session_id"]), 1):
            if item.position != pos:
                db["committee_agenda_items"].update(item.id, {"position": pos})


# ---------------------------------------------------------------- attendance and incentives

@dataclass
class Attendance:
    participant_id: int
    code: str
    persona_name: str
    kind: str
    role: str
    status: str
    incentive: float = 0.0
    incentive_kind: str = ""
    note: str = ""


def invite(db: sqlite_utils.Database, session_id: int, participant_ids: list[int] | None = None, *,
           role: str = "member") -> int:
    """Invite members (all active and accepted members by default) or employees as listeners.
    Members need a valid committee consent; employees listen, they never count as members."""
    from research.access import may_invite
    from research.participants import get_participant

    session = _session_row(db, session_id)
    if role not in ATTENDANCE_ROLES:
        raise SessionError("Unknown attendance role.", key="committees.err.attendance_role")
    if participant_ids is None:
        if role != "member":
            raise SessionError("Choose the employees to invite.", key="committees.err.listeners")
        participant_ids = [r[0] for r in db.execute(
            "SELECT participant_id FROM committee_members WHERE committee_id = ? AND status IN ('accepted', 'active')",
            [session["committee_id"]])]
    on = _wall(session["starts_at"]).date()
    added = 0
    with db.atomic():
        for pid in participant_ids:
            p = get_participant(db, pid)
            if role == "listener" and p.kind != "employee":
                raise SessionError(f"{p.code} is not an employee.", key="committees.err.listener_kind", code=p.code)
            if role == "member":
                if p.kind == "employee":
                    raise SessionError(f"{p.code} is an employee: invite them to listen.",
                                       key="committees.err.employee_member", code=p.code)
                if not db["committee_members"].count_where(
                        "committee_id = ? AND participant_id = ? AND status IN ('accepted', 'active')",
                        [session["committee_id"], pid]):
                    raise SessionError(f"{p.code} is not a member of this committee.",
                                       key="committees.err.not_member", code=p.code)
                if not may_invite(db, pid, min(on, date.today())):
                    raise CommitteeError(f"{p.code} has no valid consent to take part in a committee; record it first.",
                                         key="committees.err.no_consent", code=p.code)
            if db["committee_attendance"].count_where("session_id = ? AND participant_id = ?", [session_id, pid]):
                continue
            db["committee_attendance"].insert({"session_id": session_id, "participant_id": pid, "role": role,
                                               "status": "invited", "incentive": 0.0, "incentive_kind": "",
                                               "note": "", "updated_at": now_iso()})
            added += 1
    return added


def set_attendance(db: sqlite_utils.Database, session_id: int, participant_id: int, status: str, *,
                   now: datetime | None = None) -> None:
    if status not in ATTENDANCE_STATUSES:
        raise SessionError("Unknown attendance status.", key="committees.err.attendance_status")
    session = get_session(db, session_id)
    if status in ("attended", "no_show") and session.starts_at > (now or _now()):
        raise SessionError("Attendance is recorded once the session has started.",
                           key="committees.err.attendance_future")
    if not db["committee_attendance"].count_where("session_id = ? AND participant_id = ?", [session_id, participant_id]):
        raise SessionError("This person was not invited to the session.", key="committees.err.not_invited")
    db.execute("UPDATE committee_attendance SET status = ?, updated_at = ? WHERE session_id = ? AND participant_id = ?",
               [status, now_iso(), session_id, participant_id])


def incentives_in_year(db: sqlite_utils.Database, committee_id: int, participant_id: int, year: int,
                       excluding_session: int | None = None) -> float:
    return db.execute(
        """SELECT coalesce(sum(a.incentive), 0) FROM committee_attendance a
           JOIN committee_sessions s ON s.id = a.session_id
           WHERE s.committee_id = ? AND a.participant_id = ? AND substr(s.starts_at, 1, 4) = ?
           AND a.session_id IS NOT ?""", [committee_id, participant_id, f"{year:04d}", excluding_session]).fetchone()[0]


def incentive_warnings(committee, amount: float) -> list[str]:
    """Translation keys of warnings for an incentive amount (large enough to bias recruitment)."""
    if committee.incentive_bias_threshold and amount >= committee.incentive_bias_threshold:
        return ["committees.warn.incentive_bias"]
    return []


def give_incentive(db: sqlite_utils.Database, session_id: int, participant_id: int, amount: float,
                   kind: str = "voucher") -> list[str]:
    """Record the incentive given to a member for a session; refused over the yearly cap.
    Returns warnings (translation keys), e.g. an amount large enough to bias recruitment."""
    session = _session_row(db, session_id)
    committee = get_committee(db, session["committee_id"])
    rows = list(db["committee_attendance"].rows_where("session_id = ? AND participant_id = ?",
                                                      [session_id, participant_id]))
    if not rows:
        raise SessionError("This person was not invited to the session.", key="committees.err.not_invited")
    if rows[0]["role"] != "member":
        raise SessionError("Employees who listen receive no incentive.", key="committees.err.listener_incentive")
    try:
        amount = round(float(amount), 2)
    except (TypeError, ValueError):
        raise SessionError(f"{amount!r} is not an amount.", key="committees.err.amount", value=str(amount)) from None
    if amount < 0:
        raise SessionError("An amount cannot be negative.", key="committees.err.amount_negative")
    year = int(session["starts_at"][:4])
    before = incentives_in_year(db, committee.id, participant_id, year, excluding_session=session_id)
    if committee.incentive_cap and before + amount > committee.incentive_cap:
        raise SessionError("This incentive would exceed the member's yearly cap.", key="committees.err.incentive_cap",
                           amount=amount, given=before, cap=committee.incentive_cap,
                           year=year)
    db.execute("UPDATE committee_attendance SET incentive = ?, incentive_kind = ?, updated_at = ? "
               "WHERE session_id = ? AND participant_id = ?",
               [amount, kind.strip(), now_iso(), session_id, participant_id])
    return incentive_warnings(committee, amount)


def list_attendance(db: sqlite_utils.Database, session_id: int) -> list[Attendance]:
    rows = db.execute("""SELECT a.participant_id, p.code, per.name, p.kind, a.role, a.status, a.incentive,
                                a.incentive_kind, a.note
                         FROM committee_attendance a JOIN participants p ON p.id = a.participant_id
                         LEFT JOIN personas per ON per.id = p.persona_id
                         WHERE a.session_id = ? ORDER BY a.role = 'listener', p.code""", [session_id]).fetchall()
    return [Attendance(r[0], r[1], r[2] or "", r[3], r[4], r[5], r[6] or 0.0, r[7] or "", r[8] or "") for r in rows]


def attendance_trend(db: sqlite_utils.Database, committee_id: int) -> list[dict]:
    """Per session (not cancelled): members invited, confirmed, attended, no-shows, listeners."""
    out = []
    for s in list_sessions(db, committee_id, include_cancelled=False):
        counts = dict(db.execute("SELECT status, count(*) FROM committee_attendance WHERE session_id = ? "
                                 "AND role = 'member' GROUP BY status", [s.id]).fetchall())
        listeners = db["committee_attendance"].count_where("session_id = ? AND role = 'listener'", [s.id])
        invited = sum(counts.values())
        out.append({"session_id": s.id, "number": s.number, "date": s.starts_at.date().isoformat(),
                    "status": s.status, "invited": invited, "confirmed": counts.get("confirmed", 0),
                    "attended": counts.get("attended", 0), "no_show": counts.get("no_show", 0),
                    "listeners": listeners,
                    "rate": (counts.get("attended", 0) / invited) if invited and s.status == "held" else None})
    return out


# ---------------------------------------------------------------- outputs

def set_minutes(db: sqlite_utils.Database, session_id: int, minutes: str, *, based_on: str | None = None) -> None:
    _session_row(db, session_id)
    check_version(db, "committee_sessions", session_id, based_on)
    db["committee_sessions"].update(session_id, {"minutes": (minutes or "").strip(), "updated_at": now_iso()})


def file_kind(filename: str) -> str:
    suffix = Path(filename).suffix.lower()
    for kind, suffixes in FILE_KINDS.items():
        if suffix in suffixes:
            return kind
    raise SessionError(f"{Path(filename).suffix or filename} files are not kept here.",
                       key="committees.err.file_type", name=filename)


_SAFE = re.compile(r"[^\w.\- ]+", re.UNICODE)


def add_file(db: sqlite_utils.Database, session_id: int, filename: str, data: bytes, files_root) -> int:
    """Keep a session file (photo, audio, video, slides, document) under `<files_root>/committees/`."""
    _session_row(db, session_id)
    name = _SAFE.sub("_", Path(filename or "").name).strip(" .")
    if not name:
        raise SessionError("The file has no name.", key="committees.err.file_name")
    kind = file_kind(name)
    if not data:
        raise SessionError(f"{name} is empty.", key="committees.err.file_empty", name=name)
    if len(data) > MAX_FILE_BYTES:
        raise SessionError(f"{name} is larger than 500 MB.", key="committees.err.file_large", name=name)
    digest = hashlib.sha256(data).hexdigest()
    if db["committee_files"].count_where("session_id = ? AND sha256 = ?", [session_id, digest]):
        raise SessionError(f"{name} is already attached to this session.", key="committees.err.file_duplicate",
                           name=name)
    folder = Path(files_root) / "committees" / f"session-{session_id}"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{digest[:12]}-{name}"
    tmp = target.with_name(target.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(target)
    try:
        return db["committee_files"].insert({"session_id": session_id, "kind": kind, "filename": name,
                                             "path": str(target), "sha256": digest, "bytes": len(data),
                                             "added_at": now_iso()}).last_pk
    except Exception:
        target.unlink(missing_ok=True)
        raise


def list_files(db: sqlite_utils.Database, session_id: int) -> list[dict]:
    return list(db["committee_files"].rows_where("session_id = ?", [session_id], order_by="added_at"))


def delete_file(db: sqlite_utils.Database, file_id: int) -> None:
    rows = list(db["committee_files"].rows_where("id = ?", [file_id]))
    if rows:
        db["committee_files"].delete(file_id)
        Path(rows[0]["path"]).unlink(missing_ok=True)


@dataclass
class Action:
    id: int
    committee_id: int
    session_id: int | None
    kind: str
    text: str
    owner: str = ""
    due_on: str | None = None
    status: str = "open"
    done_on: str | None = None
    overdue: bool = False
    extra: dict = field(default_factory=dict)


def add_action(db: sqlite_utils.Database, session_id: int, text: str, *, kind: str = "action", owner: str = "",
               due_on=None) -> int:
    """A decision taken or an action promised at a session; actions need an owner and a due date
    that is not before the session."""
    session = _session_row(db, session_id)
    if kind not in ACTION_KINDS:
        raise SessionError("Unknown kind.", key="committees.err.action_kind")
    text = " ".join((text or "").split())
    if not text:
        raise SessionError("Say what was decided or what is to be done.", key="committees.err.action_text")
    due = as_day(due_on)
    if kind == "action":
        if not owner.strip() or due is None:
            raise SessionError("An action has an owner and a due date.", key="committees.err.action_owner")
        if due < _wall(session["starts_at"]).date():
            raise SessionError("An action is due after the session that decided it.",
                               key="committees.err.end_before_start",
                               start=_wall(session["starts_at"]).date(), end=due)
    return db["committee_actions"].insert({
        "committee_id": session["committee_id"], "session_id": session_id, "kind": kind, "text": text,
        "owner": owner.strip(), "due_on": due.isoformat() if due else None,
        "status": "open" if kind == "action" else "decided", "done_on": None, "created_at": now_iso()}).last_pk


def complete_action(db: sqlite_utils.Database, action_id: int, on=None) -> None:
    rows = list(db["committee_actions"].rows_where("id = ?", [action_id]))
    if not rows:
        raise SessionError("No such action.", key="committees.err.action_not_found")
    on = as_day(on) or date.today()
    if on > date.today():
        raise SessionError("An action is done once it is done.", key="committees.err.future_step")
    db["committee_actions"].update(action_id, {"status": "done", "done_on": on.isoformat()})


def list_actions(db: sqlite_utils.Database, committee_id: int, session_id: int | None = None,
                 today: date | None = None) -> list[Action]:
    today = today or date.today()
    where, params = "committee_id = ?", [committee_id]
    if session_id is not None:
        where += " AND session_id = ?"
        params.append(session_id)
    return [Action(id=r["id"], committee_id=r["committee_id"], session_id=r["session_id"], kind=r["kind"],
                   text=r["text"], owner=r["owner"] or "", due_on=r["due_on"], status=r["status"],
                   done_on=r["done_on"],
                   overdue=r["status"] == "open" and bool(r["due_on"]) and r["due_on"] < today.isoformat())
            for r in db["committee_actions"].rows_where(where, params, order_by="due_on, id")]


def actions_status(db: sqlite_utils.Database, committee_id: int, today: date | None = None) -> dict[str, int]:
    counts = {"done": 0, "open": 0, "overdue": 0}
    for a in list_actions(db, committee_id, today=today):
        if a.kind != "action":
            continue
        counts["overdue" if a.overdue else a.status] += 1
    return counts


# ---------------------------------------------------------------- to the analysis

def send_to_analysis(db: sqlite_utils.Database, session_id: int, *, data: bytes | None = None, filename: str = "",
                     lang: str = "fr") -> int:
    """Make the session's minutes (or a transcript file) an interview the analysis reads: a focus group
    with the members who attended, dated the day of the session. Returns the interview id."""
    from research.interviews import create_interview
    from research.transcripts import delete_transcript, import_transcript

    session = get_session(db, session_id)
    if session.status != "held":
        raise SessionError("Only a session that took place can be analysed.", key="committees.err.not_held")
    if data is None:
        if not session.minutes.strip():
            raise SessionError("This session has no minutes yet.", key="committees.err.no_minutes")
        # the minutes speak for the members together: one "group" speaker, attributed to nobody in particular
        label = "Compte rendu" if lang == "fr" else "Minutes"
        lines = [line.strip() for line in session.minutes.splitlines() if line.strip()]
        data = "\n".join(f"{label}: {line}" for line in lines).encode("utf-8")
        filename, speakers = f"minutes-session-{session_id}.txt", {label: "group"}
    else:
        speakers = None
    attendees = [a.participant_id for a in list_attendance(db, session_id)
                 if a.role == "member" and a.status == "attended"]
    if not attendees:
        raise SessionError("Record who attended first.", key="committees.err.no_attendees")
    committee = get_committee(db, session.committee_id)
    with db.atomic():
        interview_id = session.interview_id
        if interview_id is None:
            interview_id = create_interview(
                db, f"{committee.name} — {session.title or session.starts_at.date().isoformat()}",
                participant_ids=attendees, status="done", when=session.starts_at.date(), mode="focus_group",
                interviewer=committee.facilitator, lang=lang, notes=dumps({"committee_session": session_id}))
            db["committee_sessions"].update(session_id, {"interview_id": interview_id, "updated_at": now_iso()})
        for old in db["transcripts"].rows_where("interview_id = ? AND filename = ?", [interview_id, filename]):
            delete_transcript(db, old["id"])  # edited minutes replace the ones sent before
        import_transcript(db, interview_id, data, filename=filename, on_duplicate="replace", speakers=speakers,
                          lang=lang)
    return interview_id


__all__ = ["Session", "AgendaItem", "Attendance", "Action", "SessionError", "series_dates", "next_working_day",
           "add_session", "generate_series", "update_session", "list_sessions", "get_session", "next_session",
           "add_agenda_item", "record_item_outcome", "list_agenda", "invite", "set_attendance", "give_incentive",
           "incentives_in_year", "list_attendance", "attendance_trend", "set_minutes", "add_file", "list_files",
           "add_action", "complete_action", "list_actions", "actions_status", "send_to_analysis"]
