"""The demo team's own codes: three codes the researchers put on the interviews' utterances."""
from __future__ import annotations

import re

import sqlite_utils

from research import team_codes

AUTHOR = "Claire Dubreuil"
# name, definition, the words that, in the demo's transcripts, say it
CODES = [
    ("Prix et cotisations", "Ce que coûte la mutuelle, ses hausses, la comparaison des tarifs.",
     r"\b(cotisations?|tarifs?|cher|chère|chers|prix|pour cent|augment\w*|price|prices|expensive|premium)\b"),
    ("Mention d'un concurrent", "Le participant cite une autre mutuelle, qu'il la préfère ou non.",
     r"(Santéo|Prévia)"),
    ("Parcours digital", "L'application, le site, l'espace adhérent en ligne, l'e-mail.",
     r"\b(appli|application|site|en ligne|internet|espace adhérent|app|online|website|e-mail|email)\b"),
]


def build(db: sqlite_utils.Database) -> None:
    said = list(db.execute("SELECT id, text FROM utterances WHERE role = 'participant' ORDER BY id"))
    for name, definition, words in CODES:
        code_id = team_codes.create_code(db, name, definition, AUTHOR)
        pattern = re.compile(words, re.IGNORECASE)
        ids = [uid for uid, text in said if pattern.search(text or "")]
        if ids:
            team_codes.apply_code(db, ids, code_id, AUTHOR)
