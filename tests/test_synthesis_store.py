"""Reading the stored analysis and keeping the researcher's corrections across re-runs."""
import json
import sys
from pathlib import Path

import pytest

from research import synthesis_store as S
from research.synthesis import agreement

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from synthesis_study import build_study  # noqa: E402


@pytest.fixture
def study(fresh_db):
    build_study(fresh_db, interviews=10, per_interview=20)
    return fresh_db


def rerun(db, relabel=None):
    """A new run, as the engine would leave it: same utterances, machine codes possibly changed."""
    run = S.latest_run(db)["id"] + 1
    with db.atomic():
        db[S.T_RUNS].insert({"id": run, "status": "done", "started_at": "2026-11-22T00:00:00+00:00",
                             "finished_at": "2026-11-22T00:01:00+00:00"})
        rows = []
        for r in db[S.T_CODES].rows_where("run_id = ?", [run - 1]):
            r = dict(r, run_id=run)
            if relabel:
                r["label"] = relabel
            rows.append(r)
        db[S.T_CODES].insert_all(rows)
    return run


def test_records_join_participants_personas_steps_and_themes(study):
    records = S.load_coded(study)
    assert len(records) == 200
    u = records[0]
    assert u.participant_code == "P-001" and u.persona_name == "Prudente" and u.step_label
    assert u.theme_label and u.channel and u.journey_name == "Adhérer et se faire rembourser"
    assert {r.participant_kind for r in records} == {"customer", "employee"}
    assert S.stamp(study) != "none"


def test_a_label_correction_survives_a_rerun_and_keeps_the_machine_answer_for_the_agreement(study):
    first = S.load_coded(study)[0]
    other = "irritant" if first.label != "irritant" else "enchantment"
    before = S.stamp(study)
    S.set_labels(study, {first.utterance_id: other, S.load_coded(study)[1].utterance_id: S.load_coded(study)[1].label})
    assert S.stamp(study) != before
    rerun(study, relabel="neutral")
    after = {u.utterance_id: u for u in S.load_coded(study)}
    assert after[first.utterance_id].label == other and after[first.utterance_id].corrected
    pairs = S.label_pairs(study)
    assert (first.label, other) in pairs and len(pairs) == 2
    assert agreement(pairs).agreed == 1
    assert {"id": str(first.utterance_id), "text": first.text, "label": other} in S.coded_examples(study)


def test_theme_rename_merge_split_and_move_survive_a_rerun(study):
    records = S.load_coded(study)
    themes = sorted({u.theme_id for u in records if u.label == "irritant"})
    a, b = themes[0], themes[1]
    key = S.rename_theme(study, a, "  Délais   de remboursement ")
    merged = S.merge_themes(study, [key, b], "Lenteurs")
    one = next(u for u in records if u.theme_id == themes[2])
    S.move_utterances(study, [one.utterance_id], merged)
    some = [u.utterance_id for u in records if u.label == "enchantment"][:3]
    split = S.split_theme(study, "ignored", some, "Rappel du conseiller")
    rerun(study)
    after = {u.utterance_id: u for u in S.load_coded(study)}
    members_a = [u.utterance_id for u in records if u.theme_id in (a, b)]
    assert all(after[i].theme_label == "Lenteurs" for i in members_a)
    assert not any(after[i].corrected for i in members_a if i != one.utterance_id), "a rename is not a correction"
    assert after[one.utterance_id].theme_id == merged and after[one.utterance_id].corrected
    assert {after[i].theme_id for i in some} == {split}
    assert {r["label"] for r in study["synthesis_themes"].rows} >= {"Lenteurs", "Rappel du conseiller"}


def test_bad_corrections_are_refused_with_a_message(study):
    uid = S.load_coded(study)[0].utterance_id
    with pytest.raises(S.SynthesisError) as e:
        S.set_labels(study, {uid: "furieux"})
    assert e.value.key == "synthesis.err.bad_label"
    with pytest.raises(S.SynthesisError) as e:
        S.set_labels(study, {999999: "irritant"})
    assert e.value.key == "synthesis.err.unknown_utterance"
    with pytest.raises(S.SynthesisError) as e:
        S.rename_theme(study, S.load_coded(study)[0].theme_id, "   ")
    assert e.value.key == "synthesis.err.empty_label"
    with pytest.raises(S.SynthesisError):
        S.merge_themes(study, ["x"], "seul")
    assert S.label_pairs(study) == []


def test_no_analysis_reads_as_empty(fresh_db):
    assert not S.analysis_ready(fresh_db) and S.load_coded(fresh_db) == [] and S.stamp(fresh_db) == "none"


def test_brand_perception_and_archetypes(study):
    evidence = S.brand_perception(study)
    assert {b.value for b in evidence if not b.claimed} == {"Lenteur"}
    assert all(b.quotes for b in evidence)
    customer = next(b for b in evidence if b.value == "Proximité" and b.group == "customer")
    employee = next(b for b in evidence if b.value == "Proximité" and b.group == "employee")
    assert S.gap_verdict(customer, employee) == "aligned"
    stored = next(r for r in study[S.T_BRAND_GAP].rows_where("value = 'Proximité' AND \"group\" = 'customer'"))
    assert [u.utterance_id for u in customer.quotes] == json.loads(stored["evidence"])  # in the analysis's order
    transparency = [b for b in evidence if b.value == "Transparence"]
    assert S.gap_verdict(*sorted(transparency, key=lambda b: b.group)) == "discord"
    assert S.gap_verdict(None, None) == "absent"
    found = S.archetypes(study)
    assert found[0].label == "Les pressés du numérique" and found[0].matched_persona == "Autonome connecté"
    texts = dict(study.execute("SELECT id, text FROM utterances WHERE id IN (1, 21)").fetchall())
    assert [u.text for u in found[0].quotes] == [texts[1], texts[21]]  # stored as utterance ids, read as what was said
    # each trait with who said it, among the archetype's members (the report quotes it only with their consent)
    said_by = dict(study.execute("SELECT text, min(participant_id) FROM analysis_persona_traits GROUP BY text").fetchall())
    assert [(x.text, x.participant_id) for x in found[0].traits] == [
        (text, said_by.get(text)) for text in ["je fais tout sur l'appli", "je n'ai pas le temps"]]
    assert any(x.participant_id for x in found[0].traits)
    assert found[1].traits[0].participant_id is None  # said by none of its members: nobody to ask
    # of its members 1..39, the study's ten participants were recruited in turn as its four personas
    assert found[0].recruited_as == [("Autonome connecté", 3), ("Prudente", 3), ("Famille pressée", 2),
                                     ("Senior accompagné", 2)]


def test_persona_traits_come_with_who_said_them_by_kind_each_participant_in_turn(study):
    with study.atomic():
        study[S.T_TRAITS].delete_where()
        study[S.T_TRAITS].insert_all([{"run_id": 1, "participant_id": pid, "text": text, "kind": kind} for pid, text, kind in [
            (1, "D'habitude je passe par l'appli.", "habit"), (1, "Je suis infirmière.", "self"),
            (1, "J'ai deux enfants.", "self"), (5, "Je suis retraitée.", "self"), (5, "Je préfère appeler.", "preference"),
            (5, "Je suis retraitée.", "self"), (2, "Je suis commercial.", "self")]])
    traits = S.traits_for_persona(study, 1)  # participants 1, 5 and 9 were recruited as "Prudente"
    assert [(t.kind, t.text, t.participant_code) for t in traits] == [
        ("self", "Je suis infirmière.", "P-001"), ("self", "Je suis retraitée.", "P-005"),
        ("self", "J'ai deux enfants.", "P-001"), ("preference", "Je préfère appeler.", "P-005"),
        ("habit", "D'habitude je passe par l'appli.", "P-001")]


def test_the_demo_is_analysed_when_the_engine_is_there(study, monkeypatch):
    calls, said = [], []

    def fake_engine(db, progress=None, labels=None):
        calls.append(labels)
        for i in range(5):
            progress(i + 1, 5, "codes")

    monkeypatch.setattr(S, "analysis_engine", lambda: fake_engine)
    S.set_labels(study, {S.load_coded(study)[0].utterance_id: "irritant"})
    assert S.analyze_demo(study, echo=said.append)
    assert len(calls[0]) == 1 and calls[0][0]["label"] == "irritant"
    assert said[0].startswith("analysing") and said[-1].startswith("analysis: 100 %")
    monkeypatch.setattr(S, "analysis_engine", lambda: None)
    said.clear()
    assert not S.analyze_demo(study, echo=said.append) and "not installed" in said[0]


def test_utterances_without_a_channel_get_the_one_they_name_or_the_one_just_spoken_of(study):
    first, second, third = [u for u in S.load_coded(study) if u.interview_id == 1][:3]
    with study.atomic():
        study.execute(f"UPDATE {S.T_CODES} SET channel_id = NULL, step_id = 2 WHERE utterance_id IN (?, ?, ?)",
                      [first.utterance_id, second.utterance_id, third.utterance_id])
        study.execute(f"UPDATE {S.T_UTTERANCES} SET text = ? WHERE id = ?",
                      ["J'ai appelé la plateforme, vingt minutes d'attente.", first.utterance_id])
        study.execute(f"UPDATE {S.T_UTTERANCES} SET text = ? WHERE id = ?", ["Et puis rien.", second.utterance_id])
        study.execute(f"UPDATE {S.T_UTTERANCES} SET text = ? WHERE id = ?",
                      ["Ensuite je suis passée en agence.", third.utterance_id])
    after = {u.utterance_id: u.channel for u in S.load_coded(study)}
    assert [after[first.utterance_id], after[second.utterance_id], after[third.utterance_id]] == \
        ["Téléphone", "Téléphone", "Agence"]


def test_steps_are_numbered_along_the_journey_not_within_their_macro_step(fresh_db):
    from research import journeys

    jid = journeys.create_journey(fresh_db, "Me faire rembourser")
    soin, demande = journeys.add_macro_step(fresh_db, jid, "Le soin"), journeys.add_macro_step(fresh_db, jid, "La demande")
    facture = journeys.add_step(fresh_db, demande, "J'envoie ma facture")  # first of its macro-step, created first
    soigne = journeys.add_step(fresh_db, soin, "Je me soigne")
    verifie = journeys.add_step(fresh_db, soin, "Je vérifie ce qui est pris en charge")
    other = journeys.create_journey(fresh_db, "J'adhère")
    compare = journeys.add_step(fresh_db, journeys.add_macro_step(fresh_db, other, "Le choix"), "Je compare")
    order = S.step_order(fresh_db)
    assert [order[s] for s in (soigne, verifie, facture)] == [1, 2, 3]
    assert order[compare] == 1  # each journey counts from one
    assert order == {s.id: s.order for s in journeys.list_steps(fresh_db)}  # as the journey editor numbers them
    before = S.stamp(fresh_db)
    journeys.move_macro_step(fresh_db, demande, -1)
    assert S.step_order(fresh_db)[facture] == 1
    assert S.stamp(fresh_db) == before == "none"  # no analysis yet: nothing cached to refresh


def test_records_carry_the_step_s_rank_along_its_journey(study):
    db = study
    last = max(db["journey_steps"].rows, key=lambda r: r["position"])
    db["journey_macro_steps"].insert({"id": 2, "journey_id": 1, "position": 0, "name": "Avant"})
    db["journey_steps"].update(last["id"], {"macro_step_id": 2, "position": 1})  # now the journey's first step
    placed = [u for u in S.load_coded(db) if u.step_id is not None]
    assert {u.step_position for u in placed if u.step_id == last["id"]} == {1}
    assert placed and all(u.step_position == S.step_order(db)[u.step_id] for u in placed)


def test_a_control_code_stored_before_it_was_cleaned_on_import_never_reaches_a_word_report(study):
    from datetime import date
    from functools import partial

    from research.synthesis_export import Report, report_docx
    from ui.i18n import t

    first = S.load_coded(study)[0]
    study[S.T_UTTERANCES].update(first.utterance_id, {"text": "Trois semaines\x01 d'attente\x0c c'est long"})
    records = S.load_coded(study)
    said = next(u for u in records if u.utterance_id == first.utterance_id)
    assert said.text == "Trois semaines  d'attente\n c'est long"
    report = Report(title="Étude", records=records, generated_at=date(2026, 11, 25), quotable=lambda p: True)
    assert report_docx(report, partial(t, lang="fr"), images={})[:2] == b"PK"


def test_the_cache_key_follows_who_is_under_which_persona_and_the_personas_names(study):
    """The pages keep what they read under `stamp`: a participant moved to another persona (from the
    participants page) or a persona renamed must show at once, without a new analysis."""
    from research import participants as P

    first = S.load_coded(study)[0]
    person = P.get_participant(study, first.participant_id)
    other = next(r["id"] for r in study[S.T_PERSONAS].rows if r["id"] != person.persona_id)
    before = S.stamp(study)
    P.update_participant(study, person.id, kind=person.kind, persona_id=other, segment=person.segment,
                         attributes=person.attributes)
    assert S.stamp(study) != before
    assert S.load_coded(study)[0].persona_id == other
    moved = S.stamp(study)
    study[S.T_PERSONAS].update(other, {"name": "Renommée"})
    assert S.stamp(study) != moved and S.load_coded(study)[0].persona_name == "Renommée"


def test_the_cache_key_follows_macro_steps_renamed_or_moved(study):
    """The experience map names macro-steps and the synthesis numbers steps through their order."""
    from research import journeys as J

    second = J.add_macro_step(study, 1, "Après")
    before = S.stamp(study)
    J.rename_macro_step(study, 1, "Avant tout")
    renamed = S.stamp(study)
    assert renamed != before
    J.move_macro_step(study, second, -1)
    assert S.stamp(study) != renamed
    with pytest.raises(J.JourneyError):
        J.rename_macro_step(study, 999, "Nulle part")
