"""Every page registered in app.py renders without an exception, in French and in English."""
import ast
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


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("page", registered_pages())
def test_page_renders_without_exception(app_env, page, lang):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["ecoute.lang"] = lang
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert at.title, f"{page} shows no title"


def test_home_shows_the_demo_study_in_french_then_english(app_env):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
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

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/brand_platform.py").run()
    at.text_area(key="brand_promise").set_value("Remboursé vite, compris toujours, partout.")
    at.button[[b.label for b in at.button].index("Enregistrer une nouvelle version")].click().run()
    assert not at.exception
    assert any("Version 3" in s.value for s in at.success)
    assert current_platform(open_database(app_env)).promise == "Remboursé vite, compris toujours, partout."
