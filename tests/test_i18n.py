"""Translations: every key in both languages, every key used in the code defined."""
import re
from pathlib import Path

import pytest

from ui.i18n import load_catalog

ROOT = Path(__file__).resolve().parent.parent
KEY_CALL = re.compile(r"""\bt\(\s*["']([a-z0-9_.]+)["']\s*[,)]""")


def test_every_key_has_french_and_english():
    missing = [k for k, v in load_catalog().items() if not v.get("fr") or not v.get("en")]
    assert missing == []


def test_every_literal_key_used_in_pages_and_ui_exists():
    catalog = load_catalog()
    used = set()
    for path in list((ROOT / "pages").glob("*.py")) + list((ROOT / "ui").glob("*.py")) + [ROOT / "app.py"]:
        used.update(KEY_CALL.findall(path.read_text()))
    assert used, "no t() calls found"
    assert sorted(k for k in used if k not in catalog) == []


def test_domain_error_keys_exist():
    catalog = load_catalog()
    keys = set()
    for path in (ROOT / "research").rglob("*.py"):
        keys.update(re.findall(r"""key=["']([a-z0-9_.]+)["']""", path.read_text()))
    assert sorted(k for k in keys if k not in catalog) == []


def test_duplicate_keys_across_files_are_refused(tmp_path):
    (tmp_path / "a.toml").write_text('[x.y]\nfr = "a"\nen = "a"\n')
    (tmp_path / "b.toml").write_text('[x.y]\nfr = "b"\nen = "b"\n')
    with pytest.raises(ValueError, match="defined in a.toml and b.toml"):
        load_catalog(tmp_path)


def test_placeholders_match_between_languages():
    # a name and how it is written ("{size:,d}", "{date:long}"); not the plurals it governs ("{n:|s}"),
    # which each language writes its own way ("{picks} choix", "{picks} pick{picks:|s}")
    field = re.compile(r"\{(\w+(?::[^{}|]*)?)\}")
    bad = [k for k, v in load_catalog().items()
           if set(field.findall(v.get("fr", ""))) != set(field.findall(v.get("en", "")))]
    assert bad == []
