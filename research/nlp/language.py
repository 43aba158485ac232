"""Language of an utterance: French or English, from function words and accents."""
from __future__ import annotations

import re

_WORD = re.compile(r"[a-zàâäçéèêëîïôöùûüÿœæ']+", re.IGNORECASE)
FR_MARKERS = frozenset(
    "le la les un une des du de et est sont je j' tu il elle nous vous ils elles on ne pas que qui "
    "mais pour avec sur dans au aux ce cette ces mon ma mes ton ta son sa leur très été être avoir "
    "ai avait fait plus moi c'est n'est qu'il d'un d'une l' m'a m'ont".split())
EN_MARKERS = frozenset(
    "the a an and is are was were i you he she we they it not that which who but for with on in at "
    "this these my your his her their very been be have has had do does did will would can could "
    "i'm it's don't didn't of to from".split())
_ACCENTS = re.compile(r"[àâçéèêëîïôùûœ]")


def detect_language(text: str, default: str = "fr") -> str:
    """'fr' or 'en'; `default` when the text gives no clue (a name, a number)."""
    words = [w.lower() for w in _WORD.findall(text or "")]
    words += [w.split("'")[0] + "'" for w in words if "'" in w]
    fr = sum(w in FR_MARKERS for w in words) + 1.5 * len(_ACCENTS.findall((text or "").lower()))
    en = sum(w in EN_MARKERS for w in words)
    if fr == en:
        return default
    return "fr" if fr > en else "en"


def resolve_languages(texts: list[str], lang: str = "auto") -> list[str]:
    """One language per text: the forced one, or detected (ties go to the corpus majority)."""
    if lang in ("fr", "en"):
        return [lang] * len(texts)
    first = [detect_language(t, default="") for t in texts]
    majority = "en" if sum(x == "en" for x in first) > sum(x == "fr" for x in first) else "fr"
    return [x or majority for x in first]
