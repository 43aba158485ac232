"""The customer-experience dimension an utterance speaks to, when it is clear.

Four dimensions, as CX practitioners use them: relational (the people, being known and listened
to), service (what is delivered: speed, reliability, price, paperwork), experiential (the channels
and places: the app, the website, the shop, the phone line) and emotional (what the customer felt).
Keyword families in both languages; an utterance gets the dimension with most hits, or none.
"""
from __future__ import annotations

import re

DIMENSIONS = ("relational", "service", "experiential", "emotional")

_KEYWORDS = {
    "relational": r"conseill\w*|interlocut\w*|personnel|équipe|vendeu\w*|serveu\w*|accueil\w*|aimable|gentil\w*|"
                  r"écout\w*|souri\w*|humain\w*|poli\w*|désagréable|impoli|rappel\w*|adviser|advisor|staff|agent|"
                  r"waiter|waitress|friendly|rude|polite|listen\w*|kind|team|person|someone|people|human",
    "service": r"délai\w*|rembours\w*|prix|tarif\w*|frais|cher|coût\w*|factur\w*|dossier\w*|contrat\w*|garantie\w*|"
               r"livraison|panne|erreur\w*|qualité|rapid\w*|lent\w*|attente|retard\w*|prise en charge|"
               r"refund\w*|price|fee\w*|cost\w*|bill\w*|invoice\w*|claim\w*|contract|delivery|delay\w*|quality|"
               r"fast|slow|wait\w*|late|charge\w*|transfer\w*|card|payment|cover\w*",
    "experiential": r"site|application|appli|app|espace client|téléphone|agence|boutique|magasin|chat|e-?mail|mail|"
                    r"courrier|sms|formulaire|en ligne|internet|salle|cadre|ambiance|décor|lieu|website|online|"
                    r"phone|branch|shop|store|form|login|password|atmosphere|place|room|screen|button",
    "emotional": r"stress\w*|peur|inquiet\w*|angoiss\w*|rassur\w*|déçu\w*|colère|énerv\w*|frustr\w*|content\w*|"
                 r"heureu\w*|ravi\w*|soulag\w*|plaisir|honte|confian\w*|abandonn\w*|seul\w*|sentie?|"
                 r"worried|anxious|afraid|reassur\w*|disappoint\w*|angry|upset|frustrat\w*|happy|delighted|"
                 r"reliev\w*|trust|felt|feel\w*|scared|alone",
}
_PATTERNS = {d: re.compile(rf"\b({p})\b", re.IGNORECASE) for d, p in _KEYWORDS.items()}


def dimension_of(text: str) -> str | None:
    hits = {d: len(p.findall(text or "")) for d, p in _PATTERNS.items()}
    best = max(hits.values())
    if best == 0:
        return None
    winners = [d for d, n in hits.items() if n == best]
    return winners[0] if len(winners) == 1 else None
