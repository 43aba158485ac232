"""The synthesis pages on a generated study with a stored analysis, in French and in English."""
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ui.widgets import literal

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from synthesis_study import build_study  # noqa: E402

PAGES = ["pages/synthesis_board.py", "pages/synthesis_journey.py", "pages/synthesis_themes.py",
         "pages/synthesis_codes.py", "pages/synthesis_personas.py", "pages/brand_perception.py", "pages/synthesis_report.py",
         "pages/analysis.py"]


@pytest.fixture(scope="module")
def study_template(tmp_path_factory):
    from research.demo import accounts as accounts_demo
    from research.demo import brand as brand_demo
    from research.store import open_database

    path = tmp_path_factory.mktemp("study") / "study.db"
    db = open_database(path)
    with db.atomic():
        brand_demo.build(db)
        accounts_demo.build(db)  # the app asks to sign in; pages are opened as the demo admin
    build_study(db, interviews=24, per_interview=25)
    db.close()
    return path


@pytest.fixture
def study_env(study_template, tmp_path, monkeypatch):
    import shutil

    path = tmp_path / "study.db"
    shutil.copy(study_template, path)
    monkeypatch.setenv("ECOUTE_DB", str(path))
    monkeypatch.chdir(ROOT)
    return path


def open_page(page, lang="fr"):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["ecoute.lang"] = lang
    at.session_state["ecoute.user_id"] = 1  # the demo admin, first account created
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_synthesis_pages_show_findings(study_env, page, lang):
    at = open_page(page, lang)
    assert at.title
    assert not any("Aucune analyse" in i.value or "No analysis has" in i.value for i in at.info)


def test_the_journey_page_draws_the_experience_map_and_offers_it_as_slides(study_env):
    at = open_page("pages/synthesis_journey.py")
    maps = [h.proto.body for h in at.get("html") if 'class="em"' in h.proto.body]
    assert len(maps) == 1 and "Ressenti" in maps[0] and "data:image/svg+xml;base64," in maps[0]
    assert "journey_map_pptx" in {getattr(b, "key", None) for b in at.get("download_button")}


def test_board_ranks_irritants_with_their_verbatims(study_env):
    at = open_page("pages/synthesis_board.py")
    titles = [e.label for e in at.expander]
    assert titles and titles[0].startswith("1. ")
    assert any("délai de remboursement" in x or "attente au téléphone" in x for x in titles)
    assert any(m.value.startswith("« ") for m in at.markdown), "no verbatim shown"


def test_themes_page_renames_a_theme_and_it_survives_a_rerun(study_env):
    from research import synthesis_store
    from research.store import open_database

    at = open_page("pages/synthesis_themes.py")
    theme_id = at.selectbox(key="themes_selected").value
    at.text_input(key=f"themes_new_label_{theme_id}").set_value("Délais de remboursement trop longs")
    at.button(key="FormSubmitter:themes_rename_form-Renommer").click().run()
    assert not at.exception
    assert any("Délais de remboursement trop longs" in s.value for s in at.success)
    db = open_database(study_env)
    renamed = [u for u in synthesis_store.load_coded(db) if u.theme_label == "Délais de remboursement trop longs"]
    assert renamed and {u.theme_id for u in renamed} == {renamed[0].theme_id}
    # a re-run: a new analysis run with fresh machine codes for every utterance
    rerun_as_machine(db)
    after = [u for u in synthesis_store.load_coded(db) if u.theme_label == "Délais de remboursement trop longs"]
    assert {u.utterance_id for u in after} >= {u.utterance_id for u in renamed}


def test_codes_page_creates_a_code_refuses_its_twin_and_codes_picked_utterances(study_env):
    from research import synthesis_store, team_codes
    from research.store import open_database

    at = open_page("pages/synthesis_codes.py")
    assert any("Aucun code" in i.value for i in at.info)
    at.text_input(key="codes_create_name").set_value("Prix et cotisations")
    at.text_input(key="codes_create_description").set_value("Ce que coûte la mutuelle.")
    at.button(key="FormSubmitter:codes_create-Créer le code").click().run()
    assert not at.exception and any("Prix et cotisations" in s.value for s in at.success)
    at.text_input(key="codes_create_name").set_value("prix ET cotisations")
    at.button(key="FormSubmitter:codes_create-Créer le code").click().run()
    assert not at.exception and any("Il existe déjà" in e.value for e in at.error)
    db = open_database(study_env)
    assert [c.name for c in team_codes.list_codes(db)] == ["Prix et cotisations"]
    # the words filter narrows the table, accents aside; coded rows are found by their code
    records = synthesis_store.load_coded(db)
    phone = [u.utterance_id for u in records if "téléphone" in u.text.lower()]
    at.text_input(key="codes_filter_words").set_value("TELEPHONE").run()
    assert any(c.value.startswith(f"{len(phone)} verbatims") for c in at.caption), [c.value for c in at.caption]
    code_id = team_codes.list_codes(db)[0].id
    some = phone[:2]
    team_codes.apply_code(db, some, code_id)
    at.selectbox(key="codes_filter_having").set_value(code_id).run()
    assert not at.exception
    assert any(c.value.startswith("2 verbatims") for c in at.caption), [c.value for c in at.caption]
    # the codebook: a table that wraps, each code with its definition, figures and main steps
    at.run()
    book = at.table[0].value
    assert list(book.columns) == ["Définition", "Verbatims", "Participants", "Étapes principales"]
    speakers = {u.participant_id for u in records if u.utterance_id in some}
    assert book.loc["Prix et cotisations"].tolist()[:3] == ["Ce que coûte la mutuelle.", 2, len(speakers)]


def rerun_as_machine(db):
    """What a re-run leaves: run 2 with the same machine codes and themes (new rows, same theme ids)."""
    from research import synthesis_store as S

    with db.atomic():
        db[S.T_RUNS].insert({"id": 2, "started_at": "2026-11-21T10:00:00+00:00",
                             "finished_at": "2026-11-21T10:05:00+00:00"})
        codes = [dict(r, id=None, run_id=2) for r in db[S.T_CODES].rows_where("run_id = 1")]
        for r in codes:
            r.pop("id")
        db[S.T_CODES].insert_all(codes)
        db[S.T_THEMES].insert_all([dict(r, run_id=2, id=r["id"]) for r in db[S.T_THEMES].rows_where("run_id = 1")],
                                  replace=True)


@pytest.mark.parametrize("lang,status", [("fr", "terminée"), ("en", "finished")])
def test_analysis_history_speaks_the_readers_language(study_env, lang, status):
    from research.store import open_database

    db = open_database(study_env)
    db["analysis_runs"].insert({"id": 99, "status": "done", "started_at": "2026-11-23T09:30:00+00:00",
                                "finished_at": "2026-11-23T09:30:08+00:00", "model": "m", "utterances": 600,
                                "coded": 600, "themes": 17, "computed_embeddings": 20, "kappa": None,
                                "learned_from": 0, "seconds": 8.2, "message": ""}, alter=True)
    db.close()
    at = open_page("pages/analysis.py", lang)
    table = at.dataframe[-1].value
    newest = table.iloc[0]
    assert newest["status"] == status and newest["kappa"] == "—" and newest["computed"] == 20
    assert newest["started"].year == 2026 and "started_at" not in table.columns


def test_a_filter_bar_for_one_journey_offers_no_all_and_starts_with_the_most_talked_about():
    def page():
        import streamlit as st

        from research.synthesis import CodedUtterance
        from ui.synthesis import filter_bar

        records = tuple([CodedUtterance(i, "x", journey_id=1, journey_name="Adhésion", step_id=1) for i in range(3)]
                        + [CodedUtterance(10 + i, "y", journey_id=2, journey_name="Remboursement", step_id=2)
                           for i in range(5)])
        one = filter_bar(records, "one", steps=False, one_journey=True)
        every = filter_bar(records, "every", steps=False)
        st.write(f"one={one.journey_id} every={every.journey_id}")

    at = AppTest.from_function(page, default_timeout=30)
    at.session_state["ecoute.lang"] = "fr"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="one_journey").options == ["Adhésion", "Remboursement"]  # no "all journeys"
    assert at.selectbox(key="every_journey").options[0] == "Tous les parcours"
    assert "one=2 every=None" in [m.value for m in at.markdown]


def test_personas_page_quotes_each_theme_and_archetypes_in_their_words(study_env):
    from research.store import open_database

    db = open_database(study_env)
    quoted = db.execute("SELECT text FROM utterances WHERE id = 1").fetchone()[0]
    # participants 1, 5 and 9 were recruited as "Prudente"; their words said to resemble another persona
    db["analysis_archetypes"].update(2, {"members": "[1, 5, 9]", "matched_persona_id": 3})
    db.close()
    at = open_page("pages/synthesis_personas.py")
    texts = [m.value for m in at.markdown]
    # under "what irritates them", each theme comes with a quote of its persona, and who said it
    assert any(":red[" in x and ":gray[«" in x and "P\u2011" in x for x in texts)
    # an archetype's quotes are what was said, not the utterance ids the analysis stores
    assert f"> « {literal(quoted)} »" in texts and "> « 1 »" not in texts
    assert any("Recrutés comme" in c.value for c in at.caption)
    assert [w.value for w in at.warning] == [
        "Leurs propos ressemblent au persona « Senior accompagné », mais 3 de ces 3 participants ont été recrutés "
        "comme « Prudente » : la segmentation mérite un second regard."]


def test_names_the_team_typed_are_shown_as_typed(study_env):
    from research.store import open_database

    db = open_database(study_env)
    name = "Les *pressés* [du] matin_"
    db["personas"].update(1, {"name": name})
    db.close()
    texts = [m.value for m in open_page("pages/synthesis_personas.py").markdown]
    assert f"### {literal(name)}" in texts and f"### {name}" not in texts


def test_persona_names_beside_the_archetypes_are_shown_as_typed(study_env):
    from research.store import open_database

    db = open_database(study_env)
    with db.conn:
        db.execute("UPDATE personas SET name = name || ' *x* [y]'")
    db.close()
    at = open_page("pages/synthesis_personas.py")
    lines = [c.value for c in at.caption] + [w.value for w in at.warning]
    named = [x for x in lines if literal(" *x* [y]") in x]
    assert len(named) >= 2  # the persona an archetype resembles, those its members were recruited as
    assert not any(" *x* [y]" in x for x in lines)


def test_theme_names_the_team_typed_are_shown_as_typed(study_env):
    from research import synthesis_store
    from research.store import open_database

    db = open_database(study_env)
    label = "Attente [rappel]* au_téléphone"
    theme_id = db.execute("SELECT theme_id FROM analysis_codes WHERE label = 'irritant' GROUP BY theme_id "
                          "ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
    synthesis_store.rename_theme(db, theme_id, label)
    db.close()
    board = open_page("pages/synthesis_board.py")
    titles = [e.label for e in board.expander]
    assert any(literal(label) in title for title in titles) and not any(f" {label} " in title for title in titles)
    personas = "\n".join(m.value for m in open_page("pages/synthesis_personas.py").markdown)
    assert f"[{literal(label)}]" in personas and f"[{label}]" not in personas


@pytest.mark.parametrize("lang,names,decimal", [("fr", ["Irritant", "Enchantement", "Neutre"], ","),
                                                ("en", ["Irritant", "Enchantment", "Neutral"], ".")])
def test_the_theme_utterances_table_reads_in_the_page_language(study_env, lang, names, decimal):
    import json

    import pyarrow as pa

    at = open_page("pages/synthesis_themes.py", lang)
    editor = next(e for e in tables(at) if "label" in json.loads(e.proto.columns))
    options = json.loads(editor.proto.columns)["label"]["type_config"]["options"]
    assert [o["value"] for o in options] == ["irritant", "enchantment", "neutral"]
    assert [o["label"] for o in options] == names  # the codes as the page's language names them
    shown = pa.ipc.open_stream(editor.proto.arrow_data.styler.display_values).read_pandas()
    confidences = list(shown.iloc[:, list(editor.value.columns).index("confidence")])
    assert confidences and all(len(c) == 4 and c[1] == decimal for c in confidences), confidences[:3]


def tables(at: AppTest) -> list:
    """The tables and table editors the page shows (in every tab)."""
    found, pending = [], [at.main]
    while pending:
        node = pending.pop()
        if getattr(node, "type", "") == "dataframe":
            found.append(node)
        children = getattr(node, "children", None) or {}
        pending += children.values() if isinstance(children, dict) else children
    return found
