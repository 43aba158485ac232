"""The projective pages as a user drives them: capture a pick, a refused pick keeps the others, a grid cell
with only a justification is refused and the other cells are saved."""
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def app_env(demo_db_path, monkeypatch):
    monkeypatch.setenv("ECOUTE_DB", str(demo_db_path))
    monkeypatch.chdir(ROOT)
    return demo_db_path


def signed_in(db_path, page: str, lang: str = "fr") -> AppTest:
    from research.store import open_database

    db = open_database(db_path)
    uid = next(db["users"].rows_where("username = ?", ["admin"]))["id"]
    db.close()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["ecoute.lang"] = lang
    at.session_state["ecoute.user_id"] = uid
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def picks_of(db_path, code: str) -> list[tuple[str, str]]:
    from research import photolanguage as PL
    from research.store import open_database

    db = open_database(db_path)
    try:
        return [(p.image_code, p.words) for p in PL.list_picks(db) if p.participant_code == code]
    finally:
        db.close()


def test_a_pick_is_captured_and_a_second_pick_of_the_same_image_is_refused(app_env):
    from research import images as I
    from research import photolanguage as PL
    from research.store import open_database

    db = open_database(app_env)
    remote = next(s for s in PL.list_sessions(db) if s.mode == "remote")
    member = next(p for p in remote.participant_ids
                  if db.execute("SELECT code FROM participants WHERE id = ?", [p]).fetchone()[0] == "P-011")
    free = next(I.get_image(db, i).code for i in PL.panel_of(db, remote.id, member)
                if i not in {p.image_id for p in PL.list_picks(db, remote.id) if p.participant_id == member})
    db.close()
    at = signed_in(app_env, "pages/photolanguage.py")
    at.selectbox(key="pl_session").set_value(remote.id).run()
    at.radio(key=f"pl_capture_who_{remote.id}").set_value(member).run()
    before = picks_of(app_env, "P-011")
    form_inputs = [w for w in at.text_input if w.label in ("Code photo",)]
    form_inputs[0].input(free)
    next(w for w in at.text_input if w.label == "Ses mots").input("Un coin de calme")
    next(b for b in at.button if b.label == "Ajouter").click().run()
    assert not at.exception
    after = picks_of(app_env, "P-011")
    assert after == before + [(free, "Un coin de calme")]
    # the same image again: a message, nothing lost
    next(w for w in at.text_input if w.label == "Code photo").input(free)
    next(w for w in at.text_input if w.label == "Ses mots").input("encore")
    next(b for b in at.button if b.label == "Ajouter").click().run()
    assert any("déjà été choisie" in e.value for e in at.error), [e.value for e in at.error]
    assert picks_of(app_env, "P-011") == after


@pytest.mark.parametrize("page", ["pages/image_library.py", "pages/photolanguage.py", "pages/portrait.py",
                                  "pages/projective_analysis.py"])
def test_projective_pages_show_the_demo_in_english(app_env, page):
    at = signed_in(app_env, page, "en")
    assert not at.error, [e.value for e in at.error]
    shown = " ".join(m.value for m in at.markdown) + " ".join(str(c.value) for c in at.caption)
    assert not re.findall(r"\b(?:images|photolanguage|portrait|projective)\.[a-z_]+", shown)  # no raw keys
