"""A committee session's report: what it says, whom it names (codes, never names) and what it leaves out."""
from __future__ import annotations

import html
import io
from datetime import date, timedelta
from functools import partial

import pytest

from research import committee_report as R
from research import committee_sessions as S
from research import committees as C
from research.consents import record_consent
from research.participants import Contact, create_participant
from research.personas import Persona, save_persona
from tests.test_synthesis import u
from ui.i18n import t

FR = partial(t, lang="fr")
EN = partial(t, lang="en")
TODAY = date(2026, 11, 25)


@pytest.fixture()
def committee(fresh_db):
    """Two sessions held (a past one with actions, then the one reported), four members, an employee listening."""
    db = fresh_db
    familles = save_persona(db, Persona("Familles", "", [], [], [], "", ""))
    seniors = save_persona(db, Persona("Seniors", "", [], [], [], "", ""))
    members = []
    for persona, name in ((familles, "Sophie Martin"), (familles, "Karim Benali"), (seniors, "Jeanne Morel"),
                          (seniors, "Michel Durand")):
        pid = create_participant(db, "customer", persona_id=persona, contact=Contact(full_name=name))
        record_consent(db, pid, date(2024, 1, 1), ["committee", "interview"])
        mid = C.add_member(db, committee_id(db), pid, on=date(2024, 6, 1))
        for status in ("invited", "accepted", "active"):
            C.move_member(db, mid, status, on=date(2024, 6, 1))
        members.append(pid)
    cid = committee_id(db)
    employee = create_participant(db, "employee", contact=Contact(full_name="Valérie Roux"))
    first = S.add_session(db, cid, "2025-03-06 18:30", status="held", title="Lancement")
    S.invite(db, first)
    S.add_action(db, first, "Refaire le décompte", owner="Produit", due_on=date(2025, 6, 1))
    late = S.add_action(db, first, "Rappeler sous 48 heures", owner="Réclamations", due_on=date(2025, 5, 1))
    done = S.add_action(db, first, "Afficher le reste à charge", owner="Produit", due_on=date(2025, 9, 1))
    S.complete_action(db, done, on=date(2025, 4, 2))
    second = S.add_session(db, cid, "2025-06-05 18:30", status="held", title="Le parcours digital")
    S.invite(db, second)
    absent = create_participant(db, "employee", contact=Contact(full_name="Paul Noshow"))
    S.invite(db, second, [employee, absent], role="listener")
    for pid in members[:2] + members[3:]:
        S.set_attendance(db, second, pid, "attended")
    S.set_attendance(db, second, members[2], "excused")
    S.set_attendance(db, second, employee, "attended")
    S.give_incentive(db, second, members[0], 45, "bon d'achat")
    item = S.add_agenda_item(db, second, "ab_test", "Écran d'accueil", option_a="Remboursements d'abord",
                             option_b="Garanties d'abord", duration_minutes=35)
    S.record_item_outcome(db, item, votes_a=2, votes_b=1, outcome="La version A part en test.")
    S.set_minutes(db, second, "Les membres trouvent le décompte illisible.\n\nIls aiment le rappel rapide.")
    S.add_action(db, second, "Le visuel B est retenu", kind="decision")
    S.add_action(db, second, "Accuser réception des factures", owner="Produit digital", due_on=date(2025, 9, 1))
    return db, cid, second, members, late


def committee_id(db) -> int:
    existing = C.list_committees(db)
    return existing[0].id if existing else C.create_committee(
        db, "Voix d'adhérents", purposes=["knowledge"], facilitator="Sophie Delorme", owner="Laurent Vasseur",
        sponsor="Hélène Marchetti", location="Siège, La Rochelle")


def text_of(sections) -> str:
    out = []
    for s in sections:
        out += [s["title"], *s.get("paragraphs", [])]
        out += [" | ".join(map(str, row)) for row in (s.get("table") or [])]
        for item in s.get("items", []):
            out += [item.title, item.tag, item.meta, *item.lines, *(q.text for q in item.quotes)]
    return "\n".join(out)


def test_the_report_says_who_came_what_was_decided_and_where_earlier_actions_stand(committee):
    db, cid, sid, members, late = committee
    report = R.gather(db, sid, today=TODAY)
    text = text_of(R.report_sections(report, FR))
    assert R.title_of(report, FR) == "Voix d'adhérents — séance n° 2 du 5 juin 2025"
    assert "Le 5 juin 2025, de 18:30 à 21:00 — Siège, La Rochelle" in text
    assert "Animation : Sophie Delorme · Responsable du comité : Laurent Vasseur · Sponsor : Hélène Marchetti" in text
    assert ("3 membres présents sur 4 invités (1 excusé, 0 absent sans prévenir) ; "
            "1 collaborateur à l'écoute.") in text
    assert "Familles | 2 | 2" in text and "Seniors | 2 | 1" in text
    assert "Version A : Remboursements d'abord — 2 voix ✓" in text and "Version B : Garanties d'abord — 1 voix" in text
    assert "Résultat : La version A part en test." in text
    assert "Les membres trouvent le décompte illisible." in text and "Ils aiment le rappel rapide." in text
    assert "Le visuel B est retenu | — | — | Décision" in text
    assert "Accuser réception des factures | Produit digital | 01/09/2025 | En retard" in text  # on TODAY
    # the first session's actions, as they stand on the day the report is written
    assert "3 actions promises aux séances précédentes : 1 faite, 2 en retard au 25 novembre 2026." in text
    assert "Afficher le reste à charge | Produit | 01/09/2025 | Faite le 02/04/2025" in text
    assert "Rappeler sous 48 heures | Réclamations | 01/05/2025 | En retard" in text
    assert "Le visuel B est retenu" not in text.split("Où en sont les actions")[1], "a decision counted as an action"


def test_members_appear_by_code_never_by_name_and_no_incentive_is_shown(committee):
    from docx import Document

    db, cid, sid, members, _ = committee
    files = R.report_files(db, sid, FR, "fr")
    page = html.unescape(files["html"].decode())
    word = "\n".join(p.text for p in Document(io.BytesIO(files["docx"])).paragraphs)
    word += "\n".join(c.text for table in Document(io.BytesIO(files["docx"])).tables for row in table.rows
                      for c in row.cells)
    for shown in (page, word):
        for name in ("Sophie Martin", "Karim Benali", "Jeanne Morel", "Michel Durand", "Valérie Roux"):
            assert name not in shown
        assert "45" not in shown and "bon d'achat" not in shown
        assert "P-001 (Familles)" in shown and "Collaborateurs à l'écoute : E-001\n" in shown.replace("<", "\n")
        assert "E-002" not in shown, "an employee invited to listen who did not come is not listed"
    english = html.unescape(R.report_files(db, sid, EN, "en")["html"].decode())
    assert "3 members came out of 4 invited (1 excused, 0 absent without notice)" in english
    assert 'lang="en"' in english and "Version A: Remboursements d'abord — 2 votes ✓" in english


def test_a_session_to_come_lists_who_is_invited_and_confirmed(committee):
    db, cid, sid, members, _ = committee
    ahead = S.add_session(db, cid, date.today() + timedelta(days=30), status="planned")
    S.invite(db, ahead)
    S.set_attendance(db, ahead, members[1], "confirmed")
    text = text_of(R.report_sections(R.gather(db, ahead, today=TODAY), FR))
    assert "Séance à venir" in text
    assert "4 membres invités, dont 1 confirmé ; 0 collaborateur invité à l'écoute." in text
    assert "Persona | Invités | Confirmés" in text and "Familles | 2 | 1" in text
    assert "Aucune décision ni action notée pour cette séance." in text
    assert "4 actions promises aux séances précédentes" in text  # both sessions held before it


def test_what_the_analysis_drew_from_the_session_quotes_only_its_consenting_members(committee):
    db, cid, sid, members, _ = committee
    iid = S.send_to_analysis(db, sid)  # once analysed, the session is an interview like the others
    said = [u(1, "irritant", "t1", 3, participant=members[0], interview=iid, text="Le décompte est illisible."),
            u(2, "irritant", "t1", 3, participant=members[1], interview=iid, text="Je n'y comprends rien."),
            u(3, "enchantment", "t3", 2, participant=members[3], interview=iid, text="Le rappel est rapide !"),
            u(4, "irritant", "t9", 3, participant=members[0], interview=iid + 1, text="Une autre étude.")]
    report = R.gather(db, sid, records=said, quotable=lambda participant_id: participant_id != members[0],
                      today=TODAY)
    section = next(s for s in R.report_sections(report, FR) if s["key"] == "findings")
    assert [(i.title, i.tag, i.meta) for i in section["items"]] == [
        ("thème t1", "Irritant", "2 mentions"), ("thème t3", "Enchantement", "1 mention")]
    assert [q.text for i in section["items"] for q in i.quotes] == ["Je n'y comprends rien.", "Le rappel est rapide !"]
    assert "Une autre étude." not in text_of([section])
    assert not any(s["key"] == "findings" for s in R.report_sections(R.gather(db, sid, today=TODAY), FR))


def test_a_bare_session_still_gets_a_report_that_says_what_is_missing(fresh_db):
    from docx import Document

    cid = committee_id(fresh_db)
    sid = S.add_session(fresh_db, cid, date.today() + timedelta(days=20), status="planned")
    report = R.gather(fresh_db, sid, today=TODAY)
    sections = R.report_sections(report, FR)
    assert [s["key"] for s in sections] == ["summary", "attendance", "actions"]
    text = text_of(sections)
    assert "0 membre invité, dont 0 confirmé" in text and "Aucune décision ni action notée" in text
    files = R.report_files(fresh_db, sid, FR, "fr")
    assert Document(io.BytesIO(files["docx"])).paragraphs[0].text.startswith("Voix d'adhérents — séance n° 1 du ")


def test_a_download_reads_the_report_from_the_workspace_file_when_it_is_asked_for(tmp_path):
    from research.store import open_database

    path = tmp_path / "w.db"
    db = open_database(path)
    sid = S.add_session(db, committee_id(db), date.today() + timedelta(days=20), status="planned")
    db.close()
    page = R.report_file(path, sid, "html", FR, "fr").decode()
    assert "Voix d'adhérents — séance n° 1 du " in html.unescape(page) and "Présences" in page
    assert R.report_file(path, sid, "docx", FR, "fr").startswith(b"PK")
