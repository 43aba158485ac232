"""The English tokenizer without spaCy gives spaCy's tokens: compared with `spacy.blank("en")` on
tricky and generated text, and through `text.analyse_texts` (words, lemmas, nouns)."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from research.nlp import english_tokenizer, text
from research.nlp.english_tokenizer import EnglishTokenizer, is_punct


@pytest.fixture(scope="module")
def both():
    import spacy

    return spacy.blank("en"), EnglishTokenizer(english_tokenizer.export_rules())


def same_as_spacy(nlp, ours, sample: str) -> None:
    doc = nlp(sample)
    assert ours(sample) == [t.text for t in doc], sample
    assert [is_punct(t.text) for t in doc] == [t.is_punct for t in doc]
    assert [t.text.isspace() for t in doc] == [t.is_space for t in doc]


TRICKY = [
    "I don't know, can't you see?", "Hello  world!\n\nNew line (really).", "It's 5p.m. and I'm at the U.S. embassy :) <3",
    "e-mail me at john.doe@example.com or visit https://example.com/path?x=1.", " leading and trailing  ", "(a.m.)",
    "10a.m., ok", "''quoted'' — dash–dash", "\tTab\ttext ", "'s 'S ''", "y'all gonna wanna", "O'Reilly's book's cover",
    "£5.00/month, 50% off!!", "it's...ok!?", "well-known self-service 2nd-hand", "(╯°□°）╯︵┻━┻", "ma'am o'clock",
    "We'd've gone", "Mr. Smith vs. Mrs. Jones etc.", "", " ", "\n", "«guillemets» ‘single’ “double”", "café naïve Zoë",
]
FRAGMENTS = st.sampled_from([
    "hello", "World", "don't", "can't", "it's", "I'm", "U.S.", "e.g.", "a.m.", "10", "3.5", "1,000", "£5", "50%",
    "http://x.com/a?b=c", "me@mail.com", "#tag", "@user", "...", "!", "?", "(", ")", "[", "]", '"', "'", "’", "“", "”",
    "-", "--", "—", "/", ":", ";", ",", ".", "&", "*", "é", "naïve", "n't", "'s", "'ll", "gonna", "y'all", "ma'am",
    "well-known", "10km", "5pm", "10a.m.", ":)", ":-(", ";)", "<3", "^_^", "🙂", "°", "€", "\u00a0",
])
SEPARATORS = st.sampled_from([" ", " ", "", "  ", "\n", "\t", " \n ", "\u00a0"])
GENERATED = st.lists(st.tuples(FRAGMENTS, SEPARATORS), max_size=12).map(lambda parts: "".join(a + b for a, b in parts))


def test_tricky_english_is_split_as_spacy_splits_it(both):
    nlp, ours = both
    for sample in TRICKY:
        same_as_spacy(nlp, ours, sample)
    assert ours("I don't know") == ["I", "do", "n't", "know"]  # a real special case, not an echo of the input


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sample=GENERATED)
def test_generated_english_is_split_as_spacy_splits_it(both, sample):
    same_as_spacy(*both, sample)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sample=st.text(alphabet=st.characters(codec="utf-8"), max_size=60))
def test_any_text_is_split_as_spacy_splits_it(both, sample):
    same_as_spacy(*both, sample)


def test_analysed_english_is_the_same_without_spacy(tmp_path, monkeypatch):
    sentences = ["The adviser didn't call me back; I waited for ages!!", "Refunds were quick, staff lovely :)",
                 "My card's been blocked since Monday (again...)", "Can't log in to the app — it's crashing."]
    monkeypatch.setattr(english_tokenizer.derived, "roots", lambda: [tmp_path])
    load = english_tokenizer.load
    load.cache_clear()
    text.stop_words.cache_clear()
    try:
        without = text.analyse_texts(sentences, ["en"] * len(sentences))
        assert list(tmp_path.glob("spacy-en-tokenizer-*.json"))  # prepared on first use
        monkeypatch.setattr(english_tokenizer, "load", lambda: None)  # as if the rules could not be prepared
        text.stop_words.cache_clear()
        with_spacy = text.analyse_texts(sentences, ["en"] * len(sentences))
    finally:
        load.cache_clear()
        text.stop_words.cache_clear()
    assert [(t.words, t.lemmas, t.nouns, t.word_lemmas) for t in without] == [
        (t.words, t.lemmas, t.nouns, t.word_lemmas) for t in with_spacy]
    assert "n't" in without[0].words and "adviser" in without[0].lemmas and "refund" in without[1].lemmas


def test_no_writable_folder_means_spacy_is_used(tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("")
    monkeypatch.setattr(english_tokenizer.derived, "roots", lambda: [blocked / "derived"])
    english_tokenizer.load.cache_clear()
    try:
        assert english_tokenizer.load() is None
    finally:
        english_tokenizer.load.cache_clear()
