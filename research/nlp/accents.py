"""French typed without its accents, read with them: "Evitez", "tres decu", "delai de reponse".

Customers type on phones and French capitals often go without accents, but the lexicons, the
lemmatizer and the set expressions know "évitez", "très", "déçu" and "délai": typed bare, those
words carried no polarity at all. `restore_accents` gives a bare word the accents of the one
spelling French writes far more often than the word as typed and than any other spelling, by the
word frequencies of `wordfreq` (Zipf scale: 6 is once in a thousand words, 3 once in a million).
"très" (6.1) is written forty times as often as "tres" (4.5): restored. "liste" (5.1) is written
more than "listé", "sur" more than "sûr", "email" more than "émail": left alone. "eleve" could be
"élevé" or "élève" (4.8 and 4.7): left alone. A final "e" alone is never accented: "se complique"
and "je recommande" are words, though "compliqué" and "recommandé" are written more often.

Only the analysis reads the restored text; transcripts, quotes and exports keep what was typed. The
sentence embeddings fold accents on their own (their tokenizer drops them), so they read either
form alike.

Which bare words get which accents depends only on wordfreq's list and the rules below, so the
answer for all of them (some 41,000 words) is worked out once and kept among the derived
artefacts (`models/derived/fr-accents-….json`, by `ecoute models prepare` or on first use): reading
it takes two hundredths of a second, where reading wordfreq's list and indexing its 55,000 accented
words by bare form took 0.5 s in every process that analysed French.
"""
from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

from research.folding import fold

MORE_OFTEN_THAN_TYPED = 0.5  # Zipf points: about three times as often as the word as typed
MORE_OFTEN_THAN_OTHERS = 0.3  # and twice as often as any other accented spelling
_BARE_WORD = re.compile(r"(?<![\w'’-])[A-Za-z]{2,}(?![\w-])")


class Spellings:
    """The words of a language with how often each is written (`zipf`), and its accented words by
    their bare form, as `fold` writes it ("tres" → "très", "trés"; "coeur" → "cœur")."""

    def __init__(self, zipf: Callable[[str], float], words: Iterable[str]):
        self.zipf = zipf
        self.accented: dict[str, list[str]] = {}
        for word in words:
            if not word.isascii():
                bare = fold(word)
                if bare.isascii() and bare.isalpha():
                    self.accented.setdefault(bare, []).append(word)


def _participle_of(word: str, spelling: str) -> bool:
    """Whether `spelling` differs from `word` by the accent of a final "e" or "es" alone: a verb's
    present and its participle ("se complique", "compliqué"; "je recommande", "recommandé"), both
    words, which no frequency can tell apart."""
    changed = [k for k, (a, b) in enumerate(zip(word, spelling)) if a != b]
    ending = len(word) - (1 if word.endswith("e") else 2 if word.endswith("es") else 0)
    return changed == [ending] and spelling[ending] == "é"  # "très" is no participle of "tres"


def accented_form(word: str, spellings: Spellings) -> str | None:
    """The spelling of a bare `word` (lower case) that is written far more often than `word` and than
    any other spelling; None when there is none."""
    found = sorted(((spellings.zipf(s), s) for s in spellings.accented.get(word, ()) if not _participle_of(word, s)),
                   reverse=True)
    if not found:
        return None
    best, spelling = found[0]
    if best < spellings.zipf(word) + MORE_OFTEN_THAN_TYPED:
        return None
    if len(found) > 1 and best < found[1][0] + MORE_OFTEN_THAN_OTHERS:
        return None
    return spelling


@lru_cache(maxsize=1)
def french_spellings() -> Spellings:
    """French words and their frequencies from `wordfreq` (its lists inside the wheel; 0.4 s)."""
    from wordfreq import get_frequency_dict

    frequencies = get_frequency_dict("fr", wordlist="best")

    def zipf(word: str) -> float:
        f = frequencies.get(word)
        return math.log10(f) + 9 if f else 0.0

    return Spellings(zipf, frequencies)


def _cased_like(model: str, word: str) -> str:
    if model.isupper() and len(model) > 1:
        return word.upper()
    return word[:1].upper() + word[1:] if model[:1].isupper() else word


def restore_accents(text: str, spellings: Spellings, memo: dict[str, str | None] | None = None) -> str:
    """`text` with the accents of its bare words given back where one spelling stands out."""
    memo = {} if memo is None else memo

    def accented(low: str) -> str | None:
        if low not in memo:
            memo[low] = accented_form(low, spellings)
        return memo[low]

    return _restored(text, accented)


def _restored(text: str, accented: Callable[[str], str | None]) -> str:
    """`text` with each bare word written as `accented(word in lower case)` says, when it says one."""
    def restore(m: re.Match) -> str:
        typed = m.group()
        found = accented(typed.lower())
        return _cased_like(typed, found) if found else typed

    return _BARE_WORD.sub(restore, text)


def accent_table(spellings: Spellings) -> dict[str, str]:
    """Every bare word of `spellings` that gets accents, with its accented spelling."""
    table = {}
    for bare in sorted(spellings.accented):
        found = accented_form(bare, spellings)
        if found:
            table[bare] = found
    return table


ACCENT_FILES = "fr-accents-*.json"  # the French accent table in models/derived/, one per wordfreq and rules
# the code the table follows: these rules, and `fold`, which writes a word's bare form
ACCENT_SOURCES = (Path(__file__), Path(__file__).resolve().parents[1] / "folding.py")


def _accent_file_name() -> str:
    from importlib.metadata import version

    h = hashlib.sha256(f"wordfreq {version('wordfreq')}".encode())
    for path in ACCENT_SOURCES:
        h.update(path.read_bytes())
    return ACCENT_FILES.replace("*", h.hexdigest()[:16])


def prepare_french_accents(force: bool = False) -> Path:
    """Write the French accent table into models/derived/ (or find it there); returns the file."""
    from research.nlp import derived

    name = _accent_file_name()
    if not force:
        stored = next((root / name for root in derived.roots() if (root / name).exists()), None)
        if stored is not None:
            return stored
    path = derived.writable_root() / name
    derived.write_atomically(path, json.dumps(accent_table(french_spellings()), ensure_ascii=False))
    return path


@lru_cache(maxsize=1)
def french_accents() -> dict[str, str]:
    """The French accent table: read from the derived artefacts, else worked out (and kept when it can be)."""
    for force in (False, True):  # a damaged file is worked out again and written over
        try:
            table = json.loads(prepare_french_accents(force).read_text(encoding="utf-8"))
        except OSError:
            break  # nowhere to keep it: worked out for this process
        except ValueError:
            continue
        if isinstance(table, dict):
            return table
    return accent_table(french_spellings())


def with_french_accents(typed: str) -> str:
    """French `typed` with the accents of its bare words given back where one spelling stands out."""
    return _restored(typed, french_accents().get) if typed else typed
