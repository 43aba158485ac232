"""Customer committees: a standing panel of customers met at a steady cadence, and its members.

A committee has purposes (deepen knowledge, validate decisions, co-create, grow ambassadors), a
sponsor, an owner and a neutral facilitator, a target size split into persona quotas, a cadence
(quarterly by default) and a default session format. Members are participants who go through a
recruitment pipeline (candidate → invited → accepted → active → alumni, or declined); nobody is
invited without a valid 'committee' consent, and nobody is invited into a persona quota already
full. Incentives are capped per member and per calendar year, and a warning is raised when one
session's incentive is large enough to bias who agrees to come.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlite_utils
from dateutil.relativedelta import relativedelta
from dateutil.rrule import rrulestr

from research.dates import parse_date
from research.errors import DomainError
from research.store import Migrations, check_version, dumps, loads, now_iso

migrations = Migrations("committees")

PURPOSES = ("knowledge", "decisions", "cocreation", "ambassadors")
CADENCES = {"monthly": 1, "bimonthly": 2, "quarterly": 3, "half_yearly": 6, "custom": None}
MEMBER_STATUSES = ("candidate", "invited", "accepted", "active", "alumni", "declined")
# statuses that take a seat in a persona quota (organisers may invite more people than seats,
# as some decline; nobody is invited once the seats are all taken)
SEATED = ("accepted", "active")
NEEDS_CONSENT = ("invited", "accepted", "active")
# the moves the recruitment pipeline allows
TRANSITIONS = {
    "candidate": ("invited", "declined"),
    "invited": ("accepted", "declined"),
    "accepted": ("active", "declined", "alumni"),
    "active": ("alumni",),
    "alumni": ("active",),
    "declined": ("candidate",),
}
DEFAULTS = {"cadence": "quarterly", "timezone": "Europe/Paris", "start_time": "18:30", "duration_minutes": 150,
            "weekday": 3, "term_months": 24, "incentive_cap": 300.0, "incentive_bias_threshold": 150.0}


class CommitteeError(DomainError):
    pass


@migrations()
def m001_committees(db: sqlite_utils.Database) -> None:
    db["committees"].create({
        "id": int, "name": str, "purposes": str, "description": str, "sponsor": str, "owner": str,
        "facilitator": str, "target_size": int, "cadence": str, "rrule": str, "weekday": int,
        "start_time": str, "duration_minutes": int, "location": str, "session_format": str, "timezone": str,
        "term_months": int, "incentive_cap": float, "incentive_bias_threshold": float,
        "created_at": str, "updated_at": str}, pk="id", not_null={"name", "cadence", "timezone"})
    db["committees"].create_index(["name"], unique=True)
    db["committee_quotas"].create({"committee_id": int, "persona_id": int, "target": int},
                                  pk=("committee_id", "persona_id"),
                                  foreign_keys=[("committee_id", "committees", "id"),
                                                ("persona_id", "personas", "id")])
    db["committee_members"].create({
        "id": int, "committee_id": int, "participant_id": int, "status": str, "script": str,
        "since": str, "planned_end": str, "note": str, "created_at": str, "updated_at": str},
        pk="id", not_null={"committee_id", "participant_id", "status"},
        foreign_keys=[("committee_id", "committees", "id"), ("participant_id", "participants", "id")])
    db["committee_members"].create_index(["committee_id", "participant_id"], unique=True)
    db["committee_member_events"].create({"id": int, "member_id": int, "status": str, "on_date": str,
                                          "note": str, "recorded_at": str}, pk="id",
                                         foreign_keys=[("member_id", "committee_members", "id")])
    db["committee_member_events"].create_index(["member_id"])


# ---------------------------------------------------------------- committee

@dataclass
class Committee:
    id: int
    name: str
    purposes: list[str] = field(default_factory=list)
    description: str = ""
    sponsor: str = ""
    owner: str = ""
    facilitator: str = ""
    target_size: int = 12
    cadence: str = "quarterly"
    rrule: str = ""
    weekday: int | None = 3
    start_time: str = "18:30"
    duration_minutes: int = 150
    location: str = ""
    session_format: str = ""
    timezone: str = "Europe/Paris"
    term_months: int = 24
    incentive_cap: float = 300.0
    incentive_bias_threshold: float = 150.0
    updated_at: str = ""
    quotas: dict[int, int] = field(default_factory=dict)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def _clean_time(value: str) -> str:
    try:
        return datetime.strptime((value or "").strip(), "%H:%M").strftime("%H:%M")
    except ValueError:
        raise CommitteeError(f"{value!r} is not a time like 18:30.", key="committees.err.time",
                             value=str(value)) from None


def _validate(fields: dict) -> dict:
    out = dict(fields)
    out["name"] = " ".join((out.get("name") or "").split())
    if not out["name"]:
        raise CommitteeError("A committee needs a name.", key="committees.err.name")
    purposes = list(dict.fromkeys(out.get("purposes") or []))
    if any(p not in PURPOSES for p in purposes):
        raise CommitteeError("Unknown purpose.", key="committees.err.purpose")
    out["purposes"] = dumps(purposes)
    cadence = out.get("cadence") or DEFAULTS["cadence"]
    if cadence not in CADENCES:
        raise CommitteeError(f"Cadence is one of {', '.join(CADENCES)}.", key="committees.err.cadence")
    out["cadence"] = cadence
    if cadence == "custom":
        rule = (out.get("rrule") or "").strip()
        if not rule:
            raise CommitteeError("A custom cadence needs a recurrence rule.", key="committees.err.rrule",
                                 value="")
        try:
            rrulestr(rule, dtstart=datetime(2026, 1, 1))
        except (ValueError, TypeError):
            raise CommitteeError(f"{rule!r} is not a recurrence rule (RFC 5545 RRULE).", key="committees.err.rrule",
                                 value=rule) from None
        out["rrule"] = rule
    else:
        out["rrule"] = ""
    try:
        ZoneInfo(out.get("timezone") or DEFAULTS["timezone"])
    except (ZoneInfoNotFoundError, ValueError):
        raise CommitteeError(f"Unknown time zone {out.get('timezone')!r}.", key="committees.err.timezone",
                             value=str(out.get("timezone"))) from None
    out["timezone"] = out.get("timezone") or DEFAULTS["timezone"]
    out["start_time"] = _clean_time(out.get("start_time") or DEFAULTS["start_time"])
    for name, low in (("duration_minutes", 15), ("target_size", 1), ("term_months", 1)):
        value = out.get(name)
        if value is not None and int(value) < low:
            raise CommitteeError(f"{name} is at least {low}.", key="committees.err.number", field=name, low=low)
    weekday = out.get("weekday")
    if weekday is not None and not 0 <= int(weekday) <= 4:
        raise CommitteeError("Sessions fall on a weekday (Monday to Friday).", key="committees.err.weekday")
    for name in ("incentive_cap", "incentive_bias_threshold"):
        if out.get(name) is not None and float(out[name]) < 0:
            raise CommitteeError("An amount cannot be negative.", key="committees.err.amount_negative")
    for name in ("description", "sponsor", "owner", "facilitator", "location", "session_format"):
        out[name] = (out.get(name) or "").strip()
    return out


def create_committee(db: sqlite_utils.Database, name: str, **fields) -> int:
    """Create a committee; unspecified settings take the usual defaults (quarterly, Thursday 18:30,
    2 h 30, Europe/Paris, two-year terms)."""
    quotas = fields.pop("quotas", None) or {}
    values = _validate({**DEFAULTS, "target_size": 12, **fields, "name": name})
    if db["committees"].count_where("name = ?", [values["name"]]):
        raise CommitteeError(f"A committee named {values['name']} exists.", key="committees.err.name_taken",
                             name=values["name"])
    now = now_iso()
    with db.atomic():
        cid = db["committees"].insert({**values, "created_at": now, "updated_at": now}).last_pk
        _write_quotas(db, cid, quotas)
    return cid


def update_committee(db: sqlite_utils.Database, committee_id: int, *, based_on: str | None = None,
                     **fields) -> None:
    """Save edited settings; `based_on` is the `store.row_version` the editor loaded (conflict if it changed)."""
    current = get_committee(db, committee_id)
    check_version(db, "committees", committee_id, based_on)
    quotas = fields.pop("quotas", None)
    merged = {k: getattr(current, k) for k in DEFAULTS} | {
        k: getattr(current, k) for k in ("name", "purposes", "description", "sponsor", "owner", "facilitator",
                                         "target_size", "rrule", "location", "session_format")} | fields
    values = _validate(merged)
    if db["committees"].count_where("name = ? AND id != ?", [values["name"], committee_id]):
        raise CommitteeError(f"A committee named {values['name']} exists.", key="committees.err.name_taken",
                             name=values["name"])
    with db.atomic():
        db["committees"].update(committee_id, {**values, "updated_at": now_iso()})
        if quotas is not None:
            _write_quotas(db, committee_id, quotas)


def _write_quotas(db: sqlite_utils.Database, committee_id: int, quotas: dict[int, int]) -> None:
    for persona_id, target in quotas.items():
        if int(target) < 0:
            raise CommitteeError("A quota cannot be negative.", key="committees.err.quota_negative")
        if not db["personas"].count_where("id = ?", [persona_id]):
            raise CommitteeError("Unknown persona.", key="committees.err.persona")
    db["committee_quotas"].delete_where("committee_id = ?", [committee_id])
    db["committee_quotas"].insert_all([{"committee_id": committee_id, "persona_id": int(p), "target": int(t)}
                                       for p, t in quotas.items() if int(t) > 0])


def _committee_from_row(db, r: dict) -> Committee:
    quotas = {q["persona_id"]: q["target"] for q in db["committee_quotas"].rows_where("committee_id = ?", [r["id"]])}
    return Committee(id=r["id"], name=r["name"], purposes=loads(r["purposes"], []) or [],
                     description=r["description"] or "", sponsor=r["sponsor"] or "", owner=r["owner"] or "",
                     facilitator=r["facilitator"] or "", target_size=r["target_size"] or 0, cadence=r["cadence"],
                     rrule=r["rrule"] or "", weekday=r["weekday"], start_time=r["start_time"] or "18:30",
                     duration_minutes=r["duration_minutes"] or 150, location=r["location"] or "",
                     session_format=r["session_format"] or "", timezone=r["timezone"],
                     term_months=r["term_months"] or 24, incentive_cap=r["incentive_cap"] or 0.0,
                     incentive_bias_threshold=r["incentive_bias_threshold"] or 0.0, updated_at=r["updated_at"] or "",
                     quotas=quotas)


def get_committee(db: sqlite_utils.Database, committee_id: int) -> Committee:
    rows = list(db["committees"].rows_where("id = ?", [committee_id]))
    if not rows:
        raise CommitteeError(f"No committee {committee_id}.", key="committees.err.not_found")
    return _committee_from_row(db, rows[0])


def list_committees(db: sqlite_utils.Database) -> list[Committee]:
    if "committees" not in db.table_names():
        return []
    return [_committee_from_row(db, r) for r in db["committees"].rows_where(order_by="name")]


# ---------------------------------------------------------------- members

@dataclass
class Member:
    id: int
    committee_id: int
    participant_id: int
    code: str
    persona_id: int | None
    persona_name: str
    status: str
    script: str = ""
    since: str | None = None
    planned_end: str | None = None
    note: str = ""
    sessions_attended: int = 0
    has_consent: bool = False
    history: list[dict] = field(default_factory=list)


def as_day(value) -> date | None:
    """A date typed or picked for a committee record (None when empty)."""
    return parse_date(value, CommitteeError, "committees.err.date")


def _check_consent(db, participant_id: int, on: date) -> None:
    from research.access import may_invite
    from research.participants import get_participant

    if not may_invite(db, participant_id, on):
        code = get_participant(db, participant_id).code
        raise CommitteeError(f"{code} has no valid consent to take part in a committee; record it first.",
                             key="committees.err.no_consent", code=code)


def _check_quota(db, committee: Committee, participant_id: int, member_id: int | None = None) -> None:
    row = db.execute("SELECT p.persona_id, per.name, p.code FROM participants p "
                     "LEFT JOIN personas per ON per.id = p.persona_id WHERE p.id = ?", [participant_id]).fetchone()
    persona_id, persona_name, code = row
    if persona_id is None or persona_id not in committee.quotas:
        return
    seated = db.execute(
        f"""SELECT count(*) FROM committee_members m JOIN participants p ON p.id = m.participant_id
            WHERE m.committee_id = ? AND p.persona_id = ? AND m.status IN ({','.join('?' * len(SEATED))})
            AND m.id IS NOT ?""", [committee.id, persona_id, *SEATED, member_id]).fetchone()[0]
    if seated >= committee.quotas[persona_id]:
        raise CommitteeError(f"The quota for {persona_name} is full ({seated}/{committee.quotas[persona_id]}).",
                             key="committees.err.quota_full", persona=persona_name, seated=seated,
                             target=committee.quotas[persona_id], code=code)


def add_member(db: sqlite_utils.Database, committee_id: int, participant_id: int, *, status: str = "candidate",
               script: str = "", on=None, note: str = "") -> int:
    """Put a participant in the committee's recruitment pipeline (as a candidate by default)."""
    committee = get_committee(db, committee_id)
    from research.participants import get_participant

    participant = get_participant(db, participant_id)
    if participant.kind == "employee":
        raise CommitteeError("Employees listen to sessions; they are not members.",
                             key="committees.err.employee_member", code=participant.code)
    if db["committee_members"].count_where("committee_id = ? AND participant_id = ?", [committee_id, participant_id]):
        raise CommitteeError(f"{participant.code} is already in this committee's pipeline.",
                             key="committees.err.member_exists", code=participant.code)
    if status not in MEMBER_STATUSES:
        raise CommitteeError("Unknown member status.", key="committees.err.status")
    on = as_day(on) or date.today()
    if on > date.today():
        raise CommitteeError("A recruitment step is recorded once it happened.", key="committees.err.future_step")
    if status in NEEDS_CONSENT:
        _check_consent(db, participant_id, on)
        _check_quota(db, committee, participant_id)
    now = now_iso()
    since = on.isoformat() if status == "active" else None
    end = (on + relativedelta(months=committee.term_months)).isoformat() if since else None
    with db.atomic():
        mid = db["committee_members"].insert({
            "committee_id": committee_id, "participant_id": participant_id, "status": status,
            "script": script.strip(), "since": since, "planned_end": end, "note": note.strip(),
            "created_at": now, "updated_at": now}).last_pk
        db["committee_member_events"].insert({"member_id": mid, "status": status, "on_date": on.isoformat(),
                                              "note": note.strip(), "recorded_at": now})
    return mid


def _member_row(db, member_id: int) -> dict:
    rows = list(db["committee_members"].rows_where("id = ?", [member_id]))
    if not rows:
        raise CommitteeError(f"No member {member_id}.", key="committees.err.member_not_found")
    return rows[0]


def move_member(db: sqlite_utils.Database, member_id: int, status: str, *, on=None, note: str = "",
                based_on: str | None = None) -> None:
    """Move a member along the pipeline; inviting needs consent and a free seat in the persona quota."""
    row = _member_row(db, member_id)
    check_version(db, "committee_members", member_id, based_on)
    if status not in MEMBER_STATUSES:
        raise CommitteeError("Unknown member status.", key="committees.err.status")
    if status not in TRANSITIONS[row["status"]]:
        raise CommitteeError(f"A member cannot go from {row['status']} to {status}.",
                             key="committees.err.transition", old=row["status"], new=status)
    on = as_day(on) or date.today()
    if on > date.today():
        raise CommitteeError("A recruitment step is recorded once it happened.", key="committees.err.future_step")
    last = db.execute("SELECT max(on_date) FROM committee_member_events WHERE member_id = ?", [member_id]).fetchone()[0]
    if last and on.isoformat() < last:
        raise CommitteeError("This step would come before the previous one.", key="committees.err.step_order",
                             value=on, last=date.fromisoformat(last))
    committee = get_committee(db, row["committee_id"])
    if status in NEEDS_CONSENT:
        _check_consent(db, row["participant_id"], on)
        if row["status"] not in SEATED:
            _check_quota(db, committee, row["participant_id"], member_id)
    changes = {"status": status, "updated_at": now_iso()}
    if status == "active" and not row["since"]:
        changes["since"] = on.isoformat()
        changes["planned_end"] = (on + relativedelta(months=committee.term_months)).isoformat()
    if status == "alumni":
        changes["planned_end"] = on.isoformat()
    with db.atomic():
        db["committee_members"].update(member_id, changes)
        db["committee_member_events"].insert({"member_id": member_id, "status": status, "on_date": on.isoformat(),
                                              "note": note.strip(), "recorded_at": now_iso()})


def set_term(db: sqlite_utils.Database, member_id: int, since, planned_end) -> None:
    """Set a member's term; the planned end comes after the start."""
    _member_row(db, member_id)
    start, end = as_day(since), as_day(planned_end)
    if start and end and end <= start:
        raise CommitteeError("A term ends after it starts.", key="committees.err.end_before_start",
                             start=start, end=end)
    db["committee_members"].update(member_id, {"since": start.isoformat() if start else None,
                                               "planned_end": end.isoformat() if end else None,
                                               "updated_at": now_iso()})


def list_members(db: sqlite_utils.Database, committee_id: int, statuses: tuple[str, ...] | None = None,
                 on: date | None = None) -> list[Member]:
    from research.access import may_invite

    on = on or date.today()
    sql = """SELECT m.id, m.committee_id, m.participant_id, p.code, p.persona_id, per.name, m.status, m.script,
                    m.since, m.planned_end, m.note,
                    (SELECT count(*) FROM committee_attendance a JOIN committee_sessions s ON s.id = a.session_id
                      WHERE a.participant_id = m.participant_id AND s.committee_id = m.committee_id
                      AND a.status = 'attended')
             FROM committee_members m JOIN participants p ON p.id = m.participant_id
             LEFT JOIN personas per ON per.id = p.persona_id WHERE m.committee_id = ?"""
    params: list = [committee_id]
    if statuses:
        sql += f" AND m.status IN ({','.join('?' * len(statuses))})"
        params += list(statuses)
    members = []
    for r in db.execute(sql + " ORDER BY p.code", params).fetchall():
        history = [dict(status=e["status"], on=e["on_date"], note=e["note"] or "")
                   for e in db["committee_member_events"].rows_where("member_id = ?", [r[0]], order_by="on_date, id")]
        members.append(Member(id=r[0], committee_id=r[1], participant_id=r[2], code=r[3], persona_id=r[4],
                              persona_name=r[5] or "", status=r[6], script=r[7] or "", since=r[8],
                              planned_end=r[9], note=r[10] or "", sessions_attended=r[11],
                              has_consent=may_invite(db, r[2], on), history=history))
    return members


def quota_board(db: sqlite_utils.Database, committee_id: int) -> list[dict]:
    """Per persona: the target, seats taken (accepted, active), invitations out, candidates waiting."""
    committee = get_committee(db, committee_id)
    rows = db.execute(
        """SELECT per.id, per.name, m.status, count(*) FROM committee_members m
           JOIN participants p ON p.id = m.participant_id LEFT JOIN personas per ON per.id = p.persona_id
           WHERE m.committee_id = ? GROUP BY per.id, m.status""", [committee_id]).fetchall()
    names = {r["id"]: r["name"] for r in db["personas"].rows} if "personas" in db.table_names() else {}
    board: dict[int | None, dict] = {
        pid: {"persona_id": pid, "persona": names.get(pid, "?"), "target": target, "seated": 0, "active": 0,
              "invited": 0, "candidates": 0} for pid, target in committee.quotas.items()}
    for pid, name, status, n in rows:
        entry = board.setdefault(pid, {"persona_id": pid, "persona": name or "", "target": 0, "seated": 0,
                                       "active": 0, "invited": 0, "candidates": 0})
        if status in SEATED:
            entry["seated"] += n
        if status == "active":
            entry["active"] += n
        if status == "candidate":
            entry["candidates"] += n
        if status == "invited":
            entry["invited"] += n
    for entry in board.values():
        entry["missing"] = max(entry["target"] - entry["seated"], 0)
        entry["full"] = entry["target"] > 0 and entry["seated"] >= entry["target"]
    return sorted(board.values(), key=lambda e: (e["target"] == 0, e["persona"]))


__all__ = ["Committee", "CommitteeError", "Member", "PURPOSES", "CADENCES", "MEMBER_STATUSES", "create_committee",
           "update_committee", "get_committee", "list_committees", "add_member", "move_member", "set_term",
           "list_members", "quota_board"]
