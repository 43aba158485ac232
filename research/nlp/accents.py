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
"""
from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from itertools import product

# the accented letters French may have dropped, for each bare letter
ACCENTED = {"a": "aàâ", "e": "eéèêë", "i": "iîï", "o": "oô", "u": "uùûü", "c": "cç"}
MAX_SPELLINGS = 4096  # spellings tried for one word, at most ("desagreablement" has 2,304)
MORE_OFTEN_THAN_TYPED = 0.5  # Zipf points: about three times as often as the word as typed
MORE_OFTEN_THAN_OTHERS = 0.3  # and twice as often as any other accented spelling
_BARE_WORD = re.compile(r"(?<![\w'’-])[A-Za-z]{2,}(?![\w-])")


def spellings(word: str) -> list[str]:
    """Every way of accenting `word` (lower case, plain letters), itself excepted, or none when there
    are too many to try."""
    options = [ACCENTED.get(ch, ch) for ch in word]
    count = 1
    for o in options:
        count *= len(o)
    if count > MAX_SPELLINGS:
        return []
    return ["".join(p) for p in product(*options)][1:]


def _participle_of(word: str, spelling: str) -> bool:
    """Whether `spelling` differs from `word` by the accent of a final "e" or "es" alone: a verb's
    present and its participle ("se complique", "compliqué"; "je recommande", "recommandé"), both
    words, which no frequency can tell apart."""
    changed = [k for k, (a, b) in enumerate(zip(word, spelling)) if a != b]
    ending = len(word) - (1 if word.endswith("e") else 2 if word.endswith("es") else 0)
    return changed == [ending] and spelling[ending] == "é"  # "très" is no participle of "tres"


def accented_form(word: str, frequency: Callable[[str], float]) -> str | None:
    """The spelling of a bare `word` (lower case) that French writes far more often than `word` and
    than any other spelling; None when there is none."""
    found = sorted(((frequency(s), s) for s in spellings(word) if not _participle_of(word, s)), reverse=True)
    found = [(f, s) for f, s in found if f > 0]
    if not found:
        return None
    best, spelling = found[0]
    if best < frequency(word) + MORE_OFTEN_THAN_TYPED:
        return None
    if len(found) > 1 and best < found[1][0] + MORE_OFTEN_THAN_OTHERS:
        return None
    return spelling


@lru_cache(maxsize=1)
def _french_frequency() -> Callable[[str], float]:
    from wordfreq import zipf_frequency

    return lambda word: zipf_frequency(word, "fr")


def french_frequency(word: str) -> float:
    """How often French writes `word`, on the Zipf scale (0 for a word never seen)."""
    return _french_frequency()(word)


def _cased_like(model: str, word: str) -> str:
    if model.isupper() and len(model) > 1:
        return word.upper()
    return word[:1].upper() + word[1:] if model[:1].isupper() else word


def restore_accents(text: str, frequency: Callable[[str], float] = french_frequency,
                    memo: dict[str, str | None] | None = None) -> str:
    """`text` with the accents of its bare words given back where one spelling stands out."""
    memo = {} if memo is None else memo

    def restore(m: re.Match) -> str:
        typed = m.group()
        low = typed.lower()
        if low not in memo:
            memo[low] = accented_form(low, frequency)
        found = memo[low]
        return _cased_like(typed, found) if found else typed

    return _BARE_WORD.sub(restore, text)


_found_in_french: dict[str, str | None] = {}  # bare word → its accented spelling or None, asked once per process


def with_french_accents(typed: str) -> str:
    """French `typed` with the accents of its bare words given back where one spelling stands out."""
    return restore_accents(typed, french_frequency, _found_in_french) if typed else typed
