"""Translations: every visible string goes through `t(key)`.

Catalogues are TOML files in `ui/locales/`, one per area of the app (home.toml, brand.toml, ...);
each key is a table with `fr` and `en`:

    [home.title]
    fr = "Accueil"
    en = "Home"

Keys are the dotted table paths. A key defined in two files is an error, caught by the tests.
"""
from __future__ import annotations

import functools
import tomllib
from datetime import datetime
from pathlib import Path

import pandas as pd
import streamlit as st

from research import numbers
from research.numbers import Numbers
from ui import keys

LOCALES_DIR = Path(__file__).parent / "locales"
LANGUAGES = {"fr": "Français", "en": "English"}
DEFAULT_LANGUAGE = "fr"


def _flatten(table: dict, prefix: str = "") -> dict[str, dict[str, str]]:
    """Dotted keys for every table holding `fr`/`en` strings; a table may also hold sub-keys."""
    out = {}
    texts = {k: v for k, v in table.items() if isinstance(v, str)}
    if texts:
        if set(texts) - {"fr", "en"}:
            raise ValueError(f"translation {prefix.rstrip('.')} has entries other than fr and en")
        out[prefix.rstrip(".")] = texts
    for name, value in table.items():
        if isinstance(value, dict):
            out.update(_flatten(value, f"{prefix}{name}."))
        elif not isinstance(value, str):
            raise ValueError(f"translation {prefix}{name} must be a table with fr and en")
    return out


def load_catalog(directory: Path = LOCALES_DIR) -> dict[str, dict[str, str]]:
    catalog: dict[str, dict[str, str]] = {}
    origin: dict[str, str] = {}
    for path in sorted(directory.glob("*.toml")):
        with open(path, "rb") as f:
            entries = _flatten(tomllib.load(f))
        for key, value in entries.items():
            if key in catalog:
                raise ValueError(f"translation {key} is defined in {origin[key]} and {path.name}")
            catalog[key] = value
            origin[key] = path.name
    return catalog


@functools.cache
def catalog() -> dict[str, dict[str, str]]:
    return load_catalog()


def current_language() -> str:
    lang = st.session_state.get(keys.LANGUAGE)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, lang: str | None = None, **params) -> str:
    """The text for `key` in the session's language (or `lang`), formatted with `params` (numbers
    in that language's conventions, as the text's format specs say: "{share:.0%}" → "45 %")."""
    lang = lang or current_language()
    entry = catalog().get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry.get(DEFAULT_LANGUAGE) or key
    return numbers.fill(text, lang, **params) if params else text


def number(value: float, spec: str) -> str:
    """`value` formatted by `spec` ("+.2f", ".0%") as the session's language writes numbers."""
    return numbers.number(value, spec, current_language())


def count(value: int) -> str:
    """A whole number with its thousands apart, as the session's language writes them: "12 345" in
    French, "12,345" in English."""
    return number(value, ",d")


def table_numbers(frame, templates: dict[str, str] | None = None):
    """`frame` ready for `st.dataframe` with its numbers written in the session's language: whole
    numbers with their thousands apart, and each column of `templates` by its template ("{:.1f} s",
    "{:.0%}"). The table still sorts by the numbers, not by the text; a missing number shows "—"."""
    templates, formatter, shown = templates or {}, Numbers(current_language()), {}
    for column in frame.columns:  # the grid shows the Styler's text for every number, formatted here or not
        if column in templates:
            shown[column] = functools.partial(formatter.format, templates[column])
        elif pd.api.types.is_integer_dtype(frame[column]):
            shown[column] = count
        elif pd.api.types.is_float_dtype(frame[column]):
            shown[column] = functools.partial(number, spec=",.6g")
    return frame.style.format(shown, na_rep="—")


def day(value, style: str = "short") -> str:
    """A day (a date, a datetime or an ISO text) as the session's language writes it: "07/10/2026",
    "7 Oct 2026"; a stored moment ("2026-10-07T22:30:00+00:00") on this computer's clock; "—" for
    none, and a text that is no ISO date as it is."""
    if not value:
        return "—"
    if isinstance(value, str):
        parsed = local_moment(value)
        if parsed is None:
            return value
        value = parsed
    elif isinstance(value, datetime) and value.tzinfo is not None:
        value = value.astimezone()
    return numbers.day(value, current_language(), style)


def day_input_format() -> str:
    """How a date picker writes its day: "07/10/2026" in French; "2026/10/07" in English, which
    British and American readers read alike."""
    return "DD/MM/YYYY" if current_language() == "fr" else "YYYY/MM/DD"


def moment_column(label: str, **options):
    """A table column of moments, a day and its time ("25/11/2026 14:05", "25 Nov 2026 14:05")."""
    return st.column_config.DatetimeColumn(label, format=numbers.table_moment_format(current_language()), **options)


def local_moment(stamp: str | None) -> datetime | None:
    """A stored UTC moment ("2026-11-25T13:05:00+00:00") on this computer's clock, for `moment_column`;
    None for none or for text that is no moment."""
    try:
        return datetime.fromisoformat(stamp).astimezone().replace(tzinfo=None)
    except (TypeError, ValueError):
        return None


def day_column(label: str, **options):
    """A table column of dates written as `day` writes them (the table still sorts by date)."""
    return st.column_config.DateColumn(label, format=numbers.table_day_format(current_language()), **options)


def has(key: str) -> bool:
    return key in catalog()


def error_text(error: Exception) -> str:
    """A domain error in the user's language when it carries a known key, else its own message."""
    key = getattr(error, "key", None)
    if key and has(key):
        try:
            return t(key, **getattr(error, "params", {}))
        except (KeyError, IndexError):
            pass
    return str(error)


def init_language() -> None:
    """Take `?lang=` from the URL once, else keep the session's choice, else French."""
    requested = st.query_params.get("lang")
    if requested in LANGUAGES and st.session_state.get(keys.LANGUAGE_FROM_URL) != requested:
        st.session_state[keys.LANGUAGE] = requested
        st.session_state[keys.LANGUAGE_FROM_URL] = requested
    st.session_state.setdefault(keys.LANGUAGE, DEFAULT_LANGUAGE)


def _keep_a_language() -> None:
    """A click on the option already selected clears a segmented control: keep the language shown.
    (In the widget's own callback, before the next run: afterwards its state may not be set.)"""
    if st.session_state.get(keys.LANGUAGE) not in LANGUAGES:
        st.session_state[keys.LANGUAGE] = st.session_state.get(keys.LANGUAGE_SHOWN, DEFAULT_LANGUAGE)


def language_switch() -> None:
    """The FR/EN switch, in the sidebar of every page."""
    st.session_state[keys.LANGUAGE_SHOWN] = current_language()
    st.sidebar.segmented_control(
        t("app.language"),
        options=list(LANGUAGES),
        format_func=lambda code: code.upper(),
        key=keys.LANGUAGE,
        selection_mode="single",
        label_visibility="collapsed",
        on_change=_keep_a_language,
    )
