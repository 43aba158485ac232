"""Every page registered in app.py renders without an exception, in French and in English."""
import ast
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent


def registered_pages() -> list[str]:
    tree = ast.parse((ROOT / "app.py").read_text())
    pages = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "Page":
            first = node.args[0]
            if isinstance(first, ast.Constant):
                pages.append(first.value)
    return pages


def test_every_page_file_is_registered():
    on_disk = {f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py")}
    assert on_disk, "no pages found"
    assert on_disk == set(registered_pages()), "pages/ and app.py disagree"


@pytest.fixture
def app_env(demo_db_path, monkeypatch):
    monkeypatch.setenv("ECOUTE_DB", str(demo_db_path))
    monkeypatch.chdir(ROOT)
    return demo_db_path


def user_id(db_path, username: str) -> int:
    from research.store import open_database

    return open_database(db_path)["users"].rows_where("username = ?", [username]).__next__()["id"]


def signed_in(db_path, username: str = "admin", lang: str = "fr") -> AppTest:
    """An AppTest whose session is signed in (the sign-in form itself is tested below)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["ecoute.lang"] = lang
    at.session_state["ecoute.user_id"] = user_id(db_path, username)
    return at


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("page", registered_pages())
def test_page_renders_without_exception(app_env, page, lang):
    at = signed_in(app_env, "admin", lang)
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert at.title, f"{page} shows no title"
    untitled = [tip["field"] for spec in chart_specs(at) for tip in tooltips(spec) if "title" not in tip]
    assert not untitled, f"{page}: tooltips show the data's own column names {untitled}, not words of the page"
    raw = [heading for heading in table_headings(at) if re.fullmatch(r"[a-z]+(_[a-z]+)*", heading)]
    assert not raw, f"{page}: tables headed by the data's own column names {raw}, not words of the page"


def table_headings(at: AppTest) -> list[str]:
    """The headings of the columns the page's tables show (in every tab)."""
    import json

    found, pending = [], [at.main]
    while pending:
        node = pending.pop()
        if getattr(node, "type", "") == "dataframe":
            config = json.loads(node.proto.columns or "{}")
            shown = list(node.proto.column_order) or [str(c) for c in node.value.columns]
            found += [config.get(c, {}).get("label", c) for c in shown if not config.get(c, {}).get("hidden")]
        children = getattr(node, "children", None) or {}
        pending += children.values() if isinstance(children, dict) else children
    return found


def chart_specs(at: AppTest) -> list[dict]:
    """The Vega-Lite specifications of the charts the page drew (in every tab)."""
    import json

    found, pending = [], [at.main]
    while pending:
        node = pending.pop()
        if getattr(node, "type", "") == "vega_lite_chart":
            found.append(json.loads(node.proto.spec))
        children = getattr(node, "children", None) or {}
        pending += children.values() if isinstance(children, dict) else children
    return found


def tooltips(spec) -> list[dict]:
    """Every tooltip field of a specification, its layers and its concatenated views included."""
    if isinstance(spec, list):
        return [tip for part in spec for tip in tooltips(part)]
    if not isinstance(spec, dict):
        return []
    own = spec.get("tooltip") if isinstance(spec.get("tooltip"), (list, dict)) else []
    own = [tip for tip in ([own] if isinstance(own, dict) else own) if isinstance(tip, dict) and "field" in tip]
    return own + [tip for key, value in spec.items() if key != "tooltip" for tip in tooltips(value)]


def test_home_shows_the_demo_study_in_french_then_english(app_env):
    at = signed_in(app_env)
    at.run()
    assert at.title[0].value == "Étude Alizé Mutuelle"
    at.session_state["ecoute.lang"] = "en"
    at.run()
    assert at.title[0].value == "Alizé Mutuelle study"


def test_a_database_that_is_not_sqlite_shows_a_message_not_a_traceback(tmp_path, monkeypatch):
    bad = tmp_path / "notes.db"
    bad.write_text("this is not a database")
    monkeypatch.setenv("ECOUTE_DB", str(bad))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception
    assert at.error and "Impossible" in at.error[0].value
    assert any("not an SQLite database" in m.value for m in at.markdown)
    assert bad.read_text() == "this is not a database"


def test_brand_platform_edit_creates_a_version(app_env):
    from research.brand import current_platform
    from research.store import open_database

    at = signed_in(app_env)
    at.run()
    at.switch_page("pages/brand_platform.py").run()
    at.text_area(key="brand_promise").set_value("Remboursé vite, compris toujours, partout.")
    at.button[[b.label for b in at.button].index("Enregistrer une nouvelle version")].click().run()
    assert not at.exception
    assert any("Version 3" in s.value for s in at.success)
    assert current_platform(open_database(app_env)).promise == "Remboursé vite, compris toujours, partout."


# ---------------------------------------------------------------- sign-in and roles

def test_nothing_shows_before_sign_in_and_the_form_signs_in(app_env):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert at.title[0].value == "Connexion"
    at.text_input(key="auth_username").set_value("marketing")
    at.text_input(key="auth_password").set_value("mauvais mot de passe")
    at.button[0].click().run()
    assert at.error and "incorrect" in at.error[0].value
    at.text_input(key="auth_password").set_value("ecoute-marketing-demo")
    at.button[0].click().run()
    assert not at.exception
    assert at.title[0].value == "Étude Alizé Mutuelle"
    assert any("Inès Benali" in c.value for c in at.sidebar.caption)


def test_the_sign_in_form_says_when_wrong_passwords_have_locked_a_username(app_env):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.text_input(key="auth_username").set_value("marketing")
    errors = []
    for password in ["mauvais mot de passe"] * 5 + ["ecoute-marketing-demo"]:
        at.text_input(key="auth_password").set_value(password)
        at.button[0].click().run()
        errors.append(at.error[0].value if at.error else None)
    assert errors[:4] == ["Identifiant ou mot de passe incorrect."] * 4
    assert errors[4] == errors[5] and errors[5].startswith("Trop de mots de passe erronés : réessayez dans 15 minutes")
    assert not at.exception and at.title[0].value == "Connexion"  # the right password waits too


def test_a_signed_in_person_changes_their_password_from_the_sidebar(app_env):
    from research import auth
    from research.store import open_database

    at = signed_in(app_env, "chercheuse", "en")
    at.run()
    assert [b.label for b in at.sidebar.button if b.form_id == "auth_own_password"] == ["Change the password"]

    def form():  # the sidebar's popover form alone (AppTest loses the sidebar of st.navigation after a rerun)
        import os

        from research import auth
        from research.store import open_database
        from ui.auth import own_password_form

        db = open_database(os.environ["ECOUTE_DB"])
        own_password_form(db, auth.get_user_named(db, "chercheuse"))

    at = AppTest.from_function(form, default_timeout=30)
    at.session_state["ecoute.lang"] = "en"
    at.run()

    def submit(current, new, again):
        at.text_input(key="auth_own_current").set_value(current)
        at.text_input(key="auth_own_new").set_value(new)
        at.text_input(key="auth_own_again").set_value(again)
        at.button[0].click().run()
        assert not at.exception
        return [e.value for e in at.error], [s.value for s in at.success]

    assert submit("ecoute-etudes-demo", "a new long password", "a new long typo") == (
        ["The two passwords differ."], [])
    assert submit("not my password", "a new long password", "a new long password") == (
        ["The current password is wrong."], [])
    assert submit("ecoute-etudes-demo", "a new long password", "a new long password") == (
        [], ["Password changed: use it next time you sign in."])
    assert auth.authenticate(open_database(app_env), "chercheuse", "a new long password").username == "chercheuse"
    # an account that signs in through the organisation has no password to change
    auth.create_user(open_database(app_env), "oidc", None, "marketer", email="oidc@client.fr")
    at = signed_in(app_env, "oidc", "en")
    at.run()
    assert not at.exception and not [b for b in at.sidebar.button if b.form_id == "auth_own_password"]


def session_gate() -> None:
    """What app.py does first on every run, and a signed-in person's own password form (AppTest runs the
    page alone, not app.py, from its second run of an app with st.navigation)."""
    import streamlit as st

    from ui.auth import own_password_form, sign_in_page, signed_in_user
    from ui.db import get_db, start_run

    start_run()
    user = signed_in_user(get_db())
    if user is None:
        sign_in_page()
    else:
        st.title(f"signed in as {user.username}")
        own_password_form(get_db(), user)


def gated(db_path, username: str, lang: str) -> AppTest:
    at = AppTest.from_function(session_gate, default_timeout=30)
    at.session_state["ecoute.lang"] = lang
    at.session_state["ecoute.user_id"] = user_id(db_path, username)
    return at.run()


def test_a_session_ends_when_its_password_changes_elsewhere_or_after_the_idle_limit(app_env, monkeypatch):
    import time

    from research import auth
    from research.store import open_database

    at = gated(app_env, "chercheuse", "fr")
    assert at.title[0].value == "signed in as chercheuse"
    auth.reset_password(open_database(app_env), "chercheuse", "set by an admin")  # the command line, say
    at.run()
    assert at.title[0].value == "Connexion" and [i.value for i in at.info] == [
        "Le mot de passe de ce compte a changé depuis votre connexion : reconnectez-vous."]

    monkeypatch.setenv("ECOUTE_IDLE_MINUTES", "60")
    at = gated(app_env, "comites", "en")
    at.session_state["ecoute.last_activity"] = time.monotonic() - 59 * 60
    assert at.run().title[0].value == "signed in as comites"  # 59 minutes: still there
    at.session_state["ecoute.last_activity"] = time.monotonic() - 61 * 60
    at.run()
    assert at.title[0].value == "Sign in" and [i.value for i in at.info] == [
        "Signed out after 60 minutes without activity: sign in again."]
    monkeypatch.delenv("ECOUTE_IDLE_MINUTES")  # unset: never
    at = gated(app_env, "comites", "en")
    at.session_state["ecoute.last_activity"] = time.monotonic() - 24 * 3600
    assert at.run().title[0].value == "signed in as comites"


def test_changing_ones_own_password_keeps_this_session_signed_in(app_env):
    from research import auth
    from research.store import open_database

    at = gated(app_env, "chercheuse", "fr")
    at.text_input(key="auth_own_current").set_value("ecoute-etudes-demo")
    at.text_input(key="auth_own_new").set_value("un nouveau mot de passe")
    at.text_input(key="auth_own_again").set_value("un nouveau mot de passe")
    at.button[0].click().run()
    assert [s.value for s in at.success] == ["Mot de passe changé : il servira dès la prochaine connexion."]
    at.run()
    assert not at.exception and at.title[0].value == "signed in as chercheuse"
    assert auth.authenticate(open_database(app_env), "chercheuse", "un nouveau mot de passe").username == "chercheuse"


def test_an_admin_sees_a_locked_account_and_unlocks_it(app_env):
    from research import auth
    from research.store import open_database

    db = open_database(app_env)
    for _ in range(auth.MAX_FAILED_SIGN_INS):
        with pytest.raises(auth.AuthError):
            auth.authenticate(db, "comites", "a wrong guess")
    at = signed_in(app_env, "admin", "fr")
    at.run()
    at.switch_page("pages/admin.py").run()
    assert [w.value for w in at.warning if "comites" in w.value] == [
        "Le compte comites est bloqué encore 15 minutes après trop de mots de passe erronés. Débloquez-le si "
        "c'est bien son titulaire qui s'est trompé ; sinon, quelqu'un essaie de deviner son mot de passe."]
    table = at.dataframe[0].value
    assert list(table.loc[table["username"] == "comites", "locked"]) == ["encore 15 min"]
    at.button(key=f"admin_unlock_{user_id(app_env, 'comites')}").click().run()
    assert not at.exception and not [w for w in at.warning if "comites" in w.value]
    assert auth.authenticate(db, "comites", "ecoute-comites-demo").username == "comites"


def test_first_start_without_accounts_creates_the_admin(tmp_path, monkeypatch):
    from research.store import open_database

    path = tmp_path / "new.db"
    open_database(path).close()
    monkeypatch.setenv("ECOUTE_DB", str(path))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert at.title[0].value == "Créer le premier compte administrateur"
    at.text_input(key="auth_first_username").set_value("helene")
    at.text_input(key="auth_first_password").set_value("un mot de passe long")
    at.text_input(key="auth_first_password2").set_value("un mot de passe long")
    at.button[0].click().run()
    assert not at.exception
    users = list(open_database(path)["users"].rows)
    assert [(u["username"], u["role"]) for u in users] == [("helene", "admin")]


def _marketer_may_open(page: str) -> bool:
    from research.auth import may_open

    return may_open("marketer", Path(page).stem)


MARKETER_FORBIDDEN = [p for p in registered_pages() if not _marketer_may_open(p)]


def test_marketers_are_kept_from_transcripts_contacts_and_raw_exports():
    for page in ("pages/interviews.py", "pages/participants.py", "pages/search.py", "pages/analysis.py",
                 "pages/admin.py"):
        assert page in MARKETER_FORBIDDEN


@pytest.mark.parametrize("page", MARKETER_FORBIDDEN)
def test_a_marketer_cannot_reach_raw_pages(app_env, page):
    at = signed_in(app_env, "marketing")
    at.run()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(page)


def test_marketer_pages_show_no_contact_detail_nor_raw_transcript(app_env):
    from research.nlp.embed import HashingEmbedder
    from research.nlp.workspace import analyze_workspace
    from research.store import open_database

    db = open_database(app_env)
    analyze_workspace(db, embedder=HashingEmbedder())  # so the synthesis pages show quotes and findings
    contacts = [r for r in db["participant_contacts"].rows]
    secrets = [c[k] for c in contacts for k in ("full_name", "email", "phone") if c[k]]
    transcript_lines = [line for (text,) in db.execute("SELECT text FROM transcripts")
                        for line in text.splitlines() if len(line) > 80][:200]
    marketer_pages = [p for p in registered_pages() if _marketer_may_open(p)]
    for page in marketer_pages:
        at = signed_in(app_env, "marketing")
        at.run()
        at.switch_page(page).run()
        assert not at.exception, (page, [e.value for e in at.exception])
        shown = " ".join(str(getattr(el, "value", "")) for el in at.main)
        for dataframe in at.dataframe:
            shown += dataframe.value.to_csv()
        for secret in secrets:
            assert secret not in shown, (page, secret)
        for line in transcript_lines:
            assert line not in shown, (page, line[:60])


def test_a_marketer_gets_the_report_but_not_the_raw_utterance_exports(app_env):
    from research.nlp.embed import HashingEmbedder
    from research.nlp.workspace import analyze_workspace
    from research.store import open_database

    db = open_database(app_env)
    analyze_workspace(db, embedder=HashingEmbedder())
    db.close()
    at = signed_in(app_env, "marketing")
    at.run()
    at.switch_page("pages/synthesis_report.py").run()
    assert not at.exception
    keys = {getattr(b, "key", None) for b in at.get("download_button")} | {b.key for b in at.button}
    assert not keys & {"report_dl_csv", "report_xlsx_build", "report_dl_qdc", "report_dl_qdpx"}
    assert any("réservés" in c.value for c in at.caption)
    at = signed_in(app_env, "chercheuse")
    at.run()
    at.switch_page("pages/synthesis_report.py").run()
    assert "report_xlsx_build" in {b.key for b in at.button}
    at.button(key="report_build").click().run()
    assert not at.exception
    downloads = {getattr(b, "key", None) for b in at.get("download_button")}
    assert {"report_dl_html", "report_dl_docx", "report_dl_pptx", "report_dl_qdc", "report_dl_qdpx"} <= downloads


def test_reading_a_transcript_the_researcher_sees_and_sets_an_utterance_s_team_codes(app_env):
    from research import team_codes
    from research.store import open_database
    from ui.widgets import literal

    db = open_database(app_env)
    coded = team_codes.codes_by_utterance(db)
    uid, codes = next(iter(sorted(coded.items())))
    interview_id = db.execute("SELECT interview_id FROM utterances WHERE id = ?", [uid]).fetchone()[0]
    at = signed_in(app_env, "chercheuse")
    at.session_state["interview_pick"] = interview_id
    at.run()
    at.switch_page("pages/interviews.py").run()
    assert not at.exception
    assert any(f":violet-badge[{literal(codes[0][1])}]" in m.value for m in at.markdown)
    at.selectbox(key=f"code_utt_{interview_id}").set_value(uid).run()
    book = {c.name: c.id for c in team_codes.list_codes(db)}
    at.multiselect(key=f"code_set_{interview_id}_{uid}").set_value([book["Prix et cotisations"]]).run()
    at.button(key=f"code_save_{interview_id}").click().run()
    assert not at.exception
    assert [name for _, name in team_codes.codes_by_utterance(db)[uid]] == ["Prix et cotisations"]


def test_a_planned_interview_with_a_transcript_is_marked_done_from_its_page(app_env):
    """An interview planned, then held: once its transcript is in, the page says it is still planned,
    and the researcher edits its status and date there; an impossible date is refused and nothing is
    written, and a save over someone else's change is refused too."""
    from datetime import date, timedelta

    from research import interviews as I
    from research import transcripts as T
    from research.store import open_database

    db = open_database(app_env)
    planned = next(i for i in I.list_interviews(db) if i.status == "planned")
    T.import_transcript(db, planned.id, "Intervieweuse: Bonjour.\nClient: La carte n'est jamais arrivée.".encode(),
                        filename="tenu.txt")
    at = signed_in(app_env, "chercheuse")
    at.session_state["interview_pick"] = planned.id
    at.run()
    at.switch_page("pages/interviews.py").run()
    assert not at.exception
    assert any("encore « planifié »" in i.value for i in at.info)
    save = next(b for b in at.button if b.proto.form_id == f"interview_edit_{planned.id}")
    at.selectbox(key=f"edit_status_{planned.id}").set_value("done")
    at.date_input(key=f"edit_date_{planned.id}").set_value(date.today() + timedelta(days=3))
    save.click().run()
    future = date.today() + timedelta(days=3)
    assert any(f"dans le futur ({future:%d/%m/%Y})" in e.value for e in at.error), [e.value for e in at.error]
    assert I.get_interview(db, planned.id).status == "planned"
    held = date.today() - timedelta(days=1)
    at.date_input(key=f"edit_date_{planned.id}").set_value(held)
    next(b for b in at.button if b.proto.form_id == f"interview_edit_{planned.id}").click().run()
    assert not at.exception and not at.error
    now = I.get_interview(db, planned.id)
    assert (now.status, now.date, now.title) == ("done", held.isoformat(), planned.title)
    assert not any("encore « planifié »" in i.value for i in at.info)
    # someone else renames it meanwhile: this page's save is refused, theirs stays
    I.update_interview(db, planned.id, title="Renommé ailleurs", status="done", when=held, mode=now.mode,
                       interviewer=now.interviewer, lang=now.lang)
    at.text_area(key=f"edit_notes_{planned.id}").set_value("Notes d'ici")
    next(b for b in at.button if b.proto.form_id == f"interview_edit_{planned.id}").click().run()
    assert any("Quelqu'un d'autre a enregistré" in e.value for e in at.error), [e.value for e in at.error]
    assert I.get_interview(db, planned.id).title == "Renommé ailleurs"
    assert I.get_interview(db, planned.id).notes == planned.notes


def test_a_participant_is_moved_to_another_persona_from_the_participants_page(app_env):
    from research import participants as P
    from research.personas import list_personas
    from research.store import open_database

    db = open_database(app_env)
    person = next(p for p in P.list_participants(db) if p.persona_id is not None and p.attributes)
    other = next(x for x in list_personas(db) if x.id != person.persona_id)
    at = signed_in(app_env, "chercheuse")
    at.run()
    at.switch_page("pages/participants.py").run()
    at.selectbox(key="participant_edit_pick").set_value(person.id).run()
    at.selectbox(key=f"pe_persona_{person.id}").set_value(other.id)
    at.text_input(key=f"pe_segment_{person.id}").set_value("  Artisans  ")
    next(b for b in at.button if b.proto.form_id == f"participant_edit_{person.id}").click().run()
    assert not at.exception and not at.error
    now = P.get_participant(db, person.id)
    assert (now.persona_id, now.segment, now.kind, now.attributes) == (other.id, "Artisans", person.kind,
                                                                        person.attributes)


def test_a_transcript_imported_by_mistake_is_deleted_from_the_interview_page(app_env):
    from research import transcripts as T
    from research.store import open_database

    db = open_database(app_env)
    interview_id = db.execute("SELECT interview_id FROM transcripts ORDER BY id LIMIT 1").fetchone()[0]
    mistaken = "Intervieweuse: Bonjour.\nClient: Ce n'est pas le bon fichier.".encode()
    wrong = T.import_transcript(db, interview_id, mistaken, filename="erreur.txt")
    before = T.list_transcripts(db, interview_id)
    assert [x["utterances"] for x in before if x["id"] == wrong.transcript_id] == [wrong.utterances]
    at = signed_in(app_env, "chercheuse")
    at.session_state["interview_pick"] = interview_id
    at.run()
    at.switch_page("pages/interviews.py").run()
    at.selectbox(key=f"delete_pick_{interview_id}").set_value(wrong.transcript_id).run()
    go = at.button(key=f"transcript_delete_{wrong.transcript_id}")
    assert go.disabled  # not before the box is ticked
    at.checkbox(key=f"transcript_delete_{wrong.transcript_id}_sure").check().run()
    at.button(key=f"transcript_delete_{wrong.transcript_id}").click().run()
    assert not at.exception and not at.error
    assert [x["id"] for x in T.list_transcripts(db, interview_id)] == [x["id"] for x in before
                                                                      if x["id"] != wrong.transcript_id]
    left = db.execute("SELECT count(*) FROM utterances WHERE transcript_id = ?", [wrong.transcript_id]).fetchone()[0]
    assert left == 0


def test_a_guide_no_interview_used_is_deleted_and_a_used_one_is_kept(app_env):
    from research import guides as G
    from research.journeys import list_journeys
    from research.store import open_database

    db = open_database(app_env)
    used = next(g for g in G.list_guides(db) if G.interviews_using(db, g.id))
    draft = G.generate_guide(db, list_journeys(db)[0].id, "fr", G.AUDIENCES[0], name="Brouillon à jeter")
    at = signed_in(app_env, "chercheuse")
    at.session_state["guide_pick"] = used.id
    at.run()
    at.switch_page("pages/guides.py").run()
    assert any("il est conservé" in c.value for c in at.caption)
    assert not [b for b in at.button if b.key == f"guide_delete_{used.id}"]
    at.selectbox(key="guide_pick").set_value(draft).run()
    assert at.button(key=f"guide_delete_{draft}").disabled
    at.checkbox(key=f"guide_delete_{draft}_sure").check().run()
    at.button(key=f"guide_delete_{draft}").click().run()
    assert not at.exception and not at.error
    assert draft not in [g.id for g in G.list_guides(db)] and used.id in [g.id for g in G.list_guides(db)]


def test_a_macro_step_is_renamed_from_the_journey_page(app_env):
    from research import journeys as J
    from research.store import open_database

    db = open_database(app_env)
    journey = J.get_journey(db, J.list_journeys(db)[0].id)
    macro = journey.macro_steps[0]
    at = signed_in(app_env, "chercheuse")
    at.run()
    at.switch_page("pages/journeys.py").run()
    at.text_input(key=f"macro_name_{macro.id}").set_value("  Avant   tout  ")
    next(b for b in at.button if b.proto.form_id == f"rename_macro_{macro.id}").click().run()
    assert not at.exception and not at.error
    assert J.get_journey(db, journey.id).macro_steps[0].name == "Avant tout"
    other = journey.macro_steps[1]  # a name left empty is refused, and nothing changes
    at.text_input(key=f"macro_name_{other.id}").set_value("   ")
    next(b for b in at.button if b.proto.form_id == f"rename_macro_{other.id}").click().run()
    assert at.error and J.get_journey(db, journey.id).macro_steps[1].name == other.name
