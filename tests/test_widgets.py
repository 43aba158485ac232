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
