"""One way to compare words whatever their case, accents, apostrophes and spacing."""
from __future__ import annotations

import re
import unicodedata


# Apostrophes as word processors, phones and other keyboards type them: the typographic "’" (and "‘", "ʼ",
# the full-width "＇", the accents "`" and "´" put for one). Rules, lexicons and seeds are written with the
# plain "'", so the analysis reads them all as it: "don’t" negates and "J’ai trente ans" describes the
# speaker as "don't" and "J'ai" do. Each is one character for one, so positions in the text stay the same.
_APOSTROPHES = str.maketrans(dict.fromkeys("’‘ʼ＇`´", "'"))


def plain_apostrophes(text: str) -> str:
    """The text with every kind of apostrophe written "'" (same length, same positions)."""
    return text.translate(_APOSTROPHES)


def fold(text: str | None) -> str:
    """Case folded, accents dropped, curly apostrophes straight, "œ" as "oe", single spaces, trimmed:
    "  Cœur d’Éléphant " and "coeur d'elephant" fold alike."""
    text = plain_apostrophes(text or "").replace("œ", "oe").replace("Œ", "OE")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return re.sub(r"\s+", " ", text).strip()
