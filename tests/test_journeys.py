"""Journeys: steps in the customer's voice, branches, reordering, duplication, the touchpoint matrix."""
import pytest

from research import journeys as J


@pytest.fixture
def journey(fresh_db):
    jid = J.create_journey(fresh_db, "Me faire rembourser", lang="fr")
    before = J.add_macro_step(fresh_db, jid, "Le soin")
    during = J.add_macro_step(fresh_db, jid, "La demande")
    s1 = J.add_step(fresh_db, before, "Je me soigne")
    s2 = J.add_step(fresh_db, during, "J'envoie ma facture", is_moment_of_truth=True)
    s3 = J.add_step(fresh_db, during, "Je relance", branch_of=s2, branch_kind="unhappy")
    phone = J.add_channel(fresh_db, "Téléphone", "human")
    app = J.add_channel(fresh_db, "Application", "digital")
    return fresh_db, jid, (s1, s2, s3), (phone, app)


def test_steps_come_back_in_journey_order_with_their_macro_step(journey):
    db, jid, (s1, s2, s3), _ = journey
    steps = J.list_steps(db, jid)
    assert [(s.order, s.label, s.macro_step_name) for s in steps] == [
        (1, "Je me soigne", "Le soin"), (2, "J'envoie ma facture", "La demande"), (3, "Je relance", "La demande")]
    assert steps[1].is_moment_of_truth and steps[2].branch_of == s2 and steps[2].branch_kind == "unhappy"


def test_moving_a_step_reorders_its_macro_step(journey):
    db, jid, (s1, s2, s3), _ = journey
    J.move_step(db, s3, -1)
    assert [s.label for s in J.list_steps(db, jid)][1:] == ["Je relance", "J'envoie ma facture"]
    J.move_step(db, s3, -5)  # already first: stays first
    assert J.list_steps(db, jid)[1].label == "Je relance"


@pytest.mark.parametrize("label,lang,expected", [
    ("J'envoie ma facture", "fr", None),
    ("On me rappelle", "fr", None),
    ("Traitement du dossier", "fr", "journeys.voice.company"),
    ("Envoi du contrat au client", "fr", "journeys.voice.company"),
    ("Comparaison des offres", "fr", "journeys.voice.not_first_person"),
    ("I send my bill", "en", None),
    ("Processing of the claim", "en", "journeys.voice.company"),
    ("Quote comparison", "en", "journeys.voice.not_first_person"),
])
def test_voice_warning_flags_the_company_s_process(label, lang, expected):
    assert J.voice_warning(label, lang) == expected


def test_bad_steps_are_refused_and_nothing_is_stored(journey):
    db, jid, (s1, s2, s3), _ = journey
    macro = J.get_journey(db, jid).macro_steps[1].id
    count = db["journey_steps"].count
    for label, key in (("   ", "journeys.err.empty"), ("j'envoie MA facture", "journeys.err.duplicate_step")):
        with pytest.raises(J.JourneyError) as e:
            J.add_step(db, macro, label)
        assert e.value.key == key
    assert db["journey_steps"].count == count


def test_touchpoints_are_validated_and_the_matrix_lists_every_cell(journey):
    db, jid, (s1, s2, s3), (phone, app) = journey
    J.set_touchpoint(db, s2, app, presence="present", initiated_by="customer", volume=5200, satisfaction=4)
    J.set_touchpoint(db, s2, phone, presence="missing", is_break=True, note="Pas de ligne dédiée")
    with pytest.raises(J.JourneyError) as e:
        J.set_touchpoint(db, s1, phone, presence="present", satisfaction=6)
    assert e.value.key == "journeys.err.satisfaction"
    with pytest.raises(J.JourneyError):
        J.set_touchpoints(db, [{"step_id": s1, "channel_id": app, "presence": "present"},
                               {"step_id": s1, "channel_id": phone, "presence": "sometimes"}])
    assert db["touchpoints"].count == 2, "a grid save with one bad cell stores none of it"
    matrix = J.touchpoint_matrix(db, jid)
    assert len(matrix) == 3 * 2
    cell = next(c for c in matrix if c["step_id"] == s2 and c["channel_id"] == phone)
    assert cell["presence"] == "missing" and cell["is_break"] and cell["note"] == "Pas de ligne dédiée"
    J.set_touchpoint(db, s2, phone)  # emptied: the cell goes away
    assert db["touchpoints"].count == 1


def test_duplicate_copies_steps_branches_and_touchpoints(journey):
    db, jid, (s1, s2, s3), (phone, app) = journey
    J.set_touchpoint(db, s3, phone, presence="present", satisfaction=2)
    copy = J.duplicate_journey(db, jid, "Me faire rembourser (2027)")
    steps = J.list_steps(db, copy)
    assert [s.label for s in steps] == [s.label for s in J.list_steps(db, jid)]
    branch = steps[2]
    assert branch.branch_of == steps[1].id and branch.id != s3
    assert J.touchpoints(db, copy)[(branch.id, phone)].satisfaction == 2
    with pytest.raises(J.JourneyError) as e:
        J.duplicate_journey(db, jid, "me faire rembourser")
    assert e.value.key == "journeys.err.duplicate_journey"


def test_templates_give_first_person_steps(fresh_db):
    jid = J.create_from_template(fresh_db, "purchase", "Acheter", "fr")
    labels = [s.label for s in J.list_steps(fresh_db, jid)]
    assert len(labels) == 10 and all(J.voice_warning(label, "fr") is None for label in labels)


def test_deleting_a_step_removes_its_branches_and_cells(journey):
    db, jid, (s1, s2, s3), (phone, app) = journey
    J.set_touchpoint(db, s3, phone, presence="present")
    J.delete_step(db, s2)
    assert [s.label for s in J.list_steps(db, jid)] == ["Je me soigne"]
    assert db["touchpoints"].count == 0
