"""Spoken French read as written, for the classifier: transcripts keep the words as said.

Interviews are transcribed speech, where French drops the "ne" of its negations ("il m'a jamais
rappelé", "c'est pas clair", "y a pas de suivi") and hesitates ("euh", "ben"). The lexicon rules
read "pas" alone, but the n-gram model and the sentence embeddings learned negation from written
sentences, where "ne" is its surest sign: without it, "Ils m'ont même pas dit bonjour" was read as
praise and "Ils ne m'ont même pas dit bonjour" as a complaint. `as_written` gives the analysis the
written form; the transcript, quotes and exports keep what was said.
"""
from __future__ import annotations

import re

# hesitations that say nothing ("euh", "hum", "um"); "ben" and "bah" only when not a name ("Ben m'a appelé")
_FILLER = re.compile(r"(?:(?<=^)|(?<=[\s,.;:!?…]))(?:[Ee]u+h+|[Hh]eu+|[Hh]u+m+|[Hh]m+|[Mm]m+h+|[Uu]h+|[Uu]m+|[Ee]rm+"
                     r"|bah|ben|beh|[Bb]ah,|[Bb]en,)"
                     r"(?=$|[\s,.;:!?…])[,…]?\s*")
_TOKEN = re.compile(r"[^\W\d_]+'|[^\W\d_]+(?:-[^\W\d_]+)*|\S")
SUBJECTS = {"je", "j'", "tu", "t'", "il", "elle", "on", "nous", "vous", "ils", "elles", "ça", "ca", "cela", "c'"}
WRITTEN_SUBJECT = {"j'": "je", "t'": "tu", "c'": "ce"}
OBJECT_CLITICS = {"me", "m'", "te", "t'", "se", "s'", "le", "la", "l'", "les", "lui", "leur", "y", "en", "nous", "vous"}
# what completes "ne": "plus" is left alone, it also means "more" ("j'en veux plus")
COMPLETERS = {"pas", "jamais", "rien", "guère"}
BETWEEN = {"même", "vraiment", "toujours", "encore", "trop", "franchement", "du", "tout"}  # "m'ont même pas dit"
NEGATION_SIGNS = {"ne", "n'"}
# "t'as pas", "t'es pas venu": before "avoir" or "être" said to "tu", "t'" is the subject; elsewhere it may be
# "te" ("t'inquiète pas" is an order)
YOU_HAVE_OR_ARE = {"as", "es", "avais", "étais", "auras", "seras", "aurais", "serais"}
# where a French clause starts: its subject comes next ("que personne savait", "donc y a pas de suivi")
CLAUSE_STARTS = {",", ".", ";", ":", "!", "?", "…", "et", "mais", "que", "qu'", "parce", "car", "où", "quand", "si",
                 "là", "alors", "donc", "puis", "ben", "bah"}


def without_fillers(text: str) -> str:
    cleaned = _FILLER.sub("", text)
    if cleaned == text:
        return text
    cleaned = re.sub(r"\s{2,}", " ", cleaned).strip()
    return cleaned[:1].upper() + cleaned[1:] if text[:1].isupper() else cleaned


def restore_ne(text: str) -> str:
    """`text` with "ne" put back where a negation has its "pas", "jamais" or "rien" after a subject
    pronoun and its verb but no "ne": "il m'a jamais rappelé" → "il ne m'a jamais rappelé",
    "j'ai rien compris" → "je n'ai rien compris", "y a pas de suivi" → "n'y a pas de suivi"."""
    found = list(_TOKEN.finditer(text))
    low = [m.group().lower() for m in found]
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement) in `text`
    for k, w in enumerate(low):
        if w not in COMPLETERS:
            continue
        v = k - 1
        while v >= 0 and low[v] in BETWEEN:
            v -= 1
        if v < 0 or not low[v][0].isalpha() or low[v] in OBJECT_CLITICS | SUBJECTS | CLAUSE_STARTS:
            continue
        first = v  # the verb, or the first object pronoun before it
        while first > 0 and low[first - 1] in OBJECT_CLITICS:
            first -= 1
        s = first - 1
        if (s < 0 or low[s] not in SUBJECTS) and low[first] in ("nous", "vous") and first < v:
            s, first = first, first + 1  # "nous avons rien reçu": the subject, not an object
        elif (s < 0 or low[s] not in SUBJECTS) and low[first] == "t'" and first + 1 == v and low[v] in YOU_HAVE_OR_ARE:
            s, first = first, first + 1  # "t'as rien compris": "tu"
        spoken_y_a = low[first] == "y" and (s < 0 or low[s] in CLAUSE_STARTS)  # "y a pas de suivi"
        if not spoken_y_a and (s < 0 or low[s] not in SUBJECTS):
            continue
        j = k - 1
        while j >= 0 and low[j] not in CLAUSE_STARTS | NEGATION_SIGNS:
            j -= 1
        if j >= 0 and low[j] in NEGATION_SIGNS:  # "on ne nous y reprendra pas": written already
            continue
        ne = "n'" if low[first][0] in "aeiouyéèêàâîôûh" else "ne "
        if s >= 0 and low[s] in WRITTEN_SUBJECT:  # "j'ai pas" → "je n'ai pas"
            subject = WRITTEN_SUBJECT[low[s]]
            subject = subject.capitalize() if found[s].group()[0].isupper() else subject
            edits.append((found[s].start(), found[first].start(), f"{subject} {ne}"))
        else:
            edits.append((found[first].start(), found[first].start(), ne))
    for start, end, replacement in sorted(set(edits), reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


def as_written(text: str) -> str:
    """`text` with its hesitations left out and the "ne" of its negations restored; unchanged when
    there is nothing of the kind (written text, English)."""
    return restore_ne(without_fillers(text))
