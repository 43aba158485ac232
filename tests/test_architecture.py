"""The house rules: research/ never imports streamlit; SQL stays in the domain; pages stay thin."""
import ast
import importlib
import pkgutil
import sys
from pathlib import Path

import research

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_research_never_imports_streamlit():
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "research").rglob("*.py")
                 if {"streamlit", "ui"} & imported_modules(p)]
    assert offenders == []


def test_only_the_store_imports_sqlite3():
    allowed = {"research/store.py"}
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "research").rglob("*.py")
                 if "sqlite3" in imported_modules(p) and str(p.relative_to(ROOT)) not in allowed]
    assert offenders == []


def test_pages_do_not_touch_the_database_directly():
    for page in (ROOT / "pages").glob("*.py"):
        mods = imported_modules(page)
        assert not {"sqlite3", "sqlite_utils"} & mods, page.name
        assert ".execute(" not in page.read_text(), f"{page.name} runs SQL"


def test_every_research_module_imports_without_streamlit():
    for info in pkgutil.walk_packages(research.__path__, "research."):
        importlib.import_module(info.name)
    assert not any(name == "streamlit" or name.startswith("streamlit.") for name in sys.modules
                   if name in sys.modules and sys.modules[name] is not None and "research" in name)
    loaded = [name for name in sys.modules if name.startswith("research")]
    assert "research.store" in loaded
