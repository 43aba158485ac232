"""One way to compare words whatever their case, accents, apostrophes and spacing."""
from __future__ import annotations

import re
import unicodedata


def fold(text: str | None) -> str:
    """Case folded, accents dropped, curly apostrophes straight, "œ" as "oe", single spaces, trimmed:
    "  Cœur d’Éléphant " and "coeur d'elephant" fold alike."""
    text = (text or "").replace("’", "'").replace("œ", "oe").replace("Œ", "OE")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return re.sub(r"\s+", " ", text).strip()
