"""Calendar export of committee sessions as iCalendar (RFC 5545) files, with their time zone.

One session, the whole series of a committee, or the invitations of one member. Times are written
with a TZID and the matching VTIMEZONE so calendars show them at the right local hour; each event
has a stable UID so re-importing an updated file updates the events instead of duplicating them,
and a SEQUENCE that grows when a session is edited; cancelled sessions are exported as cancelled.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import sqlite_utils
from icalendar import Calendar, Event, vCalAddress, vText

from research.committee_sessions import get_session, list_agenda, list_sessions
from research.committees import CommitteeError, get_committee

PRODID = "-//Ecoute//Customer committees//FR"


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    return cal


def _event(db, committee, session, attendee_email: str | None = None, attendee_name: str = "") -> Event:
    ev = Event()
    ev.add("uid", f"ecoute-committee-{committee.id}-session-{session.id}@ecoute.local")
    ev.add("dtstamp", datetime.now(timezone.utc))
    ev.add("dtstart", session.starts_at)
    ev.add("dtend", session.ends_at)
    number = f" #{session.number}" if session.number else ""
    ev.add("summary", f"{committee.name}{number}" + (f" — {session.title}" if session.title else ""))
    if session.location:
        ev.add("location", session.location)
    lines = []
    if session.format:
        lines.append(session.format)
    if committee.facilitator:
        lines.append(f"Animation : {committee.facilitator}")
    agenda = list_agenda(db, session.id)
    if agenda:
        lines.append("")
        lines.append("Ordre du jour :")
        lines += [f"{i}. {item.title}" for i, item in enumerate(agenda, 1)]
    if lines:
        ev.add("description", "\n".join(lines))
    ev.add("status", {"cancelled": "CANCELLED"}.get(session.status, "CONFIRMED"))
    ev.add("sequence", session.sequence)
    ev.add("transp", "OPAQUE")
    if committee.owner:
        organizer = vCalAddress("mailto:noreply@ecoute.local")
        organizer.params["cn"] = vText(committee.owner)
        ev["organizer"] = organizer
    if attendee_email:
        attendee = vCalAddress(f"mailto:{attendee_email}")
        if attendee_name:
            attendee.params["cn"] = vText(attendee_name)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        attendee.params["partstat"] = vText("NEEDS-ACTION")
        ev.add("attendee", attendee, encode=0)
    return ev


def _finish(cal: Calendar) -> bytes:
    starts = [c.decoded("dtstart") for c in cal.walk("VEVENT")]
    # VTIMEZONE transitions only around the exported sessions, not since 1970
    cal.add_missing_timezones(first_date=(min(starts) - timedelta(days=366)).date(),
                              last_date=(max(starts) + timedelta(days=366)).date())
    return cal.to_ical()


def session_ics(db: sqlite_utils.Database, session_id: int) -> bytes:
    session = get_session(db, session_id)
    committee = get_committee(db, session.committee_id)
    cal = _calendar(committee.name)
    cal.add_component(_event(db, committee, session))
    return _finish(cal)


def series_ics(db: sqlite_utils.Database, committee_id: int, *, include_past: bool = True) -> bytes:
    committee = get_committee(db, committee_id)
    sessions = list_sessions(db, committee_id)
    if not include_past:
        now = datetime.now(timezone.utc)
        sessions = [s for s in sessions if s.ends_at >= now]
    if not sessions:
        raise CommitteeError("This committee has no session to export.", key="committees.err.no_sessions")
    cal = _calendar(committee.name)
    for s in sessions:
        cal.add_component(_event(db, committee, s))
    return _finish(cal)


def member_ics(db: sqlite_utils.Database, committee_id: int, participant_id: int) -> bytes:
    """The sessions this member (or listening employee) is invited to, addressed to them."""
    from research.participants import get_contact, get_participant

    committee = get_committee(db, committee_id)
    participant = get_participant(db, participant_id)
    invited = {r[0] for r in db.execute(
        """SELECT a.session_id FROM committee_attendance a JOIN committee_sessions s ON s.id = a.session_id
           WHERE s.committee_id = ? AND a.participant_id = ?""", [committee_id, participant_id])}
    sessions = [s for s in list_sessions(db, committee_id) if s.id in invited]
    if not sessions:
        raise CommitteeError(f"{participant.code} is invited to no session.", key="committees.err.no_invitation",
                             code=participant.code)
    contact = get_contact(db, participant_id)
    cal = _calendar(f"{committee.name} — {participant.code}")
    for s in sessions:
        cal.add_component(_event(db, committee, s, contact.email or None, contact.full_name or participant.code))
    return _finish(cal)


__all__ = ["session_ics", "series_ics", "member_ics"]
