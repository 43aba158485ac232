"""Quotes and transcripts are shown as said: markdown's signs in them are not read as markup."""
import html
import re

import pytest
from markdown_it import MarkdownIt

from ui.widgets import literal

SAID = [
    "[rires] oui *soupir* c'est __nul__, vraiment nul",
    "1. d'abord l'appel, 2. ensuite le courrier",
    "# numéro 12, à 9h30 : rendez-vous annulé :(",
    "It cost $30 a month and another $10 in fees :smile:",
    "- Allô ? > Oui, j'écoute <3 | ~~rien~~ \\ fin",
    "[voir](http://exemple.fr) `code` ![image](x.png)",
]


def shown(markdown: str) -> str:
    """What a reader sees of a markdown text: CommonMark rendered, tags dropped."""
    return html.unescape(re.sub(r"<[^>]+>", "", MarkdownIt("commonmark").render(markdown))).strip()


@pytest.mark.parametrize("text", SAID)
def test_literal_text_reads_as_it_was_said(text):
    assert shown(literal(text)) == text


def test_without_it_the_same_texts_would_be_altered():
    assert sum(shown(text) != text for text in SAID) >= 5


def test_literal_leaves_ordinary_speech_readable():
    assert literal("Très bien, merci") == "Très bien, merci"
    assert literal(None) == ""


def test_a_badge_holds_its_whole_text_even_with_a_closing_bracket():
    from ui.widgets import badge

    assert badge("Rapide [vraiment] *sans* frais", "gray") == r":gray-badge[Rapide \[vraiment\] \*sans\* frais]"


NNBSP = "\u202f"


@pytest.mark.parametrize("lang, shown", [("fr", f"12{NNBSP}345"), ("en", "12,345")])
def test_a_key_figure_writes_its_count_with_the_thousands_apart(lang, shown):
    from streamlit.testing.v1 import AppTest

    def page():
        import streamlit as st

        from ui.widgets import figure

        figure(st, "Verbatims", 12345)
        figure(st, "Prochaine", "—")

    at = AppTest.from_function(page)
    at.session_state["ecoute.lang"] = lang
    at.run()
    assert [m.value for m in at.metric] == [shown, "—"]


def test_pages_show_their_key_figures_through_figure():
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    direct = [p.name for p in [*root.glob("pages/*.py"), root / "app.py"] if ".metric(" in p.read_text()]
    assert direct == [], "st.metric writes 12345 in both languages: use ui.widgets.figure"


@pytest.mark.parametrize("lang, expected", [
    ("fr", [f"12{NNBSP}345", "4,8 s", f"2{NNBSP}600", "Zoé"]),
    ("en", ["12,345", "4.8 s", "2,600", "Zoé"]),
])
def test_tables_write_their_numbers_in_the_page_language(monkeypatch, lang, expected):
    import pandas as pd
    import streamlit as st

    from ui import keys
    from ui.i18n import table_numbers

    monkeypatch.setitem(st.session_state, keys.LANGUAGE, lang)
    frame = pd.DataFrame({"n": [12345, 3], "seconds": [4.77, None], "volume": [2600.0, 0.5], "who": ["Zoé", "Léo"]})
    styled = table_numbers(frame, {"seconds": "{:.1f} s"})
    first, second = (line.split("|")[1:] for line in styled.to_string(delimiter="|").splitlines()[1:3])
    assert first == expected
    assert second[:3] == ["3", "—", "0,5" if lang == "fr" else "0.5"]
    assert styled.data is frame  # the table sorts by the numbers themselves


@pytest.mark.parametrize("lang, written", [
    ("fr", ["jeu. 07/01/2027", "jeu. 07/01/2027", "—", "pas une date"]),
    ("en", ["Thu 7 Jan 2027", "Thu 7 Jan 2027", "—", "pas une date"]),
])
def test_committee_days_read_dates_and_stored_text_alike(monkeypatch, lang, written):
    from datetime import date

    import streamlit as st

    from ui import keys
    from ui.committees import fmt_day

    monkeypatch.setitem(st.session_state, keys.LANGUAGE, lang)
    assert [fmt_day(v) for v in (date(2027, 1, 7), "2027-01-07", None, "pas une date")] == written


def test_every_table_writes_a_missing_value_as_a_dash_not_none():
    """The grid writes an empty cell "None", in English on French pages too (a touchpoint's unknown volume, a
    consent with no expiry, an account never signed in): each table gives it a placeholder."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    bare = []
    for path in [*root.glob("pages/*.py"), *root.glob("ui/*.py"), root / "app.py"]:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") in ("dataframe", "data_editor") \
                    and not any(k.arg == "placeholder" for k in node.keywords):
                bare.append(f"{path.name}:{node.lineno}")
    assert bare == []
