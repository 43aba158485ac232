"""The committee pages driven as an organiser would, through Streamlit's AppTest on a copy of the demo."""
from __future__ import annotations

from datetime import date

import pytest

from research import committee_sessions as S
from research import committees as C
from research.store import open_database
from tests.test_app import ROOT, signed_in
from ui import keys


@pytest.fixture
def organiser_app(demo_db_path, monkeypatch):
    monkeypatch.setenv("ECOUTE_DB", str(demo_db_path))
    monkeypatch.chdir(ROOT)
    return demo_db_path


def open_page(db_path, page: str, lang: str = "fr"):
    at = signed_in(db_path, "comites", lang)
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_an_organiser_creates_a_committee_from_the_new_committee_tab(organiser_app):
    at = open_page(organiser_app, "pages/committees.py")
    at.text_input(key="committee_new.name").input("Comité des indépendants")
    at.number_input(key="committee_new.target").set_value(8)
    at.selectbox(key="committee_new.cadence").set_value("half_yearly")
    at.number_input(key="committee_new.q3").set_value(5)
    form_buttons = [b for b in at.button if b.proto.form_id == "committee_new"]
    form_buttons[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    db = open_database(organiser_app)
    created = [c for c in C.list_committees(db) if c.name == "Comité des indépendants"][0]
    assert (created.target_size, created.cadence, created.quotas) == (8, "half_yearly", {3: 5})
    assert at.session_state["ecoute.committee_id"] == created.id
    logged = [(r["actor"], r["action"], r["entity"]) for r in db["audit_log"].rows_where("entity = 'committees'")]
    assert ("comites", "create", "committees") in logged, "the change is in the audit log with who made it"


def test_the_dashboard_says_what_is_due_in_english(organiser_app):
    at = open_page(organiser_app, "pages/committees.py", "en")
    text = " ".join(m.value for m in at.markdown)
    assert "Overdue action" in text and "P-017" in text
    labels = [m.label for m in at.metric]
    assert "Next session" in labels and "Active members / target" in labels
    assert [m.value for m in at.metric if m.label == "Active members / target"] == ["11 / 12"]


def add_to_pipeline(db_path, code: str, status: str):
    db = open_database(db_path)
    at = open_page(db_path, "pages/committee_members.py")
    at.selectbox(key="member_add.who").set_value(next(db["participants"].rows_where("code = ?", [code]))["id"])
    at.selectbox(key="member_add.status").set_value(status)
    [b for b in at.button if b.proto.form_id == "member_add"][0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_inviting_without_consent_or_into_a_full_quota_gives_a_message_and_stores_nothing(organiser_app):
    committee = C.list_committees(open_database(organiser_app))[0]
    at = add_to_pipeline(organiser_app, "P-001", "invited")  # consented to interviews, not to committees
    assert any("consentement" in e.value for e in at.error), [e.value for e in at.error]
    at = add_to_pipeline(organiser_app, "P-014", "invited")  # a family: that quota is full in the demo
    assert any("complet" in e.value for e in at.error), [e.value for e in at.error]
    codes = {m.code for m in C.list_members(open_database(organiser_app), committee.id)}
    assert not codes & {"P-001", "P-014"}
    add_to_pipeline(organiser_app, "P-014", "candidate")  # a candidate may wait for a seat
    assert "P-014" in {m.code for m in C.list_members(open_database(organiser_app), committee.id,
                                                       statuses=("candidate",))}


def test_the_dashboard_copes_with_a_held_session_whose_attendance_is_not_taken_yet(organiser_app):
    from datetime import datetime, time, timedelta

    db = open_database(organiser_app)
    committee = C.list_committees(db)[0]
    S.add_session(db, committee.id, datetime.combine(date.today() - timedelta(days=10), time(10, 0)), status="held")
    at = open_page(organiser_app, "pages/committees.py")
    assert [m.value for m in at.metric if m.label == "Présence, dernière séance"] == ["82\u202f%"]  # narrow no-break space


def test_each_session_offers_its_report_to_share_in_word_and_html(organiser_app):
    at = open_page(organiser_app, "pages/committee_sessions.py")
    downloads = {getattr(b, "key", None) for b in at.get("download_button")}
    assert {"session_report.docx", "session_report.html"} <= downloads
    assert any("sans nom ni incitation" in c.value for c in at.caption)


@pytest.mark.parametrize("page", ["committees", "committee_members", "committee_sessions", "committee_followups"])
def test_committee_pages_on_a_workspace_without_committees(db_path, monkeypatch, page):
    from research.auth import create_first_admin

    db = open_database(db_path)
    create_first_admin(db, "claire", "un-mot-de-passe-long")
    db.close()
    monkeypatch.setenv("ECOUTE_DB", str(db_path))
    monkeypatch.chdir(ROOT)
    at = signed_in(db_path, "claire", "en")
    at.run()
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("No committee yet" in i.value for i in at.info)


def test_an_organiser_reorders_the_agenda_and_removes_an_item(organiser_app):
    at = open_page(organiser_app, "pages/committee_sessions.py")
    sid = at.session_state[keys.COMMITTEE_SESSION_ID]
    db = open_database(organiser_app)
    before = S.list_agenda(db, sid)
    assert len(before) >= 2, "the demo session shown first has an agenda"
    assert at.button(key=f"agenda_move_{before[0].id}_-1").disabled  # the first cannot go up
    at.button(key=f"agenda_move_{before[1].id}_-1").click().run()
    assert not at.exception
    assert [i.id for i in S.list_agenda(db, sid)][:2] == [before[1].id, before[0].id]
    at.button(key=f"agenda_delete_{before[0].id}").click().run()
    assert not at.exception
    after = S.list_agenda(db, sid)
    assert before[0].id not in [i.id for i in after]
    assert [i.position for i in after] == list(range(1, len(before)))


def test_a_click_on_an_agenda_item_removed_meanwhile_changes_nothing_else(organiser_app):
    at = open_page(organiser_app, "pages/committee_sessions.py")
    sid = at.session_state[keys.COMMITTEE_SESSION_ID]
    db = open_database(organiser_app)
    first = S.list_agenda(db, sid)[0]
    S.delete_agenda_item(db, first.id)  # from another session, while this page still shows it
    left = [(i.id, i.position) for i in S.list_agenda(db, sid)]
    at.button(key=f"agenda_move_{first.id}_1").click().run()
    assert not at.exception and not at.error
    assert [(i.id, i.position) for i in S.list_agenda(db, sid)] == left
