"""Shared page furniture."""
from __future__ import annotations

import streamlit as st

from ui.i18n import error_text, t


def page_header(title_key: str, intro_key: str | None = None) -> None:
    st.title(t(title_key))
    if intro_key:
        st.caption(t(intro_key))


def show_error(error: Exception) -> None:
    """A domain error as a clear message in the user's language (never a traceback)."""
    st.error(error_text(error), icon=":material/error:")


def figure_cards(figures: list[tuple[str, object]], columns: int = 4) -> None:
    """A row of metrics: (label, value) pairs."""
    cols = st.columns(columns)
    for i, (label, value) in enumerate(figures):
        cols[i % columns].metric(label, value, border=True)
