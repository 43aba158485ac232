"""Numbers and days as readers of each language write them: "0,64", "−0,12" and "64 %" in French,
"0.64", "-0.12" and "64%" in English, with thousands apart ("12 345", "12,345"); "07/10/2026" or
"7 octobre 2026" in French, "7 Oct 2026" or "7 October 2026" in English, and "07/10/26" or "7 Oct 26"
where room is short (never "10/07/2026", which an American and a European read as different days).

Translations carry the format of their numbers ("ressenti moyen {mood:+.2f}"), their days ("du
{date:long}") and the nouns their counts govern ("{n} verbatim{n:|s}"), and `Numbers(lang)` fills
them in that language: the code passes numbers and dates, never text made of them. Charts get the
same conventions from `chart_locale` (Vega's number and time locales), and tables from
`table_day_format` and `table_moment_format` (the grid's moment.js patterns).
"""
from __future__ import annotations

import re
import string
from datetime import date, datetime
from numbers import Real

NARROW_SPACE = "\u202f"  # between thousands and before "%" in French, never broken across lines
_NOT_ZERO = re.compile(r"[1-9]")
_NUMBER_TYPES = set("bcdeEfFgGnoxX%")


def number(value: float, spec: str, lang: str) -> str:
    """`value` formatted by the Python `spec` ("+.2f", ".0%", ",.0f"), in `lang`'s conventions; a
    value that rounds to zero shows no minus sign ("+0,00", never "-0,00")."""
    if spec.endswith("d") and isinstance(value, float) and value.is_integer():
        value = int(value)  # a count that went through a column of floats
    text = format(value, spec)
    if value < 0 and not _NOT_ZERO.search(text):
        text = format(0.0 if isinstance(value, float) else 0, spec)
    if lang == "fr":
        text = text.replace(",", NARROW_SPACE).replace(".", ",").replace("%", NARROW_SPACE + "%")
        text = text.replace("-", "\u2212")
    return text


DAY_STYLES = ("short", "long", "compact")  # compact: where room is short, as under a chart's bars
_ENGLISH_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                   "October", "November", "December")


def day(value: date, lang: str, style: str = "short") -> str:
    """A calendar day (the day of a datetime) as `lang` writes it, in one of `DAY_STYLES`."""
    if isinstance(value, datetime):
        value = value.date()
    if style not in DAY_STYLES:
        raise ValueError(f"day style {style!r}: one of {', '.join(DAY_STYLES)}")
    if lang == "fr":
        if style != "long":
            return value.strftime("%d/%m/%Y" if style == "short" else "%d/%m/%y")
        first = "1er" if value.day == 1 else str(value.day)
        return f"{first} {_FRENCH_TIMES['months'][value.month - 1]} {value.year}"
    month = _ENGLISH_MONTHS[value.month - 1]  # not strftime's, which follows the process's locale
    if style == "compact":
        return f"{value.day} {month[:3]} {value.year % 100:02d}"
    return f"{value.day} {month[:3] if style == 'short' else month} {value.year}"


def table_day_format(lang: str) -> str:
    """The moment.js pattern of `day(..., "short")`, for a table's date column (which then still
    sorts by date, not by the text)."""
    return "DD/MM/YYYY" if lang == "fr" else "D MMM YYYY"


def table_moment_format(lang: str) -> str:
    """The moment.js pattern of a day and its time on a 24-hour clock, for a table's moment column."""
    return table_day_format(lang) + " HH:mm"


def is_singular(count, lang: str) -> bool:
    """Whether a noun after `count` takes its singular: below two in French ("0 participant", "1,5
    heure"), exactly one in English ("0 participants", "1 participant"); anything not a number is
    counted as many ("—")."""
    if not isinstance(count, Real) or isinstance(count, bool):
        return False
    return abs(count) < 2 if lang == "fr" else abs(count) == 1


class Numbers(string.Formatter):
    """`str.format` whose numbers given a format spec, and dates given a day style ("{date:long}"),
    are written in `lang`'s conventions; a datetime is its day and its time ("05/12/2026 18:30"). A
    spec with a "|" chooses between a singular and a plural by the count it names: "{n} participant{n:|s}"
    writes "1 participant", "3 participants"; "{n} {n:person|people}"."""

    def __init__(self, lang: str):
        super().__init__()
        self.lang = lang

    def format_field(self, value, format_spec: str):
        if "|" in format_spec:  # "{n:|s}", "{n:person|people}": the form the count asks for
            singular, plural = format_spec.split("|", 1)
            return singular if is_singular(value, self.lang) else plural
        if format_spec and isinstance(value, Real) and not isinstance(value, bool):  # NumPy's numbers too
            return number(value, format_spec, self.lang)
        if format_spec in DAY_STYLES:
            if isinstance(value, datetime):  # a moment: its day, and the time on a 24-hour clock
                return f"{day(value, self.lang, format_spec)} {value.strftime('%H:%M')}"
            return day(value, self.lang, format_spec) if isinstance(value, date) else str(value)  # "—" as it is
        if format_spec[-1:] in _NUMBER_TYPES and isinstance(value, str):
            return value  # what stands for a missing number ("—") is written as it is
        return super().format_field(value, format_spec)


def fill(template: str, lang: str, /, **params) -> str:
    """`template.format(**params)`, numbers and days written as `lang` writes them."""
    return Numbers(lang).format(template, **params)


_FRENCH_NUMBERS = {"decimal": ",", "thousands": NARROW_SPACE, "grouping": [3], "currency": ["", "\u00a0€"],
                   "percent": NARROW_SPACE + "%", "minus": "\u2212"}
_FRENCH_TIMES = {
    "dateTime": "%A %e %B %Y à %X", "date": "%d/%m/%Y", "time": "%H:%M:%S", "periods": ["AM", "PM"],
    "days": ["dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"],
    "shortDays": ["dim.", "lun.", "mar.", "mer.", "jeu.", "ven.", "sam."],
    "months": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
               "novembre", "décembre"],
    "shortMonths": ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
                    "déc."],
}


def chart_locale(lang: str) -> dict | None:
    """Vega's `config.locale` for `lang` (d3's number and time conventions), None for English (Vega's own)."""
    return {"number": _FRENCH_NUMBERS, "time": _FRENCH_TIMES} if lang == "fr" else None
