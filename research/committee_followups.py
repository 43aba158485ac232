"""Between sessions: follow-ups to members, each member's timeline, and what is due.

Follow-ups are of three kinds: news shared ahead of a release, a mini-survey (questions and each
member's answers) and a report of what was done thanks to the committee. Reminders gather what an
organiser must not forget: the next session in N days, overdue actions, members without a valid
consent, terms ending soon, incentives close to the yearly cap, surveys still unanswered.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlite_utils

from research.committees import CommitteeError, as_day, get_committee, list_members
from research.store import Migrations, dumps, loads, now_iso

migrations = Migrations("committee_followups")

FOLLOWUP_KINDS = ("news", "survey", "report")


class FollowupError(CommitteeError):
    pass


@migrations()
def m001_followups(db: sqlite_utils.Database) -> None:
    db["committee_followups"].create({
        "id": int, "committee_id": int, "kind": str, "title": str, "body": str, "questions": str,
        "sent_on": str, "created_at": str}, pk="id", not_null={"committee_id", "kind", "title"},
        foreign_keys=[("committee_id", "committees", "id")])
    db["committee_followup_answers"].create({
        "followup_id": int, "participant_id": int, "question": int, "answer": str, "answered_on": str},
        pk=("followup_id", "participant_id", "question"),
        foreign_keys=[("followup_id", "committee_followups", "id"), ("participant_id", "participants", "id")])


@dataclass
class Followup:
    id: int
    committee_id: int
    kind: str
    title: str
    body: str = ""
    questions: list[str] = field(default_factory=list)
    sent_on: str | None = None
    answers: dict[int, dict[int, str]] = field(default_factory=dict)  # participant → question → answer
    recipients: int = 0


def add_followup(db: sqlite_utils.Database, committee_id: int, kind: str, title: str, *, body: str = "",
                 questions: list[str] | None = None, sent_on=None) -> int:
    get_committee(db, committee_id)
    if kind not in FOLLOWUP_KINDS:
        raise FollowupError("Unknown kind of follow-up.", key="committees.err.followup_kind")
    title = " ".join((title or "").split())
    if not title:
        raise FollowupError("A follow-up needs a title.", key="committees.err.followup_title")
    questions = [" ".join(q.split()) for q in (questions or []) if q and q.strip()]
    if kind == "survey" and not questions:
        raise FollowupError("A mini-survey asks at least one question.", key="committees.err.survey_questions")
    sent = as_day(sent_on)
    if sent and sent > date.today():
        raise FollowupError("A follow-up is marked sent once it is sent.", key="committees.err.future_step")
    return db["committee_followups"].insert({
        "committee_id": committee_id, "kind": kind, "title": title, "body": (body or "").strip(),
        "questions": dumps(questions), "sent_on": sent.isoformat() if sent else None,
        "created_at": now_iso()}).last_pk


def mark_sent(db: sqlite_utils.Database, followup_id: int, on=None) -> None:
    _followup_row(db, followup_id)
    on = as_day(on) or date.today()
    if on > date.today():
        raise FollowupError("A follow-up is marked sent once it is sent.", key="committees.err.future_step")
    db["committee_followups"].update(followup_id, {"sent_on": on.isoformat()})


def _followup_row(db, followup_id: int) -> dict:
    rows = list(db["committee_followups"].rows_where("id = ?", [followup_id]))
    if not rows:
        raise FollowupError("No such follow-up.", key="committees.err.followup_not_found")
    return rows[0]


def record_answers(db: sqlite_utils.Database, followup_id: int, participant_id: int, answers: dict[int, str],
                   on=None) -> None:
    """A member's answers to a mini-survey (question index → answer); empty answers are not stored."""
    row = _followup_row(db, followup_id)
    if row["kind"] != "survey":
        raise FollowupError("Only a mini-survey has answers.", key="committees.err.not_survey")
    questions = loads(row["questions"], []) or []
    if not db["committee_members"].count_where("committee_id = ? AND participant_id = ?",
                                               [row["committee_id"], participant_id]):
        raise FollowupError("This person is not a member of the committee.", key="committees.err.not_member",
                            code=str(participant_id))
    bad = [q for q in answers if not 0 <= int(q) < len(questions)]
    if bad:
        raise FollowupError("Unknown question.", key="committees.err.survey_question")
    kept = {int(q): a.strip() for q, a in answers.items() if a and a.strip()}
    if not kept:
        raise FollowupError("No answer to record.", key="committees.err.empty_answer")
    on = (as_day(on) or date.today()).isoformat()
    with db.atomic():
        for q, a in kept.items():
            db["committee_followup_answers"].upsert({"followup_id": followup_id, "participant_id": participant_id,
                                                     "question": q, "answer": a, "answered_on": on},
                                                    pk=("followup_id", "participant_id", "question"))


def list_followups(db: sqlite_utils.Database, committee_id: int) -> list[Followup]:
    recipients = len(list_members(db, committee_id, statuses=("active", "accepted")))
    out = []
    for r in db["committee_followups"].rows_where("committee_id = ?", [committee_id],
                                                  order_by="coalesce(sent_on, created_at) DESC, id DESC"):
        answers: dict[int, dict[int, str]] = {}
        for a in db["committee_followup_answers"].rows_where("followup_id = ?", [r["id"]]):
            answers.setdefault(a["participant_id"], {})[a["question"]] = a["answer"]
        out.append(Followup(id=r["id"], committee_id=committee_id, kind=r["kind"], title=r["title"],
                            body=r["body"] or "", questions=loads(r["questions"], []) or [], sent_on=r["sent_on"],
                            answers=answers, recipients=recipients))
    return out


# ---------------------------------------------------------------- a member's timeline

def member_timeline(db: sqlite_utils.Database, committee_id: int, participant_id: int) -> list[dict]:
    """Everything that happened between the committee and one member, oldest first:
    recruitment steps, sessions (with attendance and incentive), follow-ups received and answered."""
    events: list[dict] = []
    member = db.execute("SELECT id, created_at FROM committee_members WHERE committee_id = ? AND participant_id = ?",
                        [committee_id, participant_id]).fetchone()
    if member is None:
        raise FollowupError("This person is not a member of the committee.", key="committees.err.not_member",
                            code=str(participant_id))
    for e in db["committee_member_events"].rows_where("member_id = ?", [member[0]], order_by="on_date, id"):
        events.append({"date": e["on_date"], "kind": "status", "what": e["status"], "detail": e["note"] or ""})
    joined = events[0]["date"] if events else member[1][:10]
    for r in db.execute("""SELECT s.starts_at, s.title, s.status, a.status, a.incentive, a.incentive_kind
                           FROM committee_attendance a JOIN committee_sessions s ON s.id = a.session_id
                           WHERE s.committee_id = ? AND a.participant_id = ?""", [committee_id, participant_id]):
        events.append({"date": r[0][:10], "kind": "session", "what": r[3], "detail": r[1] or "",
                       "incentive": r[4] or 0.0, "incentive_kind": r[5] or "", "session_status": r[2]})
    for f in list_followups(db, committee_id):
        if f.sent_on and f.sent_on >= joined:
            answered = participant_id in f.answers
            events.append({"date": f.sent_on, "kind": f"followup_{f.kind}", "what": "answered" if answered else "sent",
                           "detail": f.title})
    return sorted(events, key=lambda e: (e["date"], e["kind"] != "status"))


# ---------------------------------------------------------------- reminders

@dataclass
class Reminder:
    key: str  # translation key of the message
    severity: str  # info | warning | error
    params: dict = field(default_factory=dict)
    due: str | None = None


def reminders(db: sqlite_utils.Database, committee_id: int, *, today: date | None = None, horizon_days: int = 21,
              now: datetime | None = None) -> list[Reminder]:
    """What is due for this committee, most urgent first."""
    from research.committee_sessions import incentives_in_year, list_actions, list_sessions

    today = today or date.today()
    committee = get_committee(db, committee_id)
    out: list[Reminder] = []
    upcoming = [s for s in list_sessions(db, committee_id, include_cancelled=False)
                if s.status == "planned" and s.starts_at.date() >= today]
    if upcoming:
        s = upcoming[0]
        days = (s.starts_at.date() - today).days
        if days <= horizon_days:
            out.append(Reminder("committees.rem.next_session", "warning" if days <= 7 else "info",
                                {"days": days, "date": s.starts_at},
                                s.starts_at.date().isoformat()))
            invited = db["committee_attendance"].count_where("session_id = ?", [s.id])
            if not invited:
                out.append(Reminder("committees.rem.no_invitations", "warning", {"date": s.starts_at.date()},
                                    s.starts_at.date().isoformat()))
            agenda = db["committee_agenda_items"].count_where("session_id = ?", [s.id])
            if not agenda:
                out.append(Reminder("committees.rem.no_agenda", "warning", {"date": s.starts_at.date()},
                                    s.starts_at.date().isoformat()))
    else:
        out.append(Reminder("committees.rem.no_session_planned", "warning", {}))
    for a in list_actions(db, committee_id, today=today):
        if a.overdue:
            out.append(Reminder("committees.rem.action_overdue", "error",
                                {"text": a.text, "owner": a.owner, "due": as_day(a.due_on)}, a.due_on))
    from research.access import may_invite

    # a consent that lapses before the next session (or within a month) is renewed now
    lapse_check = upcoming[0].starts_at.date() if upcoming else today + timedelta(days=30)
    for m in list_members(db, committee_id, statuses=("invited", "accepted", "active"), on=today):
        if not m.has_consent:
            out.append(Reminder("committees.rem.member_without_consent", "error", {"code": m.code}))
        elif not may_invite(db, m.participant_id, lapse_check):
            out.append(Reminder("committees.rem.consent_expiring", "warning",
                                {"code": m.code, "date": lapse_check}, lapse_check.isoformat()))
        if m.planned_end and m.status == "active" and m.planned_end <= (today + timedelta(days=90)).isoformat():
            out.append(Reminder("committees.rem.term_ending", "info", {"code": m.code, "end": as_day(m.planned_end)},
                                m.planned_end))
        if committee.incentive_cap:
            given = incentives_in_year(db, committee_id, m.participant_id, today.year)
            if given >= 0.8 * committee.incentive_cap:
                out.append(Reminder("committees.rem.incentive_near_cap", "info",
                                    {"code": m.code, "given": given, "cap": committee.incentive_cap}))
    for f in list_followups(db, committee_id):
        if f.kind == "survey" and f.sent_on and f.recipients:
            missing = f.recipients - len(f.answers)
            if missing > 0 and (today - date.fromisoformat(f.sent_on)).days >= 7:
                out.append(Reminder("committees.rem.survey_unanswered", "info",
                                    {"title": f.title, "missing": missing}))
    order = {"error": 0, "warning": 1, "info": 2}
    return sorted(out, key=lambda r: (order[r.severity], r.due or "9999"))


__all__ = ["Followup", "FollowupError", "Reminder", "FOLLOWUP_KINDS", "add_followup", "mark_sent", "record_answers",
           "list_followups", "member_timeline", "reminders"]
