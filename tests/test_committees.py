"""Customer committees: recruitment, quotas and consent, the series, sessions, incentives, follow-ups, .ics."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import holidays
import icalendar
import pytest

from research import committee_calendar as K
from research import committee_followups as F
from research import committee_sessions as S
from research import committees as C
from research.consents import record_consent, withdraw_consent
from research.errors import DomainError
from research.store import row_version
from research.participants import create_participant
from research.personas import Persona, save_persona
from ui.i18n import t

TODAY = date.today()
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture()
def panel(fresh_db):
    """A committee with three persona quotas of 2 and, per persona, three customers who consented."""
    db = fresh_db
    personas = [save_persona(db, Persona(name, "", [], [], [], "", "")) for name in ("Familles", "Seniors", "TNS")]
    people = {}
    for p_i, persona_id in enumerate(personas):
        for n in range(3):
            pid = create_participant(db, "customer", persona_id=persona_id)
            record_consent(db, pid, date(2024, 1, 1), ["committee", "interview"])
            people.setdefault(persona_id, []).append(pid)
    cid = C.create_committee(db, "Comité test", purposes=["knowledge", "cocreation"], facilitator="Animatrice",
                             quotas={p: 2 for p in personas}, incentive_cap=100.0, incentive_bias_threshold=80.0,
                             location="Siège")
    return db, cid, personas, people


def recruit(db, cid, pid, on=None):
    on = on or date(2024, 6, 1)
    mid = C.add_member(db, cid, pid, on=on)
    C.move_member(db, mid, "invited", on=on)
    C.move_member(db, mid, "accepted", on=on)
    C.move_member(db, mid, "active", on=on)
    return mid


def error_key(fn, *args, **kwargs) -> str:
    with pytest.raises(DomainError) as e:
        fn(*args, **kwargs)
    return e.value.key


# ---------------------------------------------------------------- recruitment

def test_recruitment_across_personas_fills_quotas_and_refuses_a_full_one(panel):
    db, cid, personas, people = panel
    for persona_id in personas:
        for pid in people[persona_id][:2]:
            recruit(db, cid, pid)
    board = {q["persona_id"]: q for q in C.quota_board(db, cid)}
    assert all(board[p]["seated"] == 2 and board[p]["full"] for p in personas)
    extra = people[personas[0]][2]
    mid = C.add_member(db, cid, extra)  # a candidate may wait
    assert error_key(C.move_member, db, mid, "invited") == "committees.err.quota_full"
    assert [m.status for m in C.list_members(db, cid) if m.participant_id == extra] == ["candidate"]
    assert C.quota_board(db, cid)[0]["candidates"] == 1


def test_invitation_needs_a_valid_committee_consent(panel):
    db, cid, personas, _ = panel
    pid = create_participant(db, "customer", persona_id=personas[1])
    record_consent(db, pid, TODAY - timedelta(days=10), ["interview"])  # not for committees
    mid = C.add_member(db, cid, pid)
    assert error_key(C.move_member, db, mid, "invited") == "committees.err.no_consent"
    assert error_key(C.add_member, db, cid, create_participant(db, "customer"), status="invited") == \
        "committees.err.no_consent"
    assert [m.status for m in C.list_members(db, cid) if m.participant_id == pid] == ["candidate"]


def test_pipeline_moves_are_checked_and_dated(panel):
    db, cid, personas, people = panel
    pid = people[personas[0]][0]
    mid = C.add_member(db, cid, pid, on=TODAY - timedelta(days=20))
    assert error_key(C.move_member, db, mid, "active") == "committees.err.transition"
    assert error_key(C.move_member, db, mid, "invited", on=TODAY + timedelta(days=3)) == "committees.err.future_step"
    assert error_key(C.move_member, db, mid, "invited", on=TODAY - timedelta(days=30)) == "committees.err.step_order"
    with pytest.raises(DomainError) as e:  # both days as the reader writes them, not as stored
        C.move_member(db, mid, "invited", on=TODAY - timedelta(days=30))
    early, added = TODAY - timedelta(days=30), TODAY - timedelta(days=20)
    assert f"({early:%d/%m/%Y}) serait antérieure à la précédente ({added:%d/%m/%Y})" in t(e.value.key, "fr",
                                                                                           **e.value.params)
    assert error_key(C.add_member, db, cid, pid) == "committees.err.member_exists"
    employee = create_participant(db, "employee")
    assert error_key(C.add_member, db, cid, employee) == "committees.err.employee_member"
    C.move_member(db, mid, "invited", on=TODAY - timedelta(days=10))
    C.move_member(db, mid, "accepted", on=TODAY - timedelta(days=5))
    C.move_member(db, mid, "active", on=TODAY - timedelta(days=5))
    member = C.list_members(db, cid)[0]
    assert [h["status"] for h in member.history] == ["candidate", "invited", "accepted", "active"]
    assert member.since == (TODAY - timedelta(days=5)).isoformat()
    assert member.planned_end == (date.fromisoformat(member.since).replace(year=date.fromisoformat(member.since).year + 2)
                                  ).isoformat()  # a two-year term by default
    assert error_key(C.set_term, db, mid, "2027-06-01", "2027-01-01") == "committees.err.end_before_start"


def test_committee_settings_are_validated_and_conflicts_detected(fresh_db):
    db = fresh_db
    assert error_key(C.create_committee, db, "  ") == "committees.err.name"
    assert error_key(C.create_committee, db, "X", cadence="weekly") == "committees.err.cadence"
    assert error_key(C.create_committee, db, "X", cadence="custom", rrule="EVERY TUESDAY") == "committees.err.rrule"
    assert error_key(C.create_committee, db, "X", timezone="Mars/Olympus") == "committees.err.timezone"
    assert error_key(C.create_committee, db, "X", start_time="25:00") == "committees.err.time"
    cid = C.create_committee(db, "X")
    assert error_key(C.create_committee, db, "X") == "committees.err.name_taken"
    seen = row_version(db, "committees", cid)
    C.update_committee(db, cid, based_on=seen, location="Nantes")
    from research.store import ConflictError
    with pytest.raises(ConflictError):
        C.update_committee(db, cid, based_on=seen, location="Niort")
    assert C.get_committee(db, cid).location == "Nantes"


# ---------------------------------------------------------------- the series

def test_quarterly_series_avoids_weekends_holidays_and_breaks(panel):
    db, cid, _, _ = panel
    # Thursday 22 May 2031 is Ascension Day; three months later falls in the August break and
    # November's second Thursday is Armistice Day
    ids = S.generate_series(db, cid, "2031-05-22", 4)
    sessions = S.list_sessions(db, cid)
    days = [s.starts_at.date() for s in sessions]
    assert len(ids) == 4 and [s.number for s in sessions] == [1, 2, 3, 4]
    fr = holidays.country_holidays("FR", years=[2031, 2032])
    assert all(d.weekday() == 3 and d not in fr and not S.in_break(d) for d in days), days
    assert days[0] == date(2031, 5, 29)
    assert days[1] == date(2031, 8, 28)
    assert all(abs((b - a).days - 91) <= 14 for a, b in zip(days, days[1:])), days
    assert all(s.starts_at.time() == time(18, 30) and s.starts_at.tzinfo.key == "Europe/Paris" for s in sessions)


def test_monthly_and_custom_cadences(fresh_db):
    db = fresh_db
    monthly = C.get_committee(db, C.create_committee(db, "M", cadence="monthly", weekday=1))
    days = S.series_dates(monthly, date(2031, 1, 1), 6)
    assert [d.month for d in days] == [1, 2, 3, 4, 5, 6] and all(d.weekday() == 1 for d in days)
    custom = C.get_committee(db, C.create_committee(db, "C", cadence="custom",
                                                    rrule="FREQ=MONTHLY;INTERVAL=4;BYDAY=TU;BYSETPOS=2"))
    days = S.series_dates(custom, date(2031, 1, 1), 3)
    assert days == [date(2031, 1, 14), date(2031, 5, 13), date(2031, 9, 9)]


def test_past_overlapping_and_impossible_sessions_are_refused_and_nothing_half_stored(panel):
    db, cid, _, _ = panel
    assert error_key(S.add_session, db, cid, datetime.combine(TODAY - timedelta(days=3), time(18, 30))) == \
        "committees.err.past"
    assert error_key(S.add_session, db, cid, datetime.combine(TODAY + timedelta(days=3), time(18, 30)),
                     status="held") == "committees.err.held_future"
    assert error_key(S.add_session, db, cid, "2031-02-30 18:30") == "committees.err.datetime"
    second = S.series_dates(C.get_committee(db, cid), date(2031, 3, 6), 4)[1]
    S.add_session(db, cid, datetime.combine(second, time(18, 30)))
    assert error_key(S.add_session, db, cid, datetime.combine(second, time(20, 0))) == "committees.err.overlap"
    assert error_key(S.add_session, db, cid, "2031-06-26 18:30", duration_minutes=5) == "committees.err.duration"
    # a series that would clash with the existing session stores none of its sessions
    assert error_key(S.generate_series, db, cid, "2031-03-06", 4) == "committees.err.overlap"
    assert len(S.list_sessions(db, cid)) == 1


def test_rescheduling_bumps_the_calendar_sequence(panel):
    db, cid, _, _ = panel
    sid = S.add_session(db, cid, "2031-06-05 18:30")
    seen = row_version(db, "committee_sessions", sid)
    S.update_session(db, sid, starts_at="2031-06-12 18:00", based_on=seen)
    after = S.get_session(db, sid)
    assert after.sequence == 1 and after.starts_at.day == 12
    from research.store import ConflictError
    with pytest.raises(ConflictError):
        S.update_session(db, sid, title="Late edit", based_on=seen)


# ---------------------------------------------------------------- a session that took place

@pytest.fixture()
def held_session(panel):
    db, cid, personas, people = panel
    members = [people[p][i] for p in personas for i in range(2)]
    for pid in members:
        recruit(db, cid, pid)
    sid = S.add_session(db, cid, "2025-03-06 18:30", status="held", title="Séance test")
    assert S.invite(db, sid) == 6
    return db, cid, sid, members


def test_attendance_and_ab_item(held_session):
    db, cid, sid, members = held_session
    for pid in members[:5]:
        S.set_attendance(db, sid, pid, "attended")
    S.set_attendance(db, sid, members[5], "no_show")
    item = S.add_agenda_item(db, sid, "ab_test", "Deux affiches", option_a="Affiche A", option_b="Affiche B")
    assert error_key(S.add_agenda_item, db, sid, "ab_test", "Sans B", option_a="A") == "committees.err.ab_options"
    assert error_key(S.record_item_outcome, db, item, votes_a=4, votes_b=3) == "committees.err.votes_count"
    S.record_item_outcome(db, item, votes_a=1, votes_b=4, preference_notes="B plus concrète")
    agenda = S.list_agenda(db, sid)
    assert agenda[0].preferred == "b" and agenda[0].votes_b == 4
    trend = S.attendance_trend(db, cid)[0]
    assert (trend["invited"], trend["attended"], trend["no_show"]) == (6, 5, 1)
    assert trend["rate"] == pytest.approx(5 / 6)
    assert C.list_members(db, cid)[0].sessions_attended == 1


def test_an_agenda_is_reordered_and_stays_numbered_when_an_item_goes(held_session):
    db, cid, sid, members = held_session
    ids = [S.add_agenda_item(db, sid, "other", title) for title in ("Accueil", "Remboursements", "Application")]
    S.move_agenda_item(db, ids[2], -1)
    assert [(i.position, i.title) for i in S.list_agenda(db, sid)] == [
        (1, "Accueil"), (2, "Application"), (3, "Remboursements")]
    S.move_agenda_item(db, ids[0], -1)  # already first: stays
    S.delete_agenda_item(db, ids[0])
    assert [(i.position, i.title) for i in S.list_agenda(db, sid)] == [(1, "Application"), (2, "Remboursements")]
    assert error_key(S.delete_agenda_item, db, ids[0]) == "committees.err.agenda_not_found"


def test_listeners_are_employees_and_members_need_consent(held_session):
    db, cid, sid, members = held_session
    employee = create_participant(db, "employee")
    assert error_key(S.invite, db, sid, [members[0]], role="listener") == "committees.err.listener_kind"
    S.invite(db, sid, [employee], role="listener")
    assert error_key(S.give_incentive, db, sid, employee, 20) == "committees.err.listener_incentive"
    outsider = create_participant(db, "customer")
    assert error_key(S.invite, db, sid, [outsider]) == "committees.err.not_member"


def test_incentives_are_capped_per_year_and_large_ones_warned(held_session):
    db, cid, sid, members = held_session
    pid = members[0]
    assert S.give_incentive(db, sid, pid, 60, "bon d'achat") == []
    later = S.add_session(db, cid, "2025-06-05 18:30", status="held")  # same year: the cap is 100
    S.invite(db, later)
    assert error_key(S.give_incentive, db, later, pid, 50) == "committees.err.incentive_cap"
    with pytest.raises(DomainError) as refused:
        S.give_incentive(db, later, pid, 50.5)
    from ui.i18n import t
    assert t(refused.value.key, lang="fr", **refused.value.params) == (
        "50,50 € dépasserait le plafond annuel : déjà 60,00 € reçus en 2025, plafond 100,00 €.")
    assert t(refused.value.key, lang="en", **refused.value.params).startswith("€50.50 would exceed")
    assert S.give_incentive(db, later, pid, 40) == []
    next_year = S.add_session(db, cid, "2026-01-08 18:30", status="held")
    S.invite(db, next_year)
    assert S.give_incentive(db, next_year, pid, 60) == []  # a new year, a new cap
    assert S.give_incentive(db, sid, members[1], 90) == ["committees.warn.incentive_bias"]
    assert error_key(S.give_incentive, db, sid, members[2], -5) == "committees.err.amount_negative"
    given = {a.code: a.incentive for a in S.list_attendance(db, sid)}
    assert sorted(given.values())[-2:] == [60.0, 90.0]


def test_outputs_minutes_files_actions_and_analysis(held_session, tmp_path):
    db, cid, sid, members = held_session
    assert error_key(S.send_to_analysis, db, sid) == "committees.err.no_minutes"
    S.set_minutes(db, sid, "Les membres trouvent le décompte illisible. Ils aiment le conseiller qui rappelle vite.")
    assert error_key(S.send_to_analysis, db, sid) == "committees.err.no_attendees"
    for pid in members[:3]:
        S.set_attendance(db, sid, pid, "attended")
    iid = S.send_to_analysis(db, sid)
    interview = db["interviews"].get(iid)
    assert interview["mode"] == "focus_group" and interview["status"] == "done"
    assert db["utterances"].count_where("interview_id = ?", [iid]) >= 1
    assert db["interview_participants"].count_where("interview_id = ?", [iid]) == 3
    assert S.send_to_analysis(db, sid) == iid  # sending again updates the same interview

    fid = S.add_file(db, sid, "photo atelier.jpg", b"\xff\xd8\xff fake jpeg", tmp_path)
    stored = S.list_files(db, sid)[0]
    assert stored["id"] == fid and stored["kind"] == "photo" and open(stored["path"], "rb").read().startswith(b"\xff\xd8")
    assert error_key(S.add_file, db, sid, "copie.jpg", b"\xff\xd8\xff fake jpeg", tmp_path) == \
        "committees.err.file_duplicate"
    assert error_key(S.add_file, db, sid, "virus.exe", b"MZ", tmp_path) == "committees.err.file_type"
    assert error_key(S.add_file, db, sid, "vide.mp3", b"", tmp_path) == "committees.err.file_empty"
    assert all(str(tmp_path) in f["path"] for f in S.list_files(db, sid))

    assert error_key(S.add_action, db, sid, "Refaire le décompte", owner="Produit",
                     due_on=date(2025, 3, 1)) == "committees.err.end_before_start"
    assert error_key(S.add_action, db, sid, "Sans porteur") == "committees.err.action_owner"
    late = S.add_action(db, sid, "Refaire le décompte", owner="Produit", due_on=TODAY - timedelta(days=1))
    S.add_action(db, sid, "Le visuel B est retenu", kind="decision")
    assert S.actions_status(db, cid) == {"done": 0, "open": 0, "overdue": 1}
    S.complete_action(db, late)
    assert S.actions_status(db, cid) == {"done": 1, "open": 0, "overdue": 0}


def test_file_names_cannot_escape_the_files_folder(held_session, tmp_path):
    db, _, sid, _ = held_session
    S.add_file(db, sid, "../../../escape.txt", b"minutes", tmp_path / "files")
    path = S.list_files(db, sid)[0]["path"]
    assert path.startswith(str(tmp_path / "files" / "committees")) and ".." not in path


# ---------------------------------------------------------------- between sessions

def test_followups_timeline_and_reminders(held_session):
    db, cid, sid, members = held_session
    S.set_attendance(db, sid, members[0], "attended")
    S.give_incentive(db, sid, members[0], 85)
    assert error_key(F.add_followup, db, cid, "survey", "Sans question") == "committees.err.survey_questions"
    survey = F.add_followup(db, cid, "survey", "Votre avis", questions=["Clair ?", "À changer ?"],
                            sent_on=TODAY - timedelta(days=10))
    assert error_key(F.record_answers, db, survey, members[0], {0: "  "}) == "committees.err.empty_answer"
    F.record_answers(db, survey, members[0], {0: "Oui", 1: "Rien"})
    F.add_followup(db, cid, "news", "Bientôt", sent_on=TODAY - timedelta(days=3))
    timeline = F.member_timeline(db, cid, members[0])
    kinds = [e["kind"] for e in timeline]
    assert kinds[:4] == ["status"] * 4 and "session" in kinds and "followup_survey" in kinds
    assert [e["what"] for e in timeline if e["kind"] == "followup_survey"] == ["answered"]

    late = S.add_action(db, sid, "Rappeler les seniors", owner="Réclamations", due_on=TODAY - timedelta(days=1))
    consent_id = db.execute("SELECT id FROM consents WHERE participant_id = ?", [members[1]]).fetchone()[0]
    withdraw_consent(db, consent_id, TODAY - timedelta(days=1))
    due = {r.key: r for r in F.reminders(db, cid)}
    assert "committees.rem.action_overdue" in due and due["committees.rem.action_overdue"].params["text"] == \
        "Rappeler les seniors"
    assert due["committees.rem.member_without_consent"].params["code"] == \
        db["participants"].get(members[1])["code"]
    assert "committees.rem.incentive_near_cap" in {r.key for r in F.reminders(db, cid, today=date(2025, 7, 1))}
    assert "committees.rem.survey_unanswered" in due and due["committees.rem.survey_unanswered"].params["missing"] == 5
    assert "committees.rem.no_session_planned" in due
    S.complete_action(db, late)
    S.add_session(db, cid, datetime.combine(TODAY + timedelta(days=5), time(18, 30)))
    due = {r.key: r for r in F.reminders(db, cid)}
    assert "committees.rem.action_overdue" not in due
    assert due["committees.rem.next_session"].params["days"] == 5
    assert "committees.rem.no_agenda" in due and "committees.rem.no_invitations" in due
    from ui.i18n import t

    soon = TODAY + timedelta(days=5)
    assert t("committees.rem.no_agenda", lang="fr", **due["committees.rem.no_agenda"].params) == \
        f"La séance du {soon:%d/%m/%Y} n'a pas encore d'ordre du jour."
    assert t("committees.rem.next_session", lang="en", **due["committees.rem.next_session"].params) == \
        f"Next session in 5 days ({soon.day} {soon:%b} {soon.year} 18:30)."


# ---------------------------------------------------------------- calendar export

def test_series_exports_as_ics_read_back_in_europe_paris(panel):
    db, cid, personas, people = panel
    S.generate_series(db, cid, "2031-01-09", 4)
    cal = icalendar.Calendar.from_ical(K.series_ics(db, cid))
    events = list(cal.walk("VEVENT"))
    assert len(events) == 4
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Paris"]
    starts = [e.decoded("dtstart") for e in events]
    assert all(str(s.tzinfo) == "Europe/Paris" and (s.hour, s.minute) == (18, 30) for s in starts)
    utc = [s.astimezone(timezone.utc) for s in starts]
    assert utc[0].hour == 17 and utc[1].hour == 16  # January in CET, April in CEST
    assert all(e.decoded("dtend") - e.decoded("dtstart") == timedelta(minutes=150) for e in events)
    assert len({str(e["uid"]) for e in events}) == 4
    assert all("Comité test" in str(e["summary"]) and str(e["location"]) == "Siège" for e in events)


def test_member_ics_is_addressed_to_them(panel):
    db, cid, personas, people = panel
    from research.participants import Contact, set_contact

    pid = people[personas[0]][0]
    set_contact(db, pid, Contact(full_name="Claire Martin", email="claire@example.org"))
    recruit(db, cid, pid)
    first, second = S.generate_series(db, cid, "2031-01-09", 2)
    S.invite(db, first)
    assert error_key(K.member_ics, db, cid, people[personas[1]][0]) == "committees.err.no_invitation"
    cal = icalendar.Calendar.from_ical(K.member_ics(db, cid, pid))
    events = list(cal.walk("VEVENT"))
    assert len(events) == 1 and str(events[0]["attendee"]) == "mailto:claire@example.org"
    S.update_session(db, first, status="cancelled")
    cal = icalendar.Calendar.from_ical(K.session_ics(db, first))
    assert str(next(iter(cal.walk("VEVENT")))["status"]) == "CANCELLED"


# ---------------------------------------------------------------- demo and command line

def test_demo_committee_met_twice_and_has_two_sessions_ahead(demo_db_path):
    from research.store import open_database

    db = open_database(demo_db_path)
    committee = C.list_committees(db)[0]
    sessions = S.list_sessions(db, committee.id)
    now = datetime.now(timezone.utc)
    assert [s.status for s in sessions] == ["held", "held", "planned", "planned"]
    assert all(s.starts_at < now for s in sessions[:2]) and all(s.starts_at > now for s in sessions[2:])
    personas = {m.persona_name for m in C.list_members(db, committee.id, statuses=("active",))}
    assert len(personas) == 4
    assert any(i.kind == "ab_test" and i.preferred for s in sessions[:2] for i in S.list_agenda(db, s.id))
    db.close()


def test_cli_exports_the_series(demo_db_path, tmp_path):
    from research.cli import main

    out = tmp_path / "series.ics"
    with pytest.raises(SystemExit) as e:
        main(["committee", "ics", "1", "--out", str(out), "--db", str(demo_db_path)])
    assert e.value.code == 0
    assert len(list(icalendar.Calendar.from_ical(out.read_bytes()).walk("VEVENT"))) == 4
    with pytest.raises(SystemExit) as e:
        main(["committee", "ics", "1", "--member", "P-999", "--out", str(out), "--db", str(demo_db_path)])
    assert e.value.code == 1
