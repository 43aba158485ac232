"""One way to compare words whatever their case, accents, apostrophes and spacing."""
from __future__ import annotations

import re
import unicodedata


# Apostrophes and spaces as word processors, phones and other keyboards type them: the typographic "’"
# (and "‘", "ʼ", the full-width "＇", the accents "`" and "´" put for one), and the no-break spaces that
# French typing puts before "!", "?", ":" and ";". Rules, lexicons and seeds are written with the plain
# "'" and " ", so the analysis reads them all as those: "don’t" negates and "J’ai trente ans" describes
# the speaker as "don't" and "J'ai" do, and "not\u00a0helpful" is not three words. Each is one character
# for one, so positions in the text stay the same.
_PLAIN = str.maketrans({**dict.fromkeys("’‘ʼ＇`´", "'"), **dict.fromkeys("\u00a0\u202f\u2007\u2009\u200a", " ")})


def plain_typing(text: str) -> str:
    """The text with every kind of apostrophe written "'" and every no-break or thin space " " (same
    length, same positions)."""
    return text.translate(_PLAIN)


# Control codes: a stray "\x01" or "\x1f" left by a transcription tool or a mis-decoded file, Word's
# manual line break "\x0b", a page break "\x0c". Word, PowerPoint and XML refuse them all.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n"})


def printable(text: str) -> str:
    """The text with its line and page breaks as line breaks and its other control codes as spaces
    (same length, same positions); tabs kept."""
    return _CONTROL.sub(" ", text.translate(_BREAKS))


def fold(text: str | None) -> str:
    """Case folded, accents dropped, curly apostrophes straight, "œ" as "oe", single spaces, trimmed:
    "  Cœur d’Éléphant " and "coeur d'elephant" fold alike."""
    text = plain_typing(text or "").replace("œ", "oe").replace("Œ", "OE")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return re.sub(r"\s+", " ", text).strip()


def file_slug(text: str | None, fallback: str = "ecoute") -> str:
    """A name fit for a file: folded, letters and digits joined by hyphens ("Voix d'adhérents" →
    "voix-d-adherents"); `fallback` when nothing is left."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-") or fallback
