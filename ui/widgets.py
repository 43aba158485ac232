"""Shared page furniture."""
from __future__ import annotations

import re
from numbers import Integral

import streamlit as st

from ui import keys
from ui.i18n import count, current_language, error_text, t


_MARKDOWN_SIGNS = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$:])")


def literal(text: str) -> str:
    """Text as it was said or typed, for st.markdown and its kin: markdown's signs are escaped, so a
    transcript's "*soupir*", "[rires]", "1." at the start of a turn, a ":" before a word or a "$" stay
    as they are instead of turning into emphasis, links, lists, emoji or mathematics."""
    return _MARKDOWN_SIGNS.sub(r"\\\1", text or "")


def badge(text: str, colour: str = "blue") -> str:
    """A coloured badge holding typed or said text (a "]" in it would end the badge early)."""
    return f":{colour}-badge[{literal(text)}]"


def file_uploader(label: str, *, key: str, type: list[str] | None = None, **options):
    """`st.file_uploader`, its button and its size line in the page's language: Streamlit writes
    "Upload" and "200MB per file • TXT, DOCX" whatever the page's language, so a French page gets them
    written over, for this uploader alone, by a style rule (its container carries the class
    "st-key-" + key)."""
    uploaded = st.file_uploader(label, key=key, type=type, **options)
    if current_language() != "en":
        kinds = []
        for kind in type or ():
            name = kind.lstrip(".").upper()
            if name not in kinds and not (name == "JPEG" and "jpg" in type):
                kinds.append(name)
        line = " • ".join([t("app.uploader.limit", mb=st.get_option("server.maxUploadSize"))]
                          + ([", ".join(kinds)] if kinds else []))
        st.html(uploader_style(key, t("app.uploader.button"), line))
    return uploaded


def uploader_style(key: str, button: str, line: str) -> str:
    """The style rule that writes `button` and `line` in place of the uploader's own English words."""
    scope = ".st-key-" + re.sub(r"[^a-zA-Z0-9_-]", "-", key.strip())
    quoted = {name: '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
              for name, text in (("button", button), ("line", line))}
    box = f'{scope} [data-testid="stFileUploaderDropzone"]'
    return ("<style>"
            f'{box} button [data-testid="stMarkdownContainer"] p,'
            f'{box} [data-testid="stFileUploaderDropzoneInstructions"] span{{font-size:0}}'
            f'{box} button [data-testid="stMarkdownContainer"] p::after{{content:{quoted["button"]};font-size:14px}}'
            f'{box} [data-testid="stFileUploaderDropzoneInstructions"] span::after{{content:{quoted["line"]};'
            "font-size:14px}</style>")


def flash_and_done(name: str):
    """Show the success message a previous run left under `name`, and return `done(message)`, which
    leaves one and runs the page again: a message shown just before `st.rerun()` would vanish with it."""
    key = f"{name}_flash"
    message = st.session_state.pop(key, None)
    if message:
        st.success(message, icon=":material/check:")

    def done(message: str) -> None:
        st.session_state[key] = message
        st.rerun()

    return done


def tabs(labels: list[str], *, key: str, default: str | None = None):
    """`st.tabs` under a fixed key, so that the browser sees the same tabs from one run to the next
    and keeps the one the user was on. Without a key, anything shown above them after a save (a
    success message, an error) makes them new tabs, and the first one opens again."""
    return st.tabs(labels, key=key, default=default)


def confirmed_button(confirm: str, action: str, *, key: str) -> bool:
    """A button that deletes: enabled only once the box above it, saying what goes, is ticked (its key
    `key` + "_sure"). True on the click."""
    sure = st.checkbox(confirm, key=f"{key}_sure")
    return st.button(action, disabled=not sure, key=key, icon=":material/delete:")


def wrapped_table(frame, index: str) -> None:
    """A small table whose cells wrap, `index` (a column of `frame`) as its row headings: all of it
    on the page and in print, where a data grid cuts long text and hides columns past the page's edge."""
    st.table(frame.set_index(index).fillna("—"))


def page_header(title_key: str, intro_key: str | None = None) -> None:
    st.title(t(title_key))
    if intro_key:
        st.caption(t(intro_key))


def show_error(error: Exception) -> None:
    """A domain error as a clear message in the user's language (never a traceback)."""
    st.error(error_text(error), icon=":material/error:")


def figure(container, label: str, value, delta=None, **options) -> None:
    """A key figure in a bordered card of `container`; a count is written with its thousands apart in
    the page's language ("12 345", "12,345"), which `st.metric` leaves to no one."""
    if isinstance(value, Integral) and not isinstance(value, bool):
        value = count(value)
    container.metric(label, value, delta, border=True, **options)


def figure_cards(figures: list[tuple[str, object]], columns: int | None = None) -> None:
    """A row of key figures, (label, value) pairs; a row each `columns`, one row by default."""
    columns = columns or len(figures)
    cols = st.columns(columns)
    for i, (label, value) in enumerate(figures):
        figure(cols[i % columns], label, value)


def shown_version(name: str, current: str) -> str:
    """The version of a record as the previous run showed it (what the person edited), then remember
    `current` as what this run shows. Pass the result as `based_on` when saving: if someone else saved
    in between, the service raises ConflictError instead of overwriting their change."""
    key = keys.EDIT_BASE_PREFIX + name
    base = st.session_state.get(key, current)
    st.session_state[key] = current
    return base


def remembered_select(label: str, labels: dict, key: str, default=None):
    """Pick one of `labels` (id → text); the choice is remembered in session state under `key`
    across reruns and pages, and falls back to `default` (or the first) when it no longer exists."""
    if st.session_state.get(key) not in labels:
        st.session_state[key] = default if default in labels else next(iter(labels))
    return st.selectbox(label, list(labels), format_func=labels.get, key=key)


def chart_with_height(chart) -> None:
    """An Altair chart at full width and at its own height. Streamlit squeezes some charts with a
    band axis (horizontal bars) unless the element's height is given: the plot's height plus room
    for the axis title and the legend."""
    height = getattr(chart, "height", None)  # as set by .properties(height=...); no serialising the whole chart
    if isinstance(height, int):
        show_chart(chart, height=height + 90)
    else:
        show_chart(chart)


def show_chart(chart, **options) -> None:
    """An Altair chart at full width (unless `options` say otherwise), its numbers and dates written
    in the reader's language."""
    from research.synthesis_charts import in_language

    st.altair_chart(in_language(chart, current_language()), **{"width": "stretch", **options})
