"""NPS and CES noted at interviews: stored, checked, summed up with their margin, and tied to what was said."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from research import participants as P
from research import scores as S
from research.interviews import create_interview
from research.personas import Persona, save_persona
from test_app import app_env, signed_in  # noqa: F401  (app_env: a fixture)


@pytest.fixture
def study(fresh_db):
    senior = save_persona(fresh_db, Persona("Senior"))
    young = save_persona(fresh_db, Persona("Jeune actif"))
    people = {code: P.create_participant(fresh_db, kind, code=code, persona_id=persona)
              for code, kind, persona in (("P-001", "customer", senior), ("P-002", "customer", senior),
                                          ("P-003", "customer", young), ("E-001", "employee", None))}
    day = date.today() - timedelta(days=10)
    first = create_interview(fresh_db, "Groupe", participant_ids=[people["P-001"], people["P-002"], people["E-001"]],
                             status="done", when=day)
    second = create_interview(fresh_db, "P-003 puis P-001", participant_ids=[people["P-003"], people["P-001"]],
                              status="done", when=day + timedelta(days=5))
    return fresh_db, people, first, second


def test_nps_counts_promoters_minus_detractors_with_its_margin():
    result = S.nps([10, 9, 8, 7, 6, 0, None, 3, 9, 10])
    assert (result.answers, result.promoters, result.passives, result.detractors) == (9, 4, 2, 3)
    assert result.score == pytest.approx(100 * (4 - 3) / 9, abs=0.05)  # 11.1
    # 1.96 standard errors of a +1 / 0 / -1 answer: p + d - (p - d)² over n
    assert result.margin is None  # 9 answers: too few for a margin to mean anything
    ten = S.nps([10, 9, 9, 9, 8, 7, 6, 0, 3, 10])
    p, d = 5 / 10, 3 / 10
    assert ten.margin == pytest.approx(196 * ((p + d - (p - d) ** 2) / 10) ** 0.5, abs=0.05)  # 52.4 on 10 answers
    assert S.nps([10] * 30).margin == 0.0 and S.nps([10] * 30).score == 100.0
    assert S.nps([None, None]) == S.Nps(0, 0, 0, 0, None, None)
    assert [S.nps_group(v) for v in (0, 6, 7, 8, 9, 10)] == ["detractor"] * 2 + ["passive"] * 2 + ["promoter"] * 2


def test_effort_is_a_mean_on_one_to_seven_with_the_share_who_found_it_easy():
    assert S.effort([7, 5, 4, 1, None]) == S.Effort(4, 4.25, 0.5)
    assert S.effort([]) == S.Effort(0, None, None)


def test_scores_are_checked_kept_per_interview_and_cleared(study):
    db, people, first, second = study
    assert S.set_scores(db, first, {people["P-001"]: (9, 6), people["P-002"]: ("3", None),
                                    people["E-001"]: (8.0, "")}) == 3
    assert S.interview_scores(db, first) == {people["P-001"]: (9, 6), people["P-002"]: (3, None),
                                             people["E-001"]: (8, None)}
    assert S.set_scores(db, first, {people["P-001"]: (9, 6)}) == 0  # unchanged
    for bad, key in (((11, None), "scores.err.nps"), ((-1, None), "scores.err.nps"), ((None, 0), "scores.err.ces"),
                     ((None, 8), "scores.err.ces"), (("neuf", None), "scores.err.nps"), ((7.5, None), "scores.err.nps"),
                     ((True, None), "scores.err.nps")):
        with pytest.raises(S.ScoreError) as e:
            S.set_scores(db, first, {people["P-002"]: (5, 5), people["P-001"]: bad})
        assert e.value.key == key
    assert S.interview_scores(db, first)[people["P-002"]] == (3, None)  # all or nothing: P-002 kept its scores
    with pytest.raises(S.ScoreError) as e:
        S.set_scores(db, first, {people["P-003"]: (5, 5)})
    assert e.value.key == "scores.err.participant"
    assert S.set_scores(db, first, {people["P-002"]: (None, None)}) == 1
    assert people["P-002"] not in S.interview_scores(db, first)


def test_a_participant_counts_once_with_their_latest_score_and_employees_apart(study):
    db, people, first, second = study
    S.set_scores(db, first, {people["P-001"]: (2, 2), people["P-002"]: (10, 7), people["E-001"]: (9, None)})
    S.set_scores(db, second, {people["P-001"]: (9, 6), people["P-003"]: (5, 3)})
    latest = S.latest_per_participant(S.list_scores(db))
    assert sorted((s.participant_code, s.nps) for s in latest) == [
        ("E-001", 9), ("P-001", 9), ("P-002", 10), ("P-003", 5)]
    segments = S.by_persona(S.latest_per_participant(S.customers(S.list_scores(db))))
    assert [(seg.name, seg.nps.answers, seg.nps.score, seg.effort.mean) for seg in segments] == [
        ("Senior", 2, 100.0, 6.5), ("Jeune actif", 1, -100.0, 3.0)]
    assert S.participants_in(S.list_scores(db), S.PROMOTER) == {people["P-001"], people["P-002"], people["E-001"]}
    assert [s.participant_code for s in S.employees(S.list_scores(db))] == ["E-001"]


# ---------------------------------------------------------------- the pages (demo workspace)

def _app(db_path, username: str, lang: str, page: str):
    at = signed_in(db_path, username, lang)
    at.run()
    return at.switch_page(page).run()


def test_the_scores_page_sums_up_the_demo_and_keeps_employees_apart(app_env):
    from research.nlp.embed import HashingEmbedder
    from research.nlp.workspace import analyze_workspace
    from research.store import open_database
    from research.synthesis_store import load_coded

    db = open_database(app_env)
    analyze_workspace(db, embedder=HashingEmbedder())
    at = _app(app_env, "marketing", "fr", "pages/synthesis_scores.py")
    assert not at.exception and not at.error
    figures = {m.label: m.value for m in at.metric}
    # 14 customers: 3 promoters, 6 detractors -> (3 - 6) / 14 = -21; the employees' four answers left out
    assert figures["NPS clients"] == "−21" and figures["Réponses"] == "14"
    assert figures["Effort (CES)"] == "4,1 / 7" and figures["Marge d'erreur (95 %)"] == "± 40 pts"
    table = at.dataframe[0].value
    assert list(table.columns) == ["segment", "answers", "nps", "margin", "ces", "easy"]
    assert table.set_index("segment").loc["Famille organisée"].tolist() == [
        3, "−67", "trop peu de réponses", "3,0 / 7", "0\u202f%"]
    headings = [m.value for m in at.markdown if m.value.startswith("**")]
    assert headings == ["**Les irritants des détracteurs (6 participants)**",
                        "**Les enchantements des promoteurs (3 participants)**"]
    # what each column quotes was said by that group only
    every = S.list_scores(db)
    records = load_coded(db)
    for group, label in ((S.DETRACTOR, "irritant"), (S.PROMOTER, "enchantment")):
        found = S.findings_of(records, every, group, label)
        said_by = {u.participant_id for f in found for u in f.verbatims}
        assert found and said_by <= S.participants_in(S.customers(every), group)
        assert all(u.label == label for f in found for u in f.verbatims)
    assert S.participants_in(S.customers(every), S.DETRACTOR).isdisjoint(
        S.participants_in(S.customers(every), S.PROMOTER))


def test_without_scores_the_page_says_where_to_note_them(app_env):
    from research.store import open_database

    db = open_database(app_env)
    db.execute("DELETE FROM interview_scores")
    db.conn.commit()
    at = _app(app_env, "chercheuse", "en", "pages/synthesis_scores.py")
    assert not at.exception and [i.value for i in at.info] == [
        "No score noted yet: note each participant's recommendation (NPS) and effort (CES) on their interview, "
        "Interviews page."]


def test_scores_are_noted_on_the_interview_page(app_env):
    from research.interviews import list_interviews
    from research.store import open_database

    db = open_database(app_env)
    planned = next(i for i in list_interviews(db) if i.status == "planned")
    at = signed_in(app_env, "chercheuse", "fr")  # AppTest's second run skips app.py, which sets the language
    at.session_state["interview_pick"] = planned.id
    at.run()
    at.switch_page("pages/interviews.py").run()
    pid = planned.participant_ids[0]
    at.selectbox(key=f"nps_{planned.id}_{pid}").set_value(9)
    at.selectbox(key=f"ces_{planned.id}_{pid}").set_value(6)
    next(b for b in at.button if b.label == "Enregistrer les scores").click().run()
    assert not at.exception and [s.value for s in at.success] == ["Scores enregistrés : 1 participant mis à jour."]
    assert S.interview_scores(db, planned.id) == {pid: (9, 6)}
    assert at.selectbox(key=f"nps_{planned.id}_{pid}").value == 9  # shown again as noted


def test_the_study_report_has_a_recommendation_section_from_the_same_figures(demo_db_path):
    from research.nlp.embed import HashingEmbedder
    from research.nlp.workspace import analyze_workspace
    from research.store import open_database
    from research.synthesis_export import report_docx, report_html, report_sections
    from research.synthesis_store import build_report, load_coded
    from ui.i18n import t as translate

    db = open_database(demo_db_path)
    analyze_workspace(db, embedder=HashingEmbedder())

    def t(key, **params):
        return translate(key, "fr", **params)

    report = build_report(db, load_coded(db), t)
    section = next(s for s in report_sections(report, t) if s["title"] == "Recommandation et effort")
    assert section["paragraphs"][0].startswith("NPS des clients : −21 sur 14 réponses, à ± 40 points près (95 %).")
    assert section["table"][0] == ["Segment", "Réponses", "NPS", "Effort (CES)"]
    by_persona = {row[0]: row[1:] for row in section["table"][1:]}
    assert sum(row[0] for row in by_persona.values()) == 14
    assert by_persona["Famille organisée"] == [3, "−67", "3,0 / 7"]  # P-001 7, P-002 4, P-014 3
    tags = [item.tag for item in section["items"]]
    assert tags and set(tags) <= {"Détracteurs (0-6)", "Promoteurs (9-10)"} and tags[0] == "Détracteurs (0-6)"
    detractors = S.participants_in(S.customers(S.list_scores(db)), S.DETRACTOR)
    first = section["items"][0]
    assert first.quotes and {u.participant_id for u in first.quotes} <= detractors
    page = report_html(report, t, "fr")
    assert "Recommandation et effort" in page
    assert '<span class="tag irritant">Détracteurs (0-6)</span>' in page  # red, not the moment of truth's amber
    assert '<span class="tag enchantment">Promoteurs (9-10)</span>' in page
    few = build_report(db, load_coded(db), t)
    few.scores = [s for s in few.scores if s.participant_code in ("P-001", "P-002", "P-004")]
    text = next(s for s in report_sections(few, t) if s["title"] == "Recommandation et effort")["paragraphs"][0]
    assert text.startswith("NPS des clients : −33 sur 3 réponses, trop peu pour une marge d'erreur")
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(report_docx(report, t, "fr"))) as z:
        assert "Recommandation et effort" in z.read("word/document.xml").decode("utf-8")


def test_the_home_page_suggests_noting_scores_once_interviews_are_done_and_none_is(study):
    from research.overview import next_steps

    db, people, first, second = study
    assert "scores" in [s.key for s in next_steps(db)]
    S.set_scores(db, first, {people["P-001"]: (8, None)})
    assert "scores" not in [s.key for s in next_steps(db)]


# ---------------------------------------------------------------- a table of scores

def test_a_questionnaire_table_imports_its_scores_beside_the_interviews(study):
    db, people, first, second = study
    S.set_scores(db, second, {people["P-001"]: (6, 3)})
    # Excel in French: semicolons, cp1252, a BOM-less header in French words, an empty cell, a blank line
    table = "Code participant;Recommandation;Effort;Entretien\nP-001;9;;\n\np-003;4;2;\nE-001;7;;{}\n".format(first)
    result = S.import_csv(db, table.encode("cp1252"))
    assert result == S.Imported(rows=3, changed=3)
    assert S.interview_scores(db, second) == {people["P-001"]: (9, 3),  # the latest interview; effort kept
                                              people["P-003"]: (4, 2)}
    assert S.interview_scores(db, first) == {people["E-001"]: (7, None)}
    assert S.import_csv(db, b"participant,nps\nP-001,9\n") == S.Imported(rows=1, changed=0)


@pytest.mark.parametrize("table, key, params", [
    (b"", "transcripts.err.empty", {}),
    (b"name,score\nP-001,9\n", "scores.err.csv_header", {}),
    (b"participant,nps\n", "scores.err.csv_empty", {}),
    (b"participant,nps\nP-001,9\nP-099,8\n", "scores.err.csv_participant", {"line": 3, "code": "P-099"}),
    (b"participant,nps\nP-001,9\nP-001,8\n", "scores.err.csv_twice", {"line": 3, "code": "P-001"}),
    (b"participant,nps\nP-001,9\nP-002,11\n", "scores.err.nps_line", {"line": 3, "value": "11"}),
    (b"participant,ces\nP-001,zero\n", "scores.err.ces_line", {"line": 2, "value": "zero"}),
    (b"participant,nps,interview\nP-001,9,\nP-003,8,FIRST\n", "scores.err.csv_interview", {"line": 3, "code": "P-003"}),
])
def test_a_bad_table_names_its_line_and_writes_nothing(study, table, key, params):
    db, people, first, second = study
    table = table.replace(b"FIRST", str(first).encode())
    with pytest.raises(S.ScoreError) as e:
        S.import_csv(db, table)
    assert e.value.key == key and params.items() <= e.value.params.items()
    assert S.list_scores(db) == []  # the good lines before it were not written either


def test_a_participant_met_only_in_a_planned_interview_has_nowhere_to_put_scores(study):
    db, people, first, second = study
    newcomer = P.create_participant(db, "customer", code="P-010")
    create_interview(db, "À venir", participant_ids=[newcomer], status="planned",
                     when=date.today() + timedelta(days=3))
    with pytest.raises(S.ScoreError) as e:
        S.import_csv(db, b"participant,nps\nP-010,9\n")
    assert (e.value.key, e.value.params["line"]) == ("scores.err.csv_no_interview", 2)


def test_cli_scores_import(demo_db_path, tmp_path):
    from click.testing import CliRunner

    from research.cli import cli

    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text("participant\tnps\tces\nP-002\t8\t5\n", encoding="utf-8")
    bad.write_text("participant,nps\nP-002,10\nP-999,3\n", encoding="utf-8")
    out = CliRunner().invoke(cli, ["scores", "import", str(bad), "--db", str(demo_db_path)])
    assert out.exit_code == 1 and "Line 3: no participant with the code 'P-999'" in out.output
    out = CliRunner().invoke(cli, ["scores", "import", str(good), "--db", str(demo_db_path)])
    assert out.exit_code == 0 and "1 score read; 1 participant updated" in out.output
    from research.store import open_database

    assert [(s.nps, s.ces) for s in S.list_scores(open_database(demo_db_path)) if s.participant_code == "P-002"] == [
        (8, 5)]


def test_only_those_who_may_edit_see_the_import(app_env):
    researcher = _app(app_env, "chercheuse", "fr", "pages/synthesis_scores.py")
    marketer = _app(app_env, "marketing", "fr", "pages/synthesis_scores.py")
    assert "Importer des scores (CSV)" in [e.label for e in researcher.expander]
    assert "Importer des scores (CSV)" not in [e.label for e in marketer.expander]


def test_the_interview_list_shows_each_participants_scores(app_env):
    at = _app(app_env, "chercheuse", "fr", "pages/interviews.py")
    table = at.dataframe[0].value
    shown = dict(zip(table["Titre"], table["Participants (NPS / effort)"]))
    assert shown["Margaret, retired, hearing aids"] == "P-023 (9 / 6)"
    assert shown["Focus group collaborateurs — remboursement"] == "E-002 (8 / —), E-003 (6 / —), E-004 (7 / —)"
    assert shown["Patrick, boulanger, adhésion"] == "P-017"  # planned: nothing noted yet
