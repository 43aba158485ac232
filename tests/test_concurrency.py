"""Two people editing the same record: the second save gets a clear conflict, never a silent overwrite."""
import pytest

from research import guides as G
from research import journeys as J
from research import participants as P
from research.personas import Persona, get_persona, save_persona
from research.store import ConflictError, row_version


@pytest.fixture
def study(fresh_db):
    db = fresh_db
    jid = J.create_journey(db, "Remboursement")
    macro = J.add_macro_step(db, jid, "La demande")
    step = J.add_step(db, macro, "J'envoie ma facture")
    channel = J.add_channel(db, "Application")
    gid = G.generate_guide(db, jid)
    pid = P.create_participant(db, "customer", contact=P.Contact("Sophie Lemaire", "s@example.org"))
    persona = save_persona(db, Persona("Famille organisée", "Deux enfants"))
    return db, jid, macro, step, channel, gid, pid, persona


def test_step_edits_conflict(study):
    db, _, _, step, *_ = study
    seen = row_version(db, "journey_steps", step)
    J.update_step(db, step, label="J'envoie ma facture par l'appli", based_on=seen)  # Léa saves first
    with pytest.raises(ConflictError):
        J.update_step(db, step, label="J'envoie ma facture par courrier", based_on=seen)  # Marc, from the old version
    assert J.get_step(db, step).label == "J'envoie ma facture par l'appli"


def test_journey_and_macro_step_renames_conflict(study):
    db, jid, macro, *_ = study
    seen, seen_macro = row_version(db, "journeys", jid), row_version(db, "journey_macro_steps", macro)
    J.rename_journey(db, jid, "Remboursement santé", based_on=seen)
    J.rename_macro_step(db, macro, "Avant la demande", based_on=seen_macro)
    with pytest.raises(ConflictError):
        J.rename_journey(db, jid, "Remboursements", based_on=seen)
    with pytest.raises(ConflictError):
        J.rename_macro_step(db, macro, "La demande de remboursement", based_on=seen_macro)
    assert J.get_journey(db, jid).name == "Remboursement santé"


def test_touchpoint_grid_saves_conflict(study):
    db, jid, _, step, channel, *_ = study
    seen = J.touchpoints_version(db, jid)
    J.set_touchpoints(db, [{"step_id": step, "channel_id": channel, "presence": "present"}], journey_id=jid,
                      based_on=seen)
    with pytest.raises(ConflictError):
        J.set_touchpoints(db, [{"step_id": step, "channel_id": channel, "presence": "redundant"}], journey_id=jid,
                          based_on=seen)
    assert J.touchpoints(db, jid)[(step, channel)].presence == "present"


def test_guide_section_and_name_edits_conflict(study):
    db, *_, gid, _, _ = study
    section = G.get_guide(db, gid).sections[0]
    seen = row_version(db, "guide_sections", section.id)
    G.update_section(db, section.id, title="Accueil", questions=["Pouvez-vous vous présenter ?"], minutes=5,
                     based_on=seen)
    with pytest.raises(ConflictError):
        G.update_section(db, section.id, title="Présentation", questions=["Qui êtes-vous ?"], minutes=5, based_on=seen)
    assert G.get_guide(db, gid).sections[0].title == "Accueil"
    seen = row_version(db, "guides", gid)
    G.rename_guide(db, gid, "Guide clients", based_on=seen)
    with pytest.raises(ConflictError):
        G.rename_guide(db, gid, "Guide adhérents", based_on=seen)


def test_persona_and_contact_edits_conflict(study):
    db, *_, pid, persona = study
    seen = row_version(db, "personas", persona)
    save_persona(db, Persona("Famille organisée", "Trois enfants", id=persona), based_on=seen)
    with pytest.raises(ConflictError):
        save_persona(db, Persona("Famille organisée", "Un enfant", id=persona), based_on=seen)
    assert get_persona(db, persona).profile == "Trois enfants"
    seen = P.contact_version(db, pid)
    P.set_contact(db, pid, P.Contact("Sophie Lemaire", "sophie@example.org"), based_on=seen)
    with pytest.raises(ConflictError):
        P.set_contact(db, pid, P.Contact("Sophie Lemaire", "lemaire@example.org"), based_on=seen)
    assert P.get_contact(db, pid).email == "sophie@example.org"


def test_a_second_editor_sees_a_conflict_message_on_the_page(demo_db_path, monkeypatch):
    """Léa has a guide section open; Marc saves it first; Léa's save shows the conflict and keeps Marc's words."""
    from research.store import open_database
    from tests.test_app import ROOT, signed_in

    monkeypatch.setenv("ECOUTE_DB", str(demo_db_path))
    monkeypatch.chdir(ROOT)
    db = open_database(demo_db_path)
    guide = G.list_guides(db)[0]
    section = G.get_guide(db, guide.id).sections[0]
    lea = signed_in(demo_db_path, "admin")
    lea.run()
    lea.switch_page("pages/guides.py").run()
    G.update_section(db, section.id, title="Marc's title", questions=["Une question de Marc ?"], minutes=7)
    title = [w for w in lea.text_input if w.proto.form_id == f"section_{section.id}"][0]
    title.input("Léa's title")
    [b for b in lea.button if b.proto.form_id == f"section_{section.id}"][0].click().run()
    assert not lea.exception, [e.value for e in lea.exception]
    assert any("quelqu'un" in e.value.lower() or "someone" in e.value.lower() for e in lea.error), \
        [e.value for e in lea.error]
    assert G.get_guide(open_database(demo_db_path), guide.id).sections[0].title == "Marc's title"
